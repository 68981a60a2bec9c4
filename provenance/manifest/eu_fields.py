"""Manifest fields only the EU AI Act Art. 53(1)(d) summary asks for (issue 13 item 5).

The AI Office's template (July 2025) wants the provider's authorised representative, the
versioned model name and its dependencies, the date the model was placed on the Union market,
whether training continues, the crawlers' purposes, and a date of publication so the summary
can be kept current (EU-01: republish at least every six months). Everything else in the
summary comes from the rest of the manifest and from the audit.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Contact(_Strict):
    """A person or organisation and how to reach it."""

    name: str
    contact: str | None = Field(default=None, description="Address, e-mail or web form.")


class EuSummary(_Strict):
    """EU AI Act public summary of training content: what no other manifest field says."""

    model_name: str | None = Field(default=None, description="§1.2 the model's name.")
    model_version: str | None = Field(default=None, description="§1.2 the model's version.")
    model_dependencies: list[str] = Field(
        default=[],
        description="§1.2 models this one was fine-tuned from, with a link to their summaries.",
    )
    market_date: dt.date | None = Field(
        default=None, description="§1.2 date of placement on the Union market."
    )
    authorised_representative: Contact | None = Field(
        default=None, description="§1.1 required when the provider is established outside the EU."
    )
    continuous_training: bool | None = Field(
        default=None, description="§1.3 whether the model keeps being trained on new data."
    )
    crawler_purposes: str | None = Field(
        default=None, description="§2.3 what the crawlers collect data for."
    )
    other_sources: str | None = Field(
        default=None, description="§2.6 sources of data not covered by §2.1-2.5."
    )
    other_information: str | None = Field(default=None, description="§3.3 optional.")
    last_published: dt.date | None = Field(
        default=None, description="EU-01: when the current public summary was published."
    )
