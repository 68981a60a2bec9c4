"""Statistics merge across shards; DIV-01/02 fire and stay quiet; duplicates found across sources."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from provenance.resources import pipeline_dir
from tests.conftest import Corpus, codes, write_jsonl

ZH = "近年来人工智能领域发展迅速受到社会各界广泛关注专家指出城市交通的未来取决于技术创新据报道多地出台政策支持新能源汽车产业发展"
WORDS = [
    "data",
    "provenance",
    "audit",
    "corpus",
    "licence",
    "model",
    "training",
    "record",
    "source",
    "crawl",
    "river",
    "mountain",
    "city",
    "music",
    "science",
    "history",
    "garden",
    "kitchen",
    "window",
    "market",
]


def rows(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 3 == 0:
            text = "".join(rng.choice(ZH) for _ in range(rng.randint(20, 200)))
        else:
            text = (
                "The "
                + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 120)))
                + " and that is all."
            )
        if i % 50 == 0:
            text = ""
        if i % 37 == 0:
            text += " Ã© broken"
        out.append(
            {
                "text": text,
                "url": f"https://h{i % 7}.example.cn/p/{i}",
                "t": f"2026-0{1 + i % 9}-1{i % 10}T00:00:00Z",
            }
        )
    return out


STAT_SQL = """SELECT scope, subject_id, metric, key, round(value, 6) FROM stats
              WHERE scope IN ('source', 'language', 'run', 'dataset', 'origin') ORDER BY ALL"""


def test_stats_of_n_shards_equal_one_shard(tmp_path: Path, run_audit: Any) -> None:
    data = rows(600)
    one = Corpus(tmp_path / "one")
    write_jsonl(one.root / "data/open/all.jsonl", data)
    many = Corpus(tmp_path / "many")
    (many.root / "data/open/a.jsonl").unlink()
    for k in range(6):
        write_jsonl(many.root / f"data/open/part{k}.jsonl", data[k * 100 : (k + 1) * 100])
    pq_corpus = Corpus(tmp_path / "parquet")
    (pq_corpus.root / "data/open/a.jsonl").unlink()
    pq.write_table(
        pa.Table.from_pylist(data), pq_corpus.root / "data/open/all.parquet", row_group_size=50
    )
    (one.root / "data/open/a.jsonl").unlink()
    results = []
    for c, glob in ((one, "open/*.jsonl"), (many, "open/*.jsonl"), (pq_corpus, "open/*.parquet")):
        c.source("open")["files"] = [
            {"root": "corpus", "glob": glob, "url_field": "url", "time_field": "t"}
        ]
        pipeline = tmp_path / "p.toml"
        text = (Path(__file__).parents[1] / "pipelines/pretraining.toml").read_text()
        pipeline.write_text(text.replace("shard_rows = 1000000", "shard_rows = 100"))
        _result, con = run_audit(c.write(), pipeline=str(pipeline))
        results.append(con.execute(STAT_SQL).fetchall())
    assert results[0] == results[1] == results[2]
    metrics = {(r[2], r[3]) for r in results[0] if r[0] == "source" and r[1] == "open"}
    assert {
        ("records", "*"),
        ("tokens_est", "zh"),
        ("length_p50", "*"),
        ("garbled", "*"),
        ("empty", "*"),
        ("collected_min", "2026-01-10T00:00:00Z"),
        ("domain_bytes", "h0.example.cn"),
    } <= metrics


def _second_zh_source(c: Corpus) -> None:
    write_jsonl(
        c.root / "data/zh2/x.jsonl",
        [{"text": "另一个中文来源的网页正文，内容与前者不同。" * 3} for _ in range(20)],
    )
    c.add_source(
        {
            "id": "zh2",
            "source_type": "self_collected",
            "origin": {"region": "domestic"},
            "collection": {
                "crawler": "B",
                "log": "evidence/crawl_log.jsonl",
                "robots_dir": "evidence/robots",
            },
            "files": [{"root": "corpus", "glob": "zh2/*.jsonl"}],
        }
    )


def test_div01_fires_for_a_single_source_language_and_not_for_two(
    corpus: Corpus, run_audit: Any
) -> None:
    _, con = run_audit(corpus.write())
    found = con.execute(
        "SELECT subject_id FROM latest_findings WHERE code = 'single_source_language'"
    ).fetchall()
    assert ("zh/text",) in found  # only the crawl is Chinese
    _second_zh_source(corpus)
    _, con = run_audit(corpus.write())
    found = con.execute(
        "SELECT subject_id FROM latest_findings WHERE code = 'single_source_language'"
    ).fetchall()
    assert ("zh/text",) not in found


def test_div02_foreign_open_source_share(corpus: Corpus, run_audit: Any, tmp_path: Path) -> None:
    # the open (foreign) source is a small share of characters: no warning
    write_jsonl(
        corpus.root / "data/crawl/big.jsonl.gz", [{"text": "中文内容" * 200}] * 50, compress=True
    )
    _, con = run_audit(corpus.write())
    assert "foreign_open_source_share" not in codes(con)
    share = con.execute(
        "SELECT value FROM stats WHERE metric = 'foreign_open_source_share'"
    ).fetchone()[0]
    assert 0 < share < 0.3
    text = (Path(__file__).parents[1] / "pipelines/pretraining.toml").read_text()
    strict = tmp_path / "strict.toml"
    strict.write_text(
        text.replace("foreign_open_source_max = 0.30", f"foreign_open_source_max = {share / 2:.6f}")
    )
    _, con = run_audit(corpus.write(), pipeline=str(strict))
    assert "foreign_open_source_share" in codes(con, "DIV-02")


def test_duplicates_exact_and_near_across_sources(corpus: Corpus, run_audit: Any) -> None:
    rng = random.Random(4)
    base = [" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(30)]
    write_jsonl(corpus.root / "data/open/a.jsonl", [{"text": t} for t in base])
    near = [t.replace(t.split()[10], "EDITED", 1) for t in base[:10]]  # one-word edits
    exact = base[10:15]
    write_jsonl(
        corpus.root / "data/mirror/m.jsonl",
        [{"text": t} for t in near + exact]
        + [{"text": " ".join(rng.choice(WORDS) for _ in range(80))} for _ in range(10)],
    )
    corpus.add_source(
        {
            "id": "mirror",
            "source_type": "open_source",
            "origin": {"region": "foreign"},
            "license": "CC-BY-NC-4.0",
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": "mirror/*.jsonl"}],
        }
    )
    _, con = run_audit(corpus.write())
    kinds = dict(
        con.execute(
            "SELECT kind, count(DISTINCT cluster_id) FROM duplicates GROUP BY ALL"
        ).fetchall()
    )
    assert kinds.get("exact") == 5
    assert kinds.get("near", 0) >= 10
    cross = con.execute(
        """SELECT count(*) FROM (SELECT cluster_id FROM duplicates d JOIN files f USING (run_id, file_id)
           WHERE kind = 'near' GROUP BY cluster_id HAVING count(DISTINCT f.source_id) = 2)"""
    ).fetchone()[0]
    assert cross >= 10
    across = con.execute(
        "SELECT evidence FROM latest_findings WHERE code = 'duplicate_across_licences'"
    ).fetchall()
    assert any('"exact"' in e[0] for e in across) and any('"near"' in e[0] for e in across)
    rates = dict(
        con.execute(
            "SELECT subject_id, value FROM stats WHERE metric = 'exact_duplicate_rate' "
            "AND subject_id IN ('open', 'mirror')"
        ).fetchall()
    )
    # each of the 5 pairs counts once, as an extra copy in one of the two sources
    assert round(rates["open"] * 30 + rates["mirror"] * 25) == 5


def test_a_boilerplate_bucket_above_the_cap_still_makes_one_cluster(
    corpus: Corpus, run_audit: Any, tmp_path: Path
) -> None:
    """A bucket bigger than ``bucket_cap`` is a star around its first record, not all pairs
    (20,000 copies of a banner ran the all-pairs join out of memory): the cluster is the same."""
    rng = random.Random(9)
    banner = [rng.choice(WORDS) for _ in range(120)]
    rows = []
    for i in range(40):  # one edited word each, at the end: most bands are shared by all 40
        words = list(banner)
        words[-1 - i % 3] = f"edit{i}"
        rows.append({"text": " ".join(words)})
    write_jsonl(corpus.root / "data/open/banner.jsonl", rows)
    manifest = corpus.write()
    text = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    capped = tmp_path / "capped.toml"
    capped.write_text(
        re.sub(r"(?m)^(\[checks\.duplicates\][^\n]*\n)", "\\1bucket_cap = 4\n", text),
        encoding="utf-8",
    )
    assert "bucket_cap = 4" in capped.read_text(encoding="utf-8")
    query = "SELECT file_id, record_key FROM duplicates WHERE kind = 'near' ORDER BY ALL"
    _, con = run_audit(manifest)
    _, capped_con = run_audit(manifest, pipeline=str(capped))
    members = con.execute(query).fetchall()
    assert len(members) >= 38
    assert capped_con.execute(query).fetchall() == members
    n_clusters = "SELECT count(DISTINCT cluster_id) FROM duplicates WHERE kind = 'near'"
    assert capped_con.execute(n_clusters).fetchone() == con.execute(n_clusters).fetchone()


def test_pair_records_are_numbered_in_order_of_first_appearance() -> None:
    """Cluster roots are the smallest numbers: the numbering must not depend on how the pairs
    are held (Arrow now, Python tuples before), only on their sorted order."""
    import itertools
    import random

    import pyarrow as pa

    from provenance.checks.neardup import _dense_ids

    rng = random.Random(3)
    recs = [(f"{rng.randrange(4):016x}", f"k{rng.randrange(50)}") for _ in range(400)]
    pairs = sorted({(*x, *y) for x, y in itertools.pairwise(recs) if x < y})
    ids: dict[tuple[str, str], int] = {}
    for fa, ka, fb, kb in pairs:
        ids.setdefault((fa, ka), len(ids))
        ids.setdefault((fb, kb), len(ids))
    table = pa.table(
        {c: [p[i] for p in pairs] for i, c in enumerate(("a_file", "a_key", "b_file", "b_key"))}
    )
    keys, a, b = _dense_ids(table)
    assert [tuple(k.split("\x1f")) for k in keys.to_pylist()] == list(ids)
    assert a.tolist() == [ids[p[:2]] for p in pairs]
    assert b.tolist() == [ids[p[2:]] for p in pairs]
