"""A shard — the unit of work a worker reads — and how a file's name gives its format.

Kept apart from :mod:`provenance.plan` (which lists roots and reads the manifest) so that a
worker process, which only reads shards, imports neither the manifest model nor the planner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_COMPRESSION = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}


@dataclass(frozen=True)
class Shard:
    """A unit of work: everything a worker needs to read it, picklable."""

    shard_id: str
    file_id: str
    source_id: str
    path: str
    format: str
    compression: str | None
    part: int
    row_groups: tuple[int, ...] | None
    text_field: str
    id_field: str | None
    url_field: str | None
    time_field: str | None
    delimiter: str = ","
    #: the shard's share of its source's bytes on disk: how much of a per-source sample it
    #: draws (provenance.pii.sampling), known before any worker reads anything
    share: float = 1.0
    #: a part of a large uncompressed JSONL or text file: the lines whose first byte lies in
    #: [start, end) (provenance.readers.ranges); None for a whole file or row groups
    byte_range: tuple[int, int] | None = None
    #: planned bytes of this part (executors group small shards into one task by it)
    size: int = 0
    #: None: ``path`` is a local file, opened directly; else the fsspec protocol ``path`` is
    #: read through (``s3``, ``file`` …): the worker builds that filesystem once per process
    #: (provenance.storage), so the shard carries only strings
    protocol: str | None = None


def detect_format(name: str) -> tuple[str | None, str | None]:
    """``web.jsonl.gz`` → ``("jsonl", "gzip")``; unknown extension → ``(None, compression)``."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    compression = _COMPRESSION.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1]) if suffixes else None
    return fmt, compression
