"""``provenance sample``: draw from a complete run, write the review sheet, record the sample.

The order of work keeps the dossier consistent and free: the draw is computed first (from the
run's ``record_hashes``, no data read; the dossier is open only for this), the texts are read
and masked, the sheet is written, and only then is the sample recorded (``samples``,
``sample_items``) in one transaction — a sheet that failed to be written leaves no record of a
sample nobody holds. The record is a convenience for auditors: a returned sheet is verified by
recomputing the draw from the audited run (:mod:`provenance.review.verify`), not by looking it up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenance import __version__
from provenance.errors import BadInput
from provenance.reduce.parts import scope_part_views, spec_from_config
from provenance.review.draw import METHOD, Draw, DrawError, DrawSpec, draw
from provenance.store import Store

#: what a reviewer is asked to do, in both languages (the sheet's header block)
INSTRUCTIONS = (
    "Fill verdict (pass / fail), risk_code for a fail (TC260-003 Appendix A: A.1a … A.5b; "
    "several separated by ;), reviewer and reviewed_at (YYYY-MM-DD); leave the other columns "
    "as they are. 请填写 verdict（pass 合格 / fail 不合格）、不合格项的 risk_code（TC260-003 附录A "
    "风险编码 A.1a … A.5b，多个以 ; 分隔）、reviewer 与 reviewed_at（YYYY-MM-DD），其他列请勿修改。"
)
MASKING = (
    "personal information masked (identifier patterns and names), as in pii_hits.masked; "
    "个人信息已遮蔽（标识符与姓名）"
)
_DELETE_ITEMS = "DELETE FROM sample_items WHERE sample_id = ? AND run_id = ?"
_DELETE_SAMPLE = "DELETE FROM samples WHERE sample_id = ? AND run_id = ?"


@dataclass
class Drawn:
    """What ``provenance sample`` made: the draw, the sheet written, rows in it."""

    draw: Draw
    sheet: Path
    header: dict[str, str]
    #: stratum → how a reader names it (a file's path rather than its id)
    labels: dict[str, str]


def run_views(store: Store, run_id: str) -> None:
    """The run-scoped views ``run_record_hashes`` / ``run_files`` a draw reads (the run's
    Parquet parts when its per-record tables live beside the dossier)."""
    from provenance.checks.base import VIEW_PREFIX

    store.scope_views(run_id, ("files", "record_hashes"), VIEW_PREFIX)
    config = (store.run(run_id) or {}).get("config") or "{}"
    parts = spec_from_config(json.loads(config) if isinstance(config, str) else config)
    if parts is not None:
        scope_part_views(store.con, run_id, parts)


_SCOPE_IDS = "SELECT DISTINCT source_id, dataset_id FROM run_files ORDER BY ALL"


def _known_scope(store: Store, spec: DrawSpec) -> None:
    """A source or dataset the run has, or an error listing the ones it has."""
    if spec.scope == "corpus":
        return
    pairs = store.query(_SCOPE_IDS, [])[1]
    known = sorted({str(p[0 if spec.scope == "source" else 1]) for p in pairs})
    if spec.scope_id not in known:
        raise BadInput(
            f"the run has no {spec.scope} {spec.scope_id!r}; its {spec.scope}s: {', '.join(known)}"
        )


def header_of(
    d: Draw, run_id: str, drawn_at: dt.datetime, labels: dict[str, str] | None = None
) -> dict[str, str]:
    """The sheet's header block: what was drawn, when, how, from what (``labels`` name the
    strata for a reader: file strata by path)."""
    names = labels or {}
    strata = "; ".join(f"{names.get(s, s)}={d.quotas[s]}/{d.strata[s]}" for s in sorted(d.strata))
    return {
        "provenance_sample": "1",
        "sample_id": d.sample_id,
        "scope": d.spec.label(),
        "run_id": run_id,
        "drawn_at": drawn_at.isoformat(timespec="seconds"),
        "tool": f"provenance {__version__}",
        "seed": str(d.spec.seed),
        "n": str(d.n),
        "population": str(d.population),
        "stratify": d.spec.stratify or "none",
        "allocation": d.spec.allocation,
        "strata": strata,
        "method": METHOD,
        "fingerprint": d.fingerprint,
        "items_digest": d.items_digest,
        "masking": MASKING,
        "instructions": INSTRUCTIONS,
    }


def sample(
    db: Path,
    run_id: str,
    spec: DrawSpec,
    out: Path,
    progress: Callable[[str, int, int], None] | None = None,
    allow_roots: tuple[str | Path, ...] = (),
    workers: int = 1,
) -> Drawn:
    """Draw ``spec`` from ``run_id`` in ``db``, write the sheet ``out``, record the sample.

    The run's manifest (unchanged since the run) says where the data files are; ``allow_roots``
    as for the audit; ``workers`` processes mask the texts (NER is the slow part)."""
    from provenance.dossier.collect import complete_run
    from provenance.manifest import load_manifest
    from provenance.plan import make_plan
    from provenance.review.extract import mask_all, read_texts
    from provenance.review.sheet import sheet_format, write_sheet

    sheet_format(out)  # a bad suffix fails before any work
    if out.exists():
        raise BadInput(f"{out} exists; name a new file (a sheet is never overwritten)")
    # checked before minutes of masking, not after
    if not out.parent.is_dir() or not os.access(out.parent, os.W_OK):
        raise BadInput(f"{out.parent} is not a folder this user may write the sheet into")
    # the dossier is locked only to draw and to record: masking takes minutes, and other
    # readers (provenance sql, an auditor's client) should not wait for it
    with Store(db) as store:
        run = complete_run(store, run_id)
        run_views(store, run_id)
        _known_scope(store, spec)
        try:
            d = draw(lambda sql, params: store.query(sql, params)[1], spec)
        except DrawError as exc:
            raise BadInput(f"run {run_id}: {exc}") from None
    config = run["config"]
    config = json.loads(config) if isinstance(config, str) else config
    lm = load_manifest(run["manifest_path"], allow_roots=allow_roots)
    if lm.sha256 != run["manifest_sha256"]:
        raise BadInput(
            f"{run['manifest_path']} changed since run {run_id}: the sample must come from "
            "the data that run audited; audit again and draw from the new run"
        )
    plan = make_plan(lm)
    done = [0]

    def step(k: int) -> None:
        done[0] += k
        if progress:
            progress("reading", done[0], d.n)

    texts = read_texts(plan, d.items, step)
    pii = (config.get("scanners") or {}).get("personal_information") or {}
    paths = {pf.file_id: f"{pf.root_id}/{pf.relpath}" for pf in plan.files}
    ordered = [texts[(it.file_id, it.record_index)] or "" for it in d.items]
    _unchanged(d, ordered, paths)

    def masked_so_far(k: int) -> None:
        if progress:
            progress("masking", k, d.n)

    masked = mask_all(
        ordered,
        dict(pii.get("models") or {}),
        [Path(p) for p in pii.get("patterns") or []],
        workers,
        masked_so_far,
    )
    rows = [_row(it, paths[it.file_id], text) for it, text in zip(d.items, masked, strict=True)]
    drawn_at = _now()
    labels = paths if spec.stratify == "file" else {}
    header = header_of(d, run_id, drawn_at, labels)
    write_sheet(out, header, rows)
    with Store(db) as store:
        _record(store, d, run_id, drawn_at, out.name)
    return Drawn(d, out, header, labels)


def _unchanged(d: Draw, texts: list[str], paths: dict[str, str]) -> None:
    """The texts read now are the ones the run hashed: a reviewer must not be shown a record
    edited (or cleaned up) after the audit."""
    import pyarrow as pa

    from provenance.scanners.minhash import exact_hashes

    now = exact_hashes(pa.array(texts, pa.string()))
    changed = [it for it, h in zip(d.items, now, strict=True) if int(h) != it.exact_hash]
    if changed:
        it = changed[0]
        raise BadInput(
            f"{len(changed)} sampled record(s) changed since run (first: "
            f"{paths.get(it.file_id, it.file_id)}, record {it.record_index}): the sheet must show "
            "what the run audited; audit again and draw from the new run"
        )


def _now() -> dt.datetime:
    """UTC now, or ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set, so a
    regenerated example sheet is byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(it: Any, path: str, text: str) -> dict[str, Any]:
    return {
        "sample_item": it.item_id,
        "source": it.source_id,
        "file": path,
        "record_index": it.record_index,
        "record_key": it.record_key,
        "language": it.language or "",
        "characters": it.characters if it.characters is not None else len(text),
        "text": text,
        "verdict": "",
        "risk_code": "",
        "reviewer": "",
        "reviewed_at": "",
        "note": "",
    }


