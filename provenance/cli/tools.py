"""Tools beside the audit: licence classification, data-subject lookup, manifest import."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from provenance.cli.app import DbOption, app, err, fail, out
from provenance.errors import BadInput, ProvenanceError
from provenance.store import Store
from provenance.terminal import cell, safe, styled

# every complete run with the fingerprint of the PII key it was audited with (NULL: not recorded)
KEYS_SQL = """SELECT run_id, json_extract_string(config, '$.inputs.pii_key') FROM complete_runs
              ORDER BY run_id"""

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
    "rule",
    "candidates",
    "dpi_class",
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
    report: Annotated[
        bool, typer.Option("--report", help="With --csv: print the confusion by rule to stderr.")
    ] = False,
    expected: Annotated[
        str | None,
        typer.Option(
            help="With --csv: column holding the expected SPDX id / ambiguous / unknown (scored in --report)."
        ),
    ] = None,
) -> None:
    """Normalise licence strings to SPDX and classify them (category, commercial use, flags).

    Each verdict names the normaliser rule that decided it and its confidence; ambiguous
    strings list their candidates. ``--csv F --column C --report`` also prints, per rule, how
    many strings it decided (and with ``--expected E`` how many right, wrong, missed).
    """
    from provenance.licenses import classify

    if (text is None) == (csv_file is None):
        fail(BadInput("give either a licence TEXT or --csv FILE --column NAME"))
    if csv_file is not None:
        _classify_csv(csv_file, column, output, report, expected)
        return
    verdict = classify(text)
    if fmt == "json":
        sys.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(title=safe(repr(text)), show_header=False)
    for key in LICENSE_COLUMNS:
        table.add_row(key, cell(getattr(verdict, key)))
    out.print(table)


def _classify_csv(
    path: Path, column: str | None, output: Path | None, report: bool, expected: str | None
) -> None:
    from provenance.licenses import classify
    from provenance.licenses.report import RuleReport

    if not column:
        fail(BadInput("--csv needs --column NAME: the column holding licence strings"))
    try:
        fh = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        fail(BadInput(f"cannot read {path}: {exc.strerror}"))
    with fh:
        reader = csv.DictReader(fh)
        names = list(reader.fieldnames or [])
        for col in (column, expected):
            if col is not None and col not in names:
                fail(BadInput(f"{path}: no column {col!r}; columns are {names}"))
        dpi = "dpi_class" if "dpi_class" in names else None
        confusion = RuleReport()
        sink = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
        try:
            writer = csv.DictWriter(
                sink, fieldnames=[*names, *(c for c in LICENSE_COLUMNS if c not in names)]
            )
            writer.writeheader()
            for row in reader:
                v = classify(row.get(column) or "")
                values = {c: getattr(v, c) for c in LICENSE_COLUMNS}
                values["candidates"] = " | ".join(v.candidates)
                writer.writerow({**row, **values})
                confusion.add(
                    v, row.get(expected) if expected else None, row.get(dpi) if dpi else None
                )
        finally:
            if output:
                sink.close()
    if report:
        sys.stderr.write(confusion.render())


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
        fail(BadInput(f"{output} exists; choose another -o path (nothing was overwritten)"))
    if intended_use not in ("public_service", "internal", "research") or stage not in (
        "pretraining",
        "fine_tuning",
        "alignment",
    ):
        fail(
            BadInput(
                "--intended-use: public_service, internal or research; --stage: pretraining, fine_tuning or alignment"
            )
        )
    try:
        manifest = run_import(kind, source, output, provider, service, intended_use, stage)
    except ProvenanceError as exc:
        fail(exc)
    n = sum(len(d["sources"]) for d in manifest["datasets"])
    out.print(
        styled(
            ("wrote", "green"),
            f" {output}: {len(manifest['datasets'])} dataset(s), {n} source(s). "
            f"Fill the TODOs, then: provenance validate {output}",
        )
    )


pi_app = typer.Typer(help="Personal information: data-subject lookups.", no_args_is_help=True)
app.add_typer(pi_app, name="pi")


def _order(row: tuple[Any, ...]) -> tuple[str, ...]:
    """pi lookup's order (run, source, path, record key), for dossier and part hits merged."""
    return (row[1], row[2], row[3], row[4])


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
    file); they are never written anywhere, and the output names them only by position. A
    record whose key (id field) holds the identifier is found too; record keys are shown as
    stored, masked with a keyed hash when they hold an identifier (z***@example.com~3fa9…).
    """
    from provenance.pii.protect import key_fingerprint, load_key, value_hash
    from provenance.pii.recognizers import ENTITY_TYPES
    from provenance.reduce.read import pii_part_hits

    wanted = list(value or [])
    if values_file is not None:
        try:
            wanted += [
                v.strip() for v in values_file.read_text(encoding="utf-8").splitlines() if v.strip()
            ]
        except OSError as exc:
            fail(BadInput(f"cannot read {values_file}: {exc.strerror}"))
    if not wanted:
        fail(BadInput("give --value IDENTIFIER (repeatable) or --file FILE"))
    key = load_key()
    fingerprint = key_fingerprint(key)
    types = ENTITY_TYPES  # every type the scanner reports, hashed as the scanner hashes it
    hashes: dict[str, int] = {}
    for i, v in enumerate(wanted, 1):
        for t in types:
            hashes[value_hash(key, t, v)] = i
    try:
        with Store(db, read_only=True) as store:
            _cols, keyed = store.query(KEYS_SQL)
            other = sorted(r for r, fp in keyed if fp is not None and fp != fingerprint)
            if other and len(other) == len(keyed):
                raise BadInput(
                    f"the PII key (fingerprint {fingerprint}) is not the key any run in {db} "
                    f"was audited with ({', '.join(sorted({fp for _, fp in keyed}))}): its "
                    "hashes can match nothing. Set PROVENANCE_PII_KEY or PROVENANCE_PII_KEY_FILE "
                    "to the audit's key"
                )
            if other:
                err.print(
                    f"note: run(s) {', '.join(other)} used another PII key; they are not searched"
                )
            _cols, rows = store.query(
                """SELECT h.value_hash, h.run_id, f.source_id, f.path, h.record_key, h.entity_type, h.masked
                   FROM pii_hits h JOIN complete_runs r USING (run_id)
                   JOIN files f ON f.run_id = h.run_id AND f.file_id = h.file_id
                   WHERE list_contains(?, h.value_hash) AND NOT list_contains(?, h.run_id)
                   ORDER BY h.run_id, f.source_id, f.path, h.record_key""",
                [list(hashes), other],
            )
            # a partitioned run keeps its hits in Parquet parts beside the dossier
            rows = sorted([*rows, *pii_part_hits(store, list(hashes), other)], key=_order)
    except ProvenanceError as exc:
        fail(exc)
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
        table.add_row(*[cell(v) for v in row.values()])
    out.print(table)
    missing = sorted(set(range(1, len(wanted) + 1)) - {r["query"] for r in found})
    if missing:
        out.print(f"not found: identifier(s) #{', #'.join(map(str, missing))}")
