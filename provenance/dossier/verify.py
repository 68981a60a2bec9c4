"""Verify an exported bundle against its SHA256SUMS without trusting the bundle.

SHA256SUMS comes from whoever handed over the folder, so its names are checked before anything
is opened: only plain relative POSIX paths (components of letters, digits, ``.``, ``_``, ``-``,
not starting with ``.``) are followed, and only regular files are read — never a symlink (so
nothing outside the bundle is reached), a FIFO (which would block), a socket or a device.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from provenance.errors import BadInput

_LINE = re.compile(r"([0-9a-f]{64})  (.+)")
_COMPONENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def plain_relative(name: str) -> bool:
    """True for a plain relative POSIX path such as ``tables/findings.csv`` (an allow-list)."""
    parts = name.split("/")
    return all(_COMPONENT.fullmatch(p) for p in parts) and len(name) <= 4096


def _kind(mode: int) -> str:
    for test, label in (
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return label
    return "special file"


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    # O_NOFOLLOW: the checks above looked at this very name; refuse if it became a symlink.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _listed(folder: Path) -> tuple[dict[str, str], list[str]]:
    """(name → digest) of the safe lines of SHA256SUMS, and the problems with the others."""
    sums = folder / "SHA256SUMS"
    st = _lstat(sums)
    if st is None or not folder.is_dir():
        raise BadInput(f"{folder} has no SHA256SUMS: not a provenance export")
    if not stat.S_ISREG(st.st_mode):
        raise BadInput(f"{sums} is a {_kind(st.st_mode)}, not a file: not a provenance export")
    try:
        text = sums.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{sums} is not UTF-8 text: not a provenance export") from None
    listed: dict[str, str] = {}
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _LINE.fullmatch(line)
        if not m:
            raise BadInput(
                f"SHA256SUMS line {n} is malformed; each line is a 64-hex SHA-256, two spaces and "
                "a relative path"
            )
        digest, name = m.groups()
        if not plain_relative(name):
            problems.append(f"unsafe path in SHA256SUMS line {n}: {name!r} (not opened)")
        elif name in listed or name == "SHA256SUMS":
            problems.append(f"listed twice or lists itself, SHA256SUMS line {n}: {name}")
        else:
            listed[name] = digest
    if not listed and not problems:
        raise BadInput(f"{sums} lists no file: an empty SHA256SUMS is not an intact bundle")
    return listed, problems


def _check_listed(folder: Path, rel: str, digest: str) -> str | None:
    """The problem with one listed file, or None; every component is lstat'ed, none followed."""
    parts = rel.split("/")
    path = folder
    for i, part in enumerate(parts):
        path = path / part
        st = _lstat(path)
        if st is None:
            return f"missing: {rel}"
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            return f"not a regular file ({_kind(st.st_mode)} at {path.relative_to(folder)}): {rel}"
        if i == len(parts) - 1 and not stat.S_ISREG(st.st_mode):
            return f"not a regular file ({_kind(st.st_mode)}): {rel}"
    try:
        return None if _sha256(folder / rel) == digest else f"altered: {rel}"
    except OSError as exc:
        return f"unreadable ({exc.strerror}): {rel}"


def _present(folder: Path) -> tuple[set[str], list[str]]:
    """Regular files under ``folder`` (relative names), and anything else found there."""
    files: set[str] = set()
    odd: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in [*dirnames, *filenames]:
            p = base / name
            rel = p.relative_to(folder).as_posix()
            st = _lstat(p)
            if st is None or stat.S_ISDIR(st.st_mode):
                continue
            if stat.S_ISREG(st.st_mode):
                files.add(rel)
            else:
                odd.append(f"not a regular file ({_kind(st.st_mode)}): {rel}")
    return files, odd


def verify(folder: Path) -> list[str]:
    """Problems with a bundle (empty list = intact): unsafe names, altered, missing, unlisted
    or non-regular files."""
    listed, problems = _listed(folder)
    for rel, digest in sorted(listed.items()):
        problem = _check_listed(folder, rel, digest)
        if problem:
            problems.append(problem)
    present, odd = _present(folder)
    reported = {p.rsplit(": ", 1)[-1] for p in problems}
    problems += [p for p in sorted(odd) if p.rsplit(": ", 1)[-1] not in reported]
    problems += [f"not listed: {rel}" for rel in sorted(present - set(listed) - {"SHA256SUMS"})]
    return problems
