"""Lenient date parsing for values read from manifests and record files (one place for it)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def parse_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO string (its first 10 characters); else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_utc(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp ('Z' allowed) as naive UTC; a timestamp without zone is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        t = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t
