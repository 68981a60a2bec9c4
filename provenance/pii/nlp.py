"""An offline NLP engine for presidio: blank spaCy pipelines built locally, nothing downloaded.

presidio's default engine loads (and downloads) ``en_core_web_lg``; a blank pipeline needs no
model. Two fixes make a blank pipeline useful:

* lemmas are empty in a blank pipeline, so presidio's context enhancer sees no words: the
  lower-cased token text stands in for the lemma;
* spaCy's blank Chinese tokenizer cuts text into single characters, so a context word such as
  手机 could never match. Chinese text is cut into runs instead (a run of Han characters, of
  digits, of Latin letters, or one other character), which keeps 联系手机 as one token that
  contains the context word 手机.

A user may name installed spaCy models for NER (PERSON, LOCATION); a model that is not
installed is a clear error with the install hint, never a download.
"""

from __future__ import annotations

import re
from typing import Any

import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.tokens import Doc

from provenance.errors import BadInput

LANGUAGES = ("en", "zh")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9]+|[A-Za-z]+|\S")


class RunTokenizer:
    """Tokens are runs of Han characters, digits or Latin letters; any other character alone."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in _RUNS.finditer(text):
            words.append(m.group())
            spaces.append(m.end() < len(text) and text[m.end()].isspace())
        # Doc needs the exact text back: whitespace runs longer than one char become tokens
        rebuilt = "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True))
        if rebuilt != text:
            words, spaces = spacy.util.get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


class OfflineNlpEngine(SpacyNlpEngine):
    """Blank English and Chinese pipelines (or named, installed spaCy models)."""

    def __init__(self, models: dict[str, str] | None = None) -> None:
        self.model_names = dict(models or {})
        super().__init__(
            models=[
                {"lang_code": lang, "model_name": self.model_names.get(lang, "blank")}
                for lang in LANGUAGES
            ]
        )

    def load(self) -> None:
        loaded: dict[str, Any] = {}
        for lang in LANGUAGES:
            name = self.model_names.get(lang)
            if name:
                if not spacy.util.is_package(name):
                    raise BadInput(
                        f"spaCy model {name!r} for {lang!r} is not installed and is never downloaded at run "
                        f"time; install it first (pip install {name}) or leave it unset for the blank pipeline"
                    )
                loaded[lang] = spacy.load(name)
            else:
                nlp = spacy.blank(lang)
                if lang == "zh":
                    nlp.tokenizer = RunTokenizer(nlp.vocab)
                loaded[lang] = nlp
        self.nlp = loaded  # type: ignore[assignment]  # presidio declares it None until loaded

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        # as presidio's, but a blank pipeline's empty lemma is replaced by the lower-cased text
        pairs = [(t.idx, t.lemma_ or t.lower_) for t in doc]  # one pass over the tokens
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[p[0] for p in pairs],
            lemmas=[p[1] for p in pairs],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str, head: int = 300) -> str:
    """'zh' when Han characters are at least a fifth of the letters in the first ``head``
    characters, else 'en'. Cheap on purpose: it runs on every record (baseline and fast path)."""
    part = text[:head]
    han = len(_HAN.findall(part))
    return "zh" if han and han * 4 >= len(_LATIN.findall(part)) else "en"
