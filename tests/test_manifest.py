"""Manifest validation: every problem reported at once, with its path and line; nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.errors import BadInput
from provenance.manifest import load_manifest, manifest_json_schema
from provenance.resources import schema_file
from tests.conftest import Corpus

TEN_ERRORS = """\
manifest_version: 1
provider:
  name: P
service:
  name: S
  intended_use: public                # 1 not a valid intended_use
data_roots:
  - id: corpus
    path: data
  - id: corpus                         # 2 duplicate root id
    path: data
datasets:
  - id: ds
    name: D
    stage: pretrain                    # 3 not a valid stage
    sources:
      - id: a
        source_type: scraped           # 4 not a valid source type
        origin: {region: domestic}
        licence: MIT                   # 5 unknown field (typo of license)
        files:
          - {root: nowhere, glob: "a/*.jsonl"}          # 6 unknown data root
      - id: a                                           # 7 duplicate source id
        source_type: open_source
        origin: {region: domestic}
        evidence:
          - {kind: license, path: ../../etc/passwd}     # 8 path escapes
        files:
          - {root: corpus, glob: "../outside/*.jsonl"}  # 9 glob escapes
      - id: b
        source_type: commercial
        files: [{root: corpus, glob: "b/*.jsonl"}]      # 10 origin missing
"""


def test_ten_distinct_errors_are_all_reported_with_paths_and_lines(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "m.yaml"
    path.write_text(TEN_ERRORS)
    with pytest.raises(BadInput) as info:
        load_manifest(path)
    problems = {p.path: p for p in info.value.problems}
    expected = {
        "service.intended_use": 6,
        "data_roots[1].id": 10,
        "datasets[0].stage": 15,
        "datasets[0].sources[0].source_type": 18,
        "datasets[0].sources[0].licence": 20,
        "datasets[0].sources[0].files[0].root": 22,
        "datasets[0].sources[1].id": 23,
        "datasets[0].sources[1].evidence[0].path": 27,
        "datasets[0].sources[1].files[0].glob": 29,
        "datasets[0].sources[2].origin": 30,
    }
    for loc, line in expected.items():
        assert loc in problems, (loc, sorted(problems))
        assert problems[loc].line == line, (loc, problems[loc].line)
    assert len(info.value.problems) == 10
    text = str(info.value)
    assert "10 problem(s)" in text and "nothing was written" in text
    # messages say what would be valid
    assert "'public_service'" in problems["service.intended_use"].message
    assert "license" in problems["datasets[0].sources[0].licence"].message
    assert "declared roots: corpus" in problems["datasets[0].sources[0].files[0].root"].message


def test_duplicate_yaml_keys_and_syntax_errors(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: 1\nmanifest_version: 1\n")
    with pytest.raises(BadInput) as info:
        load_manifest(path)
    assert any(p.code == "duplicate_key" and p.line == 2 for p in info.value.problems)
    path.write_text("provider: {name: [unclosed\n")
    with pytest.raises(BadInput) as info:
        load_manifest(path)
    assert info.value.problems[0].code == "syntax"


def test_missing_and_non_mapping_manifest(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not found"):
        load_manifest(tmp_path / "absent.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(BadInput, match="mapping"):
        load_manifest(tmp_path / "list.yaml")


def test_json_manifest_loads(corpus: Corpus) -> None:
    path = corpus.root / "manifest.json"
    path.write_text(json.dumps(corpus.manifest))
    lm = load_manifest(path)
    assert [s.id for _, s in lm.manifest.sources()] == ["open", "crawl"]
    assert lm.roots["corpus"] == (corpus.root / "data").resolve()


def test_symlink_out_of_root_is_not_read(corpus: Corpus, tmp_path: Path, run_audit: object) -> None:
    outside = tmp_path / "secret.jsonl"
    outside.write_text('{"text": "outside"}\n')
    (corpus.root / "data/open/link.jsonl").symlink_to(outside)
    _result, con = run_audit(corpus.write())  # type: ignore[operator]
    row = con.execute("SELECT status, error FROM files WHERE path = 'open/link.jsonl'").fetchone()
    assert row[0] == "error" and "outside its data root" in row[1]


def test_schema_file_matches_the_model() -> None:
    """schemas/manifest.schema.json is generated: regenerate with `provenance schema`."""
    assert schema_file("manifest.schema.json").read_text(encoding="utf-8") == manifest_json_schema()


def test_demo_manifest_is_valid() -> None:
    lm = load_manifest(Path(__file__).parents[1] / "examples/demo/manifest.yaml")
    types = {s.source_type for _, s in lm.manifest.sources()}
    assert {"self_collected", "open_source", "commercial", "user_input", "synthetic"} <= types
