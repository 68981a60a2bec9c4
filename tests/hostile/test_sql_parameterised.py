"""Issue 9, "every SQL statement is parameterised": no value is interpolated into SQL text.

Walks the AST of every module under provenance/ and finds each DB call (``.execute``,
``.executemany``, ``.query``, ``.sql`` and any function that forwards its parameter to one). The
SQL argument may be a literal, a module-level constant, a parameter forwarded from the caller
(whose call sites are then checked the same way) or a local assigned such values; text built
with an f-string, ``%``, ``.format()``, ``+`` or ``.join`` may only interpolate literals,
module-level constants or ``ident(name)`` (the one identifier helper). Everything else —
values, paths, run ids — must go through ``?`` parameters.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from provenance.sqlguard import ident

PACKAGE = Path(__file__).parents[2] / "provenance"
DB_METHODS = {"execute", "executemany", "query", "sql", "arrow"}
SQL_KEYWORDS = ("query", "sql")
# Packaged schema files are the project's own SQL, not input: schema_file(...).read_text().
SCHEMA_CALLS = {"schema_file"}
# The user's own query reaches DuckDB only through the `provenance sql` allow-list.
#: calls whose result is trusted SQL: a statement the SQL guard allowed, the schema's views
ALLOW_LIST_CALLS = {"checked_statement", "views_script"}
Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


@dataclass
class Module:
    name: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign):
                pairs = [(t, stmt.value) for t in stmt.targets]
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                pairs = [(stmt.target, stmt.value)]
            else:
                continue
            for t, value in pairs:
                if isinstance(t, ast.Name) and t.id.isupper():
                    self.constants[t.id] = value

    def scope(self, node: ast.AST) -> Scope | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, Scope):
                return node
        return None


def params(scope: Scope | None) -> list[str]:
    if scope is None:
        return []
    a = scope.args
    return [p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]]


class Checker:
    """Finds DB calls whose SQL text interpolates anything but literals, constants and ident()."""

    def __init__(self, modules: list[Module]) -> None:
        self.modules = modules
        self.wrappers: dict[str, int] = {}  # function name -> index of its SQL parameter
        self.calls = 0

    def sql_arg(self, call: ast.Call) -> ast.expr | None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in DB_METHODS:
            if call.args:
                return call.args[0]
            return next((k.value for k in call.keywords if k.arg in SQL_KEYWORDS), None)
        if isinstance(func, ast.Name) and func.id in self.wrappers:
            i = self.wrappers[func.id]
            return call.args[i] if len(call.args) > i else None
        return None

    def piece(self, e: ast.expr, m: Module, scope: Scope | None, seen: frozenset[str]) -> bool:
        """An interpolated piece: a literal, a constant, ident(...), or text built of those."""
        if isinstance(e, ast.Constant):
            return True
        if isinstance(e, ast.Call):
            f = e.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in ("ident", "catalog_ident"):
                return True
            if name == "join" and isinstance(f, ast.Attribute) and len(e.args) == 1:
                gen = e.args[0]
                elt = gen.elt if isinstance(gen, ast.GeneratorExp | ast.ListComp) else gen
                return self.piece(f.value, m, scope, seen) and self.piece(elt, m, scope, seen)
            if name == "format" and isinstance(f, ast.Attribute):
                args = [*e.args, *(k.value for k in e.keywords)]
                return all(self.piece(x, m, scope, seen) for x in [f.value, *args])
            return False
        if isinstance(e, ast.JoinedStr):
            return all(
                self.piece(v.value if isinstance(v, ast.FormattedValue) else v, m, scope, seen)
                for v in e.values
            )
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add | ast.Mod):
            right = e.right.elts if isinstance(e.right, ast.Tuple) else [e.right]
            return all(self.piece(x, m, scope, seen) for x in [e.left, *right])
        if isinstance(e, ast.IfExp):
            return self.piece(e.body, m, scope, seen) and self.piece(e.orelse, m, scope, seen)
        if isinstance(e, ast.Name):
            return self.name(e.id, m, scope, seen, top=False)
        return False

    def name(
        self, name: str, m: Module, scope: Scope | None, seen: frozenset[str], top: bool
    ) -> bool:
        if name in seen:
            return False
        seen = seen | {name}
        if top and name in params(scope):
            return True  # forwarded: the caller's argument is checked (see wrappers)
        values = [
            n.value
            for n in (ast.walk(scope) if scope is not None else [])
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
        ]
        if values:
            return all(
                self.top(v, m, scope, seen) if top else self.piece(v, m, scope, seen)
                for v in values
            )
        if name in m.constants:
            return self.piece(m.constants[name], m, None, seen)
        return False

    def top(self, e: ast.expr, m: Module, scope: Scope | None, seen: frozenset[str]) -> bool:
        """The whole SQL argument: a forwarded parameter, a trusted schema file, or a piece."""
        if isinstance(e, ast.Name):
            return self.name(e.id, m, scope, seen, top=True)
        if (
            isinstance(e, ast.Call)
            and isinstance(e.func, ast.Name)
            and e.func.id in ALLOW_LIST_CALLS
        ):
            return True
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute):
            inner = e.func.value
            if (
                e.func.attr == "read_text"
                and isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in SCHEMA_CALLS
            ):
                return True
        return self.piece(e, m, scope, seen)

    def find_wrappers(self) -> None:
        """Functions whose parameter reaches a DB call's SQL argument, to a fixed point."""
        changed = True
        while changed:
            changed = False
            for m in self.modules:
                for call in (n for n in ast.walk(m.tree) if isinstance(n, ast.Call)):
                    arg = self.sql_arg(call)
                    scope = m.scope(call)
                    if (
                        isinstance(arg, ast.Name)
                        and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
                        and arg.id in params(scope)
                        and scope.name not in self.wrappers
                        and not isinstance(m.parents.get(scope), ast.ClassDef)
                    ):
                        self.wrappers[scope.name] = params(scope).index(arg.id)
                        changed = True

    def violations(self) -> list[str]:
        self.find_wrappers()
        found = []
        for m in self.modules:
            for call in (n for n in ast.walk(m.tree) if isinstance(n, ast.Call)):
                arg = self.sql_arg(call)
                if arg is None:
                    continue
                self.calls += 1
                if not self.top(arg, m, m.scope(call), frozenset()):
                    found.append(f"{m.name}:{call.lineno}: {ast.unparse(arg)[:120]}")
        return found


