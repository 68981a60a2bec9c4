"""Hostile-input tests (issue 9): the fuzz profile in the pytest summary; hypothesis state kept
out of the repository (its constants and Unicode caches go to a temporary folder; the fuzz
settings use no example database)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis.configuration import set_hypothesis_home_dir

from .fuzzkit import profile

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / f"provenance-hypothesis-{os.getuid()}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the seed and scale the fuzz tests ran with, so a CI failure can be replayed."""
    terminalreporter.write_line(profile())
