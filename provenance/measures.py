"""Diversity measures and sketch quantiles over merged statistics (pure functions)."""

from __future__ import annotations

import math

from provenance.scanners.stats import bin_upper


def diversity(values: dict[str, float]) -> dict[str, float]:
    """Shannon entropy (bits), effective number (2^H) and HHI of a distribution."""
    total = sum(values.values())
    if total <= 0:
        return {"entropy": 0.0, "effective_number": 0.0, "hhi": 0.0, "categories": 0.0}
    shares = [v / total for v in values.values() if v > 0]
    h = -sum(p * math.log2(p) for p in shares)
    return {
        "entropy": h,
        "effective_number": 2**h,
        "hhi": sum(p * p for p in shares),
        "categories": float(len(shares)),
    }


def quantile(hist: dict[int, float], q: float) -> float:
    """Length quantile from the summed log-scale histogram (upper bound of the bin)."""
    total = sum(hist.values())
    acc = 0.0
    for b in sorted(hist):
        acc += hist[b]
        if acc >= q * total:
            return bin_upper(b)
    return 0.0
