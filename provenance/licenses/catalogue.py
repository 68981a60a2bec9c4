"""The Data Provenance Initiative's licence catalogue: DPI's use class of licence names.

``schemas/licenses/dpi_classes.toml`` is generated from DPI's Data-Provenance-Collection
constants (``license_classes.json``, ``license_paraphrases.json``,
``custom_license_classes.json``; Apache-2.0) by ``schemas/licenses/tools/dpi_catalogue.py``;
its ``[meta]`` table names the commit.

It feeds the normaliser's last rule, ``dpi-catalogue``: for a string no other rule identifies
(custom dataset agreements such as "LDC User Agreement", DPI's conventions such as "Unclear"),
the verdict stays *unknown* — no SPDX id, the licence check still raises ``unknown_license`` —
but carries DPI's class, mapped once to our terms (:data:`USE_TERMS`), so ``commercial_use`` and
``dpi_class`` say what DPI, having read the agreement, says about it. Keys are compared after
:func:`names.fold`, as the full-name rule compares them: one dict lookup per string.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.errors import BadInput, Problem
from provenance.licenses.names import fold
from provenance.resources import schema_file

# DPI's use class → (our category, commercial_use); dpi_class() maps these back to DPI's class.
# Only "Acad" sets a category (research_only is how our mapping says academic-only); the
# others keep "unknown": DPI's class is not the licence's terms.
USE_TERMS: dict[str, tuple[str, str]] = {
    "All": ("unknown", "allowed"),
    "NC": ("unknown", "not allowed"),
    "Acad": ("research_only", "not allowed"),
    "Unspecified": ("unknown", "unclear"),
}
MAX_KEY_CHARS = 2000  # the longest string a catalogue key is compared with


@dataclass(frozen=True)
class DpiEntry:
    """One catalogue entry: a name (or a string DPI files under a name, or a URL)."""

    name: str
    use: str  # All / NC / Acad / Unspecified
    attribution: bool | None  # None: DPI gives no flag
    share_alike: bool | None
    kind: str  # name / paraphrase / url
    filed_under: str | None = None


@dataclass(frozen=True)
class DpiCatalogue:
    """DPI's entries by folded name, and the commit they were taken from."""

    entries: dict[str, DpiEntry] = field(default_factory=dict)
    commit: str = "none"

    def lookup(self, text: str) -> DpiEntry | None:
        """The entry whose folded name equals the folded ``text``, if any."""
        if len(text) > MAX_KEY_CHARS:
            return None
        return self.entries.get(fold(text))

    def subset(self, keep: Callable[[DpiEntry], bool]) -> DpiCatalogue:
        """A catalogue with only the entries ``keep`` accepts (for held-out evaluation)."""
        kept = {k: e for k, e in self.entries.items() if keep(e)}
        return DpiCatalogue(kept, self.commit)


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def load_dpi_catalogue(path: Path | None = None) -> DpiCatalogue:
    """Load and validate ``dpi_classes.toml`` (every problem is reported together)."""
    path = path or schema_file("licenses/dpi_classes.toml")
    try:
        doc: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"licence data file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"licence data file {path} is not valid TOML: {exc}") from None
    problems: list[Problem] = []
    entries: dict[str, DpiEntry] = {}
    for name, spec in doc.get("names", {}).items():
        use = spec.get("class") if isinstance(spec, dict) else None
        key = fold(name)
        if use not in USE_TERMS or not key:
            problems.append(
                Problem(str(path), f"names.{name!r}", f"needs class one of {sorted(USE_TERMS)}")
            )
            continue
        entry = DpiEntry(
            name=name,
            use=use,
            attribution=_flag(spec.get("attribution")),
            share_alike=_flag(spec.get("share_alike")),
            kind=str(spec.get("kind", "name")),
            filed_under=spec.get("filed_under"),
        )
        other = entries.setdefault(key, entry)
        if other.use != use:  # two spellings DPI classes differently: neither is trusted
            problems.append(
                Problem(str(path), f"names.{name!r}", f"folds like {other.name!r}, class differs")
            )
    if problems:
        raise BadInput(f"licence data file {path} has {len(problems)} problem(s)", problems)
    commit = str(doc.get("meta", {}).get("commit", "unknown"))
    return DpiCatalogue(entries, commit)
