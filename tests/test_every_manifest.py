"""Every valid manifest audits, exports and verifies (issue 13 item 1).

Manifests come from ``tests/manifests.py``, which generates them from the manifest's pydantic
model itself (minimal to full). Contract: loading returns a manifest or raises ``BadInput``;
a manifest that loads audits to a complete run (in-process: load → plan → scan → checks), and
its run exports in every format and both languages and verifies — no exception, ever.

Counts: ``PROVENANCE_MANIFEST_EXAMPLES`` (default 200) through the audit, an eighth of that
(at least 25) also through export and verify. Reproducible (derandomized; see
``tests/hostile/fuzzkit.py`` for ``PROVENANCE_FUZZ_SEED``).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given

from provenance import audit
from provenance.dossier.export import export, verify
from provenance.errors import BadInput
from provenance.manifest import load_manifest
from tests.conftest import cli
from tests.hostile.fuzzkit import fuzz
from tests.manifests import manifests, minimal_manifest, write_corpus
from tests.test_dossier_language import latin_words

EXAMPLES = int(os.environ.get("PROVENANCE_MANIFEST_EXAMPLES", "200") or "200")
_ids = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("every-manifest")
    write_corpus(root)
    return root


def _write(folder: Path, doc: dict[str, Any]) -> Path:
    path = folder / f"manifest-{next(_ids)}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _audit(folder: Path, doc: dict[str, Any]) -> tuple[Path, str] | None:
    """Audit ``doc`` into a new dossier; None when the manifest is refused as bad input."""
    path = _write(folder, doc)
    try:
        load_manifest(path)
    except BadInput as exc:
        assert str(path.name) in str(exc) or "manifest" in str(exc), exc
        return None
    db = folder / f"{path.stem}.duckdb"
    result = audit(path, db, workers=1)
    assert result.status == "complete"
    assert result.exit_code in (0, 1)
    return db, result.run_id


@fuzz(max(1, EXAMPLES - 1), shrink=False)
@given(doc=manifests)
@example(doc=minimal_manifest())
def test_every_manifest_audits(folder: Path, doc: dict[str, Any]) -> None:
    _audit(folder, doc)


@fuzz(max(25, EXAMPLES // 8) - 1, shrink=False)
@given(doc=manifests)
@example(doc=minimal_manifest())
def test_every_manifest_exports_and_verifies(folder: Path, doc: dict[str, Any]) -> None:
    done = _audit(folder, doc)
    if done is None:
        return
    db, run_id = done
    out = folder / f"bundle-{next(_ids)}"
    export(db, run_id, out)
    assert verify(out) == []
    for lang in ("zh", "en"):
        single = folder / f"bundle-{next(_ids)}-{lang}"
        export(db, run_id, single, langs=(lang,), formats=("html", "json"))
        html = (single / "dossier.html").read_text(encoding="utf-8")
        if lang == "zh":  # Chinese whatever the manifest holds (issue 13 item 4)
            assert latin_words(html) == [], sorted(set(latin_words(html)))


def test_minimal_manifest_through_the_cli(folder: Path) -> None:
    """The ordinary case the first wave missed: no foundation model, nothing optional."""
    path = _write(folder, minimal_manifest())
    db = folder / "cli.duckdb"
    res = cli("audit", str(path), "--db", str(db))
    assert res.returncode in (0, 1), res.stderr[-2000:]
    run = cli("sql", "--db", str(db), "SELECT run_id FROM latest_run", "--format", "csv")
    run_id = run.stdout.strip().splitlines()[-1]
    for lang in ("zh", "en"):
        out = folder / f"cli-bundle-{lang}"
        res = cli("export", "--db", str(db), "--run", run_id, "--out", str(out), "--lang", lang)
        assert res.returncode == 0, res.stderr[-2000:]
        assert cli("verify", str(out)).returncode == 0
