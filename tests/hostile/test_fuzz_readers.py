"""Issue 9 fuzzer, reader level: hostile shards of every format through ``ShardReader``.

Contract checked on every case (see tests/hostile/fuzzkit.py for how cases are built):

* the reader either finishes or raises ``ShardError`` naming the file; no other exception,
  no hang (a time limit per case);
* every planted good record the damage left intact is yielded (its marker is found), so one
  bad line, a lone surrogate, a deep nesting or a truncation cannot sink the good records;
* a file holding damage (junk lines, a cut compressed stream, random bytes) is reported:
  ``ShardError``, or a non-zero damage counter in ``ReadStats`` (malformed, invalid_utf8, or
  whatever the reader adds for truncation).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.errors import ShardError
from provenance.plan import Shard
from provenance.readers import ShardReader, read_records

from .fuzzkit import (
    LINE_FORMATS,
    ShardCase,
    fuzz,
    line_shard,
    parquet_shard,
    random_bytes_shard,
    time_limit,
    truncated_shard,
)

MARKER = re.compile(r"GOOD-\d+-\d+:")
#: ReadStats fields that describe the file, not damage in it
NOT_DAMAGE = {"bytes_on_disk", "sha256", "records", "missing_text", "field_names"}
LIMIT_S = 30.0
_counter = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-readers")


def _write(workdir: Path, case: ShardCase) -> Path:
    folder = workdir / str(next(_counter))
    folder.mkdir()
    path = folder / case.name
    path.write_bytes(case.data)
    return path


def _shard(path: Path, case: ShardCase) -> Shard:
    return Shard(
        shard_id="fuzz:0",
        file_id="fuzz",
        source_id="fuzz",
        path=str(path),
        format=case.fmt,
        compression=case.compression,
        part=0,
        row_groups=None,
        text_field="text",
        id_field=None,
        url_field=None,
        time_field=None,
    )


def read_case(workdir: Path, case: ShardCase, batch_rows: int) -> None:
    """Read ``case`` with a fresh ShardReader and assert the reader contract on it."""
    path = _write(workdir, case)
    reader = ShardReader(_shard(path, case), batch_rows=batch_rows)
    seen: set[str] = set()
    error: ShardError | None = None
    with time_limit(LIMIT_S, f"reading {case.name}"):
        try:
            for batch in reader:
                try:
                    batch.validate(full=True)
                except pa.ArrowInvalid as exc:  # scanners fail on such a batch: the run exits 3
                    pytest.fail(f"the reader yielded an invalid batch ({exc}) from {case!r}")
                for text in batch.column("text").to_pylist():
                    if text:
                        seen.update(MARKER.findall(text[:64]))
        except ShardError as exc:
            error = exc
    if error is not None:
        assert case.name in str(error), f"ShardError does not name the file: {error}"
    missing = [m for m in case.markers[: case.must_count] if m not in seen]
    assert not missing, (
        f"{len(missing)} of {case.must_count} good record(s) not counted "
        f"(first {missing[0]}); error={error}; stats={reader.stats}"
    )
    if case.bad and error is None:
        damage = {k: v for k, v in vars(reader.stats).items() if k not in NOT_DAMAGE and v}
        assert damage, f"damaged file read as clean: stats={reader.stats}"


@pytest.mark.parametrize("fmt", LINE_FORMATS)
@fuzz(examples=50)
@given(data=st.data(), batch_rows=st.sampled_from([1, 3, 8192]))
def test_fuzz_line_shards(workdir: Path, fmt: str, data: st.DataObject, batch_rows: int) -> None:
    """Issue 9 items 8, 9: JSONL/CSV/text (plain, gzip, zstd) of good records among junk."""
    read_case(workdir, data.draw(line_shard(fmt=fmt), label="case"), batch_rows)


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
@fuzz(examples=50)
@given(data=st.data())
def test_fuzz_truncated_compressed_shards(
    workdir: Path, compression: str, data: st.DataObject
) -> None:
    """Issue 9 item 7: gzip/zstd cut at a random point: reported, records before it counted."""
    read_case(workdir, data.draw(truncated_shard(compression=compression), label="case"), 8192)


@fuzz(examples=50)
@given(case=random_bytes_shard())
def test_fuzz_random_bytes_shards(workdir: Path, case: ShardCase) -> None:
    """Issue 9 item 8: random bytes under every data file name are reported, never a crash."""
    read_case(workdir, case, 8192)


@fuzz(examples=60)
@given(case=parquet_shard(), batch_rows=st.sampled_from([2, 8192]))
def test_fuzz_parquet_shards(workdir: Path, case: ShardCase, batch_rows: int) -> None:
    """Issue 9 items 8, 9: Parquet with hostile strings, nulls, wrong types, cuts, flipped bytes."""
    read_case(workdir, case, batch_rows)


def _values(row: Any) -> str:
    return " ".join(str(v) for v in row.values()) if isinstance(row, dict) else str(row)


@fuzz(examples=50)
@given(
    case=st.one_of(
        line_shard(fmt="jsonl"),
        line_shard(fmt="csv"),
        truncated_shard(fmt="jsonl"),
        random_bytes_shard(fmt="jsonl"),
    )
)
def test_fuzz_evidence_records(workdir: Path, case: ShardCase) -> None:
    """Issue 9 items 7-9: evidence tables (crawl logs, consent records) via ``read_records``."""
    path = _write(workdir, case)
    rows: list[dict[str, Any]] = []
    malformed = 0
    error: ShardError | None = None
    with time_limit(LIMIT_S, f"read_records {case.name}"):
        try:
            rows, malformed = read_records(path)
        except ShardError as exc:
            error = exc
    if error is not None:
        assert case.name in str(error), f"ShardError does not name the file: {error}"
        # an evidence table that raises has lost every row: only allowed when none was required
        assert case.must_count == 0, f"{case.must_count} good row(s) lost: {error}"
        return
    seen = {m for row in rows for m in MARKER.findall(_values(row))}
    missing = [m for m in case.markers[: case.must_count] if m not in seen]
    assert not missing, f"{len(missing)} good row(s) not returned; malformed={malformed}"
    if case.bad:
        assert malformed > 0, "damaged evidence table read as clean (0 malformed)"
