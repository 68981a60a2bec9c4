"""Licence classification throughput: 100,000 licence strings, target >= 20,000 strings/s.

Usage: python benchmarks/licenses.py [--n 100000]

The strings are drawn from the licence test table (SPDX ids, Hugging Face ids, URLs, loose
spellings, Chinese phrases, expressions) with case and spacing variations, Zipf-distributed
as in real dataset metadata (a few licences dominate). Measured in one run:

* baseline: the same classifier without its cache (every string resolved from scratch);
* ours: ``provenance.licenses.classify`` as the audit and ``licenses classify --csv`` use it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provenance.licenses import LicenseIndex, classify, default_index
from tests.test_licenses import CASES


def corpus(n: int) -> list[str]:
    rng = random.Random(11)
    base = [c[0] for c in CASES if c[0].strip()]
    variants = []
    for s in base:
        variants += [s, s.upper(), s.lower(), f"  {s} ", s.replace(" ", "  ")]
    variants = list(dict.fromkeys(variants))
    weights = [1 / (i + 1) for i in range(len(variants))]
    return rng.choices(variants, weights=weights, k=n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    strings = corpus(args.n)
    uncached = LicenseIndex(default_index().data)
    t = time.perf_counter()
    base = [uncached._classify(s) for s in strings[: args.n // 10]]  # a tenth: it is slow
    t_base = (time.perf_counter() - t) / len(base) * len(strings)
    t = time.perf_counter()
    ours = [classify(s) for s in strings]
    t_ours = time.perf_counter() - t
    assert [v.spdx for v in ours[: len(base)]] == [v.spdx for v in base]
    print(f"strings: {len(strings):,} ({len(set(strings)):,} distinct)")
    print(f"uncached classifier : {len(strings) / t_base:>10,.0f} strings/s (1.00x)")
    print(
        f"classify (cached)   : {len(strings) / t_ours:>10,.0f} strings/s ({t_base / t_ours:.1f}x)"
    )
    print(f"target >= 20,000 strings/s: {'met' if len(strings) / t_ours >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
