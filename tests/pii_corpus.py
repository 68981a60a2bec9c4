"""Generated documents for PII tests and benchmarks: English and Chinese, ~5% with planted PI
(many identifiers glued to Chinese characters), plus decoys that must not be reported.

Planted: e-mails, mainland mobiles, resident IDs, IPv4 and IPv6 (full, compressed, IPv4-mapped),
payment cards of every scheme (UnionPay, Visa, Mastercard incl. 2-series, Amex, Discover, JCB,
Diners; contiguous or grouped with spaces or dashes), phone numbers of many countries
(international, and the national forms of the language's regions; valid numbers derived from
``phonenumbers.example_number_for_type``), and any of them in full-width digits (１３８…).
Decoys: IDs and cards with wrong check digits, order numbers, timestamps, version strings, ISBNs,
prices, coordinates, MAC addresses, too-short phone numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

ZH = [
    "近年来，人工智能领域发展迅速，受到社会各界广泛关注。",
    "专家指出，城市交通的未来取决于技术创新。",
    "据报道，多地出台政策支持新能源汽车产业发展。",
    "围绕乡村振兴，研究机构发布了最新的年度报告。",
    "公众对数字经济的认识不断加深。",
    "本次活动共有三百余人参加，现场气氛热烈。",
]
EN = [
    "Recent work on machine learning has drawn attention from researchers.",
    "Experts argue that progress depends on open data and careful evaluation.",
    "The conference featured talks from industry and academia.",
    "Funding for public health has grown steadily over the last five years.",
    "Version 2.3.1 of the library was released on 2024-05-01 with 150 fixes.",
]
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(rng: random.Random, valid: bool = True, year: int | None = None) -> str:
    y = year or rng.randint(1950, 2005)
    body = f"{rng.choice(['110105', '310104', '440305', '510107', '620102'])}{y}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, W, strict=True)) % 11]
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return body + check


def luhn_digit(body: str) -> str:
    ds = [int(c) for c in body]
    total = sum(
        (d * 2 - 9 if d > 4 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(ds))
    )
    return str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(13))
    return body + luhn_digit(body)


# (scheme, prefixes, length, grouping) — issuer ranges as the schemes publish them
SCHEMES = [
    ("unionpay", ["62"], 16, (4, 4, 4, 4)),
    ("unionpay19", ["62"], 19, (4, 4, 4, 4, 3)),
    ("visa", ["4"], 16, (4, 4, 4, 4)),
    ("mastercard", ["51", "53", "55", "2221", "2500", "2720"], 16, (4, 4, 4, 4)),
    ("amex", ["34", "37"], 15, (4, 6, 5)),
    ("discover", ["6011", "644", "65"], 16, (4, 4, 4, 4)),
    ("jcb", ["3528", "3540", "3589"], 16, (4, 4, 4, 4)),
    ("diners", ["300", "305", "36", "38"], 14, (4, 6, 4)),
]


def scheme_card(rng: random.Random, valid: bool = True) -> str:
    """A card of a random scheme, contiguous or grouped with spaces or dashes."""
    _, prefixes, length, groups = rng.choice(SCHEMES)
    body = rng.choice(prefixes)
    body += "".join(str(rng.randint(0, 9)) for _ in range(length - 1 - len(body)))
    check = luhn_digit(body)
    digits = body + (check if valid else str((int(check) + rng.randint(1, 9)) % 10))
    sep = rng.choice(["", " ", "-"])
    out, i = [], 0
    for g in groups:
        out.append(digits[i : i + g])
        i += g
    return sep.join(out)


PHONE_REGIONS = ["US", "GB", "DE", "FR", "JP", "IN", "HK", "TW", "AU", "SG", "KR", "BR", "CA"]
NATIONAL = {"en": ["US", "GB", "AU"], "zh": ["CN", "HK", "TW"]}


def phone(rng: random.Random, lang: str) -> str:
    """A valid phone number: an example number with its last digits varied, written in the
    international format, a US style, or the national format of a region of the language."""
    import phonenumbers as pn

    fmt = rng.random()
    national = fmt < 0.4
    region = rng.choice(NATIONAL[lang] if national else PHONE_REGIONS)
    kind = (
        pn.PhoneNumberType.FIXED_LINE
        if region == "CN"
        else rng.choice([pn.PhoneNumberType.FIXED_LINE, pn.PhoneNumberType.MOBILE])
    )
    example = pn.example_number_for_type(region, kind)
    assert example is not None
    nsn = str(example.national_number)
    while True:
        tail = "".join(str(rng.randint(0, 9)) for _ in range(4))
        number = pn.parse(f"+{example.country_code}{nsn[:-4]}{tail}")
        if pn.is_valid_number(number):
            break
    if region == "US" and lang == "en" and rng.random() < 0.6:
        d = str(number.national_number)
        style = rng.choice(["({}) {}-{}", "{}-{}-{}", "{}.{}.{}", "+1 {} {} {}"])
        return style.format(d[:3], d[3:6], d[6:])
    how = pn.PhoneNumberFormat.NATIONAL if national else pn.PhoneNumberFormat.INTERNATIONAL
    return pn.format_number(number, how)


def ipv6(rng: random.Random) -> str:
    import ipaddress

    addr = ipaddress.IPv6Address((0x20010DB8 << 96) | rng.getrandbits(96))
    form = rng.random()
    if form < 0.2:
        return addr.exploded
    if form < 0.4:
        return f"::ffff:{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if form < 0.7:  # a run of zero groups, compressed with ::
        return str(ipaddress.IPv6Address(int(addr) & ~(0xFFFFFFFF << 32)))
    return addr.compressed


FULLWIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def decoy(rng: random.Random) -> str:
    """Something that looks like an identifier and is none."""
    return rng.choice(
        [
            lambda: ric(rng, valid=False),
            lambda: f"20{rng.randint(10, 26)}{rng.randint(10**11, 10**12 - 1)}",
            lambda: scheme_card(rng, valid=False),
            lambda: (
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
            ),
            lambda: (
                f"2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 235959):06d}"
            ),
            lambda: (
                f"version {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
            ),
            lambda: f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            lambda: (
                f"ISBN 978-{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}-{rng.randint(0, 9)}"
            ),
            lambda: f"¥{rng.randint(1, 99)},{rng.randint(100, 999)}.{rng.randint(0, 99):02d}",
            lambda: (
                f"{rng.randint(10, 60)}.{rng.randint(1000, 9999)}, {rng.randint(100, 140)}.{rng.randint(1000, 9999)}"
            ),
            lambda: ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6)),
            lambda: f"+1 {rng.randint(201, 989)} {rng.randint(200, 999)} {rng.randint(100, 999)}",
        ]
    )()


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


@dataclass
class Doc:
    text: str
    lang: str
    planted: list[tuple[str, str]] = field(default_factory=list)  # (entity_type, value)
    decoys: list[str] = field(default_factory=list)


def make_docs(
    n: int,
    seed: int = 5,
    pi_rate: float = 0.05,
    decoy_rate: float = 0.05,
    sentences: tuple[int, int] = (4, 12),
    filler: dict[str, list[str]] | None = None,
) -> list[Doc]:
    """``n`` documents alternating Chinese and English; ``filler`` replaces the built-in
    sentences per language (``{"zh": [...], "en": [...]}``), e.g. with sentences of a public
    corpus so that documents are not near-identical."""
    rng = random.Random(seed)
    pool = filler or {"zh": ZH, "en": EN}
    docs = []
    for i in range(n):
        zh = i % 2 == 0
        lo, hi = sentences
        parts = [
            rng.choice(pool["zh" if zh else "en"])
            for _ in range(rng.randint(lo * (3 if zh else 1), hi * (3 if zh else 1)))
        ]
        doc = Doc("", "zh" if zh else "en")
        if rng.random() < pi_rate:
            kind = rng.choice(
                ["email", "mobile", "card", "ip", "ric", "scheme", "phone", "ipv6", "wide"]
            )
            wide = kind == "wide"
            if wide:
                kind = rng.choice(["mobile", "ric", "scheme", "phone"])
            if kind == "email":
                v = f"user{rng.randint(1, 99999)}@example{rng.randint(1, 9)}.com"
                ent = "EMAIL_ADDRESS"
            elif kind == "mobile":
                v, ent = mobile(rng), "CN_MOBILE"
            elif kind == "card":
                v, ent = card(rng), "BANK_CARD"
            elif kind == "scheme":
                v, ent = scheme_card(rng), "BANK_CARD"
            elif kind == "phone":
                v, ent = phone(rng, doc.lang), "PHONE_NUMBER"
            elif kind == "ip":
                v, ent = (
                    f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    "IP_ADDRESS",
                )
            elif kind == "ipv6":
                v, ent = ipv6(rng), "IP_ADDRESS"
            else:
                v, ent = ric(rng), "CN_RESIDENT_ID"
            if wide:
                v = v.translate(FULLWIDTH)
            label = {
                "EMAIL_ADDRESS": "邮箱",
                "CN_MOBILE": "手机",
                "PHONE_NUMBER": "电话",
                "BANK_CARD": "信用卡号" if kind == "scheme" else "银行卡号",
                "IP_ADDRESS": "登录IP",
                "CN_RESIDENT_ID": "身份证号",
            }[ent]
            glue = (
                (f"{label}{v}，" if rng.random() < 0.6 else f"{label}：{v}。")
                if zh
                else f"contact: {v} ."
            )
            parts.insert(rng.randint(0, len(parts)), glue)
            doc.planted.append((ent, v))
        if rng.random() < decoy_rate:
            d = decoy(rng)
            parts.insert(rng.randint(0, len(parts)), (f"订单号{d}，" if zh else f"order {d} "))
            doc.decoys.append(d)
        doc.text = ("" if zh else " ").join(parts)
        docs.append(doc)
    return docs
