"""Coverage: how well the evidence shows each rubric dimension at the target level, and what next.

The rule (documented in the manual's rubric page, shown on every dimension page):

* an entry *counts* for a dimension when it lists the dimension and its level
  (``level:``, default the target level) is at or above the target level;
* an entry is *proof* when it is strong or supported (:mod:`.strength`), and its *quarter*
  is the calendar quarter of its date;
* a behaviour of the target level is **shown consistently** when proof entries that name it
  (``shows:``) fall in at least ``consistent_quarters`` distinct quarters (default 2),
  **shown** when any counting entry names it, **not yet** otherwise;
* **demonstrated**: at least ``demonstrated_at`` counting proof entries (default 3), spread
  over at least ``consistent_quarters`` quarters, and, once entries name the dimension's
  behaviours, more than half of its target-level behaviours shown;
* **thin**: at least one counting entry, but not demonstrated;
* **gap**: no counting entry (entries below the target level may exist).

A ``one_of`` group of alternative dimensions (:mod:`.alternatives`) is one requirement: it
takes the best status among its members, and the member with that status *carries* it (more
proof, then more counting entries, then more behaviours shown, then the ladder's order break a
tie; with no counting entry at all, the member with the most entries, else the first). The
other members are *alternatives*: shown with their evidence, never reported as a gap
(:func:`with_groups`).

What next (:func:`next_steps`) is answered here once per packet, and every report, page and
the PDF reads that answer: each requirement not demonstrated, worst first (gap before thin,
then the order of the ladder's dimensions), with its target-level behaviours not yet shown,
in the rubric's order; a group is listed once, with the behaviours of the member carrying
it. A behaviour shown but not yet consistently is not in it: the evidence shows it already.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ..errors import plural
from .alternatives import OneOf
from .audience import Audience
from .evidence import Evidence
from .rubric import Behaviour, Dimension, Ladder, Level
from .strength import Strength


class Thresholds(Protocol):
    """The settings the rule reads (:class:`.packet.PacketSettings` has them)."""

    @property
    def demonstrated_at(self) -> int: ...

    @property
    def consistent_quarters(self) -> int: ...


class Judge(Protocol):
    """How a packet weighs its entries, as the rule reads it (:class:`.packet.Packet` does).

    The packet is assembled from the coverage, so the rule asks only for what it needs.
    """

    @property
    def settings(self) -> Thresholds: ...

    @property
    def ladder(self) -> Ladder: ...

    @property
    def target(self) -> Level: ...

    @property
    def entries(self) -> tuple[Evidence, ...]: ...

    def level_of(self, entry: Evidence) -> Level: ...

    def counts(self, entry: Evidence) -> bool: ...

    def strength_of(self, entry: Evidence) -> Strength: ...

    def rank(self, entry: Evidence) -> tuple[Any, ...]: ...


class Status(str, enum.Enum):
    """Where a dimension stands at the target level, best first."""

    DEMONSTRATED = "demonstrated"
    THIN = "thin"
    GAP = "gap"


_BEST_FIRST = {Status.DEMONSTRATED: 0, Status.THIN: 1, Status.GAP: 2}


class Shown(str, enum.Enum):
    """How far the evidence shows one behaviour of the target level."""

    CONSISTENTLY = "shown consistently"
    SHOWN = "shown"
    NOT_YET = "not yet"


@dataclass(frozen=True)
class BehaviourCoverage:
    """One behaviour of the target level, and the counting entries that name it."""

    behaviour: Behaviour
    state: Shown
    entries: tuple[Evidence, ...]
    """The counting entries that name it, strongest first."""
    quarters: tuple[str, ...]
    """The distinct quarters of its proof entries, oldest first."""


@dataclass(frozen=True)
class Group:
    """Where a member of a ``one_of`` group stands in it: the group, the member carrying it and
    the group's status (the carrier's)."""

    one_of: OneOf
    members: tuple[Dimension, ...]
    """The members, in the ladder's order."""
    carrier: Dimension
    status: Status

    @property
    def choice(self) -> str:
        """The members as a choice: ``Data Science or Data Analytics``."""
        names = [member.name for member in self.members]
        return f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass(frozen=True)
