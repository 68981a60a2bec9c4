"""Compare two complete runs: what changed between two audits of a corpus."""

from __future__ import annotations

from typing import Any

from provenance.dossier.collect import complete_run
from provenance.store import Store


def _map(store: Store, sql: str, run_id: str) -> dict[Any, Any]:
    return {r[0]: r[1:] if len(r) > 2 else r[1] for r in store.query(sql, [run_id])[1]}


def diff_runs(store: Store, a: str, b: str, min_delta: float = 0.005) -> dict[str, Any]:
    """Sources added / removed, licence changes, PI and duplicate rates that moved, findings opened / closed."""
    complete_run(store, a)
    complete_run(store, b)
    src_sql = "SELECT source_id, coalesce(license_spdx, license_raw, ''), license_category FROM sources WHERE run_id = ?"
    sa, sb = _map(store, src_sql, a), _map(store, src_sql, b)
    pii_sql = """SELECT source_id || '/' || entity_type, records_with_hits::DOUBLE / greatest(records_scanned, 1)
                 FROM pii_summary WHERE run_id = ?"""
    pa_, pb = _map(store, pii_sql, a), _map(store, pii_sql, b)
    dup_sql = """SELECT subject_id || '/' || metric, value FROM stats WHERE run_id = ? AND scope = 'source'
                 AND metric IN ('exact_duplicate_rate', 'near_duplicate_rate')"""
    da, db = _map(store, dup_sql, a), _map(store, dup_sql, b)
    f_sql = "SELECT fingerprint, check_id, severity, message_en, message_zh FROM findings WHERE run_id = ?"
    fa, fb = _map(store, f_sql, a), _map(store, f_sql, b)

    def moved(x: dict[str, float], y: dict[str, float]) -> list[dict[str, Any]]:
        return [
            {"key": k, "before": x.get(k, 0.0), "after": y.get(k, 0.0)}
            for k in sorted(set(x) | set(y))
            if abs(y.get(k, 0.0) - x.get(k, 0.0)) >= min_delta
        ]

    def finding(fp: str, row: tuple[Any, ...]) -> dict[str, Any]:
        return {
            "fingerprint": fp,
            "check_id": row[0],
            "severity": row[1],
            "message_en": row[2],
            "message_zh": row[3],
        }

    return {
        "runs": [a, b],
        "sources_added": sorted(set(sb) - set(sa)),
        "sources_removed": sorted(set(sa) - set(sb)),
        "licence_changes": [
            {
                "source_id": s,
                "before": sa[s][0],
                "after": sb[s][0],
                "category_before": sa[s][1],
                "category_after": sb[s][1],
            }
            for s in sorted(set(sa) & set(sb))
            if sa[s] != sb[s]
        ],
        "pii_rates_moved": moved(pa_, pb),
        "duplicate_rates_moved": moved(da, db),
        "findings_opened": [finding(k, fb[k]) for k in sorted(set(fb) - set(fa))],
        "findings_closed": [finding(k, fa[k]) for k in sorted(set(fa) - set(fb))],
    }
