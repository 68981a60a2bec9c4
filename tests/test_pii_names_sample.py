"""Names and places on a seeded sample (issue 11, item 3): the statistics, and real audits.

The statistics are checked against simulation (seeded): the 95% interval of the stratified
estimate covers the true rate about 95% of the time, also at rates near 0 where a normal
interval would collapse. The audits write JSONL files with a known share of records naming a
person and check pii_summary, the PI-01 finding, worker-count independence, --pii-mode full and
off, and that no name is stored in the clear.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from provenance.pii.sampling import (
    DEFAULT_SAMPLE_SIZE,
    PILOT,
    BottomK,
    sample_key,
    sample_size,
    shard_quota,
    stratified,
    stratum_done,
    wilson,
)
from tests.conftest import Corpus, cli, write_jsonl

pytestmark = pytest.mark.names  # audits look for names, as by default


def test_default_size_gives_one_point_at_any_rate() -> None:
    assert sample_size() == DEFAULT_SAMPLE_SIZE == 9604
    low, high = wilson(0.5, DEFAULT_SAMPLE_SIZE)
    assert high - low <= 0.02 + 1e-9
    assert sample_size(0.02) == 2401


@pytest.mark.parametrize(
    ("share", "per_source", "quota"),
    [(1.0, 9604, 9604), (0.5, 9604, 4802), (0.25, 10, 3), (1e-9, 9604, 1), (1 / 3, 300, 100)],
)
def test_shard_quota(share: float, per_source: int, quota: int) -> None:
    assert shard_quota(share, per_source) == quota


def test_bottom_k_keeps_the_smallest_keys_in_order() -> None:
    rng = random.Random(5)
    keys = [rng.getrandbits(64) for _ in range(2000)]
    keep = BottomK(50)
    for i, k in enumerate(keys):
        assert keep.would_keep(k) == (len(keep._heap) < 50 or k < -keep._heap[0][0])
        keep.offer(k, i)
    assert keep.items() == sorted(range(2000), key=lambda i: keys[i])[:50]


def test_sample_key_is_seeded_and_stable() -> None:
    assert sample_key(0, "f", "r1") == sample_key(0, "f", "r1")
    assert sample_key(0, "f", "r1") != sample_key(1, "f", "r1")
    assert sample_key(0, "f", "r1") != sample_key(0, "g", "r1")


def test_everything_read_is_a_count_not_an_estimate() -> None:
    est = stratified([(100, 100, 7), (50, 50, 3)])
    assert est.exact and est.rate == est.low == est.high == pytest.approx(10 / 150)


def test_nothing_seen_still_has_an_upper_bound() -> None:
    est = stratified([(100_000, 1000, 0)])
    assert est.rate == 0.0 and est.low == 0.0
    assert 0.002 < est.high < 0.005  # Wilson: about 3.84 / 1000


@pytest.mark.parametrize(
    ("analysed", "with_type", "quota", "done"),
    [
        (400, [200, 10], 400, True),  # the whole quota: always done
        (63, [63, 63], 400, False),  # before the pilot: never
        (64, [32, 5], 400, False),  # a rate near one half needs the whole quota
        (128, [128, 0], 400, True),  # every record / none: a fraction suffices
        (64, [64, 0], 400, False),  # ... but not yet at 64 (Wilson low 0.943 -> 86 needed)
        (192, [180, 20], 400, False),  # 94% / 10%: the 10% side still needs ~ 0.58 quota
        (256, [250, 3], 400, True),
    ],
)
def test_stratum_stops_when_its_rates_need_no_more(
    analysed: int, with_type: list[int], quota: int, done: bool
) -> None:
    assert stratum_done(analysed, with_type, quota) is done


@pytest.mark.parametrize("rate", [0.01, 0.2, 0.5, 0.97])
def test_early_stopping_keeps_the_interval_within_the_worst_case(rate: float) -> None:
    """Seeded simulation: strata stopped early by :func:`stratum_done` give intervals no wider
    than the worst case of the full quota (±1 pp at 9,604), and still cover the true rate."""
    rng = random.Random(5)
    covered = widest = 0.0
    trials = 200
    for _ in range(trials):
        strata, hits, total = [], 0, 0
        for size, bias in ((40_000, 1.0), (20_000, 0.5)):
            p = min(1.0, rate * bias)
            quota = shard_quota(size / 60_000, 9604)
            n = y = 0
            while not stratum_done(n, [y], quota):
                y += sum(rng.random() < p for _ in range(PILOT))
                n += PILOT
            strata.append((size, n, y))
            hits += round(p * size)
            total += size
        est = stratified(strata)
        widest = max(widest, (est.high - est.low) / 2)
        covered += est.low <= hits / total <= est.high
    assert widest <= 0.0105, widest
    assert covered / trials >= 0.9, covered / trials


@pytest.mark.parametrize("rate", [0.005, 0.05, 0.3])
def test_interval_covers_the_true_rate_about_95_percent(rate: float) -> None:
    """Seeded simulation: 400 populations of three shards of unequal size and rate."""
    rng = random.Random(11)
    covered = 0
    trials = 400
    for _ in range(trials):
        strata = []
        truth_hits = truth_all = 0
        for size, bias in ((6000, 0.5), (3000, 1.0), (1000, 2.5)):
            p = min(1.0, rate * bias)
            pop = [rng.random() < p for _ in range(size)]
            n = shard_quota(size / 10_000, 800)
            sample = rng.sample(pop, n)
            strata.append((size, n, sum(sample)))
            truth_hits += sum(pop)
            truth_all += size
        est = stratified(strata)
        covered += est.low <= truth_hits / truth_all <= est.high
    assert covered / trials >= 0.91, covered / trials


# -- through real audits -----------------------------------------------------------------

FIRST = ["James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen"]
LAST = ["Walker", "Thompson", "Harris", "Robinson", "Clark", "Lewis", "Young", "Allen"]
PLAIN = [
    "The committee reviewed the quarterly figures and approved the budget.",
    "Rainfall this season was above average across the region.",
    "The new library opens on weekdays from nine to five.",
]


def _names_corpus(c: Corpus, records: int = 1200, share: float = 0.3) -> list[str]:
    """Two files; ``share`` of the records name a person. Returns the names planted."""
    rng = random.Random(3)
    planted: list[str] = []
    for part in range(2):
        rows = []
        for i in range(records // 2):
            text = rng.choice(PLAIN)
            if rng.random() < share:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                planted.append(name)
                text = f"{name} said on Tuesday that {text[0].lower()}{text[1:]}"
            rows.append({"id": f"{part}-{i}", "text": text})
        write_jsonl(c.root / f"data/web/p{part}.jsonl", rows)
    c.add_source(
        {
            "id": "web",
            "source_type": "public_data",
            "origin": {"region": "foreign"},
            "legal_basis": "publicly_disclosed",
            "files": [{"root": "corpus", "glob": "web/*.jsonl", "id_field": "id"}],
        }
    )
    return planted


def _summary(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [
            "coverage",
            "population",
            "records_scanned",
            "records_with_hits",
            "rate",
            "rate_low",
            "rate_high",
        ]
        row = con.execute(
            f"SELECT {', '.join(cols)} FROM pii_summary WHERE entity_type = 'PERSON'"
        ).fetchone()
        assert row is not None
        return dict(zip(cols, row, strict=True))
    finally:
        con.close()


def _person_hits(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT file_id, record_key, start_pos, end_pos, masked, value_hash FROM pii_hits "
            "WHERE entity_type = 'PERSON' ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_sampled_names_rate_interval_and_finding(corpus: Corpus, tmp_path: Path) -> None:
    planted = _names_corpus(corpus)
    manifest = str(corpus.write())
    db1, db2 = tmp_path / "w1.duckdb", tmp_path / "w2.duckdb"
    for db, workers in ((db1, "1"), (db2, "2")):
        res = cli(
            "audit", manifest, "--db", str(db), "--workers", workers, "--pii-sample-size", "300"
        )
        assert res.returncode in (0, 1), res.stderr
    s = _summary(db1)
    truth = 0.3  # the generator's share; the planted count is close to it
    assert s["coverage"] == "sampled" and s["population"] == 1200
    assert 300 <= s["records_scanned"] <= 302  # two near-equal files: ~150 each (rounded up)
    assert s["rate_low"] <= len(planted) / 1200 <= s["rate_high"]
    assert s["rate_low"] < truth < s["rate_high"] and s["rate_high"] - s["rate_low"] < 0.12
    # the same records whatever the worker count
    assert _person_hits(db1) == _person_hits(db2) and _person_hits(db1)
    con = duckdb.connect(str(db1), read_only=True)
    try:
        (msg,) = con.execute(
            "SELECT message_en FROM findings WHERE code = 'pi_present' AND subject_id = 'web'"
        ).fetchone() or ("",)
        masked = {r[0] for r in con.execute("SELECT masked FROM pii_hits").fetchall()}
    finally:
        con.close()
    assert "names in" in msg and "95% CI" in msg and "sampled records" in msg
    assert all(set(m[1:]) == {"*"} for m in masked if m)
    raw = db1.read_bytes()
    assert not any(name.encode() in raw for name in set(planted))


def test_full_and_off_modes(corpus: Corpus, tmp_path: Path) -> None:
    _names_corpus(corpus, records=400)
    manifest = str(corpus.write())
    full, off = tmp_path / "full.duckdb", tmp_path / "off.duckdb"
    assert cli("audit", manifest, "--db", str(full), "--pii-mode", "full").returncode in (0, 1)
    s = _summary(full)
    assert s["coverage"] == "full" and s["records_scanned"] == s["population"] == 400
    assert s["rate"] == s["rate_low"] == s["rate_high"] == s["records_with_hits"] / 400
    assert cli("audit", manifest, "--db", str(off), "--pii-mode", "off").returncode in (0, 1)
    assert _summary(off)["coverage"] == "not assessed"
    con = duckdb.connect(str(off), read_only=True)
    try:
        found = con.execute(
            "SELECT severity, message_en FROM findings WHERE code = 'names_not_assessed'"
        ).fetchall()
    finally:
        con.close()
    assert found and "not looked for" in found[0][1]
    bad = cli("audit", manifest, "--db", str(tmp_path / "x.duckdb"), "--pii-mode", "most")
    assert bad.returncode == 2 and "sampled, full, off" in bad.stderr


def test_a_stratum_where_every_record_names_someone_stops_early(
    corpus: Corpus, tmp_path: Path
) -> None:
    """Every record names a person (and none a place): each shard's rates are far from one
    half after its first chunk, so it reads fewer than its quota, and the interval is still no
    wider than the whole quota would give at a rate of one half."""
    _names_corpus(corpus, share=1.0)
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--pii-sample-size", "300")
    assert res.returncode in (0, 1), res.stderr
    s = _summary(db)
    assert s["coverage"] == "sampled" and s["population"] == 1200
    assert s["records_scanned"] < 300
    assert s["rate"] > 0.9
    worst = wilson(0.5, 300)
    assert s["rate_high"] - s["rate_low"] <= worst[1] - worst[0]
