"""Sections of README.md and schemas/dossier.sql generated from the declarations they document.

The table of checks (requirements, tables read and written, finding codes) and the table of
finding codes are rendered from the check registry and :data:`provenance.findings.CODES`; the
shard tables' DDL from the scanners' declared outputs (:mod:`provenance.dossier.ddl`). Each is
written between marker comments, so neither documentation nor schema can drift from the code.
``python -m provenance.docs --write`` (``make docs``) regenerates; ``--check`` exits 1 when a
file is stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from provenance.checks import CHECKS
from provenance.checks.base import Check
from provenance.dossier.ddl import shard_tables_ddl
from provenance.resources import schema_file

README = Path(__file__).resolve().parents[1] / "README.md"
DDL = schema_file("dossier.sql")
BEGIN = "<!-- BEGIN generated: {name} (make docs) -->"
END = "<!-- END generated: {name} -->"
SQL_BEGIN = "-- BEGIN generated: {name}, from the scanners' declared outputs (make docs)"
SQL_END = "-- END generated: {name}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def checks_table(checks: dict[str, type[Check]] = CHECKS) -> str:
    """One row per check: requirements, tables read, tables written, codes (default severity)."""
    lines = [
        "| check (pipeline name) | requirements | reads | writes | finding codes (default severity) |",
        "|---|---|---|---|---|",
    ]
    for name, cls in checks.items():
        codes = ", ".join(f"`{c.code}` ({c.severity})" for c in cls.codes) or "—"
        reads = ", ".join(f"`{t}`" for t in cls.needs) or "—"
        writes = ", ".join(f"`{o.table}`" for o in cls.writes) or "—"
        lines.append(f"| `{name}` | {', '.join(cls.requirements)} | {reads} | {writes} | {codes} |")
    return "\n".join(lines)


def codes_table(checks: dict[str, type[Check]] = CHECKS) -> str:
    """One row per finding code: check, requirement, article, default severity, both messages."""
    lines = [
        "| code | check | requirement | article | default severity | message (en / 中文) |",
        "|---|---|---|---|---|---|",
    ]
    for name, cls in checks.items():
        for c in cls.codes:
            text = _cell(c.en) + " / " + _cell(c.zh)
            lines.append(
                f"| `{c.code}` | `{name}` | {c.requirement} | {c.article} | {c.severity} | {text} |"
            )
    return "\n".join(lines)


#: file → (begin marker, end marker, {section name: renderer})
FILES: dict[Path, tuple[str, str, dict[str, Callable[[], str]]]] = {
    README: (BEGIN, END, {"checks": checks_table, "finding-codes": codes_table}),
    DDL: (SQL_BEGIN, SQL_END, {"shard tables": shard_tables_ddl}),
}


def render(text: str, path: Path = README) -> str:
    """``text`` (the content of ``path``) with every generated section re-rendered."""
    begin_fmt, end_fmt, sections = FILES[path]
    for name, make in sections.items():
        begin, end = begin_fmt.format(name=name), end_fmt.format(name=name)
        head, sep, rest = text.partition(begin)
        if not sep:
            raise ValueError(f"{path.name} lacks the marker {begin}")
        _, sep, tail = rest.partition(end)
        if not sep:
            raise ValueError(f"{path.name} lacks the marker {end}")
        text = f"{head}{begin}\n{make()}\n{end}{tail}"
    return text


def main(argv: list[str] | None = None) -> int:
    """``--write`` regenerates the files; ``--check`` exits 1 when one is stale."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the files in place")
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in FILES:
        current = path.read_text(encoding="utf-8")
        wanted = render(current, path)
        if wanted != current:
            stale.append(path.name)
            if args.write:
                path.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print(f"{', '.join(stale)} stale: run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
