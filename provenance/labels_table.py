"""Keep the dossier's ``labels`` table in step with :mod:`provenance.vocabulary`.

The table lets SQL users (and the ``status_zh`` columns of the assessment views) read coded
values in Chinese. It is rewritten only when the vocabulary changed (a digest in ``meta``), so
opening a dossier to write does not grow its log each time.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from provenance.vocabulary import label_rows


def refresh_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite ``labels`` when this tool's vocabulary differs from the one recorded."""
    rows = label_rows()
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]
    have = con.execute("SELECT value FROM meta WHERE key = 'labels_digest'").fetchone()
    if have and have[0] == digest:
        return
    con.begin()
    try:
        con.execute("DELETE FROM labels")
        con.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", rows)
        con.execute("DELETE FROM meta WHERE key = 'labels_digest'")
        con.execute("INSERT INTO meta VALUES ('labels_digest', ?)", [digest])
    except BaseException:
        con.rollback()
        raise
    con.commit()
