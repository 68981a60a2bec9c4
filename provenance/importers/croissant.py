"""Croissant (MLCommons JSON-LD dataset metadata) → manifest datasets."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from provenance.errors import BadInput


def _values(node: Any) -> list[Any]:
    return node if isinstance(node, list) else [node] if node is not None else []


def _text(node: Any) -> str | None:
    if isinstance(node, dict):
        return node.get("@id") or node.get("url") or node.get("name")
    return str(node) if node is not None else None


def from_croissant(text: str, path: Path, stage: str) -> list[dict[str, Any]]:
    """One dataset; its FileSets and FileObjects become file globs under the data root."""
    from provenance.importers import licence_evidence, normalise_licences, slug

    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BadInput(f"{path} is not JSON: {exc}") from None
    if not isinstance(doc, dict) or "name" not in doc:
        raise BadInput(f"{path} is not a Croissant dataset (no top-level 'name')")
    ident = slug(str(doc["name"]))
    licences = [t for t in (_text(x) for x in _values(doc.get("license"))) if t]
    globs: list[str] = []
    for d in _values(doc.get("distribution")):
        if not isinstance(d, dict):
            continue
        kind = str(d.get("@type", ""))
        if kind.endswith("FileSet") and d.get("includes"):
            globs += [str(g) for g in _values(d["includes"])]
        elif kind.endswith("FileObject") and d.get("contentUrl"):
            name = PurePosixPath(urlsplit(str(d["contentUrl"])).path).name
            if name and not name.endswith((".zip", ".tar", ".gz", ".tgz")):
                globs.append(name)
    upstream = [t for t in (_text(x) for x in _values(doc.get("isBasedOn"))) if t]
    licence, note = normalise_licences(licences)
    source: dict[str, Any] = {
        "id": ident,
        "name": str(doc["name"]),
        "source_type": "open_source",
        "origin": {
            "region": "foreign",
            "decided_by": "TODO: imported from Croissant metadata; confirm",
        },
        "license": licence,
        "url": _text(doc.get("url")),
        "upstream": upstream,
        "evidence": licence_evidence(note),
        "files": [{"root": "data", "glob": f"{ident}/{g}"} for g in dict.fromkeys(globs)]
        or [{"root": "data", "glob": f"{ident}/**/*"}],
    }
    return [
        {
            "id": ident,
            "name": str(doc["name"]),
            "stage": stage,
            "modality": "text",
            "languages": [str(x) for x in _values(doc.get("inLanguage"))],
            "description": (str(doc["description"])[:500] if doc.get("description") else None),
            "sources": [{k: v for k, v in source.items() if v not in (None, [])}],
        }
    ]
