"""EU AI Act Art. 53(1)(d) summary: kept current (EU-01), identifies provider and model
(EU-02), and lists the large public datasets (EU-04).

The summary itself is built from the run by :mod:`provenance.dossier.eu`; this check says what
it cannot fill or what makes it out of date. "Large" follows the AI Office template: a public
dataset above ``large_share`` (default 3%) of the training data of its modality, by tokens;
the template's cut-off is from practitioner reading, so it is a setting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode
from provenance.tables import Output

#: EU and EEA member states (ISO 3166-1 alpha-2): a provider elsewhere needs a representative
EEA = set(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)


class EuSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    large_share: float = Field(
        0.03, gt=0, le=1, description="A public dataset above this share of its modality is listed."
    )
    max_age_days: int = Field(183, ge=1, description="EU-01: republish at least this often.")


STALE = FindingCode(
    "eu_summary_stale",
    "EU-01",
    "19",
    "medium",
    en="the EU training-content summary was last published on {published}, {days} days ago; republish it at least every {limit} days",
    zh="欧盟训练内容摘要最近发布于 {published}，已过 {days} 天；至少每 {limit} 天应重新发布",
)
NOT_PUBLISHED = FindingCode(
    "eu_summary_unpublished",
    "EU-01",
    "19",
    "low",
    en="the model is on the Union market since {market} but no publication date of its training-content summary is recorded (eu_summary.last_published)",
    zh="模型自 {market} 起投放欧盟市场，但未记录其训练内容摘要的发布日期（“eu_summary.last_published”）",
)
MISSING = FindingCode(
    "eu_summary_field_missing",
    "EU-02",
    "19",
    "low",
    en="the EU training-content summary cannot fill {field_en}: add {path} to the manifest",
    zh="欧盟训练内容摘要无法填写{field_zh}：请在清单中补充“{path}”",
)
UNNAMED = FindingCode(
    "eu_large_dataset_unnamed",
    "EU-04",
    "19",
    "medium",
    en="public dataset source '{source}' is {share:.1%} of the {modality} training data, so the summary must list it, but it has no name or URL",
    zh="公开数据集来源“{source}”占{modality}训练数据的 {share:.1%}，摘要须列出，但其未声明名称或网址",
)
#: (field, manifest path, en, zh) the summary needs from the manifest (EU-02)
FIELDS = (
    ("model_name", "eu_summary.model_name", "§1.2 the model name", "§1.2 模型名称"),
    ("model_version", "eu_summary.model_version", "§1.2 the model version", "§1.2 模型版本"),
    ("market_date", "eu_summary.market_date", "§1.2 the market date", "§1.2 投放市场日期"),
    (
        "continuous_training",
        "eu_summary.continuous_training",
        "§1.3 whether training continues",
        "§1.3 是否持续训练",
    ),
)
SHARES_SQL = """
    SELECT s.source_id, s.name, s.url, d.modality, coalesce(sum(p.value), 0) AS tokens,
           s.source_type IN ('open_source', 'public_data') AS public
    FROM run_sources s JOIN run_datasets d USING (dataset_id)
    LEFT JOIN run_stat_parts p ON p.source_id = s.source_id AND p.metric = 'tokens_est'
    GROUP BY ALL ORDER BY s.source_id
"""


def large_public(
    rows: list[tuple[Any, ...]],
) -> list[tuple[str, str | None, str | None, str, float]]:
    """(source, name, url, modality, share) of public sources, largest first, from SHARES_SQL
    rows; share of the source's modality by tokens."""
    totals: dict[str, float] = {}
    for _, _, _, modality, tokens, _ in rows:
        totals[modality] = totals.get(modality, 0.0) + float(tokens)
    out = [
        (sid, name, url, modality, float(tokens) / totals[modality])
        for sid, name, url, modality, tokens, public in rows
        if public and totals[modality] > 0
    ]
    return sorted(out, key=lambda r: -r[4])


class EuSummaryCheck(Check):
    """EU-01 staleness, EU-02 fields, EU-04 large public datasets."""

    name: ClassVar[str] = "eu_summary"
    requirements: ClassVar[tuple[str, ...]] = ("EU-01", "EU-02", "EU-04")
    Settings: ClassVar[type[BaseModel]] = EuSettings
    codes: ClassVar[tuple[FindingCode, ...]] = (STALE, NOT_PUBLISHED, MISSING, UNNAMED)
    needs: ClassVar[tuple[str, ...]] = ("sources", "datasets", "stat_parts")
    writes: ClassVar[tuple[Output, ...]] = ()

    def check(self, ctx: CheckContext) -> None:
        cfg: EuSettings = self.settings  # type: ignore[assignment]
        m = ctx.lm.manifest
        eu = m.eu_summary
        run = ("run", "eu_summary")
        for field, path, en, zh in FIELDS:
            if eu is None or getattr(eu, field) is None:
                ctx.find(MISSING, run, key=field, field_en=en, field_zh=zh, path=path)
        abroad = (m.provider.country or "").upper() not in EEA
        if abroad and (eu is None or eu.authorised_representative is None):
            ctx.find(
                MISSING,
                run,
                key="authorised_representative",
                field_en="§1.1 the authorised representative (provider outside the EU)",
                field_zh="§1.1 欧盟授权代表（提供者位于欧盟以外）",
                path="eu_summary.authorised_representative",
            )
        today = dt.date.today()
        if eu is not None and eu.last_published is not None:
            days = (today - eu.last_published).days
            if days > cfg.max_age_days:
                published = eu.last_published.isoformat()
                ctx.find(STALE, run, published=published, days=days, limit=cfg.max_age_days)
        elif eu is not None and eu.market_date is not None and eu.market_date <= today:
            ctx.find(NOT_PUBLISHED, run, market=eu.market_date.isoformat())
        rows = ctx.sql(SHARES_SQL, [])
        for sid, name, url, modality, share in large_public(rows):
            if share > cfg.large_share and not (name or url):
                ctx.find(
                    UNNAMED,
                    ("source", sid),
                    source=sid,
                    share=share,
                    modality=modality,
                )
