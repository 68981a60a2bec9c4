"""The typer application, its consoles and the error helper every command uses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from provenance.errors import EXIT_INTERNAL, ProvenanceError

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


def fail(exc: ProvenanceError) -> NoReturn:
    """Print the error (every problem, with its place) and exit with its code."""
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    raise typer.Exit(exc.exit_code)


def cell(value: Any) -> str:
    """A table cell: NULL for None."""
    return "NULL" if value is None else str(value)


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
