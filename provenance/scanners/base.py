"""The scanner interface: record-level work over RecordBatches, unaware of scheduling.

A scanner is created once per shard (so it may keep per-shard state), sees every batch of that
shard through :meth:`Scanner.scan`, and hands back its per-shard results from
:meth:`Scanner.finish`. Results are Arrow tables keyed by the dossier table they go to; the
executor stamps each row with the scanner's name and version. Scanners write findings beside
the data and never change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict

from provenance.readers import ReadStats
from provenance.shard import Shard
from provenance.tables import Output


class NoSettings(BaseModel):
    """Settings of a scanner that takes none; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ShardContext:
    """What a scanner may know about the shard it is scanning."""

    shard: Shard
    read_stats: ReadStats
    extra: dict[str, Any] = field(default_factory=dict)
    #: the run's configured PII analyzer (models and pattern files of the PII scanner), built
    #: on first call: what any scanner masking personal information must use
    pii_analyzer: Callable[[], Any] | None = None


class Scanner:
    """Base class of record-level scanners."""

    name: ClassVar[str]
    version: ClassVar[str]
    Settings: ClassVar[type[BaseModel]] = NoSettings
    #: dossier tables this scanner writes per shard: the one declaration the DDL, the resume
    #: clean-up and a pipeline's check inputs are derived from (provenance.tables)
    outputs: ClassVar[tuple[Output, ...]] = ()

    def __init__(self, settings: BaseModel) -> None:
        self.settings = settings

    @classmethod
    def prepare(cls, settings: BaseModel, pipeline_dir: Path) -> BaseModel:
        """Validate rule files named in the settings when the pipeline loads (raise BadInput) and
        make their paths absolute for the workers; default: nothing to prepare."""
        return settings

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        """Look at one batch; return result tables now, or accumulate and return ``{}``."""
        raise NotImplementedError

    def finish(self, ctx: ShardContext) -> dict[str, pa.Table]:
        """Per-shard results once every batch was seen (``ctx.read_stats`` is final here)."""
        return {}
