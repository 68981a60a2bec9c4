"""Hostile manifests (issue 9, item 10 and the manifest part of the hostile-input list).

Every case must end in exit 2 (or BadInput) naming the place, quickly: never a traceback,
never a hang, never unbounded memory. Cases that could hang run through the CLI in a
subprocess with a time limit; the rest call the loader in-process under an alarm.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from provenance.errors import BadInput
from provenance.manifest import load_manifest
from tests.conftest import BASE_MANIFEST, Corpus, cli, refused


def validate(path: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``provenance validate`` in a subprocess; a hang fails the test instead of blocking it."""
    return cli("validate", str(path), timeout=timeout)


@contextmanager
def deadline(seconds: int = 30) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""

    def _boom(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, _boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def problems_of(path: Path) -> dict[str, Any]:
    """Load ``path`` expecting BadInput; map each problem's field path to the problem."""
    with deadline(), pytest.raises(BadInput) as info:
        load_manifest(path)
    return {p.path: p for p in info.value.problems}


def bomb(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: each level lists the previous one ``width`` times."""
    lines = ['manifest_version: 1\nlol0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_9x9_is_refused_quickly(tmp_path: Path) -> None:
    """Issue 9 item 10: a 9x9 alias bomb hung `validate` (>300 s); now exit 2 at once."""
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(9))
    refused(validate(path), "aliases would expand the document", "at most 1,000,000")


def test_billion_laughs_8_levels_is_refused_without_memory_error(tmp_path: Path) -> None:
    """Issue 9 item 10: 8 levels took 6 GB, then a MemoryError traceback; now exit 2."""
    path = tmp_path / "bomb8.yaml"
    path.write_text(bomb(8))
    err = refused(validate(path), "aliases would expand the document")
    assert "MemoryError" not in err


def test_aliases_and_merge_keys_within_the_limit_still_work(corpus: Corpus) -> None:
    """Issue 9 item 10: the bound refuses bombs, not ordinary sharing (anchors, `<<`)."""
    text = corpus.write().read_text()
    text = text.replace(
        "    origin:\n      region: foreign\n      country: US\n",
        "    origin: &foreign\n      region: foreign\n      country: US\n",
        1,
    )
    text = text.replace(
        "    origin:\n      region: domestic\n      country: CN\n",
        "    origin:\n      <<: *foreign\n      region: domestic\n",
        1,
    )
    assert "&foreign" in text and "<<: *foreign" in text
    path = corpus.root / "aliases.yaml"
    path.write_text(text)
    lm = load_manifest(path)
    crawl = lm.manifest.sources()[1][1]
    assert crawl.origin.region == "domestic" and crawl.origin.country == "US"


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    """Issue 9 item 10: an alias to the node being defined (a cycle) is a problem, not a loop."""
    path = tmp_path / "cycle.yaml"
    path.write_text("manifest_version: 1\nloop: &x [1, *x]\n")
    refused(validate(path), "alias *x names no anchor defined before it")


def test_ten_thousand_sources_validate_correctly(tmp_path: Path) -> None:
    """Issue 9 item 10: big manifests are linear; correctness at 10k sources (no timing)."""
    (tmp_path / "data").mkdir()
    m = copy.deepcopy(BASE_MANIFEST)
    m["foundation_models"] = []
    src = {
        "source_type": "open_source",
        "origin": {"region": "foreign", "country": "US"},
        "license": "MIT",
        "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
        "files": [{"root": "corpus", "glob": "open/*.jsonl"}],
    }
    m["datasets"][0]["sources"] = [{"id": f"s{i}", **src} for i in range(10_000)]
    m["datasets"][0]["sources"][9_999]["id"] = "s17"  # one duplicate, at the very end
    path = tmp_path / "big.json"  # JSON is YAML, and quick to write
    path.write_text(json.dumps(m, indent=1))
    with deadline(120), pytest.raises(BadInput) as info:
        load_manifest(path)
    (problem,) = info.value.problems
    assert problem.path == "datasets[0].sources[9999].id"
    assert "duplicate source id 's17'" in problem.message
    line = path.read_text().splitlines()[problem.line - 1]
    assert '"id": "s17"' in line
    m["datasets"][0]["sources"][9_999]["id"] = "s9999"
    path.write_text(json.dumps(m, indent=1))
    with deadline(120):
        assert len(load_manifest(path).manifest.sources()) == 10_000


@pytest.mark.parametrize(
    ("text", "said"),
    [("- manifest_version: 1\n", "not a list"), ("hello\n", "not a str"), ("", "empty file")],
    ids=["list", "scalar", "empty"],
)
def test_manifest_that_is_not_a_mapping(tmp_path: Path, text: str, said: str) -> None:
    """Issue 9 hostile list: a YAML list, scalar or empty file is exit 2, not a traceback."""
    path = tmp_path / "m.yaml"
    path.write_text(text)
    refused(validate(path), "must be a mapping at the top level", said)


def test_binary_bytes_and_control_characters(tmp_path: Path) -> None:
    """Issue 9 hostile list: binary bytes (invalid UTF-8, or NUL/control characters that are
    valid UTF-8 — a YAML ReaderError, not a MarkedYAMLError) are exit 2 with the line."""
    path = tmp_path / "m.yaml"
    path.write_bytes(b"manifest_version: 1\n\xff\xfe\x00garbage")
    refused(validate(path), "not UTF-8")
    path.write_bytes(b"manifest_version: 1\nprovider: {name: a\x00b}\n")
    err = refused(validate(path), "#x0000 is not allowed")
    assert f"{path}:2" in err


def test_50_megabyte_string_field(tmp_path: Path) -> None:
    """Issue 9 hostile list: a 50 MB string field is a problem at its place, parsed fast."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: 1\nprovider:\n  name: " + "x" * 50_000_000 + "\n")
    err = refused(validate(path, timeout=60), "50,000,000 characters long")
    assert f"{path}:3: provider.name:" in err


@pytest.mark.parametrize("style", ["flow", "block", "sequence"])
def test_nesting_100k_levels_deep(tmp_path: Path, style: str) -> None:
    """Issue 9 hostile list: 100k nested mappings stop at the depth limit, no RecursionError
    (block style at 3,000 levels: its indentation makes the file grow with the square)."""
    n = 100_000
    text = {
        "flow": "a: " + "{a: " * n + "1" + "}" * n + "\n",
        "block": "".join("  " * i + "a:\n" for i in range(3000)) + "  " * 3000 + "b\n",
        "sequence": "a: " + "[" * n + "]" * n + "\n",
    }[style]
    path = tmp_path / "m.yaml"
    path.write_text(text)
    refused(validate(path, timeout=60), "nesting is deeper than 64 levels")


def test_duplicate_keys_are_still_an_error(tmp_path: Path) -> None:
    """Issue 9 hostile list: duplicate keys stay a problem at the second key's line."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: 1\nprovider: {name: a}\nprovider: {name: b}\n")
    problem = problems_of(path)["provider"]
    assert problem.code == "duplicate_key" and problem.line == 3


def test_keys_that_are_not_strings(tmp_path: Path) -> None:
    """Issue 9 hostile list: integer, boolean, null and complex keys are problems with lines."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: 1\n1: a\nprovider:\n  true: b\n[x]: c\n{y: 1}: d\n")
    with deadline(), pytest.raises(BadInput) as info:
        load_manifest(path)
    keyed = [p for p in info.value.problems if p.code == "key_type"]
    assert [(p.path, p.line) for p in keyed] == [("", 2), ("provider", 4), ("", 5), ("", 6)]
    assert "key 1 is not a string" in keyed[0].message
    refused(validate(path), "key True is not a string")


