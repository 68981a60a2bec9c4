"""Record keys and URLs through the same protection as text: masked forms and keyed hashes.

A record's key (its ``id_field`` value) goes into every record-level table and a URL into crawl
checks and findings; an e-mail used as a user id or a phone number in ``/u/13812345678`` would
sit there raw. The recognizers of the PII scanner look at each key and each URL path segment:

* no identifier: the string stays as it is (an auditor needs ``doc-000123`` to find a record);
* identifiers: each is replaced by its masked form, and ``~`` plus 16 hex characters of an
  HMAC-SHA256 (the audit's PII key, :mod:`provenance.pii.protect`) of the whole raw string is
  appended, so the same key gives the same stored key in every table and run, and two keys
  that mask alike stay apart: ``zhang.san@example.com`` → ``z***@example.com~3fa9c2d1e0b4a7f6``.

URLs keep scheme, host (and port) and path; query string, fragment and user info are dropped.
Ordinary keys cost one vectorised RE2 prefilter (:mod:`provenance.pii.prefilter`); only keys
that pass it meet the recognizers, and presidio loads only then.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

import pyarrow as pa
import pyarrow.compute as pc
import regex

from provenance.pii.classify import ID_WITH_BIRTH_DATE, is_personal
from provenance.pii.identifiers import birth_date
from provenance.pii.prefilter import PREFILTER, combined
from provenance.pii.protect import load_key, mask, value_hash

if TYPE_CHECKING:
    from provenance.pii.custom import CustomPattern
    from provenance.pii.fast import FastAnalyzer
    from provenance.pipeline import ScannerSpec
    from provenance.shard import Shard

SEP = "~"
HASH_HEX = 16
#: identifiers found in record keys, per record (null when none): what the PII scanner records
KEY_PII_TYPE = pa.list_(
    pa.struct(
        [
            ("entity_type", pa.string()),
            ("score", pa.float64()),
            ("masked", pa.string()),
            ("value_hash", pa.string()),
            ("personal", pa.bool_()),
            ("born", pa.date32()),
        ]
    )
)
KEY_PII = "key_pii"


class Protector:
    """Masks identifiers in keys and URLs; the analyzer and the key load on first need."""

    def __init__(
        self,
        prefilter: str | None = PREFILTER,
        analyzer: Callable[[], FastAnalyzer] | None = None,
        key: bytes | None = None,
    ) -> None:
        self.prefilter = prefilter
        try:  # custom prefilters are RE2; the `regex` module reads nearly all of it
            self._py = regex.compile(prefilter, regex.IGNORECASE) if prefilter else None
        except regex.error:
            self._py = None
        self._make = analyzer or _default_analyzer
        self._analyzer: FastAnalyzer | None = None
        self._key = key

    @property
    def key(self) -> bytes:
        """The audit's PII key (loaded once)."""
        if self._key is None:
            self._key = load_key()
        return self._key

    def _candidates(self, values: pa.Array, also: str = "") -> list[int]:
        if self.prefilter is None:
            return list(pc.indices_nonzero(pc.is_valid(values)).to_pylist())
        pattern = f"{self.prefilter}|{also}" if also else self.prefilter
        hit = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        return list(pc.indices_nonzero(hit).to_pylist())

    def found(self, value: str) -> list[tuple[int, int, str, float]]:
        """Non-overlapping identifiers in ``value`` (the longest first where they overlap)."""
        if self._py is not None and not self._py.search(value):
            return []
        if self._analyzer is None:
            self._analyzer = self._make()
        spans = sorted(self._analyzer.identifiers(value), key=lambda s: (s[0], s[0] - s[1]))
        out: list[tuple[int, int, str, float]] = []
        for s in spans:
            if not out or s[0] >= out[-1][1]:
                out.append(s)
        return out

    def protect(self, value: str) -> tuple[str, list[tuple[int, int, str, float]]]:
        """The stored form of ``value`` and the identifiers found in it."""
        spans = self.found(value)
        if not spans:
            return value, []
        parts, last = [], 0
        for start, end, entity, _ in spans:
            parts += [value[last:start], mask(entity, value[start:end])]
            last = end
        parts.append(value[last:])
        digest = hmac.new(self.key, b"key\0" + value.encode(), hashlib.sha256).hexdigest()
        return "".join(parts) + SEP + digest[:HASH_HEX], spans

    def keys(self, keys: pa.Array) -> tuple[pa.Array, pa.Array | None]:
        """Protected record keys, and per key the identifiers found (None when there are none)."""
        idx = self._candidates(keys)
        if not idx:
            return keys, None
        changed: dict[int, str] = {}
        found: list[Any] = [None] * len(keys)
        for i, value in zip(idx, pc.take(keys, pa.array(idx)).to_pylist(), strict=True):
            stored, spans = self.protect(value)
            if spans:
                changed[i] = stored
                found[i] = [self._hit(value[a:b], entity, score) for a, b, entity, score in spans]
        if not changed:
            return keys, None
        return _replace(keys, changed), pa.array(found, KEY_PII_TYPE)

    def _hit(self, value: str, entity: str, score: float) -> dict[str, Any]:
        return {
            "entity_type": entity,
            "score": score,
            "masked": mask(entity, value),
            "value_hash": value_hash(self.key, entity, value),
            "personal": is_personal(entity, value),
            "born": birth_date(value) if entity in ID_WITH_BIRTH_DATE else None,
        }

    def url(self, url: str) -> str:
        """Scheme, host[:port] and path, identifier-bearing path segments protected; "" if
        unparsable."""
        try:
            p = urlsplit(url.strip())
            host = p.netloc.rpartition("@")[2]  # without user info
        except ValueError:
            return ""
        path = "/".join(self._segment(s) for s in p.path.split("/"))
        return urlunsplit((p.scheme, host, path, "", ""))

    def _segment(self, raw: str) -> str:
        decoded = unquote(raw)  # an identifier may be percent-encoded (%40 for @)
        stored, spans = self.protect(decoded) if decoded else (decoded, [])
        return stored if spans else raw

    def urls(self, urls: pa.Array) -> pa.Array:
        """:meth:`url` over an array (nulls stay null). Query strings and fragments go in one
        vectorised step; only URLs the prefilter keeps (any ``@`` among them) or with
        percent-encoding are parsed."""
        cut = pc.replace_substring_regex(pc.utf8_trim_whitespace(urls), r"[?#].*", "")
        idx = self._candidates(cut, also="%")  # percent-encoded: the prefilter cannot tell
        if not idx:
            return cut
        values = pc.take(cut, pa.array(idx)).to_pylist()
        return _replace(cut, {i: self.url(v) for i, v in zip(idx, values, strict=True)})


