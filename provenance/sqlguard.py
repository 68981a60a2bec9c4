"""Safe SQL: the locked read-only connection, the `provenance sql` allow-list, identifier quoting.

Three independent layers keep `provenance sql` (and every command that only reads) from
changing anything or reading anything but the dossier:

1. the statement allow-list: exactly one statement, parsed by DuckDB itself, of type SELECT
   (which is what DuckDB makes of WITH, VALUES, FROM, DESCRIBE, SHOW and SUMMARIZE) or an
   EXPLAIN [ANALYZE] whose inner statement is itself one SELECT (EXPLAIN ANALYZE executes
   what it explains, so ``EXPLAIN ANALYZE COPY … TO`` must be refused as a COPY);
2. the database is opened ``read_only``;
3. the connection is configured at connect time with external access disabled (no file,
   network or ATTACH outside the dossier), no extension autoloading or autoinstall, and the
   configuration locked so no SET/PRAGMA/table function can undo it.

``ident`` is the one way a name enters SQL text built by the code: everything else goes
through ``?`` parameters.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from provenance.errors import BadInput, InternalError

# Settings applied when the connection is opened (they cannot be changed later: lock_configuration).
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}
ALLOWED_WHAT = (
    "only one SELECT (WITH, VALUES, FROM, DESCRIBE, SHOW and SUMMARIZE are SELECTs) "
    "or EXPLAIN [ANALYZE] of one SELECT"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def ident(name: str) -> str:
    """Double-quote a table or column name after checking it is a plain identifier."""
    if not _IDENT.fullmatch(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def catalog_ident(name: str) -> str:
    """Quote a name read from DuckDB's own catalog (a database name comes from the file name,
    e.g. ``my-dossier``): internal double quotes are doubled, so the name cannot end the
    identifier; NUL is refused. For names in our own schema use :func:`ident`."""
    if "\x00" in name:
        raise ValueError(f"not a usable SQL identifier: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-only with the locked configuration, and check it is in force."""
    con = duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)
    try:
        settings = dict(
            con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
                [[*READ_ONLY_CONFIG, "access_mode"]],
            ).fetchall()
        )
    except BaseException:
        con.close()
        raise
    wanted = {k: str(v).lower() for k, v in READ_ONLY_CONFIG.items()} | {"access_mode": "read_only"}
    wrong = {k: settings.get(k) for k, v in wanted.items() if str(settings.get(k)).lower() != v}
    if wrong:
        con.close()
        raise InternalError(f"DuckDB did not apply the read-only settings {wrong}")
    return con


def _type_name(stmt: duckdb.Statement) -> str:
    return str(stmt.type).rsplit(".", 1)[-1]


def _explained(sql: str) -> str | None:
    """The text of the statement an EXPLAIN wraps, or None if ``sql`` does not start with EXPLAIN."""
    tokens = duckdb.tokenize(sql)
    ends = [pos for pos, _ in tokens[1:]] + [len(sql)]
    words = [
        (pos, sql[pos:end].strip())
        for (pos, kind), end in zip(tokens, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]
    if not words or words[0][1].upper() != "EXPLAIN":
        return None
    i, depth = 1, 0
    while i < len(words):
        text = words[i][1]
        if depth == 0 and text.upper() in ("ANALYZE", "ANALYSE"):
            i += 1
        elif text.startswith("(") or depth > 0:
            # EXPLAIN (FORMAT json, …): skip the parenthesised option list.
            depth += text.count("(") - text.count(")")
            i += 1
        else:
            return sql[words[i][0] :]
    return ""


def _refused(what: str) -> BadInput:
    return BadInput(f"refused: {what}; `provenance sql` is read-only and runs {ALLOWED_WHAT}")


def checked_statement(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The one allowed statement in ``query``; BadInput naming the type of anything else."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise BadInput(f"query failed: {str(exc).splitlines()[0]}") from None
    if not statements:
        raise _refused("empty query")
    if len(statements) > 1:
        kinds = ", ".join(_type_name(s) for s in statements)
        raise _refused(f"{len(statements)} statements ({kinds})")
    stmt = statements[0]
    kind = _type_name(stmt)
    if kind == "SELECT":
        return query
    if kind == "EXPLAIN":
        inner = _explained(stmt.query)
        try:
            wrapped = con.extract_statements(inner) if inner else []
        except duckdb.Error:
            wrapped = []
        if len(wrapped) == 1 and _type_name(wrapped[0]) == "SELECT":
            return query
        what = _type_name(wrapped[0]) if len(wrapped) == 1 else "an unrecognised"
        raise _refused(f"EXPLAIN of {what} statement")
    raise _refused(f"{kind} statement")


def run_user_query(
    con: duckdb.DuckDBPyConnection, query: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a user's query on a connection from ``connect_read_only``: column names and rows."""
    allowed = checked_statement(con, query)
    try:
        cur = con.execute(allowed)
        cols = [d[0] for d in cur.description or []]
        return cols, cur.fetchall()
    except duckdb.PermissionException as exc:
        raise BadInput(
            f"refused: {str(exc).splitlines()[0]} (`provenance sql` reads only the dossier: "
            "file, network and extension access are disabled)"
        ) from None
    except Exception as exc:  # DuckDB's (or the value conversion's) message says what is wrong
        raise BadInput(f"query failed: {str(exc).splitlines()[0]}") from None
