"""Draw a review sample from a run's records: seeded, reproducible, provably from the corpus.

Every record the run read has a row in ``record_hashes`` (file, line or row, language, a hash
of its text), so a sample is drawn without reading the corpus again: each record gets the sort
key ``SHA-256(METHOD, seed, file_id, record_index)`` and, per stratum, the records with the
smallest keys are the sample (bottom-k by a keyed hash: a uniform random sample without
replacement, since the keys are independent of the text). Nothing in the key depends on how the
run was scheduled, so runs with 1 or 16 workers give the same sample; anyone holding the run's
``record_hashes`` can recompute it, which is how a returned sheet is verified
(:mod:`provenance.review.verify`).

Strata (``--stratify source|dataset|language|file``) get quotas proportional to their size
(largest remainder), or equal quotas (``allocation="equal"``) capped at the stratum's size.
Items are numbered in key order across strata, so a reviewer sees them in random order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

#: the name of the draw procedure; part of every key, so a changed procedure never collides
METHOD = "provenance-sample/sha256-bottom-k/1"
ScopeKind = Literal["corpus", "dataset", "source"]
Stratify = Literal["source", "dataset", "language", "file"]
Allocation = Literal["proportional", "equal"]
STRATIFY: tuple[str, ...] = ("source", "dataset", "language", "file")

#: one row per record of the run in scope, with its stratum (parameters: stratify, then the
#: scope kind and id three times)
_POPULATION = """
SELECT h.file_id, h.record_index, h.record_key, h.language, h.characters,
       h.source_id, h.dataset_id, h.exact_hash,
       CASE ? WHEN 'source' THEN h.source_id WHEN 'dataset' THEN h.dataset_id
              WHEN 'language' THEN coalesce(h.language, 'none') WHEN 'file' THEN h.file_id
              ELSE '*' END AS stratum
FROM run_record_hashes h
WHERE (? = 'corpus' OR (? = 'source' AND h.source_id = ?) OR (? = 'dataset' AND h.dataset_id = ?))
"""
SIZES_SQL = f"SELECT stratum, count(*), count(*) FILTER (WHERE record_index IS NULL) FROM ({_POPULATION}) GROUP BY 1 ORDER BY 1"
#: per file: records and an order-free digest of their text hashes (the corpus fingerprint)
FINGERPRINT_SQL = """
SELECT file_id, count(*), sum(h.exact_hash::HUGEINT)::VARCHAR, bit_xor(h.exact_hash)
FROM run_record_hashes h
WHERE (? = 'corpus' OR (? = 'source' AND h.source_id = ?) OR (? = 'dataset' AND h.dataset_id = ?))
GROUP BY 1 ORDER BY 1
"""
ITEMS_SQL = f"""
WITH pop AS ({_POPULATION}),
quota AS (SELECT unnest(?::VARCHAR[]) AS stratum, unnest(?::BIGINT[]) AS k),
keyed AS (
  SELECT p.*, sha256(concat_ws(':', ?, ?, p.file_id, p.record_index::VARCHAR)) AS sort_key
  FROM pop p
)
SELECT k.file_id, k.record_index, k.record_key, k.language, k.characters, k.source_id,
       k.dataset_id, k.stratum, k.sort_key, k.exact_hash
FROM keyed k JOIN quota q USING (stratum)
QUALIFY row_number() OVER (PARTITION BY k.stratum ORDER BY k.sort_key, k.file_id, k.record_index) <= q.k
ORDER BY k.sort_key, k.file_id, k.record_index
"""

Query = Callable[[str, list[Any]], Sequence[tuple[Any, ...]]]


@dataclass(frozen=True)
class DrawSpec:
    """What to draw: scope, seed, size (``n`` items, or ``share`` of the scope), strata."""

    scope: ScopeKind = "corpus"
    scope_id: str | None = None
    seed: int = 0
    n: int | None = None
    share: float | None = None
    stratify: Stratify | None = None
    allocation: Allocation = "proportional"

    def label(self) -> str:
        """``corpus``, ``source zh-web``, ``dataset sft-chat``."""
        return self.scope if self.scope == "corpus" else f"{self.scope} {self.scope_id}"


@dataclass(frozen=True)
class Item:
    """One sampled record."""

    ordinal: int
    item_id: str
    stratum: str
    file_id: str
    record_index: int
    record_key: str
    source_id: str
    dataset_id: str
    language: str | None
    characters: int | None
    #: the hash of the record's normalised text when the run read it
    exact_hash: int = 0


@dataclass
class Draw:
    """A drawn sample: its identity, its population and its items in review order."""

    spec: DrawSpec
    sample_id: str
    n: int
    population: int
    strata: dict[str, int]
    quotas: dict[str, int]
    fingerprint: str
    items: list[Item] = field(default_factory=list)

    @property
    def items_digest(self) -> str:
        """SHA-256 over the ordered (item id, file, record index) list."""
        h = hashlib.sha256()
        for it in self.items:
            h.update(f"{it.item_id}\x1f{it.file_id}\x1f{it.record_index}\n".encode())
        return h.hexdigest()


class DrawError(ValueError):
    """The draw cannot be made (empty scope, records without positions); the message says why."""


class HeaderError(DrawError):
    """A sheet's header block does not describe a draw (a field missing or unreadable)."""


