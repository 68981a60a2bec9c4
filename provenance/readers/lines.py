"""Line-based formats: JSONL (via the block fast path where possible), CSV/TSV, plain text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, cast

import pyarrow as pa

from provenance.errors import ShardError
from provenance.readers.base import MAX_RECORD_BYTES
from provenance.readers.jsonl import JsonlBlocks
from provenance.readers.ranges import LineRange
from provenance.readers.streams import CHUNK, HashingReader, decompressed, stream_damage
from provenance.storage import open_input

# The csv module's default field limit is 128 KiB, so a long article in one CSV cell was
# "malformed". Records up to MAX_RECORD_BYTES are read; longer fields are counted as
# malformed with the reason "too_long". (The limit is process-wide; readers are its only user.)
csv.field_size_limit(MAX_RECORD_BYTES)
# A carriage return inside an unquoted field (old Mac or Excel exports) would end the row
# early; it is carried through csv as a Unicode noncharacter, never found in real text.
_CR = "\ufdd0"


class LineFormats(JsonlBlocks):
    """Readers of line-oriented files, compressed or not."""

    def _raw_lines(self, stream: io.BufferedReader, base: int = 0) -> Iterator[tuple[int, bytes]]:
        """Numbered lines (``base`` lines precede the stream); over-long ones skipped (counted),
        the line damage cut dropped."""
        lineno = base
        while raw := stream.readline(MAX_RECORD_BYTES + 1):
            lineno += 1
            if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                while (more := stream.readline(CHUNK)) and not more.endswith(b"\n"):
                    pass
                self.stats.bad(lineno, "too_long")
                self._lines_read = lineno
                continue
            if not raw.endswith(b"\n") and stream_damage(stream)[0] is not None:
                self._cut = True  # the damage ended this line early: not a record
                return
            yield lineno, raw

    def _lines(self, stream: io.BufferedReader, base: int = 0) -> Iterator[tuple[int, str]]:
        """Decoded, numbered lines of ``stream``."""
        yield from self._decode(self._raw_lines(stream, base))

    def _line_based(self, fmt: str) -> Iterator[pa.RecordBatch]:
        if self.shard.byte_range is not None:
            yield from self._line_range(fmt, *self.shard.byte_range)
            return
        with open_input(self.shard.path, self.shard.protocol) as fh:
            raw = HashingReader(fh)
            stream = decompressed(raw, self.shard.compression)
            if fmt == "jsonl" and not any("." in f for f in self._fields().values()):
                yield from self._jsonl_blocks(stream)
            else:
                self._cut = False
                lines = self._lines(stream)
                rows = self._csv_rows(lines) if fmt == "csv" else self._json_or_text(lines, fmt)
                yield from self._rows_to_batches(rows)
                self._damaged(stream_damage(stream)[0], self._cut)
            raw.drain()
            self.stats.bytes_on_disk = raw.count
            self.stats.sha256 = raw.hash.hexdigest()

    def _line_range(self, fmt: str, start: int, end: int) -> Iterator[pa.RecordBatch]:
        """One part of a large uncompressed JSONL or text file (provenance.readers.ranges).
        Part 0 also hashes the whole file and reports its size, as for a file read whole."""
        with open_input(self.shard.path, self.shard.protocol) as fh:
            part = LineRange(fh, start, end)
            stream = io.BufferedReader(cast(Any, part), CHUNK)
            if fmt == "jsonl" and not any("." in f for f in self._fields().values()):
                yield from self._jsonl_blocks(stream, part.lines_before)
            else:
                lines = self._lines(stream, part.lines_before)
                yield from self._rows_to_batches(self._json_or_text(lines, fmt))
            if start == 0:
                fh.seek(0)
                raw = HashingReader(fh)
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
                if "\r" in line and _CR not in line:  # csv ends a row at a bare CR
                    line = line.replace("\r", _CR)
                yield line + "\n"  # quoted fields may span lines: give csv its newlines back

        reader = csv.reader(text_lines(), delimiter=self.shard.delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ShardError(
                f"{self.name}: line 1: the header row is not valid CSV; the first row must "
                "name the columns"
            ) from None
        self.stats.see_fields(header)
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
            except csv.Error as exc:
                too_long = "field larger than field limit" in str(exc)
                self.stats.bad(prev_end + 1, "too_long" if too_long else "csv_syntax")
                prev_end = current[0]
                continue
            start, prev_end = prev_end + 1, current[0]  # a row's index is its first line
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                self.stats.bad(start, "csv_columns")
                continue
            if any(_CR in f for f in row):
                row = [f.replace(_CR, "\r") for f in row]
            rec = dict(zip(header, row, strict=True))
            yield start, rec, rec.get(field)
