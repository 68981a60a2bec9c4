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


@pytest.mark.parametrize(
    ("k", "n"), [(0, 4000), (10, 4000), (176, 4000), (177, 4000), (178, 4000), (3, 50), (49, 50)]
)
def test_clopper_pearson_matches_the_beta_quantile(k: int, n: int) -> None:
    from provenance.measures import clopper_pearson_upper

    scipy_stats = pytest.importorskip("scipy.stats")
    assert clopper_pearson_upper(k, n) == pytest.approx(
        float(scipy_stats.beta.ppf(0.95, k + 1, n - k)), abs=1e-9
    )


def test_the_five_percent_rule_at_4000_items() -> None:
    """At n = 4000 the 95% one-sided upper bound stays under 5% up to 177 bad items (not 176)."""
    from provenance.measures import clopper_pearson_upper

    assert clopper_pearson_upper(177, 4000) < 0.05 <= clopper_pearson_upper(178, 4000)
