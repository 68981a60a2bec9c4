"""Where the fast path's patterns need to look: which recognizers a record could match (decided
for a whole batch in Arrow's RE2) and which parts of a record the digit-anchored ones scan.

Every recognizer with a ``REQUIRES`` guard has a regex that each of its validated matches
contains (tests/test_pii_fast.py holds it). A guard absent from a record rules its recognizer
out; for a digit-anchored recognizer the guard lies inside the match, and so inside the digit
region the match comes from, so a region without it is skipped too. News text is full of
digits (dates, scores): nearly every record has digit regions, few have seven digits in a row
or a phone's shape, so deciding that per batch spares most records the region scan entirely,
and the regions of the rest are scanned only by the recognizers whose guard is in them.

A record whose validated matches are all of types without context words (the sensitive
categories, label-cued names and addresses) needs no tokenization for presidio's analysis:
:func:`context_free` says which types those are.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from presidio_analyzer import AnalyzerEngine, EntityRecognizer
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from provenance.pii.identifiers import NORMALISED_CLASS, normalise_array

_DIGIT_RUN = re.compile(r"[0-9](?:[0-9 .\-]*[0-9])?")
ALNUM = re.compile(r"[0-9A-Za-z]")
#: how far before and after a digit run a digit-anchored match may reach
_REACH = 24


def digit_regions(text: str) -> list[tuple[int, int]]:
    """Neighbourhoods of digit runs (merged). A region ends before a non-alphanumeric character
    (or at the end of the text), so a pattern's look-ahead sees the same thing as in the full
    text; look-behinds see the real text before a region in any case."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _DIGIT_RUN.finditer(text):
        a = max(0, m.start() - _REACH)
        b = min(n, m.end() + _REACH)
        while b < n and ALNUM.match(text, b):
            b += 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def re2_ok(pattern: str) -> bool:
    """Whether RE2 reads ``pattern`` as Python does for a text of no Unicode digits: no
    look-around (RE2 refuses it) and no class RE2 reads differently (``\\w``, ``\\b``, ``\\s``
    are Unicode in Python, ASCII in RE2)."""
    if re.search(r"\\[wWbBsS]|\(\?<?[=!]", pattern):
        return False
    try:
        pc.match_substring_regex(pa.array([""]), pattern, ignore_case=True)
    except pa.ArrowInvalid:
        return False
    return True


def _matches(texts: pa.Array, pattern: str) -> list[bool]:
    # a null text matches everything: it is never skipped for want of a guard
    hits = pc.fill_null(pc.match_substring_regex(texts, pattern, ignore_case=True), True)
    return hits.to_pylist()  # type: ignore[no-any-return]


def screen_batch(
    texts: pa.Array, groups: list[list[str]]
) -> tuple[list[dict[str, bool]], list[bool]]:
    """Per text, whether each guard matches it (case-insensitive, on the text normalised as the
    recognizers see it), and whether the text is already normal (no character that
    :func:`normalise_text` changes, so the recognizers can read it as it is).

    Each RE2 pass costs about the same whatever the pattern (it reads every byte), so guards
    rare in the text come in ``groups``: one pass for a group's union, then one pass per guard
    over the texts the union matched only; a text the union misses has none of them. A group
    of one is one pass. Which guards are rare is the caller's guess: any grouping is exact."""
    n = len(texts)
    if n == 0:
        return [], []
    odd_mask = pc.fill_null(pc.match_substring_regex(texts, NORMALISED_CLASS), False)
    plain = [not o for o in odd_mask.to_pylist()]
    if pc.any(odd_mask).as_py():  # rare: normalise (in Arrow) only the texts that need it
        texts = pc.replace_with_mask(texts, odd_mask, normalise_array(pc.filter(texts, odd_mask)))
    cols: dict[str, list[bool]] = {}
    for group in groups:
        if len(group) == 1:
            cols[group[0]] = _matches(texts, group[0])
            continue
        union = _matches(texts, "|".join(f"(?:{g})" for g in group))
        idx = [i for i, hit in enumerate(union) if hit]
        sub = pc.take(texts, pa.array(idx, pa.int64())) if idx else None
        for g in group:
            col = [False] * n
            if sub is not None:
                for i, hit in zip(idx, _matches(sub, g), strict=True):
                    col[i] = hit
            cols[g] = col
    names = list(cols)
    rows = [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]
    return rows or [{} for _ in range(n)], plain


class GuardGroups:
    """Which guards :func:`screen_batch` decides in one group: the digit-anchored recognizers'
    guards always (rare in any text), the others while they have been in fewer than one
    screened text in ten so far, each alone after that (a common guard in a group costs a
    pass for nothing)."""

    def __init__(self, guards: list[str], digit_guards: list[str]) -> None:
        self.guards = guards
        self.digit_guards = digit_guards
        self.screened = 0
        self.hits: dict[str, int] = dict.fromkeys(guards, 0)

    def groups(self) -> list[list[str]]:
        """The groups for the next batch."""
        rare = [g for g in self.guards if self.hits[g] * 10 <= self.screened]
        common = [[g] for g in self.guards if g not in rare]
        return [g for g in (self.digit_guards, rare, *common) if g]

    def count(self, decided: list[dict[str, bool]]) -> None:
        """Take in one batch's decisions (:func:`screen_batch`)."""
        self.screened += len(decided)
        for g in self.guards:
            self.hits[g] += sum(1 for k in decided if k.get(g))


def guarded_regions(
    text: str, regions: list[tuple[int, int]], guard: Any, cache: dict[str, list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The regions that contain a match of ``guard`` (a compiled ``re`` pattern, or None: every
    region), cached per guard for the text, since recognizers share guards."""
    if guard is None:
        return regions
    found = cache.get(guard.pattern)
    if found is None:
        found = cache[guard.pattern] = [(a, b) for a, b in regions if guard.search(text, a, b)]
    return found


def context_free(analyzer: AnalyzerEngine, recs: list[Any]) -> set[str]:
    """Entity types whose every recognizer has no context words and keeps presidio's default
    (no-op) recognizer-level enhancement: with presidio's lemma enhancer, which skips a result
    of a recognizer without context, their results do not depend on the NLP artifacts."""
    if type(analyzer.context_aware_enhancer) is not LemmaContextAwareEnhancer:
        return set()
    out: set[str] = set()
    for entity in {e for r in recs for e in r.supported_entities}:
        of = [r for r in recs if entity in r.supported_entities]
        if all(
            not r.context
            and type(r).enhance_using_context is EntityRecognizer.enhance_using_context
            for r in of
        ):
            out.add(entity)
    return out
