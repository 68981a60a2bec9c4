"""Free-text licence strings → SPDX ids, by an explainable pipeline that never guesses.

One licence name (no operators) is resolved by the first rule that decides, in this order;
every verdict keeps the rule's name and a confidence:

==================  =====  =========================================================
rule                conf.  what it reads
==================  =====  =========================================================
``spdx-id``         1.0    an SPDX id as SPDX writes it (checked first: the common case)
``table``           0.95   the sourced tables (``schemas/licenses/aliases.toml``):
                           explicit non-licences, strings catalogues read differently
                           (ambiguous), HF hub ids, model terms, Chinese names
``spdx-id``         0.98   an SPDX id in another case
``deprecated-id``   0.95   a deprecated SPDX id → its replacement (``GPL-2.0`` →
                           ``GPL-2.0-only``, as SPDX reads it), flagged in the reason
``scancode-key``    0.95   a ScanCode key or ``LicenseRef-scancode-…`` / other SPDX key
``url``             0.95   CC, GNU, Apache, OSI, SPDX, choosealicense.com URLs …
``full-name``       0.9    an SPDX full name or id, or an alias, after folding
                           (:func:`names.fold`), also with the spaces removed
``cc-grammar``      0.9    a Creative Commons name in any spelling, version, port
``gnu-grammar``     0.85   GPL/LGPL/AGPL abbreviations with a version ("lgpl2")
``parenthetical``   0.85   "Public domain (CC0)": the licence named in or beside brackets
``family``          0.5    a family without version or variant → *ambiguous*, with
                           the candidates and the use they share (whole string only)
``sentence``        0.75   a licence named inside a text, after a cue ("licensed under")
                           or as its first clause; never a qualified one ("MIT-style")
``phrase``          0.7    dataset-world wording ("for non-commercial research only")
``dpi-catalogue``   0.4    nothing above decided: DPI's class from its catalogue
                           (:mod:`provenance.licenses.catalogue`); the verdict stays unknown
``unknown``         0.0    nothing decided
==================  =====  =========================================================

An SPDX expression (AND / OR / WITH, brackets) is split first and each part resolved by the
rules down to ``family``; a string whose parts name no licence at all is read as a sentence.

There is no edit distance and no substring guessing outside ``sentence`` (which only accepts
whole known names, ids or CC names) and ``phrase`` (whole-word patterns from the table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.licenses.data import LicenseData, key_variants, norm_key
from provenance.licenses.names import fold, name_index
from provenance.licenses.patterns import cc_bare, cc_family, cc_id, is_url, parse_cc, url_parts


@dataclass(frozen=True)
class Leaf:
    """One resolved licence name."""

    text: str
    outcome: str  # matched / ambiguous / unknown
    spdx: str | None
    confidence: float
    reason: str
    category: str | None = None  # for ambiguous leaves from the table: the shared category
    rule: str = "unknown"
    candidates: tuple[str, ...] = ()


def _m(text: str, sid: str, conf: float, rule: str, reason: str) -> Leaf:
    return Leaf(text, "matched", sid, conf, reason, rule=rule)


def _amb(text: str, cands: tuple[str, ...], rule: str, reason: str) -> Leaf:
    shown = ", ".join(cands[:6]) + (f" … ({len(cands)})" if len(cands) > 6 else "")
    return Leaf(text, "ambiguous", None, 0.5, f"{reason}: {shown}", rule=rule, candidates=cands)


_GNU = re.compile(
    r"^(?:gnu )?(?P<kind>a|l)?gpl[ -]?v?(?P<ver>\d(?:\.\d)?)(?P<later>\+| or later|-or-later)?$"
)


def lookup_tables(data: LicenseData, text: str) -> Leaf | None:
    """Whole-string lookup in the unknown, ambiguous and alias tables (case/space folded)."""
    for key in key_variants(text):
        if key in data.unknown:
            return Leaf(text, "unknown", None, 0.0, data.unknown[key], rule="table")
        if key in data.ambiguous:
            reason, category, cands = data.ambiguous[key]
            return Leaf(text, "ambiguous", None, 0.5, reason, category, "table", cands)
        if key in data.aliases:
            return _m(text, data.aliases[key], 0.95, "table", "alias table")
    return None


def _ids(text: str, data: LicenseData | None = None) -> Leaf | None:
    """Exact SPDX id, deprecated id, ScanCode key."""
    idx = name_index()
    t = text.strip()
    if t in idx.ids:
        return _m(text, t, 1.0, "spdx-id", "SPDX id")
    low = t.lower()
    if low in idx.clashes and data is not None:
        # written in lower case, the string is an SPDX id for one licence and a ScanCode key for
        # another: ambiguous when the two licences differ in what they allow
        a, b = (data.terms(c) for c in idx.clashes[low])
        if (
            a is None
            or b is None
            or (a.category, a.commercial_use) != (b.category, b.commercial_use)
        ):
            return _amb(text, idx.clashes[low], "scancode-key", "an SPDX id and a ScanCode key")
    if low in idx.ids_lower:
        return _m(text, idx.ids_lower[low], 0.98, "spdx-id", "SPDX id (case folded)")
    if low in idx.deprecated:
        new = idx.deprecated[low]
        return _m(text, new, 0.95, "deprecated-id", f"deprecated SPDX id {t}; read as {new}")
    if low.endswith("+") and low[:-1] in idx.ids_lower:
        later = f"{idx.ids_lower[low[:-1]].removesuffix('-only')}-or-later"
        if later in idx.ids:
            return _m(text, later, 0.95, "deprecated-id", f"'+' suffix read as {later}")
    # a bare family name ("gpl") is a ScanCode key for one reading; the family rule decides it
    if low in idx.scancode and len(idx.families.get(fold(t), ())) < 2:
        return _m(text, idx.scancode[low], 0.95, "scancode-key", "ScanCode licence key")
    if low.startswith("licenseref-scancode-") and low[20:] in idx.scancode:
        return _m(text, idx.scancode[low[20:]], 0.95, "scancode-key", "ScanCode LicenseRef")
    return None


def _licenseref(data: LicenseData, text: str) -> Leaf | None:
    t = text.strip()
    if not re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+", t):
        return None
    if data.terms(t) is not None:
        return _m(text, t, 1.0, "spdx-id", "LicenseRef id")
    return Leaf(
        text, "unknown", None, 0.0, f"{t} is not covered by the category rules; add a rule for it"
    )


def _url(data: LicenseData, text: str) -> Leaf | None:
    if not is_url(text):
        return None
    sid, segment = url_parts(text)
    if sid:
        return _m(text, sid, 0.95, "url", "licence URL")
    if segment:
        hit = lookup_tables(data, segment) or _ids(segment, data)
        if hit is not None and hit.outcome != "unknown":
            return Leaf(text, hit.outcome, hit.spdx, hit.confidence, f"licence URL ({hit.reason})",
                        hit.category, "url", hit.candidates)  # fmt: skip
    return Leaf(
        text,
        "unknown",
        None,
        0.0,
        "URL does not identify a licence; name the licence (SPDX id)",
        rule="url",
    )


def _names(data: LicenseData, text: str) -> Leaf | None:
    """Full names (SPDX list, folded), the alias table folded the same way, the grammars."""
    key = fold(text)
    alias = data.folded_aliases.get(key) or data.compact_aliases.get(key.replace(" ", ""))
    if alias:
        return _m(text, alias, 0.9, "full-name", "alias table (folded)")
    hit = name_index().names.get(key) or name_index().compact.get(key.replace(" ", ""))
    if hit is not None:
        if len(hit) == 1:
            return _m(text, hit[0], 0.9, "full-name", "SPDX licence name")
        return _amb(text, hit, "full-name", "a name several SPDX licences share")
    cc = parse_cc(text)
    if cc is not None and not cc.rest:
        if sid := cc_id(cc):
            return _m(text, sid, 0.9, "cc-grammar", "Creative Commons name")
        if cc.version is None:
            return _amb(text, cc_family(cc), "family", f"CC {cc.elements} without a version")
        return Leaf(text, "unknown", None, 0.0, f"CC {cc.elements} has no version {cc.version}",
                    rule="cc-grammar")  # fmt: skip
    if m := _GNU.match(norm_key(text)):
        minor = "1" if m["kind"] == "l" and m["ver"] == "2" else "0"  # "LGPL v2" is usually 2.1
        ver = m["ver"] if "." in m["ver"] else f"{m['ver']}.{minor}"
        sid = f"{(m['kind'] or '').upper()}GPL-{ver}-{'or-later' if m['later'] else 'only'}"
        if sid in name_index().ids:
            return _m(text, sid, 0.85, "gnu-grammar", "GNU licence abbreviation with a version")
    return None


def resolve_strict(data: LicenseData, text: str) -> Leaf | None:
    """Rules that read the whole string as one name: tables, ids, URL, names, grammars."""
    t = text.strip()
    if t in name_index().ids:  # the common case first: an SPDX id as SPDX writes it
        return _m(text, t, 1.0, "spdx-id", "SPDX id")
    return (
        lookup_tables(data, text)
        or _ids(text, data)
        or _licenseref(data, text)
        or _url(data, text)
        or _names(data, text)
    )


def family(data: LicenseData, text: str) -> Leaf | None:
    """A family name without version ("GNU General Public License", "… family") → ambiguous."""
    if cc_bare(text):  # the HF hub's "Creative Commons license family"; DPI files "cc" as CC0
        every_cc = tuple(i for i in name_index().ids if i.startswith(("CC-", "CC0-")))
        return _amb(
            text,
            every_cc,
            "family",
            "Creative Commons without elements (BY, NC, ND, SA) or version",
        )
    key = fold(text)
    key = key[: -len(" family")] if key.endswith(" family") else key
    cands = name_index().families.get(key)
    if not cands:
        return None
    if len(cands) == 1:
        return _m(text, cands[0], 0.85, "family", "the only licence of this family")
    return _amb(text, cands, "family", "licence family without a version or variant")


def resolve_leaf(data: LicenseData, text: str) -> Leaf:
    """Resolve one part of an expression (no sentence reading)."""
    return resolve_strict(data, text) or family(data, text) or _unknown(text)


def _unknown(text: str) -> Leaf:
    return Leaf(text, "unknown", None, 0.0, f"not a known licence name or SPDX id: {text.strip()[:80]!r}")  # fmt: skip
