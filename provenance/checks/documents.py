"""Documents a manifest points to (evidence, collection logs, consent records, review samples).

Each is read or hashed at most once per run, whichever checks ask for it: one :class:`Documents`
is shared by every check of a run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.errors import ProvenanceError, ShardError
from provenance.readers import read_records
from provenance.review.sheet import Sheet, read_sheet


@dataclass
class EvidenceFile:
    """An evidence document hashed at audit time."""

    path: Path
    status: str  # ok / missing / unreadable
    sha256: str | None = None
    bytes: int | None = None


def _hash(path: Path) -> EvidenceFile:
    if not path.is_file():
        return EvidenceFile(path, "missing")
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return EvidenceFile(path, "ok", h.hexdigest(), path.stat().st_size)
    except OSError:
        return EvidenceFile(path, "unreadable")


@dataclass
class Documents:
    """Per-run caches of hashed evidence and parsed record files, below ``base_dir``."""

    base_dir: Path
    _evidence: dict[Path, EvidenceFile] = field(default_factory=dict)
    _records: dict[Path, tuple[list[dict[str, Any]], int, str | None]] = field(default_factory=dict)
    _sheets: dict[Path, tuple[Sheet | None, str | None]] = field(default_factory=dict)

    def resolve(self, rel: str) -> Path:
        """A manifest path (validated at load to stay inside allowed folders) made absolute."""
        return (self.base_dir / rel).resolve()

    def evidence_file(self, rel: str) -> EvidenceFile:
        """Hash an evidence file once per run (SHA-256); a missing file is a status, not an error."""
        path = self.resolve(rel)
        if path not in self._evidence:
            self._evidence[path] = _hash(path)
        return self._evidence[path]

    def records(self, rel: str) -> tuple[list[dict[str, Any]], int, str | None]:
        """Rows of a JSONL/CSV record file, read once per run: ``(rows, malformed_lines, error)``.

        ``error`` explains a file that is missing or unreadable.
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

    def sheet(self, rel: str) -> tuple[Sheet | None, str | None]:
        """A review sheet (header block and rows, :mod:`provenance.review.sheet`), read once per
        run, or the error saying why it cannot be used (every malformed row listed)."""
        path = self.resolve(rel)
        if path not in self._sheets:
            if not path.is_file():
                self._sheets[path] = (None, f"file {rel!r} does not exist")
            else:
                try:
                    self._sheets[path] = (read_sheet(path), None)
                except ProvenanceError as exc:
                    self._sheets[path] = (None, str(exc))
        return self._sheets[path]

    def verdicts(self, rel: str) -> tuple[list[str], str | None]:
        """Verdicts (pass / fail) of the reviewed rows of a sample sheet (rows not reviewed yet
        are left out: :mod:`provenance.checks.review_samples` reports them), or an error."""
        sheet, error = self.sheet(rel)
        if sheet is None:
            return [], error
        verdicts = [str(r.get("verdict") or "") for r in sheet.rows]
        reviewed = [v for v in verdicts if v]
        if not reviewed:
            return [], "no reviewed rows (every verdict is empty)" if verdicts else "no rows"
        return reviewed, None
