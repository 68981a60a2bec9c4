"""The event-level YAML builder behind :func:`provenance.manifest.yamldoc.parse_yaml`.

It turns libyaml's event stream into Python data iteratively (no recursion), records the line
of every value per container, resolves aliases to the same object while counting the size the
document would have expanded, and collects problems (depth, scalar length, key types and
duplicates, non-finite numbers, unsupported tags) instead of raising where it can go on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from provenance.errors import BadInput, Problem

Loc = tuple[str | int, ...]

MAX_DEPTH = 64
DEPTH_MESSAGE = f"nesting is deeper than {MAX_DEPTH} levels; a manifest needs fewer than 10"
MAX_SCALAR_CHARS = 100_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "merge")}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = object()  # a plain "<<" key: YAML's merge key
_DROP = object()  # the value of a key that was refused: parsed, then dropped


def _line(ev: yaml.Event) -> int:
    """1-based line where an event starts (0 when the parser gave no position)."""
    mark = ev.start_mark
    return mark.line + 1 if mark is not None else 0


def render_loc(loc: Loc) -> str:
    """``('datasets', 0, 'sources', 1, 'id')`` → ``datasets[0].sources[1].id``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    lines: dict[str, int] | list[int]
    slot: str | int | None  # where the container goes in its parent (None: root, or a key)
    line: int
    start: int  # expanded-node counter when the container opened
    anchor: str | None
    key: Any = None  # mapping: the key waiting for its value (None: expecting a key)
    key_line: int = 0
    merges: list[tuple[Any, int]] = field(default_factory=list)


