"""Importers draft valid manifests from Hugging Face cards, Croissant and DPI summaries."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import cli

HF_CARD = """---
pretty_name: Chinese News Corpus
license:
- cc-by-nc-sa-4.0
language:
- zh
- en
source_datasets:
- original
- extended|wikipedia
task_categories:
- text-generation
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.parquet
---
# Chinese News Corpus
"""

CROISSANT = {
    "@context": {"@vocab": "https://schema.org/", "cr": "http://mlcommons.org/croissant/"},
    "@type": "sc:Dataset",
    "name": "Open Web Text",
    "description": "Deduplicated web text.",
    "license": "https://creativecommons.org/licenses/by/4.0/",
    "url": "https://example.org/owt",
    "inLanguage": ["en"],
    "isBasedOn": [{"@id": "https://example.org/common-crawl"}],
    "distribution": [
        {"@type": "cr:FileObject", "@id": "archive", "contentUrl": "https://example.org/owt.zip"},
        {"@type": "cr:FileSet", "@id": "shards", "includes": "shards/*.jsonl.gz"},
    ],
}

DPI = [
    {
        "Unique Dataset Identifier": "alpaca",
        "Dataset Name": "Alpaca",
        "Languages": ["English"],
        "Licenses": [{"License": "CC BY-NC 4.0"}, {"License": "OpenAI"}],
        "Model Generated": ["OpenAI text-davinci-003"],
        "Derived from Datasets": ["self-instruct"],
    },
    {
        "Unique Dataset Identifier": "dolly",
        "Dataset Name": "Dolly 15k",
        "Languages": ["English"],
        "Licenses": [{"License": "CC BY-SA 3.0"}],
    },
]


def _import(tmp_path: Path, kind: str, name: str, content: str) -> dict:  # type: ignore[type-arg]
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "manifest.yaml"
    res = cli("import", kind, str(src), "-o", str(out), "--provider", "P", "--service", "S")
    assert res.returncode == 0, res.stderr
    (tmp_path / "data").mkdir(exist_ok=True)
    val = cli("validate", str(out))
    assert val.returncode == 0, val.stdout + val.stderr
    assert out.read_text().startswith("# Drafted by `provenance import`")
    return yaml.safe_load(out.read_text())


def test_hf_card(tmp_path: Path) -> None:
    m = _import(tmp_path, "hf-card", "README.md", HF_CARD)
    ds = m["datasets"][0]
    src = ds["sources"][0]
    assert ds["languages"] == ["zh", "en"] and src["license"] == "CC-BY-NC-SA-4.0"
    assert src["upstream"] == ["wikipedia"]
    assert src["files"] == [{"root": "data", "glob": "data/train-*.parquet"}]


def test_croissant(tmp_path: Path) -> None:
    m = _import(tmp_path, "croissant", "croissant.json", json.dumps(CROISSANT))
    src = m["datasets"][0]["sources"][0]
    assert src["license"] == "CC-BY-4.0"  # the URL, read by the licence normaliser
    assert src["upstream"] == ["https://example.org/common-crawl"]
    assert [f["glob"] for f in src["files"]] == ["Open-Web-Text/shards/*.jsonl.gz"]


def test_dpi(tmp_path: Path) -> None:
    m = _import(tmp_path, "dpi", "dpi.json", json.dumps(DPI))
    alpaca, dolly = (d["sources"][0] for d in m["datasets"])
    assert (
        alpaca["source_type"] == "synthetic"
        and alpaca["generator_model"]["name"] == "OpenAI text-davinci-003"
    )
    assert alpaca["license"] == "CC-BY-NC-4.0 AND LicenseRef-OpenAI-Terms" and alpaca[
        "upstream"
    ] == ["self-instruct"]
    assert dolly["source_type"] == "open_source" and dolly["license"] == "CC-BY-SA-3.0"


def test_import_errors(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}")
    assert (
        cli("import", "nope", str(tmp_path / "x.json"), "-o", str(tmp_path / "m.yaml")).returncode
        == 2
    )
    res = cli("import", "croissant", str(tmp_path / "x.json"), "-o", str(tmp_path / "m.yaml"))
    assert res.returncode == 2 and "not a Croissant dataset" in res.stderr
    (tmp_path / "exists.yaml").write_text("keep me")
    res = cli("import", "dpi", str(tmp_path / "x.json"), "-o", str(tmp_path / "exists.yaml"))
    assert res.returncode == 2 and (tmp_path / "exists.yaml").read_text() == "keep me"
