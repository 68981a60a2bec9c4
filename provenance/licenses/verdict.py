"""What classifying one licence string concludes: :class:`LicenseVerdict`, how terms combine
under AND / OR, and the Data Provenance Initiative's use class of a verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from provenance.licenses.data import Terms

DPI_CLASSES = ("commercial", "non-commercial", "academic-only", "unspecified")


def dpi_class(category: str, commercial_use: str) -> str:
    """The Data Provenance Initiative's use class of a verdict — the one mapping we use.

    DPI classes licences as "All" (commercial use allowed), "NC" (non-commercial), "Acad"
    (academic / research only) and "Unspecified". Ours: ``research_only`` → academic-only;
    otherwise ``commercial_use`` allowed → commercial, not allowed → non-commercial,
    unclear → unspecified.
    """
    if category == "research_only":
        return "academic-only"
    return {"allowed": "commercial", "not allowed": "non-commercial"}.get(
        commercial_use, "unspecified"
    )


@dataclass(frozen=True)
class LicenseVerdict:
    """The classification of one licence string."""

    input: str
    outcome: str  # matched / ambiguous / unknown / empty
    spdx: str | None
    category: str
    commercial_use: str  # allowed / not allowed / unclear
    attribution_required: bool
    share_alike: bool
    no_derivatives: bool
    forbids_competing_models: bool
    confidence: float
    reason: str
    rank: int
    rule: str = "unknown"  # the normaliser rule that decided (see provenance.licenses.normalize)
    candidates: tuple[str, ...] = ()  # for ambiguous verdicts: what the string may mean
    dpi_class: str = "unspecified"  # commercial / non-commercial / academic-only / unspecified

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (for CSV/JSON output)."""
        return asdict(self)


def _combine(op: str, parts: list[Terms]) -> Terms:
    """AND: the most restrictive term binds; OR: the most permissive usable option is chosen."""
    if op == "OR":
        usable = [p for p in parts if p.category != "unknown"] or parts
        return min(usable, key=lambda t: t.rank)
    worst = max(parts, key=lambda t: t.rank)
    uses = {p.commercial_use for p in parts}
    commercial = (
        "not allowed" if "not allowed" in uses else "unclear" if "unclear" in uses else "allowed"
    )
    return Terms(
        category=worst.category,
        rank=worst.rank,
        commercial_use=commercial,
        attribution_required=any(p.attribution_required for p in parts),
        share_alike=any(p.share_alike for p in parts),
        no_derivatives=any(p.no_derivatives for p in parts),
        forbids_competing_models=any(p.forbids_competing_models for p in parts),
    )


def _term_values(source: Terms | LicenseVerdict) -> dict[str, Any]:
    """The fields of :class:`Terms`, read from terms or a verdict (which carries them all)."""
    return {f.name: getattr(source, f.name) for f in fields(Terms)}
