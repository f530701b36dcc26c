"""Where a plan stands on a given day: each criterion's state, the check-in cadence, and how far
the evidence since the latest "no" has closed its gap.

The plan itself (what was agreed, read from ``plan.yml``) is :mod:`promo_packet.model.plan`; this module
reads it against the packet's evidence.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from .evidence import Evidence
from .packet import Packet
from .plan import Blocker, Checkin, Criterion, Decision, Outcome, Plan, Stakeholder


class CriterionState(str, enum.Enum):
    MET = "met"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"


@dataclass(frozen=True)
class CriterionStatus:
    criterion: Criterion
    evidence: tuple[Evidence, ...]
    state: CriterionState

    @property
    def met(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.criterion.outcomes if o.met)

    @property
    def pending(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.criterion.outcomes if not o.met)


@dataclass(frozen=True)
class GapProgress:
    """How far the evidence since a "no" has closed its gap, per dimension."""

    decision: Decision
    dimensions: tuple[tuple[str, int, int, int], ...]
    """(dimension name, counting entries then, now, needed)."""
    since: tuple[Evidence, ...]
    criteria: tuple[CriterionStatus, ...]

    @property
    def closed(self) -> float:
        """Share of the missing entries added since the decision (0.0 to 1.0)."""
        missing = sum(max(needed - then, 0) for _, then, _, needed in self.dimensions)
        if not missing:
            return 1.0
        added = sum(min(now, needed) - min(then, needed) for _, then, now, needed in self.dimensions)
        return max(0.0, min(1.0, added / missing))


@dataclass(frozen=True)
class PlanStatus:
    """The plan read against the evidence as of one day."""

    plan: Plan
    today: dt.date
    criteria: tuple[CriterionStatus, ...]
    since_checkin: tuple[Evidence, ...]
    latest_no: GapProgress | None

    @property
    def days_to_review(self) -> int | None:
        return None if self.plan.review_date is None else (self.plan.review_date - self.today).days

    @property
    def last_checkin(self) -> Checkin | None:
        return self.plan.checkins[-1] if self.plan.checkins else None

    @property
    def next_checkin(self) -> dt.date | None:
        last = self.last_checkin
        return None if last is None else last.date + dt.timedelta(days=self.plan.checkin_days)

    @property
    def overdue(self) -> bool:
        due = self.next_checkin
        return due is None or self.today > due

    @property
    def open_blockers(self) -> tuple[Blocker, ...]:
        return tuple(b for b in self.plan.blockers if b.resolved is None)

    @property
    def agreed(self) -> tuple[Stakeholder, ...]:
        return tuple(s for s in self.plan.stakeholders if s.agreed)


def plan_status(plan: Plan, packet: Packet, today: dt.date) -> PlanStatus:
    """Criteria status, check-in cadence and the latest "no", from the packet's entries."""
    statuses = tuple(_criterion_status(c, packet.entries) for c in plan.criteria)
    last = plan.checkins[-1].date if plan.checkins else None
    since = tuple(e for e in packet.entries if last is None or e.date > last)
    noes = [d for d in plan.decisions if d.result == "no"]
    latest = _gap_progress(noes[-1], packet, statuses) if noes else None
    return PlanStatus(plan, today, statuses, since, latest)


def entries_between(entries: Sequence[Evidence], after: dt.date | None,
                    until: dt.date) -> tuple[Evidence, ...]:
    """Entries dated after ``after`` (exclusive, None for the beginning) up to ``until``."""
    return tuple(e for e in entries if (after is None or e.date > after) and e.date <= until)


def _criterion_status(criterion: Criterion, entries: Sequence[Evidence]) -> CriterionStatus:
    linked = tuple(e for e in entries if criterion.id in e.criteria)
    outcomes = criterion.outcomes
    if outcomes and all(o.met for o in outcomes):
        state = CriterionState.MET
    elif linked or any(o.met for o in outcomes):
        state = CriterionState.IN_PROGRESS
    else:
        state = CriterionState.NOT_STARTED
    return CriterionStatus(criterion, linked, state)


def _gap_progress(decision: Decision, packet: Packet, statuses: Sequence[CriterionStatus]) -> GapProgress:
    rows = []
    for dim in decision.dimensions:
        dimension = packet.ladder.dimension(dim)
        if dimension is None:
            continue
        counting = packet.coverage_of(dim).counting
        then = sum(1 for e in counting if e.date <= decision.date)
        rows.append((dimension.name, then, len(counting), packet.settings.demonstrated_at))
    dims, criteria = set(decision.dimensions), set(decision.criteria)
    since = tuple(e for e in packet.entries
                  if e.date > decision.date and (dims & set(e.dimensions) or criteria & set(e.criteria)))
    linked = tuple(s for s in statuses if s.criterion.id in decision.criteria)
    return GapProgress(decision, tuple(rows), since, linked)
