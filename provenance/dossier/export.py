"""Write the regulator bundle and verify it.

``dossier.html`` (self-contained, bilingual), ``dossier.json``, ``eu_summary.json``, every
table and view of the run as CSV and Parquet under ``tables/``, ``RUN.json`` (run id, manifest
SHA-256, tool version) and ``SHA256SUMS`` over every other file. ``verify`` recomputes the
hashes and names any file that was altered, removed or added.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from provenance import __version__
from provenance.dossier.collect import collect
from provenance.dossier.html import render_html
from provenance.errors import BadInput
from provenance.store import Store

FORMATS = ("html", "json", "csv", "parquet")
LANGS = ("zh", "en")
VIEWS = ("article7", "tc260_self_assessment", "filing_figures", "article19", "source_scale")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )


def run_tables(store: Store) -> list[str]:
    """Tables of the dossier that are keyed by run_id."""
    _, rows = store.query(
        "SELECT table_name FROM duckdb_columns() WHERE column_name = 'run_id' AND NOT internal "
        "AND table_name IN (SELECT table_name FROM duckdb_tables()) ORDER BY 1"
    )
    return [r[0] for r in rows]


def export(
    db: Path,
    run_id: str,
    out: Path,
    langs: tuple[str, ...] = LANGS,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Write the bundle for a complete run; return the files written."""
    bad = [f for f in formats if f not in FORMATS] + [lg for lg in langs if lg not in LANGS]
    if bad:
        raise BadInput(
            f"unknown format or language {bad}; formats: {', '.join(FORMATS)}; languages: zh, en"
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]+", run_id):
        raise BadInput(f"not a run id: {run_id!r}")
    if out.exists() and any(out.iterdir()):
        raise BadInput(f"{out} is not empty; export into a new folder so no stale file is bundled")
    with Store(db, read_only=True) as store:
        data = collect(store, run_id)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        if "json" in formats:
            _json(out / "dossier.json", data)
            _json(out / "eu_summary.json", data["eu_summary"])
            written += [out / "dossier.json", out / "eu_summary.json"]
        if "html" in formats:
            (out / "dossier.html").write_text(render_html(data, langs), encoding="utf-8")
            written.append(out / "dossier.html")
        tabular = [f for f in formats if f in ("csv", "parquet")]
        if tabular:
            (out / "tables").mkdir()
            for name in [*run_tables(store), *VIEWS]:
                for fmt in tabular:
                    target = out / "tables" / f"{name}.{fmt}"
                    opts = "(HEADER, FORMAT csv)" if fmt == "csv" else "(FORMAT parquet)"
                    store.con.execute(
                        f"COPY (SELECT * FROM \"{name}\" WHERE run_id = '{run_id}') TO '{target}' {opts}"
                    )
                    written.append(target)
    _json(
        out / "RUN.json",
        {
            "run_id": run_id,
            "manifest_sha256": data["run"]["manifest_sha256"],
            "tool_version": data["run"]["tool_version"],
            "exported_by": f"provenance {__version__}",
        },
    )
    written.append(out / "RUN.json")
    lines = [f"{_sha256(p)}  {p.relative_to(out).as_posix()}" for p in sorted(written)]
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*written, out / "SHA256SUMS"]


def verify(folder: Path) -> list[str]:
    """Problems with a bundle (empty list = intact): altered, missing or unlisted files."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise BadInput(f"{folder} has no SHA256SUMS: not a provenance export")
    listed: dict[str, str] = {}
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64})  (.+)", line)
        if not m:
            raise BadInput(f"SHA256SUMS line {n} is malformed")
        listed[m.group(2)] = m.group(1)
    problems = []
    for rel, digest in sorted(listed.items()):
        p = folder / rel
        if not p.is_file():
            problems.append(f"missing: {rel}")
        elif _sha256(p) != digest:
            problems.append(f"altered: {rel}")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    problems += [f"not listed: {rel}" for rel in sorted(present - set(listed))]
    return problems
