"""The demo's review sheets, drawn with the tool (issue 15; run by ``make demo-data`` after
``make_demo.py``).

The freshly generated corpus is audited into a scratch dossier, and ``provenance sample`` draws
the three reviews that sample data the corpus holds: the post-collection safety review of
zh-web (SRC-03), the manual corpus sample (CNT-02, stratified by source) and the technical one
(CNT-03, 10% of the corpus). Then this script plays the reviewers: seeded verdicts with planted
failure rates and TC260-003 risk codes, written back into the same sheet (header block kept),
which the committed manifest names. The pre-collection review (SRC-02) sampled pages before they
were collected, so it is not drawn from the corpus (``make_demo.py`` writes it).

Deterministic apart from the scratch run's id in each header: the draw depends only on the
corpus and the seed, and ``SOURCE_DATE_EPOCH`` fixes the header's drawn_at.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from provenance.review.sheet import read_sheet, write_sheet

#: (sheet in evidence/, `provenance sample` scope options, seed, failures, risk codes, date)
REVIEWS = (
    ("zh_web/review_post.jsonl", ["--source", "zh-web-crawl", "--n", "300"], 11, 12, ("A.1g", "A.2d", "A.4e"), "2026-07-10"),
    ("content/manual_sample.jsonl", ["--corpus", "--n", "4000", "--stratify", "source"], 2026, 100, ("A.1f", "A.1g", "A.2e", "A.3a", "A.4f"), "2026-09-28"),
    ("content/technical_sample.jsonl", ["--corpus", "--share", "0.10"], 2027, 3, ("A.1g", "A.3a"), "2026-09-29"),
)  # fmt: skip
#: 2026-09-30T00:00:00Z: the header's drawn_at, so regenerating gives the same files
EPOCH = "1790726400"


def provenance(*args: str, ok: tuple[int, ...] = (0,)) -> None:
    """Run the CLI as a user would; stop on an unexpected exit code."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    res = subprocess.run([sys.executable, "-m", "provenance", *args], env=env, check=False)
    if res.returncode not in ok:
        sys.exit(f"provenance {args[0]} exited {res.returncode}")


def main(demo: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "draw.duckdb"
        # names are not needed to draw; the sheet's masking runs every recognizer anyway
        provenance(
            "audit", str(demo / "manifest.yaml"), "--db", str(db), "--pii-mode", "off", ok=(0, 1)
        )
        with duckdb.connect(str(db), read_only=True) as con:
            (run,) = con.execute("SELECT run_id FROM latest_run").fetchone() or ("",)
        for name, scope, seed, fails, risks, day in REVIEWS:
            drawn = Path(tmp) / Path(name).name
            provenance(
                "sample",
                "--db",
                str(db),
                "--run",
                run,
                *scope,
                "--seed",
                str(seed),
                "--out",
                str(drawn),
            )
            sheet = read_sheet(drawn)
            rng = random.Random(f"reviewers of {name}")
            bad = set(rng.sample(range(len(sheet.rows)), fails))
            for k, row in enumerate(sheet.rows):
                row["verdict"] = "fail" if k in bad else "pass"
                row["risk_code"] = rng.choice(risks) if k in bad else ""
                row["reviewer"] = f"R{k % 7}"
                row["reviewed_at"] = day
            target = demo / "evidence" / name
            target.unlink(missing_ok=True)
            write_sheet(target, sheet.header, sheet.rows)
            print(f"{target}: {len(sheet.rows)} items, {fails} failed")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/demo"))
