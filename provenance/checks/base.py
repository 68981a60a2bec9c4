"""Run-level checks: conclusions over the manifest, the plan and what the scan recorded.

A check never raises for what it finds: a failed requirement is a :class:`Finding`. It may
also return rows for dossier tables (``evidence``, ``crawl_checks``). Each check declares the
requirement ids (REGULATION.md) it implements and a pydantic model for its pipeline settings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from provenance.errors import ShardError
from provenance.findings import Finding, Message, Severity, make_finding
from provenance.manifest import LoadedManifest
from provenance.plan import Plan
from provenance.readers import read_records

SUBJECT_ZH = {
    "source": "来源",
    "model": "模型",
    "dataset": "数据集",
    "file": "文件",
    "run": "本次运行",
}


class NoSettings(BaseModel):
    """Settings of a check that takes none; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class EvidenceFile:
    """An evidence document hashed at audit time."""

    path: Path
    status: str  # ok / missing / unreadable
    sha256: str | None = None
    bytes: int | None = None


@dataclass
class CheckContext:
    """Everything a run-level check may look at."""

    lm: LoadedManifest
    plan: Plan
    pipeline_dir: Path
    file_status: dict[str, tuple[str, str | None, int]]  # file_id → (status, error, records)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    run_id: str = ""
    #: read-only SQL over this run's staged scanner tables (run-level reducers)
    sql: Callable[[str, list[Any]], list[tuple[Any, ...]]] = lambda q, p: []
    #: findings of the checks that ran before this one (the assessment reads them)
    prior_findings: list[Finding] = field(default_factory=list)
    #: requirement ids of every check in the pipeline
    check_requirements: list[tuple[str, ...]] = field(default_factory=list)
    _evidence: dict[Path, EvidenceFile] = field(default_factory=dict)
    _records: dict[Path, tuple[list[dict[str, Any]], int, str | None]] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        """The reference date for "before training": the planned training date, else today."""
        return self.lm.manifest.service.training_date or dt.date.today()

    def resolve(self, rel: str) -> Path:
        """A manifest path (validated at load to stay inside allowed folders) made absolute."""
        return (self.lm.base_dir / rel).resolve()

    def display(self, path: Path) -> str:
        """A path as shown in findings: relative to the manifest's folder where possible."""
        try:
            return path.relative_to(self.lm.base_dir).as_posix()
        except ValueError:
            return str(path)

    def evidence_file(self, rel: str) -> EvidenceFile:
        """Hash an evidence file once per run (SHA-256); a missing file is a status, not an error."""
        path = self.resolve(rel)
        if path not in self._evidence:
            if not path.is_file():
                self._evidence[path] = EvidenceFile(path, "missing")
            else:
                try:
                    h = hashlib.sha256()
                    with open(path, "rb") as fh:
                        while chunk := fh.read(1 << 20):
                            h.update(chunk)
                    self._evidence[path] = EvidenceFile(
                        path, "ok", h.hexdigest(), path.stat().st_size
                    )
                except OSError:
                    self._evidence[path] = EvidenceFile(path, "unreadable")
        return self._evidence[path]

    def records(self, rel: str) -> tuple[list[dict[str, Any]], int, str | None]:
        """Rows of a JSONL/CSV record file (collection log, consent records), read once per run.

        Returns ``(rows, malformed_lines, error)``; ``error`` explains a file that is missing
        or unreadable.
        """
        path = self.resolve(rel)
        if path not in self._records:
            if not path.is_file():
                self._records[path] = ([], 0, f"file {rel!r} does not exist")
            else:
                try:
                    rows, malformed = read_records(path)
                    self._records[path] = (rows, malformed, None)
                except ShardError as exc:
                    self._records[path] = ([], 0, str(exc))
        return self._records[path]

    def verdicts(self, rel: str) -> tuple[list[str], str | None]:
        """Review verdicts (pass / fail) of a sample file, or an error saying why it is unusable."""
        rows, _, error = self.records(rel)
        verdicts = [str(r.get("verdict", "")).strip().lower() for r in rows]
        if error or not rows:
            return [], error or "no rows"
        if any(v not in ("pass", "fail") for v in verdicts):
            return [], "every row needs verdict = pass or fail"
        return verdicts, None


@dataclass
class CheckOutput:
    """Findings plus rows for dossier tables."""

    findings: list[Finding] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class Check:
    """Base class of run-level checks."""

    name: ClassVar[str]
    requirements: ClassVar[tuple[str, ...]]
    Settings: ClassVar[type[BaseModel]] = NoSettings

    def __init__(self, settings: BaseModel) -> None:
        self.settings = settings
        self.out = CheckOutput()
        self.ctx: CheckContext | None = None

    def prepare(self, pipeline_dir: Path) -> None:
        """Load and validate rule files named in the settings (raise BadInput); default: none."""

    def run(self, ctx: CheckContext) -> CheckOutput:
        """Run the check and return its output."""
        self.ctx = ctx
        self.out = CheckOutput()
        self.check(ctx)
        return self.out

    def check(self, ctx: CheckContext) -> None:
        """Subclasses add findings with :meth:`find` and rows with :meth:`row`."""
        raise NotImplementedError

    def find(
        self,
        check_id: str,
        article: str,
        severity: Severity,
        subject: tuple[str, str],
        code: str,
        message: Message,
        evidence: dict[str, Any] | None = None,
        /,
        key: str = "",
        **values: Any,
    ) -> None:
        """Record a finding; the pipeline's ``[severity]`` table may override the default."""
        assert self.ctx is not None
        severity = self.ctx.severity_overrides.get(code, severity)
        self.out.findings.append(
            make_finding(
                check_id,
                article,
                severity,
                subject[0],
                subject[1],
                code,
                message,
                evidence,
                key,
                **values,
            )
        )

    def row(self, table: str, **values: Any) -> None:
        """Add a row for a dossier table."""
        self.out.tables.setdefault(table, []).append(values)
