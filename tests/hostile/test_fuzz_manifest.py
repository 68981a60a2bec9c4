"""Issue 9 fuzzer, manifest level: ``load_manifest`` on mutated manifests.

A valid manifest (tests/conftest.py's ``BASE_MANIFEST`` over a real corpus folder) is mutated:
values of the wrong type, hostile Unicode strings (markup brackets, RTL override, NUL, BOM,
lone surrogates as escapes), path-like strings (``/``, ``..``, NUL bytes), unknown keys,
missing keys, duplicated list items; then written as YAML or JSON and sometimes damaged as
text (cut, random bytes, BOM, a Python tag, duplicate keys, anchors and aliases).

Contract: the loader returns a manifest or raises ``BadInput`` naming the manifest file, within
a time limit; never any other exception.
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from provenance.errors import BadInput
from provenance.manifest import load_manifest
from tests.conftest import BASE_MANIFEST, Corpus

from .fuzzkit import blob, fuzz, hostile_text, json_values, time_limit

LIMIT_S = 10.0
_counter = itertools.count()

PATHLIKE = [
    "/",
    "..",
    "../../../../etc",
    "/proc/self",
    "a\x00b",
    "~",
    "**/*",
    "[",
    "data/../..",
    "C:\\Windows",
    "x" * 5000,
]
PATH_FIELDS = {
    "path", "glob", "log", "robots_dir", "document", "warranties", "records",
    "strategy", "complaint_log", "results", "assessment",
}  # fmt: skip
weird_values = st.one_of(
    json_values,
    hostile_text,
    st.sampled_from(PATHLIKE),
    st.sampled_from([2**64, -1, 1e308, float("nan"), float("inf"), True, [], {}, ""]),
)


def _locs(doc: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in the document (dict keys and list indices), the root excluded."""
    out: list[tuple[Any, ...]] = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append((*loc, k))
            out += _locs(v, (*loc, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.append((*loc, i))
            out += _locs(v, (*loc, i))
    return out


def _parent(doc: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc[:-1]:
        doc = doc[part]
    return doc


@st.composite
def mutated_document(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """The base manifest with 1-4 random mutations, and what was done."""
    doc = copy.deepcopy(BASE_MANIFEST)
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        locs = _locs(doc)
        if not locs:
            break
        op = draw(st.sampled_from(["value", "value", "string", "path", "delete", "unknown", "dup"]))
        if op == "path":  # aim at the fields that name files and folders
            locs = [loc for loc in locs if loc[-1] in PATH_FIELDS] or locs
        loc = draw(st.sampled_from(locs))
        parent = _parent(doc, loc)
        if op == "value":
            parent[loc[-1]] = draw(weird_values)
        elif op in ("string", "path"):
            parent[loc[-1]] = draw(st.one_of(hostile_text, st.sampled_from(PATHLIKE)))
        elif op == "delete":
            del parent[loc[-1]]
        elif op == "unknown":
            target = parent[loc[-1]]
            if isinstance(target, dict):
                target[draw(hostile_text)] = draw(weird_values)
            else:
                parent[loc[-1]] = {draw(hostile_text): target}
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[loc[-1]]))
        done.append(f"{op} at {loc}")
    return doc, done


def _alias_bomb(levels: int, fanout: int) -> str:
    lines = ["x-bomb:", f"  l0: &l0 [{', '.join(['x'] * fanout)}]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fanout)}]")
    return "\n".join(lines) + "\n"


@st.composite
def manifest_text(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    """(file suffix, file bytes, description) of a mutated manifest."""
    doc, done = draw(mutated_document())
    as_json = draw(st.booleans())
    if as_json:
        text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    else:
        text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), sort_keys=False)
    damage = draw(
        st.sampled_from(
            ["none", "none", "none", "cut", "bytes", "bom", "tag", "dupkey", "surrogate", "bomb"]
        )
    )
    data = text.encode("utf-8", errors="surrogatepass")
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + blob(draw(st.integers(0, 2**32)), draw(st.integers(1, 50))) + data[at:]
    elif damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "tag" and not as_json:
        data += b"x-tag: !!python/object/apply:os.system ['echo pwned']\n"
    elif damage == "dupkey" and not as_json:
        data += b"provider: {name: Again}\n"
    elif damage == "surrogate":
        # a lone surrogate written as an escape: legal JSON and YAML syntax, not a legal string
        escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d"]))
        data = data.replace(b"Test Provider", escape.encode(), 1)
        data = data.replace(b"TestChat", b"Chat" + escape.encode(), 1)
        if not as_json:  # YAML only decodes escapes inside double quotes
            data = data.replace(b"name: " + escape.encode(), b'name: "' + escape.encode() + b'"')
            data = data.replace(b"Chat" + escape.encode(), b'"Chat' + escape.encode() + b'"')
    elif damage == "bomb" and not as_json:
        data += _alias_bomb(draw(st.integers(2, 6)), draw(st.integers(2, 9))).encode()
    return (".json" if as_json else ".yaml"), data, [*done, f"damage={damage}"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-manifest") / "corpus"
    Corpus(root)
    return root


@fuzz(examples=150)
@given(case=manifest_text())
def test_fuzz_manifest_loader(corpus_dir: Path, case: tuple[str, bytes, list[str]]) -> None:
    """Issue 9 items 4, 10, 11: hostile manifests load or raise BadInput naming the file."""
    suffix, data, _done = case
    path = corpus_dir / f"m{next(_counter)}{suffix}"
    path.write_bytes(data)
    with time_limit(LIMIT_S, f"load_manifest({path.name})"):
        try:
            load_manifest(path)
        except BadInput as exc:
            assert str(path) in str(exc), f"BadInput does not name the manifest: {exc}"
            for problem in exc.problems:
                assert problem.file == str(path), f"problem names another file: {problem}"
