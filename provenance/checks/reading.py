"""DOC-02: what the reader noticed inside files it could read (part of ``source_coverage``).

A file can be "read" and still say little: random bytes named ``.jsonl`` give 0 records and
hundreds of malformed lines; a ``.zst`` cut in half gives the first records and then stops; a
wrong ``text_field`` gives records with no text. Each of these is a finding naming the file,
so a run never reports success over content it did not see. The facts come from the
``file_stats`` scanner (one row per shard, merged per file with :meth:`ReadStats.merge`).
"""

from __future__ import annotations

import json
from typing import Any

from provenance.checks.base import CheckContext
from provenance.findings import FindingCode, Message, Severity
from provenance.readers import ReadStats

#: Above this share of records without text, the text_field is most likely wrong.
MISSING_TEXT_SHARE = 0.5
#: Below this share of malformed lines the finding is low (noise), else medium.
MALFORMED_LOW_SHARE = 0.01

REASONS: dict[str, tuple[str, str]] = {
    "not_json": ("not valid JSON", "不是有效的 JSON"),
    "not_object": (
        "a JSON array, number or string, not an object",
        "是 JSON 数组、数字或字符串而非对象",
    ),
    "too_deep": ("nested too deeply", "嵌套过深"),
    "too_long": ("longer than 64 MiB", "超过 64 MiB"),
    "csv_columns": ("wrong number of columns", "列数不符"),
    "csv_syntax": ("not valid CSV", "不是有效的 CSV"),
}
NOTHING_READ = Message(
    en="file '{path}' of source '{source}': none of its {count} non-blank line(s) is a record ({reasons}; first at line(s) {first}); the file is effectively unreadable: check its format and extension",
    zh="来源“{source}”的文件“{path}”的 {count} 行非空行中没有一条是有效记录（{reasons_zh}；首见于第 {first} 行），该文件实际上无法读取：请检查其格式与扩展名",
)
MALFORMED = FindingCode(
    "malformed_records",
    "DOC-02",
    "19",
    "medium",
    en="file '{path}' of source '{source}': {count} of {lines} non-blank line(s) ({share}) could not be read as records and were skipped ({reasons}); first at line(s) {first}",
    zh="来源“{source}”的文件“{path}”中 {count} 行（共 {lines} 行非空行，占 {share}）无法读取为记录，已跳过（{reasons_zh}）；首见于第 {first} 行",
    variants=(("nothing_read", NOTHING_READ),),
)
TEXT_MISSING = FindingCode(
    "text_field_missing",
    "DOC-02",
    "19",
    "medium",
    en="file '{path}' of source '{source}': {missing} of {records} record(s) ({share}) have no text in field '{field}', so their content was not audited; fields present: {names}; set files[].text_field to the right one",
    zh="来源“{source}”的文件“{path}”中 {missing} 条记录（共 {records} 条，占 {share}）的字段“{field}”没有文本，其内容未被审核；文件中存在的字段：{names_zh}；请将“files[].text_field”设为正确的字段",
)
DAMAGED = FindingCode(
    "damaged_file",
    "DOC-02",
    "19",
    "high",
    en="file '{path}' of source '{source}': its compressed data is {kind}; {records} record(s) in the first {lines} line(s) were read and counted, the rest of the file is missing from the audit: re-export the file or exclude it",
    zh="来源“{source}”的文件“{path}”的压缩数据{kind_zh}；已读取并计入前 {lines} 行中的 {records} 条记录，文件其余部分未能审核：请重新导出该文件或将其排除",
)
REPAIRED = FindingCode(
    "records_repaired",
    "DOC-02",
    "19",
    "low",
    en="file '{path}' of source '{source}': {invalid} line(s) held invalid UTF-8 and {repaired} record(s) lone surrogates; those characters were replaced with U+FFFD and the records kept",
    zh="来源“{source}”的文件“{path}”中 {invalid} 行含无效 UTF-8，{repaired} 条记录含孤立代理码位；这些字符已替换为 U+FFFD，记录予以保留",
)

