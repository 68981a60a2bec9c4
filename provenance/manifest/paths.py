"""Where the audit may look, and how it walks a data root without being tricked.

Containment rule (README "Where data may live"): a data root, and every evidence or record
file, must resolve — symbolic links followed — inside the manifest's folder, or inside a folder
the user allowed on the command line (``--allow-root``, ``allow_roots=``). ``/proc``, ``/sys``,
``/dev`` and any mount of a pseudo-filesystem are never allowed and never walked.

The walk lists a root once, never follows a symbolic link to a folder, never opens anything,
and returns every entry — special files (FIFOs, sockets, devices), broken links and folders it
would not enter included — so the planner can report them instead of skipping them silently.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

NEVER = (Path("/proc"), Path("/sys"), Path("/dev"))
# Kernel/virtual filesystems: reading them is never auditing training data, and some never end.
PSEUDO_FS = frozenset(
    {
        *("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs"),
        *("securityfs", "pstore", "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs"),
        *("binfmt_misc", "efivarfs", "selinuxfs", "rpc_pipefs", "nsfs", "nfsd", "usbfs"),
    }
)


@functools.lru_cache(maxsize=1)
def pseudo_mounts() -> frozenset[Path]:
    """Mount points of pseudo-filesystems (from ``/proc/self/mountinfo``; empty if unreadable)."""
    found: set[Path] = set()
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                left, sep, right = line.partition(" - ")
                fields = left.split()
                if sep and len(fields) >= 5 and right.split()[:1] and right.split()[0] in PSEUDO_FS:
                    point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
                    found.add(Path(point))
    except OSError:
        pass
    return frozenset(found)


def within(real: Path, folder: Path) -> bool:
    """``real`` is ``folder`` or lies under it (both absolute and resolved; string test, fast)."""
    return within_any(str(real), (str(folder),))


def within_any(real: str, folders: tuple[str, ...]) -> bool:
    """``real`` is one of ``folders`` or lies under one (absolute, resolved strings)."""
    return real in folders or real.startswith(
        tuple(f if f.endswith("/") else f + "/" for f in folders)
    )


@functools.lru_cache(maxsize=1)
def _never() -> tuple[str, ...]:
    return tuple(str(p) for p in (*NEVER, *sorted(pseudo_mounts())))


def forbidden(real: Path | str) -> Path | None:
    """The never-allowed folder (``/proc`` …) or pseudo-filesystem mount ``real`` lies in."""
    text = os.fspath(real)
    if not within_any(text, _never()):
        return None
    return next(Path(top) for top in _never() if within_any(text, (top,)))


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_resolved() -> None:
    """Drop cached folder resolutions (called at the start of each load and plan)."""
    _real_folder.cache_clear()


def safe_resolve(path: Path) -> tuple[Path | None, str | None]:
    """``path`` with symbolic links followed, or ``(None, why)`` when it cannot be resolved."""
    real, why = resolve_text(os.fspath(path))
    return (None, why) if real is None else (Path(real), None)


def resolve_text(text: str) -> tuple[str | None, str | None]:
    """:func:`safe_resolve` on strings: the folder part is resolved once and cached (a manifest
    names thousands of files in a few folders), so resolving costs one ``lstat``; a link in
    the last part is followed."""
    if "\x00" in text:
        return None, "contains a NUL character"
    try:
        folder, name = os.path.split(text)
        if name in ("", ".", "..") or not folder:
            return os.path.realpath(text), None
        real = os.path.join(_real_folder(folder), name)
        return (os.path.realpath(real) if os.path.islink(real) else real), None
    except RuntimeError:  # a symbolic-link loop, on some Python versions
        return None, "is a symbolic-link loop"
    except (OSError, ValueError) as exc:
        return None, f"cannot be resolved ({type(exc).__name__})"


def inside(path: Path, folders: list[Path]) -> bool:
    """True when ``path`` (resolved, symlinks followed) lies in one of ``folders``."""
    real, _ = safe_resolve(path)
    return real is not None and any(within(real, f) for f in folders)


def describe_mode(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


@dataclass(frozen=True)
class Entry:
    """Something under a data root: a regular file (or a link to one), or something else."""

    parts: tuple[str, ...]  # path under the root, split
    path: Path  # root / parts, not resolved
    problem: str | None = None  # None: a regular file; else why it is not read
    dirlike: bool = False  # a folder that was not entered (link, pseudo-fs, unreadable)

    @property
    def rel(self) -> str:
        """The path under the root, with ``/``."""
        return "/".join(self.parts)


def _classify(entry: os.DirEntry[str], parts: tuple[str, ...]) -> Entry | None:
    """An entry for a non-folder; None for a folder (walked by the caller)."""
    path = Path(entry.path)
    try:
        if entry.is_symlink():
            try:
                mode = os.stat(entry.path).st_mode
            except (OSError, ValueError):
                return Entry(parts, path, "a broken symbolic link (or a link loop); not read")
            if stat.S_ISREG(mode):
                return Entry(parts, path)
            if stat.S_ISDIR(mode):
                return Entry(parts, path, "a symbolic link to a folder; not followed", True)
            return Entry(parts, path, f"a symbolic link to {describe_mode(mode)}; never opened")
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return Entry(parts, path, f"cannot be examined ({exc.strerror or type(exc).__name__})")
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISREG(mode):
        return Entry(parts, path)
    return Entry(parts, path, f"{describe_mode(mode)}, not a regular file; never opened")


def walk(root: Path) -> list[Entry]:
    """Every entry under ``root`` (resolved), sorted by path; folders are entered only when real,
    never through a symbolic link, never into ``/proc``, ``/sys``, ``/dev`` or a pseudo-fs."""
    out: list[Entry] = []
    todo: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while todo:
        folder, prefix = todo.pop()
        try:
            with os.scandir(folder) as it:
                listed = list(it)
        except OSError as exc:
            if prefix:
                why = exc.strerror or type(exc).__name__
                out.append(Entry(prefix, folder, f"a folder that cannot be listed ({why})", True))
            continue
        for entry in listed:
            parts = (*prefix, entry.name)
            found = _classify(entry, parts)
            if found is not None:
                out.append(found)
                continue
            sub = Path(entry.path)
            top = forbidden(sub)
            if top is not None:
                why = f"a folder on a pseudo-filesystem ({top}); never walked"
                out.append(Entry(parts, sub, why, True))
            else:
                todo.append((sub, parts))
    out.sort(key=lambda e: e.parts)
    return out


Glob = tuple[re.Pattern[str] | None, ...]  # None stands for "**"


def compile_glob(pattern: str) -> tuple[tuple[str, ...], Glob]:
    """Split a glob into its literal leading folders and per-segment matchers.

    Semantics follow :meth:`pathlib.Path.glob`: ``*``, ``?``, ``[...]`` within one path segment,
    ``**`` for any number of folders (repeats collapse: ``**/**`` is ``**``), case-sensitive.
    """
    segs: list[str] = []
    for seg in PurePosixPath(pattern).parts:
        if not (seg == "**" and segs and segs[-1] == "**"):
            segs.append(seg)
    literal: list[str] = []
    for seg in segs[:-1]:
        if seg == "**" or any(c in seg for c in "*?["):
            break
        literal.append(seg)
    compiled = tuple(None if s == "**" else re.compile(fnmatch.translate(s)) for s in segs)
    return tuple(literal), compiled


def glob_match(glob: Glob, parts: tuple[str, ...]) -> bool:
    """Whether a file at ``parts`` matches; linear in ``len(parts) * len(glob)``."""

    def closure(states: set[int]) -> set[int]:
        for i in sorted(states):
            j = i
            while j < len(glob) and glob[j] is None:
                j += 1
                states.add(j)
        return states

    states = closure({0})
    last = len(parts) - 1
    for n, part in enumerate(parts):
        nxt: set[int] = set()
        for i in states:
            if i >= len(glob):
                continue
            seg = glob[i]
            if seg is None:
                if n < last:  # "**" stands for folders, never for the file's own name
                    nxt.add(i)
            elif seg.match(part):
                nxt.add(i + 1)
        if not nxt:
            return False
        states = closure(nxt)
    return len(glob) in states
