"""Registry of record-level scanners, by name."""

from __future__ import annotations

from provenance.scanners.base import Scanner, ShardContext
from provenance.scanners.file_stats import FileStats
from provenance.scanners.keywords import KeywordFilter
from provenance.scanners.minhash import MinHashScanner
from provenance.scanners.notices import RightsNotices
from provenance.scanners.personal import PersonalInformation
from provenance.scanners.stats import CorpusStats

SCANNERS: dict[str, type[Scanner]] = {
    cls.name: cls
    for cls in (
        FileStats,
        RightsNotices,
        PersonalInformation,
        CorpusStats,
        MinHashScanner,
        KeywordFilter,
    )
}


def shard_tables() -> tuple[str, ...]:
    """Every table a scanner writes per shard (their ``outputs``): what a resume clears for a
    re-scanned file, and what the check phase scopes to the run."""
    return tuple(sorted({o.table for s in SCANNERS.values() for o in s.outputs}))


__all__ = ["SCANNERS", "Scanner", "ShardContext", "shard_tables"]
