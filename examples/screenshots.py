"""`make screenshots`: the demo dossier's charts in Chinese and in English, as PNG files in
examples/ (looked at in review; regenerate after changing the dossier's look).

Usage: python examples/screenshots.py DOSSIER.duckdb   (make screenshots audits the demo first)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from provenance.dossier.browser import only_section, screenshot
from provenance.dossier.export import export
from provenance.store import Store

HERE = Path(__file__).parent


def main(db: Path) -> None:
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT run_id FROM latest_run")
    run_id = rows[0][0]
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh", "en"):
            out = Path(tmp) / lang
            export(db, run_id, out, langs=(lang,), formats=("html",))
            png = HERE / f"dossier-{lang}.png"
            screenshot(out / "dossier.html", png, 1200, 2350, only_section("figures"))
            print(f"wrote {png}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/demo.duckdb"))
