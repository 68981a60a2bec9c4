"""Load a manifest (YAML or JSON), validate it, and report every problem with its line.

Validation runs in two passes whose problems are reported together: the pydantic schema pass
and the reference pass (:mod:`provenance.manifest.references`) over the raw document, so one
bad field does not hide the next nine.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from provenance.errors import BadInput, Problem
from provenance.manifest.model import Manifest
from provenance.manifest.references import check_references, resolve_roots

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedManifest:
    """A validated manifest with what a run needs to resolve its paths."""

    manifest: Manifest
    path: Path
    base_dir: Path
    roots: dict[str, Path]
    sha256: str


def render_loc(loc: Loc) -> str:
    """``('datasets', 0, 'sources', 1, 'id')`` → ``datasets[0].sources[1].id``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_map(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], dups: list[tuple[Loc, int]]
) -> None:
    """Record the 1-based line of every value in the composed YAML tree; note duplicate keys."""
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                dups.append(((*loc, key), key_node.start_mark.line + 1))
            seen.add(key)
            _line_map(value_node, (*loc, key), lines, dups)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*loc, i), lines, dups)


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """Line of ``loc``, or of its nearest ancestor present in the file."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``loc`` (for listing valid field names)."""
    model: Any = Manifest
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return None
        ann = field.annotation
        for arg in (*getattr(ann, "__args__", ()), ann):
            inner = getattr(arg, "__args__", (arg,))[0] if getattr(arg, "__args__", None) else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                model = inner
                break
        else:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _pydantic_problems(exc: ValidationError, file: str, lines: dict[Loc, int]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc[:-1])
            valid = ", ".join(owner.model_fields) if owner else "see schemas/manifest.schema.json"
            msg = f"unknown field {loc[-1]!r}; valid fields here: {valid}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        problems.append(Problem(file, render_loc(loc), msg, line_of(lines, loc), code=err["type"]))
    return problems


def parse_document(path: Path) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse YAML/JSON into plain data, a line map and any duplicate-key problems."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"manifest not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"manifest is not UTF-8 text: {path}",
            [Problem(file, "", f"invalid byte at offset {exc.start}; save the file as UTF-8")],
        ) from None
    except OSError as exc:
        raise BadInput(f"cannot read manifest {path}: {exc.strerror}") from None
    lines: dict[Loc, int] = {}
    dups: list[tuple[Loc, int]] = []
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise BadInput(
            f"manifest is not valid YAML/JSON: {path}",
            [Problem(file, "", f"{exc.problem}", line, code="syntax")],
        ) from None
    if node is not None:
        _line_map(node, (), lines, dups)
    problems = [
        Problem(
            file, render_loc(loc), "duplicate key; each key may appear once", line, "duplicate_key"
        )
        for loc, line in dups
    ]
    return data, lines, problems


def load_manifest(path: str | Path) -> LoadedManifest:
    """Load and validate a manifest; raise :class:`BadInput` listing every problem."""
    path = Path(path)
    data, lines, problems = parse_document(path)
    file = str(path)
    if not isinstance(data, dict):
        raise BadInput(
            f"manifest must be a mapping at the top level: {path}",
            [
                Problem(
                    file,
                    "",
                    "expected keys manifest_version, provider, service, data_roots, datasets",
                    1,
                )
            ],
        )
    base_dir = path.resolve().parent
    manifest: Manifest | None = None
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        problems += _pydantic_problems(exc, file, lines)
    roots, root_problems = resolve_roots(data, base_dir)
    for loc, msg, code in root_problems + check_references(data, base_dir, roots):
        problems.append(Problem(file, render_loc(loc), msg, line_of(lines, loc), code))
    if problems or manifest is None:
        problems.sort(key=lambda p: (p.line or 0, p.path))
        raise BadInput(
            f"manifest {path} has {len(problems)} problem(s); nothing was written", problems
        )
    return LoadedManifest(
        manifest=manifest,
        path=path.resolve(),
        base_dir=base_dir,
        roots=roots,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def manifest_json_schema() -> str:
    """The manifest JSON Schema, as written to ``schemas/manifest.schema.json``."""
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "provenance manifest v1"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
