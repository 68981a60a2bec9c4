"""Personal information detection: presidio offline, Chinese recognizers, a fast path, keyed hashes."""

from __future__ import annotations

from functools import cache

from provenance.pii.custom import CustomPattern
from provenance.pii.engine import build_analyzer
from provenance.pii.fast import FastAnalyzer


@cache
def fast_analyzer(
    models: tuple[tuple[str, str], ...] = (), custom: tuple[CustomPattern, ...] = ()
) -> FastAnalyzer:
    """One analyzer per process and configuration (building one loads spaCy)."""
    return FastAnalyzer(
        build_analyzer(dict(models), custom), custom_prefilters=[c[5] for c in custom]
    )


__all__ = ["FastAnalyzer", "build_analyzer", "fast_analyzer"]
