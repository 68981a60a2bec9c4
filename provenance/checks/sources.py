"""Source legitimacy by source type (Art. 7(1); TC260-003 §5.1c).

* SRC-05 open-source corpora carry a licence and the licence document;
* SRC-09 commercial corpora carry a contract whose validity covers the collection period;
* SRC-10 user inputs carry authorisation records; withdrawn consents are counted;
* EU-07 synthetic data names the model that generated it.
"""

from __future__ import annotations

from typing import ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.dates import parse_date
from provenance.findings import FindingCode
from provenance.manifest import Source

NO_LICENSE = FindingCode(
    "open_source_without_license",
    "SRC-05",
    "7(2)",
    "high",
    en="open-source source '{source}' declares no licence; hold the open-source licence or authorisation",
    zh="开源来源“{source}”未声明许可证；应持有开源许可协议或相关授权文件",
)
NO_LICENSE_DOC = FindingCode(
    "license_document_missing",
    "SRC-05",
    "7(2)",
    "medium",
    en="open-source source '{source}' (licence '{license}') has no licence document among its evidence",
    zh="开源来源“{source}”（许可证“{license}”）的证明材料中没有许可证文本",
)
NO_CONTRACT = FindingCode(
    "commercial_without_contract",
    "SRC-09",
    "7(1)",
    "high",
    en="commercial source '{source}' declares no contract; a valid transaction contract or cooperation agreement is required",
    zh="商业来源“{source}”未声明合同；应具备有法律效力的交易合同或合作协议",
)
NO_CONTRACT_DOC = FindingCode(
    "contract_document_missing",
    "SRC-09",
    "7(1)",
    "medium",
    en="commercial source '{source}': contract '{contract}' names no signed document",
    zh="商业来源“{source}”：合同“{contract}”未提供签署文本",
)
NO_PERIOD = FindingCode(
    "collection_period_missing",
    "SRC-09",
    "7(1)",
    "medium",
    en="commercial source '{source}' declares no collection period; the contract's cover cannot be shown",
    zh="商业来源“{source}”未声明采集期间，无法证明合同有效期覆盖采集",
)
PERIOD_GAP = FindingCode(
    "contract_period_gap",
    "SRC-09",
    "7(1)",
    "high",
    en="commercial source '{source}': collection {start} – {end} falls outside contract '{contract}' validity {valid_from} – {valid_until}",
    zh="商业来源“{source}”：采集期间 {start} 至 {end} 超出合同“{contract}”有效期 {valid_from} 至 {valid_until}",
)
EXPIRES = FindingCode(
    "contract_expires_before_training",
    "SRC-09",
    "7(1)",
    "medium",
    en="commercial source '{source}': contract '{contract}' expires {valid_until}, before training on {training}",
    zh="商业来源“{source}”：合同“{contract}”于 {valid_until} 到期，早于训练日期 {training}",
)
NO_AUTH = FindingCode(
    "user_input_without_authorization",
    "SRC-10",
    "7(3)",
    "high",
    en="user-input source '{source}' has no authorisation records; user inputs used for training need user authorisation",
    zh="用户输入来源“{source}”缺少授权记录；将用户输入用作训练语料须取得用户授权",
)
AUTH_UNREADABLE = FindingCode(
    "authorization_unusable",
    "SRC-10",
    "7(3)",
    "high",
    en="user-input source '{source}': authorisation records cannot be used ({error})",
    zh="用户输入来源“{source}”：授权记录无法使用（{error}）",
)
AUTH_FIELDS = FindingCode(
    "authorization_fields_missing",
    "SRC-10",
    "7(3)",
    "high",
    en="user-input source '{source}': authorisation records lack field(s) {fields}; each row needs user_id, consent_id, consented_at",
    zh="用户输入来源“{source}”：授权记录缺少字段“{fields}”；每行须含“user_id”“consent_id”“consented_at”",
)
WITHDRAWN = FindingCode(
    "consent_withdrawn",
    "SRC-10",
    "7(3)",
    "medium",
    en="user-input source '{source}': {count} of {total} users withdrew consent before training; their inputs must be excluded",
    zh="用户输入来源“{source}”：{total} 名用户中有 {count} 名在训练前撤回授权，其输入须被排除",
)
NO_GENERATOR = FindingCode(
    "synthetic_without_generator",
    "EU-07",
    "7(1)",
    "medium",
    en="synthetic source '{source}' does not name the model that generated it",
    zh="合成数据来源“{source}”未注明生成该数据的模型",
)


