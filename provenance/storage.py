"""Data roots given as URLs (``file://``, ``s3://``, ``gs://``, ``az://``), read through fsspec.

Kept light (fsspec is imported only when a URL is used) because workers import it to open
shards: a plain folder never touches fsspec, so local corpora keep their direct ``open``.

Security (README "Where data may live"): the protocols accepted are an explicit allow-list
(:data:`PROTOCOLS`), never "whatever fsspec knows" — fsspec also reads http, ftp, ssh, github
and chained URLs (``zip::``, ``simplecache::``) that have no business in a manifest. A URL may
carry no credentials, query or fragment and no ``.``/``..`` segments; filesystems are built
with no options, so credentials come from the worker's environment (boto, gcloud, azure-identity
chains), never from the manifest.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import unquote, urlsplit

#: protocol → the package that implements it (None: part of fsspec). ``file`` is fsspec's local
#: filesystem: the same containment rules as a plain folder apply to its path.
PROTOCOLS: dict[str, str | None] = {
    "file": None,
    "s3": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "abfss": "adlfs",
}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")  # RFC 3986
# keys of fsspec info dicts that hold a last-modified time, by implementation: local and memory
# ("mtime", "created"), s3fs ("LastModified"), adlfs ("last_modified"), gcsfs ("updated")
_MTIME_KEYS = ("mtime", "LastModified", "last_modified", "updated", "created")


@dataclass(frozen=True)
class Location:
    """Where a URL root lies: an allowed protocol and fsspec's path (no protocol) under it."""

    protocol: str
    path: str

    @property
    def url(self) -> str:
        """The root as a URL again (``file:///abs``, ``s3://bucket/prefix``)."""
        return f"{self.protocol}://{self.path}"

    def within(self, other: Location) -> bool:
        """This location is ``other`` or lies under it (same protocol; a string test)."""
        return self.protocol == other.protocol and (
            self.path == other.path or self.path.startswith(other.path.rstrip("/") + "/")
        )


def is_url(value: str) -> bool:
    """Whether a path field is a URL (``scheme://…``) or an fsspec chain (``a::b://…``)."""
    scheme, sep, _ = value.partition("://")
    return bool(sep) and (_SCHEME.fullmatch(scheme) is not None or "::" in scheme)


def accepted() -> str:
    """The accepted URL schemes, for messages."""
    return ", ".join(f"{p}://" for p in PROTOCOLS)


def parse_url(value: str, what: str = "data root") -> tuple[Location | None, str | None]:
    """``(Location, None)`` for an allowed, well-formed URL, else ``(None, why)``."""
    scheme = value.partition("://")[0]
    if "::" in value:
        return None, (
            f"{what} {value!r} is a chained fsspec URL; chains (zip::, simplecache::, …) are "
            f"never read: name the data where it lies ({accepted()})"
        )
    protocol = scheme.lower()
    if protocol not in PROTOCOLS:
        return None, (
            f"{what} {value!r}: {scheme}:// is not an accepted storage protocol; accepted: "
            f"{accepted()} (or mount the store as a folder every worker sees and give that path)"
        )
    parts = urlsplit(value)
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return None, f"{what} {value!r} has a query or fragment ('?', '#'); give the bare URL"
    if "@" in parts.netloc:
        return None, (
            f"{what} {value!r} carries credentials; they are never read from a manifest or a "
            "command line: set them in the environment the audit and its workers run in"
        )
    if protocol == "file":
        if parts.netloc not in ("", "localhost"):
            return None, (
                f"file URL {value!r} names host {parts.netloc!r}; use file:///absolute/path"
            )
        path = unquote(parts.path)
    else:
        if not parts.netloc:
            return None, f"{what} {value!r} names no bucket or container ({protocol}://NAME/…)"
        path = parts.netloc + parts.path  # object keys are taken as written (no unquoting)
    path = path.rstrip("/") or "/"
    if any(seg in (".", "..") for seg in path.split("/")):
        return None, f"{what} {value!r} may not contain '.' or '..' segments"
    return Location(protocol, path), None


def missing_package(protocol: str) -> str | None:
    """None when ``protocol``'s fsspec implementation imports, else what to install."""
    import fsspec

    try:
        fsspec.get_filesystem_class(protocol)
    except ImportError:
        pkg = PROTOCOLS.get(protocol) or protocol
        extra = " (or the extra: pip install 'provenance[s3]')" if pkg == "s3fs" else ""
        return (
            f"{protocol}:// needs the {pkg} package, which is not installed: pip install "
            f"{pkg}{extra} on the machine that plans the audit and on every worker"
        )
    return None


@functools.cache
def filesystem(protocol: str) -> Any:
    """The fsspec filesystem for ``protocol``, one per process (workers build it on first use).

    No options are passed: credentials and endpoints come from the environment, never the
    manifest."""
    import fsspec

    return fsspec.filesystem(protocol)


def open_input(path: str, protocol: str | None) -> IO[bytes]:
    """Open a data file for reading: directly for a plain path, through fsspec for a URL root."""
    if protocol is None:
        return open(path, "rb")
    fh: IO[bytes] = filesystem(protocol).open(path, "rb")
    return fh


def mtime_ns(info: dict[str, Any]) -> int:
    """A file's last-modified time in ns from an fsspec info dict; 0 when the store gives none
    (resume then notices a changed file by its size only)."""
    for key in _MTIME_KEYS:
        value = info.get(key)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.UTC)
            return int(value.timestamp() * 1_000_000) * 1000
        if isinstance(value, int | float) and not isinstance(value, bool):
            return round(value * 1_000_000) * 1000
    return 0
