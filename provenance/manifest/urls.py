"""Data roots and ``--allow-root`` values given as URLs: which are accepted, and on whose say.

The containment rule for folders (a manifest cannot widen its own reach) holds for object
stores too: the manifest's folder gives no implicit right to any bucket, so a root on
``s3://``, ``gs://`` or ``az://`` must lie under a URL the person running the audit allowed
on the command line (``--allow-root s3://bucket/prefix``, ``allow_roots=``). Without that a
manifest could point the auditor's cloud credentials at any bucket they can read, and copy its
records into a review sheet. A ``file://`` URL names a local folder and follows the folder
rules (checked by the caller on its path).
"""

from __future__ import annotations

from provenance.storage import Location, missing_package, parse_url

ALLOW_URL_HINT = "--allow-root {url} (allow_roots= in the Python API)"


def url_root(value: str, allowed: tuple[Location, ...]) -> tuple[Location | None, str, str]:
    """``(Location, "", "")`` for an accepted data root URL, else ``(None, why, code)``."""
    loc, why = parse_url(value)
    if loc is None:
        return None, why or "", "unsupported_url"
    if loc.protocol == "file":
        return loc, "", ""
    need = missing_package(loc.protocol)
    if need is not None:
        return None, f"data root {value!r}: {need}", "missing_package"
    if not any(loc.within(a) for a in allowed):
        given = ", ".join(a.url for a in allowed) or "none"
        return (
            None,
            f"data root {value!r} lies under no URL allowed on the command line (allowed: "
            f"{given}); a manifest cannot widen its own reach: allow it with "
            + ALLOW_URL_HINT.format(url=loc.url),
            "path_escape",
        )
    return loc, "", ""


def allowed_url(given: str) -> tuple[Location | None, str | None]:
    """An ``--allow-root`` URL: ``(Location, None)`` or ``(None, why)``; a ``file://`` URL is
    returned too (the caller treats its path as a folder)."""
    return parse_url(given, what="--allow-root")
