"""`provenance sample` end to end (issue 15): draw from a real run, review, audit the verdicts.

Real files throughout: the corpus is JSONL written here, the runs are real audits into DuckDB
files, the sheets are written and read by the CLI, the reviewed sheet goes back through the
manifest and a second audit verifies it.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from provenance import audit
from provenance.checks.review_text import R
from provenance.review.sheet import read_sheet, write_sheet
from tests.conftest import Corpus, cli, refused, write_jsonl

#: planted personal information: none of it may appear in a sheet
PLANTED = ["13812345678", "110105198001011238", "wang.xiaoming@example.com", "王小明", "John Smith"]
#: header fields that differ between two draws of the same sample (when, and from which run)
VARYING = {"run_id", "drawn_at"}


def _corpus(corpus: Corpus) -> Path:
    rows = [{"text": f"普通文本 {i}，关于天气和城市生活的记录。" * 3} for i in range(120)]
    rows[7] = {"text": "联系人王小明，电话 13812345678，邮箱 wang.xiaoming@example.com。"}
    rows[50] = {"text": "身份证号 110105198001011238，John Smith lives in London."}
    for i in range(3):
        write_jsonl(corpus.root / f"data/open/part{i}.jsonl", rows[i * 40 : i * 40 + 40])
    return corpus.write()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same corpus audited with one and with two workers."""
    tmp = tmp_path_factory.mktemp("review")
    corpus = Corpus(tmp / "corpus")
    manifest = _corpus(corpus)
    one = audit(manifest, tmp / "one.duckdb", workers=1)
    two = audit(manifest, tmp / "two.duckdb", workers=2)
    return {"tmp": tmp, "corpus": corpus, "one": one, "two": two}


def _sample_cli(db: Path, run: str, *args: str) -> Any:
    """``provenance sample --db DB --run RUN ARGS…`` as a user runs it (ARGS in their order)."""
    return cli("sample", "--db", str(db), "--run", run, *args)


def _sample(db: Path, run: str, out: Path, *args: str) -> Any:
    res = _sample_cli(db, run, *args, "--out", str(out))
    assert res.returncode == 0, res.stderr
    return read_sheet(out)


def _stable(sheet: Any) -> tuple[dict[str, str], list[dict[str, Any]]]:
    return {k: v for k, v in sheet.header.items() if k not in VARYING}, sheet.rows


def test_same_seed_same_sheet_from_one_and_two_workers(runs: dict[str, Any]) -> None:
    tmp = runs["tmp"]
    a = _sample(
        runs["one"].db_path,
        runs["one"].run_id,
        tmp / "a.csv",
        "--corpus",
        "--n",
        "30",
        "--seed",
        "11",
    )
    b = _sample(
        runs["two"].db_path,
        runs["two"].run_id,
        tmp / "b.csv",
        "--corpus",
        "--n",
        "30",
        "--seed",
        "11",
    )
    c = _sample(
        runs["one"].db_path,
        runs["one"].run_id,
        tmp / "c.csv",
        "--corpus",
        "--n",
        "30",
        "--seed",
        "12",
    )
    assert _stable(a) == _stable(b)
    assert len(a.rows) == 30 and a.header["population"] == "170" and a.header["seed"] == "11"
    assert [r["sample_item"] for r in a.rows] != [r["sample_item"] for r in c.rows]
    assert {r["record_index"] for r in a.rows} != {r["record_index"] for r in c.rows}
    assert all(r["verdict"] == "" and r["reviewer"] == "" for r in a.rows)
    # the draw is recorded in the dossier, with its items in review order
    with duckdb.connect(str(runs["one"].db_path), read_only=True) as con:
        sid, n, pop, _seed = con.execute(
            "SELECT sample_id, n, population, seed FROM samples WHERE seed = 11"
        ).fetchone()
        items = con.execute(
            "SELECT item_id FROM sample_items WHERE sample_id = ? ORDER BY ordinal", [sid]
        ).fetchall()
    assert (sid, n, pop) == (a.header["sample_id"], 30, 170)
    assert [i[0] for i in items] == [r["sample_item"] for r in a.rows]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "jsonl"])
