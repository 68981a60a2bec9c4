"""The same work in a plain process and in a Dask worker, with and without the nanny's
``MALLOC_TRIM_THRESHOLD_`` (issue 14: why Dask's workers were ~30% slower per shard).

Usage: python benchmarks/dask_worker.py [--records 150] [--corpus DIR]

The work is the name sample's: ``ner_analyzer().analyze_many`` over ``--records`` English and as
many Chinese documents (from ``--corpus``, a ``benchmarks/scale.py --keep`` folder; else built
from the public NER dev sets in ``../shared/eval/ner/`` as ``audit_pii.py`` builds them). It
runs, best of two each, every configuration in a fresh process: a plain process; a plain
process with ``MALLOC_TRIM_THRESHOLD_=65536``; a one-worker LocalCluster with Dask's default
nanny environment; and one with the environment provenance gives its own LocalCluster
(``provenance.executors.dask.worker_environ``: the variable removed). Prints seconds for each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def texts(corpus: Path | None, n: int) -> list[str]:
    """``n`` English and ``n`` Chinese documents."""
    if corpus is not None:
        out: list[str] = []
        for sub in ("s1", "s0"):  # scale.py's corpus: s1 English, s0 Chinese
            path = sorted((corpus / "data" / sub).glob("*.jsonl"))[0]
            with path.open(encoding="utf-8") as fh:
                out += [json.loads(line)["text"] for _, line in zip(range(n), fh, strict=False)]
        return out
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ner_eval import load

    return [d.text for d in load("conll")[:n]] + [d.text for d in load("peoples_daily")[:n]]


def work(docs: list[str]) -> float:
    """Seconds for the name sample's NER over ``docs`` (engines loaded first, not timed)."""
    from provenance.pii.ner import ner_analyzer

    analyzer = ner_analyzer()
    analyzer.analyze_many(docs[:5])
    t0 = time.perf_counter()
    analyzer.analyze_many(docs)
    return time.perf_counter() - t0


def in_cluster(docs: list[str], environ: dict[str, object] | None) -> list[float]:
    """Seconds of ``work`` twice in a one-worker LocalCluster (``environ``: the nanny's
    pre-spawn environment; None: Dask's default)."""
    import dask
    from dask.distributed import Client, LocalCluster

    config: dict[str, object] = {"distributed.worker.profile.enabled": False}
    if environ is not None:
        config["distributed.nanny.pre-spawn-environ"] = environ
    with dask.config.set(config):
        cluster = LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        )
    with cluster, Client(cluster) as client:
        return [client.submit(work, docs, pure=False).result() for _ in range(2)]


#: each configuration in a fresh process: a nanny writes its environment into the process that
#: starts it, so a second cluster in one process would inherit the first one's
CONFIGS = {
    "plain process": ("plain", {}),
    "plain process, MALLOC_TRIM_THRESHOLD_": ("plain", {"MALLOC_TRIM_THRESHOLD_": "65536"}),
    "Dask worker, Dask's nanny environment": ("dask-default", {}),
    "Dask worker, provenance's environment": ("dask-ours", {}),
}


def child(kind: str, docs: list[str]) -> float:
    """Best of two in this process, in the way ``kind`` names."""
    if kind == "plain":
        return min(work(docs) for _ in range(2))
    from provenance.executors.dask import worker_environ

    return min(in_cluster(docs, worker_environ() if kind == "dask-ours" else None))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=150)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    docs = texts(args.corpus, args.records)
    if args.child:
        print(child(args.child, docs))
        return
    print(f"{len(docs)} documents, {sum(map(len, docs)):,} characters; seconds, best of two")
    base = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    for label, (kind, extra) in CONFIGS.items():
        cmd = [sys.executable, __file__, "--records", str(args.records), "--child", kind]
        if args.corpus is not None:
            cmd += ["--corpus", str(args.corpus)]
        out = subprocess.run(cmd, env={**base, **extra}, capture_output=True, text=True, check=True)
        print(f"  {label + ':':40s} {float(out.stdout.split()[-1]):6.2f}")


if __name__ == "__main__":
    main()
