"""Storage without exposure: masked forms and keyed hashes, never the raw value.

The key for HMAC-SHA256 lives outside the dossier: ``PROVENANCE_PII_KEY`` (hex or text) if set,
else a key file (default ``~/.config/provenance/pii.key``, or ``PROVENANCE_PII_KEY_FILE``)
created with mode 0600 on first use. Without the key, a hash in the dossier cannot be tested
against guesses; with it, ``provenance pi lookup`` answers a data subject's request.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from provenance.pii.identifiers import e164, normalise_text

KEY_ENV = "PROVENANCE_PII_KEY"
KEY_FILE_ENV = "PROVENANCE_PII_KEY_FILE"


def key_path() -> Path:
    """Where the key file is (created on first use)."""
    env = os.environ.get(KEY_FILE_ENV)
    return Path(env) if env else Path.home() / ".config" / "provenance" / "pii.key"


#: the key an audit resolved once and handed to this process (see :func:`using_key`)
_INSTALLED: list[bytes] = []


@contextmanager
def using_key(key: bytes) -> Iterator[None]:
    """Make ``key`` what :func:`load_key` returns in this process for the duration.

    The coordinator resolves the key once and every worker scans under it (the key travels in
    the shard job), so no worker ever resolves or mints a key of its own.
    """
    _INSTALLED.append(key)
    try:
        yield
    finally:
        _INSTALLED.pop()


def key_fingerprint(key: bytes) -> str:
    """A run-recorded identity of the key that reveals nothing about it (HMAC of a constant)."""
    return hmac.new(key, b"provenance key fingerprint", hashlib.sha256).hexdigest()[:16]


def load_key() -> bytes:
    """The HMAC key: the one installed by :func:`using_key`, else from the environment, else
    the key file (created 0600 if absent)."""
    if _INSTALLED:
        return _INSTALLED[-1]
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if not key:
        raise OSError(f"PII key file {path} is empty; delete it to create a new key")
    return key.encode()


def normalise(entity_type: str, value: str) -> str:
    """Canonical form, so 138-1234-5678 and +86 13812345678 hash alike, (404) 573-1797 and
    +1 404 573 1797 too (E.164), １３８… and 138… too (Unicode digits as ASCII), and an IPv6
    address in any spelling (its compressed form)."""
    v = normalise_text(value.strip())
    if entity_type == "PHONE_NUMBER":
        return e164(v) or "+" + re.sub(r"[^0-9]", "", v)
    if entity_type == "IP_ADDRESS":
        try:
            return str(ipaddress.ip_address(v))
        except ValueError:
            return v.upper()
    if entity_type in ("CN_MOBILE", "BANK_CARD"):
        digits = re.sub(r"[^0-9]", "", v)
        return digits[-11:] if entity_type == "CN_MOBILE" else digits
    if entity_type == "EMAIL_ADDRESS":
        return v.lower()
    return re.sub(r"\s+", "", v).upper()


def value_hash(key: bytes, entity_type: str, value: str) -> str:
    """HMAC-SHA256 of the normalised value (entity-type independent, so a lookup needs no type)."""
    return hmac.new(key, normalise(entity_type, value).encode(), hashlib.sha256).hexdigest()


def mask(entity_type: str, value: str) -> str:
    """Keep a little of each end so an auditor can tell kinds apart: 110***********123X."""
    v = value.strip()
    if entity_type == "EMAIL_ADDRESS" and "@" in v:
        local, domain = v.split("@", 1)
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    if len(v) <= 4:
        return "*" * len(v)
    keep_head = 3 if len(v) >= 11 else 1
    keep_tail = 4 if len(v) >= 15 else 2 if len(v) >= 8 else 1
    if entity_type in ("PERSON", "LOCATION"):
        keep_head, keep_tail = 1, 0
    return (
        v[:keep_head]
        + "*" * (len(v) - keep_head - keep_tail)
        + (v[-keep_tail:] if keep_tail else "")
    )
