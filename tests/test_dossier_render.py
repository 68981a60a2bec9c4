"""The HTML dossier as a reader's browser draws it (issue 13 item 6): headless Chromium with the
system's CJK fonts, both languages; the charts are drawn (not blank) and their captions and
numbers are there as text."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from provenance.dossier.browser import chromium, dom, only_section, screenshot
from provenance.dossier.export import export

CAPTIONS = {
    "zh": ["图 1. 语言构成", "图 3. 各来源占比", "采集时间跨度", "记录长度分布", "重复记录比例"],
    "en": ["Figure 1. Language mix", "Share of each source", "Collection time span",
           "Record length distribution", "Duplicate rates per source"],
}  # fmt: skip
BLUE = (0x25, 0x63, 0xEB)


@pytest.fixture(scope="module")
def browser() -> str:
    found = chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium not installed on this machine")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip() and os.environ.get("CI"):
        pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
    return found


def _inked_bands(png: Path, bands: int = 10) -> int:
    """How many horizontal bands of the picture hold chart bars (the charts' blue)."""
    img = Image.open(png).convert("RGB")
    w, h = img.size
    small = img.resize((w // 4, h // 4))
    px = small.load()
    sw, sh = small.size
    inked = 0
    for b in range(bands):
        ys = range(b * sh // bands, (b + 1) * sh // bands)
        if any(
            all(abs(c - t) < 40 for c, t in zip(px[x, y], BLUE, strict=True))
            for y in ys
            for x in range(sw)
        ):
            inked += 1
    return inked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_render_in_both_languages(
    browser: str, demo_dossier: tuple[Path, str], tmp_path: Path, lang: str
) -> None:
    db, run_id = demo_dossier
    out = tmp_path / lang
    export(db, run_id, out, langs=(lang,), formats=("html",))
    page = out / "dossier.html"
    png = screenshot(page, tmp_path / f"{lang}.png", 1200, 2400, only_section("figures"))
    assert _inked_bands(png) >= 7, "charts missing from most of the figures chapter"
    text = dom(page)
    for caption in CAPTIONS[lang]:
        assert caption in text
    other = "en" if lang == "zh" else "zh"
    assert not any(caption in text for caption in CAPTIONS[other])
    assert text.count("<figure") >= 7 and text.count("<svg") >= 8
