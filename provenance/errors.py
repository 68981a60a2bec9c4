"""Named failure levels and the exit codes they map to (DESIGN section 4).

* ``BadInput`` (exit 2): the manifest, pipeline, paths or database cannot be used; nothing
  is written. Carries every problem found, not just the first (pandera-style collection).
* ``InternalError`` (exit 3): a bug or an environment failure mid-run; the run is marked
  ``failed`` and stays resumable.

A failed *check* is never an exception: it is a finding. A bad *shard* is recorded in the
dossier and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_BLOCKING = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # SIGINT (128 + 2), as shells report it


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is and what would be valid."""

    file: str
    path: str
    message: str
    line: int | None = None
    code: str = "invalid"

    def render(self) -> str:
        """Format as ``file:line: path: message [code]`` (line omitted when unknown)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        loc = f" {self.path}:" if self.path else ""
        return f"{where}:{loc} {self.message} [{self.code}]"


class ProvenanceError(Exception):
    """Base of the errors the CLI turns into exit codes."""

    exit_code = EXIT_INTERNAL


@dataclass
class BadInput(ProvenanceError):
    """Input that cannot be used. ``problems`` lists every problem found."""

    summary: str
    problems: list[Problem] = field(default_factory=list)

    exit_code = EXIT_BAD_INPUT

    def __post_init__(self) -> None:
        super().__init__(self.summary)

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p.render()}" for p in self.problems]
        return "\n".join(lines)


class InternalError(ProvenanceError):
    """A failure that is not the user's input; the run is marked failed and can be resumed."""

    exit_code = EXIT_INTERNAL


def safe_error(exc: BaseException, limit: int = 300) -> str:
    """Describe an exception for the dossier without echoing record content.

    Third-party parsers (pyarrow's CSV reader, for one) quote the offending row in their
    messages; a row can hold personal information, so only our own exceptions keep their
    text, and others are reduced to their type and a truncated message with quotes removed.
    """
    if isinstance(exc, ProvenanceError | ShardError):
        return str(exc)[:limit]
    text = str(exc).split("\n", 1)[0]
    for quote in ('"', "'", "`"):
        if quote in text:
            text = text.split(quote, 1)[0] + "…"
    return f"{type(exc).__name__}: {text}"[:limit]


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGINT) during a run: the run is left resumable and the message says how."""


class ShardError(Exception):
    """A shard (file or row-group range) could not be read; recorded, and the run goes on.

    Messages must name the file, the line or column where known, and what would be valid —
    and never quote record content.
    """


class CorruptShard(ShardError):
    """The bytes of a shard cannot be decoded at all (damaged compression, not the format).

    Raised only when nothing could be read; damage after good records is recorded in the
    read statistics instead, so the records before it still count.
    """
