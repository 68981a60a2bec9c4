"""SRC-01: every data file belongs to exactly one declared source, and every source has data.

Also reports files that could not be read (DOC-02: their scale and content cannot be explained),
and, through :mod:`provenance.checks.reading`, files read only in part: damaged compression,
malformed records, a text field most records lack, repaired characters.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.checks.reading import READ_CODES, report_read_problems
from provenance.findings import FindingCode

ORPHANS = FindingCode(
    "orphan_files",
    "SRC-01",
    "7(1)",
    "high",
    en="{count} file(s) under data root '{root}' belong to no declared source; their provenance cannot be traced",
    zh="数据根目录“{root}”下有 {count} 个文件不属于任何已声明的来源，无法追溯其来源",
)
DOUBLE = FindingCode(
    "double_claim",
    "SRC-01",
    "7(1)",
    "high",
    en="file '{path}' is claimed by two sources ('{first}' and '{second}'); it was counted under '{first}' only",
    zh="文件“{path}”同时被两个来源（“{first}”与“{second}”）声明，仅计入“{first}”",
)
EMPTY_GLOB = FindingCode(
    "empty_glob",
    "SRC-01",
    "7(1)",
    "medium",
    en="source '{source}' declares files '{glob}' but no file matches",
    zh="来源“{source}”声明的文件“{glob}”未匹配到任何文件",
)
NO_RECORDS = FindingCode(
    "source_without_records",
    "SRC-01",
    "7(1)",
    "medium",
    en="source '{source}' holds no records in its {files} file(s); every declared source must have data",
    zh="来源“{source}”的 {files} 个文件中没有任何记录；每个已声明的来源都应有数据",
)
UNREADABLE = FindingCode(
    "unreadable_file",
    "DOC-02",
    "19",
    "high",
    en="file '{path}' of source '{source}' could not be read ({error}); its scale and content are unexplained",
    zh="来源“{source}”的文件“{path}”无法读取（{error}），其规模与内容无法说明",
)
TRACED = FindingCode(
    "all_files_traced",
    "SRC-01",
    "7(1)",
    "info",
    en="all {files} data file(s) are traced to {sources} declared source(s)",
    zh="全部 {files} 个数据文件均可追溯至 {sources} 个已声明来源",
)


class SourceCoverage(Check):
    """Orphan files, double claims, empty globs, empty sources, unreadable files."""

    name: ClassVar[str] = "source_coverage"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-01", "DOC-02")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        ORPHANS,
        DOUBLE,
        EMPTY_GLOB,
        TRACED,
        UNREADABLE,
        NO_RECORDS,
        *READ_CODES,
    )
    needs: ClassVar[tuple[str, ...]] = ("file_stats",)

    def check(self, ctx: CheckContext) -> None:
        plan = ctx.plan
        by_root: dict[str, list[str]] = defaultdict(list)
        for root, rel in plan.orphans:
            by_root[root].append(rel)
        for root, rels in sorted(by_root.items()):
            ctx.find(
                ORPHANS,
                ("data_root", root),
                {"count": len(rels), "paths": rels[:100]},
                count=len(rels),
                root=root,
            )
        for rel, first, second in plan.double_claims:
            ctx.find(
                DOUBLE,
                ("file", rel),
                {"sources": [first, second]},
                path=rel,
                first=first,
                second=second,
            )
        for source, glob in plan.empty_globs:
            ctx.find(EMPTY_GLOB, ("source", source), {"glob": glob}, source=source, glob=glob)
        nfiles = _files(ctx)
        report_read_problems(ctx)
        if not by_root and not plan.double_claims:
            ctx.find(
                TRACED,
                ("run", "corpus"),
                {"files": len(plan.files)},
                files=len(plan.files),
                sources=len(nfiles),
            )


def _files(ctx: CheckContext) -> dict[str, int]:
    """Unreadable files and sources without records; the file count of each source."""
    plan = ctx.plan
    records: dict[str, int] = defaultdict(int)
    nfiles: dict[str, int] = defaultdict(int)
    for f in plan.files:
        status, error, n = ctx.file_status.get(f.file_id, ("planned", None, 0))
        nfiles[f.source_id] += 1
        records[f.source_id] += n
        if status == "error" or f.error:
            ctx.find(
                UNREADABLE,
                ("file", f"{f.root_id}/{f.relpath}"),
                {"path": f.relpath, "root": f.root_id},
                path=f.relpath,
                source=f.source_id,
                error=error or f.error,
            )
    for source, n in nfiles.items():
        if records[source] == 0 and all(
            ctx.file_status.get(f.file_id, ("", None, 0))[0] == "ok"
            for f in plan.files
            if f.source_id == source
        ):
            ctx.find(NO_RECORDS, ("source", source), {"files": n}, source=source, files=n)
    return nfiles