class Builder:
    """Turns the event stream into Python data, lines and problems (iteratively)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor → (value, expanded size)
        self.lines: dict[int, Any] = {}
        self.problems: list[Problem] = []
        self.written = 0
        self.expanded = 0
        self.documents = 0
        self.root: Any = None
        self.root_line = 1
        self.constructor = SafeConstructor()
        self.resolver = yaml.resolver.Resolver()
        self.plain_tags: dict[str, str] = {}

    def fail(self, message: str, line: int, code: str, loc: Loc = ()) -> BadInput:
        return BadInput(
            f"manifest {self.file} cannot be read; nothing was written",
            [Problem(self.file, render_loc(loc), message, line, code)],
        )

    def problem(self, loc: Loc, message: str, line: int, code: str) -> None:
        self.problems.append(Problem(self.file, render_loc(loc), message, line, code))

    def loc(self, depth: int | None = None) -> Loc:
        """Location of the innermost open container (or of the one ``depth`` levels in)."""
        return tuple(f.slot for f in self.stack[:depth] if f.slot is not None)

    def child_slot(self) -> str | int | None:
        """Where the next value goes in the innermost open container."""
        if not self.stack:
            return None
        top = self.stack[-1]
        if isinstance(top.container, list):
            return len(top.container)
        return top.key if isinstance(top.key, str) else None  # None: the value is a key

    def child_loc(self) -> Loc:
        slot = self.child_slot()
        return self.loc() if slot is None else (*self.loc(), slot)

    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        line = _line(ev)
        value: str = ev.value
        if len(value) > MAX_SCALAR_CHARS:
            self.problem(
                self.child_loc(),
                f"value is {len(value):,} characters long; at most {MAX_SCALAR_CHARS:,} "
                "are allowed (long texts belong in a file the manifest names)",
                line,
                "too_long",
            )
            return ""
        tag = ev.tag
        if tag is None or tag == "!":
            if ev.implicit[0] and tag is None:
                tag = self.plain_tags.get(value)
                if tag is None:
                    tag = self.resolver.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
                    self.plain_tags[value] = tag
            else:
                tag = f"{_TAG}str"
        if tag not in _SCALAR_TAGS:
            raise self.fail(
                f"YAML tag {tag!r} is not allowed in a manifest", line, "tag", self.child_loc()
            )
        kind = tag[len(_TAG) :]
        if kind == "merge":
            return _MERGE
        if kind in ("str", "timestamp"):
            return value
        node = ScalarNode(tag, value)
        try:
            out = getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, KeyError, yaml.YAMLError):
            raise self.fail(
                f"{value[:40]!r} is not a valid {kind}", line, "type", self.child_loc()
            ) from None
        if isinstance(out, float) and not math.isfinite(out):
            self.problem(
                self.child_loc(),
                f"{value!r}: numbers must be finite (no NaN or infinity)",
                line,
                "nan",
            )
            return None
        return out

    def add(self, value: Any, line: int) -> None:
        """Attach a finished value (scalar, container or alias target) to its parent."""
        top = self.stack[-1] if self.stack else None
        if value is _MERGE and (top is None or top.key is not None or isinstance(top.lines, list)):
            value = "<<"  # a merge key only means something as a key
        if top is None:
            self.root, self.root_line = value, line
            return
        if isinstance(top.container, list):
            top.container.append(value)
            assert isinstance(top.lines, list)
            top.lines.append(line)
            return
        assert isinstance(top.lines, dict)
        if top.key is None:  # this value is a key
            if isinstance(value, str) or value is _MERGE:
                top.key, top.key_line = value, line
            else:
                shown = type(value).__name__ if isinstance(value, dict | list) else repr(value)
                self.problem(
                    self.loc(),
                    f"key {shown} is not a string; quote it (keys are field names)",
                    line,
                    "key_type",
                )
                top.key, top.key_line = _DROP, line
            return
        key, top.key = top.key, None
        if key is _DROP:
            return
        if key == _MERGE:
            top.merges.append((value, line))
        elif key in top.container:
            self.problem(
                (*self.loc(), key),
                "duplicate key; each key may appear once",
                top.key_line,
                "duplicate_key",
            )
        else:
            top.container[key] = value
            top.lines[key] = line

    def open(self, ev: yaml.NodeEvent, container: dict[str, Any] | list[Any]) -> None:
        line = _line(ev)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(
                DEPTH_MESSAGE,
                line,
                "depth",
                self.child_loc(),
            )
        tag = ev.tag  # type: ignore[attr-defined]
        if tag not in (None, "!", f"{_TAG}map", f"{_TAG}seq"):
            raise self.fail(
                f"YAML tag {tag!r} is not allowed in a manifest", line, "tag", self.child_loc()
            )
        lines: dict[str, int] | list[int] = {} if isinstance(container, dict) else []
        self.lines[id(container)] = lines
        frame = _Frame(container, lines, self.child_slot(), line, self.expanded - 1, ev.anchor)
        self.stack.append(frame)

    def close(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            self.merge(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.expanded - frame.start)
        self.add(frame.container, frame.line)

    def merge(self, frame: _Frame) -> None:
        """YAML merge keys (``<<: *defaults``): explicit keys win, then earlier merges."""
        assert isinstance(frame.container, dict) and isinstance(frame.lines, dict)
        for value, line in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for src in sources:
                if not isinstance(src, dict):
                    self.problem(
                        (*self.loc(), *([frame.slot] if frame.slot is not None else []), "<<"),
                        "a merge key (<<) takes a mapping or a list of mappings",
                        line,
                        "merge",
                    )
                    continue
                src_lines = self.lines.get(id(src), {})
                for k, v in src.items():
                    if k not in frame.container:
                        frame.container[k] = v
                        frame.lines[k] = src_lines.get(k, line)

    def on_scalar(self, ev: yaml.ScalarEvent) -> None:
        self.written += 1
        self.expanded += 1
        value = self.scalar(ev)
        if ev.anchor is not None:
            self.anchors[ev.anchor] = (value, 1)
        self.add(value, _line(ev))

    def on_mapping(self, ev: yaml.MappingStartEvent) -> None:
        self.written += 1
        self.expanded += 1
        self.open(ev, {})

    def on_sequence(self, ev: yaml.SequenceStartEvent) -> None:
        self.written += 1
        self.expanded += 1
        self.open(ev, [])

    def on_end(self, ev: yaml.Event) -> None:
        self.close()

    def on_alias(self, ev: yaml.AliasEvent) -> None:
        line = _line(ev)
        if ev.anchor not in self.anchors:
            raise self.fail(f"alias *{ev.anchor} names no anchor defined before it", line, "alias")
        value, size = self.anchors[ev.anchor]
        self.written += 1
        self.expanded += size
        self.add(value, line)

    def on_document(self, ev: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self.fail(
                "the file holds more than one YAML document ('---'); a manifest is one",
                _line(ev),
                "documents",
            )

    def on_other(self, ev: yaml.Event) -> None:
        pass

    def handlers(self) -> dict[type, Callable[[Any], None]]:
        """Event class → method (a dict lookup per event instead of an isinstance chain)."""
        return {
            yaml.ScalarEvent: self.on_scalar,
            yaml.MappingStartEvent: self.on_mapping,
            yaml.SequenceStartEvent: self.on_sequence,
            yaml.MappingEndEvent: self.on_end,
            yaml.SequenceEndEvent: self.on_end,
            yaml.AliasEvent: self.on_alias,
            yaml.DocumentStartEvent: self.on_document,
        }
