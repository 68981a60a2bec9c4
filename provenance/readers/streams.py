"""Byte streams under the readers: hashing as bytes are read, decompression, field access."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from typing import IO, Any, cast

import zstandard

CHUNK = 1 << 20
BLOCK = 4 << 20  # decompressed bytes handed to Arrow's JSON reader at a time
STREAM_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError)


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


def decompressed(raw: HashingReader, compression: str | None) -> io.BufferedIOBase:
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "zstd":
        reader = zstandard.ZstdDecompressor().stream_reader(
            cast(IO[bytes], raw), read_across_frames=True
        )
        return io.BufferedReader(reader, buffer_size=CHUNK)
    return io.BufferedReader(raw, buffer_size=CHUNK)


def dig(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def as_str(value: Any) -> str | None:
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
