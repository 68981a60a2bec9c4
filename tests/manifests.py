"""Hypothesis strategy: manifests generated from the manifest's own pydantic model (issue 13).

The strategy walks ``provenance.manifest.model.Manifest`` field by field — every optional field
present or absent, every ``Literal`` value, lists of zero to two items, nested models — so a
field added to the model is generated without touching this file. Only what the model cannot say
is filled in by name (``SEMANTIC``): ids are made unique, data roots point at the corpus this
module writes, and path fields name real evidence files of the right kind (copied from the demo
corpus) or a file that does not exist (a finding, not a load error).

``write_corpus`` writes the data and evidence a generated manifest may reference: JSONL, gzip
JSONL, Parquet and CSV shards in Chinese and English (a phone number and an e-mail planted),
an empty file and a folder with no match.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pyarrow as pa
import pyarrow.parquet as pq
from annotated_types import Ge, MinLen
from hypothesis import strategies as st
from pydantic import BaseModel

from provenance.manifest.model import Manifest

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"

#: path fields by (model, field): the files they may name (relative to the manifest's folder)
EVIDENCE = {
    "license": ["evidence/licenses/CC-BY-4.0.txt", "evidence/missing.txt"],
    "log": ["evidence/zh_web/crawl_log.jsonl", "evidence/empty.jsonl", "evidence/missing.jsonl"],
    "robots": ["evidence/zh_web/robots", "evidence/no-robots"],
    "document": ["evidence/contracts/news-2025-017.txt", "evidence/missing.pdf"],
    "consent": ["evidence/consent/chat_consents.jsonl", "evidence/empty.jsonl"],
    "review": [
        "evidence/zh_web/review_pre.jsonl",
        "evidence/zh_web/review_post.jsonl",
        "evidence/content/manual_sample.jsonl",
        "evidence/empty.jsonl",
        "evidence/missing.csv",
    ],
    "keywords": ["evidence/content/keywords.csv", "evidence/empty.jsonl"],
    "rule": [
        "evidence/annotation/rules_safety_v1.md",
        "evidence/annotation/rules_functional_v2.md",
    ],
    "annotators": ["evidence/annotation/annotators.csv", "evidence/missing.csv"],
    "batches": ["evidence/annotation/batches.csv", "evidence/empty.jsonl"],
}
GLOBS = ["en/*.jsonl", "zh/*.jsonl.gz", "pq/*.parquet", "csv/*.csv", "empty/*", "none/*.jsonl"]

words = st.sampled_from(
    ["Open corpus", "新闻语料", "论坛", "Q&A", "a<b>&'\"", "数据 v2", "x", "Ünïcødé", "😀 chat"]
)
dates = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)

SEMANTIC: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("Manifest", "data_roots"): st.just([{"id": "corpus", "path": "data"}]),
    ("FileSpec", "root"): st.just("corpus"),
    ("FileSpec", "glob"): st.sampled_from(GLOBS),
    ("FileSpec", "text_field"): st.sampled_from(["text", "text", "text", "body"]),
    ("FileSpec", "id_field"): st.sampled_from(["id", "nope"]),
    ("FileSpec", "url_field"): st.sampled_from(["url", "nope"]),
    ("FileSpec", "time_field"): st.sampled_from(["ts", "nope"]),
    ("Evidence", "path"): st.sampled_from(
        [p for k, v in EVIDENCE.items() if k != "robots" for p in v]
    ),
    ("Collection", "log"): st.sampled_from(EVIDENCE["log"]),
    ("Collection", "robots_dir"): st.sampled_from(EVIDENCE["robots"]),
    ("Contract", "document"): st.sampled_from(EVIDENCE["document"]),
    ("Contract", "warranties"): st.sampled_from(EVIDENCE["document"]),
    ("Authorization", "records"): st.sampled_from(EVIDENCE["consent"]),
    ("ReviewSample", "records"): st.sampled_from(EVIDENCE["review"]),
    ("ContentFiltering", "keyword_library"): st.sampled_from(EVIDENCE["keywords"]),
    ("AnnotationRule", "path"): st.sampled_from(EVIDENCE["rule"]),
    ("Annotation", "annotators"): st.sampled_from(EVIDENCE["annotators"]),
    ("Annotation", "batches"): st.sampled_from(EVIDENCE["batches"]),
    ("Source", "license"): st.sampled_from(
        ["CC-BY-4.0", "MIT", "CC BY-NC-SA 4.0", "proprietary", "Apache 2.0 OR MIT", "unknown"]
    ),
}


def _strategy(tp: Any, owner: str, name: str, meta: list[Any]) -> st.SearchStrategy[Any]:
    """A strategy for one annotation (JSON-ready values, as a YAML manifest would hold)."""
    if (owner, name) in SEMANTIC:
        return SEMANTIC[(owner, name)]
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = get_args(tp)
        return _strategy(base, owner, name, [*meta, *extra])
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*[_strategy(a, owner, name, meta) for a in get_args(tp)])
    if origin is Literal:
        return st.sampled_from(get_args(tp))
    if origin is list:
        (item,) = get_args(tp)
        low = max([m.min_length for m in meta if isinstance(m, MinLen)], default=0)
        return st.lists(_strategy(item, owner, name, []), min_size=low, max_size=max(low, 2))
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return model_dict(tp)
    if tp is bool:
        return st.booleans()
    if tp is int:
        low = max([int(m.ge) for m in meta if isinstance(m, Ge)], default=-5)
        return st.integers(low, 10**6)
    if tp is dt.date:
        return dates
    if tp is str:
        return words
    raise TypeError(f"no strategy for {owner}.{name}: {tp!r}; add one to tests/manifests.py")


def model_dict(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts valid for ``model`` field by field: required fields always, optional ones maybe."""
    fields = {}
    optional = {}
    for name, info in model.model_fields.items():
        meta = list(info.metadata)
        strategy = _strategy(info.annotation, model.__name__, name, meta)
        (fields if info.is_required() else optional)[name] = strategy
    return st.fixed_dictionaries(fields, optional=optional)


