"""Manifest v1: the declarative description of a training corpus (pydantic, at the boundary).

The JSON Schema in ``schemas/manifest.schema.json`` is generated from these models
(``provenance schema`` prints it; a test keeps the file in sync). Unknown keys are errors, so
a misspelt field is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from provenance.manifest.attestations import Attestations, Storage
from provenance.manifest.enums import ContentType, LegalBasis, SourceType
from provenance.manifest.eu_fields import EuSummary

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]


class Strict(BaseModel):
    """Base: unknown keys are errors; strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Evidence(Strict):
    """A document that backs a claim (licence text, contract, consent records …)."""

    kind: Literal[
        "license",
        "authorization",
        "contract",
        "collection_log",
        "robots_snapshot",
        "consent_records",
        "filing",
        "model_card",
        "other",
    ]
    path: str = Field(
        description="Relative to the manifest's folder; must stay inside it or a data root."
    )
    description: str | None = None


class Period(Strict):
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class Bilingual(Strict):
    """A text in Chinese and English (the dossier prints the one of its language)."""

    zh: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _some(self) -> Bilingual:
        if not (self.zh or self.en):
            raise ValueError("give the text in zh, en or both")
        return self


class Provider(Strict):
    name: str
    contact: str | None = None
    country: str | None = None


class Service(Strict):
    name: str
    intended_use: Literal["public_service", "internal", "research"]
    region: str = "CN"
    training_date: dt.date | None = Field(
        default=None, description="Planned training start; collection records must predate it."
    )
    algorithm_description: str | Bilingual | None = Field(
        default=None, description="Art. 19 algorithm mechanism: a text, or {zh: …, en: …}."
    )


class DataRoot(Strict):
    id: Id
    path: str = Field(description="Data folder, or a file://, s3://, gs://, az:// URL.")


class FoundationModel(Strict):
    id: Id
    name: str
    version: str | None = None
    provider: str | None = None
    third_party: bool = True
    license: str | None = None
    source_url: str | None = None
    filing_number: str | None = Field(default=None, description="CAC filing number (网信算备…).")
    evidence: list[Evidence] = []


class Origin(Strict):
    region: Literal["domestic", "foreign"]
    country: str | None = None
    decided_by: str | None = Field(default=None, description="How the origin was determined.")


class Collection(Strict):
    """Collection records of self-collected (crawled) data (TC260-003 §5.1c(2))."""

    crawler: str | None = None
    user_agent: str | None = Field(
        default=None, description="User-agent matched against robots.txt."
    )
    log: str | None = Field(default=None, description="JSONL/CSV with url, fetched_at, status.")
    robots_dir: str | None = Field(
        default=None, description="Folder of robots.txt snapshots, <host>.txt."
    )
    respects_robots: bool | None = None


class Contract(Strict):
    """A commercial source's contract (TC260-003 §5.1c(3))."""

    id: str
    counterparty: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    document: str | None = Field(default=None, description="Path of the signed contract.")
    warranties: str | None = Field(default=None, description="Path of the supplier's commitments.")


class Authorization(Strict):
    """User-authorisation records of user-input data (TC260-003 §5.1c(4))."""

    records: str = Field(
        description="JSONL/CSV with user_id, consent_id, consented_at, withdrawn_at."
    )
    opt_out_clicks: int | None = Field(default=None, ge=0)


class ReviewSample(Strict):
    """A safety review of a random sample of a source (TC260-003 §5.1a)."""

    records: str = Field(
        description="JSONL/CSV with item_id and verdict (pass / fail); risk and reviewer optional."
    )
    population: int | None = Field(
        default=None, ge=1, description="Items the sample was drawn from."
    )
    seed: int | None = Field(
        default=None, description="Random seed of the draw (reproducibility, DOC-04)."
    )
    reviewed_at: dt.date | None = None


class SafetyReview(Strict):
    """Before collection (SRC-02) and after collection, before training (SRC-03)."""

    pre_collection: ReviewSample | None = None
    post_collection: ReviewSample | None = None


class GeneratorModel(Strict):
    name: str
    version: str | None = None
    provider: str | None = None


