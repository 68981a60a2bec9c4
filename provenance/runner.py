"""Orchestrate an audit: validate → plan → scan shards → run-level checks → commit.

The runner owns the run lifecycle and nothing else: scanning is the executor's, conclusions
are the checks', persistence is the store's. A crash anywhere after the run row exists leaves
the run ``running`` or ``failed`` and resumable with ``--resume RUN_ID``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import signal
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb

from provenance.checks.phase import conclude
from provenance.errors import (
    BadInput,
    InternalError,
    RunInterrupted,
    safe_error,
)
from provenance.executors import Executor, ShardJob, ShardResult, make_executor
from provenance.executors.local import default_workers
from provenance.findings import Finding, is_blocking
from provenance.manifest import LoadedManifest, load_manifest
from provenance.pii.protect import load_key, using_key
from provenance.pipeline import Pipeline, load_pipeline, with_pii_mode
from provenance.plan import Plan, make_plan
from provenance.profile import ScanProfile
from provenance.reduce.parts import PartsSpec, partitioning, reduce_config
from provenance.reduce.read import run_parts
from provenance.resume import open_run, run_inputs
from provenance.store import Store, bad_db_path
from provenance.writer import MAX_BATCH, ShardWriter, marker_of

# Test hook for crash-safety tests: "fail_after_shards:N" raises, "kill_after_shards:N" sends
# SIGKILL to this process, after N shards have been committed. Documented in README (Testing).
FAULT_ENV = "PROVENANCE_FAULT"


class Progress(Protocol):
    """What the runner reports while it works (the CLI draws a rich progress bar)."""

    def phase(self, text: str) -> None: ...
    def start(self, total: int, done: int) -> None: ...
    def advance(self, result: ShardResult) -> None: ...
    def stop(self) -> None: ...


class _Quiet:
    def phase(self, text: str) -> None:
        pass

    def start(self, total: int, done: int) -> None:
        pass

    def advance(self, result: ShardResult) -> None:
        pass

    def stop(self) -> None:
        pass


@dataclass
class RunResult:
    """Outcome of :func:`audit`."""

    run_id: str
    db_path: Path
    status: str
    exit_code: int
    fail_on: str
    findings: list[Finding] = field(default_factory=list)
    #: where the time went (``runs.profile``; :class:`provenance.profile.ScanProfile`)
    profile: dict[str, Any] = field(default_factory=dict)
    profile_line: str = ""
    shards_total: int = 0
    shards_resumed: int = 0
    files: int = 0
    unreadable_files: int = 0

    @property
    def by_severity(self) -> dict[str, int]:
        """Finding counts per severity."""
        return dict(Counter(f.severity for f in self.findings))

    @property
    def blocking(self) -> list[Finding]:
        """Findings at or above the pipeline's ``fail_on`` severity."""
        return [f for f in self.findings if is_blocking(f.severity, self.fail_on)]


