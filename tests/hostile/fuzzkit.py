"""Shared pieces of the hostile-input fuzzer (issue 9): settings, hostile strings, shard cases.

A *shard case* is the bytes of one data file built from planted, known-good records mixed with
junk, or damaged (a compressed stream cut at a random point, random bytes under a data name).
It carries what any correct reader must report about it: the planted records that have to be
counted (``must_count``, each recognisable by its ``marker``) and whether the file holds damage
that must be reported (``bad``). The reader fuzz, the CLI fuzz and a reproduction printed from a
failure all use the same builder, so one failing case reproduces at every level.

Settings: ``PROVENANCE_FUZZ_SCALE`` multiplies every example count (default 1, the CI count).
Runs are derandomized (the seed follows from each test's source) so CI is reproducible;
``PROVENANCE_FUZZ_SEED=N`` explores a different, still reproducible, part of the space.
No example database is written (no ``.hypothesis`` folder).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import signal
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st

SCALE = max(1, int(os.environ.get("PROVENANCE_FUZZ_SCALE", "1") or "1"))
SEED = os.environ.get("PROVENANCE_FUZZ_SEED") or None

F = TypeVar("F", bound=Callable[..., Any])


def profile() -> str:
    """One line naming the fuzz profile (printed in the pytest header and in failures)."""
    how = f"seed={SEED}" if SEED else "derandomized (seed derived from each test)"
    return f"provenance fuzz: PROVENANCE_FUZZ_SCALE={SCALE}, {how}, database=None"


def fuzz(examples: int, deadline_s: float | None = None, shrink: bool = True) -> Callable[[F], F]:
    """``@settings`` for a fuzz test: ``examples`` x SCALE cases, reproducible, no database.

    Function-scoped fixtures (the autouse PII key of tests/conftest.py) are shared by the
    examples on purpose: every example builds its own files in its own folder. ``shrink=False``
    for cases that each cost a process (a failure is reported as found, in full).
    """
    phases = [p for p in Phase if shrink or p not in (Phase.shrink, Phase.explain)]

    def wrap(fn: F) -> F:
        fn = settings(
            max_examples=examples * SCALE,
            deadline=None if deadline_s is None else timedelta(seconds=deadline_s),
            derandomize=SEED is None,
            database=None,
            print_blob=True,
            phases=phases,
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
        )(fn)
        if SEED is not None:
            fn = seed(int(SEED))(fn)
        return fn

    return wrap


class Hang(AssertionError):
    """A case exceeded its time limit: a hang, by the fuzzer's definition."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail with :class:`Hang` when the block runs longer than ``seconds`` (SIGALRM, main thread)."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"{what}: still running after {seconds:g} s (a hang)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# -- hostile strings ---------------------------------------------------------------------------

#: Pieces a user string or a record may contain that have broken, or could break, a run or a
#: terminal: rich markup, RTL override, BOM, NUL and other controls, line separators, quoting.
HOSTILE_PIECES = [
    "[/]",
    "[bold]",
    "[x]",
    "[/bold]",
    "[link=file:///etc/passwd]x[/link]",
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\ufeff",  # BOM / ZWNBSP
    "\x00",
    "\x1b[31m",  # ANSI escape
    "\r",
    "\t",
    "\u2028",
    "\u0085",
    "\\",
    '"',
    "'",
    "%s",
    "{0}",
    "中文",
    "😀",
    "e\u0301",
    "\U0010ffff",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)), max_size=6
).map("".join)


def _json_scalar() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text,
    )


json_values = st.recursive(
    _json_scalar(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)
    ),
    max_leaves=8,
)


def blob(rng_seed: int, size: int) -> bytes:
    """``size`` reproducible random bytes (large blobs without a large hypothesis buffer)."""
    return random.Random(rng_seed).randbytes(size)


# -- shard cases -------------------------------------------------------------------------------

LINE_FORMATS = ("jsonl", "csv", "text")
EXT = {"jsonl": ".jsonl", "csv": ".csv", "text": ".txt", "parquet": ".parquet"}
COMP_EXT = {None: "", "gzip": ".gz", "zstd": ".zst"}


