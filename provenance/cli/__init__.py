"""The ``provenance`` command line (typer). Exit codes: 0 ok, 1 blocking findings, 2 bad input, 3 internal.

Commands live in modules by what they are for; importing them registers them on ``app`` (in
this order, which is the order ``--help`` lists them).
"""

from provenance.cli import run  # noqa: I001 - registration order is the help order
from provenance.cli import dossier, review, tools
from provenance.cli.app import app, main

__all__ = ["app", "dossier", "main", "review", "run", "tools"]
