"""Per-file counts: records, characters, bytes, empty records, malformed and invalid UTF-8 lines.

Also what the reader noticed about the file (malformed line numbers and reasons, field names
seen, damage to a compressed stream), which the ``source_coverage`` check turns into findings.

These are the first scale figures of Article 19 ("scale") and the evidence that every file in
the dossier was read in full. The counts are sums, so a file split into several shards adds up.
"""

from __future__ import annotations

import json
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from provenance.scanners.base import Scanner, ShardContext
from provenance.tables import Column, Output

FILE_STATS = Output(
    "file_stats",
    doc="Per-shard counts from the file_stats scanner; sum over shards for a file.",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("shard_id", pa.string(), not_null=True),
        Column("records", pa.int64()),
        Column("characters", pa.int64()),
        Column("text_bytes", pa.int64()),
        Column(
            "empty_records", pa.int64(), doc="Records whose text is missing or only white space."
        ),
        Column("missing_text", pa.int64(), doc="Records without a string in the text field."),
        Column(
            "malformed",
            pa.int64(),
            doc="Lines or rows that could not be parsed (skipped, counted).",
        ),
        Column(
            "invalid_utf8",
            pa.int64(),
            doc="Lines that were not valid UTF-8 (kept with U+FFFD replacement characters).",
        ),
        Column("bytes_on_disk", pa.int64()),
        Column("sha256", pa.string()),
        Column(
            "repaired",
            pa.int64(),
            doc="Records whose lone UTF-16 surrogates (JSON \\ud800-style escapes) were replaced with U+FFFD and kept.",
        ),
        Column(
            "malformed_lines",
            pa.list_(pa.int64()),
            doc="Line (or row) numbers of the first 10 malformed records of the shard.",
        ),
        Column(
            "malformed_reasons",
            pa.string(),
            doc="JSON object: reason -> count of malformed records. Reasons: not_json, not_object (a JSON array, number or string), too_deep (nesting), too_long (over 64 MiB), csv_columns, csv_syntax.",
        ),
        Column(
            "field_names",
            pa.list_(pa.string()),
            doc="Up to 20 distinct top-level field (column) names seen in the file, to suggest a text_field; names only, never values, and only name-shaped ones (no 5-digit runs, no @).",
        ),
        Column(
            "damage",
            pa.string(),
            doc="Why the compressed stream ended early (truncated or corrupt); the records before it are counted, the rest of the file is lost.",
        ),
        Column("damage_line", pa.int64(), doc="Complete lines read before the damage."),
    ),
)
FILE_STATS_SCHEMA = FILE_STATS.schema


class FileStats(Scanner):
    """Counts per shard, summed per file when the run commits."""

    name: ClassVar[str] = "file_stats"
    version: ClassVar[str] = "2"
    outputs: ClassVar[tuple[Output, ...]] = (FILE_STATS,)

    def __init__(self, settings: object) -> None:
        super().__init__(settings)  # type: ignore[arg-type]
        self.characters = 0
        self.text_bytes = 0
        self.empty = 0

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        text = batch.column("text")
        self.characters += int(pc.sum(pc.utf8_length(text)).as_py() or 0)
        self.text_bytes += int(pc.sum(pc.binary_length(text)).as_py() or 0)
        blank = pc.equal(pc.utf8_trim_whitespace(text), "")
        # a record with no text at all is empty too
        self.empty += int(pc.sum(pc.fill_null(blank, True).cast(pa.int64())).as_py() or 0)
        return {}

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        rs = ctx.read_stats
        row = {
            "file_id": ctx.shard.file_id,
            "shard_id": ctx.shard.shard_id,
            "records": rs.records,
            "characters": self.characters,
            "text_bytes": self.text_bytes,
            "empty_records": self.empty,
            "missing_text": rs.missing_text,
            "malformed": rs.malformed,
            "invalid_utf8": rs.invalid_utf8,
            "bytes_on_disk": rs.bytes_on_disk,
            "sha256": rs.sha256,
            "repaired": rs.repaired,
            "malformed_lines": rs.malformed_lines,
            "malformed_reasons": json.dumps(rs.malformed_reasons, sort_keys=True),
            "field_names": rs.field_names,
            "damage": rs.damage,
            "damage_line": rs.damage_line,
        }
        return {"file_stats": pa.Table.from_pylist([row], schema=FILE_STATS_SCHEMA)}
