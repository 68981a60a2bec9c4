"""Rights notices per source: rates into ``stats`` and the open-source-with-reservations finding.

A part of the ``licenses`` check (it needs the declared licences and the licence policy): the
``rights_notices`` scanner counts notices per shard; this reducer sums them per source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from provenance.checks.base import CheckContext
from provenance.checks.license_text import OPEN_CATEGORIES
from provenance.licenses import LicenseVerdict
from provenance.manifest import Source


class RightsNoticeRates:
    """Mixin of :class:`provenance.checks.licenses.Licenses`."""

    settings: Any

    if TYPE_CHECKING:  # provided by Licenses; declared here for the type checker only

        def _emit(
            self,
            ctx: CheckContext,
            code: str,
            subject_kind: str,
            subject: str,
            evidence: dict[str, Any],
            **values: Any,
        ) -> None: ...

    def _rights_notices(
        self, ctx: CheckContext, sources: dict[str, Source], declared: dict[str, LicenseVerdict]
    ) -> None:
        cfg = self.settings
        rows = ctx.sql(
            """SELECT source_id, kind, sum(records_with), sum(records_scanned), sum(hits)
               FROM run_rights_notice_counts GROUP BY ALL ORDER BY ALL""",
            [],
        )
        for sid, kind, with_, scanned, hits in rows:
            rate = (with_ / scanned) if scanned else 0.0
            ctx.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="rights_notice_rate",
                key=kind,
                value=rate,
            )
            ctx.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="rights_notice_records",
                key=kind,
                value=float(with_),
            )
            ctx.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="rights_notice_hits",
                key=kind,
                value=float(hits),
            )
            v = declared.get(sid)
            is_open = sources[sid].source_type in ("open_source", "public_data") or (
                v is not None and v.category in OPEN_CATEGORIES
            )
            if (
                kind == "any_reservation"
                and is_open
                and scanned >= cfg.min_records
                and rate > cfg.reservation_rate
            ):
                self._emit(
                    ctx,
                    "rights_reserved_in_open_source",
                    "source",
                    sid,
                    {"records_with_reservations": with_, "records": scanned, "rate": rate},
                    spdx=(v.spdx if v and v.spdx else sources[sid].license or "open"),
                    rate=rate,
                    count=with_,
                    total=scanned,
                )
