"""Rights notices inside records (Art. 7(2); TC260-003 §5.2b(2)): copyright lines and reservations.

Per batch, Arrow's RE2 kernels find which records carry a notice (cheap, vectorised); only those
records are searched again in Python for positions and a snippet. Snippets keep the notice and a
little context with every digit of the context masked and e-mail addresses removed, and then
anything presidio finds in it (a cued name, say) masked too. Counts are exact; snippets are capped per shard.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from provenance.scanners.base import Scanner, ShardContext
from provenance.tables import Column, Output

# kind → (RE2 pattern for Arrow, Python pattern for positions, is a reservation of rights)
PATTERNS: dict[str, tuple[str, bool]] = {
    "copyright": (
        r"(?i)(?:copyright\s*(?:©|\(c\))|©\s*(?:19|20)\d\d|copyright\s+(?:19|20)\d\d)",
        True,
    ),
    "all_rights_reserved": (r"(?i)all\s+rights\s+reserved", True),
    "zh_copyright_reserved": (r"版权所有|保留所有权利", True),
    "zh_no_reproduction": (
        r"未经(?:许可|授权|允许|同意|书面许可|书面授权)[，,、\s]*(?:不得|禁止|严禁|请勿|谢绝)(?:转载|复制|使用|摘编|传播|镜像)",
        True,
    ),
    "zh_reproduction_with_attribution": (
        r"转载(?:须|请|需|务必|时请)注明(?:出处|来源|作者)",
        False,
    ),
    "spdx_identifier": (r"SPDX-License-Identifier:\s*[A-Za-z0-9.+()-]+", False),
    "isbn": (
        r"ISBN(?:-1[03])?[:：]?\s*(?:97[89][-\s]?)?\d{1,5}[-\s]?\d{1,7}[-\s]?\d{1,7}[-\s]?[\dX]",
        False,
    ),
}
RESERVATION_KINDS = tuple(k for k, (_, r) in PATTERNS.items() if r)
_PY = {k: re.compile(p) for k, (p, _) in PATTERNS.items()}
_ANY = "|".join(f"(?:{p.removeprefix('(?i)')})" for p, _ in PATTERNS.values())
_ANY_RE2 = "(?i)" + _ANY  # case-insensitive superset: candidates only, confirmed per kind below
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

HITS = Output(
    "rights_notices",
    doc="Copyright and rights-reservation notices found in records (capped per shard and kind; counts in rights_notice_counts are exact).",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("record_key", pa.string(), not_null=True),
        Column(
            "kind",
            pa.string(),
            not_null=True,
            doc="copyright, all_rights_reserved, zh_copyright_reserved (版权所有), zh_no_reproduction (未经许可不得转载), zh_reproduction_with_attribution, spdx_identifier, isbn.",
        ),
        Column("start_pos", pa.int64()),
        Column("end_pos", pa.int64()),
        Column(
            "snippet",
            pa.string(),
            doc="The notice with up to 30 characters of context; digits and e-mail addresses in the context are masked.",
        ),
    ),
)
HITS_SCHEMA = HITS.schema
COUNTS = Output(
    "rights_notice_counts",
    doc="Per shard and notice kind: records scanned, records with the notice, notices found. kind any_reservation = records with any reservation of rights.",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("shard_id", pa.string(), not_null=True),
        Column("kind", pa.string(), not_null=True),
        Column("records_scanned", pa.int64()),
        Column("records_with", pa.int64()),
        Column("hits", pa.int64()),
    ),
)
COUNTS_SCHEMA = COUNTS.schema


class NoticeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_snippets_per_kind: int = Field(1000, ge=0, description="Hit rows kept per shard and kind.")
    context_chars: int = Field(30, ge=0, le=200)


def mask_context(text: str) -> str:
    """Mask digits and e-mail addresses in snippet context."""
    return re.sub(r"\d", "#", _EMAIL.sub("***@***", text))


def mask_personal(snippets: list[str], analyzer: Any) -> list[str]:
    """Mask whatever the run's configured PII analyzer finds in snippets (a name in the
    context, a custom identifier): the digit and e-mail masking above catches identifiers,
    this catches the rest, with the same models and pattern files as the PII scanner."""
    results = analyzer.analyze_batch(pa.array(snippets, pa.string()))
    out = []
    for text, found in zip(snippets, results, strict=True):
        chars = list(text)
        for r in found:
            chars[r.start : r.end] = "*" * (r.end - r.start)
        out.append("".join(chars))
    return out


def snippet(text: str, start: int, end: int, context: int) -> str:
    """The notice as written, with masked context either side."""
    before = mask_context(text[max(0, start - context) : start])
    after = mask_context(text[end : end + context])
    return (before + text[start:end] + after).replace("\n", " ")


class RightsNotices(Scanner):
    """Counts of copyright and reservation notices per kind, with masked snippets."""

    name: ClassVar[str] = "rights_notices"
    version: ClassVar[str] = "1"
    Settings: ClassVar[type[BaseModel]] = NoticeSettings
    outputs: ClassVar[tuple[Output, ...]] = (
        HITS,
        COUNTS,
    )

    def __init__(self, settings: BaseModel) -> None:
        super().__init__(settings)
        self.cfg: NoticeSettings = settings  # type: ignore[assignment]
        kinds = (*PATTERNS, "any_reservation")
        self.records_with = dict.fromkeys(kinds, 0)
        self.hits = dict.fromkeys(kinds, 0)
        self.scanned = 0
        self.rows: dict[str, list[dict[str, object]]] = {k: [] for k in PATTERNS}

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        text = batch.column("text")
        self.scanned += batch.num_rows
        candidates = pc.fill_null(pc.match_substring_regex(text, _ANY_RE2), False)
        idx = pc.indices_nonzero(candidates).to_pylist()
        if not idx:
            return {}
        texts = pc.take(text, pa.array(idx)).to_pylist()
        keys = pc.take(batch.column("record_key"), pa.array(idx)).to_pylist()
        for t, key in zip(texts, keys, strict=True):
            reserved = False
            for kind, rx in _PY.items():
                found = list(rx.finditer(t))
                if not found:
                    continue
                self.records_with[kind] += 1
                self.hits[kind] += len(found)
                reserved = reserved or PATTERNS[kind][1]
                keep = self.rows[kind]
                for m in found:
                    if len(keep) >= self.cfg.max_snippets_per_kind:
                        break
                    keep.append(
                        {
                            "file_id": ctx.shard.file_id,
                            "record_key": key,
                            "kind": kind,
                            "start_pos": m.start(),
                            "end_pos": m.end(),
                            "snippet": snippet(t, m.start(), m.end(), self.cfg.context_chars),
                        }
                    )
            if reserved:
                self.records_with["any_reservation"] += 1
                self.hits["any_reservation"] += 1
        return {}

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        counts = [
            {
                "file_id": ctx.shard.file_id,
                "shard_id": ctx.shard.shard_id,
                "kind": k,
                "records_scanned": self.scanned,
                "records_with": self.records_with[k],
                "hits": self.hits[k],
            }
            for k in self.records_with
        ]
        hits = [row for rows in self.rows.values() for row in rows]
        if hits:
            assert ctx.pii_analyzer is not None, "the executor provides the run's analyzer"
            masked = mask_personal([str(h["snippet"]) for h in hits], ctx.pii_analyzer())
            for h, text in zip(hits, masked, strict=True):
                h["snippet"] = text
        return {
            "rights_notice_counts": pa.Table.from_pylist(counts, schema=COUNTS_SCHEMA),
            "rights_notices": pa.Table.from_pylist(hits, schema=HITS_SCHEMA),
        }