def new_run_id() -> str:
    """Sortable, unique: UTC time plus random suffix."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def _fault_limit(committed: int) -> int:
    """Shards the writer may commit next: up to the injected fault exactly (tests count them)."""
    _, _, n = os.environ.get(FAULT_ENV, "").partition(":")
    return int(n) - committed if n.isdigit() and int(n) > committed else MAX_BATCH


def _fault(committed: int) -> None:
    spec = os.environ.get(FAULT_ENV, "")
    kind, _, n = spec.partition(":")
    if not n.isdigit() or committed < int(n):
        return
    if kind == "kill_after_shards":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "fail_after_shards":
        raise RuntimeError(f"injected failure after {committed} shards ({FAULT_ENV})")


def audit(
    manifest_path: str | Path,
    db_path: str | Path,
    pipeline: str | None = None,
    workers: int | None = None,
    executor: str = "local",
    resume: str | None = None,
    progress: Progress | None = None,
    scheduler: str | None = None,
    allow_roots: Sequence[str | Path] = (),
    pii_mode: str | None = None,
    pii_sample_size: int | None = None,
) -> RunResult:
    """Audit the corpus a manifest describes and commit a run to the dossier at ``db_path``.

    ``pii_mode`` (``--pii-mode``: sampled, full or off) overrides the personal-information
    scanner's ``names`` setting: names and places on a sample, on every record, or not at all
    (default: ``PROVENANCE_PII_MODE`` when set, else the pipeline's setting);
    ``pii_sample_size`` (``--pii-sample-size``) its records per source.

    ``allow_roots`` are folders outside the manifest's folder that data roots and evidence
    may lie in (``--allow-root``; README "Where data may live").
    Raises :class:`BadInput` (nothing written) for a bad manifest, pipeline or path, and
    :class:`InternalError` when the run fails after it started (it is marked ``failed``).
    """
    progress = progress or _Quiet()
    db_path = Path(db_path)
    # Everything that can make this exit 2 is checked before the dossier (or its folder) exists:
    # a refused audit writes nothing.
    if problems := bad_db_path(db_path):
        raise BadInput("bad --db", problems)
    if resume is not None and not db_path.is_file():
        raise BadInput(
            f"--resume {resume}: there is no dossier at {db_path}; give the --db the run was "
            "written to (`provenance runs --db PATH` lists its runs)"
        )
    lm = load_manifest(manifest_path, allow_roots=allow_roots)
    default = (
        lm.manifest.datasets[0].stage
        if lm.manifest.datasets[0].stage == "fine_tuning"
        else "pretraining"
    )
    pipe = load_pipeline(pipeline, default=default)
    if pii_mode is None and any(s.name == "personal_information" for s in pipe.scanners):
        pii_mode = os.environ.get("PROVENANCE_PII_MODE") or None  # a site-wide default
    if pii_mode is not None or pii_sample_size is not None:
        pipe = with_pii_mode(pipe, pii_mode, pii_sample_size)
    workers = workers or default_workers()
    runner = make_executor(executor, workers, scheduler)
    progress.phase("planning shards")
    plan = make_plan(lm, shard_rows=pipe.shard_rows, shard_bytes=pipe.shard_bytes)
    from provenance.licenses import data_versions  # licence data shapes verdicts: record it

    pii_key = load_key()  # resolved once, here: every worker scans under this key
    config = {**pipe.config(), "workers": workers, "executor": executor}
    config["license_data"] = data_versions()
    config["inputs"] = run_inputs(lm, pipe, pii_key)
    rid = resume or new_run_id()
    parts = partitioning(pipe, plan, db_path, rid)
    config["reduce"] = {**config["reduce"], **reduce_config(parts)}
    with Store(db_path, memory_mib=pipe.memory_mib) as store:
        run_id = open_run(store, lm, pipe, plan, config, resume, rid)
        if resume is not None:  # the parts the run began with: its check phase reads those
            parts = run_parts(store, run_id)
        try:
            with using_key(pii_key):
                profile = ScanProfile(executor, workers)
                return _execute(
                    store, run_id, lm, pipe, plan, runner, progress, pii_key, profile, parts
                )
        except BaseException as exc:
            progress.stop()
            # DuckDB turns a SIGINT that lands inside a query into InterruptException
            interrupted = isinstance(exc, KeyboardInterrupt | duckdb.InterruptException)
            store.fail_run(run_id, "interrupted (SIGINT)" if interrupted else safe_error(exc))
            if interrupted:
                raise RunInterrupted(
                    f"interrupted: run {run_id} is kept and resumable with: provenance audit "
                    f"{manifest_path} --db {db_path} --resume {run_id}"
                ) from None
            if isinstance(exc, Exception) and not isinstance(exc, BadInput):
                raise InternalError(
                    f"run {run_id} failed: {safe_error(exc)}{_memory_hint(exc, pipe)}; earlier "
                    f"runs are intact. Resume with: provenance audit {manifest_path} --db "
                    f"{db_path} --resume {run_id}"
                ) from exc
            raise
        finally:
            runner.close()  # a cluster the run started ends with it, however it ends


def _memory_hint(exc: BaseException, pipe: Pipeline) -> str:
    """For DuckDB running out of its memory limit: the setting to raise (DuckDB's own advice
    names its SQL setting, which the pipeline sets)."""
    if isinstance(exc, duckdb.OutOfMemoryException) or "could not allocate" in str(exc):
        return (
            f" (DuckDB's memory limit, [reduce] memory_mib = {pipe.memory_mib} in pipeline "
            f"{pipe.path}: raise it; a resume may change it)"
        )
    return ""


def _execute(
    store: Store,
    run_id: str,
    lm: LoadedManifest,
    pipe: Pipeline,
    plan: Plan,
    runner: Executor,
    progress: Progress,
    pii_key: bytes,
    profile: ScanProfile,
    parts: PartsSpec | None,
) -> RunResult:
    done = store.done_shards(run_id)
    todo = [s for s in plan.shards if s.shard_id not in done]
    progress.start(len(plan.shards), len(plan.shards) - len(todo))
    cf = lm.manifest.content_filtering
    context = (
        (("keyword_library", str(lm.base_dir / cf.keyword_library)),)
        if cf and cf.keyword_library
        else ()
    )
    job = ShardJob(
        scanners=tuple(pipe.scanners),
        batch_rows=pipe.batch_rows,
        context=context,
        pii_key=pii_key,
        parts=parts,
    )

    def committed(results: list[ShardResult], seconds: float) -> None:  # on the writer thread
        for i, result in enumerate(results):
            profile.shard(result, seconds if i == 0 else 0.0)
            progress.advance(result)
        _fault(writer.count)

    writer = ShardWriter(store, run_id, committed, limit=_fault_limit)
    try:
        for result in runner.run(todo, job):
            writer.put(marker_of(result), result)
    except BaseException:
        writer.abort()  # the connection is the runner's again (it marks the run failed)
        raise
    writer.close()
    profile.scanned()
    progress.stop()
    if parts is None:  # only a partitioned reduce runs on the workers: free them for the checks
        runner.close()
    progress.phase("running checks")
    done_checks = conclude(store, run_id, lm, plan, pipe, mapper=runner.map)
    profile.checked()
    profile.record(store, run_id)
    findings, exit_code = done_checks.findings, done_checks.exit_code
    file_status = store.file_summary(run_id)
    unreadable = sum(1 for s in file_status.values() if s[0] == "error") + sum(
        1 for f in plan.files if f.error
    )
    return RunResult(
        run_id=run_id,
        db_path=Path(store.path),
        status="complete",
        exit_code=exit_code,
        fail_on=pipe.fail_on,
        findings=findings,
        shards_total=len(plan.shards),
        shards_resumed=len(plan.shards) - len(todo),
        files=len(plan.files),
        unreadable_files=unreadable,
        profile=profile.summary(),
        profile_line=profile.line(),
    )
