"""Vectorised shingling and MinHash signatures (datasketch-compatible), a batch at a time.

datasketch hashes every shingle in Python (``sha1_hash32``), about 200 documents/s for
``update`` and little more for ``bulk``. Here a whole batch is turned into one array of
Unicode code points; shingle hashes come from polynomial prefix sums (mod 2^32, computed with
numpy's wrapping uint32 arithmetic), and each of the ``num_perm`` affine permutations is one
vector operation followed by a segmented minimum. Permutations and the pre-mix are datasketch's
``affine32`` scheme with the same seed, so a signature equals ``datasketch.MinHash(num_perm,
seed, hashfunc=int).update_batch(shingle_hashes)`` (a test holds that).

Shingles: Chinese (and other CJK) text → character n-grams over non-space characters; other
text → word n-grams over lower-cased runs of letters and digits. A record shorter than n
units is one shingle of all its units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

P = np.uint32(0x01000193)  # FNV prime: odd, so invertible mod 2^32
P_INV = np.uint32(pow(int(P), -1, 1 << 32))
Q = np.uint32(0x9E3779B1)  # word-level base (odd)
MAX32 = np.uint32(0xFFFFFFFF)
#: shingles per block of :func:`signatures` (256 KiB of uint32: fits a core's L2 cache)
SIG_BLOCK = 1 << 16


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for the affine32 scheme)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return np.asarray(h ^ (h >> np.uint32(16)), dtype=np.uint32)


def datasketch_permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) parameters datasketch's MinHash draws for scheme affine32."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _powers(n: int, base: np.uint32) -> np.ndarray:
    out = np.empty(n + 1, dtype=np.uint32)
    out[0] = 1
    if n:
        out[1:] = base
        np.cumprod(out[1:], out=out[1:])
    return out


def _span_hashes(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Polynomial hash of cps[s:e] for each span, via prefix sums: sum cp[j] * P^(j-s)."""
    n = len(cps)
    pinv = _powers(n, P_INV)
    weighted = cps * pinv[:n]
    prefix = np.zeros(n + 1, dtype=np.uint32)
    np.cumsum(weighted, out=prefix[1:])
    pw = _powers(n, P)
    return np.asarray((prefix[ends] - prefix[starts]) * pw[starts], dtype=np.uint32)