def test_nan_and_infinity(tmp_path: Path) -> None:
    """Issue 9 hostile list: NaN/inf numbers are problems at their place."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: .nan\nprovider: {name: -.inf}\n")
    problems = problems_of(path)
    assert problems["manifest_version"].line == 1
    assert problems["provider.name"].line == 2
    assert "finite" in problems["provider.name"].message


def test_impossible_date(corpus: Corpus) -> None:
    """Issue 9 hostile list: 2026-02-30 was a ValueError inside PyYAML; now a dated problem."""
    corpus.manifest["service"]["training_date"] = "@DATE@"
    path = corpus.write()
    path.write_text(path.read_text().replace("'@DATE@'", "2026-02-30"))
    problem = problems_of(path)["service.training_date"]
    assert "day value is outside expected range" in problem.message
    assert "2026-02-30" in path.read_text().splitlines()[problem.line - 1]
    refused(validate(path), "service.training_date")


def test_huge_integer_and_unsafe_tag(tmp_path: Path) -> None:
    """Issue 9 hostile list: a 5,000-digit integer (Python's int-digits limit) and a python
    tag are exit 2 with their place."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: " + "9" * 5000 + "\n")
    refused(validate(path), "manifest_version", "is not a valid int")
    path.write_text("manifest_version: 1\nprovider: !!python/object/apply:os.system [echo]\n")
    refused(validate(path), "provider", "is not allowed in a manifest")


def test_more_than_one_document(tmp_path: Path) -> None:
    """Issue 9 hostile list: a second YAML document ('---') is refused, not ignored."""
    path = tmp_path / "m.yaml"
    path.write_text("manifest_version: 1\n---\nmanifest_version: 1\n")
    refused(validate(path), "more than one YAML document")


def test_manifest_path_that_is_a_fifo_is_not_opened(tmp_path: Path) -> None:
    """Issue 9 hostile list: `validate <a FIFO>` would block forever in open(); now exit 2."""
    fifo = tmp_path / "m.yaml"
    os.mkfifo(fifo)
    refused(validate(fifo), "is not a regular file")


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_evidence_path_that_is_a_folder_or_fifo(corpus: Corpus, kind: str) -> None:
    """Issue 9 hostile list: an evidence path naming a folder or a FIFO is a manifest error
    (hashing a FIFO would block the run forever)."""
    target = corpus.root / "evidence/odd"
    if kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    corpus.source("open")["evidence"] = [{"kind": "license", "path": "evidence/odd"}]
    err = refused(validate(corpus.write()), "datasets[0].sources[0].evidence[0].path")
    assert ("is a folder" if kind == "folder" else "is a named pipe (FIFO)") in err
    assert "expected a file" in err
