"""Is a returned review sheet the sample the tool drew, from this corpus, reviewed in full?

The header block names the draw (scope, seed, n, strata, method); the draw is recomputed from
the run being audited (:func:`provenance.review.draw.draw`, no data read) and the sheet's rows
are matched against it:

* the recomputed sample's fingerprint differs from the header's → the corpus changed since the
  draw (the sheet reviews other data);
* same corpus, but the header's sample id or item digest differ from the recomputation → the
  header was edited;
* a header whose sample id is not the digest of its own fields, whose seed is not the one the
  manifest declares, or which was removed from items the tool drew → the sheet was altered;
* rows whose item id is not in the sample, appears twice, or points at another file, line or
  source than the drawn item, and drawn items missing from the sheet (dropping the failures
  would otherwise pass a failing review) → the sheet was altered;
* drawn items whose row has no verdict → the review is incomplete (skipped items bias the rate).

A sheet with no header block (made by hand) cannot be shown random or from this corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from provenance.review.draw import (
    METHOD,
    Draw,
    DrawError,
    HeaderError,
    Query,
    draw,
    sample_id,
    spec_of,
)

#: item ids shown in a finding (the counts are always complete)
SHOWN = 5


@dataclass
class Verification:
    """The outcome for one sheet; ``problem`` is None when it verifies."""

    sample_id: str | None = None
    scope: str = ""
    problem: str | None = None  # not_drawn, unverifiable, corpus_changed, tampered
    detail: str = ""
    detail_zh: str = ""
    unknown: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unreviewed: int = 0
    n: int = 0
    population: int = 0
    #: item id → source of the drawn item (for per-source failure rates)
    sources: dict[str, str] = field(default_factory=dict)

    def evidence(self) -> dict[str, Any]:
        """Counts and the first few item ids (ids, never text)."""
        return {
            "sample_id": self.sample_id,
            "scope": self.scope,
            "n": self.n,
            "population": self.population,
            "unknown": len(self.unknown),
            "duplicated": len(self.duplicated),
            "moved": len(self.moved),
            "dropped": len(self.dropped),
            "unreviewed": self.unreviewed,
            "examples": (self.unknown + self.duplicated + self.moved)[:SHOWN],
        }


#: an item id as the tool writes it: the sample id and the ordinal
_ITEM_ID = re.compile(r"^S-[0-9a-f]{12}-\d+$")


def _scope_zh(label: str) -> str:
    """``source zh-web`` → 来源“zh-web”; ``corpus`` → 语料."""
    kind, _, sid = label.partition(" ")
    names = {"source": "来源", "dataset": "数据集", "corpus": "语料"}
    return names.get(kind, kind) + (f"“{sid}”" if sid else "")


def _tampered(v: Verification, en: str, zh: str) -> Verification:
    v.problem, v.detail, v.detail_zh = "tampered", en, zh
    return v


def _header_problem(v: Verification, header: dict[str, str], seed: int | None) -> bool:
    """A header that does not describe itself (its sample id is a digest of its own fields),
    or whose seed is not the one the manifest declares: edited after the draw."""
    try:
        spec = spec_of(header)
    except HeaderError as exc:
        _tampered(v, str(exc), "表头信息不完整或被改动")
        return True
    own = sample_id(spec, int(header.get("n") or 0), header.get("fingerprint", ""))
    if own != header.get("sample_id"):
        _tampered(v, "the header block was edited after the draw", "表头信息在抽样后被改动")
        return True
    if seed is not None and seed != spec.seed:
        _tampered(
            v,
            f"the manifest declares seed {seed}, the sheet was drawn with seed {spec.seed}",
            f"清单声明的随机种子为 {seed}，样本却以 {spec.seed} 抽取",
        )
        return True
    return False


def verify(
    query: Query,
    header: dict[str, str],
    rows: list[dict[str, Any]],
    paths: dict[str, str],
    expected_scope: str | None = None,
    seed: int | None = None,
) -> Verification:
    """Check a sheet (header block and rows) against the sample recomputed from the run that
    ``query`` reads; ``paths`` maps file ids to ``root/relpath`` as the sheet writes them;
    ``expected_scope`` (``source zh-web``, ``corpus``) is what the manifest uses the sheet for,
    ``seed`` the seed the manifest declares for it."""
    v = Verification(sample_id=header.get("sample_id"), scope=header.get("scope", ""))
    seen = Counter(str(r.get("sample_item", "")) for r in rows)
    v.duplicated = sorted(i for i, c in seen.items() if c > 1)
    if not header:
        if any(_ITEM_ID.match(i) for i in seen):
            return _tampered(
                v,
                "the tool drew these items, but the header block was removed",
                "样本条目由本工具抽取，但表头信息被删除",
            )
        v.problem = "not_drawn"
        return v
    if header.get("method") != METHOD:
        v.problem, v.detail = "unverifiable", f"unknown draw method {header.get('method')!r}"
        v.detail_zh = f"抽样方法“{header.get('method')}”无法识别"
        return v
    if _header_problem(v, header, seed):
        return v
    try:
        d: Draw = draw(query, spec_of(header))
    except DrawError as exc:
        v.problem, v.detail = "unverifiable", str(exc)
        v.detail_zh = "本次审计没有可用于重算样本的记录（需启用 minhash 扫描器的记录哈希）"
        return v
    v.n, v.population = d.n, d.population
    if d.fingerprint != header.get("fingerprint"):
        v.problem = "corpus_changed"
        then = header.get("population")
        if then == str(d.population):
            v.detail = f"the same {d.population} records, but their text changed since the draw"
            v.detail_zh = f"记录数同为 {d.population} 条，但内容在抽样后有改动"
        else:
            v.detail = f"population {then} then, {d.population} now"
            v.detail_zh = f"抽样时总体 {then} 条，现为 {d.population} 条"
        return v
    if d.items_digest != header.get("items_digest") or header.get("population") != str(
        d.population
    ):
        return _tampered(
            v,
            "the header block does not describe the drawn sample",
            "表头信息与按其参数重算的样本不一致",
        )
    if expected_scope is not None and d.spec.label() != expected_scope:
        return _tampered(
            v,
            f"drawn from the {d.spec.label()}, not the {expected_scope}",
            f"样本抽自{_scope_zh(d.spec.label())}，而非{_scope_zh(expected_scope)}",
        )
    return _match_rows(v, d, rows, paths, seen)


def _match_rows(
    v: Verification,
    d: Draw,
    rows: list[dict[str, Any]],
    paths: dict[str, str],
    seen: Counter[str],
) -> Verification:
    """Every row a drawn item, once, where it was drawn; every drawn item a row."""
    drawn = {it.item_id: it for it in d.items}
    v.sources = {it.item_id: it.source_id for it in d.items}
    v.unknown = sorted(i for i in seen if i not in drawn)
    v.dropped = sorted(i for i in drawn if i not in seen)
    for r in rows:
        it = drawn.get(str(r.get("sample_item", "")))
        if it is None:
            continue
        # columns a reviewer deleted are not compared; edited ones are
        expected = {
            "file": paths.get(it.file_id),
            "record_index": str(it.record_index),
            "source": it.source_id,
        }
        if any(r.get(k) not in (None, "") and str(r[k]) != want for k, want in expected.items()):
            v.moved.append(it.item_id)
    reviewed = {str(r.get("sample_item")) for r in rows if r.get("verdict")}
    v.unreviewed = sum(1 for i in drawn if i not in reviewed and i in seen)
    if v.unknown or v.duplicated or v.moved or v.dropped:
        v.problem = "tampered"
        v.detail = (
            f"{len(v.unknown)} id(s) not in the sample, {len(v.duplicated)} repeated, "
            f"{len(v.moved)} pointing at another record, {len(v.dropped)} drawn item(s) "
            "missing from the sheet"
        )
        v.detail_zh = (
            f"{len(v.unknown)} 个编号不在样本中，{len(v.duplicated)} 个重复，"
            f"{len(v.moved)} 个指向其他记录，{len(v.dropped)} 个抽中条目不在表中"
        )
    return v
