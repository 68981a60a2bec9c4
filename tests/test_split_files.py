"""A large file shared by workers (issue 14, item 1): byte ranges of whole lines give exactly the
records, line numbers and keys of reading the file whole, and the same dossier.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance import audit
from provenance.manifest import load_manifest
from provenance.plan import make_plan
from provenance.readers import ReadStats, ShardReader
from provenance.readers.ranges import LineRange
from provenance.resources import pipeline_dir
from tests.conftest import Corpus
from tests.hostile.fuzzkit import fuzz

_lines = st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=14)


@fuzz(300)
@given(lines=_lines, tail=st.binary(max_size=6), cuts=st.lists(st.integers(0, 250), max_size=6))
def test_ranges_cover_every_line_once(lines: list[bytes], tail: bytes, cuts: list[int]) -> None:
    data = b"".join(x + b"\n" for x in lines) + tail.replace(b"\n", b"")
    points = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    parts, starts = [], []
    for lo, hi in itertools.pairwise(points):
        rng = LineRange(io.BytesIO(data), lo, hi)
        part = io.BufferedReader(rng).read()  # type: ignore[arg-type]
        if part:
            starts.append((sum(len(p) for p in parts), rng.lines_before))
        parts.append(part)
        # every part is whole lines: it starts at a line start and ends at a line end (or EOF)
        assert not part or sum(len(p) for p in parts) == len(data) or part.endswith(b"\n")
    assert b"".join(parts) == data
    for offset, before in starts:
        assert before == data[:offset].count(b"\n")


def _rows(n: int) -> str:
    out = []
    for i in range(n):
        if i % 37 == 5:
            out.append("{not json")  # malformed: reported with its line number
        elif i % 53 == 7:
            out.append("")  # blank line
        else:
            out.append(f'{{"text": "第 {i} 行 row {i}: call 138{i:08d} or mail u{i}@example.com"}}')
    return "\n".join(out) + "\n"


def _pipeline(tmp: Path, shard_bytes: int) -> Path:
    text = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^shard_bytes = \d+", f"shard_bytes = {shard_bytes}", text)
    path = tmp / f"split-{shard_bytes}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def big(corpus: Corpus) -> Path:
    (corpus.root / "data/open/big.jsonl").write_text(_rows(400), encoding="utf-8")
    (corpus.root / "data/open/notes.txt").write_text(
        "".join(f"note {i} from 139{i:08d}\n" for i in range(300)), encoding="utf-8"
    )
    corpus.source("open")["files"][0]["glob"] = "open/*"
    return corpus.write()


def _read(manifest: Path, shard_bytes: int) -> dict[str, list[Any]]:
    plan = make_plan(load_manifest(manifest), shard_bytes=shard_bytes)
    out: dict[str, list[Any]] = {}
    for shard in plan.shards:
        reader = ShardReader(shard, batch_rows=50)
        recs = [r for b in reader for r in b.to_pylist()]
        st_ = reader.stats
        out.setdefault(Path(shard.path).name, []).append((recs, st_.malformed_lines, st_))
    return out


def test_parts_read_the_records_of_the_whole_file(big: Path) -> None:
    whole, split = _read(big, 1 << 30), _read(big, 2000)
    for name in ("big.jsonl", "notes.txt"):
        assert len(whole[name]) == 1 and len(split[name]) > 3
        recs = [r for part in split[name] for r in part[0]]
        assert recs == whole[name][0][0]  # record_index, record_key, text: as read whole
        # malformed lines are reported with the file's own line numbers (a bounded sample)
        merged = ReadStats()
        for p in split[name]:
            merged.merge(p[2])
        assert merged.malformed_lines == whole[name][0][1]
        assert merged.malformed == whole[name][0][2].malformed
        first, rest = split[name][0][2], [p[2] for p in split[name][1:]]
        assert (first.sha256, first.bytes_on_disk) == (
            whole[name][0][2].sha256,
            whole[name][0][2].bytes_on_disk,
        )
        assert all(r.sha256 is None for r in rest)


def _tables(db: Path) -> dict[str, list[Any]]:
    queries = {
        "files": "SELECT file_id, status, records, sha256, bytes FROM files",
        "record_hashes": "SELECT file_id, record_key, exact_hash FROM record_hashes",
        "pii_hits": "SELECT file_id, record_key, entity_type, value_hash FROM pii_hits",
        "findings": "SELECT code, subject_kind, subject_id, message_en FROM findings",
        "stats": "SELECT scope, subject_id, metric, key, value FROM stats",
        "duplicates": "SELECT cluster_id, file_id, record_key, kind FROM duplicates",
        "file_stats": "SELECT file_id, sum(records), sum(malformed) FROM file_stats GROUP BY 1",
        "source_scale": "SELECT * EXCLUDE (run_id) FROM source_scale",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        return {k: sorted(con.execute(q).fetchall(), key=repr) for k, q in queries.items()}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_split_file_gives_the_same_dossier(big: Path, tmp_path: Path, workers: int) -> None:
    whole = audit(big, tmp_path / "whole.duckdb", workers=1)
    split = audit(
        big, tmp_path / "split.duckdb", pipeline=str(_pipeline(tmp_path, 2000)), workers=workers
    )
    assert split.shards_total > whole.shards_total + 5
    a, b = _tables(tmp_path / "whole.duckdb"), _tables(tmp_path / "split.duckdb")
    for table in a:
        if table == "stats":  # sums in another order: equal to the last few bits
            assert [r[:4] for r in a[table]] == [r[:4] for r in b[table]]
            assert [r[4] for r in a[table]] == pytest.approx([r[4] for r in b[table]], rel=1e-9)
        else:
            assert a[table] == b[table], table
