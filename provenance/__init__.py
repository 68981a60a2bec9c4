"""provenance — training-data provenance auditor.

Reads a dataset manifest and the data shards it names, and writes an Article 7/19
explainability dossier (China's Interim Measures for Generative AI Services, TC260-003 /
GB/T 45654) into DuckDB.
"""

from __future__ import annotations

__version__ = "0.1.0"

from provenance.runner import RunResult, audit

__all__ = ["RunResult", "__version__", "audit"]
