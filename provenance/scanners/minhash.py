"""Exact-duplicate hashes and MinHash/LSH signatures per record, inside the single pass.

Per record: a 63-bit hash of the normalised text (lower case, white space folded) for exact
duplicates, and a MinHash signature (provenance.shingles, datasketch-compatible) stored once as
a fixed-width blob. LSH bands are not stored: ``checks/duplicates.py`` slices each band out of
the signature inside DuckDB (``array_slice``), groups on (band, slice) to find candidate pairs —
memory does not grow with the corpus — and confirms them by the estimated Jaccard similarity.
A band table used to repeat file_id and record_key 32 times per record (issue 9, item 14).
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict, Field, model_validator

from provenance.langid import detect
from provenance.scanners.base import Scanner, ShardContext
from provenance.shingles import datasketch_permutations, shingle_batch, signatures
from provenance.tables import Column, Output

HASH = Output(
    "record_hashes",
    doc="A 63-bit BLAKE2b hash of every record's normalised text (lower case, white space folded): exact duplicates share it. A run over [reduce] partition_above_bytes keeps these rows in Parquet parts beside the dossier (runs.config reduce.parts_dir).",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("record_key", pa.string(), not_null=True),
        Column("exact_hash", pa.int64(), not_null=True),
        Column("characters", pa.int64()),
        Column(
            "record_index",
            pa.int64(),
            doc="1-based line or row of the record in its file: where `provenance sample` finds it again.",
        ),
        Column(
            "language",
            pa.string(),
            doc="The record's language label (provenance.langid, as in stat_parts): a sampling stratum.",
        ),
    ),
)
HASH_SCHEMA = HASH.schema
SIG = Output(
    "minhash_signatures",
    doc="MinHash signature (num_perm little-endian uint32, datasketch affine32 scheme, a fixed-width blob). LSH bands are byte slices of it, grouped at reduce time to find candidate pairs; the estimated Jaccard confirms them. Per record: removed from runs older than the newest N by `provenance gc`.",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("record_key", pa.string(), not_null=True),
        Column("signature", pa.binary(), not_null=True),
    ),
)
SIG_SCHEMA = SIG.schema


class MinHashSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    num_perm: int = Field(128, ge=16, le=1024)
    bands: int = Field(32, ge=1, description="LSH bands; rows per band = num_perm / bands.")
    ngram_words: int = Field(5, ge=1, description="Word n-grams for non-CJK text.")
    ngram_chars: int = Field(5, ge=1, description="Character n-grams for CJK text.")
    seed: int = 1
    threshold: float = Field(
        0.8, gt=0, le=1, description="Estimated Jaccard that confirms a near duplicate."
    )
    min_chars: int = Field(
        30, ge=0, description="Shorter records are only checked for exact duplicates."
    )

    @model_validator(mode="after")
    def _bands_divide(self) -> MinHashSettings:
        if self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        return self


def exact_hashes(text: pa.Array) -> np.ndarray:
    """63-bit BLAKE2b hash of each record's normalised text."""
    norm = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.utf8_lower(pc.fill_null(text, "")), r"\s+", " ")
    )
    out = np.empty(len(norm), dtype=np.int64)
    for i, t in enumerate(norm.to_pylist()):
        out[i] = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") >> 1
    return out


class MinHashScanner(Scanner):
    """Exact hashes and MinHash signatures (LSH bands are sliced from them at reduce time)."""

    name: ClassVar[str] = "minhash"
    # 3: record_index and language per record (issue 15: samples are drawn from this table)
    version: ClassVar[str] = "3"
    Settings: ClassVar[type[BaseModel]] = MinHashSettings
    outputs: ClassVar[tuple[Output, ...]] = (
        HASH,
        SIG,
    )

    def __init__(self, settings: BaseModel) -> None:
        super().__init__(settings)
        self.cfg: MinHashSettings = settings  # type: ignore[assignment]
        self.a, self.b = datasketch_permutations(self.cfg.num_perm, self.cfg.seed)

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        text = batch.column("text")
        keys = batch.column("record_key")
        chars = pc.fill_null(pc.utf8_length(text), 0)
        n = batch.num_rows
        file_ids = pa.array([ctx.shard.file_id] * n, pa.string())
        language = detect(text)
        hashes = pa.Table.from_arrays(
            [
                file_ids,
                keys,
                pa.array(exact_hashes(text)),
                chars.cast(pa.int64()),
                batch.column("record_index").cast(pa.int64()),
                pa.array(language, pa.string()),
            ],
            schema=HASH_SCHEMA,
        )
        long_enough = pc.greater_equal(chars, self.cfg.min_chars)
        idx = pc.indices_nonzero(long_enough)
        out = {"record_hashes": hashes}
        if len(idx) == 0:
            return out
        sub = pc.take(text, idx)
        cjk = (language[idx.to_numpy()] == "zh").tolist()
        sig = signatures(
            shingle_batch(sub.to_pylist(), cjk, self.cfg.ngram_words, self.cfg.ngram_chars),
            self.a,
            self.b,
        )
        sub_keys = pc.take(keys, idx)
        m = len(idx)
        out["minhash_signatures"] = pa.Table.from_arrays(
            [
                pa.array([ctx.shard.file_id] * m, pa.string()),
                sub_keys,
                pa.array([row.tobytes() for row in sig], pa.binary()),
            ],
            schema=SIG_SCHEMA,
        )
        return out
