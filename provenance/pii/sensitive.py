"""Sensitive categories of PIPL Art. 28 in free text: the term tables and their regexes.

``schemas/sensitive_terms.toml`` is the one declaration (categories, the PIPL class each
represents, terms in Chinese and English, person cues). This module only reads it and builds
regexes; it imports no presidio, so the prefilter and the checks can use it cheaply. The
recognizers are in :mod:`provenance.pii.recognizers.sensitive`.

A term counts only near a person cue, in the same clause (no sentence punctuation between):
"我被诊断为抑郁症" and "my HIV test" are about a person; "the hospital opened a cancer ward"
is not.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from provenance.resources import schema_file

#: characters a cue and its term may have between them (same clause; Chinese is denser)
_GAP = {"zh": r"[^。！？；.!?;\n]{0,10}", "en": r"[^。！？；.!?;\n]{0,24}"}


@dataclass(frozen=True)
class Category:
    """One sensitive category: entity type, PIPL class, terms per language."""

    entity: str
    pipl_en: str
    pipl_zh: str
    terms: dict[str, tuple[str, ...]]


def alternation(terms: tuple[str, ...], lang: str) -> str:
    alts = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    # English words on ASCII word boundaries; Chinese text has no spaces to bound by
    return rf"(?<![A-Za-z])(?:{alts})(?![A-Za-z])" if lang == "en" else f"(?:{alts})"


@cache
def categories() -> tuple[Category, ...]:
    """The categories of ``schemas/sensitive_terms.toml``, in file order."""
    doc = tomllib.loads(schema_file("sensitive_terms.toml").read_text(encoding="utf-8"))
    return tuple(
        Category(
            entity=name,
            pipl_en=t["pipl_en"],
            pipl_zh=t["pipl_zh"],
            terms={"zh": tuple(t["zh"]), "en": tuple(t["en"])},
        )
        for name, t in doc.items()
        if name != "person_cues"
    )


@cache
def cues(lang: str) -> str:
    """The person-cue alternation for a language. A Chinese pronoun followed by 们 is a group
    (我们到访之前, 他们…残疾人), not a person: measured on news text, those were most false hits."""
    doc = tomllib.loads(schema_file("sensitive_terms.toml").read_text(encoding="utf-8"))
    cue = alternation(tuple(doc["person_cues"][lang]), lang)
    return cue + "(?!们)" if lang == "zh" else cue


def patterns(cat: Category, lang: str) -> list[tuple[str, str, float]]:
    """(name, regex, score): the term after a cue (0.6) or before one (0.5); the span is the
    term. Variable-length look-behind: presidio matches with the ``regex`` module."""
    term = alternation(cat.terms[lang], lang)
    cue = cues(lang)
    # the term first, the cue looked for behind it: a look-behind at the start is tried at
    # every position of the text (18x slower on English news, same matches on the benchmark)
    return [
        (f"{cat.entity.lower()}_after_cue", rf"{term}(?<={cue}{_GAP[lang]}{term})", 0.6),
        (f"{cat.entity.lower()}_before_cue", rf"{term}(?={_GAP[lang]}{cue})", 0.5),
    ]


def terms_regex() -> str:
    """Every term of every category, any language, case-insensitive (an RE2 prefilter part)."""
    terms = sorted({t for c in categories() for ts in c.terms.values() for t in ts}, key=len)
    return "(?i:" + "|".join(re.escape(t) for t in reversed(terms)) + ")"


def sensitive_types() -> frozenset[str]:
    """Entity types of the sensitive categories."""
    return frozenset(c.entity for c in categories())
