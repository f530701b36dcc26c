"""Dates as a reader sees them, the same in every report and page."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=4096)  # each entry's day is shown on its page, in the timeline and in listings
def day(value: dt.date) -> str:
    """``7 Dec 2026``."""
    return f"{value.day} {value:%b %Y}"


def month(value: dt.date) -> str:
    """``Dec 2026``."""
    return f"{value:%b %Y}"
