"""Long records in overlapping windows: spaCy refuses texts over 1,000,000 characters (E088).

A record longer than :data:`WINDOW` characters is analysed window by window. Windows overlap by
:data:`OVERLAP`; a window's result is trusted only when it lies at least :data:`EDGE` characters
from an artificial cut (a window edge that is not the start or end of the record), where a cut
number could look like a shorter one. Every entity up to :data:`MAX_ENTITY` characters long lies
that far inside at least one window, so none is lost; one found in two windows has the same
absolute offsets in both and is kept once. spaCy never sees more than ``WINDOW`` characters at a
time, which also bounds the memory one record can take.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WINDOW = 10_000
EDGE = 500
OVERLAP = 2_000
#: the longest entity the windows are guaranteed not to lose (see the module docstring)
MAX_ENTITY = OVERLAP - 2 * EDGE


def window_spans(n: int, window: int = WINDOW, overlap: int = OVERLAP) -> list[tuple[int, int]]:
    """(start, end) of the windows covering ``n`` characters; one window when it fits."""
    if n <= window:
        return [(0, n)]
    step = window - overlap
    out = []
    start = 0
    while True:
        end = min(n, start + window)
        out.append((start, end))
        if end == n:
            return out
        start += step


def analyze_windows(
    text: str,
    analyze: Callable[[str], list[Any]],
    window: int = WINDOW,
    overlap: int = OVERLAP,
    edge: int = EDGE,
) -> list[Any]:
    """``analyze`` (presidio-style results with start, end, entity_type, score) over windows of
    ``text``, shifted to absolute offsets and de-duplicated by them (best score kept)."""
    n = len(text)
    if n <= window:
        return analyze(text)
    best: dict[tuple[int, int, str], Any] = {}
    for ws, we in window_spans(n, window, overlap):
        for r in analyze(text[ws:we]):
            a, b = r.start + ws, r.end + ws
            if (ws > 0 and a < ws + edge) or (we < n and b > we - edge):
                continue  # near a cut: the neighbouring window sees this part whole
            k = (a, b, r.entity_type)
            if k not in best or r.score > best[k].score:
                r.start, r.end = a, b
                best[k] = r
    return sorted(best.values(), key=lambda r: (r.start, r.end, r.entity_type))
