"""The plan's dates as an iCalendar file (RFC 5545), to import into the person's own calendar.

Three kinds of all-day event: the next check-ins at the plan's cadence, a monthly review
reminder on the first weekday of each month, and the review date itself.

Importing the file again must update its events, not add copies: each UID is derived from
the person, the target level, the kind of event and its day, so the same plan gives the same
UIDs on every run. ``DTSTAMP`` is the day of the run (``SOURCE_DATE_EPOCH`` when set), so the
same inputs on the same day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from .._version import __version__
from ..model.packet import PacketSettings
from ..model.plan import sponsor_of
from ..model.progress import PlanStatus

CHECKINS = 6
"""How many check-ins ahead the calendar holds."""
MONTHS = 6
"""How many monthly review reminders it holds."""
LINE_OCTETS = 75
"""RFC 5545 3.1: a content line is folded after 75 octets, the line break excluded."""
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Where some reader breaks a line (Python's ``splitlines`` breaks at each): a raw one in a
value would split the content line in two for it."""
_CONTROLS = {code: "\ufffd" for code in (*range(0x20), *range(0x7F, 0xA0)) if code != 0x09}
"""RFC 5545 allows no control character in TEXT but the tab (3.3.11, TSAFE-CHAR)."""


@dataclass(frozen=True)
class Event:
    """One all-day event of the calendar."""

    kind: str
    """``checkin``, ``monthly-review`` or ``review``: part of the UID."""
    day: dt.date
    summary: str
    description: str = ""


def plan_events(status: PlanStatus | None, settings: PacketSettings, today: dt.date, *,
                checkins: int = CHECKINS, months: int = MONTHS) -> list[Event]:
    """The upcoming events, in date order: check-ins and the review need a plan; the monthly
    reminders do not."""
    events = [Event("monthly-review", day, "Monthly promotion review",
                    "Run `promo review`: what you logged this month, how coverage moved, "
                    "what to seek next.") for day in first_weekdays(today, months)]
    if status is not None:
        plan = status.plan
        who = sponsor_of(plan, settings.sponsor)
        due = status.next_checkin
        # An overdue check-in (or a first one) is due now, and the cadence runs from there.
        day = today if due is None or due < today else due
        for _ in range(checkins):
            events.append(Event("checkin", weekday(day), f"Promotion check-in{f' with {who}' if who else ''}",
                                "Bring the evidence logged since the last check-in (`promo brief`); "
                                "record it afterwards with `promo checkin`."))
            day += dt.timedelta(days=plan.checkin_days)
        if plan.review_date is not None and plan.review_date >= today:
            cycle = f" ({settings.review_cycle})" if settings.review_cycle else ""
            events.append(Event("review", plan.review_date, f"Promotion review{cycle}",
                                "The date the promotion decision is made, as the plan says."))
    return sorted(events, key=lambda e: (e.day, e.kind))


def first_weekdays(today: dt.date, months: int) -> list[dt.date]:
    """The first Monday-to-Friday day of each month, the next ``months`` of them from ``today``."""
    found: list[dt.date] = []
    year, month = today.year, today.month
    while len(found) < months:
        day = weekday(dt.date(year, month, 1))
        if day >= today:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def weekday(day: dt.date) -> dt.date:
    """``day``, or the Monday after it if it falls on a weekend."""
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def uid(settings: PacketSettings, event: Event) -> str:
    """The same for the same person, target, kind and day: re-importing updates, never duplicates."""
    key = "\n".join((settings.person, str(settings.target_level or ""), event.kind, event.day.isoformat()))
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@promo-packet"


def calendar(events: list[Event], settings: PacketSettings, stamp: dt.date) -> bytes:
    """The iCalendar file: CRLF line ends, long lines folded, text escaped."""
    name = f"Promotion plan: {settings.person}" if settings.person else "Promotion plan"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//promo-packet//promo-packet {__version__}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(settings, event)}",
            f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            *([f"DESCRIPTION:{escape(event.description)}"] if event.description else []),
            f"CATEGORIES:{escape(event.kind)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) + b"\r\n" for line in lines)


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, each line break
    (CRLF, and every character ``str.splitlines`` breaks at) as ``\\n``, any other control
    character but the tab as U+FFFD."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _LINE_BREAK.sub("\\\\n", text).translate(_CONTROLS)


def fold(line: str) -> bytes:
    """A content line in UTF-8, folded into pieces of at most 75 octets: each piece after the
    first starts with a space, and no character's bytes are split across pieces."""
    pieces: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > LINE_OCTETS:
            pieces.append(current)
            current = b" "
        current += encoded
    pieces.append(current)
    return b"\r\n".join(pieces)
