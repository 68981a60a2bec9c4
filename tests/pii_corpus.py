"""Generated documents for PII tests and benchmarks: English and Chinese, ~5% with planted PI
(many identifiers glued to Chinese characters), plus decoys that must not be reported:
18-digit numbers with wrong check digits and look-alike order numbers."""

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


def card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(13))
    ds = [int(c) for c in body]
    total = sum(
        (d * 2 - 9 if d > 4 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(ds))
    )
    return body + str((10 - total % 10) % 10)


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
) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        zh = i % 2 == 0
        lo, hi = sentences
        parts = [
            rng.choice(ZH if zh else EN)
            for _ in range(rng.randint(lo * (3 if zh else 1), hi * (3 if zh else 1)))
        ]
        doc = Doc("", "zh" if zh else "en")
        if rng.random() < pi_rate:
            kind = rng.choice(["email", "mobile", "card", "ip", "ric"])
            if kind == "email":
                v = f"user{rng.randint(1, 99999)}@example{rng.randint(1, 9)}.com"
                ent = "EMAIL_ADDRESS"
            elif kind == "mobile":
                v, ent = mobile(rng), "CN_MOBILE"
            elif kind == "card":
                v, ent = card(rng), "BANK_CARD"
            elif kind == "ip":
                v, ent = (
                    f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    "IP_ADDRESS",
                )
            else:
                v, ent = ric(rng), "CN_RESIDENT_ID"
            label = {
                "EMAIL_ADDRESS": "邮箱",
                "CN_MOBILE": "手机",
                "BANK_CARD": "银行卡号",
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
            d = (
                ric(rng, valid=False)
                if rng.random() < 0.5
                else f"20{rng.randint(10, 26)}{rng.randint(10**11, 10**12 - 1)}"
            )
            parts.insert(rng.randint(0, len(parts)), (f"订单号{d}，" if zh else f"order {d} "))
            doc.decoys.append(d)
        doc.text = ("" if zh else " ").join(parts)
        docs.append(doc)
    return docs