@dataclass
class ShardCase:
    """One hostile data file and what a correct reader must say about it."""

    name: str
    fmt: str
    compression: str | None
    data: bytes
    markers: list[str]  # every planted good record's marker, in file order
    must_count: int  # the first ``must_count`` planted records have to be counted
    bad: bool  # the file holds damage that must be reported
    kind: str  # how it was built, for the failure report
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """A reproduction: how the case was built and its bytes (abridged when long)."""
        shown = self.data if len(self.data) <= 600 else self.data[:600] + b"...<cut>"
        return (
            f"{self.name} ({self.fmt}, {self.compression}, {self.kind}; {len(self.data)} bytes; "
            f"must count {self.must_count} of {len(self.markers)} planted; bad={self.bad}; "
            f"{'; '.join(self.notes)})\n  bytes: {shown!r}"
        )


@dataclass
class _Line:
    raw: bytes  # without the newline
    marker: str | None  # set on planted good records
    flags: bool  # junk that must be reported (malformed, invalid UTF-8)


def _good_text(i: int, nonce: int, body: str, pad: int) -> tuple[str, str]:
    marker = f"GOOD-{nonce}-{i}:"
    return marker, marker + body + ("y" * pad)


def _encode_good(fmt: str, text: str, ensure_ascii: bool) -> bytes:
    if fmt == "jsonl":
        return json.dumps({"text": text, "n": 1}, ensure_ascii=ensure_ascii).encode()
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(["k", text])
        return buf.getvalue().encode("utf-8")
    return text.encode("utf-8")


@st.composite
def _junk_line(draw: st.DrawFn, fmt: str) -> _Line:
    """A line that is not a valid record of ``fmt`` (``flags``) or an odd-but-legal one."""
    kinds = ["invalid_utf8"]
    if fmt == "jsonl":
        kinds += ["non_dict", "cut_json", "raw_nul", "no_text", "lone_surrogate", "deep", "bom"]
    elif fmt == "csv":
        kinds += ["wrong_columns"]
    kind = draw(st.sampled_from(kinds))
    if kind == "invalid_utf8":
        tail = draw(st.binary(max_size=40)).replace(b"\n", b"").replace(b'"', b"")
        return _Line(b"\xff" + tail, None, True)
    if kind == "wrong_columns":
        return _Line(b"a,b,c,d,e", None, True)
    if kind == "non_dict":
        value = draw(json_values.filter(lambda v: not isinstance(v, dict)))
        return _Line(json.dumps(value).encode(), None, True)
    if kind == "cut_json":
        full = json.dumps({"text": draw(hostile_text), "x": draw(json_values)}).encode()
        return _Line(full[: draw(st.integers(1, len(full) - 1))], None, True)
    if kind == "raw_nul":
        return _Line(b'{"text": "a\x00b"}', None, True)
    if kind == "no_text":
        return _Line(json.dumps({"body": draw(hostile_text)}).encode(), None, False)
    if kind == "lone_surrogate":
        surrogate = draw(st.sampled_from(["\\ud800", "\\udfff", "\\udc00x", "\\ud83d"]))
        return _Line(b'{"text": "lone ' + surrogate.encode() + b' end"}', None, False)
    if kind == "deep":
        depth = draw(st.sampled_from([50, 2_000, 100_000]))
        return _Line(b'{"text": "deep", "m": ' + b"[" * depth + b"]" * depth + b"}", None, False)
    return _Line(b'\xef\xbb\xbf{"text": "bom inside"}', None, False)  # mid-file BOM


def _serialise(fmt: str, lines: list[_Line], bom: bool) -> tuple[bytes, list[tuple[int, str]]]:
    """File bytes and, per planted good record, (end offset incl. newline, marker)."""
    out = bytearray(b"\xef\xbb\xbf" if bom else b"")
    if fmt == "csv":
        out += b"k,text\n"
    ends = []
    for line in lines:
        out += line.raw + b"\n"
        if line.marker:
            ends.append((len(out), line.marker))
    return bytes(out), ends


def compress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, mtime=0)
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    return data


