"""Commands that audit and query: audit, validate, runs, sql, schema, pipelines, version."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from provenance import __version__
from provenance.cli.app import DbOption, app, err, fail, out
from provenance.errors import EXIT_INTERRUPTED, BadInput, ProvenanceError, RunInterrupted
from provenance.store import Store
from provenance.terminal import cell, styled

AllowRootOption = Annotated[
    # str, not Path: a Path would fold s3://bucket into s3:/bucket
    list[str] | None,
    typer.Option(
        "--allow-root",
        help="A folder outside the manifest's folder that data roots and evidence may lie in, "
        "or a URL (s3://bucket/prefix) that object-store data roots may lie under "
        "(repeatable; /proc, /sys and /dev never).",
    ),
]


@app.command()
def audit(
    manifest: Annotated[Path, typer.Argument(help="Manifest (YAML or JSON).")],
    db: Annotated[
        Path, typer.Option("--db", help="Dossier file to write (created if absent).")
    ] = Path("provenance.duckdb"),
    pipeline: Annotated[
        str | None, typer.Option(help="Bundled pipeline name or a .toml file.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: CPU count, max 8).")
    ] = None,
    executor: Annotated[
        str, typer.Option(help="Executor: local (process pool) or dask.")
    ] = "local",
    dask_scheduler: Annotated[
        str | None,
        typer.Option(
            envvar="PROVENANCE_DASK_SCHEDULER",
            help="Dask scheduler address; default: a LocalCluster of --workers processes.",
        ),
    ] = None,
    resume: Annotated[
        str | None, typer.Option(help="Continue an interrupted or failed run.")
    ] = None,
    allow_root: AllowRootOption = None,
    pii_mode: Annotated[
        str | None,
        typer.Option(
            help="Names and places in free text: sampled (a seeded random sample per source, "
            "the default), full (every record) or off (not assessed; the dossier says so). "
            "Identifiers are always looked for in every record. Default: PROVENANCE_PII_MODE "
            "when set, else the pipeline's [scanners.personal_information] names.",
        ),
    ] = None,
    pii_sample_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Records per source the name search looks at in sampled mode (default 9,604: "
            "a 95% interval of ±1 percentage point at any rate).",
        ),
    ] = None,
) -> None:
    """Audit the corpus a manifest describes and write a run into the dossier."""
    from provenance.report import RichProgress, print_summary
    from provenance.runner import audit as run_audit

    try:
        result = run_audit(
            manifest,
            db,
            pipeline=pipeline,
            workers=workers,
            executor=executor,
            resume=resume,
            progress=RichProgress(err),
            scheduler=dask_scheduler,
            allow_roots=allow_root or (),
            pii_mode=pii_mode,
            pii_sample_size=pii_sample_size,
        )
    except ProvenanceError as exc:
        fail(exc)
    except KeyboardInterrupt as exc:
        # handled here: click would print "Aborted!" and exit 1, which reads as "findings"
        text = (
            str(exc)
            if isinstance(exc, RunInterrupted)
            else "interrupted before the run began; nothing was written"
        )
        err.print(styled(("interrupted", "bold red"), text.removeprefix("interrupted")))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    print_summary(out, result)
    raise typer.Exit(result.exit_code)


@app.command()
def validate(
    manifest: Annotated[Path, typer.Argument(help="Manifest (YAML or JSON).")],
    allow_root: AllowRootOption = None,
) -> None:
    """Check a manifest against the schema and its references; writes nothing."""
    from provenance.manifest import load_manifest

    try:
        lm = load_manifest(manifest, allow_roots=allow_root or ())
    except ProvenanceError as exc:
        fail(exc)
    n_sources = len(lm.manifest.sources())
    out.print(
        styled(
            ("ok", "green"),
            f" {manifest}: {len(lm.manifest.datasets)} dataset(s), {n_sources} source(s), "
            f"{len(lm.manifest.foundation_models)} foundation model(s)",
        )
    )


@app.command()
def runs(db: DbOption) -> None:
    """List the runs in a dossier."""
    try:
        with Store(db, read_only=True) as store:
            _, rows = store.query(
                """SELECT r.run_id, r.status, r.started_at, r.finished_at, r.pipeline, r.exit_code,
                          (SELECT count(*) FROM shards s WHERE s.run_id = r.run_id) AS shards_done,
                          r.shards_total,
                          (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id) AS findings
                   FROM runs r ORDER BY r.started_at"""
            )
    except ProvenanceError as exc:
        fail(exc)
    table = Table(title=f"Runs in {db}")
    for col in (
        "run",
        "status",
        "started (UTC)",
        "finished (UTC)",
        "pipeline",
        "shards",
        "findings",
        "exit",
    ):
        table.add_column(col)
    for run_id, status, started, finished, pipe, code, done, total, nfind in rows:
        # We hold the file open, so no audit is writing: a 'running' run was interrupted.
        shown = "interrupted (--resume)" if status == "running" else status
        table.add_row(
            cell(run_id),
            cell(shown),
            cell(f"{started:%Y-%m-%d %H:%M:%S}"),
            cell(f"{finished:%Y-%m-%d %H:%M:%S}" if finished else ""),
            cell(pipe),
            cell(f"{done}/{total}"),
            cell(nfind),
            cell("" if code is None else code),
        )
    out.print(table)


@app.command()
def sql(
    db: DbOption,
    query: Annotated[
        str, typer.Argument(help="One SELECT/WITH/DESCRIBE/SHOW/SUMMARIZE or EXPLAIN (read-only).")
    ],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Query the dossier read-only: one SELECT (WITH, DESCRIBE, SHOW, SUMMARIZE) or EXPLAIN."""
    from provenance.sqlguard import run_user_query

    if fmt not in ("table", "csv", "json"):
        fail(BadInput(f"unknown --format {fmt!r}; use table, csv or json"))
    try:
        with Store(db, read_only=True) as store:
            cols, rows = run_user_query(store.con, query)
    except ProvenanceError as exc:
        fail(exc)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows(rows)
    elif fmt == "json":
        sys.stdout.write(
            json.dumps(
                [dict(zip(cols, r, strict=True)) for r in rows], ensure_ascii=False, default=str
            )
            + "\n"
        )
    else:
        table = Table()
        for c in cols:
            table.add_column(c)
        for r in rows:
            table.add_row(*[cell(v) for v in r])
        out.print(table)


@app.command()
def schema() -> None:
    """Print the manifest JSON Schema."""
    from provenance.manifest import manifest_json_schema

    sys.stdout.write(manifest_json_schema())


@app.command()
def pipelines() -> None:
    """List the bundled pipelines with their checks and scanners."""
    from provenance.pipeline import bundled_pipelines, load_pipeline

    for name in bundled_pipelines():
        p = load_pipeline(name)
        out.print(styled((name, "bold"), f" — {p.description}"))
        out.print(f"  checks: {', '.join(c.name for c in p.checks)}")
        out.print(f"  scanners: {', '.join(s.name for s in p.scanners)} · fail_on = {p.fail_on}")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"provenance {__version__}")
