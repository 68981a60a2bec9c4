"""Issue 9 items 2, 5 and 13 (export half): no path enters SQL, a failed export leaves nothing,
and `verify` trusts neither the names in SHA256SUMS nor the kind of file it finds."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import provenance.dossier.export as export_mod
from provenance import audit
from provenance.dossier.export import export, run_tables
from provenance.dossier.verify import plain_relative, verify
from provenance.errors import BadInput
from provenance.store import Store
from tests.conftest import Corpus, cli


class Audited:
    def __init__(self, db: Path, run_id: str, key: Path) -> None:
        self.db, self.run_id, self.key = db, run_id, key


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audited]:
    root = tmp_path_factory.mktemp("expv")
    key = root / "pii.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PROVENANCE_PII_KEY_FILE", str(key))
        mp.delenv("PROVENANCE_PII_KEY", raising=False)
        corpus = Corpus(root / "corpus")
        corpus.source("open")["upstream"] = ["c4", "wiki"]  # a list column for the CSV writer
        result = audit(corpus.write(), root / "d.duckdb", workers=1)
    yield Audited(root / "d.duckdb", result.run_id, key)


@pytest.fixture(scope="module")
def bundle(audited: Audited, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("expv_bundle") / "bundle"
    export(audited.db, audited.run_id, out)
    return out


@pytest.fixture
def copy(bundle: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "copy"
    shutil.copytree(bundle, dest)
    assert verify(dest) == []
    return dest


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_line(folder: Path, line: str) -> None:
    with open(folder / "SHA256SUMS", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


# -- export ------------------------------------------------------------------------------
def test_out_with_sql_injection_is_only_a_folder_name(audited: Audited, tmp_path: Path) -> None:
    """Issue 9 item 2: an --out holding a quote and a COPY statement exports into a folder of
    that exact name and runs nothing: no injected.csv anywhere."""
    name = "q' (FORMAT csv); COPY findings TO 'injected.csv"
    res = cli(
        "export", "--db", str(audited.db), "--run", audited.run_id, "--out", name, cwd=tmp_path
    )
    assert res.returncode == 0, res.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name / "tables" / "findings.csv").is_file()
    assert not list(tmp_path.rglob("injected.csv"))
    assert verify(tmp_path / name) == []


def test_exported_tables_hold_the_run(audited: Audited, bundle: Path) -> None:
    """Issue 9 item 2: the pyarrow-written CSV and Parquet hold exactly the run's rows of every
    table and view; list columns become JSON text in CSV."""
    with Store(audited.db, read_only=True) as store:
        for name in [*run_tables(store), *export_mod.VIEWS]:
            (n,) = store.query(f'SELECT count(*) FROM "{name}" WHERE run_id = ?', [audited.run_id])[
                1
            ][0]
            assert pq.read_table(bundle / "tables" / f"{name}.parquet").num_rows == n, name
            assert pacsv.read_csv(bundle / "tables" / f"{name}.csv").num_rows == n, name
    sources = pacsv.read_csv(bundle / "tables" / "sources.csv").to_pylist()
    assert {s["source_id"]: s["upstream"] for s in sources}["open"] == '["c4", "wiki"]'


def test_out_is_a_file(audited: Audited, tmp_path: Path) -> None:
    """Issue 9 item 13: --out naming an existing file is bad input (exit 2), not exit 3."""
    target = tmp_path / "a-file"
    target.write_text("keep me")
    res = cli("export", "--db", str(audited.db), "--run", audited.run_id, "--out", str(target))
    assert res.returncode == 2 and "is a file" in res.stderr and "Traceback" not in res.stderr
    assert target.read_text() == "keep me"
    res = cli(
        "export", "--db", str(audited.db), "--run", audited.run_id, "--out", str(target / "sub")
    )
    assert res.returncode == 2 and "cannot create the bundle folder" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("error", [RuntimeError("writer broke"), OSError(28, "No space left")])
def test_half_way_failure_leaves_nothing_and_retry_works(
    audited: Audited, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    """Issue 9 item 13: an export failing after some tables leaves no --out folder and no
    staging folder; exporting again to the same --out then succeeds and verifies."""
    real = export_mod._write_table
    calls = []

    def flaky(*args: Any) -> None:
        calls.append(args[1])
        if len(calls) == 5:
            raise error
        real(*args)

    monkeypatch.setattr(export_mod, "_write_table", flaky)
    out = tmp_path / "out"
    with pytest.raises(BadInput if isinstance(error, OSError) else RuntimeError):
        export(audited.db, audited.run_id, out)
    assert len(calls) == 5
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(export_mod, "_write_table", real)
    files = export(audited.db, audited.run_id, out)
    assert (out / "SHA256SUMS") in files and verify(out) == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_export_into_an_existing_empty_folder(audited: Audited, tmp_path: Path) -> None:
    """Issue 9 item 13: an existing empty --out is filled (the staging folder replaces it)."""
    out = tmp_path / "empty"
    out.mkdir()
    export(audited.db, audited.run_id, out, formats=("json",))
    assert verify(out) == [] and sorted(p.name for p in out.iterdir()) == [
        "RUN.json",
        "SHA256SUMS",
        "dossier.json",
        "eu_summary.json",
    ]


# -- verify ------------------------------------------------------------------------------
def test_plain_relative_is_an_allow_list() -> None:
    """Issue 9 item 5: only plain relative POSIX paths pass."""
    assert plain_relative("dossier.json") and plain_relative("tables/findings.csv")
    for bad in (
        "/etc/hostname",
        "../x",
        "tables/../../x",
        "./dossier.json",
        "tables//x",
        "tables\\x",
        "x\x00y",
        ".hidden",
        "",
        "tables/",
        "a b",
        "C:/x",
    ):
        assert not plain_relative(bad), bad


@pytest.mark.parametrize(
    "name",
    [
        "{outside}",
        "../outside.fifo",
        "../../etc/hostname",
        "tables\\findings.csv",
        "x\x00y",
        "./RUN.json",
    ],
)
def test_unsafe_names_in_sha256sums_are_reported_not_opened(copy: Path, name: str) -> None:
    """Issue 9 item 5: a SHA256SUMS line naming an absolute path, a `..` component, a backslash,
    a NUL or a `.` component is a problem and is never opened (a FIFO outside would block)."""
    fifo = copy.parent / "outside.fifo"
    os.mkfifo(fifo)
    name = name.format(outside=fifo)
    add_line(copy, f"{'0' * 64}  {name}")
    res = cli("verify", str(copy))
    assert res.returncode == 1 and "unsafe path in SHA256SUMS" in res.stderr, res.stderr
    assert "intact" not in res.stdout


def test_correct_digest_outside_the_bundle_is_still_unsafe(copy: Path) -> None:
    """Issue 9 item 5: `../../etc/hostname` with its true digest does not make a bundle intact."""
    outside = copy.parent / "secret.txt"
    outside.write_text("outside")
    add_line(copy, f"{sha(outside)}  ../secret.txt")
    problems = verify(copy)
    assert len(problems) == 1 and problems[0].startswith("unsafe path in SHA256SUMS line ")
    assert problems[0].endswith(": '../secret.txt' (not opened)")


@pytest.mark.parametrize("content", ["", "# SHA256 checksums\n", "\n"])
def test_empty_or_header_only_sha256sums_is_not_intact(copy: Path, content: str) -> None:
    """Issue 9 item 5: an empty or header-only SHA256SUMS is not intact (exit 2)."""
    (copy / "SHA256SUMS").write_text(content)
    res = cli("verify", str(copy))
    assert res.returncode == 2 and "intact" not in res.stdout
    assert "lists no file" in res.stderr or "malformed" in res.stderr


def test_fifo_in_the_bundle_is_reported(copy: Path) -> None:
    """Issue 9 item 5: a FIFO added to the bundle is a problem (and is never read)."""
    os.mkfifo(copy / "tables" / "extra.fifo")
    res = cli("verify", str(copy))
    assert res.returncode == 1 and "not a regular file (FIFO): tables/extra.fifo" in res.stderr


def test_fifo_as_sha256sums_does_not_hang(copy: Path) -> None:
    """Issue 9 item 5: SHA256SUMS replaced by a FIFO is refused without reading it."""
    (copy / "SHA256SUMS").unlink()
    os.mkfifo(copy / "SHA256SUMS")
    res = cli("verify", str(copy))
    assert res.returncode == 2 and "FIFO" in res.stderr


def test_listed_file_replaced_by_symlink_is_not_followed(copy: Path) -> None:
    """Issue 9 item 5: a listed file swapped for a symlink to an identical copy outside is
    reported, even though the content it points to matches."""
    target = copy / "tables" / "findings.csv"
    outside = copy.parent / "findings.csv"
    shutil.copy(target, outside)
    target.unlink()
    target.symlink_to(outside)
    assert verify(copy) == ["not a regular file (symlink): tables/findings.csv"]


def test_symlinked_folder_is_not_followed(copy: Path) -> None:
    """Issue 9 item 5: `tables/` swapped for a symlink to a copy outside the bundle is reported
    for every file under it, none read through the link."""
    outside = copy.parent / "tables-elsewhere"
    shutil.move(copy / "tables", outside)
    (copy / "tables").symlink_to(outside, target_is_directory=True)
    problems = verify(copy)
    assert problems and all("symlink at tables" in p or p.endswith(": tables") for p in problems)
    assert "not a regular file (symlink): tables" in problems


def test_socket_in_the_bundle_is_reported(copy: Path) -> None:
    """Issue 9 item 5: a socket inside the bundle is a problem."""
    path = copy / "s.sock"
    if len(str(path)) > 100:
        pytest.skip("socket path too long for AF_UNIX")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        assert verify(copy) == ["not a regular file (socket): s.sock"]


def test_device_in_the_bundle_is_reported(copy: Path) -> None:
    """Issue 9 item 5: a device node inside the bundle is a problem (needs CAP_MKNOD)."""
    try:
        os.mknod(copy / "null", 0o600 | 0o020000, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot create a device node here")
    assert verify(copy) == ["not a regular file (character device): null"]


def test_verify_still_names_altered_missing_unlisted(copy: Path) -> None:
    """The integrity checks are unchanged by the hardening."""
    (copy / "extra.txt").write_text("x")
    (copy / "dossier.json").unlink()
    (copy / "RUN.json").write_text("{}")
    assert verify(copy) == ["altered: RUN.json", "missing: dossier.json", "not listed: extra.txt"]
