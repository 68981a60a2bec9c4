"""provenance — training-data provenance auditor.

Reads a dataset manifest and the data shards it names, and writes an Article 7/19
explainability dossier (China's Interim Measures for Generative AI Services, TC260-003 /
GB/T 45654) into DuckDB.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from provenance.runner import RunResult, audit

__all__ = ["RunResult", "__version__", "audit"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, not with the package: a worker process imports provenance.executors
    # and the scanners only, and must not pay for the runner, the checks and the manifest model
    # (about 0.7 s a process).
    if name in ("RunResult", "audit"):
        from provenance import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'provenance' has no attribute {name!r}")
