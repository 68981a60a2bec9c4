"""Scale (Art. 19 "scale, types"): the ``corpus_stats`` sums reduced into ``stats``.

Additive metrics are one ``INSERT … SELECT`` at every scope the filing form and the dossier ask
for (source, dataset, language, modality, source type, origin, source type × origin, run), per
language and over all languages (key ``*``). What is not a sum — length quantiles from the
histogram, the collection-time range, the 50 largest domains — is computed from the same parts.
Part of the ``diversity`` check, which reads the per-source sums back for its measures.
"""

from __future__ import annotations

from collections import defaultdict

from provenance.checks.base import CheckContext
from provenance.measures import quantile

#: the corpus_stats metrics that add up across shards, files and sources
ADDITIVE = (
    "records",
    "bytes",
    "characters",
    "tokens_est",
    "tokens",
    "tokens_counted_records",
    "tokens_counted_characters",
    "tokens_counted",
    "tokens_var",
    "empty",
    "very_short",
    "garbled",
)

SCOPES_SQL = """
INSERT INTO stats BY NAME
WITH p AS (
    SELECT source_id, language, metric, sum(value) AS value FROM run_stat_parts
    WHERE list_contains(?, metric) GROUP BY ALL),
m AS (
    SELECT p.*, s.dataset_id, d.modality, s.source_type, s.origin FROM p
    JOIN run_sources s USING (source_id) JOIN run_datasets d ON d.dataset_id = s.dataset_id),
scoped AS (
    SELECT 'source' AS scope, source_id AS subject_id, language, metric, value FROM m
    UNION ALL SELECT 'run', 'corpus', language, metric, value FROM m
    UNION ALL SELECT 'language', language, language, metric, value FROM m
    UNION ALL SELECT 'dataset', dataset_id, language, metric, value FROM m
    UNION ALL SELECT 'modality', modality, language, metric, value FROM m
    UNION ALL SELECT 'source_type', source_type, language, metric, value FROM m
    UNION ALL SELECT 'origin', origin, language, metric, value FROM m
    UNION ALL SELECT 'source_type_origin', source_type || '/' || origin, language, metric, value
    FROM m)
SELECT getvariable('provenance_run') AS run_id, scope, subject_id, metric,
       coalesce(language, '*') AS key, sum(value) AS value
FROM scoped GROUP BY GROUPING SETS ((scope, subject_id, metric, language), (scope, subject_id, metric))
"""
PER_SOURCE_SQL = """SELECT subject_id, key, metric, value FROM run_stats
                    WHERE scope = 'source' AND key <> '*' AND list_contains(?, metric)"""
PARTS_SQL = """SELECT source_id, metric, key, sum(value), min(value), max(value),
                      arg_min(key, value), arg_max(key, value)
               FROM run_stat_parts WHERE NOT list_contains(?, metric) GROUP BY ALL"""

#: source → language → metric → value
PerSource = dict[str, dict[str, dict[str, float]]]


def reduce_scale(ctx: CheckContext) -> tuple[PerSource, dict[str, dict[str, float]]]:
    """Write the scale rows of ``stats``; return the per-source sums and domain bytes."""
    ctx.execute(SCOPES_SQL, [list(ADDITIVE)])
    per: PerSource = defaultdict(lambda: defaultdict(dict))
    for sid, lang, metric, value in ctx.sql(PER_SOURCE_SQL, [list(ADDITIVE)]):
        per[sid][lang][metric] = value
    hist: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    domains: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    times: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for sid, metric, key, total, lo, hi, key_lo, key_hi in ctx.sql(PARTS_SQL, [list(ADDITIVE)]):
        if metric == "length_bin":
            hist[sid][int(key)] += total
        elif metric == "domain_bytes":
            domains[sid][key] += total
        elif metric == "collected_min":
            times[sid].append((lo, key_lo))
        elif metric == "collected_max":
            times[sid].append((hi, key_hi))
    for sid, h in hist.items():
        for q in (0.5, 0.9, 0.99):
            _row(ctx, sid, f"length_p{round(q * 100)}", "*", quantile(h, q))
    for sid, ts in times.items():
        _row(ctx, sid, "collected_min", min(ts)[1], min(ts)[0])
        _row(ctx, sid, "collected_max", max(ts)[1], max(ts)[0])
    for sid, d in domains.items():
        for host, v in sorted(d.items(), key=lambda kv: -kv[1])[:50]:
            _row(ctx, sid, "domain_bytes", host, v)
    return per, domains


def _row(ctx: CheckContext, sid: str, metric: str, key: str, value: float) -> None:
    ctx.row("stats", scope="source", subject_id=sid, metric=metric, key=key, value=value)
