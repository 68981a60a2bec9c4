"""Personal information detection: presidio offline, Chinese recognizers, a fast path, keyed hashes.

Importing this package is cheap: presidio and spaCy load only when an analyzer is built, in the
worker that scans (the CLI and the checks only need :mod:`provenance.pii.classify`).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenance.pii.custom import CustomPattern
    from provenance.pii.fast import FastAnalyzer


@cache
def fast_analyzer(
    models: tuple[tuple[str, str], ...] = (), custom: tuple[CustomPattern, ...] = ()
) -> FastAnalyzer:
    """One analyzer per process and configuration (building one loads spaCy)."""
    from provenance.pii.engine import build_analyzer
    from provenance.pii.fast import FastAnalyzer

    return FastAnalyzer(
        build_analyzer(dict(models), custom), custom_prefilters=[c[5] for c in custom]
    )


__all__ = ["fast_analyzer"]