_STATS_SQL = """
    SELECT file_id, records, malformed, invalid_utf8, missing_text, repaired,
           malformed_lines, malformed_reasons, field_names, damage, damage_line
    FROM run_file_stats ORDER BY file_id, shard_id
"""


def file_read_stats(ctx: CheckContext) -> dict[str, ReadStats]:
    """Per file, the reader statistics of all its shards merged."""
    out: dict[str, ReadStats] = {}
    for row in ctx.sql(_STATS_SQL, []):
        fid, records, malformed, invalid, missing, repaired, lines, reasons, names = row[:9]
        part = ReadStats(
            records=records or 0,
            malformed=malformed or 0,
            invalid_utf8=invalid or 0,
            missing_text=missing or 0,
            repaired=repaired or 0,
            malformed_lines=list(lines or []),
            malformed_reasons=json.loads(reasons) if reasons else {},
            field_names=list(names or []),
            damage=row[9],
            damage_line=row[10],
        )
        if fid in out:
            out[fid].merge(part)
        else:
            out[fid] = part
    return out


def _reasons(stats: ReadStats, lang: int) -> str:
    items = sorted(stats.malformed_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    sep = ", " if lang == 0 else "，"
    return sep.join(f"{REASONS.get(r, (r, r))[lang]}: {n}" for r, n in items)


#: the codes report_read_problems raises (listed by the check that calls it)
READ_CODES = (DAMAGED, MALFORMED, TEXT_MISSING, REPAIRED)


def report_read_problems(ctx: CheckContext) -> None:
    """Findings for damaged files, malformed records, a missing text field, repaired text."""
    stats = file_read_stats(ctx)
    for f in ctx.plan.files:
        st = stats.get(f.file_id)
        if st is None:  # not read, or unreadable: source_coverage reports it
            continue
        subject = ("file", f"{f.root_id}/{f.relpath}")
        where: dict[str, Any] = {"path": f.relpath, "source": f.source_id}
        evidence = {"path": f.relpath, "root": f.root_id, "records": st.records}
        if st.damage:
            kind = "truncated" if "truncated" in st.damage else "corrupt"
            ctx.find(
                DAMAGED, subject,
                {**evidence, "damage": st.damage, "lines_read": st.damage_line},
                **where, kind=kind, kind_zh="被截断" if kind == "truncated" else "已损坏",
                records=st.records, lines=st.damage_line,
            )  # fmt: skip
        if st.malformed:
            lines = st.records + st.malformed
            share = st.malformed / lines
            severity: Severity = (
                "high" if st.records == 0 else "low" if share < MALFORMED_LOW_SHARE else "medium"
            )
            ctx.find(
                MALFORMED, subject,
                {**evidence, "malformed": st.malformed, "share": round(share, 6),
                 "first_lines": st.malformed_lines, "reasons": st.malformed_reasons},
                **where, count=st.malformed, lines=lines, share=f"{share:.1%}",
                first=", ".join(map(str, st.malformed_lines)),
                reasons=_reasons(st, 0), reasons_zh=_reasons(st, 1), severity=severity,
                variant="nothing_read" if st.records == 0 else None,
            )  # fmt: skip
        if st.records and st.missing_text / st.records > MISSING_TEXT_SHARE:
            field = f.shards[0].text_field if f.shards else ""
            share = st.missing_text / st.records
            ctx.find(
                TEXT_MISSING, subject,
                {**evidence, "missing_text": st.missing_text, "text_field": field,
                 "field_names": st.field_names},
                **where, missing=st.missing_text, records=st.records, share=f"{share:.1%}",
                field=field, names=", ".join(st.field_names) or "(none seen)",
                names_zh="、".join(f"“{n}”" for n in st.field_names) or "（未见字段名）",
                severity="high" if st.missing_text == st.records else "medium",
            )  # fmt: skip
        if st.records and (st.invalid_utf8 or st.repaired):
            ctx.find(
                REPAIRED, subject,
                {**evidence, "invalid_utf8": st.invalid_utf8, "repaired": st.repaired},
                **where, invalid=st.invalid_utf8, repaired=st.repaired,
            )  # fmt: skip