def recoverable(data: bytes, compression: str | None) -> int:
    """How many leading bytes of the payload a streaming decompressor yields from ``data``."""
    if compression == "gzip":
        try:
            return len(zlib.decompressobj(wbits=31).decompress(data))
        except zlib.error:
            return 0
    if compression == "zstd":
        try:
            return len(zstandard.ZstdDecompressor().decompressobj().decompress(data))
        except zstandard.ZstdError:
            return 0
    return len(data)


@st.composite
def line_shard(
    draw: st.DrawFn, fmt: str | None = None, compression: str | bool | None = False
) -> ShardCase:
    """A JSONL / CSV / text file of planted good records among junk (maybe compressed)."""
    fmt = fmt or draw(st.sampled_from(LINE_FORMATS))
    if compression is False:
        compression = draw(st.sampled_from([None, "gzip", "zstd"]))
    nonce = draw(st.integers(0, 9999))
    k = draw(st.integers(0, 6))
    long_at = draw(st.sampled_from([None, None, None, 0]))
    pad = draw(st.sampled_from([70_000, 300_000, 1_100_000]))
    ensure_ascii = draw(st.booleans())
    lines: list[_Line] = []
    for i in range(k):
        body = draw(hostile_text)
        if fmt == "text":  # one record per line: no line breaks inside a plain-text record
            body = body.replace("\n", " ").replace("\r", " ")
        marker, text = _good_text(i, nonce, body, pad if long_at == i else 0)
        lines.append(_Line(_encode_good(fmt, text, ensure_ascii), marker, False))
    junk = draw(st.lists(_junk_line(fmt), max_size=4))
    for j in junk:
        lines.insert(draw(st.integers(0, len(lines))), j)
    bom = draw(st.booleans()) and draw(st.booleans())
    payload, _ = _serialise(fmt, lines, bom)
    markers = [x.marker for x in lines if x.marker]
    kinds = sorted({"junk" if j.flags else "odd" for j in junk})
    notes = [f"long record {pad} chars" if long_at is not None and k else "", "BOM" if bom else ""]
    return ShardCase(
        name=f"s{nonce}{EXT[fmt]}{COMP_EXT[compression]}",
        fmt=fmt,
        compression=compression,
        data=compress(payload, compression),
        markers=markers,
        must_count=len(markers),
        bad=any(j.flags for j in junk),
        kind="good records + " + ("/".join(kinds) or "nothing else"),
        notes=[n for n in notes if n],
    )


@st.composite
def truncated_shard(
    draw: st.DrawFn, fmt: str | None = None, compression: str | None = None
) -> ShardCase:
    """A valid gzip/zstd file of planted records, cut at a random point."""
    fmt = fmt or draw(st.sampled_from(LINE_FORMATS))
    compression = compression or draw(st.sampled_from(["gzip", "zstd"]))
    nonce = draw(st.integers(0, 9999))
    k = draw(st.integers(1, 400))
    body_seed = draw(st.integers(0, 2**32))
    rng = random.Random(body_seed)
    lines = []
    for i in range(k):
        # incompressible-ish bodies so the compressed stream has many cut points with output
        marker, text = _good_text(i, nonce, rng.randbytes(rng.randint(0, 300)).hex(), 0)
        lines.append(_Line(_encode_good(fmt, text, True), marker, False))
    payload, ends = _serialise(fmt, lines, False)
    packed = compress(payload, compression)
    cut = draw(st.integers(1, len(packed) - 1))
    data = packed[:cut]
    prefix = recoverable(data, compression)
    must = sum(1 for end, _ in ends if end <= prefix)
    return ShardCase(
        name=f"t{nonce}{EXT[fmt]}{COMP_EXT[compression]}",
        fmt=fmt,
        compression=compression,
        data=data,
        markers=[m for _, m in ends],
        must_count=must,
        bad=True,
        kind=f"truncated at byte {cut} of {len(packed)}",
        notes=[f"{k} records, payload {len(payload)} bytes, {prefix} recoverable"],
    )


