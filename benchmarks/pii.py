"""PII scanning: our fast path against naive presidio, on a generated English/Chinese corpus.

Usage: python benchmarks/pii.py [--docs 20000] [--min-sentences 8] [--max-sentences 30] [--slice 2000]

The corpus (tests/pii_corpus.py): half English, half Chinese; ~5% of documents carry a planted
e-mail, mainland mobile, phone number of another country (international or national form), payment
card of any scheme (contiguous, spaced or dashed), IPv4 or IPv6 address or resident ID number, some
in full-width digits (in Chinese documents, 60% glued to the surrounding characters); ~5% carry a
decoy: IDs and cards with wrong check digits, order numbers, timestamps, version strings, ISBNs,
prices, coordinates, MAC addresses. Measured in one run, single process, same recognizers and
engine:

* baseline: presidio ``AnalyzerEngine.analyze`` per document (language by the same heuristic);
* ours: ``FastAnalyzer.analyze_batch`` over Arrow batches of 2,000 documents;

the two interleaved slice by slice (the machine's load changes during a run; both share it).

Prints documents/s and the ratio, recall per language and per entity type (full-width planted
values counted on their own too), decoys reported, and whether the two paths agree on every
document. Targets (issue 11): >= 20x, recall >= 0.99 per language and per type, 0 decoys.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow as pa

from provenance.pii.engine import build_analyzer
from provenance.pii.fast import FastAnalyzer
from provenance.pii.nlp import guess_language
from provenance.pii.recognizers.phone import _numbers
from tests.pii_corpus import make_docs


def key(results: list) -> list:  # type: ignore[type-arg]
    return sorted((r.entity_type, r.start, r.end, round(r.score, 9)) for r in results)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--min-sentences", type=int, default=8)
    ap.add_argument("--max-sentences", type=int, default=30)
    ap.add_argument("--slice", type=int, default=2_000)
    args = ap.parse_args()
    docs = make_docs(args.docs, seed=2026, sentences=(args.min_sentences, args.max_sentences))
    texts = [d.text for d in docs]
    chars = sum(len(t) for t in texts)
    analyzer = build_analyzer()
    fast = FastAnalyzer(analyzer)
    fast.analyze_batch(pa.array(texts[:100]))  # warm-up: compile patterns, load tokenizers

    # Interleaved in slices of --slice documents (baseline on a slice, then ours on the same
    # slice), so a change of machine load during the run weighs on both sides alike.
    base: list = []  # type: ignore[type-arg]
    ours: list = []  # type: ignore[type-arg]
    t_base = t_ours = 0.0
    for i in range(0, len(texts), args.slice):
        part = texts[i : i + args.slice]
        t = time.perf_counter()
        base += [analyzer.analyze(x, language=guess_language(x)) for x in part]
        t_base += time.perf_counter() - t
        _numbers.cache_clear()  # the baseline filled the phone cache: ours starts cold
        t = time.perf_counter()
        ours += fast.analyze_batch(pa.array(part))
        t_ours += time.perf_counter() - t

    agree = sum(key(a) == key(b) for a, b in zip(base, ours, strict=True))
    print(f"documents: {len(texts):,} ({chars / len(texts):,.0f} characters on average)")
    print(f"presidio analyze per document : {len(texts) / t_base:>9,.0f} docs/s (1.00x)")
    print(
        f"fast path (ours)              : {len(texts) / t_ours:>9,.0f} docs/s ({t_base / t_ours:.1f}x)"
    )
    print(f"identical results             : {agree:,} of {len(texts):,} documents")
    tally: dict[str, list[int]] = {}
    for d, res in zip(docs, ours, strict=True):
        values = {(d.text[r.start : r.end], r.entity_type) for r in res}
        for ent, v in d.planted:
            hit = int((v, ent) in values)
            wide = "full-width digits" if not v.isascii() else None
            for k in (d.lang, ent, wide):
                if k:
                    tally.setdefault(k, [0, 0])
                    tally[k][0] += hit
                    tally[k][1] += 1
    for k, (found, planted) in tally.items():
        print(f"recall {k:<23}: {found / planted:.4f} ({found} of {planted})")
    decoys = sum(
        any(
            x in d.text[r.start : r.end] or d.text[r.start : r.end] in x
            for r in res
            for x in d.decoys
        )
        for d, res in zip(docs, ours, strict=True)
    )
    print(
        f"decoys reported               : {decoys} (of {sum(len(d.decoys) for d in docs)} planted)"
    )


if __name__ == "__main__":
    main()
