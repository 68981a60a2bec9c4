"""EU AI Act Art. 53(1)(d): the public summary of training content, every section of the AI
Office's template (July 2025) in its order (EU-01…EU-08 in REGULATION.md).

Filled from the run (sources, scale, crawl checks, keyword counts, findings) and from the
manifest facts the run recorded (``runs.declared``: provider, ``eu_summary``, content
filtering). A field the manifest has no value for says ``"not provided"``; a measure the audit
did not record says ``"not recorded"`` — never a guess. The JSON validates against
``schemas/eu_summary.schema.json`` (a test).
"""

from __future__ import annotations

import json
import math
from typing import Any

from provenance.checks.eu import EuSettings, large_public
from provenance.store import Store

NOT_PROVIDED = "not provided"
NOT_RECORDED = "not recorded"
TEMPLATE = "AI Office, Template for the Public Summary of Training Content for GPAI models (2025)"
PUBLIC = ("open_source", "public_data")
#: template §2 subsections by source type
SECTION = {
    "open_source": "2_1",
    "public_data": "2_1",
    "commercial": "2_2_1",
    "other": "2_2_2",
    "self_collected": "2_3",
    "user_input": "2_4",
    "synthetic": "2_5",
}
ROBOTS = (
    "every collected URL re-checked against the archived robots.txt of its host "
    "(RFC 9309, protego), for the crawler's user agent"
)
NO_CRAWL = "no crawled sources"


def text_bin(tokens: float) -> str:
    """Template size bin for text (tokens)."""
    if tokens < 1e9:
        return "less than 1 billion tokens"
    if tokens <= 1e13:
        return "1 billion to 10 trillion tokens"
    return "more than 10 trillion tokens"


def _or(value: Any, missing: str = NOT_PROVIDED) -> Any:
    return missing if value in (None, "", []) else value


