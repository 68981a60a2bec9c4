"""Corpus statistics per shard, mergeable by summation (Art. 19 scale and types; Art. 7(4)).

Per language (provenance.langid): records, UTF-8 bytes, characters, a token estimate, empty /
very short / garbled records, a log-scale length histogram (a mergeable sketch: quantiles are
read from the summed bins), the collection-time range and bytes per URL host. Every value is a
sum except ``collected_min`` / ``collected_max`` (min / max). The run-level reducer
(``checks/diversity.py``) adds them up per source, dataset, language, modality and run.

Token estimate: 4 ASCII characters per token plus 1.4 CJK characters per token — the shape of
current BPE tokenizers; a user-supplied tokenizer is not wired in yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from provenance.dates import parse_utc
from provenance.langid import detect
from provenance.scanners.base import Scanner, ShardContext
from provenance.tables import Column, Output

PARTS = Output(
    "stat_parts",
    doc="Per-shard, per-language partial statistics from corpus_stats: sums (records, bytes, characters, tokens_est, empty, very_short, garbled, length_bin, domain_bytes, domain_records) and collected_min / collected_max. Reduced into stats.",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("shard_id", pa.string(), not_null=True),
        Column("language", pa.string(), not_null=True),
        Column("metric", pa.string(), not_null=True),
        Column("key", pa.string()),
        Column("value", pa.float64()),
    ),
)
PARTS_SCHEMA = PARTS.schema
BINS_PER_OCTAVE = 4
_GARBLED = r"\x{FFFD}|Ã[\x{80}-\x{BF}]|â€|ï¿½"
_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@]*@)?(?P<host>[^/:?#]+)"


class StatsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    short_chars: int = Field(
        50, ge=1, description="Records with fewer characters are 'very short'."
    )


def length_bin(chars: np.ndarray) -> np.ndarray:
    """Log-scale bin of a length: BINS_PER_OCTAVE bins per doubling."""
    return np.asarray(np.floor(np.log2(chars + 1.0) * BINS_PER_OCTAVE), dtype=np.int64)


def bin_upper(b: int) -> float:
    """Upper length bound of a bin."""
    return float(2 ** ((b + 1) / BINS_PER_OCTAVE) - 1)


def _epoch(value: str) -> float | None:
    t = parse_utc(value)
    return t.replace(tzinfo=dt.UTC).timestamp() if t else None


class CorpusStats(Scanner):
    """Mergeable per-language statistics of a shard."""

    name: ClassVar[str] = "corpus_stats"
    version: ClassVar[str] = "1"
    Settings: ClassVar[type[BaseModel]] = StatsSettings
    outputs: ClassVar[tuple[Output, ...]] = (PARTS,)

    def __init__(self, settings: BaseModel) -> None:
        super().__init__(settings)
        self.cfg: StatsSettings = settings  # type: ignore[assignment]
        self.sums: dict[tuple[str, str, str], float] = defaultdict(float)
        self.times: dict[str, list[str]] = defaultdict(list)

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        text = pc.fill_null(batch.column("text"), "")
        lang = detect(text)
        chars = pc.utf8_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
        nbytes = pc.binary_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
        blank = pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False)
        garbled = pc.match_substring_regex(text, _GARBLED).to_numpy(zero_copy_only=False)
        non_ascii = (nbytes - chars) / 2
        tokens = (chars - non_ascii) / 4 + non_ascii / 1.4
        bins = length_bin(chars)
        hosts = pc.struct_field(
            pc.extract_regex(pc.fill_null(batch.column("url"), ""), _HOST), "host"
        )
        host_np = np.asarray(hosts.to_pylist(), dtype=object)
        times = batch.column("collected_at")
        s = self.sums
        for lg in np.unique(lang):
            m = lang == lg
            s[(lg, "records", "")] += float(m.sum())
            s[(lg, "bytes", "")] += float(nbytes[m].sum())
            s[(lg, "characters", "")] += float(chars[m].sum())
            s[(lg, "tokens_est", "")] += float(tokens[m].sum())
            s[(lg, "empty", "")] += float((blank & m).sum())
            s[(lg, "very_short", "")] += float(((chars < self.cfg.short_chars) & ~blank & m).sum())
            s[(lg, "garbled", "")] += float((garbled & m).sum())
            for b, c in zip(*np.unique(bins[m], return_counts=True), strict=True):
                s[(lg, "length_bin", str(int(b)))] += float(c)
            hm = m & (host_np != None)  # noqa: E711 - elementwise on an object array
            for h in np.unique(host_np[hm]) if hm.any() else ():
                sel = hm & (host_np == h)
                s[(lg, "domain_bytes", str(h).lower())] += float(nbytes[sel].sum())
                s[(lg, "domain_records", str(h).lower())] += float(sel.sum())
            if times.null_count < len(times):
                valid = [t for t in pc.filter(times, pa.array(m)).to_pylist() if t]
                if valid:
                    self.times[lg] += [min(valid), max(valid)]
        return {}

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        rows = [
            {
                "file_id": ctx.shard.file_id,
                "shard_id": ctx.shard.shard_id,
                "language": lg,
                "metric": metric,
                "key": key,
                "value": value,
            }
            for (lg, metric, key), value in sorted(self.sums.items())
        ]
        for lg, values in self.times.items():
            stamps = [(e, v) for v in values if (e := _epoch(v)) is not None]
            if stamps:
                lo, hi = min(stamps), max(stamps)
                rows.append(
                    {
                        "file_id": ctx.shard.file_id,
                        "shard_id": ctx.shard.shard_id,
                        "language": lg,
                        "metric": "collected_min",
                        "key": lo[1],
                        "value": lo[0],
                    }
                )
                rows.append(
                    {
                        "file_id": ctx.shard.file_id,
                        "shard_id": ctx.shard.shard_id,
                        "language": lg,
                        "metric": "collected_max",
                        "key": hi[1],
                        "value": hi[0],
                    }
                )
        return {"stat_parts": pa.Table.from_pylist(rows, schema=PARTS_SCHEMA)}
