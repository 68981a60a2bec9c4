"""Names and places on a seeded random sample: which records, and what the sample says.

Running NER on every record of a 10 TB corpus is not affordable, and the law asks for rates.
Identifiers (patterns) are looked for in every record; names and places in a **stratified random
sample**: each shard is a stratum and draws its quota, the per-source sample size times the
shard's share of its source's bytes (known when the run is planned, so a worker needs nothing
from any other worker). Within a shard the records drawn are those with the ``quota`` smallest
keyed hashes of (seed, file id, record key): a simple random sample of the shard, the same
records whatever the worker count, and reproducible from the seed alone.

A stratum's quota is sized for the worst case (a rate of one half). Its records are analysed in
sampling order, a chunk at a time, and the stratum stops early once the records read already
give the precision the quota was sized for (:func:`stratum_done`): a stratum where nearly every
record names a person (news) or nearly none does (code) needs a fraction of the worst case.
Each stratum then has a sample of n_h = quota_h x 4 q_h (1 - q_h) for a rate q_h at least as
close to one half as its own, so the overall variance stays at most the worst case's and the
interval at most ±1 point by default (proportional allocation: sum W_h^2 p_h(1 - p_h) / n_h <=
sum W_h / (4 n)). The records read are still the smallest keys: a simple random sample.

The rate is the stratified estimate (each shard's rate weighted by its record count, with the
finite-population correction), and its 95% interval the Wilson score interval at the effective
sample size (Kish): the interval stays inside [0, 1] and is not empty when no name was seen.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: two-sided 95% normal quantile
Z95 = 1.959963984540054


def sample_size(margin: float = 0.01, z: float = Z95) -> int:
    """Records for a ±``margin`` interval whatever the rate (worst case p = 0.5): 9,604 at ±1 pp."""
    return math.ceil(z * z * 0.25 / (margin * margin))


#: per-source sample size by default: a 95% interval of ±1 percentage point at any rate
DEFAULT_SAMPLE_SIZE = sample_size()


def shard_quota(share: float, per_source: int) -> int:
    """Records a shard draws: its share of the source's sample, at least one."""
    return max(1, math.ceil(share * per_source - 1e-9))


def sample_key(seed: int, file_id: str, record_key: str) -> int:
    """The record's place in the sampling order (smaller first): a 64-bit keyed hash."""
    h = hashlib.blake2b(
        f"{file_id}\x00{record_key}".encode("utf-8", "surrogatepass"),
        digest_size=8,
        key=seed.to_bytes(8, "big", signed=True),
    )
    return int.from_bytes(h.digest(), "big")


#: records a stratum reads before it may stop early, and how many it reads between checks
PILOT = 64


def stratum_done(analysed: int, with_type: Iterable[int], quota: int, z: float = Z95) -> bool:
    """Whether ``analysed`` records of a stratum, of which ``with_type`` counts per entity type,
    are enough: the quota, or fewer when every type's rate is surely far from one half (the
    point of its Wilson interval closest to one half, q, gives n = quota x 4 q (1 - q))."""
    if analysed >= quota:
        return True
    if analysed < PILOT:
        return False
    need = 0.0
    for y in with_type:
        low, high = wilson(y / analysed, analysed, z)
        q = low if low > 0.5 else high if high < 0.5 else 0.5
        need = max(need, quota * 4 * q * (1 - q))
    return analysed >= need


class BottomK:
    """The ``k`` items with the smallest keys seen so far (ties broken by arrival order)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.seen = 0
        self._heap: list[tuple[int, int, Any]] = []  # (-key, -arrival, item): a max-heap

    def would_keep(self, key: int) -> bool:
        """Whether an item with this key would be kept now (cheap: no item needed)."""
        return len(self._heap) < self.k or -key > self._heap[0][0]

    def offer(self, key: int, item: Any) -> None:
        entry = (-key, -self.seen, item)
        self.seen += 1
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:  # smaller key than the largest kept
            heapq.heapreplace(self._heap, entry)

    def items(self) -> list[Any]:
        """Kept items in sampling order."""
        return [e[2] for e in sorted(self._heap, reverse=True)]


@dataclass(frozen=True)
class Estimate:
    """A rate estimated from a stratified sample, with its 95% interval."""

    rate: float
    low: float
    high: float
    sampled: int
    population: int

    @property
    def exact(self) -> bool:
        """Every record was looked at: the rate is a count, not an estimate."""
        return self.sampled >= self.population


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``p`` observed on ``n`` (possibly effective) trials."""
    if n <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def stratified(strata: Iterable[tuple[int, int, int]], z: float = Z95) -> Estimate:
    """Estimate from (records, sampled, with hits) per stratum. Strata with nothing sampled
    (empty shards) carry no weight."""
    rows = [(n_all, n, y) for n_all, n, y in strata if n > 0 and n_all > 0]
    population = sum(r[0] for r in rows)
    sampled = sum(r[1] for r in rows)
    if not rows:
        return Estimate(0.0, 0.0, 1.0, 0, 0)
    rate = sum(n_all * y / n for n_all, n, y in rows) / population
    if sampled >= population:
        return Estimate(rate, rate, rate, sampled, population)
    var = 0.0
    for n_all, n, y in rows:
        if n >= n_all:
            continue  # a stratum read in full adds no sampling error
        p = y / n
        s2 = p * (1 - p) * n / (n - 1) if n > 1 else 0.25  # one record: assume the worst
        var += (n_all / population) ** 2 * (1 - n / n_all) * s2 / n
    # Kish's effective sample size: the simple random sample with the same variance
    n_eff = rate * (1 - rate) / var if var > 0 and 0 < rate < 1 else float(sampled)
    low, high = wilson(rate, n_eff, z)
    return Estimate(rate, min(low, rate), max(high, rate), sampled, population)