def test_no_raw_personal_information_in_any_sheet(runs: dict[str, Any], suffix: str) -> None:
    out = runs["tmp"] / f"all.{suffix}"
    sheet = _sample(runs["one"].db_path, runs["one"].run_id, out, "--corpus", "--n", "500")
    assert len(sheet.rows) == 170  # everything: the planted records are in it
    if suffix == "xlsx":
        with zipfile.ZipFile(out) as z:
            raw = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    else:
        raw = out.read_text(encoding="utf-8-sig")
    for value in PLANTED:
        assert value not in raw, value
    texts = " ".join(str(r["text"]) for r in sheet.rows)
    assert "138" in texts and "***" in texts  # masked forms, not dropped records
    # places in free text are not personal and a reviewer needs them: not masked
    assert "lives in London" in texts and "J********* lives" in texts


def _review(sheet: Any, fails: dict[int, str]) -> list[dict[str, Any]]:
    rows = []
    for k, row in enumerate(sheet.rows):
        rows.append(
            dict(
                row,
                verdict="fail" if k in fails else "pass",
                risk_code=fails.get(k, ""),
                reviewer=f"R{k % 3}",
                reviewed_at="2026-11-01",
            )
        )
    return rows


def _audit_with(
    runs: dict[str, Any], sheet_path: Path, name: str, seed: int | None = None
) -> dict[str, Any]:
    corpus: Corpus = runs["corpus"]
    rel = sheet_path.relative_to(corpus.root)
    declared: dict[str, Any] = {"records": str(rel)}
    if seed is not None:
        declared["seed"] = seed
    corpus.manifest["content_filtering"] = {"manual_sample": declared}
    manifest = corpus.write(f"{name}.yaml")
    result = audit(manifest, runs["tmp"] / f"{name}.duckdb", workers=1)
    with duckdb.connect(str(result.db_path), read_only=True) as con:
        found = con.execute(
            "SELECT code, severity, message_en, message_zh, evidence FROM findings "
            "WHERE code IN (SELECT unnest(?))",
            [list(R)],
        ).fetchall()
        stats = con.execute(
            "SELECT scope, subject_id, key, value FROM stats WHERE metric = 'review_risk_rate'"
        ).fetchall()
    return {"codes": {f[0]: f for f in found}, "stats": stats}


def test_a_reviewed_sheet_verifies_and_a_tampered_one_is_found(runs: dict[str, Any]) -> None:
    corpus: Corpus = runs["corpus"]
    drawn = corpus.root / "evidence" / "manual.xlsx"
    drawn.parent.mkdir(parents=True, exist_ok=True)
    sheet = _sample(
        runs["one"].db_path, runs["one"].run_id, drawn, "--corpus", "--n", "40", "--seed", "5"
    )
    reviewed = corpus.root / "evidence" / "manual_reviewed.xlsx"
    write_sheet(reviewed, sheet.header, _review(sheet, {0: "A.1g", 3: "A.4e;A.1g"}))
    ok = _audit_with(runs, reviewed, "verified")
    assert "sample_verified" in ok["codes"] and "sample_tampered" not in ok["codes"]
    risks = ok["codes"]["review_risks"]
    assert "A.1g 2" in risks[2] and "29 of 31 risks never observed" in risks[2]
    assert ("corpus", "corpus", "manual_sample:A.1g", 2 / 40) in ok["stats"]

    # an item swapped for one that was not drawn, and one item left unreviewed
    rows = _review(sheet, {})
    rows[1]["sample_item"] = sheet.header["sample_id"] + "-99999"
    rows[2]["verdict"] = ""
    tampered = corpus.root / "evidence" / "manual_tampered.csv"
    write_sheet(tampered, sheet.header, rows)
    bad = _audit_with(runs, tampered, "tampered")
    _code, severity, en, zh, evidence = bad["codes"]["sample_tampered"]
    assert severity == "high" and "1 id(s) not in the sample" in en
    assert json.loads(evidence)["unknown"] == 1
    assert "sample_incomplete" in bad["codes"]
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"“[^”]*”", "", zh)), zh  # Chinese is Chinese


