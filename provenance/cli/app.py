"""The typer application, its consoles and the error helper every command uses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from provenance.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, ProvenanceError
from provenance.terminal import console, styled

app = typer.Typer(
    name="provenance",
    help="Training-data provenance auditor: Article 7/19 explainability dossier in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Neither console parses markup: user strings are printed as they are (provenance/terminal.py).
out = console()
err = console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="Dossier file (DuckDB).")]
RunOption = Annotated[str, typer.Option("--run", help="A complete run id (see `provenance runs`).")]


def fail(exc: ProvenanceError) -> NoReturn:
    """Print the error (every problem, with its place) and exit with its code."""
    err.print(styled(("error:", "bold red"), " ", exc))
    raise typer.Exit(exc.exit_code)


def main() -> None:
    """Console-script entry point: maps unexpected errors to exit code 3."""
    try:
        app()
    except ProvenanceError as exc:
        err.print(styled(("error:", "bold red"), " ", exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; an unfinished run can be resumed with --resume")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # pragma: no cover - last resort
        err.print(styled(("internal error:", "bold red"), f" {type(exc).__name__}: ", exc))
        sys.exit(EXIT_INTERNAL)
