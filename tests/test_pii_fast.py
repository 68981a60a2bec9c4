"""The fast path gives the same results as presidio's full analysis, offline."""

from __future__ import annotations

import re
import socket
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from provenance.pii.engine import build_analyzer
from provenance.pii.fast import PREFILTER, FastAnalyzer
from provenance.pii.nlp import guess_language
from provenance.pii.recognizers import all_recognizers
from tests.pii_corpus import EN, ZH, make_docs
from tests.test_pii_recognizers import CASES


def key(results: list[Any]) -> list[tuple[str, int, int, float]]:
    return sorted((r.entity_type, r.start, r.end, round(r.score, 9)) for r in results)


@pytest.fixture(scope="module")
def fast() -> FastAnalyzer:
    return FastAnalyzer(build_analyzer())


def test_identical_to_full_presidio_analysis(fast: FastAnalyzer) -> None:
    docs = make_docs(3000, seed=17, pi_rate=0.2, decoy_rate=0.2)
    extra = [text for _, text, _ in CASES]  # every recognizer's edge cases too
    texts = [d.text for d in docs] + extra + ["", "   ", "没有任何个人信息。"]
    got = fast.analyze_batch(pa.array(texts))
    full = [fast.analyzer.analyze(t, language=guess_language(t)) if t else [] for t in texts]
    mismatches = [i for i, (a, b) in enumerate(zip(full, got, strict=True)) if key(a) != key(b)]
    assert mismatches == []
    assert sum(1 for r in got if r) > 500  # the comparison covered many records with hits
    # planted values are found, decoys are not
    for d, results in zip(docs, got, strict=False):
        values = {d.text[r.start : r.end] for r in results}
        assert all(v in values for _, v in d.planted), d.text
        assert not any(x in v or v in x for x in d.decoys for v in values)


def test_prefilter_and_guards_are_necessary_conditions() -> None:
    """Every validated match of every pattern passes the batch prefilter (in RE2, as the fast
    path runs it) and its recognizer's guard; digit-anchored patterns match digits."""
    import regex

    from provenance.pii.identifiers import normalise_text

    docs = make_docs(2000, seed=3, pi_rate=0.5)
    texts = [d.text for d in docs] + [text for _, text, _ in CASES]
    matched: list[str] = []
    for rec in all_recognizers(("en",)):
        guard = re.compile(rec.REQUIRES, re.IGNORECASE) if rec.REQUIRES else None  # type: ignore[attr-defined]
        for pattern in rec.patterns:
            rx = regex.compile(pattern.regex, regex.IGNORECASE | regex.DOTALL | regex.MULTILINE)
            for t in texts:
                norm = normalise_text(t)
                for m in rx.finditer(norm):
                    spans = rec.refine(norm, m.start(), m.end())  # type: ignore[attr-defined]
                    if spans is None:  # validated as presidio does: only results count
                        value = m.group()
                        ok = rec.validate_result(value) is not False
                        spans = [m.span()] if ok and not rec.invalidate_result(value) else []
                    for a, b in spans:
                        matched.append(t[max(0, a - 12) : b])  # cued names: the label
                        if guard is not None:
                            assert guard.search(norm), (rec.name, norm[a:b])
                        if rec.DIGIT_ANCHORED:  # type: ignore[attr-defined]
                            assert re.search(r"[0-9]", norm[a:b]), (rec.name, norm[a:b])
                            # inside the pattern's match, so inside its digit region: the fast
                            # path scans only the regions holding the guard (pii/screen.py)
                            if guard is not None:
                                assert guard.search(norm, m.start(), m.end()), rec.name
    assert len(matched) > 500
    hits = pc.match_substring_regex(pa.array(matched), PREFILTER, ignore_case=True).to_pylist()
    assert [v for v, hit in zip(matched, hits, strict=True) if not hit] == []


def test_batch_guards_never_skip_a_recognizer_that_could_match(fast: FastAnalyzer) -> None:
    """The batch (RE2) decides a guard exactly as Python's ``re`` on the normalised text:
    case variants, Unicode digits and sensitive terms included."""
    from provenance.pii.identifiers import normalise_text
    from tests.test_pii_sensitive import FOUND, NOT_FOUND

    base = [t for _, t, _ in FOUND] + NOT_FOUND + [d.text for d in make_docs(300, seed=9)]
    texts = base + [t.upper() for t in base] + [t.lower() for t in base]
    texts += [
        "ＨＩＶ阳性",
        "病人１３８１２３４５６７８",
        "fe80::1 \u2126 Kelvin \u212a",
        "",
        "姓名",
    ]
    decided = fast.batch_guard_hits(pa.array(texts))
    assert len(fast.batch_guards) >= 8  # the sensitive categories' terms at least
    checked = 0
    for text, known in zip(texts, decided, strict=True):
        for g, hit in known.items():
            assert hit == (re.search(g, normalise_text(text), re.IGNORECASE) is not None)
            checked += 1
    assert checked > 1000  # nearly every text is decided by the batch
    got = fast.analyze_batch(pa.array(texts))
    full = [fast.analyzer.analyze(t, language=guess_language(t)) if t else [] for t in texts]
    assert [key(r) for r in got] == [key(r) for r in full]


