"""What every reader shares: the canonical batch schema, read statistics, record assembly."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from provenance.errors import CorruptShard
from provenance.readers.streams import as_str, dig
from provenance.shard import Shard

SCHEMA = pa.schema(
    [
        ("record_index", pa.int64()),
        ("record_key", pa.string()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("collected_at", pa.string()),
    ]
)

#: A line (or CSV field) longer than this is skipped as malformed (``too_long``) without
#: being held in memory whole; it is also the ``csv`` module's field size limit.
MAX_RECORD_BYTES = 64 << 20
MAX_FIELD_NAMES = 20  # distinct field names kept per file (names only, never values)
MAX_LINES_KEPT = 10  # line numbers of malformed records kept per file
#: Why a line is malformed; a closed set, so no record content can reach the dossier.
REASONS = ("not_json", "not_object", "too_deep", "too_long", "csv_columns", "csv_syntax")
# A field name is shown only if it looks like a name (a letter first, no long digit runs, no
# '@'): keys of a JSON object can themselves be data (a phone number, an e-mail).
_NAME = re.compile(r"[^\W\d][\w .\-]{0,47}")
_DIGIT_RUN = re.compile(r"\d{5}")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class ReadStats:
    """What the reader saw beyond the records themselves (summed into ``file_stats``)."""

    bytes_on_disk: int = 0
    sha256: str | None = None
    records: int = 0
    malformed: int = 0
    invalid_utf8: int = 0
    missing_text: int = 0
    #: records whose lone UTF-16 surrogates (``\\ud800`` escapes) were replaced with U+FFFD
    repaired: int = 0
    malformed_lines: list[int] = field(default_factory=list)
    malformed_reasons: dict[str, int] = field(default_factory=dict)
    field_names: list[str] = field(default_factory=list)
    #: why the stream ended early (truncated or corrupt compression); records before it count
    damage: str | None = None
    damage_line: int | None = None  # complete lines read before the damage

    def bad(self, line: int, reason: str) -> None:
        """Count one malformed line (``reason`` from :data:`REASONS`)."""
        self.malformed += 1
        self.malformed_reasons[reason] = self.malformed_reasons.get(reason, 0) + 1
        if len(self.malformed_lines) < MAX_LINES_KEPT:
            self.malformed_lines.append(line)

    def see_fields(self, names: Iterable[Any]) -> None:
        """Remember field names (bounded, name-shaped ones only) to suggest a text_field."""
        for name in names:
            if len(self.field_names) >= MAX_FIELD_NAMES:
                return
            if (
                isinstance(name, str)
                and name not in self.field_names
                and _NAME.fullmatch(name)
                and not _DIGIT_RUN.search(name)
            ):
                self.field_names.append(name)

    def merge(self, other: ReadStats) -> None:
        """Add another shard's statistics of the same file (counts sum, samples stay bounded)."""
        for name in ("bytes_on_disk", "records", "malformed", "invalid_utf8", "missing_text"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.repaired += other.repaired
        self.sha256 = self.sha256 or other.sha256
        self.malformed_lines = sorted({*self.malformed_lines, *other.malformed_lines})[
            :MAX_LINES_KEPT
        ]
        for reason, n in other.malformed_reasons.items():
            self.malformed_reasons[reason] = self.malformed_reasons.get(reason, 0) + n
        self.see_fields(other.field_names)
        if other.damage and other.damage != self.damage:
            self.damage = f"{self.damage}; {other.damage}" if self.damage else other.damage
        if other.damage_line is not None:
            self.damage_line = min(self.damage_line or other.damage_line, other.damage_line)


def _clean(value: str | None) -> tuple[str | None, bool]:
    """Replace lone surrogates (unencodable as UTF-8) with U+FFFD; say whether any were."""
    if value is None or value.isascii() or not _SURROGATE.search(value):
        return value, False
    return _SURROGATE.sub("\ufffd", value), True


class ReaderBase:
    """State and helpers of a shard reader; formats are mixins (lines, jsonl, parquet)."""

    def __init__(self, shard: Shard, batch_rows: int = 8192) -> None:
        self.shard = shard
        self.batch_rows = batch_rows
        self.stats = ReadStats()
        self.name = Path(shard.path).name
        self._lines_read = 0  # complete lines handed to the parser so far
        self._cut = False  # the last line was cut short by damage to the stream

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
            if rec is not None:
                self.stats.see_fields(rec)
            text = None
        key = as_str(dig(rec, s.id_field)) if (rec is not None and s.id_field) else None
        url = as_str(dig(rec, s.url_field)) if rec is not None and s.url_field else None
        ts = as_str(dig(rec, s.time_field)) if rec is not None and s.time_field else None
        repaired = False
        if rec is not None:  # only JSON escapes can produce lone surrogates
            (text, r1), (key, r2), (url, r3), (ts, r4) = map(_clean, (text, key, url, ts))
            repaired = r1 or r2 or r3 or r4
        self.stats.repaired += repaired
        cols["record_index"].append(index)
        cols["record_key"].append(key if key is not None else str(index))
        cols["text"].append(text)
        cols["url"].append(url)
        cols["collected_at"].append(ts)
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
        """Decode lines as UTF-8, counting (and replacing) invalid ones; drop a leading BOM."""
        for lineno, raw_line in numbered:
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError:
                self.stats.invalid_utf8 += 1
                line = raw_line.decode("utf-8", errors="replace")
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            self._lines_read = lineno
            yield lineno, line.rstrip("\r\n")

    def _damaged(self, damage: str | None, cut: bool) -> None:
        """Record damage found at the end of a compressed stream (see ``streams.Decompressed``).

        Records read before it stay counted and the damage goes into :attr:`stats`; a file
        that gave no record at all is unreadable (:class:`CorruptShard`).
        """
        if damage is None:
            return
        lines = self._lines_read
        text = (
            f"{self.name}: compressed stream is {damage}; {lines} complete line(s) were read "
            f"before it ({self.stats.records} record(s) counted"
            + (", the line it cut was dropped" if cut else "")
            + "); the rest of the file is lost: re-export the file or exclude it"
        )
        if self.stats.records == 0:
            raise CorruptShard(text)
        self.stats.damage, self.stats.damage_line = text, lines

    def _parse(self, line: str) -> tuple[dict[str, Any] | None, str]:
        """One JSON object, or None and the reason (from ``REASONS``) it is not one."""
        try:
            rec = json.loads(line)
        except RecursionError:  # e.g. 100k nested '[': Python's parser recurses
            return None, "too_deep"
        except ValueError:
            return None, "not_json"
        if not isinstance(rec, dict):
            return None, "not_object"
        return rec, ""

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
            rec, reason = self._parse(line)
            if rec is None:
                self.stats.bad(lineno, reason)
                continue
            if self.stats.records < 100:  # the first records' names suggest a text_field
                self.stats.see_fields(rec)
            yield lineno, rec, dig(rec, field)