def test_a_hand_made_sample_cannot_be_shown_random(runs: dict[str, Any]) -> None:
    corpus: Corpus = runs["corpus"]
    hand = corpus.root / "evidence" / "hand.jsonl"
    write_jsonl(hand, [{"item_id": f"m-{k}", "verdict": "pass"} for k in range(50)])
    found = _audit_with(runs, hand, "hand")
    assert found["codes"]["sample_not_drawn"][1] == "medium"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--source", "nope"], "its sources: crawl, open"),
        (["--corpus", "--n", "5", "--share", "0.1"], "not both"),
        (["--corpus", "--source", "open"], "exactly one"),
        (["--corpus", "--stratify", "colour"], "valid are source, dataset, language, file"),
        (["--corpus", "--n", "3", "--out", "/nonexistent/x.csv"], "not a folder"),
        (["--corpus", "--n", "3", "--out", "/tmp/x.txt"], "ends in .xlsx, .csv or .jsonl"),
        (["--corpus", "--run", "nope"], "provenance runs --db"),
    ],
)
def test_bad_options_say_what_is_valid(runs: dict[str, Any], args: list[str], needle: str) -> None:
    out = runs["tmp"] / "never.csv"
    # args last: an option given twice takes the later value
    res = _sample_cli(runs["one"].db_path, runs["one"].run_id, "--out", str(out), *args)
    refused(res, needle)
    assert not out.exists()


def test_an_existing_sheet_is_never_overwritten(runs: dict[str, Any]) -> None:
    out = runs["tmp"] / "kept.jsonl"
    out.write_text("reviewed work\n")
    res = _sample_cli(runs["one"].db_path, runs["one"].run_id, "--corpus", "--out", str(out))
    refused(res, "exists")
    assert out.read_text() == "reviewed work\n"


def test_repeated_ids_and_an_edited_header_are_tampering(runs: dict[str, Any]) -> None:
    corpus: Corpus = runs["corpus"]
    drawn = corpus.root / "evidence" / "twice.jsonl"
    sheet = _sample(
        runs["one"].db_path, runs["one"].run_id, drawn, "--corpus", "--n", "20", "--seed", "8"
    )
    rows = _review(sheet, {})
    rows[5] = dict(rows[4])  # one item reviewed twice, another dropped
    twice = corpus.root / "evidence" / "twice_reviewed.jsonl"
    write_sheet(twice, sheet.header, rows)
    found = _audit_with(runs, twice, "twice")["codes"]
    evidence = json.loads(found["sample_tampered"][4])
    assert evidence["duplicated"] == 1 and "1 repeated" in found["sample_tampered"][2]
    assert "1 drawn item(s) missing from the sheet" in found["sample_tampered"][2]  # dropped
    # a header whose seed was changed no longer describes the sample drawn
    edited = corpus.root / "evidence" / "edited.jsonl"
    write_sheet(edited, {**sheet.header, "seed": "9"}, _review(sheet, {}))
    found = _audit_with(runs, edited, "edited")["codes"]
    assert "header block was edited after the draw" in found["sample_tampered"][2]


def test_a_changed_corpus_is_found(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "corpus")
    manifest = _corpus(corpus)
    first = audit(manifest, tmp_path / "first.duckdb", workers=1)
    drawn = corpus.root / "evidence" / "post.csv"
    drawn.parent.mkdir(parents=True, exist_ok=True)
    sheet = _sample(first.db_path, first.run_id, drawn, "--source", "open", "--n", "10")
    reviewed = corpus.root / "evidence" / "post_reviewed.csv"
    write_sheet(reviewed, sheet.header, _review(sheet, {}))
    # a record edited after the draw: the review no longer covers the corpus as it is
    path = corpus.root / "data/open/part0.jsonl"
    path.write_text(
        path.read_text(encoding="utf-8").replace("普通文本 3，", "改过的文本，"), encoding="utf-8"
    )
    corpus.source("open")["safety_review"] = {
        "post_collection": {"records": "evidence/post_reviewed.csv"}
    }
    second = audit(corpus.write("changed.yaml"), tmp_path / "second.duckdb", workers=1)
    with duckdb.connect(str(second.db_path), read_only=True) as con:
        rows = con.execute(
            "SELECT subject_id, message_en FROM findings WHERE code = 'sample_corpus_changed'"
        ).fetchall()
    assert rows == [("post_collection:open", rows[0][1])] and "text changed" in rows[0][1]


