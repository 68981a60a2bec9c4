"""Run-level checks: conclusions over the manifest, the plan and what the scan recorded.

A check is a stateless function of its context: :meth:`Check.check` reads the manifest, the
documents it points to and the run's tables, and reports through the context (``ctx.find`` for
a finding, ``ctx.row`` for a dossier row, ``ctx.execute`` for an ``INSERT … SELECT`` reducer).
Each check declares, once:

* ``requirements`` — the REGULATION.md ids it implements;
* ``codes`` — its :class:`~provenance.findings.FindingCode` s (nothing else may be raised);
* ``needs`` — the tables it reads (scanner outputs, or run tables of other checks); a pipeline
  that enables the check without the step writing one of them is refused;
* ``after`` — checks that must run before it when they are in the pipeline;
* ``writes`` — the run tables it fills (replaced wholesale when a run commits);
* ``final`` — it concludes over the other checks' findings (the assessment).

A check never raises for what it finds: a failed requirement is a finding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from provenance.checks.documents import Documents, EvidenceFile
from provenance.findings import Finding, FindingCode, Severity, make_finding
from provenance.manifest import LoadedManifest
from provenance.plan import Plan
from provenance.tables import Output
from provenance.vocabulary import LABELS

#: subject kinds in Chinese, from the one vocabulary
SUBJECT_ZH = {kind: zh for kind, (zh, _) in LABELS["subject_kind"].items()}

#: tables every check may read without declaring them: the run's own row (its configuration),
#: its manifest rows and shard markers
BASE_TABLES = ("runs", "datasets", "sources", "models", "files", "shards")
#: the prefix of the temporary views that scope a table to the run being committed
VIEW_PREFIX = "run_"
_VIEW_REF = re.compile(r"\brun_(?!id\b)([a-z_0-9]+)\b")  # run_id is a column, not a view
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+([a-z_0-9]+)\b", re.IGNORECASE)

Rows = list[Any]  # tuples from DuckDB


class NoSettings(BaseModel):
    """Settings of a check that takes none; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class CheckOutput:
    """Findings plus rows for dossier tables."""

    findings: list[Finding] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _no_sql(sql: str, params: list[Any]) -> Rows:
    return []


#: runs a function over a list of jobs and gives the results in order: the executor's ``map``
Mapper = Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]]


