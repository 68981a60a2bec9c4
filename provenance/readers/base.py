"""What every reader shares: the canonical batch schema, read statistics, record assembly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from provenance.errors import ShardError
from provenance.plan import Shard
from provenance.readers.streams import as_str, dig

SCHEMA = pa.schema(
    [
        ("record_index", pa.int64()),
        ("record_key", pa.string()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("collected_at", pa.string()),
    ]
)


@dataclass
class ReadStats:
    """What the reader saw beyond the records themselves (summed into ``file_stats``)."""

    bytes_on_disk: int = 0
    sha256: str | None = None
    records: int = 0
    malformed: int = 0
    invalid_utf8: int = 0
    missing_text: int = 0


class ReaderBase:
    """State and helpers of a shard reader; formats are mixins (lines, jsonl, parquet)."""

    def __init__(self, shard: Shard, batch_rows: int = 8192) -> None:
        self.shard = shard
        self.batch_rows = batch_rows
        self.stats = ReadStats()
        self.name = Path(shard.path).name

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
        key = as_str(dig(rec, s.id_field)) if (rec is not None and s.id_field) else None
        cols["record_index"].append(index)
        cols["record_key"].append(key if key is not None else str(index))
        cols["text"].append(text)
        cols["url"].append(
            as_str(dig(rec, s.url_field)) if rec is not None and s.url_field else None
        )
        cols["collected_at"].append(
            as_str(dig(rec, s.time_field)) if rec is not None and s.time_field else None
        )
        self.stats.records += 1

    # -- line-based formats ----------------------------------------------------------------

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

    def _decode(self, numbered: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, str]]:
        """Decode lines as UTF-8, counting (and replacing) invalid ones."""
        for lineno, raw_line in numbered:
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError:
                self.stats.invalid_utf8 += 1
                line = raw_line.decode("utf-8", errors="replace")
            yield lineno, line.rstrip("\r\n")

    def _corrupt(self, line: int, exc: BaseException) -> ShardError:
        return ShardError(
            f"{self.name}: compressed stream is corrupt or truncated ({type(exc).__name__}); "
            f"{line} line(s) were read before the damage; re-export the file or exclude it"
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
            yield lineno, rec, dig(rec, field)
