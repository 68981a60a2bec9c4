"""The ``provenance`` command line (typer). Exit codes: 0 ok, 1 blocking findings, 2 bad input, 3 internal."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from provenance import __version__
from provenance.errors import EXIT_INTERNAL, BadInput, ProvenanceError
from provenance.store import Store

app = typer.Typer(
    name="provenance",
    help="Training-data provenance auditor: Article 7/19 explainability dossier in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (CI logs, tests, `| less`) gets a wide fixed width instead of rich's 80 columns,
# so tables are not folded into unreadable slivers.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 220)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 220)

DbOption = Annotated[Path, typer.Option("--db", help="Dossier file (DuckDB).")]


def _fail(exc: ProvenanceError) -> None:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    raise typer.Exit(exc.exit_code)


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
        )
    except ProvenanceError as exc:
        _fail(exc)
    print_summary(out, result)
    raise typer.Exit(result.exit_code)


@app.command()
def validate(manifest: Annotated[Path, typer.Argument(help="Manifest (YAML or JSON).")]) -> None:
    """Check a manifest against the schema and its references; writes nothing."""
    from provenance.manifest import load_manifest

    try:
        lm = load_manifest(manifest)
    except ProvenanceError as exc:
        _fail(exc)
    n_sources = len(lm.manifest.sources())
    out.print(
        f"[green]ok[/] {manifest}: {len(lm.manifest.datasets)} dataset(s), {n_sources} source(s), "
        f"{len(lm.manifest.foundation_models)} foundation model(s)"
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
        _fail(exc)
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
            run_id,
            shown,
            f"{started:%Y-%m-%d %H:%M:%S}",
            f"{finished:%Y-%m-%d %H:%M:%S}" if finished else "",
            pipe,
            f"{done}/{total}",
            str(nfind),
            "" if code is None else str(code),
        )
    out.print(table)


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value)


@app.command()
def sql(
    db: DbOption,
    query: Annotated[str, typer.Argument(help="SQL to run (the dossier is opened read-only).")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Query the dossier read-only."""
    if fmt not in ("table", "csv", "json"):
        _fail(BadInput(f"unknown --format {fmt!r}; use table, csv or json"))
    try:
        with Store(db, read_only=True) as store:
            cols, rows = store.query(query)
    except ProvenanceError as exc:
        _fail(exc)
    except Exception as exc:  # DuckDB's own message says what is wrong with the SQL
        _fail(BadInput(f"query failed: {str(exc).splitlines()[0]}"))
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
            table.add_row(*[_cell(v) for v in r])
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
        out.print(f"[bold]{name}[/] — {p.description}")
        out.print(f"  checks: {', '.join(c.name for c in p.checks)}")
        out.print(f"  scanners: {', '.join(s.name for s in p.scanners)} · fail_on = {p.fail_on}")


licenses_app = typer.Typer(help="Licence normalisation and classification.", no_args_is_help=True)
app.add_typer(licenses_app, name="licenses")

LICENSE_COLUMNS = (
    "spdx",
    "category",
    "commercial_use",
    "attribution_required",
    "share_alike",
    "no_derivatives",
    "forbids_competing_models",
    "outcome",
    "confidence",
    "reason",
)


