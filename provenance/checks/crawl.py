"""Self-collected data: collection records (SRC-07) and robots.txt compliance (SRC-08).

Each collected URL in a source's collection log is re-evaluated against the robots.txt
snapshot archived for its host at crawl time (``<robots_dir>/<host>.txt``), with protego, for
the crawler's user agent. URLs are stored as :class:`provenance.pii.keys.Protector` leaves
them: no query string, fragment or user info, and path segments holding an identifier
(``/u/13812345678``) masked with a keyed hash; the verdict of every URL goes to ``crawl_checks``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
from protego import Protego

from provenance.checks.base import Check, CheckContext
from provenance.checks.deny import host_of
from provenance.dates import parse_utc
from provenance.findings import FindingCode
from provenance.manifest import Source
from provenance.pii.keys import Protector
from provenance.tables import Output

NO_RECORDS = FindingCode(
    "collection_records_missing",
    "SRC-07",
    "7(1)",
    "high",
    en="self-collected source '{source}' has no collection records (log of URL, time, crawler)",
    zh="自采来源“{source}”缺少采集记录（网址、时间、采集工具）",
)
LOG_UNUSABLE = FindingCode(
    "collection_log_unusable",
    "SRC-07",
    "7(1)",
    "high",
    en="self-collected source '{source}': collection log cannot be used ({error})",
    zh="自采来源“{source}”：采集记录无法使用（{error}）",
)
INCOMPLETE = FindingCode(
    "collection_records_incomplete",
    "SRC-07",
    "7(1)",
    "medium",
    en="self-collected source '{source}': {count} of {total} collection records lack {fields}",
    zh="自采来源“{source}”：{total} 条采集记录中有 {count} 条缺少“{fields}”",
)
NO_CRAWLER = FindingCode(
    "crawler_unnamed",
    "SRC-07",
    "7(1)",
    "medium",
    en="self-collected source '{source}' names no crawler or user agent, per record or in collection.crawler",
    zh="自采来源“{source}”未注明采集工具或用户代理（逐条记录或“collection.crawler”）",
)
AFTER_TRAINING = FindingCode(
    "collected_after_training",
    "SRC-07",
    "7(1)",
    "medium",
    en="self-collected source '{source}': {count} record(s) are dated after the training date {training}",
    zh="自采来源“{source}”：{count} 条记录的采集时间晚于训练日期 {training}",
)
OUTSIDE_PERIOD = FindingCode(
    "collected_outside_period",
    "SRC-07",
    "7(1)",
    "low",
    en="self-collected source '{source}': {count} record(s) fall outside the declared collection period",
    zh="自采来源“{source}”：{count} 条记录不在声明的采集期间内",
)
DISALLOWED = FindingCode(
    "robots_disallowed",
    "SRC-08",
    "7(1)",
    "high",
    en="self-collected source '{source}': {count} of {total} URLs were disallowed by the archived robots.txt for the crawler",
    zh="自采来源“{source}”：{total} 个网址中有 {count} 个被存档的 robots.txt 禁止该采集工具抓取",
)
NO_SNAPSHOT = FindingCode(
    "robots_snapshot_missing",
    "SRC-08",
    "7(1)",
    "medium",
    en="self-collected source '{source}': no archived robots.txt for {hosts} host(s) ({urls} URLs); compliance cannot be shown",
    zh="自采来源“{source}”：{hosts} 个主机（{urls} 个网址）没有存档的 robots.txt，无法证明遵守抓取限制",
)
ALL_ALLOWED = FindingCode(
    "robots_all_allowed",
    "SRC-08",
    "7(1)",
    "info",
    en="self-collected source '{source}': all {total} URLs allowed by the archived robots.txt",
    zh="自采来源“{source}”：全部 {total} 个网址均为存档的 robots.txt 所允许",
)


class CrawlCompliance(Check):
    """Collection records present and complete; every URL allowed by its host's robots.txt."""

    name: ClassVar[str] = "crawl_compliance"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-06", "SRC-07", "SRC-08")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        NO_RECORDS,
        LOG_UNUSABLE,
        INCOMPLETE,
        NO_CRAWLER,
        AFTER_TRAINING,
        OUTSIDE_PERIOD,
        DISALLOWED,
        NO_SNAPSHOT,
        ALL_ALLOWED,
    )
    writes: ClassVar[tuple[Output, ...]] = (Output("crawl_checks"),)

    def check(self, ctx: CheckContext) -> None:
        for _, src in ctx.lm.manifest.sources():
            if src.source_type == "self_collected" or src.is_pointer_dataset:
                self._source(ctx, src)

    def _source(self, ctx: CheckContext, src: Source) -> None:
        subject = ("source", src.id)
        col = src.collection
        if col is None or not col.log:
            ctx.find(NO_RECORDS, subject, source=src.id)
            return
        rows, malformed, error = ctx.records(col.log)
        if error or not rows:
            ctx.find(
                LOG_UNUSABLE,
                subject,
                {"path": col.log, "malformed_lines": malformed},
                source=src.id,
                error=error or "no rows",
            )
            return
        lacking: Counter[str] = Counter()
        late = outside = 0
        training = ctx.lm.manifest.service.training_date
        period = src.collection_period
        for r in rows:
            for f in ("url", "fetched_at"):
                if not r.get(f):
                    lacking[f] += 1
            t = parse_utc(r.get("fetched_at"))
            if r.get("fetched_at") and t is None:
                lacking["fetched_at (ISO 8601)"] += 1
            if t and training and t.date() > training:
                late += 1
            if t and period and not (period.start <= t.date() <= period.end):
                outside += 1
        if lacking:
            ctx.find(
                INCOMPLETE,
                subject,
                dict(lacking),
                source=src.id,
                count=max(lacking.values()),
                total=len(rows),
                fields=", ".join(sorted(lacking)),
            )
        if not col.crawler and not col.user_agent and not all(r.get("user_agent") for r in rows):
            ctx.find(NO_CRAWLER, subject, source=src.id)
        if late:
            ctx.find(
                AFTER_TRAINING,
                subject,
                {"records": late},
                source=src.id,
                count=late,
                training=training,
            )
        if outside:
            ctx.find(OUTSIDE_PERIOD, subject, {"records": outside}, source=src.id, count=outside)
        self._robots(ctx, src, rows)

    def _robots(self, ctx: CheckContext, src: Source, rows: list[dict[str, object]]) -> None:
        col = src.collection
        assert col is not None
        robots_dir = ctx.resolve(col.robots_dir) if col.robots_dir else None
        parsers: dict[str, tuple[Protego, str] | None] = {}
        verdicts: Counter[str] = Counter()
        disallowed: list[str] = []
        missing_hosts: Counter[str] = Counter()
        default_ua = col.user_agent or col.crawler or "*"
        raw = [str(r.get("url") or "") for r in rows]
        stored = Protector().urls(pa.array(raw, pa.string())).to_pylist()
        for r, url, shown in zip(rows, raw, stored, strict=True):
            host = host_of(url)
            ua = str(r.get("user_agent") or default_ua)
            verdict, digest = _verdict(parsers, robots_dir, host, url, ua)
            if verdict == "no_snapshot":
                missing_hosts[host or ""] += 1
            elif verdict == "disallowed":
                disallowed.append(shown)
            verdicts[verdict] += 1
            ctx.row(
                "crawl_checks",
                source_id=src.id,
                url=shown,
                host=host,
                fetched_at=str(r.get("fetched_at") or "") or None,
                user_agent=ua,
                verdict=verdict,
                robots_sha256=digest,
            )
        subject = ("source", src.id)
        total = len(rows)
        if disallowed:
            ctx.find(
                DISALLOWED,
                subject,
                {"disallowed": len(disallowed), "urls": disallowed[:50], "user_agent": default_ua},
                source=src.id,
                count=len(disallowed),
                total=total,
            )
        if missing_hosts:
            ctx.find(
                NO_SNAPSHOT,
                subject,
                {"hosts": sorted(missing_hosts)[:100]},
                source=src.id,
                hosts=len(missing_hosts),
                urls=sum(missing_hosts.values()),
            )
        if not disallowed and not missing_hosts and verdicts["allowed"]:
            ctx.find(ALL_ALLOWED, subject, {"urls": total}, source=src.id, total=total)


def _verdict(
    parsers: dict[str, tuple[Protego, str] | None],
    robots_dir: Path | None,
    host: str | None,
    url: str,
    user_agent: str,
) -> tuple[str, str | None]:
    """(verdict, robots.txt SHA-256) of one URL; each host's snapshot is parsed once."""
    if not host:
        return "invalid_url", None
    if host not in parsers:
        parsers[host] = _load_robots(robots_dir, host)
    parsed = parsers[host]
    if parsed is None:
        return "no_snapshot", None
    robots, digest = parsed
    return ("allowed" if robots.can_fetch(url, user_agent) else "disallowed"), digest


def _load_robots(robots_dir: Path | None, host: str) -> tuple[Protego, str] | None:
    """Parse ``<robots_dir>/<host>.txt``; None when there is no snapshot for the host."""
    if robots_dir is None:
        return None
    path = robots_dir / f"{host}.txt"
    if not path.is_file():
        return None
    data = path.read_bytes()
    return Protego.parse(data.decode("utf-8", errors="replace")), hashlib.sha256(data).hexdigest()