class Coverage:
    """How well one dimension is evidenced at the target level, and why."""

    dimension: Dimension
    status: Status
    entries: tuple[Evidence, ...]
    """Every entry for the dimension in the audience, strongest first."""
    counting: tuple[Evidence, ...]
    """The entries at or above the target level."""
    by_level: Mapping[str, int]
    demonstrated_at: int
    target: Level
    proof: tuple[Evidence, ...] = ()
    """The counting entries that are strong or supported."""
    quarters: tuple[str, ...] = ()
    """The distinct quarters of the proof entries, oldest first."""
    consistent_quarters: int = 2
    behaviours: tuple[BehaviourCoverage, ...] = ()
    """The target level's behaviours of this dimension, as the checklist shows them."""
    named: bool = False
    """Whether any counting entry names a behaviour of this dimension (``shows:``)."""
    group: Group | None = None
    """The ``one_of`` group the dimension is an alternative in (:func:`with_groups`)."""

    @property
    def alternative(self) -> bool:
        """Whether another member carries the dimension's group: not required, never a gap."""
        return self.group is not None and self.group.carrier != self.dimension

    @property
    def standing(self) -> str:
        """The status as pages show it: ``alternative`` for a member not carrying its group."""
        return "alternative" if self.alternative else self.status.value

    @property
    def requirement(self) -> str:
        """What the target level asks for here: the dimension, or its group by name."""
        return self.group.one_of.name if self.group else self.dimension.name

    @property
    def shown(self) -> tuple[BehaviourCoverage, ...]:
        return tuple(b for b in self.behaviours if b.state is not Shown.NOT_YET)

    @property
    def checklist(self) -> tuple[BehaviourCoverage, ...]:
        """The behaviours, worst first: not yet, shown, shown consistently (rubric order within)."""
        order = {Shown.NOT_YET: 0, Shown.SHOWN: 1, Shown.CONSISTENTLY: 2}
        return tuple(sorted(self.behaviours, key=lambda b: order[b.state]))

    def why(self, audience: Audience) -> str:
        """Why the dimension has its status, in one sentence for ``audience``: the author is told
        what would change it (:attr:`reason`), anyone else what the evidence shows (:attr:`finding`)."""
        own = self.reason if audience.is_author else self.finding
        group = self.group
        if group is None:
            return own
        if self.alternative:
            return (f"An alternative in {group.one_of.name} ({group.choice}), which "
                    f"{group.carrier.name} carries ({group.status.value}): not required. {own}")
        return f"Carries {group.one_of.name}, where one of {group.choice} is enough. {own}"

    @property
    def finding(self) -> str:
        """What the evidence shows, as a sponsor or a committee reads it."""
        count, at = len(self.counting), f"at {self.target.phrase} or above"
        if not count:
            below = len(self.entries)
            return f"No entry {at} ({below} below it)." if below else "No entry yet."
        text = f"{plural(count, 'entry', 'entries')} {at}"
        if self.quarters:
            text += f", {len(self.proof)} with a figure or a named corroborator, over {self._spread}"
        else:
            text += ", none with a figure or a named corroborator"
        if self.named and self.behaviours:
            text += f"; {len(self.shown)} of {len(self.behaviours)} behaviours shown"
        return text + "."

    @property
    def _spread(self) -> str:
        if len(self.quarters) == 1:
            return f"one quarter ({self.quarters[0]})"
        return f"{len(self.quarters)} quarters ({self.quarters[0]} to {self.quarters[-1]})"

    @property
    def reason(self) -> str:
        """What would change the status, as the author reads it."""
        count, at = len(self.counting), f"at {self.target.phrase} or above"
        if not count:
            below = len(self.entries)
            need = (f"{self.demonstrated_at} {at} with a figure or a named corroborator, over "
                    f"{plural(self.consistent_quarters, 'quarter')}, would make it demonstrated")
            return f"No entry {at} yet ({below} below it); {need}." if below else f"No entry yet; {need}."
        if self.status is Status.DEMONSTRATED:
            text = (f"{plural(len(self.proof), 'entry', 'entries')} {at} with a figure or a named "
                    f"corroborator, over {self._spread}")
            if self.named and self.behaviours:
                text += f"; {len(self.shown)} of {len(self.behaviours)} behaviours shown"
            return text + "."
        missing = self.demonstrated_at - len(self.proof)
        if missing > 0:
            claimed = len(self.counting) - len(self.proof)
            text = f"{plural(len(self.proof), 'entry', 'entries')} {at} with a figure or a named corroborator"
            if claimed:
                text += f" ({claimed} without either)"
            return text + f"; {missing} more would make it demonstrated."
        if len(self.quarters) < self.consistent_quarters:
            return (f"{plural(len(self.proof), 'entry', 'entries')} {at}, all in {self._spread}: proof from "
                    f"{self.consistent_quarters} quarters would show it is consistent, not a one-off.")
        not_yet = [b.behaviour.text for b in self.behaviours if b.state is Shown.NOT_YET]
        return (f"{len(self.shown)} of {len(self.behaviours)} behaviours of {self.target.title} shown; "
                f"not yet: {'; '.join(not_yet)}.")


def quarter(day: dt.date) -> str:
    """The calendar quarter of ``day``: ``2026 Q2``."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarters(entries: Iterable[Evidence]) -> tuple[str, ...]:
    return tuple(sorted({quarter(entry.date) for entry in entries}))


def dimension_coverage(packet: Judge, dimension: Dimension) -> Coverage:
    """How well ``packet``'s entries evidence ``dimension`` at its target level (the rule above)."""
    settings = packet.settings
    entries = sorted((e for e in packet.entries if dimension.id in e.dimensions),
                     key=packet.rank, reverse=True)
    counting = tuple(e for e in entries if packet.counts(e))
    proof = tuple(e for e in counting if packet.strength_of(e) is not Strength.CLAIMED)
    by_level = {level.id: 0 for level in packet.ladder.levels}
    for entry in entries:
        by_level[packet.level_of(entry).id] += 1
    behaviours = tuple(_behaviour(packet, behaviour, counting)
                       for behaviour in dimension.expectation(packet.target.id))
    own = {b.id for level in dimension.expectations.values() for b in level}
    named = any(own.intersection(e.shows) for e in counting)
    quarters = _quarters(proof)
    enough = len(proof) >= settings.demonstrated_at and len(quarters) >= settings.consistent_quarters
    shown = sum(b.state is not Shown.NOT_YET for b in behaviours)
    broad = not named or not behaviours or 2 * shown > len(behaviours)
    status = (Status.DEMONSTRATED if enough and broad else Status.THIN if counting else Status.GAP)
    return Coverage(dimension, status, tuple(entries), counting, by_level, settings.demonstrated_at,
                    packet.target, proof, quarters, settings.consistent_quarters, behaviours, named)


