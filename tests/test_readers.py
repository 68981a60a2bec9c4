"""Readers: every format into the canonical batch schema; bad records counted, bad files named."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from provenance.errors import CorruptShard, ShardError
from provenance.plan import Shard, detect_format
from provenance.readers import SCHEMA, ShardReader, read_records


def shard(path: Path, fmt: str | None = None, **kw: object) -> Shard:
    detected, comp = detect_format(path.name)
    args: dict[str, object] = dict(
        shard_id="s",
        file_id="f",
        source_id="src",
        path=str(path),
        format=fmt or detected,
        compression=comp,
        part=0,
        row_groups=None,
        text_field="text",
        id_field=None,
        url_field=None,
        time_field=None,
        delimiter="\t" if ".tsv" in path.suffixes else ",",
    )
    args.update(kw)
    return Shard(**args)  # type: ignore[arg-type]


def read_all(s: Shard, batch_rows: int = 3) -> tuple[pa.Table, ShardReader]:
    reader = ShardReader(s, batch_rows)
    batches = list(reader)
    for b in batches:
        assert b.schema == SCHEMA
    return pa.Table.from_batches(batches, schema=SCHEMA), reader


JSONL = (
    b'{"text": "one", "id": "a", "meta": {"url": "https://x.cn/1"}}\n'
    b"not json at all\n"
    b"\n"
    b"[1, 2]\n"
    b'{"text": "caf\xe9 broken utf8", "id": "b"}\n'
    b'{"id": "c"}\n'
    b'{"text": "\xe4\xb8\xad\xe6\x96\x87", "id": "d"}\n'
)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("x.jsonl", lambda b: b),
        ("x.jsonl.gz", lambda b: gzip.compress(b)),
        ("x.jsonl.zst", lambda b: zstandard.ZstdCompressor().compress(b)),
    ],
)
def test_jsonl_counts_malformed_and_invalid_utf8(tmp_path: Path, name: str, encode: object) -> None:
    path = tmp_path / name
    path.write_bytes(encode(JSONL))  # type: ignore[operator]
    table, reader = read_all(shard(path, id_field="id", url_field="meta.url"))
    assert table.column("record_key").to_pylist() == ["a", "b", "c", "d"]
    assert table.column("record_index").to_pylist() == [1, 5, 6, 7]
    assert table.column("text").to_pylist()[3] == "中文"
    assert "\ufffd" in table.column("text").to_pylist()[1]
    assert table.column("url").to_pylist()[0] == "https://x.cn/1"
    st = reader.stats
    assert (st.records, st.malformed, st.invalid_utf8, st.missing_text) == (4, 2, 1, 1)
    assert st.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert st.bytes_on_disk == path.stat().st_size


def test_truncated_gzip_keeps_the_records_before_the_cut_and_says_how_many(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl.gz"
    data = b"".join(b'{"text": "row %d"}\n' % i for i in range(5000))
    path.write_bytes(gzip.compress(data)[:3000])
    table, reader = read_all(shard(path))
    st = reader.stats
    assert 0 < st.records < 5000 and table.num_rows == st.records
    assert table.column("text").to_pylist()[-1] == f"row {st.records - 1}"
    assert st.damage_line == st.records
    assert st.damage is not None and re.match(
        rf"t\.jsonl\.gz: compressed stream is truncated: the data ends inside a gzip member; "
        rf"{st.records} complete line\(s\) were read",
        st.damage,
    )
    path.write_bytes(gzip.compress(data)[:12])  # nothing decodes: the file is unreadable
    with pytest.raises(CorruptShard, match=r"t\.jsonl\.gz: .*0 complete line\(s\)"):
        read_all(shard(path))


def test_csv_and_tsv(tmp_path: Path) -> None:
    csv_path = tmp_path / "n.csv"
    csv_path.write_text('id,body\n1,"hello, world"\n2,short row,extra\n3,"多行\n文本"\n')
    table, reader = read_all(shard(csv_path, text_field="body", id_field="id"))
    assert table.column("text").to_pylist() == ["hello, world", "多行\n文本"]
    assert reader.stats.malformed == 1
    tsv = tmp_path / "n.tsv"
    tsv.write_text("text\tlang\nbonjour\tfr\n")
    table, _ = read_all(shard(tsv))
    assert table.column("text").to_pylist() == ["bonjour"]


def test_csv_missing_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ShardError, match=r"no column 'text'; columns are \['a', 'b'\]"):
        read_all(shard(path))


def test_plain_text_one_record_per_line(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("first\n\nsecond\n")
    table, _ = read_all(shard(path))
    assert table.column("text").to_pylist() == ["first", "second"]
    assert table.column("record_index").to_pylist() == [1, 3]


def test_parquet_row_group_range(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(
        pa.table({"text": [f"t{i}" for i in range(10)], "k": list(range(10))}),
        path,
        row_group_size=3,
    )
    table, reader = read_all(shard(path, row_groups=(1, 2), id_field="k", part=1))
    assert table.column("record_index").to_pylist() == [4, 5, 6, 7, 8, 9]
    assert table.column("record_key").to_pylist() == ["3", "4", "5", "6", "7", "8"]
    assert reader.stats.sha256 is None  # only part 0 hashes the file
    table, reader = read_all(shard(path))
    assert (
        table.num_rows == 10
        and reader.stats.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    )


def test_parquet_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"body": ["x"], "n": [1]}), path)
    with pytest.raises(ShardError, match=r"no column 'text' \(for text\)"):
        read_all(shard(path))
    with pytest.raises(ShardError, match="not text"):
        read_all(shard(path, text_field="n"))
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(ShardError, match="not a readable Parquet file"):
        read_all(shard(bad))


def test_read_records_jsonl_and_csv(tmp_path: Path) -> None:
    j = tmp_path / "log.jsonl"
    j.write_text('{"url": "https://a.cn/"}\nbroken\n')
    rows, malformed = read_records(j)
    assert rows == [{"url": "https://a.cn/"}] and malformed == 1
    c = tmp_path / "log.csv"
    c.write_text("url,fetched_at\nhttps://a.cn/,2026-01-01\n")
    rows, malformed = read_records(c)
    assert rows == [{"url": "https://a.cn/", "fetched_at": "2026-01-01"}] and malformed == 0


def test_jsonl_fast_path_equals_line_by_line_reference(tmp_path: Path) -> None:
    """Arrow's block parser and the exact per-line path must give identical records and counts."""
    import json
    import random

    rng = random.Random(3)
    lines: list[bytes] = []
    for i in range(60_000):
        r = rng.random()
        if r < 0.0005:
            lines.append(b"{broken")
        elif r < 0.001:
            lines.append(b'{"text": "bad \xff byte", "id": "x%d"}' % i)
        elif r < 0.0015:
            lines.append(b"")
        elif r < 0.002:
            lines.append(b'{"text": "numeric id", "id": %d}' % i)
        else:
            body = "长文本" * rng.randint(1, 400) if i % 2 else "long text " * rng.randint(1, 300)
            lines.append(
                json.dumps({"id": f"k{i}", "text": body, "extra": [1, {"a": None}]}).encode()
            )
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    table, reader = read_all(shard(path, id_field="id"), batch_rows=5000)

    expected_keys, expected_text, expected_idx = [], [], []
    malformed = invalid = 0
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            invalid += 1
            text = raw.decode("utf-8", errors="replace")
        try:
            rec = json.loads(text)
        except ValueError:
            malformed += 1
            continue
        expected_idx.append(n)
        expected_keys.append(rec["id"] if isinstance(rec["id"], str) else json.dumps(rec["id"]))
        expected_text.append(rec["text"])
    assert table.column("record_index").to_pylist() == expected_idx
    assert table.column("record_key").to_pylist() == expected_keys
    assert table.column("text").to_pylist() == expected_text
    assert (reader.stats.malformed, reader.stats.invalid_utf8) == (malformed, invalid)
    assert reader.stats.records == len(expected_idx)
