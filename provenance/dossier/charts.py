"""Charts of the HTML dossier as inline SVG (issue 13 item 6): no script, no font or image
loaded, printable; each with a caption and its numbers in a table beside it.

Renderers are generic (horizontal bars with one or two series, a timeline, a histogram); the
charts themselves are :func:`charts`, built from :func:`provenance.dossier.chart_data.chart_data`.
Labels come in already translated; ids and user data are marked ``class="v"`` like the rest of
the dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

COLORS = ("#2563eb", "#f59e0b")
WIDTH = 560
LABEL_W = 170


@dataclass
class Chart:
    """One figure: caption, picture, and the numbers drawn."""

    key: str
    caption: str
    svg: Markup
    head: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _text(x: float, y: float, text: Any, size: int = 11, anchor: str = "start") -> Markup:
    if isinstance(text, Markup):  # a marked value: SVG text holds <tspan>, not <span>
        text = Markup(str(text).replace("<span ", "<tspan ").replace("</span>", "</tspan>"))
    return Markup('<text x="{}" y="{}" font-size="{}" text-anchor="{}">{}</text>').format(
        round(x, 1), round(y, 1), size, anchor, text
    )


def bars(
    rows: list[tuple[Any, list[float | None]]], series: list[str], fmt: Callable[[float], str]
) -> Markup:
    """Horizontal bars, one group per row, one bar per series (None: not assessed, no bar)."""
    if not rows:
        return Markup("")
    top = max((v for _, vs in rows for v in vs if v is not None), default=0.0) or 1.0
    per, bar = 6 + 14 * len(series), 12
    h = per * len(rows) + (22 if len(series) > 1 else 6)
    out = [
        Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{h}" role="img">')
    ]
    for i, (label, values) in enumerate(rows):
        y = 4 + per * i
        out.append(_text(0, y + 11, label))
        for j, v in enumerate(values):
            if v is None:
                continue
            w = max(1, int((WIDTH - LABEL_W - 70) * v / top))
            yy = y + 14 * j
            out.append(
                Markup(
                    f'<rect x="{LABEL_W}" y="{yy}" width="{w}" height="{bar}" fill="{COLORS[j]}"/>'
                )
            )
            out.append(_text(LABEL_W + w + 4, yy + 10, fmt(v), 10))
    if len(series) > 1:
        for j, name in enumerate(series):
            x = LABEL_W + 150 * j
            out.append(
                Markup(f'<rect x="{x}" y="{h - 14}" width="10" height="10" fill="{COLORS[j]}"/>')
            )
            out.append(_text(x + 14, h - 5, name, 10))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def timeline(
    rows: list[tuple[Any, list[tuple[str | None, str | None]]]], series: list[str]
) -> Markup:
    """Date ranges per row (declared and observed collection periods), months on the axis."""
    spans = [(lab, [(_day(a), _day(b)) for a, b in rs]) for lab, rs in rows]
    days = [d for _, rs in spans for pair in rs for d in pair if d]
    if not days:
        return Markup("")
    lo, hi = min(days), max(days)
    total = max((hi - lo).days, 1)
    scale = (WIDTH - LABEL_W - 10) / total
    per = 6 + 8 * len(series)
    h = per * len(spans) + 40
    out = [
        Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{h}" role="img">')
    ]
    for i, (label, rs) in enumerate(spans):
        y = 4 + per * i
        out.append(_text(0, y + 10, label))
        for j, (a, b) in enumerate(rs):
            if a and b:
                x, w = LABEL_W + (a - lo).days * scale, max(2.0, (b - a).days * scale)
                out.append(
                    Markup(
                        f'<rect x="{x:.1f}" y="{y + 8 * j}" width="{w:.1f}" height="7" fill="{COLORS[j]}"/>'
                    )
                )
    for d in (lo, hi):
        out.append(
            _text(
                LABEL_W + (d - lo).days * scale,
                h - 22,
                d.isoformat(),
                10,
                "middle" if d == lo else "end",
            )
        )
    for j, name in enumerate(series):
        x = LABEL_W + 150 * j
        out.append(
            Markup(f'<rect x="{x}" y="{h - 12}" width="10" height="10" fill="{COLORS[j]}"/>')
        )
        out.append(_text(x + 14, h - 3, name, 10))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def histogram(bins: list[tuple[int, int]], unit: str) -> Markup:
    """Vertical bars of counts over log-scale length bins, the upper bound under each."""
    if not bins:
        return Markup("")
    top = max(n for _, n in bins) or 1
    h, base = 170, 140
    w = (WIDTH - 20) / len(bins)
    out = [
        Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{h}" role="img">')
    ]
    for i, (up, n) in enumerate(bins):
        bh = max(1, int((base - 10) * n / top))
        x = 10 + i * w
        out.append(
            Markup(
                f'<rect x="{x:.1f}" y="{base - bh}" width="{max(w - 2, 1):.1f}" height="{bh}" fill="{COLORS[0]}"><title>≤ {up} {escape(unit)}: {n}</title></rect>'
            )
        )
        if i % max(1, len(bins) // 8) == 0:
            out.append(_text(x, base + 14, f"{up:,}", 9))
    out.append(_text(10, h - 4, unit, 10))
    out.append(Markup("</svg>"))
    return Markup("").join(out)
