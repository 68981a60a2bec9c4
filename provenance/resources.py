"""Locate the data directories (``pipelines/``, ``schemas/``) shipped with the package.

In a wheel they live under ``provenance/_data`` (hatch ``force-include``); in an editable
install or a source checkout they are the top-level folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory ``pipelines`` or ``schemas`` for this installation."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"provenance data directory {name!r} not found beside {_PKG}")


def schema_file(name: str) -> Path:
    """Path of a file in ``schemas/``."""
    return data_dir("schemas") / name


def pipeline_dir() -> Path:
    """Directory of the bundled pipelines."""
    return data_dir("pipelines")


def views_script() -> str:
    """Every view of the dossier as ``CREATE OR REPLACE VIEW``, and every ``COMMENT ON``, as
    one script (the trusted text of ``schemas/dossier.sql``).

    Views and comments are declared once, in ``schemas/dossier.sql``; migrations change tables
    only, and the store re-runs these after migrating so an old dossier gets today's views.
    """
    out = []
    for stmt in duckdb.extract_statements(schema_file("dossier.sql").read_text(encoding="utf-8")):
        text = stmt.query.strip()
        if text.startswith("CREATE VIEW "):
            out.append("CREATE OR REPLACE VIEW " + text.removeprefix("CREATE VIEW "))
        elif text.startswith("COMMENT ON "):
            out.append(text)
    return ";\n".join(out) + ";\n"
