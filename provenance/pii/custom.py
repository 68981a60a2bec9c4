"""Extra personal-information patterns from a file a compliance officer edits (rules as data).

TOML, one ``[[pattern]]`` table each::

    [[pattern]]
    entity = "EMPLOYEE_ID"                           # upper case, digits, underscores
    regex = "(?<![0-9A-Za-z])EMP-\\\\d{6}(?![0-9A-Za-z])"  # presidio pattern (Python `regex`)
    score = 0.6                                      # base score, 0-1
    context = ["工号", "employee"]                    # words that raise the score
    sensitive = false                                # sensitive personal information?
    prefilter = "EMP-[0-9]{6}"                        # optional RE2 regex every match contains

Every entry is validated when the pipeline loads; all problems are reported together. Without
a ``prefilter`` the fast path cannot skip any record for that pattern and reads them all (the
results stay the same; only the speed changes).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import regex

from provenance.errors import BadInput, Problem
from provenance.pii.recognizers.base import ProvenanceRecognizer

CustomPattern = tuple[str, str, float, tuple[str, ...], bool, str | None]
_ENTITY = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")


def load_patterns(path: Path) -> list[CustomPattern]:
    """Read and validate a pattern file; raise BadInput listing every problem."""
    file = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"PII pattern file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"PII pattern file {path} is not valid TOML: {exc}") from None
    problems: list[Problem] = []
    out: list[CustomPattern] = []
    for i, p in enumerate(doc.get("pattern", [])):
        where = f"pattern[{i}]"
        extra = set(p) - {"entity", "regex", "score", "context", "sensitive", "prefilter"}
        entity, rx, score = p.get("entity"), p.get("regex"), p.get("score", 0.5)
        if extra:
            problems.append(Problem(file, where, f"unknown keys {sorted(extra)}"))
        if not isinstance(entity, str) or not _ENTITY.match(entity):
            problems.append(Problem(file, f"{where}.entity", "upper-case name such as EMPLOYEE_ID"))
        if not isinstance(rx, str):
            problems.append(Problem(file, f"{where}.regex", "required: a regular expression"))
        else:
            try:
                regex.compile(rx)
            except regex.error as exc:
                problems.append(Problem(file, f"{where}.regex", f"does not compile: {exc}"))
        if not isinstance(score, int | float) or not 0 < score <= 1:
            problems.append(Problem(file, f"{where}.score", "a number in (0, 1]"))
        prefilter = p.get("prefilter")
        if prefilter is not None:
            try:
                pc.match_substring_regex(pa.array([""]), str(prefilter))
            except pa.ArrowInvalid as exc:
                problems.append(
                    Problem(file, f"{where}.prefilter", f"not an RE2 expression: {exc}")
                )
        context = p.get("context", [])
        if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
            problems.append(Problem(file, f"{where}.context", "a list of words"))
        if not problems:
            out.append(
                (
                    entity,
                    rx,
                    float(score),
                    tuple(context),
                    bool(p.get("sensitive", False)),
                    str(prefilter) if prefilter is not None else None,
                )
            )
    if problems:
        raise BadInput(f"PII pattern file {path} has {len(problems)} problem(s)", problems)
    return out


def recognizer_classes(patterns: tuple[CustomPattern, ...]) -> list[type[ProvenanceRecognizer]]:
    """One recognizer class per custom pattern."""
    classes: list[type[ProvenanceRecognizer]] = []
    for i, (entity, rx, score, context, _sensitive, _prefilter) in enumerate(patterns):
        attrs: dict[str, Any] = {
            "ENTITY": entity,
            "PATTERNS": [(f"custom_{i}", rx, score)],
            "CONTEXT": list(context),
        }
        classes.append(
            type(
                f"Custom{i}{entity.title().replace('_', '')}Recognizer",
                (ProvenanceRecognizer,),
                attrs,
            )
        )
    return classes