def check_source(sources: dict[str, str]) -> tuple[list[str], Checker]:
    checker = Checker([Module(name, ast.parse(src)) for name, src in sources.items()])
    return checker.violations(), checker


def test_no_sql_interpolates_input() -> None:
    """Issue 9: no DB call in provenance/ builds SQL text from anything but literals,
    module-level constants and ident(); values and paths go through parameters."""
    sources = {
        str(p.relative_to(PACKAGE.parent)): p.read_text(encoding="utf-8")
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    violations, checker = check_source(sources)
    assert violations == []
    # The walker really saw the code: the store's writes, the export's reads, the checks' queries.
    assert checker.calls >= 40
    assert {"rows", "_map"} <= set(checker.wrappers)


NEGATIVE = {
    "f_string_path": "def f(con, path):\n    con.execute(f\"COPY t TO '{path}'\")\n",
    "f_string_local": "def f(con, p):\n    sql = f\"SELECT * FROM '{p}'\"\n    con.execute(sql)\n",
    "concat": "def f(store, name):\n    store.query('SELECT * FROM ' + name)\n",
    "percent": "def f(con, p):\n    con.execute(\"COPY t TO '%s'\" % p)\n",
    "format": "def f(con, p):\n    con.execute(\"COPY t TO '{}'\".format(p))\n",
    "join": "def f(con, cols):\n    con.execute('SELECT ' + ', '.join(cols))\n",
    "keyword_arg": "def f(rel, p):\n    rel.sql(query=f'SELECT {p}')\n",
    "via_wrapper": (
        "def rows(store, sql, params):\n    return store.query(sql, params)\n"
        "def g(store, path):\n    rows(store, f\"SELECT * FROM read_csv('{path}')\", [])\n"
    ),
    "str_call": "def f(con, p):\n    con.execute(f'SELECT {str(p)}')\n",
    "method_on_value": "def f(con, p):\n    con.execute(f'SELECT {p.strip()}')\n",
    "other_file": "def f(con, p):\n    con.execute(open(p).read())\n",
}
POSITIVE = """
SQL = "SELECT * FROM t WHERE run_id = ?"
COLS = ("a", "b")
def rows(store, sql, params):
    return store.query(sql, params)
def f(con, table, path, check_id):
    con.execute(f"DELETE FROM {ident(table)} WHERE run_id = ?", [path])
    con.execute(f"SELECT * FROM ({SQL}) x")
    con.execute("SELECT " + ", ".join(ident(c) for c in COLS) + " FROM t")
    where = " WHERE check_id = ?" if check_id else ""
    con.execute("SELECT code FROM findings" + where, [check_id])
    con.execute(schema_file("dossier.sql").read_text(encoding="utf-8"))
    rows(con, "SELECT 1", [])
    con.execute(checked_statement(con, user_query))
"""


@pytest.mark.parametrize("src", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_checker_flags_interpolation(src: str) -> None:
    """Issue 9: the checker fails on a synthetic `con.execute(f"… '{path}'")` and its cousins,
    so the repository test above cannot pass vacuously."""
    violations, _ = check_source({"snippet.py": src})
    assert len(violations) == 1, violations


def test_checker_accepts_constants_and_ident() -> None:
    """Issue 9: literals, module constants, ident() and forwarded parameters are accepted."""
    violations, checker = check_source({"snippet.py": POSITIVE})
    assert violations == [] and checker.calls == 8 and checker.wrappers == {"rows": 1}


def test_ident_quotes_only_plain_names() -> None:
    """Issue 9: ident() double-quotes a plain identifier and refuses anything else."""
    assert ident("findings") == '"findings"' and ident("_t2") == '"_t2"'
    for bad in ('x"; DROP TABLE runs; --', "a b", "", "1abc", "t.c", "表"):
        with pytest.raises(ValueError, match="not a plain SQL identifier"):
            ident(bad)