def _replace(values: pa.Array, changed: dict[int, str]) -> pa.Array:
    where = [False] * len(values)
    for i in changed:
        where[i] = True
    return pc.replace_with_mask(
        values, pa.array(where), pa.array([changed[i] for i in sorted(changed)], values.type)
    )


def _default_analyzer() -> FastAnalyzer:
    from provenance.pii import fast_analyzer

    return fast_analyzer()


def analyzer_for(
    pii_settings: dict[str, Any],
) -> tuple[Callable[[], FastAnalyzer], str | None]:
    """The run's configured PII analyzer (the PII scanner's models and custom pattern files),
    built on first call, the same one the PII scanner uses (cached per process), and the RE2
    prefilter its patterns need."""
    from pathlib import Path

    models = dict(pii_settings.get("models") or {})
    paths = list(pii_settings.get("patterns") or [])
    custom: tuple[CustomPattern, ...] = ()
    if paths:  # presidio loads with the pattern classes: only when there are some
        from provenance.pii.custom import load_patterns

        custom = tuple(c for p in paths for c in load_patterns(Path(p)))  # validated already

    def make() -> FastAnalyzer:
        from provenance.pii import fast_analyzer

        return fast_analyzer(tuple(sorted(models.items())), custom)

    return make, combined([c[5] for c in custom])


def protector_for(custom_patterns: list[str], models: dict[str, str]) -> Protector:
    """A protector with the PII scanner's recognizers (built-in plus custom pattern files)."""
    make, prefilter = analyzer_for({"patterns": custom_patterns, "models": models})
    return Protector(prefilter, make)


def pii_settings(scanners: Iterable[ScannerSpec]) -> dict[str, Any]:
    """The PII scanner's settings when the pipeline has one (else the defaults)."""
    return next((s.settings for s in scanners if s.name == "personal_information"), {})


class BatchGuard:
    """What every batch of a shard passes through before any scanner sees it: protected record
    keys (when the shard has an ``id_field``; index keys carry nothing) with the identifiers
    found in them as a ``key_pii`` column for the PII scanner, and protected URLs."""

    def __init__(
        self, id_field: str | None, url_field: str | None, pii_settings: dict[str, Any]
    ) -> None:
        self.keys = bool(id_field)
        self.urls = bool(url_field)
        self.protector = (
            protector_for(
                list(pii_settings.get("patterns") or []), dict(pii_settings.get("models") or {})
            )
            if self.keys or self.urls
            else None
        )

    @classmethod
    def for_shard(cls, shard: Shard, scanners: Iterable[ScannerSpec]) -> BatchGuard:
        """The guard of a shard, with the PII scanner's settings when the pipeline has one."""
        return cls(shard.id_field, shard.url_field, pii_settings(scanners))

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The batch with record_key and url protected."""
        if self.protector is None:
            return batch
        names = batch.schema.names
        if self.keys:
            keys, found = self.protector.keys(batch.column("record_key"))
            batch = batch.set_column(names.index("record_key"), "record_key", keys)
            if found is not None:
                batch = batch.append_column(KEY_PII, found)
        if self.urls:
            urls = self.protector.urls(batch.column("url"))
            batch = batch.set_column(names.index("url"), "url", urls)
        return batch
