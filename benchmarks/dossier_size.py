"""Dossier size: bytes per table and per input byte, for one or many runs of the same corpus.

Usage: python benchmarks/dossier_size.py [--mb 16] [--runs 1] [--gc-keep N] [--work DIR]

Writes a corpus of ``--mb`` MB of gzip-free JSONL (half English, half Chinese records of
~600 characters; 10% near-duplicates, 2% exact duplicates, a phone number or e-mail in 5%),
audits it ``--runs`` times into one dossier, then prints the size of every table (each table
copied alone into a fresh DuckDB file, minus the size of an empty file: what the table costs
on disk, compressed) and the whole file per input byte. With ``--gc-keep N`` it then runs
``provenance gc --keep N`` and prints the file size after.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb
import yaml

from provenance import audit


def _words(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(3000)
    ]


def make_corpus(root: Path, mb: float, files: int = 8, seed: int = 7) -> int:
    """Write ``mb`` MB of JSONL under ``root/data`` and a manifest; return the bytes written."""
    rng = random.Random(seed)
    vocab = _words(rng)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    target = int(mb * 1_000_000)
    per_file = target // files
    written, n = 0, 0
    texts: list[str] = []
    for f in range(files):
        sub = "open" if f % 2 == 0 else "crawl"
        path = root / "data" / sub / f"part{f}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with path.open("w", encoding="utf-8") as out:
            while size < per_file:
                r = rng.random()
                if texts and r < 0.02:
                    text = rng.choice(texts)
                elif texts and r < 0.12:
                    units = rng.choice(texts).split(" ")
                    units[rng.randrange(len(units))] = rng.choice(vocab)
                    text = " ".join(units)
                elif n % 2:
                    text = " ".join(
                        "".join(rng.choice(han) for _ in range(rng.randint(2, 6)))
                        for _ in range(rng.randint(40, 60))
                    )
                else:
                    text = " ".join(rng.choice(vocab) for _ in range(rng.randint(80, 130)))
                if rng.random() < 0.05:
                    text += f" 联系电话 13{rng.randint(100000000, 999999999)}"
                if len(texts) < 5000:
                    texts.append(text)
                line = json.dumps({"id": f"r{n}", "text": text}, ensure_ascii=False) + "\n"
                out.write(line)
                size += len(line.encode())
                n += 1
        written += size
    manifest = {
        "manifest_version": 1,
        "provider": {"name": "Bench"},
        "service": {"name": "Bench", "intended_use": "research"},
        "data_roots": [{"id": "corpus", "path": "data"}],
        "datasets": [
            {
                "id": "ds",
                "name": "Bench corpus",
                "stage": "pretraining",
                "languages": ["zh", "en"],
                "sources": [
                    {
                        "id": "open",
                        "source_type": "open_source",
                        "origin": {"region": "foreign", "country": "US"},
                        "license": "CC-BY-4.0",
                        "files": [{"root": "corpus", "glob": "open/*.jsonl", "id_field": "id"}],
                    },
                    {
                        "id": "crawl",
                        "source_type": "open_source",
                        "origin": {"region": "domestic", "country": "CN"},
                        "license": "CC-BY-4.0",
                        "files": [{"root": "corpus", "glob": "crawl/*.jsonl", "id_field": "id"}],
                    },
                ],
            }
        ],
    }
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return written


def table_sizes(db: Path) -> dict[str, int]:
    """On-disk bytes of each table: copied alone into a fresh file, minus an empty file."""
    work = Path(tempfile.mkdtemp())
    try:
        empty = work / "empty.duckdb"
        duckdb.connect(str(empty)).close()
        base = empty.stat().st_size
        con = duckdb.connect()
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(db)])
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'"
            ).fetchall()
        ]
        sizes: dict[str, int] = {}
        for i, name in enumerate(names):
            target = work / f"t{i}.duckdb"
            con.execute("ATTACH ? AS t", [str(target)])
            con.execute(f'CREATE TABLE t."{name}" AS SELECT * FROM src."{name}"')
            con.execute("DETACH t")
            sizes[name] = max(target.stat().st_size - base, 0)
        con.close()
        return sizes
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(db: Path, input_bytes: int) -> None:
    """Print bytes per table (largest first), rows, and the file per input byte."""
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(
        con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() "
            "WHERE database_name = current_database()"
        ).fetchall()
    )
    con.close()
    sizes = table_sizes(db)
    total = db.stat().st_size
    print(f"{'table':<22}{'rows':>12}{'bytes':>14}{'share':>8}")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        if size or rows.get(name):
            print(f"{name:<22}{rows.get(name, 0):>12,}{size:>14,}{size / total:>8.1%}")
    print(
        f"file {total:,} bytes for {input_bytes:,} input bytes: {total / input_bytes:.2f} per byte"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=16.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--gc-keep", type=int, default=None)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dossier_size_"))
    work.mkdir(parents=True, exist_ok=True)
    input_bytes = make_corpus(work / "corpus", args.mb)
    db = work / "dossier.duckdb"
    db.unlink(missing_ok=True)
    for i in range(args.runs):
        t0 = time.perf_counter()
        audit(work / "corpus/manifest.yaml", db, workers=1)
        print(
            f"run {i + 1}: {time.perf_counter() - t0:.1f} s, file {db.stat().st_size:,} bytes",
            flush=True,
        )
    report(db, input_bytes)
    if args.gc_keep is not None:
        from provenance.gc import collect

        t0 = time.perf_counter()
        result = collect(db, keep=args.gc_keep)
        print(
            f"gc --keep {args.gc_keep}: {result.bytes_before:,} → {result.bytes_after:,} bytes "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        report(db, input_bytes)


if __name__ == "__main__":
    main()
