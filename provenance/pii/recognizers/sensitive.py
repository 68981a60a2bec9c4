"""Sensitive categories (PIPL Art. 28) as presidio recognizers, one class per category.

The classes are generated from ``schemas/sensitive_terms.toml`` through
:mod:`provenance.pii.sensitive` (terms, cues, regexes); ``REQUIRES`` is the category's terms,
so the fast path skips a category whose terms are absent from a record.
"""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern

from provenance.pii.recognizers.base import ProvenanceRecognizer
from provenance.pii.sensitive import Category, alternation, categories, patterns


class SensitiveRecognizer(ProvenanceRecognizer):
    """A category's terms near a person cue, for the language it is built for."""

    CATEGORY: Category

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language)
        # the class attributes hold both languages' terms; keep this language's patterns
        self.patterns = [Pattern(*p) for p in patterns(self.CATEGORY, supported_language)]  # type: ignore[has-type]


def _make(cat: Category) -> type[SensitiveRecognizer]:
    both = tuple(t for ts in cat.terms.values() for t in ts)
    attrs: dict[str, Any] = {
        "CATEGORY": cat,
        "ENTITY": cat.entity,
        "PATTERNS": patterns(cat, "en"),
        "REQUIRES": alternation(both, "zh"),  # any term, no boundaries: a necessary condition
        "__doc__": f"{cat.pipl_en} ({cat.pipl_zh}): terms near a person cue.",
    }
    return type(f"{cat.entity.title().replace('_', '')}Recognizer", (SensitiveRecognizer,), attrs)


#: one recognizer class per category, in the order of the TOML file
SENSITIVE_RECOGNIZERS: tuple[type[SensitiveRecognizer], ...] = tuple(_make(c) for c in categories())
