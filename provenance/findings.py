"""Findings: what a check concludes, tied to a requirement id and an article, in two languages.

Every finding code is declared once, as a :class:`FindingCode` beside the check that raises it:
its requirement id (REGULATION.md), article, default severity and bilingual message. The
registry :data:`CODES` is what a pipeline's ``[severity]`` keys are validated against and what
README's findings table is generated from. Every finding carries ``message_en`` and
``message_zh`` rendered from the code's one bilingual template, so the two texts can never drift
apart in what they report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from provenance.vocabulary import zh_values

Severity = Literal["info", "low", "medium", "high", "blocker"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "blocker")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Message:
    """A bilingual message template; placeholders use :meth:`str.format` syntax."""

    en: str
    zh: str

    def render(self, **values: Any) -> tuple[str, str]:
        """Fill both templates; the Chinese one gets enum values by their Chinese label and an
        error by its Chinese reason (:func:`provenance.vocabulary.zh_values`)."""
        return self.en.format(**values), self.zh.format(**zh_values(values))


@dataclass(frozen=True)
class FindingCode:
    """One finding code: the single declaration of what it means and how it is worded.

    ``variants`` are alternative wordings of the same conclusion (e.g. "nothing could be read"
    for ``malformed_records`` when no record survived), chosen with ``find(..., variant=…)``.
    """

    code: str
    requirement: str
    article: str
    severity: Severity
    en: str
    zh: str
    variants: tuple[tuple[str, Message], ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding code {self.code}: unknown severity {self.severity!r}")
        if self.code in CODES:
            raise ValueError(f"finding code {self.code!r} is declared twice")
        CODES[self.code] = self

    @property
    def message(self) -> Message:
        """The default bilingual template."""
        return Message(self.en, self.zh)

    def wording(self, variant: str | None = None) -> Message:
        """The template of ``variant`` (None: the default)."""
        if variant is None:
            return self.message
        found = dict(self.variants).get(variant)
        if found is None:
            raise KeyError(f"finding code {self.code} has no variant {variant!r}")
        return found


#: every finding code, by code: filled as check modules declare theirs (import provenance.checks)
CODES: dict[str, FindingCode] = {}


@dataclass
class Finding:
    """One conclusion of a check about one subject (a source, a file, a model, the run)."""

    check_id: str
    article: str
    severity: Severity
    subject_kind: str
    subject_id: str
    code: str
    message_en: str
    message_zh: str
    evidence: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # disambiguates two findings of one code about one subject (e.g. a path)

    @property
    def fingerprint(self) -> str:
        """Run-independent identity, so findings can be matched between runs (opened/closed)."""
        key = "\x1f".join((self.check_id, self.code, self.subject_kind, self.subject_id, self.key))
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def as_row(self, run_id: str, seq: int) -> dict[str, Any]:
        """Row for the ``findings`` table."""
        return {
            "run_id": run_id,
            "finding_id": f"{run_id}:{seq:05d}",
            "fingerprint": self.fingerprint,
            "check_id": self.check_id,
            "code": self.code,
            "article": self.article,
            "severity": self.severity,
            "subject_kind": self.subject_kind,
            "subject_id": self.subject_id,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "evidence": json.dumps(self.evidence, ensure_ascii=False, sort_keys=True, default=str),
        }


def make_finding(
    check_id: str,
    article: str,
    severity: Severity,
    subject_kind: str,
    subject_id: str,
    code: str,
    message: Message,
    evidence: dict[str, Any] | None = None,
    /,
    key: str = "",
    **values: Any,
) -> Finding:
    """Build a finding, rendering ``message`` in both languages with ``values``."""
    en, zh = message.render(**values)
    return Finding(
        check_id=check_id,
        article=article,
        severity=severity,
        subject_kind=subject_kind,
        subject_id=subject_id,
        code=code,
        message_en=en,
        message_zh=zh,
        evidence=evidence or {},
        key=key,
    )


def is_blocking(severity: str, fail_on: str) -> bool:
    """True when ``severity`` is at or above the pipeline's ``fail_on`` level."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on]
