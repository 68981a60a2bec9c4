"""presidio set-up: the analyzer of record, with our recognizers and the offline NLP engine."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from provenance.pii.custom import CustomPattern, recognizer_classes
from provenance.pii.nlp import LANGUAGES, OfflineNlpEngine
from provenance.pii.recognizers import all_recognizers


def build_analyzer(
    models: dict[str, str] | None = None, custom: tuple[CustomPattern, ...] = ()
) -> AnalyzerEngine:
    """An AnalyzerEngine that never downloads: blank spaCy pipelines unless models are named.

    With a named (installed) spaCy model for a language, presidio's NER recognizer adds PERSON
    and LOCATION for that language.
    """
    nlp = OfflineNlpEngine(models)
    nlp.load()
    registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
    for recognizer in all_recognizers(LANGUAGES):
        registry.add_recognizer(recognizer)
    for cls in recognizer_classes(custom):
        for lang in LANGUAGES:
            registry.add_recognizer(cls(supported_language=lang))
    for lang in models or {}:
        registry.add_recognizer(
            SpacyRecognizer(supported_language=lang, supported_entities=["PERSON", "LOCATION"])
        )
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=list(LANGUAGES))
