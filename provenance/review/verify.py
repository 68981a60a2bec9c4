"""Is a returned review sheet the sample the tool drew, from this corpus, reviewed in full?

The header block names the draw (scope, seed, n, strata, method); the draw is recomputed from
the run being audited (:func:`provenance.review.draw.draw`, no data read) and the sheet's rows
are matched against it:

* the recomputed sample's fingerprint differs from the header's → the corpus changed since the
  draw (the sheet reviews other data);
* same corpus, but the header's sample id or item digest differ from the recomputation → the
  header was edited;
* rows whose item id is not in the sample, appears twice, or points at another file or line
  than the drawn item → the sheet was altered (items added, swapped or copied);
* sampled items without a verdict → the review is incomplete (skipped items bias the rate).

A sheet with no header block (made by hand) cannot be shown random or from this corpus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from provenance.review.draw import METHOD, Draw, DrawError, HeaderError, Query, draw, spec_of

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
            "unreviewed": self.unreviewed,
            "examples": (self.unknown + self.duplicated + self.moved)[:SHOWN],
        }


def verify(
    query: Query,
    header: dict[str, str],
    rows: list[dict[str, Any]],
    paths: dict[str, str],
    expected_scope: str | None = None,
) -> Verification:
    """Check a sheet (header block and rows) against the sample recomputed from the run that
    ``query`` reads; ``paths`` maps file ids to ``root/relpath`` as the sheet writes them;
    ``expected_scope`` (``source zh-web``) is what the manifest uses the sheet for."""
    v = Verification(sample_id=header.get("sample_id"), scope=header.get("scope", ""))
    seen = Counter(str(r.get("sample_item", "")) for r in rows)
    v.duplicated = sorted(i for i, c in seen.items() if c > 1)
    if not header:
        v.problem = "not_drawn"
        return v
    if header.get("method") != METHOD:
        v.problem, v.detail = "unverifiable", f"unknown draw method {header.get('method')!r}"
        v.detail_zh = f"抽样方法“{header.get('method')}”无法识别"
        return v
    try:
        d: Draw = draw(query, spec_of(header))
    except HeaderError as exc:
        v.problem, v.detail = "tampered", str(exc)
        v.detail_zh = "表头信息不完整或被改动"
        return v
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
    if d.sample_id != header.get("sample_id") or d.items_digest != header.get("items_digest"):
        v.problem, v.detail = "tampered", "the header block does not describe the drawn sample"
        v.detail_zh = "表头信息与按其参数重算的样本不一致"
        return v
    if expected_scope is not None and d.spec.label() != expected_scope:
        v.problem, v.detail = "tampered", f"drawn from the {d.spec.label()}, not {expected_scope}"
        v.detail_zh = f"样本抽自“{d.spec.label()}”，而非“{expected_scope}”"
        return v
    drawn = {it.item_id: it for it in d.items}
    v.sources = {it.item_id: it.source_id for it in d.items}
    v.unknown = sorted(i for i in seen if i not in drawn)
    for r in rows:
        it = drawn.get(str(r.get("sample_item", "")))
        if it is None:
            continue
        where = (str(r.get("file", paths.get(it.file_id))), str(r.get("record_index", "")))
        if where != (paths.get(it.file_id), str(it.record_index)):
            v.moved.append(it.item_id)
    reviewed = {str(r.get("sample_item")) for r in rows if r.get("verdict")}
    v.unreviewed = sum(1 for i in drawn if i not in reviewed)
    if v.unknown or v.duplicated or v.moved:
        v.problem = "tampered"
        v.detail = (
            f"{len(v.unknown)} id(s) not in the sample, {len(v.duplicated)} repeated, "
            f"{len(v.moved)} pointing at another record"
        )
        v.detail_zh = (
            f"{len(v.unknown)} 个编号不在样本中，{len(v.duplicated)} 个重复，"
            f"{len(v.moved)} 个指向其他记录"
        )
    return v
