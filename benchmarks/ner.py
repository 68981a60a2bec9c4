"""Names and places on text nobody here wrote: the public NER development sets.

Usage: python benchmarks/ner.py [--sets peoples_daily,weibo,conll] [--direct]

Runs the product's name search — the NER engines wrapped as presidio recognizers, through
:class:`provenance.pii.ner.recognizer.NerAnalyzer`, exactly as the personal-information scanner
calls it — over People's Daily and Weibo (Chinese) and CoNLL-2003 (English) development splits
in ``../shared/eval/ner/`` (see benchmarks/ner_eval.py for loading and overlap scoring), and
prints PERSON and LOCATION recall and precision per set, PERSON precision over all three, and
characters per second. ``--direct`` calls the engines without presidio (to see its overhead).

Targets (issue 11): PERSON recall >= 0.90 on People's Daily, >= 0.85 on CoNLL, >= 0.75 on Weibo;
PERSON precision >= 0.80 over all three. Results are also judged on held-back test splits and
other text, so nothing in the engines is derived from these files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_eval import SETS, Score, load, score

from provenance.pii.ner.recognizer import NerAnalyzer

TARGETS = {"peoples_daily": 0.90, "conll": 0.85, "weibo": 0.75}
PRECISION_TARGET = 0.80


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="peoples_daily,weibo,conll")
    ap.add_argument("--direct", action="store_true", help="engines without presidio")
    args = ap.parse_args()
    t0 = time.perf_counter()
    ner = NerAnalyzer()
    print(f"engines loaded in {time.perf_counter() - t0:.1f} s")
    pooled = Score()
    ok = True
    for name in args.sets.split(","):
        docs = load(name)
        texts = [d.text for d in docs]
        lang = SETS[name]
        t0 = time.perf_counter()
        if args.direct:
            spans = ner.engines[lang].find_many(texts)
        else:
            spans = [
                [(r.start, r.end, r.entity_type) for r in rs] for rs in ner.analyze_many(texts)
            ]
        dt = time.perf_counter() - t0
        answers = dict(zip(texts, spans, strict=True))
        result = score(docs, answers.__getitem__)
        chars = sum(len(t) for t in texts)
        per, loc = result["PERSON"], result["LOCATION"]
        pooled.add(per)
        target = TARGETS.get(name)
        hit = target is None or per.recall >= target
        ok &= hit
        print(
            f"{name:14s} {len(docs):5d} docs  PERSON recall {per.recall:.3f} precision "
            f"{per.precision:.3f} (gold {per.gold})  LOCATION recall {loc.recall:.3f} precision "
            f"{loc.precision:.3f} (gold {loc.gold})  {chars / dt:,.0f} chars/s"
            + (f"  target recall {target:.2f}: {'met' if hit else 'NOT met'}" if target else "")
        )
    ok &= pooled.precision >= PRECISION_TARGET
    print(
        f"PERSON precision over all sets {pooled.precision:.3f} "
        f"(target {PRECISION_TARGET:.2f}); all targets {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
