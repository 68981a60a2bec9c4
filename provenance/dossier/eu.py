"""EU AI Act Art. 53(1)(d): the public summary of training content (AI Office template, 2025).

Built from the same run (EU-01…EU-08 in REGULATION.md): general information, size bins per
modality, data sources by template category, the top 10% of crawled domains by size, and the
measures for text-and-data-mining opt-outs and illegal content. Where the run has no evidence,
the field says so rather than guessing.
"""

from __future__ import annotations

import math
from typing import Any

from provenance.store import Store

CATEGORY = {
    "open_source": "2.1 publicly available datasets",
    "public_data": "2.1 publicly available datasets",
    "commercial": "2.2.1 datasets commercially licensed from rightsholders",
    "other": "2.2.2 other private third-party datasets",
    "self_collected": "2.3 data crawled and scraped from online sources",
    "user_input": "2.4 user data",
    "synthetic": "2.5 synthetic data",
}


def text_bin(tokens: float) -> str:
    """Template size bin for text (tokens)."""
    if tokens < 1e9:
        return "less than 1 billion tokens"
    if tokens <= 1e13:
        return "1 billion to 10 trillion tokens"
    return "more than 10 trillion tokens"


def eu_summary(store: Store, run_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The summary as a JSON-ready dict."""
    run = data["run"]
    _, tok = store.query(
        "SELECT value FROM stats WHERE run_id = ? AND scope = 'run' AND metric = 'tokens_est' AND key = '*'",
        [run_id],
    )
    tokens = float(tok[0][0]) if tok else 0.0
    _, last = store.query(
        "SELECT max(key) FROM stats WHERE run_id = ? AND scope = 'source' AND metric = 'collected_max'",
        [run_id],
    )
    by_category: dict[str, list[str]] = {}
    for s in data["sources"]:
        by_category.setdefault(CATEGORY.get(s["source_type"], CATEGORY["other"]), []).append(
            s["source_id"]
        )
    _, dom = store.query(
        """SELECT t.key, sum(t.value) FROM stats t JOIN sources s ON s.run_id = t.run_id AND s.source_id = t.subject_id
           WHERE t.run_id = ? AND t.scope = 'source' AND t.metric = 'domain_bytes' AND s.source_type = 'self_collected'
           GROUP BY 1 ORDER BY 2 DESC, 1""",
        [run_id],
    )
    top = dom[: max(1, math.ceil(len(dom) * 0.10))] if dom else []
    _, robots = store.query(
        "SELECT verdict, count(*) FROM crawl_checks WHERE run_id = ? GROUP BY 1 ORDER BY 1",
        [run_id],
    )
    checks = (run.get("config") or {}).get("checks", {})
    return {
        "1_general_information": {
            "provider": run.get("provider"),
            "models": [{"name": m["name"], "version": m["version"]} for m in data["models"]],
            "service": run.get("service"),
            "version": run["run_id"],
            "last_update": run.get("finished_at"),
            "modalities": {"text": {"size_bin": text_bin(tokens), "tokens_est": round(tokens)}},
            "latest_collection": last[0][0] if last and last[0][0] else "not recorded",
            "languages": sorted(
                {lang for d in data["datasets"] for lang in (d.get("languages") or [])}
            ),
        },
        "2_data_sources": by_category,
        "2_3_crawled_domains_top_10_percent": [{"domain": d, "bytes": int(b)} for d, b in top],
        "3_1_tdm_opt_out": {
            "robots_txt": "every collected URL re-checked against the archived robots.txt of its host (RFC 9309, protego)",
            "verdicts": dict(robots),
        },
        "3_2_illegal_content": {
            "deny_list_checked": "deny_list" in checks,
            "deny_list_findings": sum(1 for f in data["findings"] if f["check_id"] == "SRC-04"),
            "keyword_and_classifier_filtering": "not recorded in this audit",
        },
    }