def test_nothing_is_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the analyzer and analysing text opens no network connection."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    fast = FastAnalyzer(build_analyzer())
    out = fast.analyze_batch(pa.array(["邮箱a.b@example.com，手机13812345678", "mail x@y.co.uk"]))
    assert [r.entity_type for r in out[0]] and out[1][0].entity_type == "EMAIL_ADDRESS"


# News-like sentences full of digits that are not identifiers (scores, dates, prices, ranges,
# times, counts, grouped numbers), so the digit screen and the phone shape are put to work.
NEWS = {
    "zh": [
        "道琼斯指数上涨了164.17点，收盘时至8829.46点。",
        "1998年5月5日举行的音乐会上，共有3000余人到场。",
        "比赛以3:1结束，第12届运动会于2026-11-23 12:30:45开幕。",
        "全年增长7.8%，总额达1,234,567元，同比增加235 000元。",
        "热线电话 189，编号 2024-001-0035，房间 301-305。",
        "他在１９９８年至２０００年间任职，共计１２３４５６天。",
        "（2023）京0105民初12345号判决书于2024.01.02送达。",
    ],
    "en": [
        "The Dow rose 164.17 points to 8,829.46 on May 5, 1998.",
        "They won 3-1 after trailing 0-1; attendance was 45,123 (up 12.5%).",
        "Flight 1234 left at 12:30:45 on 2026-11-23 with 312 passengers.",
        "The 1998-2000 budget of $123,456,789 covered 555 123 homes.",
        "Call 911 or (202) 555 for the office; ISBN 978-3-16-148410-0.",
        "Version 10.2.3.4 shipped; coordinates 40.7128, -74.0060; ref 123.456.789.",
    ],
}


def test_identical_on_digit_heavy_news(fast: FastAnalyzer) -> None:
    """News full of scores and dates, with identifiers planted among them: the fast path's
    screening (guards per batch, digit regions holding a guard) changes no result."""
    # digit-free sentences too, so that a record has many separate digit regions
    filler = {lang: NEWS[lang] + pool for lang, pool in (("zh", ZH), ("en", EN))}
    docs = make_docs(1500, seed=23, pi_rate=0.3, decoy_rate=0.3, filler=filler)
    extra = [f"{NEWS['zh'][i % 7]}{t}{NEWS['en'][i % 6]}" for i, (_, t, _) in enumerate(CASES)]
    texts = [d.text for d in docs] + extra
    got: list[list[Any]] = []
    for i in range(0, len(texts), 256):  # batches as the scanner reads them
        got += fast.analyze_batch(pa.array(texts[i : i + 256]))
    full = [fast.analyzer.analyze(t, language=guess_language(t)) for t in texts]
    assert [i for i, (a, b) in enumerate(zip(full, got, strict=True)) if key(a) != key(b)] == []
    assert sum(1 for r in got if r) > 300
    known = fast.batch_guard_hits(pa.array(texts))
    # the screen did rule digit-anchored recognizers out of some records with digits
    assert any(not k[g] for k in known for g in fast.digit_guards)


def test_label_guards_read_whitespace_as_the_patterns_do(fast: FastAnalyzer) -> None:
    """The cued name and address guards spell out ``\\s`` for RE2: every character either
    Python engine reads as ``\\s`` is in it, RE2 decides them per batch, and a label with any
    such space before its colon is still found."""
    import regex

    from provenance.pii.recognizers.cn_name_address import WHITESPACE, CnNameRecognizer

    spaces = [
        chr(c) for c in range(0x110000) if re.match(r"\s", chr(c)) or regex.match(r"\s", chr(c))
    ]
    assert all(re.fullmatch(WHITESPACE, c) for c in spaces)
    guards = [g for g in fast.batch_guards if WHITESPACE in g]
    assert len(guards) == 2  # names and addresses, both decided in RE2
    texts = [f"{label}{w}：北京市海淀区，{w}" for w in spaces for label in ("姓名", "住址", "地址")]
    hits = pc.match_substring_regex(pa.array(texts), CnNameRecognizer.REQUIRES or "")
    assert sum(hits.to_pylist()) == len(spaces)
    got = fast.analyze_batch(pa.array(texts))
    full = [fast.analyzer.analyze(t, language="zh") for t in texts]
    assert [key(r) for r in got] == [key(r) for r in full]
    # found after every space the recognizers' own regex reads as \s, both labels
    assert sum(1 for r in got if r) == 3 * sum(1 for c in spaces if regex.match(r"\s", c))


def test_guard_grouping_changes_no_decision(fast: FastAnalyzer) -> None:
    """screen_batch decides every guard alike whether guards come alone or in groups (a group
    is decided by its union first); GuardGroups groups the guards rare so far."""
    from provenance.pii.screen import GuardGroups, screen_batch

    texts = pa.array([d.text for d in make_docs(400, seed=31, pi_rate=0.5, filler=NEWS)] + [""])
    guards = fast.batch_guards + fast.digit_guards
    alone = screen_batch(texts, [[g] for g in guards])
    assert screen_batch(texts, [guards]) == alone
    assert screen_batch(texts, [guards[::2], guards[1::2]]) == alone
    groups = GuardGroups(fast.batch_guards, fast.digit_guards)
    assert groups.groups()[1] == fast.batch_guards  # nothing seen yet: all rare
    groups.count([{g: g == "@" for g in guards}] * 10)  # "@" in every text, nothing else
    assert groups.groups()[1:] == [[g for g in fast.batch_guards if g != "@"], ["@"]]
