"""Parquet shards: a row-group range read with the columns the manifest names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from provenance.errors import CorruptShard, ShardError
from provenance.readers.base import SCHEMA, ReaderBase
from provenance.readers.streams import CHUNK
from provenance.storage import open_input

_STRING = pa.string()


class ParquetFormat(ReaderBase):
    """Parquet reading."""

    def _parquet(self) -> Iterator[pa.RecordBatch]:
        if self.shard.protocol is None:  # a local file: Arrow opens it itself (memory-mapped)
            yield from self._parquet_from(self.shard.path)
            return
        with open_input(self.shard.path, self.shard.protocol) as fh:  # through fsspec
            yield from self._parquet_from(fh)

    def _parquet_from(self, source: str | IO[bytes]) -> Iterator[pa.RecordBatch]:
        s = self.shard
        try:
            pf = pq.ParquetFile(source)
        except (OSError, pa.ArrowException, ValueError, IndexError):  # bad footer, magic, metadata
            raise ShardError(
                f"{self.name}: not a readable Parquet file (bad footer or magic bytes)"
            ) from None
        names = set(pf.schema_arrow.names)
        self.stats.see_fields(pf.schema_arrow.names)
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
        try:
            batches = pf.iter_batches(
                batch_size=self.batch_rows, row_groups=groups, columns=columns
            )
        except (OSError, pa.ArrowException, IndexError):  # e.g. row groups gone since planning
            raise CorruptShard(f"{self.name}: row groups {groups} cannot be read") from None
        while True:
            try:
                rb = next(batches)
            except StopIteration:
                break
            except (OSError, pa.ArrowException):  # a damaged page or row group
                raise CorruptShard(
                    f"{self.name}: row groups {groups[0]}-{groups[-1]}: data is corrupt after "
                    f"{self.stats.records} row(s); re-export the file"
                ) from None
            n = rb.num_rows
            idx = pa.array(range(offset + 1, offset + n + 1), pa.int64())
            text = self._column(rb, s.text_field, "text", pa.large_string())
            self.stats.missing_text += text.null_count
            key = (
                self._column(rb, s.id_field, "record_key") if s.id_field else idx.cast(pa.string())
            )
            url = self._column(rb, s.url_field, "url") if s.url_field else pa.nulls(n, pa.string())
            ts = (
                self._column(rb, s.time_field, "collected_at")
                if s.time_field
                else pa.nulls(n, pa.string())
            )
            self.stats.records += n
            offset += n
            yield pa.RecordBatch.from_arrays([idx, key, text, url, ts], schema=SCHEMA)
        if s.part == 0:
            h, size = hashlib.sha256(), 0
            with open_input(s.path, s.protocol) as fh:
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
            self.stats.sha256 = h.hexdigest()
            self.stats.bytes_on_disk = size  # the bytes hashed: one read, no stat per store

    def _column(
        self, rb: pa.RecordBatch, col: str, role: str, typ: pa.DataType = _STRING
    ) -> pa.Array:
        """Column ``col`` as valid text, or a ShardError naming it (a struct id, say)."""
        try:
            arr = rb.column(col).cast(typ)
        except pa.ArrowException:
            raise ShardError(
                f"{self.name}: column {col!r} ({rb.schema.field(col).type}) cannot be read as "
                f"text (for {role}); name a string or number column"
            ) from None
        return self._valid_text(arr)

    def _valid_text(self, text: pa.Array) -> pa.Array:
        """Parquet does not enforce UTF-8: replace invalid sequences (counted) as lines do."""
        try:
            text.validate(full=True)
            return text
        except pa.ArrowInvalid:
            pass
        out: list[str | None] = []
        for value in text.cast(pa.large_binary()).to_pylist():
            if value is None:
                out.append(None)
                continue
            try:
                out.append(value.decode("utf-8"))
            except UnicodeDecodeError:
                self.stats.invalid_utf8 += 1
                out.append(value.decode("utf-8", errors="replace"))
        return pa.array(out, text.type)