def _record(store: Store, d: Draw, run_id: str, drawn_at: dt.datetime, sheet: str) -> None:
    """The sample's row and items, replacing an earlier draw of the same sample from this run."""
    with store.transaction():
        store.con.execute(_DELETE_ITEMS, [d.sample_id, run_id])
        store.con.execute(_DELETE_SAMPLE, [d.sample_id, run_id])
        store.insert(
            "samples",
            [
                {
                    "sample_id": d.sample_id,
                    "scope_kind": d.spec.scope,
                    "scope_id": d.spec.scope_id,
                    "seed": d.spec.seed,
                    "n": d.n,
                    "population": d.population,
                    "stratify": d.spec.stratify,
                    "allocation": d.spec.allocation,
                    "method": METHOD,
                    "fingerprint": d.fingerprint,
                    "items_digest": d.items_digest,
                    "drawn_at": drawn_at,
                    "tool_version": __version__,
                    "sheet": sheet,
                }
            ],
            run_id,
        )
        store.insert(
            "sample_items",
            [
                {
                    "sample_id": d.sample_id,
                    "ordinal": it.ordinal,
                    "item_id": it.item_id,
                    "stratum": it.stratum,
                    "file_id": it.file_id,
                    "record_index": it.record_index,
                    "record_key": it.record_key,
                }
                for it in d.items
            ],
            run_id,
        )
