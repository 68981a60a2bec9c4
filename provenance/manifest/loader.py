"""Load a manifest (YAML or JSON), validate it, and report every problem with its line.

Validation runs in two passes whose problems are reported together: the pydantic schema pass
and the reference pass (:mod:`provenance.manifest.references`) over the raw document, so one
bad field does not hide the next nine.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from provenance.errors import BadInput, Problem
from provenance.manifest.model import Manifest
from provenance.manifest.paths import forbidden, forget_resolved, safe_resolve
from provenance.manifest.references import check_references, resolve_roots
from provenance.manifest.urls import allowed_url
from provenance.manifest.yamldoc import Document, Loc, parse_yaml, render_loc
from provenance.storage import Location, is_url

# A manifest is a description, not data: 256 MiB holds about a million sources.
MAX_MANIFEST_BYTES = 256 << 20

__all__ = [
    "LoadedManifest",
    "load_manifest",
    "manifest_json_schema",
    "parse_document",
    "render_loc",
]


@dataclass(frozen=True)
class LoadedManifest:
    """A validated manifest with what a run needs to resolve its paths."""

    manifest: Manifest
    path: Path
    base_dir: Path
    roots: dict[str, Path]
    sha256: str
    allow_roots: tuple[Path, ...] = ()
    #: roots read through fsspec, by id: object stores, and ``file://`` roots (also in ``roots``)
    urls: dict[str, Location] = field(default_factory=dict)


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


def _pydantic_problems(exc: ValidationError, file: str, doc: Document) -> list[Problem]:
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
        problems.append(Problem(file, render_loc(loc), msg, doc.line_of(loc), code=err["type"]))
    return problems


def _read(path: Path) -> bytes:
    """The manifest's bytes; only a regular file is opened (a FIFO would block forever)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BadInput(f"manifest not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise BadInput(
            f"cannot read manifest {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(
            f"manifest {path} is not a regular file; give the path of a .yaml or .json file"
        )
    if st.st_size > MAX_MANIFEST_BYTES:
        raise BadInput(
            f"manifest {path} is {st.st_size:,} bytes; at most {MAX_MANIFEST_BYTES:,} are accepted"
        )
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"cannot read manifest {path}: {exc.strerror}") from None


def parse_document(path: Path) -> tuple[Document, str]:
    """Parse YAML/JSON into a :class:`Document` (data, lines, parse problems) and its SHA-256."""
    raw = _read(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise BadInput(
            f"manifest is not UTF-8 text: {path}",
            [
                Problem(
                    str(path),
                    "",
                    f"invalid byte at offset {exc.start}; save the file as UTF-8",
                    line,
                )
            ],
        ) from None
    return parse_yaml(text, str(path)), hashlib.sha256(raw).hexdigest()


def _allowed_folders(
    allow_roots: Sequence[str | Path],
) -> tuple[list[Path], tuple[Location, ...], list[Problem]]:
    """Resolve ``--allow-root`` folders; each must exist and not be a never-allowed place.
    A URL (``s3://bucket/prefix``) allows the object-store roots under it; ``file://`` is a
    folder."""
    folders: list[Path] = []
    urls: list[Location] = []
    problems: list[Problem] = []
    for given in allow_roots:
        if isinstance(given, str) and is_url(given):
            loc, why = allowed_url(given)
            if loc is None:
                problems.append(Problem("--allow-root", given, why or "", code="bad_allow_root"))
                continue
            if loc.protocol != "file":
                urls.append(loc)
                continue
            given = loc.path
        real, why = safe_resolve(Path(given))
        if real is None or not real.is_dir():
            msg = why or "is not an existing folder"
            problems.append(Problem("--allow-root", str(given), msg, code="bad_allow_root"))
        elif (top := forbidden(real)) is not None:
            msg = f"resolves to {real}, inside {top}, which is never audited"
            problems.append(Problem("--allow-root", str(given), msg, code="forbidden_path"))
        else:
            folders.append(real)
    return folders, tuple(urls), problems


def load_manifest(path: str | Path, allow_roots: Sequence[str | Path] = ()) -> LoadedManifest:
    """Load and validate a manifest; raise :class:`BadInput` listing every problem.

    ``allow_roots`` are folders outside the manifest's own folder that data roots and
    evidence files may lie in (the CLI's ``--allow-root``), and URLs (``s3://bucket/prefix``)
    that object-store data roots may lie under.
    """
    path = Path(path)
    forget_resolved()
    allowed, allowed_urls, bad = _allowed_folders(allow_roots)
    if bad:
        raise BadInput(f"{len(bad)} --allow-root folder(s) cannot be used", bad)
    doc, sha256 = parse_document(path)
    data, problems, file = doc.data, list(doc.problems), str(path)
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise BadInput(
            f"manifest must be a mapping at the top level, not {got}: {path}",
            [
                Problem(
                    file,
                    "",
                    "expected keys manifest_version, provider, service, data_roots, datasets",
                    doc.root_line,
                )
            ],
        )
    base_dir = path.resolve().parent
    manifest: Manifest | None = None
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        # a value the parser refused (NaN, too long) is not reported a second time
        refused = {p.path for p in doc.problems}
        problems += [p for p in _pydantic_problems(exc, file, doc) if p.path not in refused]
    roots, urls, root_problems = resolve_roots(data, base_dir, allowed, allowed_urls)
    issues = root_problems + check_references(data, base_dir, roots, allowed, urls)
    for loc, msg, code in issues:
        problems.append(Problem(file, render_loc(loc), msg, doc.line_of(loc), code))
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
        sha256=sha256,
        allow_roots=tuple(allowed),
        urls=urls,
    )


def manifest_json_schema() -> str:
    """The manifest JSON Schema, as written to ``schemas/manifest.schema.json``."""
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "provenance manifest v1"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
