"""Issue 9, items 7-9: hostile bytes in data files, through the reader API and the CLI.

Every reproduction of the issue is one test. The contract each one checks: the good records of
the same file are still counted, the bad ones are counted with their line numbers, and nothing
but the reader's own :class:`ShardError` leaves the reader.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from provenance.errors import CorruptShard, ShardError
from provenance.plan import Shard, detect_format
from provenance.readers import SCHEMA, ReadStats, ShardReader
from provenance.readers.base import MAX_FIELD_NAMES
from tests.conftest import Corpus, cli, codes

ROWS = 3000
ZROWS = 20_000  # zstd decodes whole 128 KiB blocks: enough rows for many of them
DATA = b"".join(b'{"text": "record %d of the file", "id": "k%d"}\n' % (i, i) for i in range(ROWS))


def shard(path: Path, **kw: Any) -> Shard:
    fmt, comp = detect_format(path.name)
    args: dict[str, Any] = dict(
        shard_id="s", file_id="f", source_id="src", path=str(path), format=fmt,
        compression=comp, part=0, row_groups=None, text_field="text", id_field=None,
        url_field=None, time_field=None, delimiter=",",
    )  # fmt: skip
    args.update(kw)
    return Shard(**args)


def read(path: Path, **kw: Any) -> tuple[pa.Table, ReadStats]:
    reader = ShardReader(shard(path, **kw), 1000)
    batches = list(reader)
    return pa.Table.from_batches(batches, schema=SCHEMA), reader.stats


def zstd_big() -> bytes:
    """A zstd file of several blocks, so a cut in the middle leaves whole blocks before it."""
    rng = random.Random(9)
    rows = [{"text": f"record {i} " + rng.randbytes(40).hex()} for i in range(ZROWS)]
    return zstandard.ZstdCompressor().compress(
        b"".join(json.dumps(r).encode() + b"\n" for r in rows)
    )


def findings(db: Path, code: str) -> list[tuple[str, str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT subject_id, severity, message_en, message_zh FROM latest_findings "
            "WHERE code = ?",
            [code],
        ).fetchall()


# -- item 7: truncated compressed files --------------------------------------------------


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9, -4])
def test_truncated_zstd_counts_the_records_before_the_cut(tmp_path: Path, cut: float) -> None:
    """Issue 9 item 7: a truncated .zst was read as complete (1,146 of 3,000, no finding)."""
    blob = zstd_big()
    path = tmp_path / "t.jsonl.zst"
    end = int(len(blob) * cut) if cut > 0 else len(blob) + int(cut)
    path.write_bytes(blob[:end])
    table, st = read(path)
    assert 0 < st.records < ZROWS
    assert table.num_rows == st.records and st.malformed == 0
    # the records before the cut are exactly the first ones, in order
    assert table.column("text").to_pylist()[-1].startswith(f"record {st.records - 1} ")
    assert st.damage is not None and "truncated: the data ends inside a zstd frame" in st.damage
    assert f"{st.damage_line} complete line(s) were read" in st.damage
    assert st.damage_line == st.records and st.damage.startswith("t.jsonl.zst: ")


@pytest.mark.parametrize("end", [2, 4, 6, 12])
def test_zstd_cut_inside_the_frame_header_is_an_unreadable_file(tmp_path: Path, end: int) -> None:
    """Issue 9 item 7: a cut inside the zstd frame header leaves nothing: a typed error."""
    path = tmp_path / "h.jsonl.zst"
    path.write_bytes(zstd_big()[:end])
    with pytest.raises(
        CorruptShard, match=r"h\.jsonl\.zst: compressed stream is truncated.* 0 complete"
    ):
        read(path)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_gzip_says_how_many_lines_were_read(tmp_path: Path, cut: float) -> None:
    """Issue 9 item 7: the gzip message always said "0 line(s) were read"."""
    blob = gzip.compress(DATA)
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(blob[: int(len(blob) * cut)])
    table, st = read(path)
    assert 0 < st.records < ROWS and table.num_rows == st.records
    assert st.damage is not None and f"; {st.records} complete line(s) were read" in st.damage
    assert "gzip member" in st.damage and "the line it cut was dropped" in st.damage
    path.write_bytes(blob[:5])  # inside the 10-byte gzip header
    with pytest.raises(CorruptShard, match="0 complete line"):
        read(path)


def test_corrupt_gzip_in_the_middle_keeps_what_came_before(tmp_path: Path) -> None:
    """Issue 9 item 7: damaged (not only cut) compressed data is named too, and intact
    multi-member gzip / multi-frame zstd files are not mistaken for damaged ones."""
    blob = bytearray(gzip.compress(DATA))
    for i in range(len(blob) // 2, len(blob) // 2 + 64):
        blob[i] ^= 0xFF
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(bytes(blob))
    _, st = read(path)
    assert 0 < st.records < ROWS and st.damage is not None and "gzip member" in st.damage
    ok = tmp_path / "m.jsonl.gz"
    ok.write_bytes(gzip.compress(DATA) + gzip.compress(DATA) + b"\0\0\0")
    _, st = read(ok)
    assert (st.records, st.damage) == (2 * ROWS, None)
    okz = tmp_path / "m.jsonl.zst"
    okz.write_bytes(zstd_big() * 2)
    _, st = read(okz)
    assert (st.records, st.damage) == (2 * ZROWS, None)


def test_truncated_zstd_end_to_end(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 7 through the CLI: exit 1, a damaged_file finding naming the file and the
    records read, and those records counted in file_stats."""
    blob = zstd_big()
    (corpus.root / "data/open/cut.jsonl.zst").write_bytes(blob[: len(blob) // 2])
    corpus.source("open")["files"][0]["glob"] = "open/*.jsonl*"
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    rows = findings(db, "damaged_file")
    assert len(rows) == 1 and rows[0][:2] == ("corpus/open/cut.jsonl.zst", "high")
    with duckdb.connect(str(db), read_only=True) as con:
        (n,) = con.execute(
            "SELECT s.records FROM file_stats s JOIN files f USING (run_id, file_id) "
            "WHERE f.path = 'open/cut.jsonl.zst'"
        ).fetchone()  # type: ignore[misc]
    assert 0 < n < ZROWS
    assert f"{n} record(s) in the first {n} line(s) were read and counted" in rows[0][2]
    assert f"前 {n} 行中的 {n} 条记录" in rows[0][3]


# -- item 8: silent nothing ---------------------------------------------------------------


def test_random_bytes_named_jsonl_are_counted_with_line_numbers(tmp_path: Path) -> None:
    """Issue 9 item 8: 200 KB of random bytes named .jsonl: 0 records, every line malformed."""
    path = tmp_path / "noise.jsonl"
    path.write_bytes(random.Random(8).randbytes(200_000))
    table, st = read(path)
    assert table.num_rows == st.records == 0
    assert st.malformed > 500 and st.malformed_lines == list(range(1, 11))
    assert set(st.malformed_reasons) <= {"not_json", "not_object"}
    assert sum(st.malformed_reasons.values()) == st.malformed


def test_random_bytes_end_to_end(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 8 through the CLI: random bytes were "status ok, no finding"; now a high
    malformed_records finding names the file (exit 1)."""
    (corpus.root / "data/open/noise.jsonl").write_bytes(random.Random(8).randbytes(200_000))
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1")
    assert res.returncode == 1, res.stdout + res.stderr
    rows = findings(db, "malformed_records")
    assert [r[:2] for r in rows] == [("corpus/open/noise.jsonl", "high")]
    assert "effectively unreadable" in rows[0][2] and "first at line(s) 1, 2, 3" in rows[0][2]
    assert "实际上无法读取" in rows[0][3]


def test_some_malformed_lines_are_a_finding_with_share_and_lines(
    corpus: Corpus, run_audit: Any
) -> None:
    """Issue 9 item 8: a file with some malformed lines names their count, share and lines."""
    good = [json.dumps({"text": f"ok {i}"}) for i in range(8)]
    lines = [*good[:3], "[1, 2]", "{broken", *good[3:]]
    (corpus.root / "data/open/mixed.jsonl").write_text("\n".join(lines) + "\n")
    _, con = run_audit(corpus.write())
    rows = con.execute(
        "SELECT subject_id, severity, message_en, message_zh FROM latest_findings "
        "WHERE code = 'malformed_records'"
    ).fetchall()
    assert len(rows) == 1  # the clean files of the corpus give none
    (subject, severity, en, zh) = rows[0]
    assert (subject, severity) == ("corpus/open/mixed.jsonl", "medium")
    assert "2 of 10 non-blank line(s) (20.0%)" in en and "first at line(s) 4, 5" in en
    assert "a JSON array, number or string, not an object: 1" in en and "不是有效的 JSON" in zh


def test_text_field_missing_names_the_fields_present(corpus: Corpus, run_audit: Any) -> None:
    """Issue 9 item 8: a file where no record has the text field gave no finding."""
    rows = [{"body": f"text {i}", "lang": "en", "13812345678": 1} for i in range(5)]
    (corpus.root / "data/open/wrong.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    _, con = run_audit(corpus.write())
    (subject, severity, en, evidence) = con.execute(
        "SELECT subject_id, severity, message_en, evidence FROM latest_findings "
        "WHERE code = 'text_field_missing'"
    ).fetchone()
    assert (subject, severity) == ("corpus/open/wrong.jsonl", "high")
    assert "5 of 5 record(s) (100.0%) have no text in field 'text'" in en
    assert "fields present: body, lang" in en
    assert "13812345678" not in en + evidence  # a key that is data is never shown
    assert json.loads(evidence)["field_names"] == ["body", "lang"]


def test_field_names_are_bounded_and_merge_across_shards(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 8: observed field names are a bounded set of names (never values), and the
    counts of a file split into shards add up to one finding for the file."""
    st = ReadStats()
    st.see_fields([f"field_{i}" for i in range(50)] + ["a@b.cn", "u13812345678"])
    assert st.field_names == [f"field_{i}" for i in range(MAX_FIELD_NAMES)]
    a = ReadStats(records=3, missing_text=3, malformed=1, malformed_lines=[9], field_names=["x"])
    a.malformed_reasons = {"not_json": 1}
    b = ReadStats(
        records=2, missing_text=1, malformed=2, malformed_lines=[2, 30], field_names=["y", "x"]
    )
    b.malformed_reasons = {"not_json": 1, "too_deep": 1}
    a.merge(b)
    assert (a.records, a.missing_text, a.malformed, a.malformed_lines) == (5, 4, 3, [2, 9, 30])
    assert a.field_names == ["x", "y"] and a.malformed_reasons == {"not_json": 2, "too_deep": 1}
    # end to end: a Parquet file of 4 shards whose text column is mostly empty
    pq.write_table(
        pa.table({"text": [None] * 30 + ["kept"] * 10, "title": ["t"] * 40}),
        corpus.root / "data/open/p.parquet",
        row_group_size=10,
    )
    corpus.source("open")["files"].append({"root": "corpus", "glob": "open/*.parquet"})
    text = (Path(__file__).parents[2] / "pipelines/pretraining.toml").read_text()
    pipe = tmp_path / "small.toml"
    pipe.write_text(text.replace("shard_rows = 1000000", "shard_rows = 10"))
    (tmp_path / "deny_list.txt").write_text("dataset:nothing-here\n")
    db = tmp_path / "d.duckdb"
    res = cli(
        "audit", str(corpus.write()), "--db", str(db), "--workers", "1", "--pipeline", str(pipe)
    )
    assert res.returncode in (0, 1), res.stderr
    rows = findings(db, "text_field_missing")
    assert len(rows) == 1 and "30 of 40 record(s) (75.0%)" in rows[0][2]
    assert rows[0][1] == "medium" and "fields present: text, title" in rows[0][2]


def test_csv_field_of_300kb_is_read_and_an_oversized_one_says_why(tmp_path: Path) -> None:
    """Issue 9 item 8: a 300 KB CSV field was "malformed" without a word (csv's 128 KiB limit)."""
    path = tmp_path / "big.csv"
    path.write_text('id,text\n1,"' + "长" * 300_000 + '"\n2,short\n')
    table, st = read(path)
    assert (st.records, st.malformed) == (2, 0) and len(table.column("text")[0].as_py()) == 300_000
    old = csv.field_size_limit(1000)  # past the limit: malformed, with the reason
    try:
        _, st = read(path)
    finally:
        csv.field_size_limit(old)
    assert st.malformed == 1 and st.malformed_reasons == {"too_long": 1} and st.records == 1


# -- item 9: one bad record must not sink the file ------------------------------------------

GOOD = b'{"text": "good one"}\n'


def hostile(
    tmp_path: Path, name: str, middle: bytes, head: bytes = b""
) -> tuple[pa.Table, ReadStats]:
    path = tmp_path / name
    path.write_bytes(head + GOOD + middle + GOOD)
    return read(path)


def test_lone_surrogate_is_repaired_not_fatal(tmp_path: Path) -> None:
    """Issue 9 item 9: {"text":"\\ud800"} made the whole file unreadable."""
    table, st = hostile(tmp_path, "s.jsonl", b'{"text":"\\ud800 x", "id": "\\udfff"}\n', b"")
    assert st.records == 3 and st.repaired == 1 and st.malformed == 0
    assert table.column("text").to_pylist() == ["good one", "\ufffd x", "good one"]
    table, st = read(tmp_path / "s.jsonl", id_field="id")
    assert table.column("record_key").to_pylist()[1] == "\ufffd" and st.repaired == 1


def test_lone_surrogate_end_to_end(corpus: Corpus, run_audit: Any) -> None:
    """Issue 9 item 9 through a whole audit: the good lines count, the repair is reported."""
    (corpus.root / "data/open/a.jsonl").write_bytes(GOOD + b'{"text":"\\ud800"}\n' + GOOD)
    result, con = run_audit(corpus.write())
    assert result.unreadable_files == 0
    assert con.execute(
        "SELECT sum(s.records), sum(s.repaired) FROM file_stats s JOIN files f USING (run_id, file_id) "
        "WHERE f.path = 'open/a.jsonl'"
    ).fetchone() == (3, 1)
    assert "records_repaired" in codes(con)


def test_nul_bytes(tmp_path: Path) -> None:
    """Issue 9 item 9: NUL bytes: a raw NUL in a line is malformed (with its line), an escaped
    one is text."""
    table, st = hostile(
        tmp_path, "n.jsonl", b'{"text": "a\x00b"}\n\x00\x00\x00\n{"text": "a\\u0000b"}\n'
    )
    assert (st.records, st.malformed, st.malformed_lines) == (3, 2, [2, 3])
    assert table.column("text").to_pylist()[1] == "a\x00b"


def test_bom_at_file_start(tmp_path: Path) -> None:
    """Issue 9 item 9: a UTF-8 BOM before the first record (JSONL and CSV) is not data."""
    _, st = hostile(tmp_path, "b.jsonl", b"[1]\n", b"\xef\xbb\xbf")
    assert (st.records, st.malformed, st.malformed_lines) == (2, 1, [2])
    path = tmp_path / "b.csv"
    path.write_bytes(b"\xef\xbb\xbftext,id\nhello,1\n")
    table, st = read(path)
    assert table.column("text").to_pylist() == ["hello"] and st.field_names == ["text", "id"]


def test_crlf_line_endings(tmp_path: Path) -> None:
    """Issue 9 item 9: CRLF line endings read like LF, line numbers unchanged."""
    table, st = hostile(
        tmp_path, "c.jsonl", b'{"text": "two"}\r\nnot json\r\n', b'{"text": "zero"}\r\n'
    )
    assert (st.records, st.malformed, st.malformed_lines) == (4, 1, [4])
    assert table.column("text").to_pylist() == ["zero", "good one", "two", "good one"]


def test_rtl_marks(tmp_path: Path) -> None:
    """Issue 9 item 9: right-to-left and embedding marks are text, kept as they are."""
    text = "\u200fשלום \u202eevil\u202c"
    table, st = hostile(
        tmp_path, "r.jsonl", json.dumps({"text": text}, ensure_ascii=False).encode() + b"\n{\n"
    )
    assert (st.records, st.malformed, st.malformed_lines) == (3, 1, [3])
    assert table.column("text").to_pylist()[1] == text


def test_invalid_utf8_in_the_middle_of_a_line(tmp_path: Path) -> None:
    """Issue 9 item 9: invalid UTF-8 is replaced and counted; the record is kept."""
    table, st = hostile(tmp_path, "u.jsonl", b'{"text": "caf\xc3 \xff\xfe au lait"}\n')
    assert (st.records, st.malformed, st.invalid_utf8) == (3, 0, 1)
    assert table.column("text").to_pylist()[1] == "caf\ufffd \ufffd\ufffd au lait"


def test_json_array_number_string_lines(tmp_path: Path) -> None:
    """Issue 9 item 9: a line that is JSON but not an object is malformed, with its line."""
    _, st = hostile(tmp_path, "a.jsonl", b'[{"text": "x"}]\n42\n"text"\nnull\ntrue\n')
    assert (st.records, st.malformed, st.malformed_lines) == (2, 5, [2, 3, 4, 5, 6])
    assert st.malformed_reasons == {"not_object": 5}


def test_deeply_nested_json(tmp_path: Path) -> None:
    """Issue 9 item 9: 100k nested '[' (or objects) raised RecursionError out of the reader."""
    deep = b"[" * 100_000 + b"\n" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n"
    _, st = hostile(tmp_path, "d.jsonl", deep)
    assert (st.records, st.malformed, st.malformed_lines) == (2, 2, [2, 3])
    assert st.malformed_reasons == {"too_deep": 2}


_LONG_LINE = """
import resource, sys
from pathlib import Path
from provenance.readers import ShardReader
sys.path.insert(0, sys.argv[2])
from tests.hostile.test_readers_hostile import shard
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
reader = ShardReader(shard(Path(sys.argv[1])), 8192)
n = sum(b.num_rows for b in reader)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(n, reader.stats.malformed, grown)
"""


def test_50mb_single_line_is_one_record_in_bounded_memory(tmp_path: Path) -> None:
    """Issue 9 item 9: a 50 MB single line is counted as a record, with memory growth a small
    multiple of the line (measured in a fresh process: ~170 MB for 50 MB)."""
    path = tmp_path / "long.jsonl"
    with open(path, "wb") as fh:
        fh.write(GOOD + b'{"text": "' + b"x" * (50 << 20) + b'"}\n' + GOOD)
    root = str(Path(__file__).parents[2])
    res = subprocess.run(
        [sys.executable, "-c", _LONG_LINE, str(path), root],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    records, malformed, grown_mb = res.stdout.split()
    assert (int(records), int(malformed)) == (3, 0)
    assert float(grown_mb) < 6 * 50, f"reading a 50 MB line grew memory by {grown_mb} MB"


def test_line_over_the_record_limit_is_skipped_not_held(tmp_path: Path, monkeypatch: Any) -> None:
    """Issue 9 item 9: a line past MAX_RECORD_BYTES is malformed (too_long) with its line
    number, in the block path and the line path (dotted field), and the next line is read."""
    import provenance.readers.jsonl as jsonl
    import provenance.readers.lines as lines

    monkeypatch.setattr(jsonl, "MAX_RECORD_BYTES", 1 << 20)
    monkeypatch.setattr(lines, "MAX_RECORD_BYTES", 1 << 20)
    monkeypatch.setattr(jsonl, "BLOCK", 1 << 18)
    path = tmp_path / "l.jsonl"
    path.write_bytes(
        GOOD + b'{"text": "' + b"y" * (3 << 20) + b'"}\n' + b'{"text": "after", "m": {"t": "z"}}\n'
    )
    for kw in ({}, {"text_field": "m.t"}):
        table, st = read(path, **kw)
        assert (st.malformed, st.malformed_lines, st.malformed_reasons) == (1, [2], {"too_long": 1})
        assert st.records == 2 and table.column("record_index").to_pylist() == [1, 3]


def test_only_typed_errors_leave_the_reader(tmp_path: Path) -> None:
    """Issue 9 item 4 (for items 7-9): random damage to gzip, zstd and Parquet files either
    reads (good records counted, damage recorded) or raises ShardError; nothing else."""
    rng = random.Random(99)
    buf = pa.BufferOutputStream()
    pq.write_table(pa.table({"text": [f"r{i}" for i in range(500)]}), buf, row_group_size=100)
    sources = {
        "x.jsonl.gz": gzip.compress(DATA),
        "x.jsonl.zst": zstd_big(),
        "x.parquet": buf.getvalue().to_pybytes(),
    }
    for name, blob in sources.items():
        for case in range(15):
            data = bytearray(blob)
            if case % 2:
                data = data[: rng.randrange(len(data))]
            else:
                for _ in range(rng.randint(1, 8)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            path = tmp_path / f"{case}-{name}"
            path.write_bytes(bytes(data))
            try:
                _, st = read(path)
            except ShardError as exc:
                assert str(exc).startswith(path.name), exc
                continue
            assert st.records + st.malformed > 0


def test_parquet_invalid_utf8_and_unreadable_columns(tmp_path: Path) -> None:
    """Issue 9 items 4 and 9 for Parquet: invalid UTF-8 in a string column is replaced and
    counted like a JSONL line (it used to reach the scanners and fail there), and an id column
    that cannot be text is a ShardError naming it, not an Arrow exception."""
    path = tmp_path / "u.parquet"
    raw = pa.array([b"good", b"bad \xff", None, b"also good"]).view(pa.string())
    pq.write_table(pa.table({"text": raw, "id": raw}), path)
    table, st = read(path, id_field="id")
    assert table.column("text").to_pylist() == ["good", "bad \ufffd", None, "also good"]
    assert (st.records, st.missing_text, st.invalid_utf8) == (4, 1, 2)
    pq.write_table(pa.table({"text": ["a"], "id": pa.array([{"x": 1}])}), path)
    with pytest.raises(ShardError, match=r"u\.parquet: column 'id' \(struct<x: int64>\)"):
        read(path, id_field="id")


_NULL_FIRST = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.hostile.test_readers_hostile import read
_, st = read(Path(sys.argv[1]))
print(st.records, st.malformed, st.malformed_lines)
"""


def test_null_line_does_not_crash_or_count_as_a_record(tmp_path: Path) -> None:
    """Issue 9 item 9: a `null` line. pyarrow 26's JSON reader kills the process (SIGSEGV) on
    a block whose first line is `null` and reads a later `null` as an empty record; both must
    be malformed lines (run in a child process, so a crash is a failure, not a lost suite)."""
    path = tmp_path / "n.jsonl"
    path.write_bytes(b"null\n" + GOOD + b"null\n" + GOOD)
    res = subprocess.run(
        [sys.executable, "-c", _NULL_FIRST, str(path), str(Path(__file__).parents[2])],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert res.returncode == 0, f"reader crashed ({res.returncode}): {res.stderr[-500:]}"
    assert res.stdout.split(maxsplit=2) == ["2", "2", "[1, 3]\n"]


def test_csv_bare_carriage_return_in_an_unquoted_field(tmp_path: Path) -> None:
    """Issue 9 item 9: a bare CR inside an unquoted CSV field (old Mac / Excel exports) made
    the row malformed; it is kept as text and the row counted."""
    path = tmp_path / "cr.csv"
    path.write_bytes(b"id,text\n1,one\rtwo\n2,three\r\n")
    table, st = read(path)
    assert (st.records, st.malformed) == (2, 0)
    assert table.column("text").to_pylist() == ["one\rtwo", "three"]