def _ngram_combine(units: np.ndarray, seg_id: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n-gram hashes over a sequence of unit hashes that never cross a segment boundary.

    Returns (hashes, segment of each hash). Segments with fewer than n units yield one hash
    of all their units.
    """
    m = len(units)
    if m == 0:
        return units, seg_id
    if m >= n:
        # in place: a batch holds millions of units, temporaries cost more than the arithmetic
        h = units[: m - n + 1].copy()
        for k in range(1, n):
            np.multiply(h, Q, out=h)
            np.add(h, units[k : m - n + 1 + k], out=h)
        ok = seg_id[: m - n + 1] == seg_id[n - 1 :]
        hashes, segs = h[ok], seg_id[: m - n + 1][ok]
    else:
        hashes, segs = np.empty(0, np.uint32), np.empty(0, seg_id.dtype)
    # short segments: one hash of all their units
    counts = np.bincount(seg_id, minlength=int(seg_id.max()) + 1)
    short = np.nonzero((counts > 0) & (counts < n))[0]
    if len(short):
        extra = []
        q = int(Q)
        for s in short:
            h1 = 0  # Python ints masked to 32 bits: the same wrap-around as uint32
            for u in units[seg_id == s].tolist():
                h1 = (h1 * q + u) & 0xFFFFFFFF
            extra.append(h1)
        hashes = np.concatenate([hashes, np.array(extra, dtype=np.uint32)])
        segs = np.concatenate([segs, short.astype(seg_id.dtype)])
    return hashes, segs


def _is_word(cps: np.ndarray) -> np.ndarray:
    return (
        ((cps >= 48) & (cps <= 57))
        | ((cps >= 97) & (cps <= 122))
        | ((cps >= 65) & (cps <= 90))
        | (cps >= 0xC0)
    )


def _is_space(cps: np.ndarray) -> np.ndarray:
    # 9..13 as one unsigned comparison (cps - 9 wraps below 9)
    out = (cps - np.uint32(9)) <= np.uint32(4)
    out |= cps == 32
    out |= cps == 0x3000
    out |= cps == 0xA0
    return np.asarray(out, dtype=bool)


@dataclass
class ShingleBatch:
    """Shingle hashes of a batch and the record each belongs to."""

    hashes: np.ndarray  # uint32
    record: np.ndarray  # int64 index into the batch
    n_records: int


def shingle_batch(
    texts: list[str | None], is_cjk: list[bool], ngram_words: int = 5, ngram_chars: int = 5
) -> ShingleBatch:
    """Shingle hashes for every record of a batch (see module docstring)."""
    hashes: list[np.ndarray] = []
    records: list[np.ndarray] = []
    for cjk, n in ((True, ngram_chars), (False, ngram_words)):
        idx = [i for i, (t, c) in enumerate(zip(texts, is_cjk, strict=True)) if t and c == cjk]
        if not idx:
            continue
        arrays = [np.frombuffer(texts[i].lower().encode("utf-32-le"), dtype=np.uint32) for i in idx]  # type: ignore[union-attr]
        lengths = np.array([len(a) for a in arrays])
        cps = np.concatenate(arrays) if arrays else np.empty(0, np.uint32)
        # int32 record numbers: half the memory traffic of int64 over millions of code points
        doc = np.repeat(np.arange(len(idx), dtype=np.int32), lengths)
        if cjk:
            keep = ~_is_space(cps)
            units, seg = cps[keep], doc[keep]
        else:
            word = _is_word(cps)
            # a word ends where the next code point is not a word character or another record starts
            nxt = np.ones(len(cps), dtype=bool)
            nxt[:-1] = ~word[1:] | (doc[1:] != doc[:-1])
            prv = np.ones(len(cps), dtype=bool)
            prv[1:] = ~word[:-1] | (doc[1:] != doc[:-1])
            starts = np.nonzero(word & prv)[0]
            ends = np.nonzero(word & nxt)[0] + 1
            units, seg = _span_hashes(cps, starts, ends), doc[starts]
        h, s = _ngram_combine(units, seg, n)
        hashes.append(h)
        records.append(np.asarray(idx, dtype=np.int64)[s])
    if not hashes:
        return ShingleBatch(np.empty(0, np.uint32), np.empty(0, np.int64), len(texts))
    return ShingleBatch(np.concatenate(hashes), np.concatenate(records), len(texts))


def signatures(batch: ShingleBatch, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """MinHash signatures (records × num_perm, uint32); records without shingles are all 2^32-1."""
    sig = np.full((batch.n_records, len(a)), MAX32, dtype=np.uint32)
    if len(batch.hashes) == 0:
        return sig
    order = np.argsort(batch.record, kind="stable")
    hv = fmix32(batch.hashes[order])
    rec = batch.record[order]
    starts = np.nonzero(np.r_[True, rec[1:] != rec[:-1]])[0]
    present = rec[starts]
    # blocks of whole records of about SIG_BLOCK shingles, every permutation over one block
    # before the next: the work array stays in the CPU cache (twice as fast as whole-batch
    # passes over millions of shingles)
    cut = np.searchsorted(starts, np.arange(SIG_BLOCK, len(hv), SIG_BLOCK))
    edges = np.unique(np.r_[0, starts[np.minimum(cut, len(starts) - 1)], len(hv)])
    first = np.searchsorted(starts, edges)
    work = np.empty(int(np.diff(edges).max()), dtype=np.uint32)
    for lo, hi, s0, s1 in zip(edges[:-1], edges[1:], first[:-1], first[1:], strict=True):
        h, w = hv[lo:hi], work[: hi - lo]
        at, rows = starts[s0:s1] - lo, present[s0:s1]
        for k in range(len(a)):
            np.multiply(h, a[k], out=w)
            np.add(w, b[k], out=w)
            sig[rows, k] = np.minimum.reduceat(w, at)
    return sig


def band_hashes(sig: np.ndarray, bands: int) -> np.ndarray:
    """One 63-bit hash per (record, band) of ``rows = num_perm // bands`` signature values."""
    rows = sig.shape[1] // bands
    # FNV-1a over each band's values, all bands at once: a loop over the rows of a band only
    # (4 numpy steps, not 128), since the partitioned reduce hashes every record's bands
    part = sig[:, : bands * rows].reshape(sig.shape[0], bands, rows)
    h = np.full((sig.shape[0], bands), np.uint64(0xCBF29CE484222325), dtype=np.uint64)
    for c in range(rows):
        h ^= part[:, :, c]
        h *= np.uint64(0x100000001B3)
    return (h >> np.uint64(1)).astype(np.int64)
