"""Scale-out: the same audit with 1 local worker, N local workers and N Dask workers.

Usage: python benchmarks/scale.py [--mb 200] [--configs local:1,local:2,dask:2]
                                  [--one-file] [--keep DIR] [--pii-mode sampled]

Corpus (generated here, in a temporary folder unless ``--keep``): ``benchmarks/audit_pii.py``'s
generator — English and Chinese documents built from the public NER dev sets, ~5% with planted
identifiers, 4 sources of 2 JSONL files each, a keyword library, so every scanner of the default
pipeline runs. ``--one-file`` writes the whole corpus as one JSONL file (the peak-RSS case: a
worker must not hold a large file in memory).

Each configuration runs ``python -m provenance audit`` as a user runs it, in a fresh process
(start-up, planning, scan, checks, dossier); peak RSS is sampled every 0.2 s for the
coordinator and for every other process of the tree (the workers). The dossier's
``runs.profile`` gives scan seconds, worker start-up and the coordinator's busy share. The
baseline is the first configuration (one local worker), measured in the same run; ratios are
against it. Findings (code and subject) and personal-information counts must agree across
configurations: the script says so, or prints the difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from audit_pii import write_corpus


def one_file(root: Path, manifest: Path) -> None:
    """Concatenate the corpus into data/s0/all.jsonl and point one source at it."""
    import yaml

    files = sorted((root / "data").rglob("*.jsonl"))
    big = root / "data" / "one" / "all.jsonl"
    big.parent.mkdir(parents=True, exist_ok=True)
    with big.open("wb") as out:
        for f in files:
            with f.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 24)
            f.unlink()
    doc = yaml.safe_load(manifest.read_text("utf-8"))
    src = doc["datasets"][0]["sources"][0]
    src["files"] = [{"root": "corpus", "glob": "one/*.jsonl", "id_field": "id"}]
    doc["datasets"][0]["sources"] = [src]
    manifest.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")


def run(manifest: Path, db: Path, executor: str, workers: int, pii_mode: str) -> dict:
    """One audit in a fresh process; wall time, peak RSS of coordinator and workers, profile."""
    if db.exists():
        db.unlink()
    cmd = [sys.executable, "-m", "provenance", "audit", str(manifest), "--db", str(db)]
    cmd += ["--workers", str(workers), "--executor", executor, "--pii-mode", pii_mode]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak: dict[int, int] = {}
    while proc.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    peak[p.pid] = max(peak.get(p.pid, 0), p.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    _out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({proc.returncode}):\n{err[-3000:]}")
    with duckdb.connect(str(db), read_only=True) as con:
        run_id, profile = con.execute(
            "SELECT run_id, profile FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        findings = con.execute(
            "SELECT code, subject_kind, subject_id, count(*) FROM findings WHERE run_id = ? "
            "GROUP BY ALL ORDER BY ALL",
            [run_id],
        ).fetchall()
        pii = con.execute(
            "SELECT entity_type, sum(records_with), sum(hits) FROM pii_counts WHERE run_id = ? "
            "GROUP BY ALL ORDER BY ALL",
            [run_id],
        ).fetchall()
    workers_rss = [v for pid, v in peak.items() if pid != proc.pid]
    return {
        "wall": wall,
        "profile": json.loads(profile),
        "rss_coordinator": peak.get(proc.pid, 0),
        "rss_worker_max": max(workers_rss, default=0),
        "findings": findings,
        "pii": pii,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--configs", default="local:1,local:2,dask:2")
    ap.add_argument("--one-file", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="generate (or reuse) the corpus here")
    ap.add_argument("--pii-mode", default="sampled")
    args = ap.parse_args()
    tmp = None
    if args.keep is None:
        tmp = tempfile.TemporaryDirectory()
        root = Path(tmp.name)
    else:
        root = args.keep
        root.mkdir(parents=True, exist_ok=True)
    manifest = root / "manifest.yaml"
    if not manifest.exists():
        t = time.perf_counter()
        write_corpus(root, args.mb)
        if args.one_file:
            one_file(root, manifest)
        print(f"corpus generated in {time.perf_counter() - t:.0f} s")
    files = sorted((root / "data").rglob("*.jsonl"))
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"corpus: {mb:,.1f} MB in {len(files)} JSONL file(s); {os.cpu_count()} cores")
    results = {}
    for cfg in args.configs.split(","):
        executor, _, n = cfg.partition(":")
        results[cfg] = r = run(
            manifest, root / f"{executor}-{n}.duckdb", executor, int(n), args.pii_mode
        )
        p = r["profile"]
        print(
            f"{cfg:>8}: wall {r['wall']:6.1f} s · scan {p['scan_seconds']:6.1f} s · "
            f"{p['mb_per_second_per_worker']:.2f} MB/s/worker · start-up "
            f"{p['worker_startup_seconds_max'] or 0:.1f} s · coordinator busy "
            f"{100 * p['coordinator_busy_share']:.0f}% · peak RSS coordinator "
            f"{r['rss_coordinator'] / 2**20:,.0f} MiB, worker {r['rss_worker_max'] / 2**20:,.0f} MiB",
            flush=True,
        )
    base_cfg = args.configs.split(",")[0]
    base = results[base_cfg]
    print(f"\nvs {base_cfg} (same run):")
    for cfg, r in results.items():
        print(
            f"{cfg:>8}: {base['wall'] / r['wall']:.2f}x wall, "
            f"{base['profile']['scan_seconds'] / r['profile']['scan_seconds']:.2f}x scan"
        )
    same = all(
        r["findings"] == base["findings"] and r["pii"] == base["pii"] for r in results.values()
    )
    print("findings and PI counts: " + ("identical across configurations" if same else "DIFFER"))
    if not same:
        for cfg, r in results.items():
            print(cfg, set(r["findings"]) ^ set(base["findings"]), r["pii"], base["pii"])
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
