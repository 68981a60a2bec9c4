"""Which records of a shard get names and places looked for, and the NER run over them.

``sampled`` (the default): the shard's quota of records with the smallest sampling keys
(:mod:`provenance.pii.sampling`), kept while the shard streams by and analysed when it ends, in
sampling order, stopping early when the stratum's rates need fewer (``adaptive``);
``full``: every record, analysed batch by batch. Either way each analysed record yields its NER
results with the pattern spans of the same record removed (a label-cued name found by both is
one hit), and the counts of the stratum: records, records analysed, records with each type.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa

from provenance.pii.ner import NER_ENTITIES, ner_analyzer
from provenance.pii.sampling import PILOT, BottomK, sample_key, shard_quota, stratum_done

Mode = Literal["sampled", "full"]


@dataclass
class Analysed:
    """One record NER looked at: its key, text, collection time and the new results."""

    key: str
    text: str
    when: Any
    results: list[Any]
    #: PERSON / LOCATION types of the record, from the patterns or NER
    types: set[str]


@dataclass
class NameStratum:
    """Per shard: how many records, how many analysed, how many with each NER type."""

    mode: Mode
    quota: int
    seed: int
    records: int = 0
    analysed: int = 0
    records_with: dict[str, int] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)  # NER results kept
    adaptive: bool = True
    _keep: BottomK | None = None

    @classmethod
    def for_shard(
        cls, mode: Mode, share: float, per_source: int, seed: int, adaptive: bool = True
    ) -> NameStratum:
        quota = shard_quota(share, per_source) if mode == "sampled" else 0
        keep = BottomK(quota) if mode == "sampled" else None
        return cls(mode, quota, seed, adaptive=adaptive, _keep=keep)

    def offer(
        self,
        file_id: str,
        keys: list[str],
        texts: pa.Array,
        times: list[Any],
        pattern_spans: list[list[tuple[int, int, str]]],
    ) -> Iterator[Analysed]:
        """See one batch; in ``full`` mode analyse it now (yielding), else keep the sample."""
        self.records += len(keys)
        if self._keep is None:
            yield from self._analyse(
                list(zip(keys, texts.to_pylist(), times, pattern_spans, strict=True))
            )
            return
        for i, key in enumerate(keys):
            k = sample_key(self.seed, file_id, key)
            if self._keep.would_keep(k):  # only a kept record's text leaves Arrow
                self._keep.offer(k, (key, texts[i].as_py(), times[i], pattern_spans[i]))

    def finish(self) -> Iterator[Analysed]:
        """Analyse the sample (``sampled`` mode), once the shard has been read: in sampling
        order, a chunk at a time, until :func:`stratum_done` (the whole quota when not
        ``adaptive``)."""
        if self._keep is None:
            return
        items = self._keep.items()
        if not self.adaptive:
            yield from self._analyse(items)
            return
        for lo in range(0, len(items), PILOT):
            yield from self._analyse(items[lo : lo + PILOT])
            counts = [self.records_with.get(t, 0) for t in NER_ENTITIES]
            if stratum_done(self.analysed, counts, self.quota):
                return

    def _analyse(
        self, items: list[tuple[str, str | None, Any, list[tuple[int, int, str]]]]
    ) -> Iterator[Analysed]:
        live = [it for it in items if it[1]]
        self.analysed += len(items)
        results = ner_analyzer().analyze_many([str(it[1]) for it in live]) if live else []
        for (key, text, when, spans), found in zip(live, results, strict=True):
            kept = [
                r
                for r in found
                if not any(a < r.end and r.start < b for a, b, t in spans if t == r.entity_type)
            ]
            types = {r.entity_type for r in kept} | {t for _, _, t in spans if t in NER_ENTITIES}
            for t in types:
                self.records_with[t] = self.records_with.get(t, 0) + 1
            for r in kept:
                self.hits[r.entity_type] = self.hits.get(r.entity_type, 0) + 1
            yield Analysed(key, str(text), when, kept, types)