@st.composite
def random_bytes_shard(draw: st.DrawFn, fmt: str | None = None) -> ShardCase:
    """Random bytes under a data file name (they start with 0xFF: never valid UTF-8 text)."""
    fmt = fmt or draw(st.sampled_from((*LINE_FORMATS, "parquet")))
    compression = None if fmt == "parquet" else draw(st.sampled_from([None, "gzip", "zstd"]))
    size = draw(st.sampled_from([1, 100, 5_000, 200_000]))
    data = b"\xff" + blob(draw(st.integers(0, 2**32)), size)
    if draw(st.booleans()) and compression:
        data = compress(data, compression)  # well-formed container, garbage inside
    if fmt == "parquet" and draw(st.booleans()):
        data = b"PAR1" + data + b"PAR1"
    return ShardCase(
        name=f"r{size}{EXT[fmt]}{COMP_EXT[compression]}",
        fmt=fmt,
        compression=compression,
        data=data,
        markers=[],
        must_count=0,
        bad=True,
        kind="random bytes",
        notes=[f"{len(data)} bytes"],
    )


@st.composite
def parquet_shard(draw: st.DrawFn) -> ShardCase:
    """A Parquet file of planted records with hostile strings, maybe damaged."""
    nonce = draw(st.integers(0, 9999))
    k = draw(st.integers(0, 30))
    texts: list[str | None] = []
    markers = []
    for i in range(k):
        marker, text = _good_text(i, nonce, draw(hostile_text), 0)
        texts.append(text)
        markers.append(marker)
    nulls = draw(st.integers(0, 3))
    for _ in range(nulls):
        texts.insert(draw(st.integers(0, len(texts))), None)
    damage = draw(st.sampled_from(["none", "none", "truncate", "int_text", "flip", "bad_utf8"]))
    if damage == "int_text":
        table = pa.table({"text": pa.array(range(len(texts)), pa.int64())})
        markers = []
    elif (
        damage == "bad_utf8"
    ):  # Parquet does not validate UTF-8: a string column may hold any bytes
        raw = [t.encode() if t is not None else None for t in texts]
        raw.insert(draw(st.integers(0, len(raw))), b"bad \xff\xfe " + draw(st.binary(max_size=8)))
        table = pa.table({"text": pa.array(raw, pa.binary()).view(pa.string())})
    else:
        table = pa.table({"text": pa.array(texts, pa.string()), "k": list(range(len(texts)))})
    buf = io.BytesIO()
    pq.write_table(table, buf, row_group_size=draw(st.sampled_from([1, 7, 1000])))
    data = buf.getvalue()
    notes = []
    if damage == "truncate":
        cut = draw(st.integers(1, len(data) - 1))
        data, notes = data[:cut], [f"cut at {cut}"]
    elif damage == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
        notes = [f"byte {at} flipped"]
    return ShardCase(
        name=f"p{nonce}.parquet",
        fmt="parquet",
        compression=None,
        data=data,
        markers=markers,
        # a flipped byte may land anywhere (page data, statistics): nothing is promised
        must_count=len(markers) if damage in ("none", "bad_utf8") else 0,
        bad=damage in ("truncate", "int_text", "bad_utf8"),
        kind=f"parquet, damage={damage}",
        notes=notes,
    )


@st.composite
def no_text_shard(draw: st.DrawFn) -> ShardCase:
    """JSON lines that are all objects, none with the text field: nothing to audit, silently."""
    rows = draw(st.lists(st.dictionaries(hostile_text, json_values, max_size=3), min_size=1))
    rows = [{k: v for k, v in row.items() if k != "text"} for row in rows]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    return ShardCase(
        name=f"n{len(rows)}.jsonl",
        fmt="jsonl",
        compression=None,
        data=data,
        markers=[],
        must_count=0,
        bad=True,  # a file without one text is a finding (issue 9 item 8), not a clean read
        kind="no record has the text field",
    )


#: every kind of hostile shard, for the CLI fuzz (``no_text_shard`` is only "bad" in a dossier:
#: a reader reports it as ``missing_text``, which is not damage)
any_shard = st.one_of(
    line_shard(), truncated_shard(), random_bytes_shard(), parquet_shard(), no_text_shard()
)
