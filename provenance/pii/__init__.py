"""Personal information detection: presidio offline, Chinese recognizers, a fast path, keyed hashes."""

from __future__ import annotations

from functools import cache

from provenance.pii.engine import build_analyzer
from provenance.pii.fast import FastAnalyzer


@cache
def fast_analyzer(models: tuple[tuple[str, str], ...] = ()) -> FastAnalyzer:
    """One analyzer per process and model configuration (building one loads spaCy)."""
    return FastAnalyzer(build_analyzer(dict(models)))


__all__ = ["FastAnalyzer", "build_analyzer", "fast_analyzer"]
