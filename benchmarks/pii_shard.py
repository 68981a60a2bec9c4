"""The identifier scanner alone on one JSONL shard: ``FastAnalyzer.analyze_batch`` per batch.

Usage: python benchmarks/pii_shard.py SHARD.jsonl [--batch 256] [--profile]

Reads the shard's ``text`` fields, cuts them into Arrow batches of ``--batch`` records (the
scanner's batch size, ``provenance.writer.MAX_BATCH``), warms the analyzer up on the first
batch, clears the phone-number cache, then times every batch. Prints MB/s, records/s,
microseconds per record, hits, CPU seconds and a digest of every result (entity type, start,
end, score): run it on two checkouts (``PYTHONPATH=...``) and the digests must be equal.
``--profile`` adds cProfile's top functions. Used for issue 14 (benchmarks/RESULTS.md,
"Identifier scanner"): e.g. ``/work/bench/c200/data/s0/part-0.jsonl``.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa

from provenance.pii import fast_analyzer
from provenance.pii.recognizers.phone import _numbers


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shard", type=Path)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    with args.shard.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    batches = [pa.array(texts[i : i + args.batch]) for i in range(0, len(texts), args.batch)]
    analyzer = fast_analyzer()
    analyzer.analyze_batch(batches[0])  # warm-up: patterns compiled, tokenizers loaded
    _numbers.cache_clear()
    prof = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    found = [r for b in batches for r in analyzer.analyze_batch(b)]
    if prof:
        prof.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    keys = [sorted((r.entity_type, r.start, r.end, round(r.score, 9)) for r in rs) for rs in found]
    digest = hashlib.sha256(repr(keys).encode()).hexdigest()[:16]
    print(
        f"{len(texts):,} records, {mb:.1f} MB in {wall:.2f} s ({cpu:.2f} s CPU): "
        f"{mb / wall:.2f} MB/s, {len(texts) / wall:,.0f} records/s, "
        f"{wall / len(texts) * 1e6:,.0f} us/record; {sum(map(len, keys)):,} hits; digest {digest}"
    )
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
