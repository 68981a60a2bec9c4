"""README sections generated from the declarations they document.

The table of checks (requirements, tables read and written, finding codes) and the table of
finding codes are rendered from the check registry and :data:`provenance.findings.CODES`, and
written between marker comments in README.md, so the documentation cannot drift from the code.
``python -m provenance.docs --write`` (``make docs``) regenerates; ``--check`` exits 1 when
README.md is stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provenance.checks import CHECKS
from provenance.checks.base import Check

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = "<!-- BEGIN generated: {name} (make docs) -->"
END = "<!-- END generated: {name} -->"


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


SECTIONS = {"checks": checks_table, "finding-codes": codes_table}


def render(text: str) -> str:
    """``text`` with every generated section replaced by its current rendering."""
    for name, make in SECTIONS.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        head, sep, rest = text.partition(begin)
        if not sep:
            raise ValueError(f"README.md lacks the marker {begin}")
        _, sep, tail = rest.partition(end)
        if not sep:
            raise ValueError(f"README.md lacks the marker {end}")
        text = f"{head}{begin}\n{make()}\n{end}{tail}"
    return text


def main(argv: list[str] | None = None) -> int:
    """``--write`` regenerates README.md; ``--check`` exits 1 when it is stale."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite README.md in place")
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if args.write and wanted != current:
        README.write_text(wanted, encoding="utf-8")
    if args.check and wanted != current:
        print("README.md is stale: run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
