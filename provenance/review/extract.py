"""The sampled records' text, read back from the data files, with personal information masked.

Only the files that hold a sampled record are read, each only as far as its last sampled line or
row. The text a reviewer sees never holds a raw identifier or name: the run's personal-information
recognizers (the same patterns, with the run's extra pattern files and spaCy models) and the NER
engine run over every sampled record, and each span becomes the scanner's masked form
(:func:`provenance.pii.protect.mask`: ``138****5678``, ``王**``). Where two spans overlap the longer
one is masked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from provenance.errors import BadInput
from provenance.plan import Plan
from provenance.readers import ShardReader
from provenance.review.draw import Item


def _file_texts(shards: list[Any], indices: set[int]) -> dict[int, str | None]:
    """The texts of ``indices`` (1-based lines or rows) of one file, reading no further than
    the last of them."""
    out: dict[int, str | None] = {}
    last = max(indices)
    keys = pa.array(sorted(indices), pa.int64())
    for shard in shards:
        for batch in ShardReader(shard):
            index = batch.column("record_index").cast(pa.int64())
            picked = batch.filter(pc.is_in(index, value_set=keys))
            for i, t in zip(
                picked.column("record_index").to_pylist(),
                picked.column("text").to_pylist(),
                strict=True,
            ):
                out[int(i)] = t
            top = pc.max(index).as_py()
            if top is not None and top >= last:
                return out
    return out


def read_texts(
    plan: Plan, items: Iterable[Item], progress: Callable[[int], None] | None = None
) -> dict[tuple[str, int], str | None]:
    """``(file_id, record_index)`` → the record's text (None when the record had no text).
    Raises :class:`BadInput` when a sampled record is not where the run found it."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for it in items:
        wanted[it.file_id].add(it.record_index)
    files = {pf.file_id: pf for pf in plan.files}
    out: dict[tuple[str, int], str | None] = {}
    for file_id, indices in wanted.items():
        pf = files.get(file_id)
        if pf is None:
            raise BadInput(
                f"a sampled file ({file_id}) is no longer claimed by the manifest: "
                "the corpus changed since the run; audit again and draw from the new run"
            )
        found = _file_texts(pf.shards, indices)
        lost = sorted(indices - found.keys())
        if lost:
            raise BadInput(
                f"{len(lost)} sampled record(s) are not in {pf.relpath} any more (first: "
                f"record {lost[0]}): the corpus changed since the run; audit again"
            )
        out.update({(file_id, i): t for i, t in found.items()})
        if progress:
            progress(len(indices))
    return out


def _spans(patterns: list[Any], names: list[Any]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, longer first where two overlap."""
    found = sorted(
        ((r.start, r.end, r.entity_type) for r in (*patterns, *names)),
        key=lambda s: (-(s[1] - s[0]), s[0]),
    )
    kept: list[tuple[int, int, str]] = []
    for a, b, t in found:
        if all(b <= x or y <= a for x, y, _ in kept):
            kept.append((a, b, t))
    return sorted(kept)


#: this process's masker, built once by :func:`_init_worker` in a masking worker process
_WORKER: list[Callable[[list[str]], list[str]]] = []


def _init_worker(models: dict[str, str], patterns: list[Path]) -> None:
    _WORKER.append(masker(models, patterns))


def _mask_chunk(texts: list[str]) -> list[str]:
    return _WORKER[0](texts)


def mask_all(
    texts: list[str],
    models: dict[str, str],
    patterns: list[Path],
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    chunk: int = 64,
) -> list[str]:
    """Every text masked, in order; NER on a few thousand long records is the slow part of a
    sheet (~20-40 ms a record), so ``workers`` > 1 spreads the chunks over processes, each
    building its analyzers once."""
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    out: list[str] = []
    if workers <= 1 or len(chunks) <= 1:
        run = masker(models, patterns)
        for c in chunks:
            out += run(c)
            if progress:
                progress(len(out))
        return out
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # forkserver, as the audit's workers: a forked child would share the dossier's open handle
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=mp.get_context("forkserver"),
        initializer=_init_worker,
        initargs=(models, patterns),
    ) as pool:
        for masked in pool.map(_mask_chunk, chunks):
            out += masked
            if progress:
                progress(len(out))
    return out


def masker(models: dict[str, str], patterns: list[Path]) -> Callable[[list[str]], list[str]]:
    """A function masking personal information in texts, built once (loading spaCy takes a
    second or two) with the run's PII settings."""
    from provenance.pii import fast_analyzer
    from provenance.pii.custom import load_patterns
    from provenance.pii.ner import ner_analyzer
    from provenance.pii.protect import mask

    custom = tuple(c for p in patterns for c in load_patterns(p))
    fast = fast_analyzer(tuple(sorted(models.items())), custom)
    ner = ner_analyzer()

    def run(texts: list[str]) -> list[str]:
        if not texts:
            return []
        found = fast.analyze_batch(pa.array(texts, pa.string()))
        # places named in free text are not personal information (a label-cued address from
        # the patterns is, and stays masked), and a reviewer needs them to judge A.1 risks
        named = [[r for r in rs if r.entity_type != "LOCATION"] for rs in ner.analyze_many(texts)]
        out = []
        for text, pats, nms in zip(texts, found, named, strict=True):
            pieces, at = [], 0
            for a, b, t in _spans(pats, nms):
                pieces += [text[at:a], mask(t, text[a:b])]
                at = b
            out.append("".join(pieces) + text[at:])
        return out

    return run
