"""Licence names inside prose: brackets, sentences and dataset-world phrases.

The last rules of the normaliser (:mod:`provenance.licenses.normalize` lists them all, in
order): ``parenthetical`` ("Public domain (CC0)"), ``sentence`` (a licence named after a cue
such as "licensed under", or as a text's first clause; never a qualified mention such as
"MIT-style") and ``phrase`` (the phrase table: "for non-commercial research only").
"""

from __future__ import annotations

import re

from provenance.licenses.data import LicenseData, norm_key
from provenance.licenses.names import fold, name_index
from provenance.licenses.normalize import (
    Leaf,
    _amb,
    _ids,
    _m,
    _unknown,
    family,
    lookup_tables,
    resolve_strict,
)
from provenance.licenses.patterns import cc_family, cc_id, parse_cc

_PAREN = re.compile(r"^(?P<out>[^()]*?)\s{0,6}\((?P<in>[^()]*)\)\s{0,6}[.;]?\s*$")


def parenthetical(data: LicenseData, text: str) -> Leaf | None:
    m = _PAREN.match(text.strip())
    if not m or not m["out"]:
        return None
    outer = resolve_strict(data, m["out"])
    inner = resolve_strict(data, m["in"])
    for hit in (
        (outer, inner)
        if outer and outer.spdx and not outer.spdx.startswith("LicenseRef")
        else (inner, outer)
    ):
        if hit is not None and hit.outcome != "unknown":
            return Leaf(text, hit.outcome, hit.spdx, min(hit.confidence, 0.85),
                        f"named in or beside brackets ({hit.reason})", hit.category,
                        "parenthetical", hit.candidates)  # fmt: skip
    return None


_CUE = re.compile(
    r"\b(licen[cs]ed|licensing|released|distributed|available|published|provided|governed|covered"
    r"|subject to|under|terms)\b|许可|协议",
    re.I,
)
_CLAUSE = re.compile(  # bounded quantifiers: linear on any input
    r"^#{0,6}\s{0,6}(?P<first>[^.;:()]{3,200}?)\s{0,6}(?:\(|\.\s|;|:\s|\s-\s|https?://)"
)
_DERIVED = re.compile(
    r"\b(modified|adapted|derived from|based on|similar to|inspired by|variant|style)\b", re.I
)


def _sentence(data: LicenseData, text: str) -> Leaf | None:
    """A licence named inside a longer text: a CC name anywhere; a name or id after a cue
    ("licensed under", "released under", "available under" …) or as the first clause.
    Qualified mentions ("Modified MIT License", "MIT-style") are never read as the licence."""
    if len(text) > 2000:
        text = text[:2000]
    cc = parse_cc(text, search=True)
    if cc is not None:
        if sid := cc_id(cc):
            return _m(text, sid, 0.75, "sentence", "Creative Commons licence named in the text")
        if cc.version is None:
            return _amb(
                text, cc_family(cc), "sentence", f"CC {cc.elements} named without a version"
            )
    if _DERIVED.search(text):
        return _phrase(data, text)
    if m := _CLAUSE.match(text.strip()):  # "<licence name>. …", "<licence name> (…) …"
        hit = resolve_strict(data, m["first"])
        if hit is not None and hit.outcome == "matched" and hit.spdx:
            return _m(text, hit.spdx, 0.75, "sentence", f"licence named first ({hit.reason})")
    if not _CUE.search(text):
        return _phrase(data, text)
    words = fold(text).split()
    names = name_index().names
    for n in range(min(len(words), 12), 1, -1):
        for i in range(len(words) - n + 1):
            key = " ".join(words[i : i + n])
            sid = data.folded_aliases.get(key) or (
                names[key][0] if len(names.get(key, ())) == 1 else None
            )
            if sid:
                return _m(text, sid, 0.75, "sentence", f"licence named in the text ({key!r})")
    for tok in re.findall(r"[A-Za-z][A-Za-z0-9.+-]*\d[A-Za-z0-9.+-]*|\b[A-Z]{3,}\b", text):
        hit = lookup_tables(data, tok.rstrip(".")) or _ids(tok.rstrip("."), data)
        if hit is not None and hit.outcome == "matched" and hit.spdx:
            return _m(text, hit.spdx, 0.75, "sentence", f"licence id in the text ({tok})")
    return _phrase(data, text)


def _phrase(data: LicenseData, text: str) -> Leaf | None:
    """Dataset-world wording from the phrase table ("for non-commercial research only")."""
    low = norm_key(text)
    for pattern, target, note in data.phrases:
        if pattern.search(low):
            return _m(text, target, 0.7, "phrase", note)
    return None


def resolve_text(data: LicenseData, text: str) -> Leaf:
    """Resolve a whole string that is not an expression: every rule, in order."""
    return (
        resolve_strict(data, text)
        or parenthetical(data, text)
        or family(data, text)
        or _sentence(data, text)
        or _unknown(text)
    )
