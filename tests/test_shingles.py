"""Vectorised shingling and MinHash: equal to datasketch's, and sensible shingles."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from datasketch import MinHash

from provenance.langid import detect
from provenance.shingles import band_hashes, datasketch_permutations, shingle_batch, signatures

TEXTS = [
    "The quick brown fox jumps over the lazy dog near the river bank today",
    "近年来，人工智能领域发展迅速，受到社会各界广泛关注。",
    "short",
    None,
    "Hello, world! hello again world",
    "混合 mixed 文本 text 123 ４５６",
    "",
]
CJK = [False, True, False, False, False, True, False]


@pytest.mark.parametrize("num_perm", [16, 128])
def test_signatures_equal_datasketch_with_the_same_shingles(num_perm: int) -> None:
    batch = shingle_batch(TEXTS, CJK)
    a, b = datasketch_permutations(num_perm, seed=7)
    sig = signatures(batch, a, b)
    for i in range(len(TEXTS)):
        hashes = batch.hashes[batch.record == i]
        if len(hashes) == 0:
            assert (sig[i] == np.uint32(0xFFFFFFFF)).all()
            continue
        m = MinHash(num_perm=num_perm, seed=7, hashfunc=int)
        m.update_batch([int(h) for h in hashes])
        assert np.array_equal(m.hashvalues.astype(np.uint32), sig[i])


def test_shingle_units() -> None:
    batch = shingle_batch(TEXTS, CJK, ngram_words=5, ngram_chars=5)
    counts = np.bincount(batch.record, minlength=len(TEXTS))
    assert counts[0] == 14 - 5 + 1  # 14 words
    assert (
        counts[1] == len("近年来，人工智能领域发展迅速，受到社会各界广泛关注。") - 5 + 1
    )  # no spaces
    assert counts[2] == 1 and counts[3] == 0 and counts[4] == 1 and counts[6] == 0
    # case and punctuation do not change word shingles
    a = shingle_batch(["Hello, World! one two three"], [False])
    b = shingle_batch(["hello world one two three"], [False])
    assert np.array_equal(a.hashes, b.hashes)


def test_band_hashes_group_identical_bands() -> None:
    a, b = datasketch_permutations(64)
    sig = signatures(shingle_batch([TEXTS[0], TEXTS[0], TEXTS[1]], [False, False, True]), a, b)
    bands = band_hashes(sig, 16)
    assert bands.shape == (3, 16) and (bands[0] == bands[1]).all() and (bands[0] != bands[2]).any()
    assert (bands >= 0).all()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("近年来，人工智能领域发展迅速。", "zh"),
        ("The cat is in the house.", "en"),
        ("def f(x):\n    return x\n\ndef g():\n    pass\n", "code"),
        ("#include <stdio.h>\nint main() {\n", "code"),
        ("こんにちは世界、今日はいい天気", "other"),
        ("안녕하세요 세계", "other"),
        ("Bonjour le monde", "other"),
        ("", "none"),
        (None, "none"),
    ],
)
def test_language_identifier(text: str | None, lang: str) -> None:
    assert detect(pa.array([text], pa.string()))[0] == lang


def test_signatures_in_blocks_equal_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures are computed in cache-sized blocks of whole records; any block size gives
    the signatures of a single pass (datasketch's, by the test above)."""
    texts = [f"{t} {i}" if t else t for i in range(40) for t in TEXTS]
    cjk = CJK * 40
    a, b = datasketch_permutations(32, seed=3)
    whole = signatures(shingle_batch(texts, cjk), a, b)
    for block in (1, 7, 64, 1000):
        monkeypatch.setattr("provenance.shingles.SIG_BLOCK", block)
        assert np.array_equal(signatures(shingle_batch(texts, cjk), a, b), whole)


def test_language_labels_are_reused_for_the_same_batch_only() -> None:
    """The MinHash and statistics scanners label the same batch once between them."""
    batch = pa.record_batch(
        [pa.array(["The cat is in the house.", "近年来，人工智能领域发展迅速。"])], ["text"]
    )
    first = detect(batch.column("text"))
    assert detect(batch.column("text")) is first  # a new wrapper of the same buffers
    assert not first.flags.writeable  # shared: nobody may change it
    other = pa.array(["近年来，人工智能领域发展迅速。", "The cat is in the house."])
    assert detect(other).tolist() == ["zh", "en"]
    assert detect(batch.column("text").slice(1)).tolist() == ["zh"]
    assert detect(batch.column("text")).tolist() == ["en", "zh"]


def test_language_labels_of_a_chunked_array() -> None:
    chunked = pa.chunked_array([["The cat is in the house."], ["近年来，人工智能领域发展迅速。"]])
    assert detect(chunked).tolist() == ["en", "zh"]
