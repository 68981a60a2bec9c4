"""Issue 12: the Croissant, HF-card and DPI importers read licences with the audit's normaliser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from provenance.importers import run_import


def _croissant(licence: Any) -> str:
    return json.dumps({"@type": "sc:Dataset", "name": "Tiny", "license": licence})


def _source(manifest: dict[str, Any]) -> dict[str, Any]:
    return manifest["datasets"][0]["sources"][0]  # type: ignore[no-any-return]


def test_croissant_choosealicense_url_becomes_spdx_id(tmp_path: Path) -> None:
    src = tmp_path / "c.json"
    src.write_text(_croissant("https://choosealicense.com/licenses/apache-2.0/"))
    out = tmp_path / "m.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "provenance", "import", "croissant", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    s = _source(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert s["license"] == "Apache-2.0"
    assert "choosealicense.com" in s["evidence"][0]["description"]  # the raw string is kept


def test_croissant_licence_object_and_list(tmp_path: Path) -> None:
    src = tmp_path / "c.json"
    src.write_text(
        _croissant(
            [{"@id": "https://creativecommons.org/licenses/by-nc-sa/4.0/"}, "Apache License 2.0"]
        )
    )
    m = run_import("croissant", src, tmp_path / "m.yaml")
    assert _source(m)["license"] == "CC-BY-NC-SA-4.0 AND Apache-2.0"


def test_ambiguous_and_unknown_strings_are_kept_as_written(tmp_path: Path) -> None:
    src = tmp_path / "c.json"
    src.write_text(_croissant(["bsd", "see our website"]))
    s = _source(run_import("croissant", src, tmp_path / "m.yaml"))
    assert s["license"] == "bsd AND see our website"  # the audit flags both, nothing guessed
    assert "ambiguous" in s["evidence"][0]["description"]


def test_hf_card_other_with_license_name(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: other\nlicense_name: llama3\n---\n# x\n", encoding="utf-8")
    s = _source(run_import("hf-card", card, tmp_path / "m.yaml"))
    assert s["license"] == "LicenseRef-Llama-3-Community"


def test_dpi_paraphrase_is_read(tmp_path: Path) -> None:
    src = tmp_path / "d.json"
    rec = {
        "Dataset Name": "X",
        "Licenses": [{"License": "Attribution-NonCommercial 4.0 International"}],
    }
    src.write_text(json.dumps([rec]))
    assert _source(run_import("dpi", src, tmp_path / "m.yaml"))["license"] == "CC-BY-NC-4.0"
