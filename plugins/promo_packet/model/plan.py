"""The promotion plan: what was agreed, who decides, the check-ins and past decisions.

Evidence wins when it answers the question the decision-makers agreed to ask.
``plan.yml`` (optional) keeps that agreement next to the evidence::

    target_level: staff
    review_date: 2027-03-15
    checkin_days: 30                      # how often to check in (default 30)
    criteria:
      - id: cross-team-scope
        demonstrate: Own an outcome that spans three or more teams.
        dimensions: [scope, influence]
        outcomes:                         # a text is pending; {text, met} is met on that day
          - text: The legacy ledger is switched off.
            met: 2026-07-09
          - Two more teams adopt the idempotency standard.
        agreed_with: Marcus Webb
        agreed_on: 2026-01-15
    stakeholders:
      - {name: Marcus Webb, role: Engineering Manager, needs: ..., agreed: 2026-01-15}
    blockers:
      - {text: Two Staff promotions per group per cycle., raised: 2026-02-01, resolved: }
    checkins:
      - date: 2026-10-05
        with: Marcus Webb
        discussed: ...
        decisions: [...]
        next_steps: [...]
    decisions:
      - date: 2026-04-30
        result: no                        # yes | no | deferred
        gap: Growing others is thin at Staff level.
        dimensions: [mentorship]
        criteria: [grow-others]
        timeline: 2026-10-31              # agreed date to close the gap
        checkpoint: 2026-07-31            # the mid-point review

Evidence links to a criterion with ``criteria: [cross-team-scope]`` in its front matter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, Severity
from ..reading.fields import NOT_WRITTEN, FieldReader, describe, yaml_keys
from ..reading.folders import bounds, file_problem, shown_path
from ..reading.ids import id_hint, slug_of
from ..reading.located_yaml import INVALID, parse_yaml
from .evidence import Evidence
from .rubric import Ladder

_WORDS = re.compile(r"[a-z]+")

DEFAULT_CHECKIN_DAYS = 30
MAX_CHECKIN_DAYS = 366
DECISION_RESULTS = ("yes", "no", "deferred")


@dataclass(frozen=True)
class Outcome:
    text: str
    met: dt.date | None = None


@dataclass(frozen=True)
class Criterion:
    id: str
    demonstrate: str
    dimensions: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    agreed_with: str = ""
    agreed_on: dt.date | None = None
    line: int | None = field(default=None, compare=False, metadata=NOT_WRITTEN)

    @property
    def slug(self) -> str:
        """The id as an anchor name (``#criterion-<slug>``)."""
        return slug_of(self.id)


@dataclass(frozen=True)
class Stakeholder:
    name: str
    role: str = ""
    needs: str = ""
    agreed: dt.date | None = None


@dataclass(frozen=True)
class Blocker:
    text: str
    raised: dt.date | None = None
    resolved: dt.date | None = None


@dataclass(frozen=True)
class Checkin:
    date: dt.date
    with_: str = ""
    discussed: str = ""
    decisions: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    date: dt.date
    result: str
    gap: str = ""
    dimensions: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    timeline: dt.date | None = None
    checkpoint: dt.date | None = None
    line: int | None = field(default=None, compare=False, metadata=NOT_WRITTEN)


@dataclass(frozen=True)
class Plan:
    path: str = field(metadata=NOT_WRITTEN)
    target_level: str | None = None
    review_date: dt.date | None = None
    checkin_days: int = DEFAULT_CHECKIN_DAYS
    criteria: tuple[Criterion, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    checkins: tuple[Checkin, ...] = ()
    decisions: tuple[Decision, ...] = ()
    target_line: int | None = field(default=None, compare=False, metadata=NOT_WRITTEN)

    def criterion(self, ident: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == ident), None)


def sponsor_of(plan: Plan | None, named: str = "") -> str:
    """Who check-ins are with unless said otherwise: the sponsor, not whoever is listed first.

    That is the plan's stakeholder whose role says sponsor; else the one the ``sponsor``
    option (``named``: "Marcus Webb, Engineering Manager") names, or that option's name
    itself; else the first stakeholder; else nobody.
    """
    stakeholders = plan.stakeholders if plan else ()
    by_role = next((s.name for s in stakeholders if "sponsor" in _WORDS.findall(s.role.lower())), "")
    if by_role:
        return by_role
    if named.strip():
        return next((s.name for s in stakeholders if s.name and s.name in named), named.split(",")[0].strip())
    return stakeholders[0].name if stakeholders else ""


def load_plan(path: Path, root: Path | None = None) -> tuple[Plan | None, list[Problem]]:
    """Read and validate a plan file; a missing file is no plan and no problem."""
    shown = shown_path(path, root)
    problem = file_problem(path, shown, bounds(root), wanted=True)
    if problem is not None:
        return None, [problem]
    if not path.is_file():
        return None, []
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        return None, [Problem(shown, None, f"cannot read the plan: {exc}", hint="save it as UTF-8 text")]
    return parse_plan(text, shown)


def parse_plan(text: str, path: str) -> tuple[Plan | None, list[Problem]]:
    """Validate plan YAML; the plan is None only when the text is not a YAML mapping."""
    doc, problems = parse_yaml(text, path)
    if doc is None:
        return None, problems
    if doc.data is None:
        return Plan(path=path), problems
    if not isinstance(doc.data, dict):
        problems.append(Problem(path, 1, "a plan is a mapping of fields (criteria:, checkins:, ...)",
                                hint="see the plan format in the manual (guide/docs/plan.md)"))
        return None, problems
    read = FieldReader(doc, path, problems)
    data = doc.data
    read.unknown_fields(data, (), yaml_keys(Plan))
    days = data.get("checkin_days", DEFAULT_CHECKIN_DAYS)
    if days is INVALID:
        days = DEFAULT_CHECKIN_DAYS
    elif not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_CHECKIN_DAYS:
        read.report(("checkin_days",), f"expected a whole number of days from 1 to {MAX_CHECKIN_DAYS}, "
                    f"got {describe(days)}", "e.g. 30")
        days = DEFAULT_CHECKIN_DAYS
    plan = Plan(
        path=path,
        target_level=read.text(data, ("target_level",)),
        target_line=doc.line("target_level") if "target_level" in data else None,
        review_date=read.date(data, ("review_date",)),
        checkin_days=days,
        criteria=tuple(_criteria(read, data)),
        stakeholders=tuple(_stakeholders(read, data)),
        blockers=tuple(_blockers(read, data)),
        checkins=tuple(sorted(_checkins(read, data), key=lambda c: c.date)),
        decisions=tuple(sorted(_decisions(read, data), key=lambda d: d.date)),
    )
    # Returned even with errors, so evidence can still be checked against the criteria
    # that were readable: every problem surfaces in one run.
    return plan, problems


def _criteria(read: FieldReader, data: dict[str, Any]) -> Iterable[Criterion]:
    seen: dict[str, tuple[str, int]] = {}
    for index, item in read.mappings(data, ("criteria",)):
        key = ("criteria", index)
        read.unknown_fields(item, key, yaml_keys(Criterion))
        ident = read.identifier((*key, "id"), read.text(item, (*key, "id"), required=True,
                                                        hint="a short id evidence can refer to"),
                                seen, what="criterion id")
        demonstrate = read.text(item, (*key, "demonstrate"), required=True,
                                hint="what must be demonstrated, in the words you agreed")
        outcomes = []
        listed = item.get("outcomes")
        if listed is not None and listed is not INVALID and not isinstance(listed, list):
            read.report((*key, "outcomes"), f"expected a list, got {describe(listed)}",
                        "list each outcome as a text or {text, met}")
            listed = None
        for o_index, raw in enumerate(listed if isinstance(listed, list) else []):
            o_key = (*key, "outcomes", o_index)
            if isinstance(raw, str):
                outcomes.append(Outcome(raw.strip()))
            elif isinstance(raw, dict):
                read.unknown_fields(raw, o_key, yaml_keys(Outcome))
                text = read.text(raw, (*o_key, "text"), required=True)
                if text is not None:
                    outcomes.append(Outcome(text, read.date(raw, (*o_key, "met"))))
            elif raw is not INVALID:
                read.report(o_key, "expected a text or {text, met}")
        dimensions = read.texts(item, (*key, "dimensions"))
        agreed_with = read.text(item, (*key, "agreed_with")) or ""
        agreed_on = read.date(item, (*key, "agreed_on"))
        # Kept without its 'demonstrate' (already an error) so its ids are still checked in this run.
        if ident is not None:
            yield Criterion(ident, demonstrate or "", dimensions, tuple(outcomes), agreed_with, agreed_on,
                            line=read.doc.line(*key, "dimensions"))


def _stakeholders(read: FieldReader, data: dict[str, Any]) -> Iterable[Stakeholder]:
    for index, item in read.mappings(data, ("stakeholders",)):
        key = ("stakeholders", index)
        read.unknown_fields(item, key, yaml_keys(Stakeholder))
        name = read.text(item, (*key, "name"), required=True)
        if name is not None:
            yield Stakeholder(name, read.text(item, (*key, "role")) or "",
                              read.text(item, (*key, "needs")) or "", read.date(item, (*key, "agreed")))


def _blockers(read: FieldReader, data: dict[str, Any]) -> Iterable[Blocker]:
    for index, item in read.mappings(data, ("blockers",)):
        key = ("blockers", index)
        read.unknown_fields(item, key, yaml_keys(Blocker))
        text = read.text(item, (*key, "text"), required=True)
        if text is not None:
            yield Blocker(text, read.date(item, (*key, "raised")), read.date(item, (*key, "resolved")))


def _checkins(read: FieldReader, data: dict[str, Any]) -> Iterable[Checkin]:
    for index, item in read.mappings(data, ("checkins",)):
        key = ("checkins", index)
        read.unknown_fields(item, key, yaml_keys(Checkin))
        date = read.date(item, (*key, "date"), required=True)
        if date is not None:
            yield Checkin(date, read.text(item, (*key, "with")) or "",
                          read.text(item, (*key, "discussed")) or "",
                          read.texts(item, (*key, "decisions")), read.texts(item, (*key, "next_steps")))


def _decisions(read: FieldReader, data: dict[str, Any]) -> Iterable[Decision]:
    for index, item in read.mappings(data, ("decisions",)):
        key = ("decisions", index)
        read.unknown_fields(item, key, yaml_keys(Decision))
        date = read.date(item, (*key, "date"), required=True)
        result = (read.text(item, (*key, "result"), required=True, hint="yes, no or deferred") or "").lower()
        if result and result not in DECISION_RESULTS:
            read.report((*key, "result"), f"unknown result {result!r}", "use yes, no or deferred")
        if result == "no" and not item.get("gap"):
            read.report((*key, "gap"), "a 'no' without the specific gap in writing",
                        severity=Severity.WARNING,
                        hint="ask which evidence would have made it a yes, and write it here",
                        code="lint: no-without-gap")
        if date is not None and result in DECISION_RESULTS:
            yield Decision(date, result, read.text(item, (*key, "gap")) or "",
                           read.texts(item, (*key, "dimensions")), read.texts(item, (*key, "criteria")),
                           read.date(item, (*key, "timeline")), read.date(item, (*key, "checkpoint")),
                           line=read.doc.line(*key, "date"))


def check_plan(plan: Plan, ladder: Ladder, entries: Sequence[Evidence]) -> list[Problem]:
    """Ids in the plan and in evidence ``criteria:``, checked against the rubric and each other."""
    problems = []
    known = {c.id for c in plan.criteria}

    def unknown(line: int | None, where: str, what: str, ident: str, field: str,
                choices: Iterable[str]) -> None:
        message = f"unknown {what} {ident!r}"
        problems.append(Problem(plan.path, line, f"{where}: {message}" if where else message, field=field,
                                hint=id_hint(ident, sorted(choices), "known")))

    for criterion in plan.criteria:
        for dim in criterion.dimensions:
            if ladder.dimension(dim) is None:
                unknown(criterion.line, f"criterion {criterion.id!r}", "dimension", dim, "dimensions",
                        ladder.dimension_ids)
    for decision in plan.decisions:
        where = f"decision of {decision.date}"
        for dim in decision.dimensions:
            if ladder.dimension(dim) is None:
                unknown(decision.line, where, "dimension", dim, "decisions", ladder.dimension_ids)
        for ident in decision.criteria:
            if ident not in known:
                unknown(decision.line, where, "criterion", ident, "decisions", known)
    if plan.target_level is not None and ladder.level(plan.target_level) is None:
        unknown(plan.target_line, "", "level", plan.target_level, "target_level",
                ladder.level_ids)
    for entry in entries:
        for index, ident in enumerate(entry.criteria):
            if ident not in known:
                hint = (id_hint(ident, sorted(known), "the plan's criteria") if known
                        else "add the criterion to plan.yml first")
                problems.append(Problem(entry.path, entry.line(f"criteria[{index}]"),
                                        f"unknown criterion {ident!r}", field="criteria", hint=hint))
    return problems


def check_target(plan: Plan, target_level: str | None, where: str,
                 ladder: Ladder | None = None) -> list[Problem]:
    """The plan's ``target_level`` against the one the packet is built for (written at ``where``).

    Two targets would mean two truths: the pages count for one while the plan speaks of the other.
    A target that is no level of ``ladder`` is :func:`check_plan`'s one problem, not two.
    """
    if plan.target_level is None or target_level is None or plan.target_level == target_level:
        return []
    if ladder is not None and ladder.level(plan.target_level) is None:
        return []
    return [Problem(plan.path, plan.target_line, f"{plan.target_level!r} here, but {target_level!r} in "
                    f"{where}", field="target_level",
                    hint="the packet is built for one target level: write the same id in both")]


def criteria_problems_without_plan(entries: Sequence[Evidence]) -> list[Problem]:
    """Evidence that names criteria while no plan defines any."""
    return [Problem(e.path, e.line("criteria"), "refers to criteria, but there is no plan",
                    field="criteria", hint="create plan.yml with the criteria you agreed")
            for e in entries if e.criteria]
