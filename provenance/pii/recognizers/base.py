"""Shared pieces of our recognizers: digit-safe boundaries and a per-language constructor.

Stock patterns bound identifiers with ``\\b``, which fails when an identifier is glued to Chinese
text (手机13812345678，): a Han character is a word character, so there is no boundary. Our
patterns use look-arounds on ASCII letters and digits instead.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

L = r"(?<![0-9A-Za-z])"  # not preceded by an ASCII letter or digit
R = r"(?![0-9A-Za-z])"  # not followed by one


class ProvenanceRecognizer(PatternRecognizer):
    """A pattern recognizer defined by class attributes, built once per language."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[tuple[str, str, float]]]  # (name, regex, score)
    CONTEXT: ClassVar[list[str]] = []
    #: a regex every match of every pattern must contain (the fast path skips the patterns
    #: when it is absent; tests/test_pii_fast.py checks it is a necessary condition)
    REQUIRES: ClassVar[str | None] = None
    #: every match contains a digit and lies within 24 characters of its digit run: the fast
    #: path scans only those neighbourhoods (tests/test_pii_fast.py checks it)
    DIGIT_ANCHORED: ClassVar[bool] = False

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            name=f"{type(self).__name__}",
        )
