"""Byte streams under the readers: hashing as bytes are read, decompression, field access.

Decompression is done here, a bounded piece at a time, rather than with :mod:`gzip` or
zstandard's ``stream_reader``: those either drop the good data decoded just before damage
(gzip raises from inside a buffered read) or stop silently at a truncated frame (zstandard),
so a cut file looked complete. :class:`Decompressed` hands out every byte that decodes and
then *ends*, recording what went wrong in :attr:`Decompressed.damage`; the reader decides
what that means for the file (see ``ReaderBase._damage``).
"""

from __future__ import annotations

import hashlib
import io
import json
import zlib
from typing import IO, Any, Protocol

import zstandard

CHUNK = 1 << 20
BLOCK = 4 << 20  # decompressed bytes handed to Arrow's JSON reader at a time
#: Compressed bytes fed to the zstd decompressor per call. It has no output bound per call,
#: and a run-length block expands 128 KiB from 4 bytes, so small pieces bound memory (worst
#: case 4 KiB × 32768 = 128 MiB) against a decompression bomb. gzip output is bounded by
#: ``max_length``, so it takes larger pieces (fewer calls).
FEED = {"zstd": 4 << 10, "gzip": 256 << 10}
STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)
_GZIP_MAGIC = b"\x1f\x8b"


class HashingReader(io.RawIOBase):
    """Pass-through reader that hashes the raw (compressed) bytes as they are read."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.hash = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.hash.update(data)
        self.count += n
        return n

    def drain(self) -> None:
        """Hash what the decompressor left unread (trailing bytes still belong to the file)."""
        while chunk := self._raw.read(CHUNK):
            self.hash.update(chunk)
            self.count += len(chunk)


class _Decoder(Protocol):
    """The part of zlib's and zstandard's decompression objects used here."""

    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...


class Decompressed(io.RawIOBase):
    """Decompressed bytes of a gzip or zstd stream (several members / frames in a row allowed).

    Never raises for bad input: at the first damage it returns what decoded before it, then
    end-of-file, and sets :attr:`damage` to a short reason (no content). :attr:`produced` is
    the number of decompressed bytes handed out.
    """

    def __init__(self, raw: HashingReader, compression: str) -> None:
        self._raw = raw
        self._gzip = compression == "gzip"
        self._feed = FEED[compression]
        self._kind = "gzip member" if self._gzip else "zstd frame"
        self._dec: Any = None
        self._input = b""
        self._pending = b""
        self._pos = 0
        self._in_eof = False
        self.damage: str | None = None
        self._late: str | None = None
        self.produced = 0

    def readable(self) -> bool:
        return True

    def _new_decoder(self) -> Any:
        if self._gzip:
            return zlib.decompressobj(wbits=31)
        return zstandard.ZstdDecompressor().decompressobj()

    def _fill(self) -> None:
        """Decode until something is pending or the stream is over (or damaged)."""
        while self._pos >= len(self._pending) and self.damage is None:
            if self._late is not None:  # damage found after output that has now been read
                self.damage, self._late = self._late, None
                return
            if not self._input and not self._in_eof:
                self._input = self._raw.read(self._feed) or b""
                self._in_eof = not self._input
            if self._dec is None:
                if self._gzip:
                    self._input = self._input.lstrip(b"\0")  # gzip allows zero padding
                if not self._input:
                    if self._in_eof:
                        return  # clean end: between members / frames
                    continue
                self._dec = self._new_decoder()
            if not self._input:  # input over inside a member / frame
                self.damage = f"truncated: the data ends inside a {self._kind}"
                return
            try:
                self._pending, self._pos = self._decode(), 0
            except (zlib.error, zstandard.ZstdError) as exc:
                self.damage = self._corrupt(exc)
                return
            dec: _Decoder = self._dec
            if dec.eof:  # member / frame complete; what follows may start another
                self._input = dec.unused_data + self._input
                self._dec = None

    def _corrupt(self, exc: Exception) -> str:
        reason = str(exc).split(":")[-1].strip()[:80] or type(exc).__name__
        return f"corrupt: a bad {self._kind} ({reason})"

    def _decode(self) -> bytes:
        data, self._input = self._input, b""
        if not self._gzip:
            return bytes(self._dec.decompress(data))
        saved = self._dec.copy()
        try:
            out: bytes = self._dec.decompress(data, CHUNK)
        except zlib.error:
            self._dec = saved  # redo this piece in small steps to keep what precedes the damage
            return self._decode_gzip_slowly(data)
        self._input = self._dec.unconsumed_tail
        return out

    def _decode_gzip_slowly(self, data: bytes) -> bytes:
        """Decode ``data`` (which holds damage) 4 KiB at a time; the damage is raised later."""
        step, out, size = FEED["zstd"], [], 0
        for i in range(0, len(data), step):
            try:
                piece = self._dec.decompress(data[i : i + step], CHUNK)
            except zlib.error as exc:
                self._late = self._corrupt(exc)
                break
            out.append(piece)
            size += len(piece)
            rest = self._dec.unconsumed_tail + data[i + step :]
            if self._dec.eof or size >= CHUNK or self._dec.unconsumed_tail:
                self._input = rest  # the member ended, or enough output: continue from here
                break
        return b"".join(out)

    def readinto(self, b: Any) -> int:
        self._fill()
        n = min(len(b), len(self._pending) - self._pos)
        b[:n] = memoryview(self._pending)[self._pos : self._pos + n]
        self._pos += n
        self.produced += n
        return n


def decompressed(raw: HashingReader, compression: str | None) -> io.BufferedReader:
    """A buffered stream of the file's content; ``.raw`` is a :class:`Decompressed` if compressed."""
    if compression in ("gzip", "zstd"):
        return io.BufferedReader(Decompressed(raw, compression), buffer_size=CHUNK)
    return io.BufferedReader(raw, buffer_size=CHUNK)


def stream_damage(stream: io.BufferedReader) -> tuple[str | None, int]:
    """``(damage, bytes decompressed)`` of a stream from :func:`decompressed`."""
    raw = stream.raw
    if isinstance(raw, Decompressed):
        return raw.damage, raw.produced
    return None, 0


def dig(obj: Any, dotted: str) -> Any:
    """``a.b.c`` inside nested dicts; None where a level is missing or not a dict."""
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def as_str(value: Any) -> str | None:
    """A field value as text (non-strings as compact JSON)."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def valid_utf8(data: bytes) -> bool:
    """Arrow's JSON reader does not always reject invalid UTF-8, so blocks are checked first."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
