"""Shared pieces of our recognizers: digit-safe boundaries and a per-language constructor.

Stock patterns bound identifiers with ``\\b``, which fails when an identifier is glued to Chinese
text (手机13812345678，): a Han character is a word character, so there is no boundary. Our
patterns use look-arounds on ASCII letters and digits instead.

Every recognizer sees the text with Unicode digits as ASCII (:func:`normalise_text`, one
character for one, so offsets need no mapping back): １３８１２３４５６７８ is a mobile number.
A recognizer whose regex only finds candidates (phone numbers) refines each match into the
exact spans with :meth:`ProvenanceRecognizer.refine`; presidio's engine and the fast path both
go through it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from provenance.pii.identifiers import normalise_text

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

    def refine(self, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        """Exact spans inside a pattern match of ``text`` (normalised); None: the match itself,
        validated by ``validate_result`` as presidio does."""
        return None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: Any = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """presidio's pattern analysis on the normalised text (same length, same offsets)."""
        norm = normalise_text(text)
        if type(self).refine is ProvenanceRecognizer.refine:
            return super().analyze(norm, entities, nlp_artifacts, regex_flags)
        results = []
        name = str(self.name)  # type: ignore[has-type]
        flags: int = regex_flags or self.global_regex_flags or 0
        patterns: list[Pattern] = list(self.patterns)  # type: ignore[has-type]
        for pattern in patterns:
            for m in regex.compile(pattern.regex, flags).finditer(norm):  # regex caches it
                for start, end in self.refine(norm, m.start(), m.end()) or ():
                    explanation = self.build_regex_explanation(
                        name, pattern.name, pattern.regex, pattern.score, True, flags
                    )
                    results.append(
                        RecognizerResult(
                            entity_type=self.supported_entities[0],
                            start=start,
                            end=end,
                            score=pattern.score,
                            analysis_explanation=explanation,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        )
                    )
        return EntityRecognizer.remove_duplicates(results)
