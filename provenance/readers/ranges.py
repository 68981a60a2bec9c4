"""A byte range of a line-oriented file as a stream of whole lines, for splitting large files.

A large uncompressed JSONL or text file is planned as several shards, each a byte range
``[start, end)`` (provenance.plan), so that workers share it. A line belongs to the range its
first byte lies in: every line is read by exactly one shard whatever the cut points, and the
lines of all parts, in order, are the lines of the file. Line numbers (record indexes and
keys, malformed-line reports) stay those of the whole file: a part counts the newlines before
its start — a fast pass over bytes that are not parsed.
"""

from __future__ import annotations

import io
from typing import IO, Any

_CHUNK = 16 << 20  # bytes per read when counting newlines or looking for a line's end


def _count_newlines(fh: IO[bytes], upto: int) -> int:
    """Newlines in the first ``upto`` bytes of ``fh`` (read from offset 0)."""
    fh.seek(0)
    count, left = 0, upto
    while left > 0:
        chunk = fh.read(min(_CHUNK, left))
        if not chunk:
            break
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count


class LineRange(io.RawIOBase):
    """The bytes of the lines of ``fh`` whose first byte lies in ``[start, end)``.

    :attr:`lines_before` is the number of lines of the file before the first of them.
    """

    def __init__(self, fh: IO[bytes], start: int, end: int) -> None:
        super().__init__()
        self._fh = fh
        self._end = end
        self._done = False
        self.lines_before = 0
        pos = 0
        if start > 0:
            # the line holding byte start-1 began in an earlier part: skip to its end
            self.lines_before = _count_newlines(fh, start - 1)
            fh.seek(start - 1)
            pos = start - 1
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    self._done = True  # no line starts in this range
                    break
                nl = chunk.find(b"\n")
                if nl >= 0:
                    pos += nl + 1
                    self.lines_before += 1
                    break
                pos += len(chunk)
        self._pos = pos
        if pos >= end:
            self._done = True
        fh.seek(pos)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._done:
            return 0
        if self._pos < self._end:
            data = self._fh.read(min(len(b), self._end - self._pos))
            if data and self._pos + len(data) == self._end and data.endswith(b"\n"):
                self._done = True  # the range ends exactly at a line's end
        else:
            # past the end: finish the line that started inside the range, then stop
            data = self._fh.read(min(len(b), _CHUNK))
            nl = data.find(b"\n")
            if nl >= 0:
                data, self._done = data[: nl + 1], True
        if not data:
            self._done = True
            return 0
        n = len(data)
        b[:n] = data
        self._pos += n
        return n
