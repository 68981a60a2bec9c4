"""The dossier's figures: which chart answers which question, with caption and numbers
(issue 13 item 6). Numbers come from :mod:`provenance.dossier.chart_data`; drawing from
:mod:`provenance.dossier.charts`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from provenance.dossier.charts import Chart, bars, histogram, timeline

Bi = Callable[[str, str], str]
Label = Callable[[str, object], str]
Value = Callable[[Any], Markup]


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def _period(pair: tuple[Any, ...]) -> str:
    """'start – end' (dates only), '—' when neither is known."""
    if not any(pair):
        return "—"
    return " – ".join(str(x)[:10] if x else "—" for x in pair)


def _length_rows(lengths: list[dict[str, int]], most: int = 10) -> list[list[str]]:
    """The histogram's numbers in at most ``most`` rows (neighbouring bins summed)."""
    k = max(1, -(-len(lengths) // most))
    groups = [lengths[i : i + k] for i in range(0, len(lengths), k)]
    return [[f"{g[-1]['up_to']:,}", f"{sum(r['records'] for r in g):,}"] for g in groups]


def _share(items: list[tuple[Any, float]]) -> list[tuple[Any, float]]:
    total = sum(v for _, v in items) or 1.0
    return [(k, v / total) for k, v in items]


def figures(c: dict[str, Any], bi: Bi, label: Label, v: Value) -> list[Chart]:
    """Every chart the data allows, in reading order."""
    out: list[Chart] = []
    langs = _share([(label("language", r["language"]), r["characters"]) for r in c["languages"]])
    out.append(Chart(
        "languages", bi("语言构成（按字符数；按字节计会高估中文）", "Language mix by characters (bytes would inflate Chinese)"),
        bars([(k, [s]) for k, s in langs], [""], _pct), [bi("语言", "Language"), bi("占比", "Share")],
        [[k, _pct(s)] for k, s in langs],
    ))  # fmt: skip
    origins = _share([(label("origin", r["origin"]), r["characters"]) for r in c["origins"]])
    out.append(Chart(
        "origins", bi("境内与境外数据（按字符数）", "Domestic and foreign data (by characters)"),
        bars([(k, [s]) for k, s in origins], [""], _pct), [bi("境内外", "Origin"), bi("占比", "Share")],
        [[k, _pct(s)] for k, s in origins],
    ))  # fmt: skip
    srcs = _share([(v(r["source_id"]), r["characters"]) for r in c["sources"]])
    out.append(Chart(
        "sources", bi("各来源占比（按字符数）", "Share of each source (by characters)"),
        bars([(k, [s]) for k, s in srcs], [""], _pct), [bi("来源", "Source"), bi("占比", "Share")],
        [[k, _pct(s)] for k, s in srcs],
    ))  # fmt: skip
    if c["domains"]:
        doms = _share([
            (bi("其他域名", "other domains") if r["domain"] == "*" else v(r["domain"]), r["bytes"])
            for r in c["domains"]
        ])  # fmt: skip
        out.append(Chart(
            "domains", bi("网页数据的域名构成（按文本字节数，前 10 个）", "Web domains (by text bytes, top 10)"),
            bars([(k, [s]) for k, s in doms], [""], _pct), [bi("域名", "Domain"), bi("占比", "Share")],
            [[k, _pct(s)] for k, s in doms],
        ))  # fmt: skip
    if c["collection"]:
        series = [
            bi("声明的采集期间", "declared period"),
            bi("记录中的采集时间", "times in the records"),
        ]
        rows = [
            (v(r["source_id"]), [tuple(r["declared"]), tuple(r["observed"])])
            for r in c["collection"]
        ]
        out.append(Chart(
            "collection", bi("采集时间跨度", "Collection time span"), timeline(rows, series),
            [bi("来源", "Source"), series[0], series[1]],
            [[k, _period(d), _period(o)] for k, (d, o) in rows],
        ))  # fmt: skip
    if c["lengths"]:
        unit = bi("字符", "characters")
        out.append(Chart(
            "lengths", bi("记录长度分布（对数分箱）", "Record length distribution (log bins)"),
            histogram([(r["up_to"], r["records"]) for r in c["lengths"]], unit),
            [bi("长度不超过（字符）", "Up to (characters)"), bi("记录数", "Records")],
            _length_rows(c["lengths"]),
        ))  # fmt: skip
    if c["personal_information"]:
        series = [bi("标识符（最高的一类）", "identifiers (highest type)"), bi("姓名", "names")]
        rows2 = [
            (v(r["source_id"]), [r["identifiers"], r["names"]]) for r in c["personal_information"]
        ]
        out.append(Chart(
            "personal_information", bi("含个人信息的记录比例（各来源）", "Share of records with personal information, per source"),
            bars(rows2, series, _pct), [bi("来源", "Source"), *series],
            [[k, *("—" if x is None else _pct(x) for x in xs)] for k, xs in rows2],
        ))  # fmt: skip
    if c["duplicates"]:
        series = [bi("完全重复", "exact"), bi("近似重复", "near")]
        rows3 = [(v(r["source_id"]), [r["exact"], r["near"]]) for r in c["duplicates"]]
        out.append(Chart(
            "duplicates", bi("重复记录比例（各来源）", "Duplicate rates per source"),
            bars(rows3, series, _pct), [bi("来源", "Source"), *series],
            [[k, *("—" if x is None else _pct(x) for x in xs)] for k, xs in rows3],
        ))  # fmt: skip
    return out
