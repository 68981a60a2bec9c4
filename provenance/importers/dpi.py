"""Data Provenance Initiative summaries (JSON list of dataset records) → manifest datasets.

Fields read: "Unique Dataset Identifier", "Dataset Name", "Languages", "Licenses" (each with
"License"), "Derived from Datasets", "Model Generated" (→ synthetic source with its generator).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from provenance.errors import BadInput


def from_dpi(text: str, path: Path, stage: str) -> list[dict[str, Any]]:
    """One dataset per record, each with one source."""
    from provenance.importers import licence_evidence, normalise_licences, slug

    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BadInput(f"{path} is not JSON: {exc}") from None
    records = doc if isinstance(doc, list) else list(doc.values()) if isinstance(doc, dict) else []
    if not records or not all(isinstance(r, dict) for r in records):
        raise BadInput(f"{path}: expected a list (or mapping) of dataset records")
    out = []
    seen: set[str] = set()
    for i, r in enumerate(records):
        name = str(r.get("Dataset Name") or r.get("Unique Dataset Identifier") or f"dataset-{i}")
        ident = slug(str(r.get("Unique Dataset Identifier") or name))
        while ident in seen:
            ident += "-x"
        seen.add(ident)
        licences = [
            str(x.get("License"))
            for x in r.get("Licenses") or []
            if isinstance(x, dict) and x.get("License")
        ]
        generators = [str(g) for g in r.get("Model Generated") or [] if g]
        licence, note = normalise_licences(licences)
        source: dict[str, Any] = {
            "id": ident,
            "name": name,
            "source_type": "synthetic" if generators else "open_source",
            "origin": {
                "region": "foreign",
                "decided_by": "TODO: imported from Data Provenance Initiative; confirm",
            },
            "license": licence,
            "upstream": [slug(str(d)) for d in r.get("Derived from Datasets") or [] if d],
            "files": [{"root": "data", "glob": f"{ident}/**/*"}],
        }
        if generators:
            source["generator_model"] = {"name": generators[0]}
        else:
            source["evidence"] = licence_evidence(note)
        out.append(
            {
                "id": f"ds-{ident}",
                "name": name,
                "stage": stage,
                "modality": "text",
                "languages": [str(x) for x in r.get("Languages") or []],
                "sources": [{k: v for k, v in source.items() if v not in (None, [])}],
            }
        )
    return out
