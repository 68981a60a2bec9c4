"""Read shards into pyarrow RecordBatches of one canonical schema.

Every format (JSONL, Parquet, CSV/TSV, plain text; gzip or zstd) comes out as batches with
columns ``record_index`` (1-based line or row), ``record_key`` (the id field, else the index),
``text``, ``url`` and ``collected_at``. Malformed records and invalid UTF-8 are *counted*, not
fatal; a file that cannot be read at all raises :class:`ShardError` naming the file and what
would be valid. The raw bytes on disk are hashed (SHA-256) in the same pass.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq
import zstandard

from provenance.errors import ShardError
from provenance.plan import Shard, detect_format

SCHEMA = pa.schema(
    [
        ("record_index", pa.int64()),
        ("record_key", pa.string()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("collected_at", pa.string()),
    ]
)
_CHUNK = 1 << 20
_BLOCK = 4 << 20  # decompressed bytes handed to Arrow's JSON reader at a time
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


@dataclass
class ReadStats:
    """What the reader saw beyond the records themselves (summed into ``file_stats``)."""

    bytes_on_disk: int = 0
    sha256: str | None = None
    records: int = 0
    malformed: int = 0
    invalid_utf8: int = 0
    missing_text: int = 0


class _HashingReader(io.RawIOBase):
    """Pass-through reader that hashes the raw (compressed) bytes as they are read."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.hash = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.hash.update(data)
        self.count += n
        return n

    def drain(self) -> None:
        """Hash what the decompressor left unread (trailing bytes still belong to the file)."""
        while chunk := self._raw.read(_CHUNK):
            self.hash.update(chunk)
            self.count += len(chunk)


def _decompressed(raw: _HashingReader, compression: str | None) -> io.BufferedIOBase:
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "zstd":
        reader = zstandard.ZstdDecompressor().stream_reader(
            cast(IO[bytes], raw), read_across_frames=True
        )
        return io.BufferedReader(reader, buffer_size=_CHUNK)
    return io.BufferedReader(raw, buffer_size=_CHUNK)


