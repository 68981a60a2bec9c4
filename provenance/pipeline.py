"""Declarative pipelines (TOML): which checks and scanners run, with which settings.

A pipeline is data kept apart from execution: ``[checks.NAME]`` and ``[scanners.NAME]`` tables
enable a step (an empty table takes the defaults); ``[severity]`` overrides a finding code's
default severity; ``fail_on`` sets the severity at which the audit exits 1. Every problem is
reported at once, and unknown names list the known ones.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from provenance.checks import CHECKS, Check
from provenance.errors import BadInput, Problem
from provenance.findings import SEVERITIES, Severity
from provenance.resources import pipeline_dir
from provenance.scanners import SCANNERS

_TOP_KEYS = {"pipeline", "reader", "reduce", "checks", "scanners", "severity"}
#: the numeric settings of [reader] and [reduce], with their defaults (integers of at least 1,
#: or of their floor): a floor above 1 for memory, as DuckDB cannot commit in a few MiB
SIZES: dict[tuple[str, str], int] = {
    ("reader", "batch_rows"): 8192,  # records per Arrow batch handed to scanners
    ("reader", "shard_rows"): 1_000_000,  # Parquet: split by row group above this many rows
    ("reader", "shard_bytes"): 128 << 20,  # split larger files (JSONL/text by lines, Parquet)
    # above this many bytes of planned data, per-record tables go to Parquet parts beside the
    # dossier (provenance/reduce/parts.py), in this many LSH band partitions
    ("reduce", "partition_above_bytes"): 10_000_000_000,
    ("reduce", "partitions"): 64,
    # the audit's DuckDB memory limit (MiB; it spills to <dossier>.tmp beyond): its default,
    # 80% of RAM, took 3.5 GB on a 2 GB corpus, 1 GiB 8% longer (RESULTS.md, "Scale-out")
    ("reduce", "memory_mib"): 2048,
}
SIZE_FLOORS: dict[tuple[str, str], int] = {("reduce", "memory_mib"): 64}


@dataclass
class ScannerSpec:
    """A scanner by name with validated settings; picklable for workers."""

    name: str
    settings: dict[str, Any]


@dataclass
class Pipeline:
    """A loaded, validated pipeline."""

    name: str
    path: Path
    description: str
    fail_on: Severity
    batch_rows: int
    shard_rows: int
    checks: list[Check]
    scanners: list[ScannerSpec]
    severity: dict[str, Severity] = field(default_factory=dict)
    shard_bytes: int = SIZES["reader", "shard_bytes"]
    partition_above_bytes: int = SIZES["reduce", "partition_above_bytes"]
    partitions: int = SIZES["reduce", "partitions"]
    memory_mib: int = SIZES["reduce", "memory_mib"]

    def config(self) -> dict[str, Any]:
        """Resolved settings, recorded with the run."""
        return {
            "pipeline": self.name,
            "pipeline_path": str(self.path),
            "fail_on": self.fail_on,
            **{
                table: {k: getattr(self, k) for (t, k) in SIZES if t == table}
                for table in ("reader", "reduce")
            },
            "checks": {c.name: c.settings.model_dump() for c in self.checks},
            "scanners": {s.name: s.settings for s in self.scanners},
            "severity": self.severity,
        }


def bundled_pipelines() -> list[str]:
    """Names of the pipelines shipped with provenance."""
    return sorted(p.stem for p in pipeline_dir().glob("*.toml"))


def resolve_pipeline(name_or_path: str | None, default: str = "pretraining") -> Path:
    """A bundled pipeline name or a path to a TOML file."""
    ref = name_or_path or default
    path = Path(ref)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise BadInput(f"pipeline file not found: {path}")
        return path
    bundled = pipeline_dir() / f"{ref}.toml"
    if not bundled.is_file():
        raise BadInput(
            f"unknown pipeline {ref!r}; bundled pipelines: {', '.join(bundled_pipelines())}, or give a .toml path"
        )
    return bundled


def _settings(
    kind: str, name: str, model: type[BaseModel], raw: Any, file: str
) -> tuple[BaseModel | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [
            Problem(file, f"{kind}.{name}", "must be a table, e.g. [" + f"{kind}.{name}]")
        ]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            Problem(
                file, f"{kind}.{name}." + ".".join(map(str, e["loc"])), e["msg"], code=e["type"]
            )
            for e in exc.errors(include_url=False)
        ]


def _steps(
    table: str,
    noun: str,
    registry: Mapping[str, Any],
    doc: dict[str, Any],
    file: str,
    problems: list[Problem],
) -> list[tuple[str, BaseModel]]:
    """Validated (name, settings) of every ``[table.NAME]``; problems are appended, not raised."""
    out: list[tuple[str, BaseModel]] = []
    for name, raw in doc.get(table, {}).items():
        if name not in registry:
            known = ", ".join(sorted(registry))
            problems.append(
                Problem(
                    file,
                    f"{table}.{name}",
                    f"unknown {noun}; known {noun}s: {known}",
                    code="unknown",
                )
            )
            continue
        settings, errs = _settings(table, name, registry[name].Settings, raw, file)
        problems += errs
        if settings is not None:
            out.append((name, settings))
    return out


def _severity_problems(severity: Any, checks: list[str], file: str) -> list[Problem]:
    """``[severity]`` keys must be finding codes of a check this pipeline enables."""
    if not isinstance(severity, dict):
        return [Problem(file, "severity", "must be a table of finding code = severity")]
    owner = {code.code: name for name, cls in CHECKS.items() for code in cls.codes}
    problems = []
    for code, level in severity.items():
        if level not in SEVERITIES:
            problems.append(
                Problem(file, f"severity.{code}", f"must be one of {', '.join(SEVERITIES)}")
            )
        if code not in owner:
            near = difflib.get_close_matches(code, list(owner), n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            problems.append(
                Problem(
                    file,
                    f"severity.{code}",
                    f"unknown finding code{hint} (README lists every code)",
                    code="unknown",
                )
            )
        elif owner[code] not in checks:
            problems.append(
                Problem(
                    file,
                    f"severity.{code}",
                    f"is raised by check {owner[code]}, which this pipeline does not enable; "
                    f"add [checks.{owner[code]}] or remove the key",
                    code="missing_step",
                )
            )
    return problems


def _missing_steps(checks: list[Check], scanners: list[str], file: str) -> list[Problem]:
    """Every table a check needs must be written by a step this pipeline enables."""
    writers: dict[str, list[str]] = {}  # several checks may write one table (stats)
    declared = [(f"scanners.{n}", cls.outputs) for n, cls in SCANNERS.items()]
    declared += [(f"checks.{n}", cls.writes) for n, cls in CHECKS.items()]
    for step_name, outputs in declared:
        for o in outputs:
            writers.setdefault(o.table, []).append(step_name)
    enabled = {f"scanners.{n}" for n in scanners} | {f"checks.{c.name}" for c in checks}
    problems = []
    for check in checks:
        for table in check.needs:
            steps = writers.get(table, [])
            if steps and not enabled & set(steps):
                step = "] or [".join(steps)
                problems.append(
                    Problem(
                        file,
                        f"checks.{check.name}",
                        f"reads table {table}, which only [{step}] writes, and this pipeline "
                        f"does not enable it: add [{step}] or remove [checks.{check.name}]",
                        code="missing_step",
                    )
                )
    return problems


def load_pipeline(name_or_path: str | None, default: str = "pretraining") -> Pipeline:
    """Load, validate and prepare a pipeline; raise :class:`BadInput` listing every problem."""
    path = resolve_pipeline(name_or_path, default)
    file = str(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(
            f"pipeline {path} is not valid TOML", [Problem(file, "", str(exc), code="syntax")]
        ) from None
    problems: list[Problem] = []
    for key in sorted(set(doc) - _TOP_KEYS):
        problems.append(
            Problem(
                file, key, f"unknown table; valid: {', '.join(sorted(_TOP_KEYS))}", code="unknown"
            )
        )
    meta = doc.get("pipeline", {})
    fail_on = meta.get("fail_on", "high")
    if fail_on not in SEVERITIES:
        problems.append(
            Problem(file, "pipeline.fail_on", f"must be one of {', '.join(SEVERITIES)}")
        )
    sizes: dict[str, int] = {}
    for table in ("reader", "reduce"):
        given, known = doc.get(table, {}), [k for t, k in SIZES if t == table]
        for key in sorted(set(given) - set(known)):
            problems.append(Problem(file, f"{table}.{key}", f"unknown; valid: {', '.join(known)}"))
        for key in known:
            sizes[key] = value = given.get(key, SIZES[table, key])
            floor = SIZE_FLOORS.get((table, key), 1)
            if not isinstance(value, int) or isinstance(value, bool) or value < floor:
                problems.append(Problem(file, f"{table}.{key}", f"must be an integer ≥ {floor}"))
    check_settings = _steps("checks", "check", CHECKS, doc, file, problems)
    checks: list[Check] = [CHECKS[name](settings) for name, settings in check_settings]
    scanner_settings = _steps("scanners", "scanner", SCANNERS, doc, file, problems)
    severity = doc.get("severity", {})
    problems += _severity_problems(severity, [n for n, _ in check_settings], file)
    problems += _missing_steps(checks, [n for n, _ in scanner_settings], file)
    if problems:
        raise BadInput(f"pipeline {path} has {len(problems)} problem(s)", problems)
    for check in checks:
        check.prepare(path.parent)
    scanners = [
        ScannerSpec(name, SCANNERS[name].prepare(settings, path.parent).model_dump())
        for name, settings in scanner_settings
    ]
    return Pipeline(
        name=str(meta.get("name", path.stem)),
        path=path.resolve(),
        description=str(meta.get("description", "")),
        fail_on=fail_on,
        **sizes,
        checks=checks,
        scanners=scanners,
        severity=severity,
    )


PII_MODES = ("sampled", "full", "off")


def with_pii_mode(pipe: Pipeline, mode: str | None, sample_size: int | None = None) -> Pipeline:
    """The pipeline with the personal-information scanner's ``names`` set to ``mode``
    (``--pii-mode``) and its ``sample_size`` (``--pii-sample-size``); BadInput when the mode is
    unknown, the size not positive, or the scanner not enabled."""
    if mode is not None and mode not in PII_MODES:
        raise BadInput(f"--pii-mode {mode!r}: use one of {', '.join(PII_MODES)}")
    if sample_size is not None and sample_size < 1:
        raise BadInput(f"--pii-sample-size {sample_size}: give a number of records, at least 1")
    if not any(s.name == "personal_information" for s in pipe.scanners):
        raise BadInput(
            f"--pii-mode/--pii-sample-size: pipeline {pipe.name!r} does not enable the "
            "personal_information scanner ([scanners.personal_information] in its TOML)"
        )
    change: dict[str, Any] = {}
    if mode is not None:
        change["names"] = mode
    if sample_size is not None:
        change["sample_size"] = sample_size
    scanners = [
        ScannerSpec(s.name, {**s.settings, **change}) if s.name == "personal_information" else s
        for s in pipe.scanners
    ]
    return replace(pipe, scanners=scanners)
