"""Our recognizers, one module each; :func:`all_recognizers` builds them for every language."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from provenance.pii.recognizers.bank_card import BankCardRecognizer
from provenance.pii.recognizers.base import ProvenanceRecognizer
from provenance.pii.recognizers.cn_mobile import CnMobileRecognizer
from provenance.pii.recognizers.cn_name_address import CnAddressRecognizer, CnNameRecognizer
from provenance.pii.recognizers.cn_passport import CnPassportRecognizer
from provenance.pii.recognizers.cn_residence_permit import CnResidencePermitRecognizer
from provenance.pii.recognizers.cn_resident_id import CnResidentIdRecognizer
from provenance.pii.recognizers.cn_travel_permit import CnTravelPermitRecognizer
from provenance.pii.recognizers.cn_uscc import CnUsccRecognizer
from provenance.pii.recognizers.email_ip import EmailRecognizer, IpAddressRecognizer
from provenance.pii.recognizers.ipv6 import Ipv6Recognizer
from provenance.pii.recognizers.phone import PhoneRecognizer
from provenance.pii.recognizers.sensitive import SENSITIVE_RECOGNIZERS

RECOGNIZERS: tuple[type[ProvenanceRecognizer], ...] = (
    CnResidentIdRecognizer,
    CnResidencePermitRecognizer,
    CnMobileRecognizer,
    BankCardRecognizer,
    CnUsccRecognizer,
    CnPassportRecognizer,
    CnTravelPermitRecognizer,
    CnNameRecognizer,
    CnAddressRecognizer,
    EmailRecognizer,
    IpAddressRecognizer,
    Ipv6Recognizer,
    PhoneRecognizer,
    *SENSITIVE_RECOGNIZERS,
)
#: every entity type our recognizers report, in registry order
ENTITY_TYPES: tuple[str, ...] = tuple(dict.fromkeys(cls.ENTITY for cls in RECOGNIZERS))


def all_recognizers(languages: tuple[str, ...] = ("en", "zh")) -> list[EntityRecognizer]:
    """One instance of every recognizer per language."""
    return [cls(supported_language=lang) for lang in languages for cls in RECOGNIZERS]


__all__ = ["ENTITY_TYPES", "RECOGNIZERS", "all_recognizers"]
