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


def normalise_licences(raw: list[str]) -> tuple[str | None, str]:
    """The manifest ``license`` for licence strings a catalogue gives, and a note for the draft.

    Each string goes through the same normaliser the audit uses
    (:func:`provenance.licenses.classify`): one it identifies is written as its SPDX id
    (``https://choosealicense.com/licenses/apache-2.0/`` → ``Apache-2.0``); an ambiguous or
    unknown one is kept as written, so the audit flags it. Several strings are joined by AND.
    """
    from provenance.licenses import classify

    parts: list[str] = []
    notes: list[str] = []
    for text in dict.fromkeys(r.strip() for r in raw if r and r.strip()):
        v = classify(text)
        if v.outcome == "matched" and v.spdx:
            parts.append(f"({v.spdx})" if " " in v.spdx else v.spdx)
            if v.spdx != text:
                notes.append(f"'{text}' read as {v.spdx} ({v.rule})")
        else:
            parts.append(text)
            notes.append(f"'{text}' is {v.outcome}: {v.reason}")
    return (" AND ".join(parts) or None), "; ".join(notes)


def licence_evidence(note: str, what: str = "licence text") -> list[dict[str, str]]:
    """The evidence stub of an imported source, saying how its licence string was read."""
    desc = f"{what}; metadata: {note}" if note else what
    return [{"kind": "license", "path": "TODO/LICENSE", "description": desc[:500]}]


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
