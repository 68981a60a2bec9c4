"""Registry of run-level checks, by name."""

from __future__ import annotations

from provenance.checks.annotation import AnnotationCheck
from provenance.checks.assessment import Assessment
from provenance.checks.attestations import Attestations
from provenance.checks.base import Check, CheckContext, CheckOutput
from provenance.checks.content import ContentFilteringCheck
from provenance.checks.coverage import SourceCoverage
from provenance.checks.crawl import CrawlCompliance
from provenance.checks.deny import DenyList
from provenance.checks.diversity import Diversity
from provenance.checks.duplicates import Duplicates
from provenance.checks.eu import EuSummaryCheck
from provenance.checks.evidence import EvidenceFiles
from provenance.checks.licenses import Licenses
from provenance.checks.models import FoundationModels
from provenance.checks.personal import PersonalInformationBasis
from provenance.checks.review_samples import ReviewSamples
from provenance.checks.sampling import SafetySampling
from provenance.checks.sources import SourceLegitimacy

CHECKS: dict[str, type[Check]] = {
    cls.name: cls
    for cls in (
        SourceCoverage,
        EvidenceFiles,
        DenyList,
        SourceLegitimacy,
        CrawlCompliance,
        FoundationModels,
        SafetySampling,
        Licenses,
        PersonalInformationBasis,
        Diversity,
        Duplicates,
        AnnotationCheck,
        ContentFilteringCheck,
        ReviewSamples,
        EuSummaryCheck,
        Attestations,
        Assessment,
    )
}

__all__ = ["CHECKS", "Check", "CheckContext", "CheckOutput"]