@licenses_app.command("classify")
def licenses_classify(
    text: Annotated[
        str | None, typer.Argument(help='A licence string, e.g. "CC BY-NC-SA 4.0".')
    ] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Classify a column of this CSV file.")
    ] = None,
    column: Annotated[
        str | None, typer.Option(help="Column of --csv holding licence strings.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the CSV here (default: stdout).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="For TEXT: table or json.")] = "table",
) -> None:
    """Normalise licence strings to SPDX and classify them (category, commercial use, flags)."""
    from provenance.licenses import classify

    if (text is None) == (csv_file is None):
        _fail(BadInput("give either a licence TEXT or --csv FILE --column NAME"))
    if csv_file is not None:
        _classify_csv(csv_file, column, output)
        return
    verdict = classify(text)
    if fmt == "json":
        sys.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{text!r}", show_header=False)
    for key in LICENSE_COLUMNS:
        table.add_row(key, _cell(getattr(verdict, key)))
    out.print(table)


def _classify_csv(path: Path, column: str | None, output: Path | None) -> None:
    from provenance.licenses import classify

    if not column:
        _fail(BadInput("--csv needs --column NAME: the column holding licence strings"))
    try:
        fh = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        _fail(BadInput(f"cannot read {path}: {exc.strerror}"))
    with fh:
        reader = csv.DictReader(fh)
        names = list(reader.fieldnames or [])
        if column not in names:
            _fail(BadInput(f"{path}: no column {column!r}; columns are {names}"))
        sink = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            writer = csv.DictWriter(
                sink, fieldnames=[*names, *(c for c in LICENSE_COLUMNS if c not in names)]
            )
            writer.writeheader()
            for row in reader:
                v = classify(row.get(column) or "")
                writer.writerow({**row, **{c: getattr(v, c) for c in LICENSE_COLUMNS}})
        finally:
            if output:
                sink.close()


@app.command()
def export(
    db: DbOption,
    run: Annotated[str, typer.Option("--run", help="A complete run id (see `provenance runs`).")],
    out_dir: Annotated[Path, typer.Option("--out", help="New folder for the bundle.")],
    lang: Annotated[
        str, typer.Option(help="Languages of the HTML: zh,en (default both), zh or en.")
    ] = "zh,en",
    fmt: Annotated[
        str, typer.Option("--format", help="Any of html,json,csv,parquet.")
    ] = "html,json,csv,parquet",
) -> None:
    """Write the regulator bundle: dossier.html, dossier.json, tables, EU summary and SHA256SUMS."""
    from provenance.dossier.export import export as do_export

    langs = tuple(x.strip() for x in lang.split(",") if x.strip())
    formats = tuple(x.strip() for x in fmt.split(",") if x.strip())
    try:
        files = do_export(db, run, out_dir, langs, formats)
    except ProvenanceError as exc:
        _fail(exc)
    out.print(
        f"[green]exported[/] {len(files)} files to {out_dir} (run {run}); check with: provenance verify {out_dir}"
    )


@app.command()
def verify(folder: Annotated[Path, typer.Argument(help="An exported bundle.")]) -> None:
    """Check an exported bundle against its SHA256SUMS; exit 1 naming any altered file."""
    from provenance.dossier.export import verify as do_verify

    try:
        problems = do_verify(folder)
    except ProvenanceError as exc:
        _fail(exc)
    if problems:
        for p in problems:
            err.print(f"[red]{p}[/]")
        raise typer.Exit(1)
    out.print(f"[green]intact[/] {folder}: every file matches SHA256SUMS")


@app.command()
def diff(
    db: DbOption,
    run_a: Annotated[str, typer.Argument(help="Earlier run.")],
    run_b: Annotated[str, typer.Argument(help="Later run.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Compare two runs: sources, licences, PI and duplicate rates, findings opened and closed."""
    from provenance.dossier.diff import diff_runs

    try:
        with Store(db, read_only=True) as store:
            result = diff_runs(store, run_a, run_b)
    except ProvenanceError as exc:
        _fail(exc)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        return
    out.print(f"[bold]{run_a} → {run_b}[/]")
    out.print(
        f"sources added: {', '.join(result['sources_added']) or '—'}; removed: {', '.join(result['sources_removed']) or '—'}"
    )
    for c in result["licence_changes"]:
        out.print(f"licence of {c['source_id']}: {c['before'] or '—'} → {c['after'] or '—'}")
    for label in ("pii_rates_moved", "duplicate_rates_moved"):
        for m in result[label]:
            out.print(f"{label.replace('_', ' ')}: {m['key']} {m['before']:.2%} → {m['after']:.2%}")
    for label, colour in (("findings_opened", "red"), ("findings_closed", "green")):
        out.print(f"[{colour}]{label.replace('_', ' ')}: {len(result[label])}[/]")
        for f in result[label][:30]:
            out.print(f"  {f['severity']:>7} {f['check_id']} {f['message_en']}")


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help="hf-card, croissant or dpi.")],
    source: Annotated[
        Path, typer.Argument(help="Dataset card README.md, Croissant JSON-LD, or DPI JSON.")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Manifest draft to write.")] = Path(
        "manifest.yaml"
    ),
    provider: Annotated[str | None, typer.Option(help="Provider name.")] = None,
    service: Annotated[str | None, typer.Option(help="Service name.")] = None,
    intended_use: Annotated[
        str, typer.Option(help="public_service, internal or research.")
    ] = "public_service",
    stage: Annotated[
        str, typer.Option(help="pretraining, fine_tuning or alignment.")
    ] = "pretraining",
) -> None:
    """Draft a manifest from published dataset metadata; review its TODOs, then validate it."""
    from provenance.importers import run_import

    if output.exists():
        _fail(BadInput(f"{output} exists; choose another -o path (nothing was overwritten)"))
    if intended_use not in ("public_service", "internal", "research") or stage not in (
        "pretraining",
        "fine_tuning",
        "alignment",
    ):
        _fail(
            BadInput(
                "--intended-use: public_service, internal or research; --stage: pretraining, fine_tuning or alignment"
            )
        )
    try:
        manifest = run_import(kind, source, output, provider, service, intended_use, stage)
    except ProvenanceError as exc:
        _fail(exc)
    n = sum(len(d["sources"]) for d in manifest["datasets"])
    out.print(
        f"[green]wrote[/] {output}: {len(manifest['datasets'])} dataset(s), {n} source(s). "
        f"Fill the TODOs, then: provenance validate {output}"
    )


pi_app = typer.Typer(help="Personal information: data-subject lookups.", no_args_is_help=True)
app.add_typer(pi_app, name="pi")


@pi_app.command("lookup")
def pi_lookup(
    db: DbOption,
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value", help="An identifier (phone, ID number, e-mail, card …); repeatable."
        ),
    ] = None,
    values_file: Annotated[
        Path | None, typer.Option("--file", help="A file with one identifier per line.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Which sources, files and records hold an identifier — answered from keyed hashes alone.

    The identifiers are hashed with the same key as the audit (PROVENANCE_PII_KEY or the key
    file); they are never written anywhere, and the output names them only by position.
    """
    from provenance.pii.protect import load_key, value_hash

    wanted = list(value or [])
    if values_file is not None:
        try:
            wanted += [
                v.strip() for v in values_file.read_text(encoding="utf-8").splitlines() if v.strip()
            ]
        except OSError as exc:
            _fail(BadInput(f"cannot read {values_file}: {exc.strerror}"))
    if not wanted:
        _fail(BadInput("give --value IDENTIFIER (repeatable) or --file FILE"))
    key = load_key()
    types = ("CN_MOBILE", "BANK_CARD", "EMAIL_ADDRESS", "CN_RESIDENT_ID")
    hashes: dict[str, int] = {}
    for i, v in enumerate(wanted, 1):
        for t in types:
            hashes[value_hash(key, t, v)] = i
    try:
        with Store(db, read_only=True) as store:
            _cols, rows = store.query(
                """SELECT h.value_hash, h.run_id, f.source_id, f.path, h.record_key, h.entity_type, h.masked
                   FROM pii_hits h JOIN complete_runs r USING (run_id)
                   JOIN files f ON f.run_id = h.run_id AND f.file_id = h.file_id
                   WHERE list_contains(?, h.value_hash) ORDER BY h.run_id, f.source_id, f.path, h.record_key""",
                [list(hashes)],
            )
    except ProvenanceError as exc:
        _fail(exc)
    found = [
        {
            "query": hashes[r[0]],
            "run_id": r[1],
            "source_id": r[2],
            "path": r[3],
            "record_key": r[4],
            "entity_type": r[5],
            "masked": r[6],
        }
        for r in rows
    ]
    if fmt == "json":
        sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(found)} occurrence(s) of {len(wanted)} identifier(s) · 出现记录")
    for col in ("query", "run_id", "source_id", "path", "record_key", "entity_type", "masked"):
        table.add_column(col)
    for row in found:
        table.add_row(*[str(v) for v in row.values()])
    out.print(table)
    missing = sorted(set(range(1, len(wanted) + 1)) - {r["query"] for r in found})
    if missing:
        out.print(f"not found: identifier(s) #{', #'.join(map(str, missing))}")


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"provenance {__version__}")


def main() -> None:
    """Console-script entry point: maps unexpected errors to exit code 3."""
    try:
        app()
    except ProvenanceError as exc:
        err.print(f"error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; an unfinished run can be resumed with --resume")
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - last resort
        err.print(f"internal error: {type(exc).__name__}: {exc}")
        sys.exit(EXIT_INTERNAL)
