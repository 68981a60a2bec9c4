"""Listing a data root given as a URL, for the planner (:mod:`provenance.plan`).

A ``file://`` root is a local folder: it is walked exactly as a plain folder is
(:func:`provenance.manifest.paths.walk`: no link to a folder followed, no pseudo-filesystem
entered, nothing opened), so it keeps every containment guarantee; only the files' sizes and
times, and later their bytes, come through fsspec. An object store (``s3://`` …) has no links,
devices or FIFOs: it is listed with one recursive ``fs.find`` under the root's prefix, and a
key that could mean something else once joined to a path (empty, ``.`` or ``..`` segments) is
reported, never opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provenance.errors import BadInput, Problem
from provenance.manifest.paths import Entry, walk
from provenance.storage import Location, filesystem, mtime_ns

#: (bytes, mtime_ns) of each regular file, by its parts under the root
Stats = dict[tuple[str, ...], tuple[int, int]]


def entry_key(entry: Entry, protocol: str | None) -> Path | str:
    """What identifies a file across sources and roots (a double claim is the same key):
    a local file's resolved path; an object's URL (never resolved against this machine)."""
    if protocol is None or protocol == "file":
        return entry.path.resolve() if entry.problem is None else entry.path
    return f"{protocol}://{entry.path.as_posix()}"


def list_url(loc: Location) -> tuple[list[Entry], Stats]:
    """Every entry under a URL root, sorted by path, with its files' sizes and times."""
    fs = filesystem(loc.protocol)
    if loc.protocol == "file":
        folder = Path(loc.path)
        entries = walk(folder) if folder.is_dir() else []
        stats: Stats = {}
        for e in entries:
            if e.problem is None:
                try:  # one stat per file, as for a plain folder; a file gone is left out
                    info = fs.info(str(e.path))
                except OSError:
                    continue
                stats[e.parts] = (int(info["size"]), mtime_ns(info))
        return entries, stats
    root = fs._strip_protocol(loc.url).rstrip("/")  # the store's own spelling of the prefix
    try:
        found: dict[str, dict[str, Any]] = fs.find(root, detail=True, withdirs=False)
    except Exception as exc:  # each store raises its own errors (botocore, google.auth, …)
        why = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise BadInput(
            f"data root {loc.url} cannot be listed; nothing was written",
            [Problem(loc.url, "data_roots", why, code="unlistable_root")],
        ) from None
    prefix = root + "/"
    entries, stats = [], {}
    for name, info in found.items():
        if not name.startswith(prefix):
            continue  # the root itself when it is an object, not a prefix
        parts = tuple(name[len(prefix) :].split("/"))
        if any(p in ("", ".", "..") for p in parts):
            why = "an object key with empty, '.' or '..' segments; never opened"
            entries.append(Entry(parts, Path(name), why))
            continue
        entries.append(Entry(parts, Path(name)))
        stats[parts] = (int(info.get("size") or 0), mtime_ns(info))
    entries.sort(key=lambda e: e.parts)
    return entries, stats
