"""Hugging Face dataset card (README.md with YAML front matter) → manifest datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from provenance.errors import BadInput, Problem


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def from_hf_card(text: str, path: Path, stage: str) -> list[dict[str, Any]]:
    """One dataset with one open-source source, from the card's front matter."""
    from provenance.importers import licence_evidence, normalise_licences, slug

    if not text.startswith("---"):
        raise BadInput(f"{path} has no YAML front matter (a dataset card starts with '---')")
    try:
        meta = yaml.safe_load(text.split("---", 2)[1]) or {}
    except yaml.YAMLError as exc:
        raise BadInput(
            f"{path}: front matter is not valid YAML", [Problem(str(path), "", str(exc))]
        ) from None
    name = str(meta.get("pretty_name") or path.parent.name or "dataset")
    ident = slug(name)
    # license: other + license_name is how the hub names a licence outside its list
    licences = _list(meta.get("license"))
    if licences == ["other"] and meta.get("license_name"):
        licences = _list(meta.get("license_name"))
    licence, note = normalise_licences(licences)
    upstream = [s.split("|", 1)[1] for s in _list(meta.get("source_datasets")) if "|" in s]
    globs: list[str] = []
    for config in meta.get("configs") or []:
        files = config.get("data_files") if isinstance(config, dict) else None
        for entry in files if isinstance(files, list) else [files] if files else []:
            p = entry.get("path") if isinstance(entry, dict) else entry
            globs += _list(p)
    source: dict[str, Any] = {
        "id": ident,
        "name": name,
        "source_type": "open_source",
        "origin": {
            "region": "foreign",
            "decided_by": "TODO: imported from a Hugging Face card; confirm origin and country",
        },
        "license": licence,
        "url": f"https://huggingface.co/datasets/{meta['repo_id']}"
        if meta.get("repo_id")
        else None,
        "upstream": upstream,
        "evidence": licence_evidence(note, "licence text of the dataset"),
        "files": [{"root": "data", "glob": g} for g in dict.fromkeys(globs)]
        or [{"root": "data", "glob": f"{ident}/**/*.parquet"}],
    }
    return [
        {
            "id": ident,
            "name": name,
            "stage": stage,
            "modality": "text",
            "languages": _list(meta.get("language")),
            "description": "; ".join(_list(meta.get("task_categories"))) or None,
            "sources": [{k: v for k, v in source.items() if v not in (None, [])}],
        }
    ]
