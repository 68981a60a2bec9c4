"""Scan throughput: the audit's read-once shard pass against a naive per-record loop.

Usage: python benchmarks/scan.py [--docs 200000] [--files 8]

Generates a gzip JSONL corpus (Chinese and English, ~600 characters a record), then times in
one run, on the same files:

* naive: ``gzip.open`` + ``json.loads`` per line + Python ``len`` / ``strip`` per record — what a
  hand-written audit script does;
* ours: :func:`provenance.executors.process_shard` (reader → Arrow batches → file_stats scanner),
  one worker, and the local executor with two workers.

Prints documents/s and the ratio to the naive baseline. No wall-clock assertion anywhere: the
machines are noisy; record results in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import tempfile
import time
from pathlib import Path

from provenance.executors import ShardJob, process_shard
from provenance.executors.local import LocalExecutor
from provenance.pipeline import ScannerSpec
from provenance.plan import Shard

ZH = "数据治理与人工智能训练语料的来源合法性审查需要可追溯的证据链。"
EN = "Training data provenance must be explainable to an auditor with evidence. "


def make_corpus(root: Path, docs: int, files: int) -> list[Path]:
    rng = random.Random(7)
    paths = []
    per = docs // files
    for f in range(files):
        lines = []
        for i in range(per):
            text = (ZH * rng.randint(5, 15)) if i % 2 else (EN * rng.randint(3, 10))
            lines.append(json.dumps({"id": f"{f}-{i}", "text": text}, ensure_ascii=False))
        path = root / f"part-{f:03d}.jsonl.gz"
        path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=1))
        paths.append(path)
    return paths


def naive(paths: list[Path]) -> int:
    n = chars = empty = 0
    for p in paths:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                text = rec.get("text") or ""
                n += 1
                chars += len(text)
                empty += not text.strip()
    return n


def shards(paths: list[Path]) -> list[Shard]:
    return [
        Shard(
            shard_id=f"s{i}",
            file_id=f"f{i}",
            source_id="s",
            path=str(p),
            format="jsonl",
            compression="gzip",
            part=0,
            row_groups=None,
            text_field="text",
            id_field="id",
            url_field=None,
            time_field=None,
        )
        for i, p in enumerate(paths)
    ]


def ours(paths: list[Path], workers: int) -> int:
    job = ShardJob(scanners=(ScannerSpec("file_stats", {}),), batch_rows=8192, pii_key=b"bench")
    if workers == 1:
        return sum(process_shard(s, job).stats.records for s in shards(paths))
    return sum(r.stats.records for r in LocalExecutor(workers).run(shards(paths), job))


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    n = fn(*args)
    return n, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--files", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_corpus(Path(tmp), args.docs, args.files)
        n0, t0 = timed(naive, paths)
        n1, t1 = timed(ours, paths, 1)
        n2, t2 = timed(ours, paths, 2)
    assert n0 == n1 == n2, (n0, n1, n2)
    print(f"documents: {n0:,} in {args.files} gzip JSONL files")
    print(f"naive json.loads loop      : {n0 / t0:>10,.0f} docs/s  (1.00x)")
    print(f"process_shard, 1 worker    : {n1 / t1:>10,.0f} docs/s  ({t0 / t1:.2f}x)")
    print(f"local executor, 2 workers  : {n2 / t2:>10,.0f} docs/s  ({t0 / t2:.2f}x)")


if __name__ == "__main__":
    main()
