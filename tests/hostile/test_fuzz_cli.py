"""Issue 9 fuzzer, end to end: ``python -m provenance audit`` on a corpus with hostile shards.

Each case is the small valid corpus of tests/conftest.py plus a ``fuzz`` source holding one or
two hostile shards (built by tests/hostile/fuzzkit.py: planted good records among junk, cut
gzip/zstd streams, random bytes, damaged Parquet) under hostile file names (rich markup, RTL
override, quotes, very long names), and sometimes hostile manifest strings (markup, RTL, NUL,
lone surrogates as escapes, an unknown key).

Contract, per case, within a time limit:

* exit 0, 1 or 2 only; never 3, never killed by a signal, never "Traceback" in the output;
* exit 2 exactly when the manifest itself is rejected (``load_manifest`` raises), and then no
  dossier is written; hostile *shards* never make the input unusable;
* every damaged file is named: its path is in a finding's subject or evidence of the run, or
  the ``files`` table marks it ``error``;
* every planted good record the damage left intact is counted in ``files.records``.

A few cases also run the bundled pipeline (PII scanning included), ``export`` and ``verify``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from provenance.manifest import load_manifest
from tests.conftest import Corpus

from .fuzzkit import ShardCase, any_shard, fuzz, hostile_text

pytestmark = pytest.mark.slow

LIMIT_S = 60
ROOT = Path(__file__).parents[2]

#: a lighter pipeline than the bundled one (no PII models) so that 30 runs fit in CI time
LIGHT_PIPELINE = """\
[pipeline]
name = "fuzz"
fail_on = "high"
[checks.source_coverage]
[checks.evidence_files]
[checks.source_legitimacy]
[checks.diversity]
[checks.duplicates]
[checks.assessment]
[scanners.file_stats]
[scanners.rights_notices]
[scanners.keyword_filter]
[scanners.corpus_stats]
[scanners.minhash]
"""

NAME_STEMS = [
    "plain",
    "f[/]x",  # a folder "f[" holding "]x…": the path reads f[/]x
    "[bold]b",
    "[x]",
    "rtl\u202egnp",
    "sp ace",
    "中文数据",
    "a'b",
    'q"x',
    "%s{0}",
    "back\\slash",
    "n" * 150,
]
SURROGATE = "\\ud800"
FIFO = "pipe.jsonl"


@dataclass
class CliCase:
    """A hostile corpus: shards for the ``fuzz`` source and manifest strings."""

    shards: list[tuple[str, ShardCase]]  # (file name, case)
    strings: dict[str, str] = field(default_factory=dict)  # manifest field → hostile value
    surrogate: bool = False  # a lone surrogate escape in service.name
    unknown_key: str | None = None
    fifo: bool = False  # a named pipe among the data files: never opened, always named

    def __repr__(self) -> str:
        shards = "\n".join(f"  {name!r}: {case.describe()}" for name, case in self.shards)
        return (
            f"CliCase(strings={self.strings!r}, surrogate={self.surrogate}, "
            f"unknown_key={self.unknown_key!r}, fifo={self.fifo})\n{shards}"
        )


@st.composite
def cli_case(draw: st.DrawFn) -> CliCase:
    shards = []
    for i in range(draw(st.integers(1, 2))):
        case = draw(any_shard)
        stem = draw(st.sampled_from(NAME_STEMS))
        ext = case.name[case.name.index(".") :]
        shards.append((f"{stem}-{i}{ext}", case))
    strings = {}
    if draw(st.booleans()):
        for key in draw(st.sets(st.sampled_from(["provider", "service", "dataset", "source"]))):
            strings[key] = draw(hostile_text.filter(lambda s: s.strip() != ""))
    return CliCase(
        shards=shards,
        strings=strings,
        surrogate=draw(st.integers(0, 5)) == 0,
        unknown_key=draw(hostile_text) if draw(st.integers(0, 7)) == 0 else None,
        fifo=draw(st.integers(0, 5)) == 0,
    )


def _write_corpus(folder: Path, case: CliCase) -> Path:
    corpus = Corpus(folder / "corpus")
    m = corpus.manifest
    corpus.add_source(
        {
            "id": "fuzz",
            "name": case.strings.get("source", "Fuzz source"),
            "source_type": "open_source",
            "origin": {"region": "foreign", "country": "US"},
            "license": "CC-BY-4.0",
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": "fuzz/**/*"}],
        }
    )
    if "provider" in case.strings:
        m["provider"]["name"] = case.strings["provider"]
    if "dataset" in case.strings:
        m["datasets"][0]["name"] = case.strings["dataset"]
    m["service"]["name"] = "SURROGATE_SLOT" if case.surrogate else case.strings.get("service", "S")
    if case.unknown_key is not None:
        m["service"][case.unknown_key] = "x"
    text = yaml.safe_dump(m, allow_unicode=True, sort_keys=False)
    text = text.replace("SURROGATE_SLOT", f'"Chat {SURROGATE}"')
    manifest = corpus.root / "manifest.yaml"
    manifest.write_text(text, encoding="utf-8")
    for name, shard in case.shards:
        path = corpus.root / "data" / "fuzz" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shard.data)
    if case.fifo:
        os.mkfifo(corpus.root / "data" / "fuzz" / FIFO)
    return manifest


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in its own process group; a hang past LIMIT_S kills the group and fails."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "provenance", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        cwd=cwd,
        env={**os.environ, "COLUMNS": "120"},
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"provenance {args[0]} still running after {LIMIT_S} s (a hang)")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + list(value)
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def check_run(folder: Path, case: CliCase, pipeline: str | None) -> tuple[Path, str | None]:
    """Audit the case's corpus through the CLI and assert the contract; return (db, run id)."""
    manifest = _write_corpus(folder, case)
    try:
        load_manifest(manifest)
        manifest_ok = True
    except Exception:  # BadInput, or a loader defect the test_fuzz_manifest cases report
        manifest_ok = False
    db = folder / "out" / "dossier.duckdb"
    args = ["audit", str(manifest), "--db", str(db), "--workers", "1"]
    if pipeline is not None:
        (folder / "fuzz.toml").write_text(pipeline)
        args += ["--pipeline", str(folder / "fuzz.toml")]
    res = cli(*args, cwd=folder)
    said = (
        f"exit {res.returncode}\n--- stdout\n{res.stdout[-3000:]}\n--- stderr\n{res.stderr[-3000:]}"
    )
    assert res.returncode in (0, 1, 2), f"exit code not 0/1/2: {said}"
    assert "Traceback" not in res.stdout + res.stderr, f"traceback: {said}"
    if not manifest_ok:
        assert res.returncode == 2, f"a rejected manifest must exit 2: {said}"
    if res.returncode == 2:
        assert not manifest_ok, f"hostile shards made a valid manifest exit 2: {said}"
        assert not db.exists(), f"exit 2 but a dossier was written: {said}"
        return db, None
    con = duckdb.connect(str(db), read_only=True)
    try:
        run_id = con.execute("SELECT run_id FROM latest_run").fetchone()
        assert run_id is not None, f"no complete run in the dossier: {said}"
        rows = con.execute(
            "SELECT path, status, records FROM files WHERE run_id = ? AND source_id = 'fuzz'",
            [run_id[0]],
        ).fetchall()
        named = [
            s
            for subject, evidence in con.execute(
                "SELECT subject_id, evidence FROM findings WHERE run_id = ?", [run_id[0]]
            ).fetchall()
            for s in [subject, *_strings(json.loads(evidence) if evidence else None)]
        ]
    finally:
        con.close()
    files = {path: (status, records) for path, status, records in rows}
    for name, shard in case.shards:
        rel = f"fuzz/{name}"
        assert rel in files, f"{rel!r} missing from the files table ({sorted(files)}): {said}"
        status, records = files[rel]
        assert (records or 0) >= shard.must_count, (
            f"{rel!r}: {records} record(s) counted, {shard.must_count} good planted "
            f"(status {status}): {said}"
        )
        if shard.bad:
            assert status == "error" or any(rel in s for s in named), (
                f"damaged file {rel!r} (status {status}, {records} records) "
                f"is named by no finding: {said}"
            )
    if case.fifo:
        rel = f"fuzz/{FIFO}"
        assert rel in files or any(rel in s for s in named), (
            f"the named pipe {rel!r} is in no finding and not in the files table: {said}"
        )
    return db, run_id[0]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cli")


@fuzz(examples=26, shrink=False)
@given(case=cli_case())
def test_fuzz_cli_audit(workdir: Path, case: CliCase) -> None:
    """Issue 9 items 6-9, 11: hostile shards and strings through `provenance audit`."""
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        check_run(Path(folder), case, LIGHT_PIPELINE)


@fuzz(examples=4, shrink=False)
@given(case=cli_case())
def test_fuzz_cli_full_pipeline_export_verify(workdir: Path, case: CliCase) -> None:
    """Issue 9 items 3, 6-9, 11, 13: the bundled pipeline, then `export` and `verify` exit 0."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        db, run_id = check_run(folder, case, None)
        if run_id is None:
            return
        bundle = folder / "bundle"
        res = cli("export", "--db", str(db), "--run", run_id, "--out", str(bundle), cwd=folder)
        said = f"exit {res.returncode}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
        assert res.returncode == 0 and "Traceback" not in res.stdout + res.stderr, said
        res = cli("verify", str(bundle), cwd=folder)
        said = f"exit {res.returncode}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
        assert res.returncode == 0 and "Traceback" not in res.stdout + res.stderr, said