def in_turn(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """The mapper of a context with no executor behind it: one job after another, here."""
    return [fn(x) for x in items]


@dataclass
class CheckContext:
    """Everything a run-level check may look at, and where it reports.

    One context is made per run; :meth:`scoped` gives each check its own view of it, which
    knows the check's declarations and collects its output.
    """

    lm: LoadedManifest
    plan: Plan
    pipeline_dir: Path
    file_status: dict[str, tuple[str, str | None, int]]  # file_id → (status, error, records)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    run_id: str = ""
    #: SQL over the run's scoped views (``run_<table>``); reads, and INSERT … SELECT reducers
    run_sql: Callable[[str, list[Any]], Rows] = _no_sql
    #: the same SQL, its result as an Arrow table (for results too large as Python tuples);
    #: the third argument names Arrow tables the query may read besides the views
    run_arrow: Callable[[str, list[Any], dict[str, Any]], Any] | None = None
    #: a relation over a scoped view (duckdb.DuckDBPyRelation), given the view's name
    relation: Callable[[str], Any] | None = None
    #: writes rows to the dossier now (inside the phase's transaction), for :meth:`flush`
    insert_rows: Callable[[str, list[dict[str, Any]]], None] | None = None
    #: requirement ids of every check in the pipeline (what this audit assessed at all)
    pipeline_requirements: frozenset[str] = frozenset()
    #: where a check's independent jobs run (the executor decides; a check never knows)
    mapper: Mapper = in_turn
    documents: Documents | None = None
    step: Check | None = None
    out: CheckOutput = field(default_factory=CheckOutput)

    def __post_init__(self) -> None:
        if self.documents is None:
            self.documents = Documents(self.lm.base_dir)

    def scoped(self, check: Check) -> CheckContext:
        """This run's context for ``check``: its declarations, a fresh output."""
        return dataclasses.replace(self, step=check, out=CheckOutput())

    # -- the run ---------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        """The reference date for "before training": the planned training date, else today."""
        return self.lm.manifest.service.training_date or dt.date.today()

    def resolve(self, rel: str) -> Path:
        """A manifest path made absolute."""
        assert self.documents is not None
        return self.documents.resolve(rel)

    def display(self, path: Path) -> str:
        """A path as shown in findings: relative to the manifest's folder where possible."""
        try:
            return path.relative_to(self.lm.base_dir).as_posix()
        except ValueError:
            return str(path)

    def evidence_file(self, rel: str) -> EvidenceFile:
        """An evidence document, hashed once per run (:meth:`Documents.evidence_file`)."""
        assert self.documents is not None
        return self.documents.evidence_file(rel)

    def records(self, rel: str) -> tuple[list[dict[str, Any]], int, str | None]:
        """A record file's rows, read once per run (:meth:`Documents.records`)."""
        assert self.documents is not None
        return self.documents.records(rel)

    def sheet(self, rel: str) -> tuple[Any, str | None]:
        """A review sheet and its rows (:meth:`Documents.sheet`)."""
        assert self.documents is not None
        return self.documents.sheet(rel)

    def verdicts(self, rel: str) -> tuple[list[str], str | None]:
        """Review verdicts of a sample file (:meth:`Documents.verdicts`)."""
        assert self.documents is not None
        return self.documents.verdicts(rel)

    # -- the run's tables ------------------------------------------------------------------
    def _readable(self) -> set[str]:
        step = self.step
        own = {o.table for o in step.writes} if step else set()
        return {*BASE_TABLES, *(step.needs if step else ()), *own}

    def _check_refs(self, sql: str) -> None:
        if self.step is None:
            return
        unknown = set(_VIEW_REF.findall(sql)) - self._readable()
        if unknown:
            raise AssertionError(
                f"check {self.step.name} reads {sorted(unknown)} without declaring them in needs"
            )

    def sql(self, sql: str, params: list[Any]) -> Rows:
        """Rows of a query over the run's scoped views (``FROM run_pii_hits``, never raw tables)."""
        self._check_refs(sql)
        return self.run_sql(sql, params)

    def arrow(self, sql: str, params: list[Any], tables: dict[str, Any] | None = None) -> Any:
        """:meth:`sql`'s result as a ``pyarrow.Table``: millions of candidate pairs as Python
        tuples took 3.7 GB on a 2 GB corpus, as Arrow columns a tenth of it. ``tables``: Arrow
        tables the query reads by name (``arg_<name>``, registered for this query only), where
        a list parameter of millions of values would be built in Python first."""
        self._check_refs(sql)
        assert self.run_arrow is not None, "no dossier connection in this context"
        return self.run_arrow(sql, params, tables or {})

    def execute(self, sql: str, params: list[Any]) -> None:
        """Run an ``INSERT INTO <table> … SELECT`` reducer into one of the check's own tables."""
        match = _INSERT.match(sql)
        own = {o.table for o in self.step.writes} if self.step else set()
        if match is None or match.group(1) not in own:
            raise AssertionError("ctx.execute takes INSERT INTO one of the check's writes tables")
        self._check_refs(sql)
        self.run_sql(sql, params)

    def flush(self) -> None:
        """Write the rows added so far, so the check's own later queries see them."""
        assert self.insert_rows is not None, "no dossier connection in this context"
        for table, rows in self.out.tables.items():
            self.insert_rows(table, rows)
        self.out.tables.clear()

    def table(self, name: str) -> Any:
        """The run's rows of ``name`` (scoped to the run; scanner tables joined to ``files`` for
        ``source_id`` and ``dataset_id``) as a lazy DuckDB relation."""
        if name not in self._readable():
            raise AssertionError(f"check reads {name!r} without declaring it in needs")
        assert self.relation is not None, "no dossier connection in this context"
        return self.relation(VIEW_PREFIX + name)

    # -- reporting -------------------------------------------------------------------------
    def find(
        self,
        code: FindingCode,
        subject: tuple[str, str],
        evidence: dict[str, Any] | None = None,
        /,
        *,
        severity: Severity | None = None,
        requirement: tuple[str, str] | None = None,
        variant: str | None = None,
        key: str = "",
        **values: Any,
    ) -> None:
        """Record a finding of one of the check's codes.

        ``severity`` replaces the code's default where a setting decides it (the pipeline's
        ``[severity]`` table still has the last word); ``requirement`` is the (requirement id,
        article) a document backs where one code serves several (evidence files).
        """
        if self.step is not None and code not in self.step.codes:
            raise AssertionError(f"check {self.step.name} raises undeclared code {code.code}")
        level = self.severity_overrides.get(code.code, severity or code.severity)
        self.out.findings.append(
            make_finding(
                *(requirement or (code.requirement, code.article)),
                level,
                subject[0],
                subject[1],
                code.code,
                code.wording(variant),
                evidence,
                key,
                **values,
            )
        )

    def row(self, table: str, **values: Any) -> None:
        """Add a row for one of the check's ``writes`` tables."""
        if self.step is not None and table not in {o.table for o in self.step.writes}:
            raise AssertionError(f"check {self.step.name} writes {table!r} undeclared")
        self.out.tables.setdefault(table, []).append(values)


class Check:
    """Base class of run-level checks (see the module docstring for the declarations)."""

    name: ClassVar[str]
    requirements: ClassVar[tuple[str, ...]]
    Settings: ClassVar[type[BaseModel]] = NoSettings
    codes: ClassVar[tuple[FindingCode, ...]] = ()
    needs: ClassVar[tuple[str, ...]] = ()
    after: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[Output, ...]] = ()
    final: ClassVar[bool] = False

    def __init__(self, settings: BaseModel) -> None:
        self.settings = settings

    def prepare(self, pipeline_dir: Path) -> None:
        """Load and validate rule files named in the settings (raise BadInput); default: none."""

    def run(self, ctx: CheckContext) -> CheckOutput:
        """Run the check in its own scope of ``ctx`` and return its output."""
        scope = ctx.scoped(self)
        self.check(scope)
        return scope.out

    def check(self, ctx: CheckContext) -> None:
        """Subclasses report with ``ctx.find`` / ``ctx.row`` / ``ctx.execute``."""
        raise NotImplementedError