def _repair(doc: Any, counter: list[int]) -> Any:
    """What the model's types cannot say: unique ids, ordered periods."""
    if isinstance(doc, list):
        return [_repair(v, counter) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out = {k: _repair(v, counter) for k, v in doc.items()}
    if isinstance(out.get("id"), str) and out.get("path") != "data":
        counter[0] += 1
        out["id"] = f"x{counter[0]}"
    for lo, hi in (("start", "end"), ("valid_from", "valid_until")):
        if isinstance(out.get(lo), str) and isinstance(out.get(hi), str):
            out[lo], out[hi] = sorted((out[lo], out[hi]))
    return out


manifests: st.SearchStrategy[dict[str, Any]] = model_dict(Manifest).map(lambda d: _repair(d, [0]))


def minimal_manifest() -> dict[str, Any]:
    """One dataset, one source, one file, nothing optional."""
    return {
        "manifest_version": 1,
        "provider": {"name": "P"},
        "service": {"name": "S", "intended_use": "internal"},
        "data_roots": [{"id": "corpus", "path": "data"}],
        "datasets": [
            {
                "id": "d",
                "name": "D",
                "stage": "pretraining",
                "sources": [
                    {
                        "id": "s",
                        "source_type": "open_source",
                        "origin": {"region": "foreign"},
                        "files": [{"root": "corpus", "glob": "en/*.jsonl"}],
                    }
                ],
            }
        ],
    }


def _rows(lang: str, n: int) -> list[dict[str, Any]]:
    body = {
        "en": "Call Jane Smith on +1 404 573 1797 or mail jane@example.com about order {i}.",
        "zh": "第{i}条新闻：联系人王小明，电话13812345678，住在杭州市西湖区。",
    }[lang]
    return [
        {
            "id": f"{lang}-{i}",
            "text": body.format(i=i),
            "url": f"https://news.example.cn/{i}.html",
            "ts": f"2026-0{1 + i % 9}-15T08:00:00Z",
        }
        for i in range(n)
    ]


def write_corpus(root: Path) -> None:
    """The data and evidence files any generated manifest may reference, under ``root``."""
    data = root / "data"
    for folder in ("en", "zh", "pq", "csv", "empty", "none"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    en, zh = _rows("en", 12), _rows("zh", 12)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in en)
    (data / "en/a.jsonl").write_text(lines, encoding="utf-8")
    zh_lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in zh)
    (data / "zh/b.jsonl.gz").write_bytes(gzip.compress(zh_lines.encode(), mtime=0))
    pq.write_table(pa.Table.from_pylist(en + zh), data / "pq/c.parquet")
    (data / "csv/d.csv").write_text(
        "id,text,url,ts\n" + "".join(f'{r["id"]},"{r["text"]}",{r["url"]},{r["ts"]}\n' for r in zh),
        encoding="utf-8",
    )
    (data / "empty/e.jsonl").write_bytes(b"")
    shutil.copytree(DEMO / "evidence", root / "evidence", dirs_exist_ok=True)
    (root / "evidence/empty.jsonl").write_bytes(b"")
