"""Personal information in records (Art. 7(3)): presidio via the fast path, stored without exposure.

Each hit keeps its position, type, score, a masked form and an HMAC-SHA256 of the normalised
value (key outside the dossier) — never the value. Identifiers in a record's key (an e-mail
used as user id) are hits too, without a position (found by :mod:`provenance.pii.keys` before
any scanner, which also masks the key itself), so ``pi lookup`` finds such records. A minor flag comes from an ID number's birth
date against the record's collection time (or the scanner's reference date).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from provenance.dates import parse_date
from provenance.errors import BadInput
from provenance.pii.ner import NER_ENTITIES
from provenance.pii.sampling import DEFAULT_SAMPLE_SIZE
from provenance.scanners.base import Scanner, ShardContext
from provenance.tables import Column, Output

HITS = Output(
    "pii_hits",
    doc="Personal information found in records (presidio with our recognizers). Never the raw value: a masked form and an HMAC-SHA256 of the normalised value, keyed outside the dossier. A run over [reduce] partition_above_bytes keeps these rows in Parquet parts beside the dossier (runs.config reduce.parts_dir).",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column(
            "record_key",
            pa.string(),
            not_null=True,
            doc="The record's key as stored in every record-level table: readable, or masked with ~ and a keyed hash when it holds an identifier.",
        ),
        Column(
            "entity_type",
            pa.string(),
            not_null=True,
            doc="CN_RESIDENT_ID, CN_RESIDENCE_PERMIT, CN_MOBILE, PHONE_NUMBER (any country), BANK_CARD (any card scheme), CN_USCC, CN_PASSPORT, CN_TRAVEL_PERMIT, PERSON, LOCATION, EMAIL_ADDRESS, IP_ADDRESS (IPv4 or IPv6).",
        ),
        Column(
            "start_pos",
            pa.int64(),
            doc="Character offset in the record's text; NULL when the identifier is in the record's key (id_field), not its text.",
        ),
        Column("end_pos", pa.int64()),
        Column("score", pa.float64()),
        Column("masked", pa.string()),
        Column(
            "value_hash",
            pa.string(),
            not_null=True,
            doc="HMAC-SHA256 (key in PROVENANCE_PII_KEY or the key file) of the normalised value: what `provenance pi lookup` matches.",
        ),
        Column(
            "personal",
            pa.bool_(),
            doc="False for organisation identifiers (a USCC not starting with 92) and for places named in free text (NER LOCATION; a label-cued address is personal).",
        ),
        Column(
            "sensitive",
            pa.bool_(),
            doc="Sensitive personal information (PIPL Art. 28): financial accounts, anything about a child under 14.",
        ),
        Column(
            "minor",
            pa.bool_(),
            doc="An ID number whose birth date shows a child under 14 at the record's collection time.",
        ),
    ),
)
HITS_SCHEMA = HITS.schema
COUNTS = Output(
    "pii_counts",
    doc="Per shard and entity type: records scanned, records with hits, hits (entity_type * = records scanned).",
    columns=(
        Column("file_id", pa.string(), not_null=True),
        Column("shard_id", pa.string(), not_null=True),
        Column("entity_type", pa.string(), not_null=True),
        Column("records_scanned", pa.int64()),
        Column("records_with", pa.int64()),
        Column("hits", pa.int64()),
        Column(
            "coverage",
            pa.string(),
            doc="patterns: looked for in every record (records_scanned = the shard's records); ner_sample: names and places (NER) on the shard's share of the seeded per-source sample (records_scanned = records analysed, records_with = of those, with the type from any recognizer, hits = NER hits); ner_all: NER on every record (--pii-mode full).",
        ),
    ),
)
COUNTS_SCHEMA = COUNTS.schema


class PersonalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    models: dict[str, str] = Field(
        default={}, description="Installed spaCy models for NER, by language (en, zh)."
    )
    reference_date: dt.date | None = Field(
        default=None, description="Date for the under-14 test when a record has no collection time."
    )
    patterns: list[str] = Field(
        default=[], description="Extra PII pattern files (TOML, see provenance/pii/custom.py)."
    )
    names: Literal["sampled", "full", "off"] = Field(
        default="sampled",
        description="Names and places in free text (NER): on a seeded random sample per source (sampled), on every record (full), or not at all (off: the dossier says they were not assessed). The CLI's --pii-mode overrides it.",
    )
    sample_size: int = Field(
        default=DEFAULT_SAMPLE_SIZE,
        ge=1,
        description="Records per source NER looks at in sampled mode (default 9,604: a 95% interval of ±1 percentage point at any rate).",
    )
    seed: int = Field(default=0, description="Seed of the NER sample (same seed, same records).")
    adaptive: bool = Field(
        default=True,
        description="Stop a shard's NER sample early once its rates are surely far from one half, so that the interval is still at most what sample_size gives at a rate of one half (±1 pp by default) with fewer records; false: always the whole sample_size.",
    )


def _find(name: str, pipeline_dir: Path) -> Path:
    from provenance.resources import data_dir

    for base in (pipeline_dir, data_dir("schemas")):
        if (base / name).is_file():
            return (base / name).resolve()
    raise BadInput(f"PII pattern file {name!r} not found in {pipeline_dir} or the bundled schemas/")


class PersonalInformation(Scanner):
    """PII hits per record and counts per entity type."""

    name: ClassVar[str] = "personal_information"
    version: ClassVar[str] = "3"
    Settings: ClassVar[type[BaseModel]] = PersonalSettings
    outputs: ClassVar[tuple[Output, ...]] = (
        HITS,
        COUNTS,
    )

    @classmethod
    def prepare(cls, settings: BaseModel, pipeline_dir: Path) -> BaseModel:
        from provenance.pii.custom import load_patterns

        cfg: PersonalSettings = settings  # type: ignore[assignment]
        paths = [_find(p, pipeline_dir) for p in cfg.patterns]
        for p in paths:
            load_patterns(p)  # validate now, before any work
        return cfg.model_copy(update={"patterns": [str(p) for p in paths]})

    def __init__(self, settings: BaseModel) -> None:
        super().__init__(settings)
        # imported here: presidio and spaCy load in the worker that scans, not at CLI start-up
        from provenance.pii import fast_analyzer
        from provenance.pii.custom import load_patterns
        from provenance.pii.protect import load_key

        self.cfg: PersonalSettings = settings  # type: ignore[assignment]
        custom = tuple(c for p in self.cfg.patterns for c in load_patterns(Path(p)))
        self.custom_sensitive = {c[0] for c in custom if c[4]}
        self.analyzer = fast_analyzer(tuple(sorted(self.cfg.models.items())), custom)
        self.key = load_key()
        self.scanned = 0
        self.records_with: dict[str, int] = {}
        self.hits: dict[str, int] = {}
        self.rows: list[dict[str, object]] = []
        self.names: Any = None  # a NameStratum, made on the first batch: needs the shard

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        from provenance.pii.keys import KEY_PII

        texts = batch.column("text")
        self.scanned += batch.num_rows
        results = self.analyzer.analyze_batch(texts)
        # identifiers in record keys (found once, before any scanner: provenance/pii/keys.py)
        in_keys = (
            batch.column(KEY_PII).to_pylist()
            if KEY_PII in batch.schema.names
            else [None] * batch.num_rows
        )
        keys_all = batch.column("record_key").to_pylist()
        idx = [i for i, r in enumerate(results) if r or in_keys[i]]
        if idx:
            texts_py = texts.take(pa.array(idx)).to_pylist()
            times = batch.column("collected_at").take(pa.array(idx)).to_pylist()
            for i, text, when in zip(idx, texts_py, times, strict=True):
                self._record(ctx, keys_all[i], text, when, results[i], in_keys[i] or ())
        if self.cfg.names != "off":
            if self.names is None:
                from provenance.pii.names import NameStratum

                cfg = self.cfg
                mode: Literal["sampled", "full"] = "full" if cfg.names == "full" else "sampled"
                self.names = NameStratum.for_shard(
                    mode, ctx.shard.share, cfg.sample_size, cfg.seed, cfg.adaptive
                )
            spans = [[(r.start, r.end, r.entity_type) for r in rs] for rs in results]
            times_all = batch.column("collected_at").to_pylist()
            for a in self.names.offer(ctx.shard.file_id, keys_all, texts, times_all, spans):
                self._record(ctx, a.key, a.text, a.when, a.results, counted=False)
        return {}

    def _record(
        self,
        ctx: ShardContext,
        key: str,
        text: str,
        when: object,
        results: list[Any],
        in_keys: Any = (),
        counted: bool = True,
    ) -> set[str]:
        """Hit rows of one record (text results and identifiers in its key); the entity types
        found. ``counted``: add to the shard's full-coverage counts (not for NER results)."""
        from provenance.pii.classify import born_minor, is_minor, is_personal, is_sensitive
        from provenance.pii.protect import mask, value_hash

        on = parse_date(when) or self.cfg.reference_date or dt.date.today()
        found: list[dict[str, object]] = []
        for r in results:
            value = text[r.start : r.end]
            found.append(
                {
                    "entity_type": r.entity_type,
                    "start_pos": r.start,
                    "end_pos": r.end,
                    "score": float(r.score),
                    "masked": mask(r.entity_type, value),
                    "value_hash": value_hash(self.key, r.entity_type, value),
                    # a place named in free text (NER) is not about a person; a labelled address is
                    "personal": is_personal(r.entity_type, value)
                    and (counted or r.entity_type != "LOCATION"),
                    "minor": is_minor(r.entity_type, value, on),
                }
            )
        for k in in_keys:  # in the key, not the text: no position
            k = dict(k)
            born = k.pop("born")
            found.append({**k, "start_pos": None, "end_pos": None, "minor": born_minor(born, on)})
        seen: set[str] = set()
        for hit in found:
            t = str(hit["entity_type"])
            hit["sensitive"] = is_sensitive(t, bool(hit["minor"])) or t in self.custom_sensitive
            self.rows.append({"file_id": ctx.shard.file_id, "record_key": key, **hit})
            seen.add(t)
            if counted:
                self.hits[t] = self.hits.get(t, 0) + 1
        if counted:
            for t in seen:
                self.records_with[t] = self.records_with.get(t, 0) + 1
        return seen

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        ner_rows = []
        if self.names is not None:
            for a in self.names.finish():
                self._record(ctx, a.key, a.text, a.when, a.results, counted=False)
            ner_rows = [
                {
                    "file_id": ctx.shard.file_id,
                    "shard_id": ctx.shard.shard_id,
                    "entity_type": t,
                    "records_scanned": self.names.analysed,
                    "records_with": self.names.records_with.get(t, 0),
                    "hits": self.names.hits.get(t, 0),
                    "coverage": "ner_sample" if self.names.mode == "sampled" else "ner_all",
                }
                for t in NER_ENTITIES
            ]
        counts = [
            {
                "file_id": ctx.shard.file_id,
                "shard_id": ctx.shard.shard_id,
                "entity_type": "*",
                "records_scanned": self.scanned,
                "records_with": 0,
                "hits": 0,
                "coverage": "patterns",
            }
        ]
        counts += [
            {
                "file_id": ctx.shard.file_id,
                "shard_id": ctx.shard.shard_id,
                "entity_type": t,
                "records_scanned": self.scanned,
                "records_with": self.records_with[t],
                "hits": self.hits[t],
                "coverage": "patterns",
            }
            for t in sorted(self.hits)
        ] + ner_rows
        return {
            "pii_hits": pa.Table.from_pylist(self.rows, schema=HITS_SCHEMA),
            "pii_counts": pa.Table.from_pylist(counts, schema=COUNTS_SCHEMA),
        }
