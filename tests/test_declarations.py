"""Issue 10, "one declaration per fact": finding codes, check inputs and outputs, and the README
tables are declared once and everything else is derived from or checked against them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from provenance import docs
from provenance.checks import CHECKS
from provenance.checks.base import BASE_TABLES
from provenance.checks.phase import ordered
from provenance.findings import CODES, FindingCode
from provenance.pipeline import load_pipeline
from provenance.scanners import SCANNERS
from provenance.store import Store
from tests.conftest import Corpus, cli, refused

PACKAGE = Path(__file__).parents[1] / "provenance"
BUNDLED = PACKAGE.parent / "pipelines" / "pretraining.toml"


def test_every_code_is_declared_by_exactly_one_check() -> None:
    owners: dict[str, list[str]] = {}
    for name, cls in CHECKS.items():
        for code in cls.codes:
            owners.setdefault(code.code, []).append(name)
    assert set(owners) == set(CODES), "a FindingCode is declared but no check lists it"
    assert {c: o for c, o in owners.items() if len(o) > 1} == {}
    assert all(
        CODES[c] is code for cls in CHECKS.values() for code in cls.codes for c in [code.code]
    )


def test_a_code_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        FindingCode("pi_present", "PI-01", "7(3)", "info", en="x", zh="x")


def test_every_needed_table_has_a_writer_and_every_order_resolves() -> None:
    written = {o.table for s in SCANNERS.values() for o in s.outputs}
    written |= {o.table for c in CHECKS.values() for o in c.writes}
    for name, cls in CHECKS.items():
        missing = set(cls.needs) - written - set(BASE_TABLES) - {"findings"}
        assert not missing, (name, missing)
    checks = [cls(cls.Settings.model_validate({})) for cls in CHECKS.values()]
    order = [c.name for c in ordered(checks)]
    assert order[-1] == "assessment"
    for c in checks:
        for other in CHECKS.values():
            if set(c.needs) & {o.table for o in other.writes} and other.name != c.name:
                assert order.index(other.name) < order.index(c.name), (other.name, c.name)


def test_declared_tables_exist_in_a_fresh_dossier(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        _, rows = store.query("SELECT table_name FROM duckdb_tables()")
    tables = {r[0] for r in rows}
    for cls in CHECKS.values():
        assert {o.table for o in cls.writes} <= tables, cls.name
    for cls in SCANNERS.values():
        assert {o.table for o in cls.outputs} <= tables, cls.name


def test_readme_tables_are_generated_from_the_declarations() -> None:
    assert docs.main(["--check"]) == 0, "README.md is stale: run `make docs`"
    text = docs.README.read_text(encoding="utf-8")
    for code in CODES.values():
        assert f"`{code.code}`" in text


def _pipeline(tmp_path: Path, drop: str = "", severity: str = "") -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    if drop:  # the table's header and its keys, up to the next table
        text = re.sub(rf"(?ms)^\[{re.escape(drop)}\].*?(?=^\[)", "", text)
    text = text.replace("[severity]", "[severity]\n" + severity)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    for name in ("deny_list.txt",):
        (tmp_path / name).write_text("dataset:nothing-here\n", encoding="utf-8")
    return path


def test_a_check_without_the_scanner_it_reads_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    """The personal_information check without its scanner used to conclude on no evidence."""
    pipe = _pipeline(tmp_path, drop="scanners.personal_information")
    res = cli(
        "audit", str(corpus.write()), "--db", str(tmp_path / "d.duckdb"), "--pipeline", str(pipe)
    )
    refused(res, "checks.personal_information", "pii_hits", "[scanners.personal_information]")
    assert not (tmp_path / "d.duckdb").exists()


def test_a_misspelt_severity_key_is_an_error(tmp_path: Path) -> None:
    pipe = _pipeline(tmp_path, severity='robots_snapshot_mising = "high"\n')
    with pytest.raises(Exception, match="problem") as exc:
        load_pipeline(str(pipe))
    text = str(exc.value) + repr(getattr(exc.value, "problems", ""))
    assert "robots_snapshot_missing" in text  # the suggestion


def test_a_severity_key_of_a_check_not_enabled_is_an_error(corpus: Corpus, tmp_path: Path) -> None:
    pipe = _pipeline(
        tmp_path, drop="checks.crawl_compliance", severity='robots_all_allowed = "low"\n'
    )
    res = cli(
        "audit", str(corpus.write()), "--db", str(tmp_path / "d.duckdb"), "--pipeline", str(pipe)
    )
    refused(res, "severity.robots_all_allowed", "crawl_compliance")


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (n.name, (n.end_lineno or n.lineno) - n.lineno + 1)
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_modules_and_check_functions_stay_small() -> None:
    """Issue 10, "Must show": no module over 300 lines, no function over 60 lines in checks/."""
    long_modules = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert long_modules == {}
    long_functions = {
        f"{p.name}:{name}": n
        for p in (PACKAGE / "checks").glob("*.py")
        for name, n in _functions(p)
        if n > 60
    }
    assert long_functions == {}


def test_ctx_table_is_scoped_to_the_run_and_to_declared_needs(
    corpus: Corpus, tmp_path: Path
) -> None:
    """ctx.table / ctx.sql see one run's rows, with the file's source joined on, and refuse a
    table the check did not declare."""
    from provenance import audit
    from provenance.checks.base import VIEW_PREFIX, CheckContext
    from provenance.checks.personal import PersonalInformationBasis
    from provenance.manifest import load_manifest
    from provenance.plan import make_plan
    from tests.conftest import write_jsonl

    write_jsonl(corpus.root / "data/open/p.jsonl", [{"text": "电话 13812345678"}] * 3)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    first = audit(manifest, db, workers=1).run_id
    audit(manifest, db, workers=1)  # a second run with the same rows
    lm = load_manifest(manifest)
    with Store(db) as store:
        store.scope_views(first, ("pii_hits", "files", "record_hashes"), VIEW_PREFIX)
        ctx = CheckContext(
            lm=lm,
            plan=make_plan(lm),
            pipeline_dir=tmp_path,
            file_status={},
            run_id=first,
            run_sql=lambda sql, params: store.query(sql, params)[1],
            relation=store.con.view,
        ).scoped(PersonalInformationBasis(PersonalInformationBasis.Settings()))
        rows = ctx.table("pii_hits").aggregate("run_id, source_id, count(*)").fetchall()
        assert rows == [(first, "open", 3)]
        assert ctx.sql("SELECT count(DISTINCT run_id) FROM run_pii_hits", []) == [(1,)]
        with pytest.raises(AssertionError, match="without declaring"):
            ctx.table("record_hashes")
        with pytest.raises(AssertionError, match="without declaring"):
            ctx.sql("SELECT * FROM run_record_hashes", [])


def test_a_check_reading_a_shared_table_runs_after_every_writer() -> None:
    """stats is written by several checks: a reader of it waits for all of them."""
    from typing import ClassVar

    from provenance.checks.base import Check
    from provenance.tables import Output

    def make(name: str, writes: tuple[str, ...] = (), needs: tuple[str, ...] = ()) -> Check:
        cls = type(
            name,
            (Check,),
            {
                "name": name,
                "requirements": (),
                "writes": tuple(Output(t) for t in writes),
                "needs": needs,
                "__annotations__": {"name": ClassVar[str]},
            },
        )
        return cls(cls.Settings())

    reader = make("reader", needs=("stats",))
    first, second = make("first", writes=("stats",)), make("second", writes=("stats",))
    assert [c.name for c in ordered([reader, first, second])] == ["first", "second", "reader"]
