"""Reference and path checks over the raw manifest document.

These run on the plain parsed data (not the pydantic model) so they still report when some
other field failed schema validation. Each returns ``(loc, message, code)`` triples.

Paths rule (hostile input is data): data files are globs *under* a declared data root and may
not climb out of it; evidence and record files resolve against the manifest's folder and must
stay inside it or inside a data root.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str, str]

# Fields holding a path to an evidence or record file, relative to the enclosing object.
_PATH_FIELDS: tuple[tuple[str, ...], ...] = (
    ("collection", "log"),
    ("collection", "robots_dir"),
    ("contract", "document"),
    ("contract", "warranties"),
    ("authorization", "records"),
)


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def resolve_roots(data: Any, base_dir: Path) -> tuple[dict[str, Path], list[Issue]]:
    """Resolve ``data_roots`` to absolute folders; report missing ones and duplicate ids."""
    roots: dict[str, Path] = {}
    issues: list[Issue] = []
    for i, root in _items(data, "data_roots"):
        rid, rpath = root.get("id"), root.get("path")
        if not isinstance(rid, str) or not isinstance(rpath, str):
            continue  # the schema pass reports the type problem
        if rid in roots:
            issues.append(
                (("data_roots", i, "id"), f"duplicate data root id {rid!r}", "duplicate_id")
            )
            continue
        resolved = (base_dir / rpath).resolve()
        if not resolved.is_dir():
            issues.append(
                (
                    ("data_roots", i, "path"),
                    f"data root folder does not exist: {resolved}",
                    "missing_root",
                )
            )
        roots[rid] = resolved
    return roots, issues


def inside(path: Path, folders: list[Path]) -> bool:
    """True when ``path`` (resolved, symlinks followed) lies in one of ``folders``."""
    real = path.resolve()
    return any(real == f or real.is_relative_to(f) for f in folders)


def _check_path(value: Any, loc: Loc, base_dir: Path, allowed: list[Path]) -> list[Issue]:
    if not isinstance(value, str) or not value:
        return []
    if not inside(base_dir / value, allowed):
        return [
            (
                loc,
                f"path {value!r} leaves the manifest's folder and every data root; "
                "give a path inside the manifest's folder or a declared data root",
                "path_escape",
            )
        ]
    return []


def _check_glob(value: Any, loc: Loc) -> list[Issue]:
    if not isinstance(value, str):
        return []
    parts = PurePosixPath(value).parts
    if value.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        return [
            (
                loc,
                f"glob {value!r} must be relative to its data root and may not contain '..'; "
                "for example 'web/*.jsonl.gz'",
                "path_escape",
            )
        ]
    return []


def _evidence_paths(
    obj: dict[str, Any], loc: Loc, base_dir: Path, allowed: list[Path]
) -> list[Issue]:
    issues: list[Issue] = []
    for j, ev in _items(obj, "evidence"):
        issues += _check_path(ev.get("path"), (*loc, "evidence", j, "path"), base_dir, allowed)
    return issues


def check_references(data: Any, base_dir: Path, roots: dict[str, Path]) -> list[Issue]:
    """Duplicate ids, unknown root references and path escapes, all collected."""
    issues: list[Issue] = []
    allowed = [base_dir, *roots.values()]
    seen_models: set[str] = set()
    for i, model in _items(data, "foundation_models"):
        mid = model.get("id")
        if isinstance(mid, str):
            if mid in seen_models:
                issues.append(
                    (("foundation_models", i, "id"), f"duplicate model id {mid!r}", "duplicate_id")
                )
            seen_models.add(mid)
        issues += _evidence_paths(model, ("foundation_models", i), base_dir, allowed)

    cf = data.get("content_filtering") if isinstance(data, dict) else None
    if isinstance(cf, dict):
        issues += _check_path(
            cf.get("keyword_library"), ("content_filtering", "keyword_library"), base_dir, allowed
        )
        for name in ("manual_sample", "technical_sample"):
            sample = cf.get(name)
            if isinstance(sample, dict):
                issues += _check_path(
                    sample.get("records"), ("content_filtering", name, "records"), base_dir, allowed
                )
    seen_datasets: set[str] = set()
    seen_sources: dict[str, Loc] = {}
    for i, ds in _items(data, "datasets"):
        did = ds.get("id")
        if isinstance(did, str):
            if did in seen_datasets:
                issues.append(
                    (("datasets", i, "id"), f"duplicate dataset id {did!r}", "duplicate_id")
                )
            seen_datasets.add(did)
        ann = ds.get("annotation")
        if isinstance(ann, dict):
            for field in ("annotators", "batches"):
                issues += _check_path(
                    ann.get(field), ("datasets", i, "annotation", field), base_dir, allowed
                )
            for k, rule in _items(ann, "rules"):
                issues += _check_path(
                    rule.get("path"),
                    ("datasets", i, "annotation", "rules", k, "path"),
                    base_dir,
                    allowed,
                )
        for j, src in _items(ds, "sources"):
            loc: Loc = ("datasets", i, "sources", j)
            sid = src.get("id")
            if isinstance(sid, str):
                if sid in seen_sources:
                    first = ".".join(map(str, seen_sources[sid]))
                    issues.append(
                        (
                            (*loc, "id"),
                            f"duplicate source id {sid!r} (first used at {first})",
                            "duplicate_id",
                        )
                    )
                else:
                    seen_sources[sid] = loc
            issues += _evidence_paths(src, loc, base_dir, allowed)
            review = src.get("safety_review")
            if isinstance(review, dict):
                for stage in ("pre_collection", "post_collection"):
                    sample = review.get(stage)
                    if isinstance(sample, dict):
                        issues += _check_path(
                            sample.get("records"),
                            (*loc, "safety_review", stage, "records"),
                            base_dir,
                            allowed,
                        )
            for parent, child in _PATH_FIELDS:
                sub = src.get(parent)
                if isinstance(sub, dict):
                    issues += _check_path(sub.get(child), (*loc, parent, child), base_dir, allowed)
            for k, spec in _items(src, "files"):
                root = spec.get("root")
                if isinstance(root, str) and root not in roots:
                    known = ", ".join(sorted(roots)) or "(none declared)"
                    issues.append(
                        (
                            (*loc, "files", k, "root"),
                            f"unknown data root {root!r}; declared roots: {known}",
                            "unknown_reference",
                        )
                    )
                issues += _check_glob(spec.get("glob"), (*loc, "files", k, "glob"))
    return issues
