"""Reference and path checks over the raw manifest document.

These run on the plain parsed data (not the pydantic model) so they still report when some
other field failed schema validation. Each returns ``(loc, message, code)`` triples.

Paths rule (hostile input is data; README "Where data may live"): a data root, and every
evidence or record file, must resolve — symbolic links followed — inside the manifest's folder
or inside a folder allowed with ``--allow-root`` (``allow_roots=``); ``/proc``, ``/sys``, ``/dev``
and pseudo-filesystems never. Data files are globs *under* a root and may not climb out of it.
An evidence path that exists must be a regular file (a folder or a FIFO is refused: reading
one would fail or block forever); a missing one is a finding of the run, not a load error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provenance.manifest.paths import describe_mode, forbidden, resolve_text, within_any
from provenance.manifest.paths import inside as inside  # re-exported: older import path
from provenance.manifest.urls import url_root
from provenance.storage import Location, is_url

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str, str]

# Fields holding a path to an evidence or record file, relative to the enclosing object.
_PATH_FIELDS: tuple[tuple[str, ...], ...] = (
    ("collection", "log"),
    ("collection", "robots_dir"),
    ("contract", "document"),
    ("contract", "warranties"),
    ("authorization", "records"),
    ("storage", "assessment"),
)
# Document paths at fixed places outside sources (attestations, issue 13 item 8).
_TOP_PATHS: tuple[tuple[str, ...], ...] = (
    ("attestations", "ip_management", "strategy"),
    ("attestations", "ip_management", "complaint_log"),
    ("attestations", "pi_impact_assessment", "document"),
    ("attestations", "block_list", "results"),
)
ALLOW_HINT = "--allow-root {folder} (allow_roots= in the Python API)"


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _contained(
    value: str, base_dir: Path, allowed: tuple[str, ...], what: str
) -> tuple[str | None, str | None, str]:
    """Resolve ``value`` against ``base_dir`` (``allowed[0]``); ``(real, None, "")`` or
    ``(None, why, code)``."""
    real, why = resolve_text(os.path.join(allowed[0], value))
    if real is None:
        return None, f"{what} {value!r} {why}", "bad_path"
    top = forbidden(real)
    if top is not None:
        return (
            None,
            f"{what} {value!r} resolves to {real}, inside {top}: /proc, /sys, /dev and other "
            "pseudo-filesystems are never audited, whatever --allow-root says",
            "forbidden_path",
        )
    if not within_any(real, allowed):
        others = f" and the allowed folders ({', '.join(allowed[1:])})" if allowed[1:] else ""
        folder = real if what == "data root" else os.path.dirname(real)
        return (
            None,
            f"{what} {value!r} resolves to {real}, outside the manifest's folder {base_dir}"
            f"{others}; move it inside, or allow its folder with "
            + ALLOW_HINT.format(folder=folder),
            "path_escape",
        )
    return real, None, ""


def resolve_roots(
    data: Any,
    base_dir: Path,
    allow_roots: list[Path] | None = None,
    allow_urls: tuple[Location, ...] = (),
) -> tuple[dict[str, Path], dict[str, Location], list[Issue]]:
    """Resolve ``data_roots`` to absolute folders under the containment rule, and URL roots to
    :class:`Location` s (a ``file://`` root is both: a folder read through fsspec); report
    missing ones, escapes and duplicate ids. ``allow_roots`` must already be resolved."""
    allowed = tuple(str(p) for p in (base_dir, *(allow_roots or [])))
    roots: dict[str, Path] = {}
    urls: dict[str, Location] = {}
    issues: list[Issue] = []
    for i, root in _items(data, "data_roots"):
        rid, rpath = root.get("id"), root.get("path")
        if not isinstance(rid, str) or not isinstance(rpath, str):
            continue  # the schema pass reports the type problem
        if rid in roots or rid in urls:
            issues.append(
                (("data_roots", i, "id"), f"duplicate data root id {rid!r}", "duplicate_id")
            )
            continue
        loc: Loc = ("data_roots", i, "path")
        url: Location | None = None
        if is_url(rpath):
            url, refused, code = url_root(rpath, allow_urls)
            if url is None:
                issues.append((loc, refused, code))
                continue
            if url.protocol != "file":  # an object store: no folder on this machine
                urls[rid] = url
                continue
            rpath = url.path
        resolved, why, code = _contained(rpath, base_dir, allowed, "data root")
        if resolved is None:
            issues.append((loc, why or "", code))
            continue
        if not os.path.isdir(resolved):
            issues.append((loc, f"data root folder does not exist: {resolved}", "missing_root"))
        roots[rid] = Path(resolved)
        if url is not None:  # the folder, links resolved, is what fsspec opens
            urls[rid] = Location("file", resolved)
    return roots, urls, issues


def _check_path(
    value: Any, loc: Loc, base_dir: Path, allowed: tuple[str, ...], folder: bool = False
) -> list[Issue]:
    if not isinstance(value, str) or not value:
        return []
    real, why, code = _contained(value, base_dir, allowed, "path")
    if real is None:
        return [(loc, why or "", code)]
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return []  # missing: the evidence check reports it as a finding of the run
    want, ok = ("a folder", stat.S_ISDIR(mode)) if folder else ("a file", stat.S_ISREG(mode))
    if not ok:
        return [(loc, f"path {value!r} is {describe_mode(mode)}; expected {want}", "not_a_file")]
    return []


def _check_glob(value: Any, loc: Loc) -> list[Issue]:
    if not isinstance(value, str):
        return []
    if not value.strip() or "\x00" in value:
        return [(loc, "glob must be a non-empty pattern such as 'web/*.jsonl.gz'", "bad_glob")]
    parts = value.split("/")
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
    obj: dict[str, Any], loc: Loc, base_dir: Path, allowed: tuple[str, ...]
) -> list[Issue]:
    issues: list[Issue] = []
    for j, ev in _items(obj, "evidence"):
        issues += _check_path(ev.get("path"), (*loc, "evidence", j, "path"), base_dir, allowed)
    return issues


def check_references(
    data: Any,
    base_dir: Path,
    roots: dict[str, Path],
    allow_roots: list[Path] | None = None,
    urls: dict[str, Location] | None = None,
) -> list[Issue]:
    """Duplicate ids, unknown root references and path escapes, all collected. Evidence may
    lie in a local data root, never on object storage (it is read locally, outside fsspec)."""
    known = {*roots, *(urls or {})}
    issues: list[Issue] = []
    allowed = tuple(str(p) for p in (base_dir, *(allow_roots or []), *roots.values()))
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
    for loc_path in _TOP_PATHS:
        node: Any = data
        for part in loc_path:
            node = node.get(part) if isinstance(node, dict) else None
        issues += _check_path(node, loc_path, base_dir, allowed)
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
            safety = ann.get("safety_storage")
            if isinstance(safety, dict):
                loc_s: Loc = ("datasets", i, "annotation", "safety_storage", "assessment")
                issues += _check_path(safety.get("assessment"), loc_s, base_dir, allowed)
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
                    issues += _check_path(
                        sub.get(child),
                        (*loc, parent, child),
                        base_dir,
                        allowed,
                        folder=child == "robots_dir",
                    )
            for k, spec in _items(src, "files"):
                root = spec.get("root")
                if isinstance(root, str) and root not in known:
                    names = ", ".join(sorted(known)) or "(none declared)"
                    issues.append(
                        (
                            (*loc, "files", k, "root"),
                            f"unknown data root {root!r}; declared roots: {names}",
                            "unknown_reference",
                        )
                    )
                issues += _check_glob(spec.get("glob"), (*loc, "files", k, "glob"))
    return issues
