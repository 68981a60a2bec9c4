"""Diversity measures and histogram quantiles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from provenance.measures import diversity, quantile
from provenance.scanners.stats import bin_upper, length_bin


@pytest.mark.parametrize(
    ("values", "entropy", "effective", "hhi"),
    [
        ({"a": 1.0}, 0.0, 1.0, 1.0),
        ({"a": 1.0, "b": 1.0}, 1.0, 2.0, 0.5),
        ({"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}, 2.0, 4.0, 0.25),
        ({"a": 3.0, "b": 1.0}, -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25)), None, 0.625),
        ({"a": 0.0, "b": 5.0}, 0.0, 1.0, 1.0),
    ],
)
def test_diversity(
    values: dict[str, float], entropy: float, effective: float | None, hhi: float
) -> None:
    d = diversity(values)
    assert d["entropy"] == pytest.approx(entropy)
    assert d["effective_number"] == pytest.approx(
        effective if effective is not None else 2**entropy
    )
    assert d["hhi"] == pytest.approx(hhi)


def test_quantiles_from_log_bins_bound_the_true_quantile() -> None:
    rng = np.random.default_rng(1)
    lengths = rng.integers(1, 5000, 10_000).astype(float)
    bins = length_bin(lengths)
    hist: dict[int, float] = {}
    for b in bins:
        hist[int(b)] = hist.get(int(b), 0.0) + 1.0
    for q in (0.5, 0.9, 0.99):
        true = float(np.quantile(lengths, q))
        est = quantile(hist, q)
        assert true <= est <= true * 2 ** (1 / 4) + 1  # within one bin (a quarter octave) above
    assert bin_upper(int(length_bin(np.array([100.0]))[0])) >= 100
