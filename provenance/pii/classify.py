"""Personal information vs sensitive personal information (PIPL Art. 28; TC260-PG-20244A).

A bare resident ID number is personal information, not sensitive — but its birth date can show
a child under 14, and everything about a child under 14 is sensitive. Bank cards are financial
accounts: sensitive. A Unified Social Credit Code identifies an organisation, except prefix 92
(sole proprietorship), which points to a person.
"""

from __future__ import annotations

import datetime as dt

from provenance.pii.identifiers import birth_date
from provenance.pii.sensitive import categories, sensitive_types

SENSITIVE = {"BANK_CARD"}
ORGANISATION = {"CN_USCC"}
ID_WITH_BIRTH_DATE = {"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT"}
MINOR_AGE = 14


def is_personal(entity_type: str, value: str) -> bool:
    """False only for organisation identifiers (USCC not starting with 92)."""
    return entity_type not in ORGANISATION or value.upper().startswith("92")


def age_on(born: dt.date, on: dt.date) -> int:
    """Whole years of age on a date."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def is_minor(entity_type: str, value: str, on: dt.date) -> bool:
    """True when an ID number shows its holder was under 14 on ``on`` (the collection date)."""
    if entity_type not in ID_WITH_BIRTH_DATE:
        return False
    return born_minor(birth_date(value), on)


def born_minor(born: dt.date | None, on: dt.date) -> bool:
    """True when someone born on ``born`` was under 14 on ``on``."""
    return born is not None and born <= on and age_on(born, on) < MINOR_AGE


def is_sensitive(entity_type: str, minor: bool) -> bool:
    """Sensitive personal information: financial accounts, the categories of Art. 28 found in
    free text (schemas/sensitive_terms.toml), and anything about a child under 14."""
    return entity_type in SENSITIVE or entity_type in sensitive_types() or minor


ENTITY_ZH = {
    "CN_RESIDENT_ID": "居民身份证号",
    "CN_RESIDENCE_PERMIT": "居住证号",
    "CN_MOBILE": "手机号",
    "PHONE_NUMBER": "电话号码",
    "BANK_CARD": "银行卡号",
    "CN_USCC": "统一社会信用代码",
    "CN_PASSPORT": "护照号",
    "CN_TRAVEL_PERMIT": "通行证号",
    "PERSON": "姓名",
    "LOCATION": "地址",
    "EMAIL_ADDRESS": "电子邮箱",
    "IP_ADDRESS": "IP 地址",
}


ENTITY_ZH.update({c.entity: c.pipl_zh for c in categories()})


def entity_zh(types: list[str]) -> str:
    """Chinese names of entity types, joined for a message."""
    return "、".join(ENTITY_ZH.get(t, t) for t in types)
