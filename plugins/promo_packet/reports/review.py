"""The monthly review: what was logged, how strong it is, how coverage moved, and what to seek
next month.

What to seek next is the model's answer (:attr:`.model.packet.Packet.next_steps`) for the
packet as of the review's day: ``promo gaps``, ``promo brief``, the site and the PDF give the
same one.

A short pass once a month shows, while there is still time to act, which
rubric dimensions are thin. The review counts what the build for its audience
counts (by :meth:`packet.Audience.allows`, as the site, the PDF and ``promo gaps``
do), as of the end of the month or today, whichever is earlier.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, RequestError
from ..model.audience import Audience
from ..model.coverage import NextStep, Shown, Status, next_report
from ..model.evidence import Evidence
from ..model.packet import Packet, PacketSettings, build_packet
from ..model.rubric import Behaviour, Dimension, Ladder, Level
from ..model.strength import Strength
from ..reading.fields import DATE_RANGE_HINT, EARLIEST_DATE, LATEST_DATE, parse_date


@dataclass(frozen=True)
class Trend:
    """One dimension's counting entries at the target level, before and after the month."""

    dimension: Dimension
    before: int
    after: int
    status_before: Status
    status: Status
    moved: tuple[tuple[Behaviour, Shown, Shown], ...] = ()
    """The target level's behaviours whose state changed in the month: (behaviour, before, after)."""
    alternative: bool = False
    """Whether another member of its ``one_of`` group carries it now: not required."""

    @property
    def standing(self) -> str:
        """The status as the review shows it: ``alternative`` for a member not carrying its group."""
        return "alternative" if self.alternative else self.status.value


@dataclass(frozen=True)
class Review:
    month: str
    as_of: dt.date
    target: Level
    logged: tuple[Evidence, ...]
    trends: tuple[Trend, ...]
    missing_outcome: tuple[Evidence, ...]
    missing_corroboration: tuple[Evidence, ...]
    last_entry: dt.date | None
    audience: Audience = Audience.SELF
    entries: int = 0
    """Entries up to :attr:`as_of` that the audience sees: the ones counted."""
    left_out: int = 0
    """Entries up to :attr:`as_of` that the audience does not see."""
    strengths: Mapping[Evidence, Strength] = field(default_factory=dict)
    """The strength of each logged entry, as written (the review is its author's)."""
    next_steps: tuple[NextStep, ...] = ()
    """The work to seek out next month: the packet's next steps as of :attr:`as_of`."""

    @property
    def counted(self) -> str:
        return self.audience.counted(self.entries, self.left_out)

    @property
    def label(self) -> str:
        return dt.date.fromisoformat(f"{self.month}-01").strftime("%B %Y")

    @property
    def days_since_last(self) -> int | None:
        return None if self.last_entry is None else (self.as_of - self.last_entry).days

    def as_dict(self) -> dict[str, Any]:
        def entry(e: Evidence) -> dict[str, Any]:
            return {"path": e.path, "title": e.title, "date": e.date.isoformat()}

        return {
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "target_level": self.target.id,
            "audience": self.audience.value,
            "entries": self.entries,
            "left_out": self.left_out,
            "logged": [{**entry(e), "strength": self.strengths[e].value} for e in self.logged],
            "coverage": [{"dimension": t.dimension.id, "name": t.dimension.name, "before": t.before,
                          "after": t.after, "status_before": t.status_before.value,
                          "status": t.status.value,
                          "moved": [{"behaviour": b.id, "before": then.value, "after": now.value}
                                    for b, then, now in t.moved]}
                         | ({"alternative": True} if t.alternative else {}) for t in self.trends],
            "open": [step.dimension.id for step in self.next_steps],
            "next": next_report(self.next_steps),
            "missing_outcome": [entry(e) for e in self.missing_outcome],
            "missing_corroboration": [entry(e) for e in self.missing_corroboration],
            "last_entry": self.last_entry.isoformat() if self.last_entry else None,
            "days_since_last_entry": self.days_since_last,
        }


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-03"`` -> ``(2026, 3)``; raises :class:`RequestError` with a readable message."""
    day, _ = parse_date(f"{text.strip()}-01")
    if day is None:
        raise RequestError(f"expected YYYY-MM, got {text!r}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise RequestError(f"{text.strip()} is out of range; {DATE_RANGE_HINT}")
    return day.year, day.month


def monthly_review(ladder: Ladder, entries: Sequence[Evidence], settings: PacketSettings,
                   month: tuple[int, int], today: dt.date) -> Review:
    """The review of ``month`` (year, month) as of the earlier of its last day and ``today``."""
    year, number = month
    first = dt.date(year, number, 1)
    last = dt.date(year, number, calendar.monthrange(year, number)[1])
    as_of = min(last, today)
    before = _packet(ladder, [e for e in entries if e.date < first], settings)
    after = _packet(ladder, [e for e in entries if e.date <= as_of], settings)
    trends = tuple(
        Trend(c.dimension, len(b.counting), len(c.counting), b.status, c.status,
              tuple((now.behaviour, then.state, now.state)
                    for then, now in zip(b.behaviours, c.behaviours, strict=True) if then.state != now.state),
              c.alternative)
        for b, c in zip(before.coverage, after.coverage, strict=True)
    )
    known = after.entries
    logged = tuple(e for e in known if e.date >= first)
    return Review(
        month=f"{year:04d}-{number:02d}",
        as_of=as_of,
        target=after.target,
        logged=logged,
        trends=trends,
        missing_outcome=tuple(e for e in known if not e.outcome and "outcome-missing" not in e.lint_ignore),
        missing_corroboration=tuple(e for e in known if not e.corroboration),
        last_entry=known[0].date if known else None,
        audience=settings.audience,
        entries=len(known),
        left_out=after.left_out,
        strengths={e: after.strength_of(e) for e in logged},
        next_steps=after.next_steps,
    )


def _packet(ladder: Ladder, entries: Sequence[Evidence], settings: PacketSettings) -> Packet:
    packet, problems = build_packet(ladder, entries, settings)
    if packet is None:
        raise InputError(problems)
    return packet
