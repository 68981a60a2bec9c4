"""Registry of record-level scanners, by name."""

from __future__ import annotations

from provenance.scanners.base import Scanner, ShardContext
from provenance.scanners.file_stats import FileStats
from provenance.scanners.notices import RightsNotices
from provenance.scanners.personal import PersonalInformation

SCANNERS: dict[str, type[Scanner]] = {
    cls.name: cls for cls in (FileStats, RightsNotices, PersonalInformation)
}

__all__ = ["SCANNERS", "Scanner", "ShardContext"]
