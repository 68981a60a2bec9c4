"""Plan a run: expand each source's globs into files, and files into shards.

A shard is a whole file, a row-group range of a large Parquet file, or a byte range of whole
lines of a large uncompressed JSONL or text file (``shard_rows`` / ``shard_bytes`` of the
pipeline's ``[reader]``), so that workers share large files and a worker reads its part once,
every scanner seeing the same batches. Shard ids are stable (derived from the file's
place under its root and the part number), which is what lets a resumed run skip finished ones.

Each root is listed once (:func:`provenance.manifest.paths.walk`: no symbolic link to a folder
is followed, /proc, /sys, /dev and pseudo-filesystems are never entered, nothing is opened) and
every glob is matched against that listing. Nothing under a root is skipped silently: a FIFO,
socket, device or broken link a glob matches becomes a ``files`` row with status ``error`` saying
what it is (so SRC-01/DOC-02 report it as unreadable), and one no glob matches is an orphan.
A root given as a URL is listed through fsspec (:mod:`provenance.listing`), and its shards
carry the protocol so workers open them through fsspec too; file ids depend only on the root's
id and the file's place under it, so a corpus has the same ids whatever its root's URL.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow.parquet as pq

from provenance.listing import Stats, entry_key, list_url
from provenance.manifest import LoadedManifest
from provenance.manifest.paths import Entry, compile_glob, forget_resolved, glob_match, inside, walk
from provenance.shard import Shard, detect_format
from provenance.storage import open_input

__all__ = ["Plan", "PlannedFile", "Shard", "detect_format", "file_id_for", "make_plan"]


@dataclass
class PlannedFile:
    """A data file claimed by a source."""

    file_id: str
    source_id: str
    dataset_id: str
    root_id: str
    path: Path
    relpath: str
    format: str | None
    compression: str | None
    bytes: int
    mtime_ns: int
    error: str | None = None
    shards: list[Shard] = field(default_factory=list)
    protocol: str | None = None  # read through fsspec (a URL root); None: a local file


@dataclass
class Plan:
    """Files, shards and the coverage facts SRC-01 reports on."""

    files: list[PlannedFile]
    orphans: list[tuple[str, str]]  # (root id, relative path) under a root, claimed by no source
    double_claims: list[tuple[str, str, str]]  # (relative path, first source, second source)
    empty_globs: list[tuple[str, str]]  # (source id, glob) matching no file

    @property
    def shards(self) -> list[Shard]:
        """All shards in a stable order."""
        return [s for f in self.files for s in f.shards]


def file_id_for(root_id: str, relpath: str) -> str:
    """Stable id of a file: its root and its path under that root."""
    return hashlib.sha256(f"{root_id}\x1f{relpath}".encode()).hexdigest()[:16]


def _evidence_paths(lm: LoadedManifest) -> set[Path]:
    """Files the manifest names as evidence: not data, so never orphans."""
    out = {lm.path}
    for model in lm.manifest.foundation_models:
        out |= {(lm.base_dir / e.path).resolve() for e in model.evidence}
    cf = lm.manifest.content_filtering
    if cf:
        named: list[str | None] = [cf.keyword_library]
        named += [x.records for x in (cf.manual_sample, cf.technical_sample) if x]
        out |= {(lm.base_dir / p).resolve() for p in named if p}
    for ds in lm.manifest.datasets:
        if ds.annotation:
            listed: list[str | None] = [r.path for r in ds.annotation.rules]
            listed += [ds.annotation.annotators, ds.annotation.batches]
            out |= {(lm.base_dir / p).resolve() for p in listed if p}
    for _, src in lm.manifest.sources():
        out |= {(lm.base_dir / e.path).resolve() for e in src.evidence}
        for p in (
            src.collection.log if src.collection else None,
            src.contract.document if src.contract else None,
            src.contract.warranties if src.contract else None,
            src.authorization.records if src.authorization else None,
        ):
            if p:
                out.add((lm.base_dir / p).resolve())
        if src.safety_review:
            for sample in (src.safety_review.pre_collection, src.safety_review.post_collection):
                if sample:
                    out.add((lm.base_dir / sample.records).resolve())
        if src.collection and src.collection.robots_dir:
            robots = (lm.base_dir / src.collection.robots_dir).resolve()
            if robots.is_dir():
                out |= {e.path.resolve() for e in walk(robots) if e.problem is None}
    return out


def _shards_for(
    pf: PlannedFile, spec_fields: dict[str, str | None], shard_rows: int, shard_bytes: int
) -> list[Shard]:
    groups: list[tuple[int, ...] | None] = [None]
    ranges: list[tuple[int, int] | None] = [None]
    if pf.format in ("jsonl", "text") and pf.compression is None and pf.bytes > shard_bytes:
        # a large file is shared by workers in byte ranges of whole lines (readers/ranges.py);
        # CSV is not: a quoted field may hold a newline, so a cut could fall inside a record
        n = -(-pf.bytes // shard_bytes)
        cuts = [pf.bytes * i // n for i in range(n + 1)]
        ranges = list(itertools.pairwise(cuts))
        groups = [None] * n
    elif pf.format == "parquet" and pf.compression is None:
        try:  # the footer only: a few KiB, through fsspec for a URL root
            with open_input(str(pf.path), pf.protocol) as fh:
                meta = pq.ParquetFile(fh).metadata
        except Exception:  # unreadable footer: one shard, and the reader records the error
            meta = None
        if meta is not None and meta.num_row_groups > 1:
            # split by rows and by bytes, whichever is reached first
            groups, rows, size = [], 0, 0
            current: list[int] = []
            for g in range(meta.num_row_groups):
                rg = meta.row_group(g)
                n = rg.num_rows
                b = sum(rg.column(c).total_compressed_size for c in range(rg.num_columns))
                if current and (rows + n > shard_rows or size + b > shard_bytes):
                    groups.append(tuple(current))
                    current, rows, size = [], 0, 0
                current.append(g)
                rows, size = rows + n, size + b
            groups.append(tuple(current))
            ranges = [None] * len(groups)
    return [
        Shard(
            shard_id=f"{pf.file_id}:{part}",
            file_id=pf.file_id,
            source_id=pf.source_id,
            path=str(pf.path),
            format=pf.format or "unknown",
            compression=pf.compression,
            part=part,
            row_groups=rg,
            text_field=spec_fields["text_field"] or "text",
            id_field=spec_fields["id_field"],
            url_field=spec_fields["url_field"],
            time_field=spec_fields["time_field"],
            delimiter="\t" if ".tsv" in [x.lower() for x in pf.path.suffixes] else ",",
            byte_range=br,
            size=(br[1] - br[0]) if br else pf.bytes // len(groups),
            protocol=pf.protocol,
        )
        for part, (rg, br) in enumerate(zip(groups, ranges, strict=True))
    ]


def _set_shares(files: list[PlannedFile]) -> None:
    """Each shard's share of its source's bytes (a multi-part file's bytes split evenly)."""
    totals: dict[str, int] = {}
    for pf in files:
        totals[pf.source_id] = totals.get(pf.source_id, 0) + pf.bytes
    for pf in files:
        if pf.shards:
            total = totals[pf.source_id]
            share = pf.bytes / total / len(pf.shards) if total else 1.0 / len(pf.shards)
            pf.shards = [replace(s, share=share) for s in pf.shards]


def _matches(entries: list[Entry], keys: list[tuple[str, ...]], glob: str) -> list[Entry]:
    """Entries (sorted by parts) a glob matches; only the glob's literal prefix is scanned."""
    prefix, compiled = compile_glob(glob)
    out = []
    n = len(prefix)
    for i in range(bisect.bisect_left(keys, prefix), len(keys)):
        if keys[i][:n] != prefix:
            break
        e = entries[i]
        if not e.dirlike and not e.parts[-1].startswith(".") and glob_match(compiled, e.parts):
            out.append(e)
    return out


def make_plan(
    lm: LoadedManifest, shard_rows: int = 1_000_000, shard_bytes: int = 128 << 20
) -> Plan:
    """Expand globs into files and shards; record orphans, double claims and empty globs."""
    forget_resolved()
    claimed: dict[Path | str, PlannedFile] = {}
    files: list[PlannedFile] = []
    double: list[tuple[str, str, str]] = []
    empty: list[tuple[str, str]] = []
    listing = {
        rid: walk(root) if root.is_dir() else []
        for rid, root in lm.roots.items()
        if rid not in lm.urls  # a file:// root is walked by list_url, the same way
    }
    stats: dict[str, Stats] = {}
    for rid, url in lm.urls.items():  # read through fsspec: sizes and times from fs.info
        listing[rid], stats[rid] = list_url(url)
    keys = {rid: [e.parts for e in entries] for rid, entries in listing.items()}
    for ds, src in lm.manifest.sources():
        for spec in src.files:
            root = lm.roots.get(spec.root)  # None: an object store (no links to follow)
            protocol = lm.urls[spec.root].protocol if spec.root in lm.urls else None
            matches = _matches(listing[spec.root], keys[spec.root], spec.glob)
            if not matches:
                empty.append((src.id, spec.glob))
            for entry in matches:
                p, rel = entry.path, entry.rel
                key = entry_key(entry, protocol)
                if key in claimed:
                    if claimed[key].source_id != src.id:
                        double.append((rel, claimed[key].source_id, src.id))
                    continue
                fmt, comp = (
                    detect_format(p.name)
                    if spec.format == "auto"
                    else (spec.format, detect_format(p.name)[1])
                )
                problem, size, mtime = entry.problem, 0, 0
                if protocol is not None:
                    size, mtime = stats[spec.root].get(entry.parts, (-1, 0))
                    if problem is None and size < 0:
                        problem = "gone while planning; not read"
                else:
                    try:  # a regular file (or a link to one) is stat'ed, never opened here
                        st = p.stat() if problem is None else p.lstat()
                        size, mtime = st.st_size, st.st_mtime_ns
                    except OSError as exc:
                        problem = f"gone while planning ({exc.strerror}); not read"
                pf = PlannedFile(
                    file_id=file_id_for(spec.root, rel),
                    source_id=src.id,
                    dataset_id=ds.id,
                    root_id=spec.root,
                    path=p,
                    relpath=rel,
                    format=fmt,
                    compression=comp,
                    bytes=size if problem is None else 0,
                    mtime_ns=max(mtime, 0),
                    protocol=protocol,
                )
                if problem is not None:
                    pf.error = f"{rel!r} is {problem}"
                elif root is not None and not inside(p, [root]):
                    pf.error = "file resolves outside its data root (symbolic link); not read"
                elif fmt is None:
                    pf.error = (
                        f"unknown file type {p.name!r}; use .jsonl, .parquet, .csv, .tsv or .txt "
                        "(optionally .gz/.zst), or set files[].format"
                    )
                else:
                    pf.shards = _shards_for(pf, spec.model_dump(), shard_rows, shard_bytes)
                claimed[key] = pf
                files.append(pf)
    _set_shares(files)
    skip = _evidence_paths(lm)
    orphans: list[tuple[str, str]] = []
    for rid, entries in listing.items():
        protocol = lm.urls[rid].protocol if rid in lm.urls else None
        for e in entries:
            if e.parts[-1].startswith("."):
                continue
            key = entry_key(e, protocol)
            if key not in claimed and key not in skip:
                orphans.append((rid, e.rel))
    return Plan(files=files, orphans=orphans, double_claims=double, empty_globs=empty)
