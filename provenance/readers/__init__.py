"""Read shards into pyarrow RecordBatches of one canonical schema.

Every format (JSONL, Parquet, CSV/TSV, plain text; gzip or zstd) comes out as batches with
columns ``record_index`` (1-based line or row), ``record_key`` (the id field, else the index),
``text``, ``url`` and ``collected_at``. Malformed records (with line numbers and reasons),
invalid UTF-8 and lone surrogates are *counted*, not fatal; a compressed file damaged part-way
keeps the records before the damage and records it in :class:`ReadStats`. Only a file that
cannot be read at all raises, and only :class:`ShardError` (``CorruptShard`` for bad bytes)
naming the file and what would be valid: any other exception out of a reader is a bug. The
raw bytes on disk are hashed (SHA-256) in the same pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from provenance.errors import CorruptShard, ShardError
from provenance.readers.base import SCHEMA, ReadStats
from provenance.readers.lines import LineFormats
from provenance.readers.parquet import ParquetFormat
from provenance.readers.streams import HashingReader, decompressed, stream_damage
from provenance.shard import Shard, detect_format

__all__ = ["SCHEMA", "ReadStats", "ShardReader", "read_records"]


class ShardReader(LineFormats, ParquetFormat):
    """Iterate a shard's RecordBatches; :attr:`stats` is complete once iteration ends."""

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        fmt = self.shard.format
        try:
            if fmt == "parquet":
                yield from self._parquet()
            elif fmt in ("jsonl", "csv", "text"):
                yield from self._line_based(fmt)
            else:
                raise ShardError(f"{self.name}: unsupported format {fmt!r}")
        except OSError as exc:  # gone since planning, no permission, an I/O error of the disk
            raise ShardError(f"{self.name}: cannot be read: {exc.strerror or exc}") from None

    # -- batching -----------------------------------------------------------------------


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    """Read a small JSONL/CSV evidence table (collection log, consent records).

    Returns the rows as dicts and the number of malformed lines skipped (damage that cut a
    compressed file short counts as one); a damaged file with no row raises :class:`CorruptShard`.
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
        raw = HashingReader(fh)
        stream = decompressed(raw, compression)
        lines = reader._lines(stream)
        parsed = reader._csv_rows(lines) if fmt == "csv" else reader._json_or_text(lines, "jsonl")
        rows = [rec for _, rec, _ in parsed if rec is not None]
        damage = stream_damage(stream)[0]
        if damage is not None and not rows:
            raise CorruptShard(f"{path.name}: compressed stream is {damage}; no row was read")
    # rows before damage are kept; the damage counts as one more malformed line
    return rows, reader.stats.malformed + (damage is not None)