def spec_of(header: dict[str, str]) -> DrawSpec:
    """The draw a sheet's header describes (raises :class:`HeaderError` naming a bad field)."""
    try:
        kind, _, sid = header["scope"].partition(" ")
        stratify = header.get("stratify", "none")
        return DrawSpec(
            scope=kind,  # type: ignore[arg-type]
            scope_id=sid or None,
            seed=int(header["seed"]),
            n=int(header["n"]),
            stratify=None if stratify == "none" else stratify,  # type: ignore[arg-type]
            allocation=header.get("allocation", "proportional"),  # type: ignore[arg-type]
        )
    except (KeyError, ValueError) as exc:
        raise HeaderError(f"the sheet's header block is incomplete or altered ({exc})") from None


def allocate(sizes: dict[str, int], n: int, allocation: Allocation) -> dict[str, int]:
    """Items per stratum: proportional (largest remainder) or equal, never above a stratum's
    size, summing to ``min(n, population)``."""
    total = sum(sizes.values())
    n = min(n, total)
    if allocation == "proportional":
        exact = {s: n * size / total for s, size in sizes.items()}
        out = {s: int(v) for s, v in exact.items()}
        # largest remainders first; ties by stratum name so the allocation is deterministic
        rest = sorted(sizes, key=lambda s: (-(exact[s] - out[s]), s))
        for s in rest[: n - sum(out.values())]:
            out[s] += 1
        return out
    # equal shares by water-filling: smallest strata first take all they have up to an even
    # share of what is left; the remainder (fewer than the strata) goes to the largest ones
    out = dict.fromkeys(sizes, 0)
    left = n
    ascending = sorted(sizes, key=lambda s: (sizes[s], s))
    for i, s in enumerate(ascending):
        out[s] = min(sizes[s], left // (len(ascending) - i))
        left -= out[s]
    for s in reversed(ascending):
        if left and out[s] < sizes[s]:
            out[s] += 1
            left -= 1
    return out


def _scope_params(spec: DrawSpec) -> list[Any]:
    sid = spec.scope_id or ""
    return [spec.scope, spec.scope, sid, spec.scope, sid]


def fingerprint(query: Query, spec: DrawSpec) -> str:
    """SHA-256 over the scope's files: records and digests of their text hashes."""
    h = hashlib.sha256()
    for row in query(FINGERPRINT_SQL, _scope_params(spec)):
        h.update("\x1f".join(str(v) for v in row).encode() + b"\n")
    return h.hexdigest()


def sample_id(spec: DrawSpec, n: int, fp: str) -> str:
    """``S-`` and 12 hex characters naming the draw (same parameters, same corpus, same id)."""
    parts = (METHOD, spec.label(), spec.seed, n, spec.stratify or "", spec.allocation, fp)
    return "S-" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


def draw(query: Query, spec: DrawSpec) -> Draw:
    """Draw the sample ``spec`` asks for; ``query`` runs SQL where ``run_record_hashes`` is the
    run's view (with ``source_id`` and ``dataset_id``)."""
    sizes_rows = query(SIZES_SQL, [spec.stratify or "", *_scope_params(spec)])
    sizes = {str(s): int(c) for s, c, _ in sizes_rows}
    population = sum(sizes.values())
    if population == 0:
        raise DrawError(f"{spec.label()} has no records in this run")
    if any(int(missing) for _, _, missing in sizes_rows):
        raise DrawError(
            "this run's record_hashes have no record_index (scanned by minhash before v3): "
            "audit again with this version to draw samples"
        )
    if spec.n is not None:
        wanted = spec.n
    elif spec.share is not None:
        wanted = max(1, math.ceil(population * spec.share - 1e-9))
    else:
        raise DrawError("give the sample size: n items or a share of the scope")
    quotas = allocate(sizes, wanted, spec.allocation)
    fp = fingerprint(query, spec)
    n = sum(quotas.values())
    sid = sample_id(spec, n, fp)
    strata = sorted(q for q in quotas if quotas[q])
    rows = query(
        ITEMS_SQL,
        [
            spec.stratify or "",
            *_scope_params(spec),
            strata,
            [quotas[s] for s in strata],
            METHOD,
            str(spec.seed),
        ],
    )
    width = max(5, len(str(n)))
    items = [
        Item(
            ordinal=i,
            item_id=f"{sid}-{i:0{width}d}",
            stratum=str(r[7]),
            file_id=str(r[0]),
            record_index=int(r[1]),
            record_key=str(r[2]),
            source_id=str(r[5]),
            dataset_id=str(r[6]),
            language=r[3],
            characters=None if r[4] is None else int(r[4]),
            exact_hash=int(r[9]),
        )
        for i, r in enumerate(rows, start=1)
    ]
    return Draw(spec, sid, n, population, sizes, quotas, fp, items)
