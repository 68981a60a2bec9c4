"""Parse a YAML/JSON manifest in one linear pass, with a line for every value.

The manifest is untrusted text, so the parser is built on YAML *events* (libyaml's C parser
when present) rather than on PyYAML's composer and constructor, and enforces limits as it
goes — each of them a clear problem, never a hang or a traceback:

* nesting deeper than :data:`MAX_DEPTH` levels stops the parse at that line;
* a scalar longer than :data:`MAX_SCALAR_CHARS` characters is a problem at its place;
* aliases are allowed (shared blocks such as ``origin: *cn``) but resolve to the *same*
  Python object, so parsing is linear in the document as written; the size the document
  would have with every alias expanded is counted, and a document whose expansion exceeds
  :func:`expansion_limit` nodes ("billion laughs") is refused before anything walks it;
* keys must be strings, each at most once per mapping; numbers must be finite; only the
  plain YAML types (string, integer, float, boolean, null, mapping, sequence) are accepted;
* timestamps stay strings, so the schema validates dates (``2026-02-30`` is a dated problem,
  not a ``ValueError``).

Lines are kept per container (``id(container) → child → line``), so looking up the line of
any location costs its depth, whatever the number of aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from provenance.errors import Problem
from provenance.manifest.yamlevents import DEPTH_MESSAGE, LOADER, Builder, Loc, render_loc

__all__ = ["Document", "Loc", "expansion_limit", "parse_yaml", "render_loc"]

MIN_EXPANSION_LIMIT = 1_000_000


def expansion_limit(written: int) -> int:
    """Most nodes a document of ``written`` nodes may have once its aliases are expanded."""
    return max(MIN_EXPANSION_LIMIT, 2 * written)


@dataclass
class Document:
    """Parsed data, the line of every value, and problems found while parsing."""

    data: Any
    root_line: int
    lines: dict[int, Any]  # id(dict) → {key: line}; id(list) → [line, ...]
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """Line of ``loc``, or of its nearest ancestor present in the file."""
        obj, line = self.data, self.root_line
        for part in loc:
            table = self.lines.get(id(obj))
            if table is None:
                break
            in_map = isinstance(obj, dict) and isinstance(part, str) and part in table
            in_seq = isinstance(obj, list) and isinstance(part, int) and 0 <= part < len(table)
            if not (in_map or in_seq):
                break
            line, obj = table[part], obj[part]
        return line


def parse_yaml(text: str, file: str) -> Document:
    """Parse ``text`` (YAML or JSON) into a :class:`Document`; raise :class:`BadInput` when the
    text cannot be parsed at all or breaks a limit that makes parsing unsafe."""
    builder = Builder(file)
    loader = LOADER(text)
    handlers, other = builder.handlers(), builder.on_other
    get_event, end = loader.get_event, yaml.StreamEndEvent
    try:
        while True:
            ev = get_event()
            if ev is None or type(ev) is end:
                break
            handlers.get(type(ev), other)(ev)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        if "nesting depth" in str(exc.problem):  # PyYAML >= 6.0.4 stops deep flow nesting first
            raise builder.fail(DEPTH_MESSAGE, line, "depth") from None
        raise builder.fail(f"not valid YAML/JSON: {exc.problem}", line, "syntax") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise builder.fail(
            f"character #x{exc.character:04x} is not allowed in YAML ({exc.reason})",
            line,
            "syntax",
        ) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose:
            dispose()
    limit = expansion_limit(builder.written)
    if builder.expanded > limit:
        raise builder.fail(
            f"aliases would expand the document from {builder.written:,} to "
            f"{builder.expanded:,} nodes; at most {limit:,} are allowed "
            "(an alias bomb, or aliases nested too deeply: write the blocks out instead)",
            1,
            "alias_bomb",
        )
    return Document(builder.root, builder.root_line, builder.lines, builder.problems)
