"""The packet's history as the evidence chart draws it: months (quarters past two years), how many
entries of each strength fall in each, and the silences between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model.evidence import Evidence
from ..model.packet import Packet
from ..model.strength import Strength

MONTHS_BY_MONTH = 24
"""The longest history drawn by month; a longer one is drawn by quarter."""
SILENCE_MONTHS = 3
"""Months without any entry that the evidence chart marks as a silence."""


@dataclass(frozen=True)
class Bucket:
    """A month or a quarter of the history."""

    start: dt.date
    label: str
    months: int

    def holds(self, day: dt.date) -> bool:
        first = self.start.year * 12 + self.start.month - 1
        return first <= day.year * 12 + day.month - 1 < first + self.months


def buckets(entries: Sequence[Evidence]) -> tuple[Bucket, ...]:
    """Every month from the oldest entry to the newest, or every quarter past two years."""
    if not entries:
        return ()
    first, last = min(e.date for e in entries), max(e.date for e in entries)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    months = 1 if span <= MONTHS_BY_MONTH else 3
    index = first.year * 12 + (first.month - 1) // months * months
    end = last.year * 12 + last.month - 1
    found = []
    while index <= end:
        start = dt.date(index // 12, index % 12 + 1, 1)
        label = f"{start:%b %Y}" if months == 1 else f"{start.year} Q{start.month // 3 + 1}"
        found.append(Bucket(start, label, months))
        index += months
    return tuple(found)


def strength_counts(packet: Packet, entries: Iterable[Evidence],
                    span: Sequence[Bucket]) -> list[dict[Strength, int]]:
    """How many of ``entries`` fall in each bucket of ``span``, by strength."""
    counts = [dict.fromkeys(Strength, 0) for _ in span]
    starts = [b.start.year * 12 + b.start.month - 1 for b in span]
    for entry in entries:
        at = entry.date.year * 12 + entry.date.month - 1
        column = max(i for i, start in enumerate(starts) if start <= at)
        counts[column][packet.strength_of(entry)] += 1
    return counts


def silences(span: Sequence[Bucket], totals: Sequence[int]) -> list[tuple[int, int]]:
    """(first, last) bucket of every run of empty buckets of :data:`SILENCE_MONTHS` or more."""
    runs, start = [], None
    for i, total in enumerate([*totals, 1]):
        if total == 0 and start is None:
            start = i
        elif total and start is not None:
            if (i - start) * span[start].months >= SILENCE_MONTHS:
                runs.append((start, i - 1))
            start = None
    return runs
