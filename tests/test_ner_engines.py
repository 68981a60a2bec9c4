"""The name-search engines, table-driven (issue 11, item 2).

Cases: the sentences of issue 11 itself, and shapes the engines' rules exist for (a surname
alone before its given name, a name inside 马克思主义, a byline, a full name then its surname,
initials, a headline in capitals). The engines' accuracy on public text is measured by
benchmarks/ner.py (People's Daily, Weibo, CoNLL-2003; benchmarks/RESULTS.md), not here.
"""

from __future__ import annotations

import socket

import pytest

from provenance.pii.ner.en import EnglishNames, truecase
from provenance.pii.ner.recognizer import NerAnalyzer
from provenance.pii.ner.zh import ChineseNames, _pieces, plausible_name


@pytest.fixture(scope="module")
def zh() -> ChineseNames:
    return ChineseNames()


@pytest.fixture(scope="module")
def en() -> EnglishNames:
    return EnglishNames()


def _found(spans: list[tuple[int, int, str]], text: str, label: str) -> set[str]:
    return {text[a:b] for a, b, lab in spans if lab == label}


@pytest.mark.parametrize(
    ("text", "names", "places"),
    [
        ("王小明是一位作家。", {"王小明"}, set()),
        ("我叫李娜，住在杭州市西湖区。", {"李娜"}, {"杭州市"}),
        ("新华社记者曲志红报道：", {"曲志红"}, set()),
        ("学习马克思主义理论。", {"马克思"}, set()),
        ("俄罗斯政府总理基里延科认为", {"基里延科"}, set()),
        ("卫星图片显示，天气多云。", set(), set()),
    ],
)
def test_chinese(zh: ChineseNames, text: str, names: set[str], places: set[str]) -> None:
    spans = zh.find(text)
    assert names <= _found(spans, text, "PERSON"), spans
    found = _found(spans, text, "LOCATION")
    assert all(any(p in f for f in found) for p in places), spans
    if not names:
        assert not _found(spans, text, "PERSON")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("李娜", True),
        ("李", True),
        ("唉", False),
        ("萌萌", False),
        ("安安静静", False),
        ("QWQ", False),
    ],
)
def test_plausible_name(name: str, ok: bool) -> None:
    assert plausible_name(name) is ok


def test_pieces_cover_the_text_at_their_offsets() -> None:
    for text in ["张三在北京市工作。李四去上海！" * 40, "无标点" * 150, "", "。"]:
        pieces = _pieces(text)
        assert "".join(p for _, p in pieces) == text
        assert all(text[o : o + len(p)] == p and len(p) <= 200 for o, p in pieces)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("John Smith lives at 12 Baker Street.", {"John Smith"}),
        (
            "Adam Hollioake took four wickets. Later Hollioake was out for 23.",
            {"Adam Hollioake", "Hollioake"},
        ),
        ("A. Dale 69 , H. Morris 69", {"A. Dale", "H. Morris"}),
        (
            "SOCCER - SHEARER NAMED AS ENGLAND CAPTAIN .\nAlan Shearer will lead the side.",
            {"Alan Shearer"},
        ),
    ],
)
def test_english(en: EnglishNames, text: str, names: set[str]) -> None:
    found = _found(en.find(text), text, "PERSON")
    assert all(any(n in f for f in found) for n in names), found


def test_english_places_and_no_person_in_plain_text(en: EnglishNames) -> None:
    text = "The committee met in Paris on Tuesday to review the budget."
    spans = en.find(text)
    assert "Paris" in _found(spans, text, "LOCATION") and not _found(spans, text, "PERSON")


def test_truecase_keeps_offsets() -> None:
    text = "CRICKET - LEICESTERSHIRE TAKE OVER .\nLONDON 1996-08-30\nPhil Simmons took four."
    shown = truecase(text)
    assert len(shown) == len(text) and shown.splitlines()[2] == text.splitlines()[2]
    assert shown.startswith("Cricket - Leicestershire")


def test_presidio_path_equals_the_engines_and_opens_no_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    ner = NerAnalyzer()
    texts = [
        "我叫李娜，住在杭州市西湖区。",
        "John Smith lives at 12 Baker Street.",
        "",
        "x" * 12_000,
    ]
    results = ner.analyze_many(texts)
    assert {(r.entity_type, texts[0][r.start : r.end]) for r in results[0]} >= {("PERSON", "李娜")}
    assert ("PERSON", "John Smith") in {
        (r.entity_type, texts[1][r.start : r.end]) for r in results[1]
    }
    assert results[2] == [] and results[3] == []


def test_crf_decoding_is_the_best_path_by_brute_force() -> None:
    """The vectorised Viterbi (batch of padded sequences of several lengths) returns, for each
    sequence, the tag path of the highest score, as enumerating every path finds it."""
    import itertools

    import numpy as np

    from provenance.pii.ner.zh import _viterbi

    rng = np.random.default_rng(11)
    tags, steps = 3, 5
    trans = rng.normal(size=(tags, tags)).astype(np.float32)
    logits = rng.normal(size=(6, steps, tags)).astype(np.float32)
    lengths = np.array([5, 1, 3, 4, 2, 5])
    paths = _viterbi(logits, trans, lengths)
    for r, length in enumerate(lengths):

        def score(path: tuple[int, ...], r: int = r) -> float:
            emit = sum(float(logits[r, t, tag]) for t, tag in enumerate(path))
            return emit + sum(float(trans[a, b]) for a, b in itertools.pairwise(path))

        best = max(itertools.product(range(tags), repeat=int(length)), key=score)
        assert paths[r] == list(best)
