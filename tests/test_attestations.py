"""Duties recorded with evidence (issue 13 item 8): SRC-11, IP-01/03/04, PI-04, PI-05, ANN-07,
DOC-05 — each finding fires on its planted gap and not once the attestation is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Corpus, codes

STORAGE = {"location": "cn-hangzhou", "cross_border": False, "important_data": False}
RECORDED = {
    "ip_management": {
        "responsible_person": "IP counsel",
        "strategy": "evidence/ip.md",
        "complaint_channel": "https://example.cn/ip",
        "public_summary": "https://example.cn/corpus-summary",
    },
    "pi_impact_assessment": {
        "id": "PIA-1",
        "completed_on": "2026-01-10",
        "document": "evidence/pia.md",
        "retain_until": "2030-01-10",
    },
    "block_list": {
        "list_name": "CSL 2026",
        "checked_on": "2026-02-01",
        "results": "evidence/bl.csv",
    },
}
ALL = {
    "block_list_not_recorded", "block_list_after_training", "ip_management_missing",
    "ip_complaint_channel_missing", "ip_summary_not_published", "biometric_without_basis",
    "pi_impact_assessment_missing", "pi_impact_assessment_retention", "pi_impact_assessment_late",
    "safety_annotations_not_isolated", "storage_not_recorded", "cross_border_without_assessment",
}  # fmt: skip


def _recorded(c: Corpus) -> None:
    c.manifest["attestations"] = {k: dict(v) for k, v in RECORDED.items()}
    for sid in ("open", "crawl"):
        c.source(sid)["storage"] = dict(STORAGE)
    for name in ("ip.md", "pia.md", "bl.csv"):
        (c.root / "evidence" / name).write_text("demo evidence\n", encoding="utf-8")


def _image_dataset(c: Corpus) -> None:
    _recorded(c)
    del c.manifest["attestations"]["pi_impact_assessment"]
    c.manifest["datasets"][0]["modality"] = "image"


def _safety_rules(c: Corpus) -> None:
    _recorded(c)
    (c.root / "evidence/rules.md").write_text("rules\n", encoding="utf-8")
    c.manifest["datasets"][0]["annotation"] = {
        "rules": [{"id": "s1", "kind": "safety", "version": "1", "path": "evidence/rules.md"}]
    }


CASES: list[tuple[str, Callable[[Corpus], None], set[str]]] = [
    ("nothing recorded", lambda c: None,
     {"block_list_not_recorded", "ip_management_missing", "ip_complaint_channel_missing",
      "ip_summary_not_published", "storage_not_recorded"}),
    ("everything recorded", _recorded, set()),
    ("block list after training",
     lambda c: (_recorded(c), c.manifest["attestations"]["block_list"].update(checked_on="2026-11-01")),
     {"block_list_after_training"}),
    ("impact assessment kept 2 years",
     lambda c: (_recorded(c), c.manifest["attestations"]["pi_impact_assessment"].update(retain_until="2028-01-09")),
     {"pi_impact_assessment_retention"}),
    ("impact assessment after training",
     lambda c: (_recorded(c), c.manifest["attestations"]["pi_impact_assessment"].update(completed_on="2026-12-01", retain_until="2030-01-01")),
     {"pi_impact_assessment_late"}),
    ("image data without a legal basis", _image_dataset,
     {"biometric_without_basis", "pi_impact_assessment_missing"}),
    ("image data with a legal basis",
     lambda c: (_image_dataset(c), [c.source(s).update(legal_basis="consent") for s in ("open", "crawl")]),
     {"pi_impact_assessment_missing"}),
    ("cross-border without assessment",
     lambda c: (_recorded(c), c.source("open")["storage"].update(cross_border=True)),
     {"cross_border_without_assessment"}),
    ("safety annotations not isolated", _safety_rules, {"safety_annotations_not_isolated"}),
    ("safety annotations isolated",
     lambda c: (_safety_rules(c), c.manifest["datasets"][0]["annotation"].update(
         safety_storage={**STORAGE, "isolated": True})),
     set()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "plant", "expected"), CASES, ids=[c[0] for c in CASES])
def test_attestation_findings(
    corpus: Corpus, run_audit: Any, name: str, plant: Callable[[Corpus], None], expected: set[str]
) -> None:
    plant(corpus)
    _, con = run_audit(corpus.write())
    found = {r[0] for r in con.execute("SELECT code FROM latest_findings").fetchall()} & ALL
    assert found == expected, name


def test_important_data_abroad_is_blocking_and_selfassessment_uses_evidence(
    corpus: Corpus, run_audit: Any
) -> None:
    _recorded(corpus)
    corpus.source("open")["storage"].update(cross_border=True, important_data=True)
    result, con = run_audit(corpus.write())
    (sev,) = con.execute(
        "SELECT severity FROM latest_findings WHERE code = 'cross_border_without_assessment'"
    ).fetchone()
    assert sev == "blocker" and result.exit_code == 1
    status = dict(con.execute("SELECT clause, status FROM tc260_self_assessment").fetchall())
    assert status["5.1d"] == "conforms"  # block-list results recorded and hashed


def test_without_block_list_results_5_1d_does_not_conform(corpus: Corpus, run_audit: Any) -> None:
    _, con = run_audit(corpus.write())
    status = dict(con.execute("SELECT clause, status FROM tc260_self_assessment").fetchall())
    assert status["5.1d"] == "does not conform"
    assert "block_list_not_recorded" in codes(con, "SRC-11")


@pytest.mark.parametrize(
    "plant",
    [
        lambda c: c.manifest.update(attestations={"block_list": {
            "list_name": "x", "checked_on": "2026-01-01", "results": "/etc/passwd"}}),
        lambda c: c.manifest.update(attestations={"ip_management": {
            "responsible_person": "x", "strategy": "../../outside.md"}}),
        lambda c: c.manifest.update(attestations={"pi_impact_assessment": {
            "id": "p", "completed_on": "2026-01-01", "document": "/etc/hostname",
            "retain_until": "2030-01-01"}}),
        lambda c: c.source("open").update(storage={**STORAGE, "cross_border": True,
                                                   "assessment": "/etc/passwd"}),
    ],
)  # fmt: skip
def test_attestation_documents_stay_inside_the_manifest_folder(
    corpus: Corpus, plant: Callable[[Corpus], None]
) -> None:
    """Security by allow-list: a document path outside the allowed folders is refused at load,
    never hashed."""
    from provenance.errors import BadInput
    from provenance.manifest import load_manifest

    plant(corpus)
    with pytest.raises(BadInput) as err:
        load_manifest(corpus.write())
    assert "outside" in str(err.value) or "escape" in str(err.value) or "resolves" in str(err.value)
