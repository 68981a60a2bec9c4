"""EU AI Act Art. 53(1)(d) summary (issue 13 item 5): the whole template, in order, validated
against schemas/eu_summary.schema.json; EU-01 staleness, EU-02 missing fields, EU-04 large
public datasets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from provenance.dossier.export import export
from provenance.resources import schema_file
from tests.conftest import Corpus, codes

SCHEMA = json.loads(schema_file("eu_summary.schema.json").read_text(encoding="utf-8"))
SECTIONS = ["1_general_information", "2_list_of_data_sources", "3_data_processing"]


def _summary(db: Path, run_id: str, out: Path) -> dict[str, Any]:
    export(db, run_id, out, formats=("json",))
    data: dict[str, Any] = json.loads((out / "eu_summary.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return data


def test_schema_is_valid_and_strict() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"template": "x"}, SCHEMA)


def test_demo_summary_fills_the_template(demo_dossier: tuple[Path, str], tmp_path: Path) -> None:
    data = _summary(*demo_dossier, tmp_path / "b")
    assert [k for k in data if k[0].isdigit()] == SECTIONS
    sources = data["2_list_of_data_sources"]
    assert sources["2_1_publicly_available_datasets"]["used"]
    crawl = sources["2_3_crawled_and_scraped"]
    assert crawl["crawlers"] and crawl["collection_period"] != "not recorded"
    assert sources["2_5_synthetic_data"]["generator_models"]
    illegal = data["3_data_processing"]["3_2_illegal_content"]
    # every record was keyword-checked and a classifier is declared: never "not recorded"
    assert isinstance(illegal["keyword_filtering"]["records_checked"], int)
    assert illegal["keyword_filtering"]["records_checked"] > 0
    assert illegal["classifier"]["name"]


def test_eu_fields_from_the_manifest(corpus: Corpus, run_audit: Any, tmp_path: Path) -> None:
    corpus.manifest["provider"]["country"] = "CN"
    corpus.manifest["eu_summary"] = {
        "model_name": "TestChat",
        "model_version": "2.1",
        "market_date": "2026-01-15",
        "continuous_training": False,
        "authorised_representative": {"name": "Rep GmbH", "contact": "eu@rep.example"},
        "crawler_purposes": "pre-training text",
        "last_published": (dt.date.today() - dt.timedelta(days=10)).isoformat(),
    }
    result, con = run_audit(corpus.write())
    assert not codes(con, "EU-02") and not codes(con, "EU-01")
    data = _summary(con_path(con), result.run_id, tmp_path / "b")
    model = data["1_general_information"]["1_2_model"]
    assert model == {
        "versioned_model_name": "TestChat 2.1",
        "model_dependencies": "not provided",
        "market_date": "2026-01-15",
    }
    rep = data["1_general_information"]["1_1_provider"]["authorised_representative"]
    assert rep == {"name": "Rep GmbH", "contact": "eu@rep.example"}


def con_path(con: Any) -> Path:
    """The file behind a DuckDB connection (the run_audit fixture's dossier)."""
    (path,) = con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()
    con.close()
    return Path(path)


@pytest.mark.parametrize(
    ("eu", "expected"),
    [
        (None, {"eu_summary_field_missing"}),
        ({"market_date": "2025-01-01"}, {"eu_summary_field_missing", "eu_summary_unpublished"}),
        ({"last_published": "2020-01-01"}, {"eu_summary_field_missing", "eu_summary_stale"}),
    ],
)
def test_eu_findings(
    corpus: Corpus, run_audit: Any, eu: dict[str, Any] | None, expected: set[str]
) -> None:
    if eu is not None:
        corpus.manifest["eu_summary"] = eu
    _, con = run_audit(corpus.write())
    found = codes(con, "EU-01") | codes(con, "EU-02")
    assert found == expected


def test_large_public_dataset_without_name_is_a_finding(corpus: Corpus, run_audit: Any) -> None:
    _, con = run_audit(corpus.write())
    assert "eu_large_dataset_unnamed" in codes(con, "EU-04")  # 'open' has neither name nor URL
    corpus.source("open")["name"] = "Open corpus"
    _, con = run_audit(corpus.write("m2.yaml"))
    assert "eu_large_dataset_unnamed" not in codes(con, "EU-04")
