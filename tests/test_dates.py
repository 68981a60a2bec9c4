"""Lenient date parsing shared by the checks and scanners."""

from __future__ import annotations

import datetime as dt

import pytest

from provenance.dates import parse_date, parse_utc


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("2026-03-01T08:00:00Z", dt.date(2026, 3, 1)),
        (" 2026-03-01 ", dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
        (dt.datetime(2026, 3, 1, 9), dt.date(2026, 3, 1)),
        ("2026-13-01", None),
        ("", None),
        (None, None),
        ("soon", None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-01T08:00:00Z", dt.datetime(2026, 3, 1, 8)),
        ("2026-03-01T16:00:00+08:00", dt.datetime(2026, 3, 1, 8)),
        ("2026-03-01T08:00:00", dt.datetime(2026, 3, 1, 8)),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_utc(value: object, expected: dt.datetime | None) -> None:
    assert parse_utc(value) == expected
