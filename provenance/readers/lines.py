"""Line-based formats: JSONL (via the block fast path where possible), CSV/TSV, plain text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from provenance.errors import ShardError
from provenance.readers.jsonl import JsonlBlocks
from provenance.readers.streams import STREAM_ERRORS, HashingReader, decompressed


class LineFormats(JsonlBlocks):
    """Readers of line-oriented files, compressed or not."""

    def _lines(self, stream: io.BufferedIOBase) -> Iterator[tuple[int, str]]:
        lineno = [0]

        def numbered() -> Iterator[tuple[int, bytes]]:
            for raw_line in stream:
                lineno[0] += 1
                yield lineno[0], raw_line

        try:
            yield from self._decode(numbered())
        except STREAM_ERRORS as exc:
            raise self._corrupt(lineno[0], exc) from None

    def _line_based(self, fmt: str) -> Iterator[pa.RecordBatch]:
        with open(self.shard.path, "rb") as fh:
            raw = HashingReader(fh)
            stream = decompressed(raw, self.shard.compression)
            if fmt == "jsonl" and not any("." in f for f in self._fields().values()):
                yield from self._jsonl_blocks(stream)
            else:
                lines = self._lines(stream)
                rows = self._csv_rows(lines) if fmt == "csv" else self._json_or_text(lines, fmt)
                yield from self._rows_to_batches(rows)
            raw.drain()
            self.stats.bytes_on_disk = raw.count
            self.stats.sha256 = raw.hash.hexdigest()

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
