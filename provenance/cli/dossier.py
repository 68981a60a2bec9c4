"""Commands for the regulator bundle: export, verify, diff."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from provenance.cli.app import DbOption, RunOption, app, err, fail, out
from provenance.errors import ProvenanceError
from provenance.store import Store
from provenance.terminal import styled


@app.command()
def export(
    db: DbOption,
    run: RunOption,
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
        fail(exc)
    out.print(
        styled(
            ("exported", "green"),
            f" {len(files)} files to {out_dir} (run {run}); check with: provenance verify {out_dir}",
        )
    )


@app.command()
def verify(folder: Annotated[Path, typer.Argument(help="An exported bundle.")]) -> None:
    """Check an exported bundle against its SHA256SUMS; exit 1 naming any altered file."""
    from provenance.dossier.export import verify as do_verify

    try:
        problems = do_verify(folder)
    except ProvenanceError as exc:
        fail(exc)
    if problems:
        for p in problems:
            err.print(styled((p, "red")))
        raise typer.Exit(1)
    out.print(styled(("intact", "green"), f" {folder}: every file matches SHA256SUMS"))


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
        fail(exc)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        return
    out.print(styled((f"{run_a} → {run_b}", "bold")))
    out.print(
        f"sources added: {', '.join(result['sources_added']) or '—'}; removed: {', '.join(result['sources_removed']) or '—'}"
    )
    for c in result["licence_changes"]:
        out.print(f"licence of {c['source_id']}: {c['before'] or '—'} → {c['after'] or '—'}")
    for label in ("pii_rates_moved", "duplicate_rates_moved"):
        for m in result[label]:
            out.print(f"{label.replace('_', ' ')}: {m['key']} {m['before']:.2%} → {m['after']:.2%}")
    for label, colour in (("findings_opened", "red"), ("findings_closed", "green")):
        out.print(styled((f"{label.replace('_', ' ')}: {len(result[label])}", colour)))
        for f in result[label][:30]:
            out.print(f"  {f['severity']:>7} {f['check_id']} {f['message_en']}")


@app.command()
def gc(
    db: DbOption,
    keep: Annotated[
        int, typer.Option("--keep", help="Complete runs kept whole, newest first (at least 1).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would go; change nothing.")
    ] = False,
) -> None:
    """Trim old runs to their run-level evidence, remove superseded unfinished runs, shrink the file."""
    from provenance.gc import collect

    try:
        result = collect(db, keep, dry_run)
    except ProvenanceError as exc:
        fail(exc)
    plan = result.plan
    verb = "would" if dry_run else "did"

    def say(text: str) -> None:
        out.print(styled(text))  # run ids and paths are user data

    say(f"kept whole: {', '.join(plan.kept) or '-'}")
    say(f"trimmed to run-level evidence ({verb}): {', '.join(plan.trimmed) or '-'}")
    say(f"removed entirely, unfinished and superseded ({verb}): {', '.join(plan.removed) or '-'}")
    for table, rows in sorted(plan.rows_dropped.items()):
        say(f"  {table}: {rows:,} row(s)")
    if dry_run:
        say(f"dry run: {db} unchanged, {result.bytes_before:,} bytes")
    else:
        say(f"{db}: {result.bytes_before:,} → {result.bytes_after:,} bytes")
