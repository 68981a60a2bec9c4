"""The check phase of a run: every check, then the final ones, in one transaction.

The runner hands over a run whose shards are committed; this phase scopes the dossier to that
run (temporary views ``run_<table>``), runs the pipeline's checks in the order their ``after``
declarations require, writes their findings and rows as they come (so later checks and the
final assessment read them from the store, not from each other), and marks the run complete.
A crash anywhere rolls the whole phase back: the run stays resumable and earlier runs intact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from provenance.checks import CHECKS
from provenance.checks.base import BASE_TABLES, VIEW_PREFIX, Check, CheckContext, Mapper, in_turn
from provenance.errors import EXIT_BLOCKING, EXIT_OK
from provenance.findings import Finding, is_blocking
from provenance.manifest import LoadedManifest
from provenance.pipeline import Pipeline
from provenance.plan import Plan
from provenance.reduce.parts import scope_part_views, spec_from_config
from provenance.scanners import shard_tables
from provenance.store import Store


def run_tables(checks: Iterable[type[Check]]) -> tuple[str, ...]:
    """Tables written when a run commits: findings plus every check's ``writes``."""
    return ("findings", *sorted({o.table for c in checks for o in c.writes}))


def ordered(checks: list[Check]) -> list[Check]:
    """Pipeline order, except that a check runs after those it names in ``after``, after the
    checks writing a table it ``needs``, and the final checks run last."""
    writers: dict[str, set[str]] = {}  # several checks may write one table (stats)
    for c in checks:
        for o in c.writes:
            writers.setdefault(o.table, set()).add(c.name)
    before = {
        c.name: {*c.after, *(w for t in c.needs for w in writers.get(t, ()))} - {c.name}
        for c in checks
    }
    present = {c.name for c in checks}
    done: list[Check] = []
    pending = [c for c in checks if not c.final] + [c for c in checks if c.final]
    while pending:
        names = {d.name for d in done}
        ready = [c for c in pending if (before[c.name] & present) <= names]
        ready = [c for c in ready if not c.final or all(p.final for p in pending)]
        if not ready:
            raise AssertionError(f"checks wait on each other: {[c.name for c in pending]}")
        done.append(ready[0])
        pending.remove(ready[0])
    return done


@dataclass
class Conclusion:
    """What the check phase concluded."""

    findings: list[Finding] = field(default_factory=list)
    exit_code: int = EXIT_OK


def _arrow(con: Any, sql: str, params: list[Any], tables: dict[str, Any]) -> Any:
    """Run SQL; its result as a ``pyarrow.Table``. ``tables`` are Arrow tables the query
    reads as ``arg_<name>``, registered for this query only."""
    for name, table in tables.items():
        con.register(f"arg_{name}", table)
    try:
        return con.sql(sql, params=params).to_arrow_table()
    finally:
        for name in tables:
            con.unregister(f"arg_{name}")


def conclude(
    store: Store,
    run_id: str,
    lm: LoadedManifest,
    plan: Plan,
    pipe: Pipeline,
    mapper: Mapper = in_turn,
) -> Conclusion:
    """Run the pipeline's checks over the committed shards of ``run_id`` and commit the run,
    atomically. ``mapper`` runs a check's independent jobs (near-duplicate candidates of a
    partitioned run, one band partition each) where the executor runs work: in this process,
    or on the run's Dask cluster."""
    checks = pipe.checks
    written = run_tables(CHECKS.values())
    result = Conclusion()
    with store.transaction():
        store.clear_run(run_id, written)
        store.scope_views(run_id, (*BASE_TABLES, *shard_tables(), *written), VIEW_PREFIX)
        config = (store.run(run_id) or {}).get("config") or "{}"
        parts = spec_from_config(json.loads(config) if isinstance(config, str) else config)
        if parts is not None:  # per-record tables in Parquet parts beside the dossier
            scope_part_views(store.con, run_id, parts)
        ctx = CheckContext(
            lm=lm,
            plan=plan,
            pipeline_dir=pipe.path.parent,
            file_status=store.file_summary(run_id),
            severity_overrides=pipe.severity,
            run_id=run_id,
            run_sql=lambda sql, params: store.query(sql, params)[1],
            run_arrow=partial(_arrow, store.con),
            relation=store.con.view,
            insert_rows=lambda table, rows: store.insert(table, rows, run_id),
            pipeline_requirements=frozenset(r for c in checks for r in c.requirements),
            mapper=mapper,
        )
        for check in ordered(checks):
            out = check.run(ctx)
            first = len(result.findings) + 1
            store.insert(
                "findings",
                [f.as_row(run_id, i) for i, f in enumerate(out.findings, first)],
                run_id,
            )
            result.findings += out.findings
            for table, rows in out.tables.items():
                store.insert(table, rows, run_id)
        if any(is_blocking(f.severity, pipe.fail_on) for f in result.findings):
            result.exit_code = EXIT_BLOCKING
        store.complete_run(run_id, result.exit_code)
    return result