def _query(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cols, rows = store.query(sql, params)
    return [dict(zip(cols, r, strict=True)) for r in rows]


def _general(
    run: dict[str, Any],
    declared: dict[str, Any],
    sources: list[dict[str, Any]],
    languages: list[str],
) -> dict[str, Any]:
    eu = declared.get("eu_summary") or {}
    provider = declared.get("provider") or {"name": run.get("provider")}
    rep = eu.get("authorised_representative")
    modalities: dict[str, Any] = {}
    for s in sources:
        m = modalities.setdefault(s["modality"], {"tokens": 0, "records": 0})
        m["tokens"] += int(s["tokens"] or 0)
        m["records"] += int(s["records"] or 0)
    for name, m in modalities.items():
        m["size_bin"] = text_bin(m["tokens"]) if name in ("text", "code") else NOT_RECORDED
    ends = [str(s["collection_end"]) for s in sources if s["collection_end"]]
    name = " ".join(filter(None, [eu.get("model_name"), eu.get("model_version")]))
    return {
        "1_1_provider": {
            "name": provider.get("name"),
            "contact": _or(provider.get("contact")),
            "authorised_representative": rep if rep else NOT_PROVIDED,
        },
        "1_2_model": {
            "versioned_model_name": _or(name),
            "model_dependencies": _or(eu.get("model_dependencies")),
            "market_date": _or(eu.get("market_date")),
        },
        "1_3_modalities_and_size": {
            "modalities": modalities,
            "content_types": sorted({s["content_type"] or "not declared" for s in sources}),
            "latest_collection": max(ends) if ends else NOT_RECORDED,
            "continuous_training": _or(eu.get("continuous_training")),
            "languages": languages,
        },
    }


def _entry(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "source_id": s["source_id"],
        "name": s["name"] or s["source_id"],
        "url": s["url"],
        "modality": s["modality"],
        "content_type": s["content_type"] or "not declared",
    }


def _sources(
    store: Store, run_id: str, sources: list[dict[str, Any]], declared: dict[str, Any], cut: float
) -> dict[str, Any]:
    by: dict[str, list[dict[str, Any]]] = {}
    for s in sources:
        by.setdefault(SECTION.get(s["source_type"], "2_2_2"), []).append(s)

    def part(key: str) -> dict[str, Any]:
        group = by.get(key, [])
        return {
            "used": bool(group),
            "modalities": sorted({s["modality"] for s in group}),
            "datasets": [_entry(s) for s in group],
        }

    shares = large_public(  # the rule the eu_summary check applies (EU-04)
        [
            (s["source_id"], s["name"], s["url"], s["modality"], s["tokens"] or 0,
             s["source_type"] in PUBLIC)
            for s in sources
        ]
    )  # fmt: skip
    large = [
        {"source_id": sid, "name": name or sid, "url": url, "modality": mod, "share": round(sh, 4)}
        for sid, name, url, mod, sh in shares
        if sh > cut
    ]
    crawled = by.get("2_3", [])
    starts = [str(s["collection_start"]) for s in crawled if s["collection_start"]]
    ends = [str(s["collection_end"]) for s in crawled if s["collection_end"]]
    eu = declared.get("eu_summary") or {}
    domains = _query(
        store,
        """SELECT t.key AS domain, sum(t.value)::BIGINT AS bytes FROM stats t
           JOIN sources s ON s.run_id = t.run_id AND s.source_id = t.subject_id
           WHERE t.run_id = ? AND t.scope = 'source' AND t.metric = 'domain_bytes'
             AND s.source_type = 'self_collected' GROUP BY 1 ORDER BY 2 DESC, 1""",
        [run_id],
    )
    generators = sorted({s["generator_model"] for s in by.get("2_5", []) if s["generator_model"]})
    return {
        "2_1_publicly_available_datasets": {
            **part("2_1"),
            "large_datasets": large,
            "large_cut_off_share": cut,
        },
        "2_2_1_commercially_licensed": part("2_2_1"),
        "2_2_2_other_private_third_party": part("2_2_2"),
        "2_3_crawled_and_scraped": {
            **part("2_3"),
            "crawlers": sorted({s["crawler"] for s in crawled if s["crawler"]}),
            "purposes": _or(eu.get("crawler_purposes")) if crawled else NO_CRAWL,
            "behaviour": ROBOTS if crawled else NO_CRAWL,
            "collection_period": {"start": min(starts), "end": max(ends)}
            if starts and ends
            else NOT_RECORDED,
            "top_domains": domains[: max(1, math.ceil(len(domains) * 0.10))] if domains else [],
        },
        "2_4_user_data": part("2_4"),
        "2_5_synthetic_data": {**part("2_5"), "generator_models": generators},
        "2_6_other_sources": {"description": _or(eu.get("other_sources"))},
    }


def _processing(
    store: Store, run_id: str, data: dict[str, Any], declared: dict[str, Any]
) -> dict[str, Any]:
    robots = dict(store.query(
        "SELECT verdict, count(*) FROM crawl_checks WHERE run_id = ? GROUP BY 1 ORDER BY 1",
        [run_id],
    )[1])  # fmt: skip
    _, kw = store.query(
        "SELECT sum(records_checked) FROM keyword_counts WHERE run_id = ? AND risk = '*'", [run_id]
    )
    checked = int(kw[0][0]) if kw and kw[0][0] is not None else None
    cf = declared.get("content_filtering") or {}
    classifier = cf.get("classifier")
    checks = (data["run"].get("config") or {}).get("checks", {})
    return {
        "3_1_tdm_opt_out": {"measures": ROBOTS, "robots_verdicts": robots}
        if robots
        else {"measures": NO_CRAWL, "robots_verdicts": {}},
        "3_2_illegal_content": {
            "deny_list_checked": "deny_list" in checks,
            "deny_list_findings": sum(1 for f in data["findings"] if f["check_id"] == "SRC-04"),
            "keyword_filtering": {
                "records_checked": checked if checked is not None else NOT_RECORDED,
                "keyword_library_declared": bool(cf.get("keyword_library")),
            },
            "classifier": {"name": classifier.get("name"), "version": classifier.get("version")}
            if classifier
            else NOT_PROVIDED,
        },
        "3_3_other_information": _or((declared.get("eu_summary") or {}).get("other_information")),
    }


def eu_summary(store: Store, run_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The summary as a JSON-ready dict, sections in the template's order."""
    run = data["run"]
    declared = run.get("declared") or {}
    if isinstance(declared, str):
        declared = json.loads(declared)
    sources = _query(
        store, "SELECT * EXCLUDE (run_id) FROM article19_sources WHERE run_id = ?", [run_id]
    )
    config = run.get("config") or {}
    cut = float(
        (config.get("checks", {}).get("eu_summary") or {}).get("large_share")
        or EuSettings.model_validate({}).large_share
    )
    languages = sorted({lg for d in data["datasets"] for lg in (d.get("languages") or [])})
    return {
        "template": TEMPLATE,
        "summary_version": run["run_id"],
        "last_update": run.get("finished_at"),
        "1_general_information": _general(run, declared, sources, languages),
        "2_list_of_data_sources": _sources(store, run_id, sources, declared, cut),
        "3_data_processing": _processing(store, run_id, data, declared),
    }
