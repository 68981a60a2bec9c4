"""Gather one complete run's dossier facts from DuckDB into plain, JSON-ready data.

Everything here comes from tables and views that hold no raw personal information (masked
forms and keyed hashes only), so what is collected can be exported as it is.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from provenance.dossier.chart_data import chart_data
from provenance.dossier.eu import eu_summary
from provenance.errors import BadInput
from provenance.store import Store


def rows(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Query results as dicts, JSON columns decoded."""
    cols, data = store.query(sql, params)
    out = []
    for r in data:
        d = dict(zip(cols, r, strict=True))
        for k, v in d.items():
            if (
                isinstance(v, str)
                and v[:1] in "[{"
                and k in ("evidence", "key_figures", "findings", "content", "config")
            ):
                with contextlib.suppress(ValueError):
                    d[k] = json.loads(v)
        out.append(d)
    return out


def complete_run(store: Store, run_id: str) -> dict[str, Any]:
    """The run row; a run that is not complete cannot be exported."""
    run = store.run(run_id)
    if run is None:
        raise BadInput(
            f"no run {run_id!r} in {store.path}; `provenance runs --db {store.path}` lists them"
        )
    if run["status"] != "complete":
        raise BadInput(
            f"run {run_id} is {run['status']}, not complete: only complete runs are exported or sampled"
        )
    return run


def collect(store: Store, run_id: str) -> dict[str, Any]:
    """Every section of the dossier for one complete run."""
    run = complete_run(store, run_id)
    p = [run_id]
    data: dict[str, Any] = {
        "run": {k: (str(v) if k.endswith("_at") and v is not None else v) for k, v in run.items()},
        "article7": rows(store, "SELECT * EXCLUDE (run_id) FROM article7 WHERE run_id = ?", p),
        "article19": rows(
            store, "SELECT topic, topic_zh, content FROM article19 WHERE run_id = ?", p
        ),
        "filing_figures": rows(
            store, "SELECT * EXCLUDE (run_id) FROM filing_figures WHERE run_id = ?", p
        ),
        "tc260": rows(
            store, "SELECT * EXCLUDE (run_id) FROM tc260_self_assessment WHERE run_id = ?", p
        ),
        "findings": rows(
            store,
            """SELECT finding_id, fingerprint, check_id, code, article, severity, subject_kind,
                                          subject_id, message_en, message_zh, evidence
                                   FROM findings WHERE run_id = ? ORDER BY finding_id""",
            p,
        ),
        "datasets": rows(store, "SELECT * EXCLUDE (run_id) FROM datasets WHERE run_id = ?", p),
        "sources": rows(
            store,
            """SELECT s.* EXCLUDE (run_id), l.effective_category, l.commercial_use
                                  FROM sources s LEFT JOIN source_licenses l USING (run_id, source_id)
                                  WHERE s.run_id = ? ORDER BY s.dataset_id, s.source_id""",
            p,
        ),
        "models": rows(store, "SELECT * EXCLUDE (run_id) FROM models WHERE run_id = ?", p),
        "source_scale": rows(
            store, "SELECT * EXCLUDE (run_id) FROM source_scale WHERE run_id = ?", p
        ),
        "pii_summary": rows(
            store, "SELECT * EXCLUDE (run_id) FROM pii_summary WHERE run_id = ? ORDER BY ALL", p
        ),
        "evidence": rows(
            store, "SELECT * EXCLUDE (run_id) FROM evidence WHERE run_id = ? ORDER BY ALL", p
        ),
        "diversity": rows(
            store,
            """SELECT metric, key, value FROM stats WHERE run_id = ? AND scope = 'run'
                                    AND metric IN ('entropy', 'effective_number', 'hhi', 'categories',
                                                   'exact_duplicate_rate', 'near_duplicate_rate',
                                                   'foreign_open_source_share') ORDER BY ALL""",
            p,
        ),
    }
    # topic -> content: the view's rows keyed by topic (JSON decoded)
    data["article19"] = {
        t["topic"]: json.loads(t["content"]) if isinstance(t["content"], str) else t["content"]
        for t in data["article19"]
    }
    data["charts"] = chart_data(store, run_id)
    data["pii_coverage"] = pii_coverage(run)
    data["eu_summary"] = eu_summary(store, run_id, data)
    return data


def pii_coverage(run: dict[str, Any]) -> dict[str, Any] | None:
    """Which entity types were looked for in every record, on a sample, or not at all (from
    the run's recorded scanner settings); None when personal information was not scanned."""
    from provenance.pii.classify import ENTITY_ZH
    from provenance.pii.ner import NER_ENTITIES

    config = run.get("config") or {}
    if isinstance(config, str):
        config = json.loads(config)
    settings = (config.get("scanners") or {}).get("personal_information")
    if settings is None:
        return None
    mode = settings.get("names", "off")  # runs before names existed looked for none
    return {
        "full": [t for t in ENTITY_ZH if t not in NER_ENTITIES],
        "ner": list(NER_ENTITIES),
        "ner_mode": mode,
        "sample_size": settings.get("sample_size"),
        "seed": settings.get("seed"),
    }
