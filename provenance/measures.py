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


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in log space (exact to float precision)."""
    import numpy as np

    if k >= n or p <= 0.0:
        return 1.0
    if k < 0 or p >= 1.0:
        return 0.0
    i = np.arange(1, k + 1, dtype=np.float64)
    log_comb = np.concatenate(([0.0], np.cumsum(np.log(n - i + 1) - np.log(i))))
    j = np.arange(0, k + 1, dtype=np.float64)
    terms = log_comb + j * math.log(p) + (n - j) * math.log1p(-p)
    top = float(terms.max())
    return float(min(1.0, math.exp(top) * float(np.exp(terms - top).sum())))


def clopper_pearson_upper(k: int, n: int, confidence: float = 0.95) -> float:
    """One-sided Clopper-Pearson upper bound of a proportion with k failures in n samples."""
    if n <= 0:
        return 1.0
    if k >= n:
        return 1.0
    alpha = 1.0 - confidence
    lo, hi = k / n, 1.0
    for _ in range(80):  # bisection: the CDF falls as p rises
        mid = (lo + hi) / 2
        if binomial_cdf(k, n, mid) > alpha:
            lo = mid
        else:
            hi = mid
    return hi
