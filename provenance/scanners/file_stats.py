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
from provenance.tables import Output

FILE_STATS_SCHEMA = pa.schema(
    [
        ("file_id", pa.string()),
        ("shard_id", pa.string()),
        ("records", pa.int64()),
        ("characters", pa.int64()),
        ("text_bytes", pa.int64()),
        ("empty_records", pa.int64()),
        ("missing_text", pa.int64()),
        ("malformed", pa.int64()),
        ("invalid_utf8", pa.int64()),
        ("bytes_on_disk", pa.int64()),
        ("sha256", pa.string()),
        ("repaired", pa.int64()),
        ("malformed_lines", pa.list_(pa.int64())),
        ("malformed_reasons", pa.string()),
        ("field_names", pa.list_(pa.string())),
        ("damage", pa.string()),
        ("damage_line", pa.int64()),
    ]
)


class FileStats(Scanner):
    """Counts per shard, summed per file when the run commits."""

    name: ClassVar[str] = "file_stats"
    version: ClassVar[str] = "2"
    outputs: ClassVar[tuple[Output, ...]] = (Output("file_stats", FILE_STATS_SCHEMA),)

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