def _behaviour(packet: Judge, behaviour: Behaviour, counting: Sequence[Evidence]) -> BehaviourCoverage:
    entries = tuple(e for e in counting if behaviour.id in e.shows)
    quarters = _quarters(e for e in entries if packet.strength_of(e) is not Strength.CLAIMED)
    state = (Shown.CONSISTENTLY if len(quarters) >= packet.settings.consistent_quarters
             else Shown.SHOWN if entries else Shown.NOT_YET)
    return BehaviourCoverage(behaviour, state, entries, quarters)


def summary_sentence(coverage: Sequence[Coverage], target: Level) -> str:
    """One sentence a sponsor can repeat: where the case stands at ``target``, per status; a
    ``one_of`` group counts once, by its name."""
    required = [c for c in coverage if not c.alternative]
    groups = {status: [c.requirement for c in required if c.status is status] for status in Status}
    parts = []
    if groups[Status.DEMONSTRATED]:
        parts.append(f"demonstrated on {len(groups[Status.DEMONSTRATED])} of "
                     f"{len(required)} dimensions")
    for status in (Status.THIN, Status.GAP):
        if groups[status]:
            parts.append(f"{status.value} on {', '.join(groups[status])}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"At {target.phrase} the evidence is {text}."


@dataclass(frozen=True)
class NextStep:
    """One dimension not demonstrated yet at the target level: its status, why, and the
    behaviours still to show."""

    coverage: Coverage
    behaviours: tuple[Behaviour, ...]
    """Its target-level behaviours that no counting entry names yet, in the rubric's order."""

    @property
    def dimension(self) -> Dimension:
        return self.coverage.dimension

    @property
    def status(self) -> Status:
        return self.coverage.status

    @property
    def reason(self) -> str:
        """What would change the status, as the author reads it (:attr:`Coverage.reason`)."""
        return self.coverage.reason

    @property
    def name(self) -> str:
        """The requirement: the dimension's name, or its ``one_of`` group's and the member carrying it."""
        group = self.coverage.group
        return f"{group.one_of.name} ({group.carrier.name})" if group else self.dimension.name


# Worst first: a dimension with nothing counting needs the most work.
_WORST_FIRST = {Status.GAP: 0, Status.THIN: 1}


def next_steps(coverage: Sequence[Coverage]) -> tuple[NextStep, ...]:
    """The requirements of ``coverage`` (in the ladder's order) not demonstrated, worst first:
    gap before thin, then the ladder's order; each with its behaviours not yet shown. A
    ``one_of`` group is one step, its carrier's (:func:`with_groups`)."""
    open_ = [c for c in coverage if c.status is not Status.DEMONSTRATED and not c.alternative]
    return tuple(NextStep(c, tuple(b.behaviour for b in c.behaviours if b.state is Shown.NOT_YET))
                 for c in sorted(open_, key=lambda c: _WORST_FIRST[c.status]))


def next_report(steps: Iterable[NextStep]) -> list[dict[str, str]]:
    """The behaviours still to show, worst first, as every ``--format json`` report gives them
    under ``next``: ``[{"dimension": id, "behaviour": id}, ...]``."""
    return [{"dimension": step.dimension.id, "behaviour": behaviour.id}
            | ({"one_of": step.coverage.group.one_of.name} if step.coverage.group else {})
            for step in steps for behaviour in step.behaviours]


def with_groups(coverage: Sequence[Coverage], ladder: Ladder) -> tuple[Coverage, ...]:
    """``coverage`` with each member of a ``one_of`` group told its group and carrier: the member
    with the best status, then more proof, more counting entries, more behaviours shown, and
    first in the ladder (with nothing counting, the most entries, else the first)."""
    found = {c.dimension.id: c for c in coverage}
    placed: dict[str, Group] = {}
    for one_of in ladder.one_of:
        members = [found[ident] for ident in ladder.dimension_ids if ident in one_of.dimensions]
        if not members:
            continue
        carrier = min(members, key=lambda c: (_BEST_FIRST[c.status], -len(c.proof), -len(c.counting),
                                              -len(c.shown), -len(c.entries)))
        group = Group(one_of, tuple(c.dimension for c in members), carrier.dimension, carrier.status)
        placed.update((c.dimension.id, group) for c in members)
    return tuple(replace(c, group=placed[c.dimension.id]) if c.dimension.id in placed else c
                 for c in coverage)
