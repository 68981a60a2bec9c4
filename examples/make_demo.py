"""Generate the demo corpus audited by ``make demo`` (deterministic: same bytes every time).

Usage: python examples/make_demo.py examples/demo

The corpus is small but realistic in shape, and plants a problem for every check of the
auditor, including those of later stages (licences, personal information, duplicates):

* zh-web-crawl (self-collected, Chinese): crawl log, robots.txt snapshots; some URLs disallowed
  by robots.txt, one host without a snapshot, a few URLs from a deny-listed domain; one
  truncated shard; near-duplicate pages; personal information glued to Chinese text.
* en-open-web (open-source, English, CC-BY-4.0 written as its URL, licence document present):
  clean; the licence resolves from the URL.
* en-nc-forum (open-source, CC BY-NC-SA 4.0): non-commercial in a public service; its licence
  document is declared but missing.
* en-mix (open-source, declared MIT in a sentence: "This dataset is released under the MIT
  License.") derives from en-nc-forum: licence laundering.
* commercial-news (commercial, CSV): the contract does not cover the collection period.
* user-chat (user input, fine-tuning): authorisation records, two users withdrew consent;
  phone numbers, e-mails, resident ID numbers, bank cards.
* synthetic-qa (synthetic, zstd text) with its generator model.
* an orphan file under the data root that no source claims; a reward model without filing.

All personal data is synthetic: numbers are generated with valid check digits but random.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

ZH_TOPICS = [
    "人工智能",
    "城市交通",
    "气候变化",
    "传统文化",
    "高铁建设",
    "乡村振兴",
    "新能源汽车",
    "数字经济",
    "中医药",
    "航天探索",
]
ZH_PHRASES = [
    "近年来，{t}领域发展迅速，受到社会各界广泛关注。",
    "专家指出，{t}的未来取决于技术创新与制度保障。",
    "据报道，多地出台政策支持{t}相关产业发展。",
    "在{t}方面，我国已经取得了一系列重要成果。",
    "业内人士认为，{t}将深刻改变人们的生产生活方式。",
    "围绕{t}，研究机构发布了最新的年度报告。",
    "公众对{t}的认识不断加深，参与热情持续高涨。",
]
EN_TOPICS = [
    "machine learning",
    "renewable energy",
    "urban planning",
    "marine biology",
    "ancient history",
    "public health",
    "space exploration",
    "food security",
    "quantum computing",
    "literature",
]
EN_PHRASES = [
    "Recent work on {t} has drawn attention from researchers and policy makers alike.",
    "Experts argue that progress in {t} depends on open data and careful evaluation.",
    "A new survey of {t} summarises the main results of the past decade.",
    "Critics of {t} point to unresolved questions about cost and fairness.",
    "Students interested in {t} can start with the classic introductory texts.",
    "The conference on {t} featured talks from industry and academia.",
    "Funding for {t} has grown steadily over the last five years.",
]
RIGHTS_NOTICES = [
    "版权所有，未经许可不得转载。",
    "Copyright © 2024 Example Media. All rights reserved.",
]

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(rng: random.Random, minor: bool = False) -> str:
    """A synthetic 18-character resident ID with a valid MOD 11-2 check character."""
    year = rng.randint(2014, 2020) if minor else rng.randint(1950, 2000)
    body = f"{rng.choice(['110105', '310104', '440305', '510107'])}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def luhn_card(rng: random.Random) -> str:
    """A synthetic 16-digit UnionPay-style card number with a valid Luhn digit."""
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(13))
    digits = [int(c) for c in body]
    for i in range(len(digits) - 1, -1, -2):
        digits[i] = digits[i] * 2 - 9 if digits[i] * 2 > 9 else digits[i] * 2
    return body + str((10 - sum(digits) % 10) % 10)


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"


ZH_PLACES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "武汉",
    "西安",
    "南京",
    "重庆",
    "苏州",
    "天津",
    "长沙",
    "郑州",
    "青岛",
]
ZH_ORGS = ["研究院", "大学", "统计局", "行业协会", "实验室", "发展中心", "科技公司", "出版社"]
ZH_DETAILS = [
    "{place}{org}于{year}年{month}月发布的数据显示，相关指标同比增长{pct}%。",
    "在{place}，约有{n}家单位参与了{t}试点项目。",
    "{place}{org}的负责人表示，下一阶段将重点关注{t}与{t2}的结合。",
    "截至{year}年底，{place}已建成{n}个{t}示范点。",
]
EN_PLACES = [
    "Leeds",
    "Austin",
    "Lyon",
    "Osaka",
    "Porto",
    "Oslo",
    "Quebec",
    "Adelaide",
    "Nairobi",
    "Turin",
    "Boston",
    "Kraków",
]
EN_ORGS = [
    "institute",
    "university",
    "statistics office",
    "trade association",
    "laboratory",
    "press",
    "foundation",
]
EN_DETAILS = [
    "A {org} in {place} reported a {pct} percent change in {year}.",
    "About {n} groups in {place} joined a pilot on {t} last {month_en}.",
    "The {org} in {place} plans to combine {t} with {t2} next year.",
    "By the end of {year}, {place} had opened {n} centres for {t}.",
]
MONTHS_EN = ["January", "March", "May", "July", "September", "November"]


def _slots(
    rng: random.Random, topics: list[str], places: list[str], orgs: list[str]
) -> dict[str, object]:
    return {
        "t": rng.choice(topics),
        "t2": rng.choice(topics),
        "place": rng.choice(places),
        "org": rng.choice(orgs),
        "year": rng.randint(2015, 2026),
        "month": rng.randint(1, 12),
        "month_en": rng.choice(MONTHS_EN),
        "pct": rng.randint(2, 48),
        "n": rng.randint(3, 900),
    }


# Free-text names (issue 11): synthetic people in news-like sentences, drawn from their own
# seeded generator so the rest of the corpus stays as it was. Every name is made up.
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
ZH_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "杰",
    "秀英",
    "小明",
    "建华",
    "丽萍",
    "志强",
    "晓东",
]
ZH_NAME_SENTENCES = [
    "当地教师{name}介绍了项目进展。",
    "据居民{name}回忆，变化是从去年开始的。",
    "{name}表示，明年还会继续参加。",
    "我叫{name}，住在这个社区已经十年了。",
]
EN_FIRST = [
    "Emily",
    "James",
    "Olivia",
    "Daniel",
    "Grace",
    "Samuel",
    "Chloe",
    "Thomas",
    "Aisha",
    "Lucas",
]
EN_LAST = ["Walker", "Bennett", "Hughes", "Patel", "Okafor", "Fischer", "Moreno", "Lindqvist"]
EN_NAME_SENTENCES = [
    "{name} said the programme would continue next year.",
    "According to {name}, a teacher in the area, the results were encouraging.",
    "{name} welcomed the plan at the meeting.",
]


def zh_name_sentence(rng: random.Random) -> str:
    name = rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN)
    return rng.choice(ZH_NAME_SENTENCES).format(name=name)


def en_name_sentence(rng: random.Random) -> str:
    name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    return rng.choice(EN_NAME_SENTENCES).format(name=name)


def zh_text(rng: random.Random, n: int = 4) -> str:
    parts = []
    for _ in range(n):
        slots = _slots(rng, ZH_TOPICS, ZH_PLACES, ZH_ORGS)
        parts.append(
            rng.choice(ZH_PHRASES).format(**slots) + rng.choice(ZH_DETAILS).format(**slots)
        )
    return "".join(parts)


def en_text(rng: random.Random, n: int = 4) -> str:
    parts = []
    for _ in range(n):
        slots = _slots(rng, EN_TOPICS, EN_PLACES, EN_ORGS)
        parts.append(
            rng.choice(EN_PHRASES).format(**slots) + " " + rng.choice(EN_DETAILS).format(**slots)
        )
    return " ".join(parts)


def gz_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as fh:
        fh.write(data)
    return buf.getvalue()


def jsonl(rows: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()


def web_crawl(root: Path, ev: Path, rng: random.Random) -> None:
    hosts = [
        "news.example.cn",
        "blog.example.com.cn",
        "forum.example.net.cn",
        "wiki.example.org.cn",
    ]
    rows, log = [], []
    names = random.Random("zh-web names")
    for i in range(900):
        host = hosts[i % 4]
        section = "private" if (host == "forum.example.net.cn" and i % 40 == 2) else "article"
        url = f"https://{host}/{section}/{i:05d}.html"
        text = zh_text(rng, rng.randint(2, 6))
        if i % 6 == 1:
            text += zh_name_sentence(names)
        if i % 20 == 0:
            text += f"联系人：王先生，手机：{mobile(rng)}，邮箱：contact{i}@example.cn。"
        if i % 31 == 0:
            text += f"身份证号{resident_id(rng)}，"
        if i % 50 == 0:
            text += RIGHTS_NOTICES[0]
        if i % 45 == 7 and rows:  # near-duplicate of an earlier page with a small edit
            text = rows[-5]["text"].replace("。", "！", 1)
        fetched = f"2026-0{1 + i % 6}-{1 + i % 27:02d}T08:{i % 60:02d}:00Z"
        rows.append({"id": f"zhweb-{i:05d}", "text": text, "url": url, "fetched_at": fetched})
        log.append({"url": url, "fetched_at": fetched, "status": 200, "user_agent": "ExampleBot"})
    for j in range(3):  # pages from a shadow-library domain (deny-listed)
        log.append(
            {
                "url": f"https://libgen.rs/book/{j}",
                "fetched_at": "2026-03-03T10:00:00Z",
                "status": 200,
                "user_agent": "ExampleBot",
            }
        )
    (root / "zh_web").mkdir(parents=True)
    (root / "zh_web" / "part-000.jsonl.gz").write_bytes(gz_bytes(jsonl(rows[:450])))
    (root / "zh_web" / "part-001.jsonl.gz").write_bytes(gz_bytes(jsonl(rows[450:])))
    # a shard cut short in transfer: read errors are recorded, the run goes on
    (root / "zh_web" / "part-002.jsonl.gz").write_bytes(gz_bytes(jsonl(rows[:200]))[:1500])
    (ev / "zh_web").mkdir(parents=True)
    (ev / "zh_web" / "crawl_log.jsonl").write_bytes(jsonl(log))
    robots = ev / "zh_web" / "robots"
    robots.mkdir()
    (robots / "news.example.cn.txt").write_text("User-agent: *\nAllow: /\n")
    (robots / "blog.example.com.cn.txt").write_text("User-agent: *\nDisallow: /admin/\n")
    (robots / "forum.example.net.cn.txt").write_text(
        "User-agent: ExampleBot\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    )
    # wiki.example.org.cn: no snapshot archived
    # safety review before collection (TC260-003 §5.1a(1)): 120 of 4,000 sampled pages failed
    # (passes). Those pages were sampled from the sites before collection, so they are not in
    # the corpus; the review after collection is drawn from the corpus by examples/demo_reviews.py
    # (its verdicts are still generated here, unused, so the generator's later output is as before)
    for stage, fails in (("pre", 120), ("post", 190)):
        bad = set(rng.sample(range(4000), fails))
        review = [
            {
                "item_id": f"{stage}-{k:05d}",
                "verdict": "fail" if k in bad else "pass",
                "risk": rng.choice(["A.1g", "A.2b", "A.4e"]) if k in bad else None,
                "reviewer": f"R{k % 7}",
            }
            for k in range(4000)
        ]
        if stage == "pre":
            (ev / "zh_web" / "review_pre.jsonl").write_bytes(jsonl(review))


def open_web(root: Path, ev: Path, rng: random.Random) -> None:
    names = random.Random("en-web names")
    rows = [
        {
            "doc_id": f"enweb-{i:05d}",
            "text": en_text(rng, rng.randint(2, 6))
            + (" " + en_name_sentence(names) if i % 5 == 2 else ""),
            "url": f"https://en.example.org/p/{i}",
        }
        for i in range(1200)
    ]
    table = pa.Table.from_pylist(rows)
    (root / "en_open").mkdir(parents=True)
    pq.write_table(table, root / "en_open" / "train-00000.parquet", row_group_size=400)
    (ev / "licenses").mkdir(parents=True, exist_ok=True)
    (ev / "licenses" / "CC-BY-4.0.txt").write_text(
        "Creative Commons Attribution 4.0 International Public License (summary for the demo).\n"
    )


def nc_forum(root: Path, rng: random.Random) -> None:
    rows = [
        {"text": en_text(rng, 3) + (" " + RIGHTS_NOTICES[1] if i % 10 == 0 else "")}
        for i in range(400)
    ]
    (root / "en_forum").mkdir(parents=True)
    (root / "en_forum" / "forum.jsonl").write_bytes(jsonl(rows))
    mix = [{"text": en_text(rng, 2)} for _ in range(300)]
    mix += [{"text": rows[i]["text"]} for i in range(0, 40)]  # exact duplicates across sources
    (root / "en_mix").mkdir(parents=True)
    (root / "en_mix" / "mix.jsonl").write_bytes(jsonl(mix))


def commercial(root: Path, ev: Path, rng: random.Random) -> None:
    (root / "news").mkdir(parents=True)
    lines = ["article_id,title,body,published"]
    for i in range(300):
        body = zh_text(rng, 3).replace(",", "，")
        lines.append(f"N{i:04d},新闻{i},{body},2025-{1 + i % 12:02d}-15")
    lines.append("N9999,broken row with too few fields")
    (root / "news" / "licensed_news.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (ev / "contracts").mkdir(parents=True)
    (ev / "contracts" / "news-2025-017.txt").write_text(
        "Content licence agreement NEWS-2025-017 (demo copy).\n"
    )


def user_chat(root: Path, ev: Path, rng: random.Random) -> None:
    rows = []
    for i in range(500):
        q = rng.choice(
            [
                "帮我写一封请假邮件",
                "Summarise this paragraph",
                "推荐几本关于历史的书",
                "How do I cook rice?",
            ]
        )
        extra = ""
        if i % 10 == 0:
            extra = f" 我的手机号是{mobile(rng)}，"
        if i % 17 == 0:
            extra += f" email me at user{i}@example.com"
        if i % 23 == 0:
            extra += f" 银行卡{luhn_card(rng)}"
        if i % 41 == 0:
            extra += f" 孩子身份证{resident_id(rng, minor=True)}"
        rows.append(
            {
                "conversation_id": f"c{i:05d}",
                "user": f"u{i % 120:04d}",
                "text": q + extra,
                "created_at": f"2026-05-{1 + i % 28:02d}T12:00:00+08:00",
            }
        )
    (root / "chat").mkdir(parents=True)
    (root / "chat" / "sessions.jsonl").write_bytes(jsonl(rows))
    consents = [
        {
            "user_id": f"u{u:04d}",
            "consent_id": f"CONS-{u:05d}",
            "consented_at": "2026-01-10",
            "withdrawn_at": "2026-07-01" if u in (7, 42) else None,
        }
        for u in range(120)
    ]
    (ev / "consent").mkdir(parents=True)
    (ev / "consent" / "chat_consents.jsonl").write_bytes(jsonl(consents))


def annotation(ev: Path) -> None:
    """Annotation records of the chat fine-tuning set, with planted problems: a reviewer who
    reviews their own batch, an unexamined annotator, a safety batch not fully reviewed, a batch
    with illegal content still in use, and safety rules that miss two of the 31 risks."""
    ann = ev / "annotation"
    ann.mkdir(parents=True)
    (ann / "rules_functional_v2.md").write_text(
        "# 功能性标注规则 Functional annotation rules v2.0\n## Target\n## Data format\n## Method\n"
        "## Quality indicators\n## Review\n",
        encoding="utf-8",
    )
    (ann / "rules_safety_v1.md").write_text(
        "# 安全性标注规则 Safety annotation rules v1.0\n## Target\n## Data format\n## Method\n"
        "## Quality indicators\n## Review\n## Risks (A.1a … A.5a)\n",
        encoding="utf-8",
    )
    roster = [
        "annotator_id,type,trained_on,training_hours,exam_passed,qualified_until",
        "A01,in_house,2026-01-05,16,true,2027-01-05",
        "A02,in_house,2026-01-05,16,true,2027-01-05",
        "A03,outsourced,2026-02-10,8,false,2027-02-10",
        "R01,in_house,2026-01-05,24,true,2027-01-05",
    ]
    (ann / "annotators.csv").write_text("\n".join(roster) + "\n")
    batches = [
        "batch_id,kind,rule_id,annotator_id,reviewer_id,annotated_on,items,checked_items,accuracy,illegal_content,excluded"
    ]
    for i in range(12):
        kind = "safety" if i % 4 == 3 else "functional"
        annotator = ["A01", "A02", "A03"][i % 3]
        reviewer = "A02" if i == 4 else "R01"  # batch 4: A02 reviews its own work
        checked = 100 if kind == "safety" else 20
        if i == 7:
            checked = 60  # a safety batch of 100 items with only 60 reviewed
        illegal = "true" if i == 9 else "false"  # found illegal content, not excluded
        rule = "safety-v1" if kind == "safety" else "func-v2"
        batches.append(
            f"B{i:03d},{kind},{rule},{annotator},{reviewer},2026-06-{1 + i:02d},100,{checked},0.97,{illegal},false"
        )
    (ann / "batches.csv").write_text("\n".join(batches) + "\n")


def content_filtering(ev: Path, rng: random.Random) -> None:
    """Keyword library (too small, and thin on two risks)."""
    cf = ev / "content"
    cf.mkdir(parents=True)
    risks = [f"A.1{c}" for c in "abcdefgh"] + [f"A.2{c}" for c in "abcdefghi"]
    lines = ["keyword,risk,updated_at"]
    for i in range(600):
        risk = risks[i % len(risks)] if i % 50 else "A.1a"
        lines.append(f"kw{i:05d},{risk},2026-09-2{i % 8}")
    (cf / "keywords.csv").write_text("\n".join(lines) + "\n")
    # the manual and technical corpus samples are drawn from the corpus by examples/demo_reviews.py


def synthetic(root: Path, rng: random.Random) -> None:
    lines = [
        f"问：什么是{t}？答：{zh_text(rng, 2)}" for t in (rng.choice(ZH_TOPICS) for _ in range(250))
    ]
    lines += [
        f"Q: What is {t}? A: {en_text(rng, 2)}" for t in (rng.choice(EN_TOPICS) for _ in range(250))
    ]
    (root / "synthetic").mkdir(parents=True)
    data = ("\n".join(lines) + "\n").encode()
    (root / "synthetic" / "qa.txt.zst").write_bytes(
        zstandard.ZstdCompressor(level=3).compress(data)
    )


def attestations(ev: Path) -> None:
    """Documents behind the manifest's attestations (issue 13: SRC-11, IP-01/03, PI-05, DOC-05)."""
    at = ev / "attestations"
    at.mkdir()
    (at / "ip_strategy.md").write_text(
        "# 知识产权管理策略 / IP management strategy (demo)\n\n"
        "Responsible person, review of sources before training, takedown on complaint.\n",
        encoding="utf-8",
    )
    (at / "ip_complaints.csv").write_text(
        "complaint_id,received_on,source,action,closed_on\n"
        "C-2026-001,2026-03-02,en-nc-forum,removed 12 records,2026-03-09\n",
        encoding="utf-8",
    )
    (at / "pia_report.md").write_text(
        "# 个人信息保护影响评估报告 / PI impact assessment PIA-2026-01 (demo)\n", encoding="utf-8"
    )
    (at / "block_list_results.csv").write_text(
        "list,version,items_checked,items_matched\nCSL-block-list,2026-09,4144,0\n",
        encoding="utf-8",
    )
    (at / "cross_border_assessment.md").write_text(
        "# 数据出境安全评估申报 / cross-border security assessment filing (demo)\n",
        encoding="utf-8",
    )


def stray(root: Path) -> None:
    (root / "stray").mkdir(parents=True)
    (root / "stray" / "scraped_dump.jsonl").write_bytes(jsonl([{"text": "unknown origin"}] * 5))


def main(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out / "data", ignore_errors=True)
        shutil.rmtree(out / "evidence", ignore_errors=True)
    root, ev = out / "data", out / "evidence"
    root.mkdir(parents=True)
    ev.mkdir(parents=True)
    rng = random.Random(20261122)
    web_crawl(root, ev, rng)
    open_web(root, ev, rng)
    nc_forum(root, rng)
    commercial(root, ev, rng)
    user_chat(root, ev, rng)
    synthetic(root, rng)
    annotation(ev)
    content_filtering(ev, rng)
    attestations(ev)
    stray(root)
    (ev / "models").mkdir()
    (ev / "models" / "base-llm-filing.txt").write_text(
        "Filing record of the base model (demo copy).\n"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/demo"))
