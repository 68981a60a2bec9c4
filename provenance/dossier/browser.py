"""Render the HTML dossier with a headless Chromium (screenshots for ``make screenshots`` and the
rendering tests): offline flags, a throw-away profile, nothing fetched.

Chromium is not a Python dependency: Debian's ``chromium`` package (``.ci/run`` installs it with
``fonts-noto-cjk`` so Chinese renders with real glyphs, not boxes).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: flags that keep Chromium from reaching the network on its own (updates, sync, QUIC probes)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def only_section(section: str) -> str:
    """CSS that shows one chapter of the dossier: its heading and the figures after it
    (headless Chromium ignores a #fragment when it takes a screenshot)."""
    return (
        f"body > * {{ display: none !important; }} h2#{section} {{ display: block !important; }}"
        f" h2#{section} ~ figure {{ display: block !important; }}"
    )


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 2400, css: str = "") -> Path:
    """A PNG of ``page`` at ``width`` x ``height``, with ``css`` added to its styles."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError(
            "chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)"
        )
    with tempfile.TemporaryDirectory() as profile:
        if css:
            styled = Path(profile) / page.name
            html = page.read_text(encoding="utf-8")
            styled.write_text(html.replace("</head>", f"<style>{css}</style></head>", 1), "utf-8")
            page = styled
        subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={png.resolve()}", page.resolve().as_uri()],
            capture_output=True, timeout=120, check=True,
        )  # fmt: skip
    return png


def dom(page: Path) -> str:
    """The page's DOM after rendering (its text, as a reader's browser has it)."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout  # fmt: skip
