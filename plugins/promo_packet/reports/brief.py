"""The 1:1 brief: a short Markdown update to paste into the meeting with the sponsor.

Each win since a day (the last check-in, by default), with its outcome and the rubric
behaviours it shows, then what is still thin: the packet's next steps
(:attr:`.model.packet.Packet.next_steps`, the same answer ``promo review``, ``promo gaps``, the
site and the PDF give), each dimension with the first of its behaviours not shown yet, the
next thing to seek.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model.coverage import NextStep, next_report
from ..model.dates import day
from ..model.evidence import Evidence
from ..model.packet import Packet
from ..model.rubric import Behaviour

DEFAULT_DAYS = 30
"""Without a check-in in the plan, the brief covers this many days."""
# Backslash escapes read as the character in Markdown and stay legible where the paste is shown raw
# (the site's HTML character references would not).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class Win:
    """One entry since the brief's day, and the behaviours it names (``shows:``)."""

    entry: Evidence
    behaviours: tuple[Behaviour, ...]


@dataclass(frozen=True)
class Brief:
    since: dt.date
    """Entries dated after this day count (the day of the last check-in itself does not)."""
    basis: str
    """Why that day: ``last-checkin``, ``default`` (:data:`DEFAULT_DAYS` ago) or ``date`` (asked for)."""
    until: dt.date
    target: str
    wins: tuple[Win, ...]
    thin: tuple[NextStep, ...]
    """The dimensions not demonstrated yet, worst first, with the behaviours still to show."""

    def as_dict(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "basis": self.basis,
            "until": self.until.isoformat(),
            "target": self.target,
            "wins": [{"date": w.entry.date.isoformat(), "title": w.entry.title, "outcome": w.entry.outcome,
                      "behaviours": [{"id": b.id, "text": b.text} for b in w.behaviours]}
                     for w in self.wins],
            "thin": [{"dimension": t.dimension.id, "name": t.name, "status": t.status.value,
                      "next_behaviour": {"id": t.behaviours[0].id, "text": t.behaviours[0].text}
                      if t.behaviours else None}
                     for t in self.thin],
            "next": next_report(self.thin),
        }

    def markdown(self) -> str:
        """The update as Markdown, every value from the evidence or the rubric escaped."""
        what = {"last-checkin": "the last check-in", "default": f"{DEFAULT_DAYS} days ago"}.get(self.basis)
        since = f"{what} ({day(self.since)})" if what else day(self.since)
        lines = [f"## Update since {since}", "", "**Wins**", ""]
        for win in self.wins:
            outcome = f": {_md(win.entry.outcome)}" if win.entry.outcome else ""
            lines.append(f"- **{_md(win.entry.title)}** ({day(win.entry.date)}){outcome}")
            if win.behaviours:
                lines.append(f"  - Shows: {'; '.join(_md(b.text) for b in win.behaviours)}")
        if not self.wins:
            lines.append("- Nothing logged since then.")
        lines += ["", f"**Still thin at {_md(self.target)}**", ""]
        for thin in self.thin:
            head = f"- **{_md(thin.name)}** ({thin.status.value})"
            lines.append(f"{head}: next to show: {_md(thin.behaviours[0].text)}" if thin.behaviours
                         else head)
        if not self.thin:
            lines.append(f"- Nothing: every dimension is demonstrated at {_md(self.target)}.")
        return "\n".join(lines) + "\n"


def one_on_one_brief(packet: Packet, since: dt.date, basis: str, until: dt.date) -> Brief:
    """The packet's wins dated after ``since`` up to ``until``, oldest first, and its open dimensions."""
    wins = tuple(
        Win(entry, tuple(b for b in (packet.ladder.behaviour(i) for i in entry.shows) if b is not None))
        for entry in sorted(packet.entries, key=lambda e: (e.date, e.title))
        if since < entry.date <= until)
    return Brief(since, basis, until, packet.target.title, wins, packet.next_steps)


def _md(value: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(value.split()))
