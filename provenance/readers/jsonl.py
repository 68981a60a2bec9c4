"""JSONL a block at a time with Arrow's C++ reader, falling back to the exact per-line path."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from provenance.readers.base import MAX_RECORD_BYTES, SCHEMA, ReaderBase
from provenance.readers.streams import BLOCK, stream_damage, valid_utf8

_SAMPLE_LINES = 100  # lines of the first block parsed again to learn the field names
_SAMPLE_BYTES = 1 << 20  # longer lines are not sampled


class JsonlBlocks(ReaderBase):
    """The JSONL fast path."""

    def _jsonl_blocks(self, stream: io.BufferedReader, base: int = 0) -> Iterator[pa.RecordBatch]:
        """Parse JSONL a block at a time with Arrow's C++ reader.

        A block that Arrow cannot take whole — a malformed line, invalid UTF-8, a blank line
        (which would shift line numbers), a field of another type — is re-read line by line
        by the exact path, so the counts are the same either way (tests compare both). A line
        longer than ``MAX_RECORD_BYTES`` is skipped while it streams past, never held whole.
        """
        fields = self._fields()
        schema = pa.schema([(name, pa.string()) for name in sorted(set(fields.values()))])
        opts = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
        # ``base``: lines before the current block (a part of a split file starts later)
        parts: list[bytes] = []  # an unfinished line carried into the next read
        carried = 0
        skipping = False  # inside an over-long line
        while chunk := stream.read(BLOCK):
            if skipping:
                nl = chunk.find(b"\n")
                if nl < 0:
                    continue
                chunk, skipping, base = chunk[nl + 1 :], False, base + 1
                self._lines_read = base
                if not chunk:
                    continue
            cut = chunk.rfind(b"\n") + 1
            if cut == 0:
                parts.append(chunk)
                carried += len(chunk)
                if carried > MAX_RECORD_BYTES:
                    self.stats.bad(base + 1, "too_long")
                    parts, carried, skipping = [], 0, True
                continue
            data = b"".join([*parts, chunk[:cut]]) if parts else chunk[:cut]
            tail = chunk[cut:]
            parts, carried = ([tail], len(tail)) if tail else ([], 0)
            yield from self._block(data, base, fields, opts)
            base += data.count(b"\n")
            self._lines_read = base
        damage, _ = stream_damage(stream)
        if parts and damage is None:  # a last line without a newline is still a line
            yield from self._block(b"".join(parts) + b"\n", base, fields, opts)
            self._lines_read = base + 1
        self._damaged(damage, cut=bool(parts) or skipping)

    def _block(
        self, data: bytes, base: int, fields: dict[str, str], opts: pj.ParseOptions
    ) -> Iterator[pa.RecordBatch]:
        """Batches of one block of whole lines (``base`` lines precede it in the file)."""
        nlines = data.count(b"\n")
        if base == 0:
            self._sample_fields(data)
        table = None
        # Arrow only sees blocks whose every line starts with '{': pyarrow 26 crashes the
        # process (SIGSEGV) on a block whose first line is `null`, and reads a later `null`
        # line as an empty record. This also rules out blank lines (they shift line numbers).
        objects = data.count(b"\n{") + data.startswith((b"{", b"\xef\xbb\xbf{"))
        if objects == nlines and valid_utf8(data):
            try:
                # one Arrow block for the whole buffer: a long line must not straddle blocks
                read = pj.ReadOptions(block_size=max(len(data) + 1, 1 << 20))
                table = pj.read_json(io.BytesIO(data), read_options=read, parse_options=opts)
            except (pa.ArrowException, UnicodeDecodeError):
                table = None
            if table is not None and table.num_rows != nlines:
                table = None
        if table is None:
            numbered = enumerate(data.split(b"\n")[:-1], base + 1)
            yield from self._rows_to_batches(self._json_or_text(self._decode(numbered), "jsonl"))
        else:
            yield from self._arrow_block(table, base, fields)

    def _sample_fields(self, data: bytes) -> None:
        """Learn field names from the file's first lines (Arrow reads only the named ones)."""
        for line in data.split(b"\n", _SAMPLE_LINES)[:_SAMPLE_LINES]:
            if len(line) > _SAMPLE_BYTES:
                continue
            try:
                rec = json.loads(line.decode("utf-8", errors="replace").lstrip("\ufeff"))
            except (ValueError, RecursionError):
                continue
            if isinstance(rec, dict):
                self.stats.see_fields(rec)

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
