"""Importers: draft a manifest from metadata others already publish.

Hugging Face dataset cards (YAML front matter of README.md), Croissant JSON-LD, and Data
Provenance Initiative summaries. A draft is a starting point: what the metadata cannot say
(provider, intended use, evidence documents, collection records) is marked ``TODO`` for a
person to fill, and ``provenance validate`` then checks the result.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from provenance.errors import BadInput

IMPORTERS = ("hf-card", "croissant", "dpi")


def slug(text: str) -> str:
    """A manifest id from free text."""
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._")
    return (s or "dataset")[:100]


def skeleton(
    datasets: list[dict[str, Any]], provider: str | None, service: str | None, intended_use: str
) -> dict[str, Any]:
    """A manifest around imported datasets, with TODOs for what metadata never says."""
    return {
        "manifest_version": 1,
        "provider": {"name": provider or "TODO: provider name"},
        "service": {
            "name": service or "TODO: service name",
            "intended_use": intended_use,
            "region": "CN",
        },
        "data_roots": [{"id": "data", "path": "data"}],
        "foundation_models": [],
        "datasets": datasets,
    }


def write_manifest(manifest: dict[str, Any], out: Path, origin: str) -> None:
    """Write the draft with a header saying where it came from."""
    header = (
        f"# Drafted by `provenance import` from {origin}.\n"
        "# Review every field and every TODO, add evidence documents, then run `provenance validate`.\n"
    )
    out.write_text(
        header + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def run_import(
    kind: str,
    path: Path,
    out: Path,
    provider: str | None = None,
    service: str | None = None,
    intended_use: str = "public_service",
    stage: str = "pretraining",
) -> dict[str, Any]:
    """Import ``path`` of the given kind and write the manifest draft to ``out``."""
    from provenance.importers.croissant import from_croissant
    from provenance.importers.dpi import from_dpi
    from provenance.importers.hf_card import from_hf_card

    readers = {"hf-card": from_hf_card, "croissant": from_croissant, "dpi": from_dpi}
    if kind not in readers:
        raise BadInput(f"unknown importer {kind!r}; known importers: {', '.join(IMPORTERS)}")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from None
    datasets = readers[kind](text, path, stage)
    manifest = skeleton(datasets, provider, service, intended_use)
    write_manifest(manifest, out, f"{kind} {path.name}")
    return manifest
