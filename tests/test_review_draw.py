"""The draw (provenance.review.draw) on a synthetic population: uniform, reproducible, stratified.

The population is a ``run_record_hashes`` view in an in-memory DuckDB (the columns a run's view
has); nothing here reads text. Uniformity is tested with a chi-square statistic over strata,
seeded, against the 0.1% critical value (the test is deterministic: the same seeds every time).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import duckdb
import pytest

from provenance.review.draw import DrawError, DrawSpec, allocate, draw

#: stratum (source) → records: unequal sizes so a biased draw would show
SIZES = {"a": 6000, "b": 3000, "c": 900, "d": 100}
#: chi-square critical values at 0.1% for df = 1..3
CHI2_999 = {1: 10.83, 2: 13.82, 3: 16.27}


@pytest.fixture(scope="module")
def con() -> Any:
    c = duckdb.connect()
    c.execute(
        """CREATE TEMP VIEW run_record_hashes AS
           SELECT 'f-' || s || '-' || (i % 7) AS file_id, i + 1 AS record_index,
                  'k' || i AS record_key, CASE WHEN i % 3 = 0 THEN 'zh' ELSE 'en' END AS language,
                  100 + i % 50 AS characters, s AS source_id, 'ds' AS dataset_id,
                  hash(s, i) >> 1 AS exact_hash
           FROM (VALUES ('a', 6000), ('b', 3000), ('c', 900), ('d', 100)) v(s, n),
                range(n) r(i)"""
    )
    return c


def _query(con: Any) -> Any:
    return lambda sql, params: con.execute(sql, params).fetchall()


def chi2(observed: dict[str, int], sizes: dict[str, int]) -> float:
    total_obs, total = sum(observed.values()), sum(sizes.values())
    return sum(
        (observed.get(s, 0) - total_obs * n / total) ** 2 / (total_obs * n / total)
        for s, n in sizes.items()
    )


def test_an_unstratified_sample_is_uniform_over_strata(con: Any) -> None:
    counts: Counter[str] = Counter()
    for seed in range(40):
        d = draw(_query(con), DrawSpec(seed=seed, n=500))
        counts.update(it.source_id for it in d.items)
    assert chi2(dict(counts), SIZES) < CHI2_999[3], counts


def test_within_a_file_every_position_is_equally_likely(con: Any) -> None:
    # thirds of each source by record_index: no position bias in the key
    counts: Counter[str] = Counter()
    for seed in range(30):
        d = draw(_query(con), DrawSpec(scope="source", scope_id="a", seed=seed, n=300))
        counts.update(str(min(2, (it.record_index - 1) * 3 // 6000)) for it in d.items)
    assert chi2(dict(counts), {"0": 2000, "1": 2000, "2": 2000}) < CHI2_999[2], counts


def test_same_seed_same_items_other_seed_other_items(con: Any) -> None:
    one = draw(_query(con), DrawSpec(seed=11, n=400))
    again = draw(_query(con), DrawSpec(seed=11, n=400))
    other = draw(_query(con), DrawSpec(seed=12, n=400))
    assert [(i.file_id, i.record_index) for i in one.items] == [
        (i.file_id, i.record_index) for i in again.items
    ]
    assert one.sample_id == again.sample_id and one.items_digest == again.items_digest
    overlap = {(i.file_id, i.record_index) for i in one.items} & {
        (i.file_id, i.record_index) for i in other.items
    }
    assert len(overlap) < 60  # 400 of 10,000 twice: ~16 in common by chance
    assert other.sample_id != one.sample_id
    assert len({(i.file_id, i.record_index) for i in one.items}) == 400  # without replacement
    assert [i.ordinal for i in one.items] == list(range(1, 401))


@pytest.mark.parametrize(
    "stratify, allocation, expected",
    [
        ("source", "proportional", {"a": 600, "b": 300, "c": 90, "d": 10}),
        ("source", "equal", {"a": 250, "b": 250, "c": 250, "d": 100}),  # d has only 100
        ("language", "proportional", {"zh": 333, "en": 667}),
    ],
)
def test_stratified_quotas(con: Any, stratify: str, allocation: str, expected: dict) -> None:
    n = 1000 if stratify != "source" or allocation == "proportional" else 850
    d = draw(_query(con), DrawSpec(seed=3, n=n, stratify=stratify, allocation=allocation))  # type: ignore[arg-type]
    got = Counter(it.stratum for it in d.items)
    assert dict(got) == expected
    assert d.quotas == expected


def test_share_and_scope(con: Any) -> None:
    d = draw(_query(con), DrawSpec(scope="source", scope_id="c", seed=1, share=0.10))
    assert d.n == 90 and d.population == 900
    assert {it.source_id for it in d.items} == {"c"}


def test_more_than_the_population_takes_everything(con: Any) -> None:
    d = draw(_query(con), DrawSpec(scope="source", scope_id="d", seed=1, n=5000))
    assert d.n == 100 == len(d.items)


def test_an_empty_scope_is_an_error(con: Any) -> None:
    with pytest.raises(DrawError, match="no records"):
        draw(_query(con), DrawSpec(scope="source", scope_id="zz", seed=1, n=5))


@pytest.mark.parametrize(
    "sizes, n, allocation",
    [
        ({"x": 1, "y": 1, "z": 1}, 2, "proportional"),
        ({"x": 10, "y": 0}, 5, "equal"),
        ({"x": 7, "y": 3, "z": 5}, 15, "equal"),
        ({"x": 1_000_000, "y": 1}, 10, "proportional"),
    ],
)
def test_allocate_sums_to_n_and_respects_sizes(sizes: dict, n: int, allocation: Any) -> None:
    out = allocate(sizes, n, allocation)
    assert sum(out.values()) == min(n, sum(sizes.values()))
    assert all(0 <= out[s] <= sizes[s] for s in sizes)
