"""What the importers of work share: the drafts they found, and the dates exports write.

An importer of work (pull requests, tickets) reads its whole input before anything is
written: it returns a :class:`Found` with every draft and every problem, and the caller
writes the drafts with :func:`promo_packet.authoring.drafts.write_drafts` only when there is no problem.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..authoring.drafts import Draft
from ..errors import Problem, quoted
from ..reading.fields import DATE_RANGE_HINT, EARLIEST_DATE, LATEST_DATE
from ..reading.urls import url_problem

DATE_EXAMPLES = "2026-05-01, 2026-05-01 14:03, 2026-05-01T14:03:00Z or 01/May/26 2:03 PM"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_JIRA = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y", "%d/%b/%Y")


@dataclass
class Found:
    """The drafts an import read, the problems that stop them being written, and how many
    records it passed over as not work done (an open ticket)."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    passed_over: int = 0


def export_day(text: str) -> tuple[dt.date | None, str | None]:
    """The day of a date or timestamp as exports write it (ISO 8601, ``2026-05-01 14:03``,
    Jira's ``01/May/26 2:03 PM``), as written, without converting time zones; or why not."""
    text = text.strip()
    day: dt.date | None = None
    if _ISO.fullmatch(text):
        try:
            # Python 3.10's fromisoformat reads neither Z nor fractions of other than 3 or 6 digits.
            day = dt.date.fromisoformat(text[:10])
            dt.datetime.fromisoformat(text[:19] if len(text) > 10 else text)
        except ValueError as exc:
            return None, f"{quoted(text)} is not a real date ({exc})"
    else:
        for pattern in _JIRA:
            try:
                day = dt.datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
    if day is None:
        return None, f"expected a date such as {DATE_EXAMPLES}, got {quoted(text)}"
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return None, f"{day.isoformat()} is out of range; {DATE_RANGE_HINT}"
    return day, None


def text_problem(text: str, *, one_line: bool = False) -> str | None:
    """Why ``text`` cannot go into a draft, if it cannot: a lone surrogate is not text (no file
    can hold it), and a value written on one line of the draft must not break it."""
    found = _SURROGATE.search(text)
    if found:
        return f"holds U+{ord(found.group()):04X}, half of a character, not text"
    found = _LINE_BREAK.search(text) if one_line else None
    if found:
        return f"holds the control character U+{ord(found.group()):04X}; expected one line of text"
    return None


def link_problem(url: str) -> str | None:
    """Why ``url`` cannot be a draft's link, by the rule ``promo check`` applies, if it cannot."""
    return text_problem(url) or url_problem(url)
