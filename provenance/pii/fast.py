"""The fast path: the same spans as presidio's full analysis, at a fraction of the cost.

1. A vectorised prefilter (Arrow's RE2 over the whole batch) keeps only records that could
   hold any of our patterns; it is a superset of every recognizer's regex (a test holds it).
2. For those, one RE2 pass per recognizer guard (a regex every match contains) decides which
   recognizers could match which record (:mod:`.screen`); a digit-anchored recognizer scans
   only the digit regions of a record that hold its guard.
3. The recognizers left run their own patterns and ``validate_result`` (presidio's code):
   decoys with wrong check digits end here.
4. Only records with validated matches go through presidio's ``AnalyzerEngine.analyze`` — on a
   window around the matches, cut at a token boundary and wide enough for the context
   enhancer's words, with the NLP artifacts of that window. Results are shifted back and kept
   only where a full-text pattern match produced them.
5. A record longer than one window (10,000 characters; spaCy refuses 1,000,000) is analysed
   in overlapping windows, results de-duplicated by absolute offsets (:mod:`.windows`).

With an NER model configured there is nothing to prefilter on: every record takes the full
analysis (``exact_only`` becomes False and the fast path is not used).
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import regex
from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerResult

from provenance.pii.identifiers import normalise_text
from provenance.pii.nlp import guess_language
from provenance.pii.prefilter import PREFILTER, combined
from provenance.pii.screen import (
    ALNUM,
    GuardGroups,
    context_free,
    digit_regions,
    guarded_regions,
    re2_ok,
    screen_batch,
)
from provenance.pii.windows import analyze_windows

__all__ = ["PREFILTER", "FastAnalyzer"]
_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE


#: how far past a match our patterns look (a sensitive term's cue: a gap of 24 and the cue)
_LOOK_AHEAD = 48


def _guard(rec: PatternRecognizer) -> Any:
    requires = getattr(rec, "REQUIRES", None)
    return re.compile(requires, re.IGNORECASE) if requires else None


def _run_class(ch: str) -> str:
    if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
        return "han"
    if "0" <= ch <= "9":
        return "digit"
    if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
        return "latin"
    return "other"


class FastAnalyzer:
    """Batch analysis giving presidio's answers; ``analyzer`` is the engine of record."""

    def __init__(
        self,
        analyzer: AnalyzerEngine,
        window_margin: int = 128,
        custom_prefilters: list[str | None] | None = None,
    ) -> None:
        self.analyzer = analyzer
        # custom patterns add their own prefilter; one without a prefilter disables skipping
        self.prefilter: str | None = combined(list(custom_prefilters or []))
        self.margin = window_margin
        enhancer = analyzer.context_aware_enhancer
        # the enhancer walks back from the entity's token collecting prefix_count + 1 keyword
        # lemmas; a window with that many keyword tokens before the first match is wide enough
        self.need_tokens = int(getattr(enhancer, "context_prefix_count", 5)) + 1
        self.recognizers: dict[str, list[PatternRecognizer]] = {}
        self.compiled: dict[str, list[tuple[PatternRecognizer, Any, float, Any, bool]]] = {}
        self.exact = True
        self.batch_guards: list[str] = []
        #: guards of the digit-anchored recognizers, decided per batch too (screen_batch)
        self.digit_guards: list[str] = []
        #: per language, the entity types whose results no NLP artifact can change
        self.context_free: dict[str, set[str]] = {}
        self._no_nlp: dict[str, Any] = {}
        for lang in analyzer.supported_languages:
            recs = analyzer.registry.get_recognizers(language=lang, all_fields=True)
            if any(not isinstance(r, PatternRecognizer) for r in recs):
                self.exact = False
            pats: list[PatternRecognizer] = [r for r in recs if isinstance(r, PatternRecognizer)]
            self.recognizers[lang] = pats
            self.compiled[lang] = [
                (
                    r,
                    regex.compile(p.regex, r.global_regex_flags or _FLAGS),
                    p.score,
                    _guard(r),
                    bool(getattr(r, "DIGIT_ANCHORED", False)),
                )
                for r in pats
                for p in list(r.patterns)  # type: ignore[has-type]
            ]
            self.context_free[lang] = context_free(analyzer, recs)
            for _, _, _, guard, anchored in self.compiled[lang]:
                kind = self.digit_guards if anchored else self.batch_guards
                g = guard.pattern if guard is not None else None
                if g is not None and g not in kind and re2_ok(g):
                    kind.append(g)
        self.groups = GuardGroups(self.batch_guards, self.digit_guards)

    def analyze_batch(self, texts: pa.Array) -> list[list[RecognizerResult]]:
        """Results per record of a string array (empty lists for records without PI)."""
        out: list[list[RecognizerResult]] = [[] for _ in range(len(texts))]
        if not self.exact:
            for i, t in enumerate(texts.to_pylist()):
                if t:
                    out[i] = self.analyze_full(t)
            return out
        if self.prefilter is None:
            idx = pc.indices_nonzero(pc.is_valid(texts)).to_pylist()
        else:
            mask = pc.fill_null(pc.match_substring_regex(texts, self.prefilter), False)
            idx = pc.indices_nonzero(mask).to_pylist()
        if not idx:
            return out
        candidates = pc.take(texts, pa.array(idx))
        decided, plain = screen_batch(candidates, self.groups.groups())
        self.groups.count(decided)
        for i, t, known, p in zip(idx, candidates.to_pylist(), decided, plain, strict=True):
            out[i] = self.analyze_text(t, known=known, plain=p)
        return out

    def batch_guard_hits(self, texts: pa.Array) -> list[dict[str, bool]]:
        """Per text, whether each guard (a ``REQUIRES`` pattern) matches it, decided for the
        whole batch by Arrow's RE2: one vectorised pass per guard instead of a Python search per
        text and recognizer (the term lists of the sensitive categories made those searches
        the slowest step of the scan). Exact: the guards see the text normalised as the
        recognizers do (:func:`provenance.pii.screen.screen_batch`)."""
        return screen_batch(texts, self.groups.groups())[0]

    def analyze_full(self, text: str) -> list[RecognizerResult]:
        """presidio's full analysis (every recognizer, NER too), in windows for long texts."""
        lang = guess_language(text)
        return analyze_windows(text, lambda w: self.analyzer.analyze(w, language=lang))

    def analyze_text(
        self,
        text: str,
        lang: str | None = None,
        known: dict[str, bool] | None = None,
        plain: bool = False,
    ) -> list[RecognizerResult]:
        """Same results as ``analyzer.analyze(text, guess_language(text))``; a text longer than
        spaCy takes is analysed in overlapping windows (:mod:`provenance.pii.windows`).
        ``known``: guards decided for the whole text (:meth:`batch_guard_hits`); a guard
        absent from the text is absent from every window, one present runs its patterns.
        ``plain``: the text has no character that normalisation changes (decided per batch)."""
        lang = lang or guess_language(text)
        return analyze_windows(text, lambda w: self._analyze_window(w, lang, known or {}, plain))

    def identifiers(self, text: str) -> list[tuple[int, int, str, float]]:
        """Validated pattern matches (start, end, entity type, score) of a short string such as
        a record key or a URL segment: the recognizers' patterns and check digits, no NLP."""
        return self._raw_spans(text, guess_language(text))

    def _analyze_window(
        self, text: str, lang: str, known: dict[str, bool], plain: bool = False
    ) -> list[RecognizerResult]:
        raw = self._raw_spans(text, lang, known, plain)
        if not raw:
            return []
        keep = {r[:3] for r in raw}
        lo, hi = min(r[0] for r in raw), max(r[1] for r in raw)
        # only the entity types found: presidio de-duplicates within a type, so this is exact
        entities = sorted({r[2] for r in keep})
        margin = self.margin
        while True:
            ws = self._token_start(text, max(0, lo - margin), lang)
            # past the last match by the margin too: look-aheads (a cue after a sensitive term,
            # no letter after an identifier) must see what they see in the full text
            we = self._token_end(text, min(len(text), hi + _LOOK_AHEAD), lang)
            window = text[ws:we]
            if self.context_free[lang].issuperset(entities):
                # no context words to look for: nothing reads the window's tokens, so spaCy's
                # tokenization (most of this step's cost) is skipped; the artifacts of ""
                artifacts = self._no_nlp.get(lang)
                if artifacts is None:
                    artifacts = self._no_nlp[lang] = self.analyzer.nlp_engine.process_text("", lang)
                break
            artifacts = self.analyzer.nlp_engine.process_text(window, lang)
            if ws == 0 or self._keywords_before(artifacts, lo - ws) >= self.need_tokens:
                break
            margin *= 2
        results = self.analyzer.analyze(
            window, language=lang, entities=entities, nlp_artifacts=artifacts
        )
        shifted = []
        for r in results:
            if (r.start + ws, r.end + ws, r.entity_type) in keep:
                r.start += ws
                r.end += ws
                shifted.append(r)
        return shifted

    def _raw_spans(
        self, text: str, lang: str, known: dict[str, bool] | None = None, plain: bool = False
    ) -> list[tuple[int, int, str, float]]:
        """Pattern matches that survive validation, scored as presidio's PatternRecognizer does
        (on the text with Unicode digits as ASCII, as our recognizers see it; same offsets).
        ``known``: guards decided for the text; ``plain``: it needs no normalisation."""
        if not plain:
            text = normalise_text(text)
        out: list[tuple[int, int, str, float]] = []
        seen: dict[str, bool] = dict(known or {})
        regions: list[tuple[int, int]] | None = None
        in_regions: dict[str, list[tuple[int, int]]] = {}
        for rec, rx, score, guard, anchored in self.compiled[lang]:
            if guard is not None and seen.get(guard.pattern) is False:
                continue  # decided for the batch: the guard is not in the text
            if anchored:  # scan only the digit regions that hold the recognizer's guard
                if regions is None:
                    regions = digit_regions(text)
                where = guarded_regions(text, regions, guard, in_regions)
                matches = [m for a, b in where for m in rx.finditer(text, a, b)]
            else:
                if guard is not None:
                    if guard.pattern not in seen:
                        seen[guard.pattern] = guard.search(text) is not None
                    if not seen[guard.pattern]:
                        continue
                matches = list(rx.finditer(text))
            refined = getattr(rec, "refine", None)
            for m in matches:
                start, end = m.span()
                if start == end:
                    continue
                spans = refined(text, start, end) if refined is not None else None
                if spans is not None:  # a candidate: the recognizer says where the values are
                    out.extend((a, b, rec.supported_entities[0], score) for a, b in spans)
                    continue
                value = text[start:end]
                valid = rec.validate_result(value)
                score_now = (1.0 if valid else 0.0) if valid is not None else score
                if rec.invalidate_result(value):
                    score_now = 0.0
                if score_now > 0.0:
                    out.append((start, end, rec.supported_entities[0], score_now))
        return out

    @staticmethod
    def _token_start(text: str, pos: int, lang: str) -> int:
        """A position at or before ``pos`` where the full-text tokenization starts a token."""
        if pos <= 0:
            return 0
        if lang == "zh":  # RunTokenizer: runs are maximal, so a class change is a token start
            q = pos
            while q > 0 and _run_class(text[q - 1]) == _run_class(text[q]) != "other":
                q -= 1
            return q
        ws = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos), text.rfind("\t", 0, pos))
        return ws + 1 if ws >= 0 else 0

    @staticmethod
    def _token_end(text: str, pos: int, lang: str) -> int:
        """A position at or after ``pos`` where the full-text tokenization ends a token."""
        if pos >= len(text):
            return len(text)
        if lang == "zh":  # a run's end, past ASCII letters and digits (patterns look there)
            q, n = pos, len(text)
            while q < n and (
                _run_class(text[q - 1]) == _run_class(text[q]) != "other" or ALNUM.match(text, q)
            ):
                q += 1
            return q
        m = re.search(r"\s", text[pos:])
        return pos + m.start() if m else len(text)

    @staticmethod
    def _keywords_before(artifacts: Any, offset: int) -> int:
        keywords = set(artifacts.keywords)
        return sum(
            1
            for idx, lemma in zip(artifacts.tokens_indices, artifacts.lemmas, strict=True)
            if idx < offset and lemma.lower() in keywords
        )
