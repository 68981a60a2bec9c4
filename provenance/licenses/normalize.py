"""Free-text licence strings → SPDX expressions, without guessing.

Each leaf of a licence string is resolved by, in order: the explicit-unknown and ambiguous
tables, the alias table, licence URLs (Creative Commons, opensource.org, spdx.org, gnu.org,
apache.org), SPDX ids (case-insensitive, via license-expression's bundled index), and two
strict patterns for loosely written Creative Commons and GNU licences. Nothing else matches:
there is no edit-distance or substring matching, so "Commercial" can never become a CC-NC
licence. AND / OR / WITH are parsed (and ``/`` between ids read as OR), never string-matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from license_expression import ExpressionError

from provenance.licenses.data import LicenseData, key_variants, norm_key, spdx


@dataclass(frozen=True)
class Leaf:
    """One resolved licence name."""

    text: str
    outcome: str  # matched / ambiguous / unknown
    spdx: str | None
    confidence: float
    reason: str
    category: str | None = None  # for ambiguous leaves: the category all candidates share


_CC = re.compile(
    r"^(?:cc|creative commons)[ -]?(?:by|attribution)"
    r"(?P<el>(?:[ -]+(?:nc|non[ -]?commercial|nd|no[ -]?deriv(?:ative)?s|sa|share[ -]?alike))*)"
    r"(?:[ -]+v?(?:ersion )?(?P<ver>\d\.\d))?"
    r"(?: international| generic| unported| intl)?(?: public)?(?: licen[cs]e)?$"
)
_GNU = re.compile(
    r"^(?:gnu )?(?P<kind>a|l)?gpl[ -]?v?(?P<ver>\d(?:\.\d)?)(?P<later>\+| or later|-or-later)?$"
)
_CC_URL = re.compile(
    r"creativecommons\.org/licenses/(?P<el>by(?:-(?:nc|nd|sa))*)/(?P<ver>\d\.\d)", re.I
)
_SIMPLE_URLS = [
    (re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.I), "CC0-1.0"),
    (re.compile(r"creativecommons\.org/publicdomain/mark/", re.I), "LicenseRef-Public-Domain"),
    (re.compile(r"apache\.org/licenses/LICENSE-2\.0", re.I), "Apache-2.0"),
    (re.compile(r"opensource\.org/licenses?/mit(?:-license)?(?:\.php)?/?$", re.I), "MIT"),
    (re.compile(r"opendatacommons\.org/licenses/odbl", re.I), "ODbL-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/by", re.I), "ODC-By-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/pddl", re.I), "PDDL-1.0"),
    (
        re.compile(r"ai\.meta\.com/llama/license|llama\.meta\.com/llama2/license", re.I),
        "LicenseRef-Llama-2-Community",
    ),
    (re.compile(r"openai\.com/(policies/)?terms", re.I), "LicenseRef-OpenAI-Terms"),
]
_ID_URL = re.compile(
    r"(?:opensource\.org/licenses?|spdx\.org/licenses)/(?P<id>[A-Za-z0-9.+-]+?)(?:\.html|\.json|\.php)?/?$",
    re.I,
)
_GNU_URL = re.compile(
    r"gnu\.org/licenses/(?:old-licenses/)?(?P<kind>a|l)?(?P<fam>gpl|fdl)-(?P<ver>\d\.\d)", re.I
)
_OPS = re.compile(r"(\(|\)|\s+(?:and|or|with)\s+)", re.I)
_SLASH = re.compile(r"^[A-Za-z0-9.+-]+(?:\s*/\s*[A-Za-z0-9.+-]+)+$")


def _spdx_id(token: str) -> str | None:
    """Canonical SPDX id for a single token, or None."""
    if not re.fullmatch(r"[A-Za-z0-9.+-]+", token):
        return None
    try:
        info = spdx().validate(token)
    except ExpressionError:
        return None
    if info.errors or not info.normalized_expression or " " in info.normalized_expression:
        return None
    return str(info.normalized_expression)


def _cc(el: str) -> str:
    """Creative Commons elements (' nc sa') → 'CC-BY-NC-SA'."""
    tags: set[str] = set()
    for p in re.findall(r"non[ -]?commercial|no[ -]?deriv(?:ative)?s|share[ -]?alike|nc|nd|sa", el):
        if p.startswith("non") or p == "nc":
            tags.add("NC")
        elif p.startswith("no") or p == "nd":
            tags.add("ND")
        else:
            tags.add("SA")
    return "CC-BY" + "".join(f"-{t}" for t in ("NC", "ND", "SA") if t in tags)


def _url(text: str) -> Leaf | None:
    if not re.match(r"^(https?://|www\.)|^[a-z0-9.-]+\.(org|com|net)/", text.strip(), re.I):
        return None
    t = text.strip()
    if m := _CC_URL.search(t):
        sid = _spdx_id(f"CC-{m['el'].upper()}-{m['ver']}")
        if sid:
            return Leaf(text, "matched", sid, 0.95, "Creative Commons licence URL")
    for pattern, sid in _SIMPLE_URLS:
        if pattern.search(t):
            return Leaf(text, "matched", sid, 0.95, "licence URL")
    if m := _GNU_URL.search(t):
        fam = "GFDL" if m["fam"].lower() == "fdl" else f"{(m['kind'] or '').upper()}GPL"
        sid = _spdx_id(f"{fam}-{m['ver']}-only")
        if sid:
            return Leaf(
                text,
                "matched",
                sid,
                0.9,
                "GNU licence URL (version given, 'only' assumed as SPDX does)",
            )
    if m := _ID_URL.search(t):
        sid = _spdx_id(m["id"])
        if sid:
            return Leaf(text, "matched", sid, 0.95, "SPDX or OSI licence URL")
    return Leaf(
        text, "unknown", None, 0.0, "URL does not identify a licence; name the licence (SPDX id)"
    )


def lookup_tables(data: LicenseData, text: str) -> Leaf | None:
    """Whole-string lookup in the unknown, ambiguous and alias tables."""
    for key in key_variants(text):
        if key in data.unknown:
            return Leaf(text, "unknown", None, 0.0, data.unknown[key])
        if key in data.ambiguous:
            reason, category = data.ambiguous[key]
            return Leaf(text, "ambiguous", None, 0.5, reason, category)
        if key in data.aliases:
            return Leaf(text, "matched", data.aliases[key], 0.95, "alias table")
    return None


def resolve_leaf(data: LicenseData, text: str) -> Leaf:
    """Resolve one licence name (no operators)."""
    if (hit := lookup_tables(data, text)) is not None:
        return hit
    if (url := _url(text)) is not None:
        return url
    if re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+", text.strip()):
        if data.terms(text.strip()) is not None:
            return Leaf(text, "matched", text.strip(), 1.0, "LicenseRef id")
        return Leaf(
            text,
            "unknown",
            None,
            0.0,
            f"{text.strip()} is not covered by the category rules; add a rule for it",
        )
    for candidate in (text.strip(), *key_variants(text)):
        if sid := _spdx_id(candidate):
            return Leaf(text, "matched", sid, 1.0, "SPDX id")
    key = norm_key(text)
    if m := _CC.match(key):
        name, ver = _cc(m["el"] or ""), m["ver"]
        if ver:
            sid = _spdx_id(f"{name}-{ver}")
            if sid:
                return Leaf(text, "matched", sid, 0.85, "Creative Commons name written loosely")
            return Leaf(text, "unknown", None, 0.0, f"{name} has no version {ver}")
        terms = data.terms(f"{name}-4.0")
        category = terms.category if terms else "unknown"
        return Leaf(text, "ambiguous", None, 0.5, f"{name} without a version", category)
    if m := _GNU.match(key):
        ver = (
            m["ver"]
            if "." in m["ver"]
            else f"{m['ver']}.{'1' if m['kind'] == 'l' and m['ver'] == '2' else '0'}"
        )
        sid = _spdx_id(
            f"{(m['kind'] or '').upper()}GPL-{ver}-{'or-later' if m['later'] else 'only'}"
        )
        if sid:
            return Leaf(text, "matched", sid, 0.85, "GNU licence name written loosely")
    return Leaf(
        text, "unknown", None, 0.0, f"not a known licence name or SPDX id: {text.strip()[:80]!r}"
    )


def split_expression(text: str) -> list[str]:
    """Tokens of a licence expression: '(', ')', 'AND', 'OR', 'WITH' and leaf strings."""
    t = text.strip()
    if _SLASH.match(t) and "://" not in t:
        t = re.sub(r"\s*/\s*", " OR ", t)
    tokens: list[str] = []
    for part in _OPS.split(t):
        p = part.strip()
        if not p:
            continue
        tokens.append(p.upper() if p.upper() in ("AND", "OR", "WITH") else p)
    return tokens


def has_operators(text: str) -> bool:
    """True when the string is an expression rather than one licence name."""
    tokens = split_expression(text)
    return len(tokens) > 1 or tokens[:1] in (["("], [")"])