def test_a_partitioned_run_gives_the_same_sheet(runs: dict[str, Any], tmp_path: Path) -> None:
    from tests.test_same_dossier import _partitioned_pipeline

    manifest = runs["corpus"].root / "manifest.yaml"
    parts = audit(
        manifest,
        tmp_path / "parts.duckdb",
        workers=2,
        pipeline=str(_partitioned_pipeline(tmp_path)),
    )
    with duckdb.connect(str(parts.db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM record_hashes").fetchone() == (0,)  # in parts
    args = ("--corpus", "--n", "25", "--seed", "4", "--stratify", "language")
    a = _sample(parts.db_path, parts.run_id, tmp_path / "p.jsonl", *args)
    b = _sample(runs["one"].db_path, runs["one"].run_id, tmp_path / "w.jsonl", *args)
    assert _stable(a) == _stable(b)


def test_the_demo_reviews_are_drawn_by_the_tool(demo_dossier: tuple[Path, str]) -> None:
    db, run = demo_dossier
    with duckdb.connect(str(db), read_only=True) as con:
        verified = con.execute(
            "SELECT subject_id FROM findings WHERE run_id = ? AND code = 'sample_verified' ORDER BY 1",
            [run],
        ).fetchall()
        status = con.execute(
            "SELECT status FROM tc260_self_assessment WHERE run_id = ? AND clause = '9.2'", [run]
        ).fetchone()
    assert verified == [
        ("manual_sample:corpus",),
        ("post_collection:zh-web-crawl",),
        ("technical_sample:corpus",),
    ]
    assert status == ("conforms",)


@pytest.mark.parametrize(
    "case, needle",
    [
        ("drop_failures", "2 drawn item(s) missing from the sheet"),
        ("source_sample_as_corpus", "drawn from the source open, not the corpus"),
        ("other_seed_declared", "the manifest declares seed 6"),
        ("header_removed", "header block was removed"),
        ("fingerprint_edited", "edited after the draw"),
    ],
)
def test_ways_to_pass_a_failing_or_partial_review_are_tampering(
    runs: dict[str, Any], case: str, needle: str
) -> None:
    """Found by a hostile review: each of these once passed, or fell to a medium finding."""
    corpus: Corpus = runs["corpus"]
    scope = ["--source", "open"] if case == "source_sample_as_corpus" else ["--corpus"]
    drawn = corpus.root / "evidence" / f"{case}.jsonl"
    sheet = _sample(
        runs["one"].db_path, runs["one"].run_id, drawn, *scope, "--n", "20", "--seed", "5"
    )
    header, rows = dict(sheet.header), _review(sheet, {0: "A.1g", 1: "A.1g"})
    if case == "drop_failures":
        rows = rows[2:]
    elif case == "header_removed":
        header = {}
    elif case == "fingerprint_edited":
        header["fingerprint"] = "0" * 64
    reviewed = corpus.root / "evidence" / f"{case}_reviewed.csv"
    if case == "header_removed":  # a hand-made file: no header block at all
        write_jsonl(
            reviewed.with_suffix(".jsonl"),
            [{k: r[k] for k in ("sample_item", "verdict")} for r in rows],
        )
        reviewed = reviewed.with_suffix(".jsonl")
    else:
        write_sheet(reviewed, header, rows)
    seed = 6 if case == "other_seed_declared" else None
    found = _audit_with(runs, reviewed, case, seed)["codes"]
    assert "sample_tampered" in found and "sample_verified" not in found, found.keys()
    assert found["sample_tampered"][1] == "high"
    assert needle in found["sample_tampered"][2]
