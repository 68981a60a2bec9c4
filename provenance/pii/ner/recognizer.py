"""The NER engines as presidio recognizers, and the analyzer that runs them in batches.

presidio calls a recognizer once per text; the English engine is several times faster over a
batch (spaCy's ``nlp.pipe``). :meth:`NerAnalyzer.analyze_many` therefore asks each engine for a
whole batch first and hands the answers to the recognizers through :class:`Primed`; presidio
then runs as usual (its score threshold, context enhancement and de-duplication apply).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Protocol

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult

from provenance.pii.ner import NER_ENTITIES
from provenance.pii.nlp import LANGUAGES, OfflineNlpEngine, guess_language
from provenance.pii.windows import WINDOW, analyze_windows

Span = tuple[int, int, str]
#: characters of a record the name search reads (about 3 s of NER): bounded cost per record
MAX_CHARS = 100_000


class Engine(Protocol):
    """What an NER engine offers: spans (start, end, PERSON | LOCATION) per text."""

    def find_many(self, texts: list[str]) -> list[list[Span]]: ...


class Primed:
    """Answers computed for a batch, looked up by text while presidio runs."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Span]] = {}


class NerRecognizer(EntityRecognizer):
    """One engine for one language, as presidio sees it."""

    SCORE = 0.85

    def __init__(self, engine: Engine, language: str, primed: Primed) -> None:
        self.engine = engine
        self.primed = primed
        super().__init__(
            supported_entities=list(NER_ENTITIES),
            name=f"{language.upper()}NameRecognizer",
            supported_language=language,
        )

    def load(self) -> None:  # the engine is loaded already
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        spans = self.primed.answers.get(text)
        if spans is None:
            spans = self.engine.find_many([text])[0]
        return [
            RecognizerResult(label, start, end, self.SCORE)
            for start, end, label in spans
            if label in entities
        ]


class NerAnalyzer:
    """presidio's AnalyzerEngine with the two NER recognizers (blank spaCy tokenizers)."""

    def __init__(self, engines: dict[str, Engine] | None = None) -> None:
        if engines is None:
            from provenance.pii.ner.en import EnglishNames
            from provenance.pii.ner.zh import ChineseNames

            engines = {"en": EnglishNames(), "zh": ChineseNames()}
        self.engines = engines
        self.primed = Primed()
        nlp = OfflineNlpEngine()
        nlp.load()
        registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
        for lang, engine in engines.items():
            registry.add_recognizer(NerRecognizer(engine, lang, self.primed))
        self.analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=nlp, supported_languages=list(LANGUAGES)
        )

    def analyze_many(self, texts: Sequence[str]) -> list[list[RecognizerResult]]:
        """PERSON and LOCATION results per text (language guessed per text, as for patterns).

        Only the first :data:`MAX_CHARS` characters of a text are analysed (a record's share
        with names is then a lower bound for longer records); a text longer than one window is
        analysed in overlapping windows (:mod:`provenance.pii.windows`)."""
        texts = [t[:MAX_CHARS] for t in texts]
        langs = [guess_language(t) for t in texts]
        for lang, engine in self.engines.items():
            batch = [
                t for t, lg in zip(texts, langs, strict=True) if lg == lang and len(t) <= WINDOW
            ]
            if batch:
                self.primed.answers.update(zip(batch, engine.find_many(batch), strict=True))
        try:
            return [
                analyze_windows(t, partial(self._analyze, lang=lg)) if t else []
                for t, lg in zip(texts, langs, strict=True)
            ]
        finally:
            self.primed.answers.clear()

    def _analyze(self, text: str, lang: str) -> list[RecognizerResult]:
        return self.analyzer.analyze(text, language=lang, entities=list(NER_ENTITIES))
