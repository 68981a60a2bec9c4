"""Manifest fields for duties the audit cannot measure in the data, only record: attestations
with their evidence (issue 13 item 8). Each maps to a requirement of REGULATION.md and is checked
by the ``attestations`` check (presence, documents present and hashed, dates and retention).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Storage(_Strict):
    """Where data is kept and its data-security flags (DOC-05: DSL Art. 21, 30-31; PIPL 38-40;
    ANN-07 for safety-annotation data)."""

    location: str = Field(description="Storage system or region, e.g. 'Alibaba Cloud cn-hangzhou'.")
    cross_border: bool = Field(description="The data leaves mainland China (or is stored abroad).")
    important_data: bool = Field(description="Classified as important data under the DSL.")
    isolated: bool | None = Field(
        default=None, description="ANN-07: kept apart from other data (safety annotations)."
    )
    assessment: str | None = Field(
        default=None, description="Cross-border security assessment or filing document (path)."
    )


class IpManagement(_Strict):
    """TC260-003 §5.2b: IP responsible person and strategy (IP-01), complaints (IP-03),
    a published summary of the IP-relevant corpus (IP-04)."""

    responsible_person: str = Field(description="Name and role of the IP responsible person.")
    appointed_on: dt.date | None = None
    strategy: str = Field(description="The IP management strategy document (path, hashed).")
    complaint_channel: str | None = Field(default=None, description="IP-03: URL or address.")
    complaint_log: str | None = Field(default=None, description="IP-03: complaints handled (path).")
    public_summary: str | None = Field(
        default=None, description="IP-04: where the IP-relevant corpus summary is published."
    )


class ImpactAssessment(_Strict):
    """PIPL Art. 55-56: personal-information protection impact assessment (PI-05)."""

    id: str
    completed_on: dt.date
    document: str = Field(description="The assessment report (path, hashed).")
    retain_until: dt.date = Field(description="Kept at least 3 years after completion.")


class BlockList(_Strict):
    """TC260-003 §5.1d: information blocked under the CSL is not used (SRC-11)."""

    list_name: str = Field(description="The block list applied (name and version).")
    checked_on: dt.date
    results: str = Field(description="Matching results: items checked, items matched (path).")


class Attestations(_Strict):
    """Duties recorded with their evidence rather than measured in the data."""

    ip_management: IpManagement | None = None
    pi_impact_assessment: ImpactAssessment | None = None
    block_list: BlockList | None = None
