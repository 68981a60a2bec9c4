"""Licence names never tuned on: ScanCode LicenseDB's own short names and full names.

Usage: python benchmarks/licenses_heldout.py DOCS_DIR

DOCS_DIR is the ``docs/`` folder of a checkout of aboutcode-org/scancode-licensedb (one JSON
file per ScanCode key, with ``short_name``, ``name`` and ``spdx_license_key``; CC-BY-4.0). The
bundled index the classifier uses has the keys but none of these names, so this measures how
the folding and the rules generalise. Every licence with a real SPDX id (not LicenseRef) is
scored: right id, wrong id (the costly error), ambiguous, unknown.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provenance.licenses import classify


def main() -> None:
    docs = Path(sys.argv[1])
    rows: dict[str, str] = {}
    for f in sorted(docs.glob("*.json")):
        try:
            d = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        sid = d.get("spdx_license_key") if isinstance(d, dict) else None
        if (
            not sid
            or sid.startswith("LicenseRef")
            or d.get("is_exception")
            or d.get("is_deprecated")
        ):
            continue
        for field in ("short_name", "name"):
            if d.get(field):
                rows.setdefault(d[field], sid)
    tally: Counter[str] = Counter()
    wrong: list[tuple[str, str, str]] = []
    for text, sid in rows.items():
        v = classify(text)
        got = v.spdx if v.outcome == "matched" else v.outcome
        kind = "right" if got == sid else v.outcome if v.outcome != "matched" else "wrong"
        tally[kind] += 1
        if kind == "wrong":
            wrong.append((text, sid, str(got)))
    n = len(rows)
    print(f"ScanCode names with an SPDX id: {n}")
    for k in ("right", "wrong", "ambiguous", "unknown"):
        print(f"  {k:<9} {tally[k]:>5}  {tally[k] / n:.3f}")
    for text, sid, got in wrong:
        print(f"  wrong: {text!r}: ScanCode says {sid}, we say {got}")


if __name__ == "__main__":
    main()
