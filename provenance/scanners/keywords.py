"""The keyword filter over every record (TC260-003 §5.2a; CNT-01): which records hit the library.

The keyword library named in the manifest (``content_filtering.keyword_library``) is compiled
once per worker into one RE2 alternation per risk code; Arrow matches every batch against them.
The scanner records per shard and risk how many records were checked and how many hit, so the
dossier can show that every record went through the filter, and at what rate each source hits.
Keywords themselves are never written out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from provenance.scanners.base import Scanner, ShardContext
from provenance.tables import Column, Output

COUNTS = Output(
    "keyword_counts",
    doc="Per shard and risk code: records checked against the keyword library and records that hit it (risk * = any keyword). The keywords themselves are not stored.",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("shard_id", pa.string(), not_null=True),
        Column("risk", pa.string(), not_null=True),
        Column("records_checked", pa.int64()),
        Column("records_hit", pa.int64()),
    ),
)
COUNTS_SCHEMA = COUNTS.schema


@cache
def compiled_library(path: str, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    """(risk, RE2 alternation) per risk code, from a keyword CSV/JSONL (cached per file version)."""
    from provenance.readers import read_records

    rows, _ = read_records(Path(path))
    by_risk: dict[str, set[str]] = {}
    for r in rows:
        kw = str(r.get("keyword") or "").strip()
        if kw:
            by_risk.setdefault(str(r.get("risk") or "unclassified").strip(), set()).add(kw)
    return tuple(
        (risk, "|".join(re.escape(k) for k in sorted(words)))
        for risk, words in sorted(by_risk.items())
    )


class KeywordFilter(Scanner):
    """Records hitting the keyword library, per risk and in total (risk ``*``)."""

    name: ClassVar[str] = "keyword_filter"
    version: ClassVar[str] = "1"
    outputs: ClassVar[tuple[Output, ...]] = (COUNTS,)

    def __init__(self, settings: object) -> None:
        super().__init__(settings)  # type: ignore[arg-type]
        self.checked = 0
        self.hits: dict[str, int] = {}
        self.library: tuple[tuple[str, str], ...] | None = None

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        path = ctx.extra.get("keyword_library")
        if not path or not Path(path).is_file():
            return {}
        if self.library is None:
            self.library = compiled_library(path, Path(path).stat().st_mtime_ns)
        text = pc.fill_null(batch.column("text"), "")
        self.checked += batch.num_rows
        any_hit = pa.array([False] * batch.num_rows)
        for risk, pattern in self.library:
            hit = pc.match_substring_regex(text, pattern)
            self.hits[risk] = self.hits.get(risk, 0) + int(
                pc.sum(hit.cast(pa.int64())).as_py() or 0
            )
            any_hit = pc.or_(any_hit, hit)
        self.hits["*"] = self.hits.get("*", 0) + int(pc.sum(any_hit.cast(pa.int64())).as_py() or 0)
        return {}

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        if self.library is None:
            return {}
        rows = [
            {
                "file_id": ctx.shard.file_id,
                "shard_id": ctx.shard.shard_id,
                "risk": risk,
                "records_checked": self.checked,
                "records_hit": self.hits.get(risk, 0),
            }
            for risk in ["*", *(r for r, _ in self.library)]
        ]
        return {"keyword_counts": pa.Table.from_pylist(rows, schema=COUNTS_SCHEMA)}