class FileSpec(Strict):
    """Data files of a source: a glob under a declared data root."""

    root: Id
    glob: str
    format: Literal["auto", "jsonl", "parquet", "csv", "text"] = "auto"
    text_field: str = "text"
    id_field: str | None = None
    url_field: str | None = None
    time_field: str | None = None


class Source(Strict):
    id: Id
    name: str | None = None
    source_type: SourceType
    origin: Origin
    license: str | None = None
    url: str | None = Field(default=None, description="Where the source was obtained.")
    content_type: ContentType | None = Field(
        default=None, description="What kind of text it holds (news, forum, chat, qa, code …)."
    )
    legal_basis: LegalBasis | None = None
    collection_period: Period | None = None
    collection: Collection | None = None
    contract: Contract | None = None
    authorization: Authorization | None = None
    generator_model: GeneratorModel | None = None
    safety_review: SafetyReview | None = None
    upstream: list[str] = Field(default=[], description="Ids of what this source derives from.")
    is_pointer_dataset: bool = False
    storage: Storage | None = Field(default=None, description="DOC-05 data-security flags.")
    evidence: list[Evidence] = []
    files: list[FileSpec] = Field(min_length=1)


class AnnotationRule(Strict):
    """An annotation rule document (Art. 8; TC260-003 §5.3b)."""

    id: Id
    kind: Literal["functional", "safety"]
    version: str
    path: str = Field(description="The rule document (hashed as evidence).")
    sections: list[str] = Field(
        default=[],
        description="Sections present: target, data_format, method, quality_indicators …",
    )
    covers_review: bool = Field(default=False, description="The rules also govern the review step.")
    risks: list[str] = Field(
        default=[],
        description="Safety rules: the TC260-003 Appendix A risk codes covered (A.1a … A.5b).",
    )


class Annotation(Strict):
    """How a dataset was annotated: rules, annotator roster, batches (Art. 8, Art. 19)."""

    rules: list[AnnotationRule] = []
    annotators: str | None = Field(
        default=None,
        description="CSV/JSONL: annotator_id, type (in_house/outsourced), trained_on, training_hours, exam_passed, qualified_until.",
    )
    safety_storage: Storage | None = Field(
        default=None, description="ANN-07: where safety-annotation data is kept (isolated?)."
    )
    batches: str | None = Field(
        default=None,
        description="CSV/JSONL: batch_id, kind, rule_id, annotator_id, reviewer_id, annotated_on, items, checked_items, accuracy, illegal_content, excluded.",
    )


class Dataset(Strict):
    id: Id
    name: str
    stage: Literal["pretraining", "fine_tuning", "alignment"]
    modality: Literal["text", "image", "audio", "video", "code", "multimodal", "other"] = "text"
    languages: list[str] = []
    description: str | None = None
    annotation: Annotation | None = None
    sources: list[Source] = Field(min_length=1)


class Classifier(Strict):
    name: str
    version: str | None = None
    labels: list[str] = Field(
        default=[], description="TC260-003 Appendix A risk codes the classifier outputs."
    )


class ContentFiltering(Strict):
    """Corpus content safety (TC260-003 §5.2a, §8.1, §8.4, §9.2)."""

    keyword_library: str | None = Field(
        default=None, description="CSV/JSONL: keyword, risk (A.1a…), updated_at."
    )
    classifier: Classifier | None = None
    manual_sample: ReviewSample | None = Field(
        default=None, description="§9.2a: manual review of >= 4,000 items."
    )
    technical_sample: ReviewSample | None = Field(
        default=None, description="§9.2b: keywords + classifier on >= 10% of the corpus."
    )


class Manifest(Strict):
    manifest_version: Literal[1]
    provider: Provider
    service: Service
    data_roots: list[DataRoot] = Field(min_length=1)
    foundation_models: list[FoundationModel] = []
    content_filtering: ContentFiltering | None = None
    attestations: Attestations | None = Field(
        default=None, description="Duties recorded with evidence: IP, PI impact, block list."
    )
    eu_summary: EuSummary | None = Field(
        default=None, description="Fields of the EU AI Act training-content summary (§1-3)."
    )
    datasets: list[Dataset] = Field(min_length=1)

    def sources(self) -> list[tuple[Dataset, Source]]:
        """Every (dataset, source) pair in manifest order."""
        return [(d, s) for d in self.datasets for s in d.sources]