class SourceLegitimacy(Check):
    """Per-source-type evidence of lawful origin."""

    name: ClassVar[str] = "source_legitimacy"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-05", "SRC-09", "SRC-10", "EU-07")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        NO_LICENSE,
        NO_CONTRACT,
        NO_CONTRACT_DOC,
        NO_PERIOD,
        EXPIRES,
        NO_AUTH,
        AUTH_UNREADABLE,
        AUTH_FIELDS,
        WITHDRAWN,
        NO_LICENSE_DOC,
        PERIOD_GAP,
        NO_GENERATOR,
    )

    def check(self, ctx: CheckContext) -> None:
        for _, src in ctx.lm.manifest.sources():
            if src.source_type == "open_source":
                self._open_source(ctx, src)
            elif src.source_type == "commercial":
                self._commercial(ctx, src)
            elif src.source_type == "user_input":
                self._user_input(ctx, src)
            elif src.source_type == "synthetic" and src.generator_model is None:
                ctx.find(NO_GENERATOR, ("source", src.id), source=src.id)

    def _open_source(self, ctx: CheckContext, src: Source) -> None:
        subject = ("source", src.id)
        if not src.license:
            ctx.find(NO_LICENSE, subject, source=src.id)
        elif not any(e.kind == "license" for e in src.evidence):
            ctx.find(
                NO_LICENSE_DOC,
                subject,
                {"license": src.license},
                source=src.id,
                license=src.license,
            )

    def _commercial(self, ctx: CheckContext, src: Source) -> None:
        subject = ("source", src.id)
        c = src.contract
        if c is None:
            ctx.find(NO_CONTRACT, subject, source=src.id)
            return
        if not c.document:
            ctx.find(NO_CONTRACT_DOC, subject, {"contract": c.id}, source=src.id, contract=c.id)
        period = src.collection_period
        until = c.valid_until.isoformat() if c.valid_until else "open-ended"
        if period is None:
            ctx.find(NO_PERIOD, subject, source=src.id)
        elif period.start < c.valid_from or (
            c.valid_until is not None and period.end > c.valid_until
        ):
            ctx.find(
                PERIOD_GAP,
                subject,
                {
                    "contract": c.id,
                    "collection": [str(period.start), str(period.end)],
                    "validity": [str(c.valid_from), until],
                },
                source=src.id,
                contract=c.id,
                start=period.start,
                end=period.end,
                valid_from=c.valid_from,
                valid_until=until,
            )
        training = ctx.lm.manifest.service.training_date
        if training and c.valid_until and c.valid_until < training:
            ctx.find(
                EXPIRES,
                subject,
                {"contract": c.id},
                source=src.id,
                contract=c.id,
                valid_until=c.valid_until,
                training=training,
            )

    def _user_input(self, ctx: CheckContext, src: Source) -> None:
        subject = ("source", src.id)
        if src.authorization is None:
            ctx.find(NO_AUTH, subject, source=src.id)
            return
        rows, _malformed, error = ctx.records(src.authorization.records)
        if error or not rows:
            ctx.find(
                AUTH_UNREADABLE,
                subject,
                {"path": src.authorization.records},
                source=src.id,
                error=error or "no rows",
            )
            return
        required = ("user_id", "consent_id", "consented_at")
        lacking = sorted({f for r in rows for f in required if not r.get(f)})
        if lacking:
            ctx.find(
                AUTH_FIELDS, subject, {"fields": lacking}, source=src.id, fields=", ".join(lacking)
            )
        cutoff = ctx.today
        users = {str(r.get("user_id")) for r in rows if r.get("user_id")}
        withdrawn = {
            str(r.get("user_id"))
            for r in rows
            if (w := parse_date(r.get("withdrawn_at"))) is not None and w <= cutoff
        }
        if withdrawn:
            ctx.find(
                WITHDRAWN,
                subject,
                {"withdrawn_users": len(withdrawn), "users": len(users)},
                source=src.id,
                count=len(withdrawn),
                total=len(users),
            )
