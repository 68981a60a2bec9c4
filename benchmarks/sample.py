"""`provenance sample` against the naive way to draw a review sample: read the corpus again.

Usage: python benchmarks/sample.py [--keep DIR] [--mb 50] [--n 4000] [--seed 11] [--workers 2]

The corpus is ``benchmarks/scale.py``'s (generated in DIR unless it is there already) and is
audited once with ``--pii-mode off`` (the draw does not depend on it). Then, in the same run:

* **draw**: the sample alone, from the run's ``record_hashes`` (:func:`provenance.review.draw.draw`)
  — what ``provenance sample`` does before it reads any text;
* **sheet**: the whole command (draw, read the sampled records back, mask personal information
  with the patterns and NER, write the .xlsx sheet, record the sample);
* **naive**: every record read again through the same readers, with a seeded reservoir of n
  (Algorithm R) — the baseline; it still has no masking and no sheet.

Ratios are naive / draw and naive / sheet. The draw is uniform either way; the point is that
``provenance sample`` does not read the corpus a second time.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import write_corpus

from provenance.manifest import load_manifest
from provenance.plan import make_plan
from provenance.readers import ShardReader
from provenance.review.draw import DrawSpec, draw
from provenance.review.sampler import run_views, sample
from provenance.store import Store


def naive(manifest: Path, n: int, seed: int) -> tuple[int, list[tuple[str, int]]]:
    """Read every record again; keep a uniform reservoir of n (file, line)."""
    rng = random.Random(seed)
    plan = make_plan(load_manifest(manifest))
    seen, reservoir = 0, []
    for shard in plan.shards:
        for batch in ShardReader(shard):
            texts = batch.column("text").to_pylist()  # what a reviewer needs: the text
            for i, _ in zip(batch.column("record_index").to_pylist(), texts, strict=True):
                seen += 1
                if len(reservoir) < n:
                    reservoir.append((shard.file_id, i))
                else:
                    j = rng.randrange(seen)
                    if j < n:
                        reservoir[j] = (shard.file_id, i)
    return seen, reservoir


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=2, help="processes masking the sheet")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    root = args.keep or Path(tmp.name)
    root.mkdir(parents=True, exist_ok=True)
    manifest = root / "manifest.yaml"
    if not manifest.exists():
        write_corpus(root, args.mb)
    mb = sum(f.stat().st_size for f in (root / "data").rglob("*.jsonl")) / 1e6
    db = root / "sample-bench.duckdb"
    if not db.exists():
        cmd = [sys.executable, "-m", "provenance", "audit", str(manifest), "--db", str(db)]
        subprocess.run([*cmd, "--pii-mode", "off"], check=False, capture_output=True)
    with Store(db, read_only=True) as store:
        (run_id,) = store.query("SELECT run_id FROM latest_run")[1][0]
    print(f"corpus {mb:,.1f} MB; run {run_id}; n = {args.n}, seed {args.seed}")

    with Store(db) as store:
        run_views(store, run_id)
        t = time.perf_counter()
        d = draw(lambda s, p: store.query(s, p)[1], DrawSpec(seed=args.seed, n=args.n))
        t_draw = time.perf_counter() - t
    print(f"draw  (record_hashes): {t_draw:7.2f} s  ({d.n:,} of {d.population:,} records)")

    out = Path(tmp.name) / "sheet.xlsx"
    marks: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        marks.setdefault(phase, time.perf_counter())
        if done >= total:
            marks[phase + " done"] = time.perf_counter()

    t = time.perf_counter()
    sample(db, run_id, DrawSpec(seed=args.seed + 1, n=args.n), out, progress, workers=args.workers)
    t_sheet = time.perf_counter() - t
    t_mask = marks.get("masking done", t) - marks.get("reading done", t)
    print(
        f"sheet (draw, read back, mask, write .xlsx): {t_sheet:7.2f} s, of which masking "
        f"(patterns + NER on {args.n:,} records) {t_mask:.1f} s"
    )

    t = time.perf_counter()
    seen, _ = naive(manifest, args.n, args.seed)
    t_naive = time.perf_counter() - t
    print(f"naive (read every record again, reservoir): {t_naive:7.2f} s  ({seen:,} records)")
    print(f"ratio naive/draw {t_naive / t_draw:.1f}x · naive/sheet {t_naive / t_sheet:.2f}x")


if __name__ == "__main__":
    main()
