"""The manifest (and the plan's files) as rows of the dossier's datasets, sources, models and files."""

from __future__ import annotations

import json
import os
from typing import Any

from provenance.manifest.loader import LoadedManifest
from provenance.plan import Plan


def manifest_rows(lm: LoadedManifest, plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """Rows for datasets, sources, models and planned files."""
    m = lm.manifest
    datasets = [
        {
            "dataset_id": d.id,
            "name": d.name,
            "stage": d.stage,
            "modality": d.modality,
            "languages": d.languages,
            "description": d.description,
        }
        for d in m.datasets
    ]
    sources = [
        {
            "source_id": s.id,
            "dataset_id": d.id,
            "name": s.name,
            "source_type": s.source_type,
            "origin": s.origin.region,
            "country": s.origin.country,
            "url": s.url,
            "content_type": s.content_type,
            "crawler": s.collection.crawler if s.collection else None,
            "counterparty": s.contract.counterparty if s.contract else None,
            "license_raw": s.license,
            "legal_basis": s.legal_basis,
            "collection_start": s.collection_period.start if s.collection_period else None,
            "collection_end": s.collection_period.end if s.collection_period else None,
            "upstream": s.upstream,
            "generator_model": " ".join(
                filter(None, [s.generator_model.name, s.generator_model.version])
            )
            if s.generator_model
            else None,
            "is_pointer_dataset": s.is_pointer_dataset,
        }
        for d, s in m.sources()
    ]
    models = [
        {
            "model_id": x.id,
            "name": x.name,
            "version": x.version,
            "provider": x.provider,
            "third_party": x.third_party,
            "license": x.license,
            "source_url": x.source_url,
            "filing_number": x.filing_number,
        }
        for x in m.foundation_models
    ]
    files = [
        {
            "file_id": f.file_id,
            "source_id": f.source_id,
            "dataset_id": f.dataset_id,
            "root_id": f.root_id,
            "path": f.relpath,
            "format": f.format,
            "compression": f.compression,
            "bytes": f.bytes,
            "mtime_ns": f.mtime_ns,
            "status": "error" if f.error else "planned",
            "error": f.error,
        }
        for f in plan.files
    ]
    unclaimed = [
        {"root_id": rid, "path": rel, "bytes": _size(lm.roots.get(rid), rel)}
        for rid, rel in plan.orphans
    ]
    return {
        "datasets": datasets,
        "sources": sources,
        "models": models,
        "files": files,
        "unclaimed_files": unclaimed,
    }


def _size(root: Any, rel: str) -> int | None:
    """Bytes of an unclaimed file (None when it cannot be read: it is still listed)."""
    if root is None:
        return None
    try:
        return os.lstat(os.path.join(root, rel)).st_size
    except OSError:
        return None


def declared(lm: LoadedManifest) -> str:
    """``runs.declared``: manifest facts no other table holds (provider, service, EU fields)."""
    m = lm.manifest
    return json.dumps(
        {
            "provider": m.provider.model_dump(mode="json"),
            "service": m.service.model_dump(mode="json", exclude={"algorithm_description"}),
            "eu_summary": m.eu_summary.model_dump(mode="json") if m.eu_summary else None,
            "content_filtering": m.content_filtering.model_dump(mode="json")
            if m.content_filtering
            else None,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def algorithm_texts(lm: LoadedManifest) -> dict[str, str | None]:
    """The declared algorithm description as run columns: a plain text (language not said) goes
    in ``algorithm_description``; a bilingual one in that column (English) and ``…_zh``."""
    text = lm.manifest.service.algorithm_description
    if text is None or isinstance(text, str):
        return {"algorithm_description": text, "algorithm_description_zh": None}
    return {"algorithm_description": text.en, "algorithm_description_zh": text.zh}
