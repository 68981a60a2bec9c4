"""Every SQL query of the README's auditor cookbook runs on the demo dossier and answers something."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).parents[1]


def cookbook_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Auditor cookbook", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def demo_db(demo_dossier: tuple[Path, str]) -> Path:
    """The session's demo dossier (tests/conftest.py), audited as `make demo` does."""
    return demo_dossier[0]


def test_the_cookbook_has_a_dozen_queries() -> None:
    assert len(cookbook_queries()) >= 12


@pytest.mark.parametrize("query", cookbook_queries(), ids=lambda q: q.split("\n")[0][:40])
def test_query_answers_on_the_demo_dossier(query: str, demo_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    assert rows, "the query returned nothing on the demo dossier"