def _dig(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


class ShardReader:
    """Iterate a shard's RecordBatches; :attr:`stats` is complete once iteration ends."""

    def __init__(self, shard: Shard, batch_rows: int = 8192) -> None:
        self.shard = shard
        self.batch_rows = batch_rows
        self.stats = ReadStats()
        self.name = Path(shard.path).name

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        fmt = self.shard.format
        if fmt == "parquet":
            yield from self._parquet()
        elif fmt in ("jsonl", "csv", "text"):
            yield from self._line_based(fmt)
        else:
            raise ShardError(f"{self.name}: unsupported format {fmt!r}")

    # -- batching -----------------------------------------------------------------------
    def _batch(self, cols: dict[str, list[Any]]) -> pa.RecordBatch:
        return pa.RecordBatch.from_pydict(cols, schema=SCHEMA)

    @staticmethod
    def _empty_cols() -> dict[str, list[Any]]:
        return {name: [] for name in SCHEMA.names}

    def _add(
        self, cols: dict[str, list[Any]], index: int, rec: dict[str, Any] | None, text: Any
    ) -> None:
        s = self.shard
        if not isinstance(text, str):
            self.stats.missing_text += 1
            text = None
        key = _as_str(_dig(rec, s.id_field)) if (rec is not None and s.id_field) else None
        cols["record_index"].append(index)
        cols["record_key"].append(key if key is not None else str(index))
        cols["text"].append(text)
        cols["url"].append(
            _as_str(_dig(rec, s.url_field)) if rec is not None and s.url_field else None
        )
        cols["collected_at"].append(
            _as_str(_dig(rec, s.time_field)) if rec is not None and s.time_field else None
        )
        self.stats.records += 1

    # -- line-based formats ----------------------------------------------------------------
    def _decode(self, numbered: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, str]]:
        """Decode lines as UTF-8, counting (and replacing) invalid ones."""
        for lineno, raw_line in numbered:
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError:
                self.stats.invalid_utf8 += 1
                line = raw_line.decode("utf-8", errors="replace")
            yield lineno, line.rstrip("\r\n")

    def _lines(self, stream: io.BufferedIOBase) -> Iterator[tuple[int, str]]:
        lineno = [0]

        def numbered() -> Iterator[tuple[int, bytes]]:
            for raw_line in stream:
                lineno[0] += 1
                yield lineno[0], raw_line

        try:
            yield from self._decode(numbered())
        except _STREAM_ERRORS as exc:
            raise self._corrupt(lineno[0], exc) from None

    def _corrupt(self, line: int, exc: BaseException) -> ShardError:
        return ShardError(
            f"{self.name}: compressed stream is corrupt or truncated (read through line {line}) "
            f"({type(exc).__name__}); re-export the file or exclude it"
        )

    def _rows_to_batches(
        self, rows: Iterator[tuple[int, dict[str, Any] | None, Any]]
    ) -> Iterator[pa.RecordBatch]:
        cols = self._empty_cols()
        for index, rec, text in rows:
            self._add(cols, index, rec, text)
            if len(cols["record_index"]) >= self.batch_rows:
                yield self._batch(cols)
                cols = self._empty_cols()
        if cols["record_index"]:
            yield self._batch(cols)

    def _line_based(self, fmt: str) -> Iterator[pa.RecordBatch]:
        with open(self.shard.path, "rb") as fh:
            raw = _HashingReader(fh)
            stream = _decompressed(raw, self.shard.compression)
            if fmt == "jsonl" and not any("." in f for f in self._fields().values()):
                yield from self._jsonl_blocks(stream)
            else:
                lines = self._lines(stream)
                rows = self._csv_rows(lines) if fmt == "csv" else self._json_or_text(lines, fmt)
                yield from self._rows_to_batches(rows)
            raw.drain()
            self.stats.bytes_on_disk = raw.count
            self.stats.sha256 = raw.hash.hexdigest()

    def _fields(self) -> dict[str, str]:
        s = self.shard
        roles = {
            "text": s.text_field,
            "record_key": s.id_field,
            "url": s.url_field,
            "collected_at": s.time_field,
        }
        return {role: name for role, name in roles.items() if name}

    # -- JSONL fast path -----------------------------------------------------------------
    def _jsonl_blocks(self, stream: io.BufferedIOBase) -> Iterator[pa.RecordBatch]:
        """Parse JSONL a block at a time with Arrow's C++ reader.

        A block that Arrow cannot take whole — a malformed line, invalid UTF-8, a blank line
        (which would shift line numbers), a field of another type — is re-read line by line
        by the exact path, so the counts are the same either way (tests compare both).
        """
        fields = self._fields()
        schema = pa.schema([(name, pa.string()) for name in sorted(set(fields.values()))])
        opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
        base, carry, done = 0, b"", False
        while not done:
            try:
                chunk = stream.read(_BLOCK)
            except _STREAM_ERRORS as exc:
                raise self._corrupt(base, exc) from None
            if chunk:
                data = carry + chunk
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                data, carry = data[:cut], data[cut:]
            else:
                done, data, carry = True, carry, b""
                if not data:
                    break
                if not data.endswith(b"\n"):
                    data += b"\n"
            nlines = data.count(b"\n")
            table = None
            if b"\n\n" not in data and not data.startswith(b"\n") and _valid_utf8(data):
                try:
                    table = pj.read_json(io.BytesIO(data), parse_options=opts)
                except (pa.ArrowInvalid, UnicodeDecodeError):
                    table = None
                if table is not None and table.num_rows != nlines:
                    table = None
            if table is None:
                numbered = enumerate(data.split(b"\n")[:-1], base + 1)
                yield from self._rows_to_batches(
                    self._json_or_text(self._decode(numbered), "jsonl")
                )
            else:
                yield from self._arrow_block(table, base, fields)
            base += nlines

    def _arrow_block(
        self, table: pa.Table, base: int, fields: dict[str, str]
    ) -> Iterator[pa.RecordBatch]:
        n = table.num_rows
        idx = pa.array(range(base + 1, base + n + 1), pa.int64())
        text = table.column(fields["text"]).cast(pa.large_string())
        key = idx.cast(pa.string())
        if "record_key" in fields:
            key = pc.coalesce(table.column(fields["record_key"]), key)
        url = table.column(fields["url"]) if "url" in fields else pa.nulls(n, pa.string())
        ts = (
            table.column(fields["collected_at"])
            if "collected_at" in fields
            else pa.nulls(n, pa.string())
        )
        self.stats.missing_text += text.null_count
        self.stats.records += n
        out = pa.Table.from_arrays([idx, key, text, url, ts], schema=SCHEMA)
        yield from out.to_batches(max_chunksize=self.batch_rows)

    def _json_or_text(
        self, lines: Iterator[tuple[int, str]], fmt: str
    ) -> Iterator[tuple[int, dict[str, Any] | None, Any]]:
        field = self.shard.text_field
        for lineno, line in lines:
            if not line.strip():
                continue
            if fmt == "text":
                yield lineno, None, line
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                self.stats.malformed += 1
                continue
            if not isinstance(rec, dict):
                self.stats.malformed += 1
                continue
            yield lineno, rec, _dig(rec, field)

    def _csv_rows(
        self, lines: Iterator[tuple[int, str]]
    ) -> Iterator[tuple[int, dict[str, Any] | None, Any]]:
        numbered = iter(lines)
        current = [0]

        def text_lines() -> Iterator[str]:
            for lineno, line in numbered:
                current[0] = lineno
                yield line + "\n"  # quoted fields may span lines: give csv its newlines back

        reader = csv.reader(text_lines(), delimiter=self.shard.delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        field = self.shard.text_field
        prev_end = current[0]
        if field and field not in header:
            raise ShardError(
                f"{self.name}: line 1: no column {field!r}; columns are {header[:20]}; "
                "set files[].text_field to one of them"
            )
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                self.stats.malformed += 1
                prev_end = current[0]
                continue
            start, prev_end = prev_end + 1, current[0]  # a row's index is its first line
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                self.stats.malformed += 1
                continue
            rec = dict(zip(header, row, strict=True))
            yield start, rec, rec.get(field)

    # -- parquet -------------------------------------------------------------------------
    def _parquet(self) -> Iterator[pa.RecordBatch]:
        s = self.shard
        try:
            pf = pq.ParquetFile(s.path)
        except Exception:
            raise ShardError(
                f"{self.name}: not a readable Parquet file (bad footer or magic bytes)"
            ) from None
        names = set(pf.schema_arrow.names)
        wanted = {
            "text": s.text_field,
            "record_key": s.id_field,
            "url": s.url_field,
            "collected_at": s.time_field,
        }
        for role, col in wanted.items():
            if col is not None and col not in names:
                raise ShardError(
                    f"{self.name}: no column {col!r} (for {role}); columns are {sorted(names)[:20]}"
                )
        if not pa.types.is_string(
            pf.schema_arrow.field(s.text_field).type
        ) and not pa.types.is_large_string(pf.schema_arrow.field(s.text_field).type):
            raise ShardError(
                f"{self.name}: column {s.text_field!r} is {pf.schema_arrow.field(s.text_field).type}, not text"
            )
        groups = list(s.row_groups) if s.row_groups is not None else list(range(pf.num_row_groups))
        offset = sum(pf.metadata.row_group(g).num_rows for g in range(groups[0])) if groups else 0
        columns = sorted({c for c in wanted.values() if c})
        for rb in pf.iter_batches(batch_size=self.batch_rows, row_groups=groups, columns=columns):
            n = rb.num_rows
            idx = pa.array(range(offset + 1, offset + n + 1), pa.int64())
            text = rb.column(s.text_field).cast(pa.large_string())
            self.stats.missing_text += text.null_count
            key = rb.column(s.id_field).cast(pa.string()) if s.id_field else idx.cast(pa.string())
            url = (
                rb.column(s.url_field).cast(pa.string())
                if s.url_field
                else pa.nulls(n, pa.string())
            )
            ts = (
                rb.column(s.time_field).cast(pa.string())
                if s.time_field
                else pa.nulls(n, pa.string())
            )
            self.stats.records += n
            offset += n
            yield pa.RecordBatch.from_arrays([idx, key, text, url, ts], schema=SCHEMA)
        if s.part == 0:
            h = hashlib.sha256()
            with open(s.path, "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    h.update(chunk)
            self.stats.sha256 = h.hexdigest()
            self.stats.bytes_on_disk = Path(s.path).stat().st_size


def _valid_utf8(data: bytes) -> bool:
    """Arrow's JSON reader does not always reject invalid UTF-8, so blocks are checked first."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Read a small JSONL/CSV evidence table (collection log, consent records).

    Returns the rows as dicts and the number of malformed lines skipped.
    """
    fmt, compression = detect_format(path.name)
    if fmt not in ("jsonl", "csv"):
        raise ShardError(f"{path.name}: records must be .jsonl or .csv (optionally .gz/.zst)")
    shard = Shard(
        shard_id="records",
        file_id="records",
        source_id="",
        path=str(path),
        format=fmt,
        compression=compression,
        part=0,
        row_groups=None,
        text_field="",
        id_field=None,
        url_field=None,
        time_field=None,
        delimiter="\t" if ".tsv" in path.suffixes else ",",
    )
    reader = ShardReader(shard)
    rows: list[dict[str, Any]] = []
    with open(path, "rb") as fh:
        raw = _HashingReader(fh)
        lines = reader._lines(_decompressed(raw, compression))
        parsed = reader._csv_rows(lines) if fmt == "csv" else reader._json_or_text(lines, "jsonl")
        rows = [rec for _, rec, _ in parsed if rec is not None]
    return rows, reader.stats.malformed
