"""SRC-02 / SRC-03: the 5% rule from recorded safety reviews, with Clopper-Pearson bounds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Corpus, codes, write_jsonl


def _review(c: Corpus, stage: str, n: int, fails: int, bad_rows: bool = False) -> None:
    rows: list[dict[str, Any]] = [
        {"item_id": f"i{k}", "verdict": "fail" if k < fails else "pass"} for k in range(n)
    ]
    if bad_rows:
        rows[0]["verdict"] = "maybe"
    write_jsonl(c.root / f"evidence/review_{stage}.jsonl", rows)
    src = c.source("crawl")
    src.setdefault("safety_review", {})[f"{stage}_collection"] = {
        "records": f"evidence/review_{stage}.jsonl",
        "seed": 3,
    }


@pytest.mark.parametrize(
    ("n", "fails", "codes"),
    [
        (4000, 120, {"pre_collection_passed"}),
        (4000, 177, {"pre_collection_passed"}),  # upper bound 4.998% < 5%
        (4000, 178, {"pre_collection_inconclusive"}),  # rate 4.45%, upper bound 5.02%
        (4000, 250, {"pre_collection_over_limit"}),
        (100, 10, {"pre_collection_over_limit", "pre_collection_sample_small"}),
        (500, 5, {"pre_collection_passed", "pre_collection_sample_small"}),
    ],
)
def test_pre_collection_review(
    n: int, fails: int, codes: set[str], corpus: Corpus, run_audit: Any
) -> None:
    _review(corpus, "pre", n, fails)
    _, con = run_audit(corpus.write())
    found = {
        r[0]
        for r in con.execute(
            "SELECT code FROM latest_findings WHERE check_id = 'SRC-02' AND subject_id = 'crawl'"
        ).fetchall()
    }
    assert found == codes
    upper = con.execute(
        "SELECT value FROM stats WHERE subject_id = 'crawl' AND metric = 'review_upper_bound' "
        "AND key = 'pre_collection'"
    ).fetchone()[0]
    assert upper > fails / n


def test_missing_and_unusable_reviews(corpus: Corpus, run_audit: Any) -> None:
    _review(corpus, "post", 50, 0, bad_rows=True)
    _, con = run_audit(corpus.write())
    found = {
        (r[0], r[1])
        for r in con.execute(
            "SELECT check_id, code FROM latest_findings WHERE subject_id = 'crawl'"
        ).fetchall()
    }
    assert ("SRC-02", "pre_collection_review_missing") in found
    assert ("SRC-03", "post_collection_review_unusable") in found


def test_tc260_clause_conforms_with_passing_reviews(corpus: Corpus, run_audit: Any) -> None:
    for sid in ("open", "crawl"):
        for stage in ("pre", "post"):
            rows = [
                {"item_id": f"{sid}{k}", "verdict": "fail" if k < 40 else "pass"}
                for k in range(4000)
            ]
            write_jsonl(corpus.root / f"evidence/{sid}_{stage}.jsonl", rows)
            corpus.source(sid).setdefault("safety_review", {})[f"{stage}_collection"] = {
                "records": f"evidence/{sid}_{stage}.jsonl"
            }
    _, con = run_audit(corpus.write())
    status = dict(con.execute("SELECT clause, status FROM tc260_self_assessment").fetchall())
    # before collection the pages sampled are not in the corpus: a hand-made review stands;
    # after collection it must be drawn from the corpus by the tool (issue 15)
    assert status["5.1a(1)"] == "conforms" and status["5.1a(2)"] == "does not conform"
    assert "sample_not_drawn" in codes(con)
