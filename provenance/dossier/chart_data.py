"""The numbers behind the dossier's charts (issue 13 item 6), gathered from one complete run.

Each entry is plain JSON (it is exported in ``dossier.json`` beside the pictures), and each
answers a question an auditor asks: which languages (by characters, not bytes: UTF-8 Chinese
takes three bytes a character), which sources and web domains, how much is domestic, when it was
collected, how long the records are, and how much personal information and duplication each
source holds.
"""

from __future__ import annotations

from typing import Any

from provenance.scanners.stats import bin_upper
from provenance.store import Store

#: domains drawn one by one; the rest are summed as "other"
TOP_DOMAINS = 10


def _rows(store: Store, sql: str, run_id: str) -> list[tuple[Any, ...]]:
    return store.query(sql, [run_id] * sql.count("?"))[1]


def chart_data(store: Store, run_id: str) -> dict[str, Any]:
    """Every chart's numbers for ``run_id``."""
    languages = _rows(
        store,
        """SELECT key, value FROM stats WHERE run_id = ? AND scope = 'run' AND metric = 'characters'
           AND key <> '*' ORDER BY value DESC, key""",
        run_id,
    )
    origins = _rows(
        store,
        """SELECT subject_id, value FROM stats WHERE run_id = ? AND scope = 'origin'
           AND metric = 'characters' AND key = '*' ORDER BY value DESC, subject_id""",
        run_id,
    )
    sources = _rows(
        store,
        """SELECT source_id, characters, share_of_corpus FROM article19_sources WHERE run_id = ?
           ORDER BY characters DESC, source_id""",
        run_id,
    )
    domains = _rows(
        store,
        """SELECT key, sum(value) FROM stats WHERE run_id = ? AND scope = 'source'
           AND metric = 'domain_bytes' GROUP BY key ORDER BY 2 DESC, 1""",
        run_id,
    )
    spans = _rows(
        store,
        """SELECT s.source_id, s.collection_start::VARCHAR, s.collection_end::VARCHAR,
                  min(t.key) FILTER (WHERE t.metric = 'collected_min'),
                  max(t.key) FILTER (WHERE t.metric = 'collected_max')
           FROM sources s LEFT JOIN stats t ON t.run_id = s.run_id AND t.scope = 'source'
                AND t.subject_id = s.source_id AND t.metric IN ('collected_min', 'collected_max')
           WHERE s.run_id = ? GROUP BY ALL ORDER BY s.source_id""",
        run_id,
    )
    lengths = _rows(
        store,
        """SELECT key::INTEGER, sum(value) FROM stat_parts WHERE run_id = ? AND metric = 'length_bin'
           GROUP BY 1 ORDER BY 1""",
        run_id,
    )
    pi = _rows(
        store,
        """SELECT source_id,
                  coalesce(max(rate) FILTER (WHERE entity_type NOT IN ('PERSON', 'LOCATION')), 0),
                  max(rate) FILTER (WHERE entity_type = 'PERSON')
           FROM pii_summary WHERE run_id = ? GROUP BY 1 ORDER BY 1""",
        run_id,
    )
    dups = _rows(
        store,
        """SELECT subject_id,
                  max(value) FILTER (WHERE metric = 'exact_duplicate_rate'),
                  max(value) FILTER (WHERE metric = 'near_duplicate_rate')
           FROM stats WHERE run_id = ? AND scope = 'source'
                AND metric IN ('exact_duplicate_rate', 'near_duplicate_rate')
           GROUP BY 1 ORDER BY 1""",
        run_id,
    )
    top, rest = domains[:TOP_DOMAINS], sum(float(v) for _, v in domains[TOP_DOMAINS:])
    return {
        "languages": [{"language": k, "characters": int(v)} for k, v in languages],
        "origins": [{"origin": k, "characters": int(v)} for k, v in origins],
        "sources": [
            {"source_id": s, "characters": int(c or 0), "share": sh} for s, c, sh in sources
        ],
        "domains": [{"domain": k, "bytes": int(v)} for k, v in top]
        + ([{"domain": "*", "bytes": int(rest)}] if rest else []),
        "collection": [
            {"source_id": s, "declared": [a, b], "observed": [c, d]}
            for s, a, b, c, d in spans
            if a or c
        ],
        "lengths": [{"up_to": round(bin_upper(b)), "records": int(n)} for b, n in lengths],
        "personal_information": [{"source_id": s, "identifiers": a, "names": b} for s, a, b in pi],
        "duplicates": [{"source_id": s, "exact": a, "near": b} for s, a, b in dups],
    }
