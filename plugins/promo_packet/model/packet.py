"""The packet model: what the evidence shows, per rubric dimension, for one audience.

The coverage rule, the status of each dimension and what next are in :mod:`.coverage`; the
strength of an entry in :mod:`.strength`.

Ranking (:meth:`Packet.rank`), used to pick the curated packet and the "strongest
outcomes", orders entries by, in order: strength; a strong entry with a verified quote
(:func:`.strength.is_strongest`) before other strong ones; highlighted; at or above the
target level; number of named corroborators; quantified; newer. A claimed entry
enters the curated packet of a dimension, or the strongest outcomes, only when
nothing stronger is there; it is then marked as the author's own account
(:meth:`Packet.own_account`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import os
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, Severity
from ..reading.fields import EARLIEST_DATE, LATEST_BUILD_DATE
from ..reading.ids import id_hint, nearest_hint
from .audience import Audience
from .coverage import Coverage, NextStep, dimension_coverage, next_steps, with_groups
from .evidence import Corroboration, Evidence, Metric
from .privacy import strip_private_notes
from .rubric import Dimension, Ladder, Level
from .strength import Strength, is_quantified, is_strongest, strength_of

DEFAULT_DEMONSTRATED_AT = 3
DEFAULT_STALE_WEEKS = 8
REDACTED = "[redacted]"
REDACTABLE = ("outcome", "metrics", "links", "tags", "corroboration.name", "corroboration.role",
              "corroboration.quote")
DEFAULT_PACKET_SIZE = 3
SETTING_LIMITS: Mapping[str, tuple[int, int]] = {
    "demonstrated_at": (1, 100),
    "packet_size": (1, 100),
    "stale_weeks": (1, 520),
    "consistent_quarters": (1, 20),
}
"""The sane range of each whole-number setting; beyond it date arithmetic overflows or nothing fits."""
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class PacketSettings:
    """What the person asks of the build (the plugin options, minus paths)."""

    person: str = ""
    current_level: str | None = None
    target_level: str | None = None
    audience: Audience = Audience.SPONSOR
    demonstrated_at: int = DEFAULT_DEMONSTRATED_AT
    consistent_quarters: int = 2
    """Distinct quarters of proof that make a behaviour consistent and a dimension demonstrated."""
    packet_size: int = DEFAULT_PACKET_SIZE
    review_cycle: str = ""
    sponsor: str = ""
    stale_weeks: int = DEFAULT_STALE_WEEKS
    redact: tuple[str, ...] = ()
    """Fields replaced by a marker in the committee build (see ``REDACTABLE``)."""
    url_key: bytes | None = None
    """Publish entries under an HMAC of their file name with this key (password builds: the key
    comes from the password, so a guessed file name cannot be checked against the site)."""
    source: str = "mkdocs.yml"
    """Where the settings were written, for problem messages."""
    since: dt.date | str | None = None
    """Show what changed since this day or git revision (since.py)."""


@dataclass(frozen=True)
class Month:
    key: str
    label: str
    entries: tuple[Evidence, ...]


@dataclass(frozen=True)
class Packet:
    """Everything the site and the PDF show, already filtered for one audience."""

    settings: PacketSettings
    ladder: Ladder
    entries: tuple[Evidence, ...]
    """The entries in the audience, newest first."""
    left_out: int
    current: Level | None
    target: Level
    coverage: tuple[Coverage, ...]
    curated: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)
    strengths: Mapping[Evidence, Strength] = field(default_factory=dict)
    """The strength of each entry, decided before redaction (see :meth:`strength_of`)."""
    drafts: tuple[Evidence, ...] = ()
    """Drafts not accepted yet, newest first: in the author's own build only (see
    :attr:`Audience.sees_drafts`), and never part of the coverage, the timeline or the search."""
    next_steps: tuple[NextStep, ...] = ()
    """What next: the dimensions not demonstrated, worst first, each with the behaviours still
    to show (:func:`.coverage.next_steps`). Every report, page and the PDF reads this one answer."""

    @property
    def counted(self) -> str:
        """``counted for the sponsor audience: 20 entries, 1 left out by its visibility``."""
        return self.settings.audience.counted(len(self.entries), self.left_out)

    def coverage_of(self, dimension_id: str) -> Coverage:
        return next(c for c in self.coverage if c.dimension.id == dimension_id)

    @property
    def gaps(self) -> tuple[Coverage, ...]:
        """Dimensions that are thin or missing at the target level, worst first (:attr:`next_steps`)."""
        return tuple(step.coverage for step in self.next_steps)

    @property
    def carried(self) -> tuple[str, ...]:
        """Each ``one_of`` group by the member carrying it: ``Staff path through Mentorship``;
        its alternatives are not required, whatever their evidence."""
        return tuple(f"{c.group.one_of.name} through {c.dimension.name}"
                     for c in self.coverage if c.group is not None and not c.alternative)

    def level_of(self, entry: Evidence) -> Level:
        """The level an entry demonstrates (its own, else the target)."""
        return (self.ladder.level(entry.level) if entry.level else None) or self.target

    def counts(self, entry: Evidence) -> bool:
        """Whether an entry is at or above the target level."""
        return self.level_of(entry).rank >= self.target.rank

    def dimensions_of(self, entry: Evidence) -> tuple[Dimension, ...]:
        return tuple(d for d in (self.ladder.dimension(i) for i in entry.dimensions) if d)

    def strongest(self, count: int) -> tuple[Evidence, ...]:
        """The best ranked entries; claimed ones only when no entry is stronger."""
        return _proven_or_all(self, sorted(self.entries, key=self.rank, reverse=True))[:count]

    def newest(self, count: int) -> tuple[Evidence, ...]:
        return self.entries[:count]

    def strength_of(self, entry: Evidence) -> Strength:
        """An entry's strength as written: a committee build's redactions do not lower it."""
        found = self.strengths.get(entry)
        return strength_of(entry) if found is None else found

    def own_account(self, entry: Evidence) -> bool:
        """Whether the packet shows the entry as its author's own account: a claimed entry,
        in the curated packet or the strongest outcomes only because nothing there is stronger."""
        return self.strength_of(entry) is Strength.CLAIMED

    def rank(self, entry: Evidence) -> tuple[int, bool, bool, bool, int, bool, dt.date, str]:
        """Sort key, higher ranks first (see the module docstring)."""
        strongest = is_strongest(entry, self.strength_of(entry))
        return (self.strength_of(entry).proofs, strongest, entry.highlight, self.counts(entry),
                len(entry.names), is_quantified(entry), entry.date, entry.slug)

    @property
    def quote_counts(self) -> tuple[int, int]:
        """How many of the packet's quotes are verified, and how many quotes it shows."""
        return (sum(entry.verified_quotes for entry in self.entries),
                sum(entry.quotes for entry in self.entries))

    @property
    def timeline(self) -> tuple[Month, ...]:
        months: dict[str, list[Evidence]] = {}
        for entry in self.entries:
            months.setdefault(entry.date.strftime("%Y-%m"), []).append(entry)
        return tuple(Month(key, dt.date.fromisoformat(f"{key}-01").strftime("%B %Y"), tuple(group))
                     for key, group in months.items())


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` so that builds can be reproduced.

    An unusable ``SOURCE_DATE_EPOCH`` is ignored here, so no caller fails on it;
    :func:`epoch_problem` reports it where problems are collected.
    """
    day, _ = _epoch_day(environ.get(EPOCH_VARIABLE))
    return day or dt.date.today()


def epoch_problem(environ: Mapping[str, str] = os.environ) -> Problem | None:
    """Why ``SOURCE_DATE_EPOCH`` cannot be used, if it is set and cannot."""
    _, problem = _epoch_day(environ.get(EPOCH_VARIABLE))
    if problem is None:
        return None
    return Problem(EPOCH_VARIABLE, None, problem,
                   hint="set it to a time in seconds since 1970-01-01 UTC (git log -1 --format=%ct), "
                        "or unset it")


def _epoch_day(text: str | None) -> tuple[dt.date | None, str | None]:
    if not text:
        return None, None
    seconds = text.strip()
    if not seconds.isascii() or not seconds.isdigit():
        return None, f"expected a whole number of seconds, got {text!r}"
    last = ((LATEST_BUILD_DATE - EARLIEST_DATE).days + 1) * 86400 - 1
    if len(seconds) > len(str(last)) or int(seconds) > last:
        shown = seconds if len(seconds) <= 20 else f"{seconds[:20]}..."
        return None, f"{shown} is after {LATEST_BUILD_DATE.isoformat()}"
    return EARLIEST_DATE + dt.timedelta(days=int(seconds) // 86400), None


def check_settings(settings: PacketSettings, ladder: Ladder) -> list[Problem]:
    """Level ids and thresholds in the settings, checked against the ladder."""
    problems = []
    levels = ladder.level_ids
    for name in ("current_level", "target_level"):
        value = getattr(settings, name)
        if value is None and name == "target_level":
            problems.append(Problem(settings.source, None, "is not set", field=name,
                                    hint=f"name the level you are going for, one of: {', '.join(levels)}"))
        elif value is not None and ladder.level(value) is None:
            problems.append(Problem(settings.source, None, f"unknown level {value!r}", field=name,
                                    hint=id_hint(value, levels, "use one of the rubric's level ids")))
    current, target = settings.current_level, settings.target_level
    if (current and target and ladder.level(current) and ladder.level(target)
            and ladder.rank(target) <= ladder.rank(current)):
        problems.append(Problem(settings.source, None, f"{target!r} is not above {current!r}",
                                field="target_level", severity=Severity.WARNING,
                                hint="the target is usually the next level up"))
    if target and ladder.level(target) and not any(d.expectation(target) for d in ladder.dimensions):
        problems.append(_silent_target(settings, ladder, target))
    return problems


def _silent_target(settings: PacketSettings, ladder: Ladder, target: str) -> Problem:
    """A tip: no dimension expects anything at the target level, so every one reads as a gap with
    nothing to show, and no error says why."""
    spoken = [level.id for level in ladder.levels if any(d.expectation(level.id) for d in ladder.dimensions)]
    hint = (f"the rubric's behaviours are at the levels {', '.join(spoken)}: aim at one of those, or add "
            f"what {target!r} expects to the rubric" if spoken
            else "the rubric lists no behaviours at any level: add what each level expects to it")
    return Problem(settings.source, None, f"the rubric expects nothing at {target!r} in any dimension",
                   field="target_level", severity=Severity.WARNING, hint=hint)


def check_entries(entries: Iterable[Evidence], ladder: Ladder) -> list[Problem]:
    """Dimension, level and behaviour ids in the evidence, checked against the ladder."""
    problems = []
    for entry in entries:
        for index, dim in enumerate(entry.dimensions):
            if ladder.dimension(dim) is None:
                name = f"dimensions[{index}]"
                problems.append(Problem(entry.path, entry.line(name), f"unknown dimension {dim!r}",
                                        field="dimensions", hint=id_hint(dim, ladder.dimension_ids)))
        if entry.level is not None and ladder.level(entry.level) is None:
            problems.append(Problem(entry.path, entry.line("level"), f"unknown level {entry.level!r}",
                                    field="level", hint=id_hint(entry.level, ladder.level_ids)))
        for index, behaviour in enumerate(entry.shows):
            name = f"shows[{index}]"
            place = ladder.behaviour_place(behaviour)
            if place is None:
                problems.append(Problem(entry.path, entry.line(name), f"unknown behaviour {behaviour!r}",
                                        field=name, hint=_behaviour_hint(behaviour, entry, ladder)))
            elif place[0].id not in entry.dimensions:
                problems.append(Problem(entry.path, entry.line(name), f"the behaviour {behaviour!r} is "
                                        f"of the dimension {place[0].id!r}, which the entry does not list",
                                        field=name, hint=f"add {place[0].id} to dimensions"))
    return problems


def _behaviour_hint(behaviour: str, entry: Evidence, ladder: Ladder) -> str:
    # The nearest among the entry's own dimensions, where it means to point; else the ladder's.
    dims = [dim for dim in ladder.dimensions if dim.id in entry.dimensions and dim.expectations]
    known = ([b.id for dim in dims for behaviours in dim.expectations.values() for b in behaviours]
             or ladder.behaviour_ids)
    listing = f"promo rubric show {shlex.quote(dims[0].id)}" if len(dims) == 1 else "promo rubric show"
    return nearest_hint(behaviour, known, listing)


def build_packet(ladder: Ladder, entries: Sequence[Evidence],
                 settings: PacketSettings) -> tuple[Packet | None, list[Problem]]:
    """Check entries and settings against the ladder and assemble the packet for the audience."""
    problems = check_settings(settings, ladder) + check_entries(entries, ladder)
    if any(p.is_error for p in problems) or settings.target_level is None:
        return None, problems
    target = ladder.level(settings.target_level)
    assert target is not None
    current = ladder.level(settings.current_level) if settings.current_level else None
    if current is None and target.rank > 0:
        current = ladder.levels[target.rank - 1]
    accepted = [e for e in entries if not e.draft]
    strengths = {view_for(e, settings): strength_of(e)
                 for e in accepted if settings.audience.allows(e.visibility)}
    visible = sorted(strengths, key=lambda e: (e.date, e.slug), reverse=True)
    drafts = sorted((e for e in entries if e.draft), key=lambda e: (e.date, e.slug), reverse=True)
    packet = Packet(settings=settings, ladder=ladder, entries=tuple(visible),
                    left_out=len(accepted) - len(visible), current=current, target=target,
                    coverage=(), strengths=strengths,
                    drafts=tuple(drafts) if settings.audience.sees_drafts else ())
    coverage = with_groups([dimension_coverage(packet, dim) for dim in ladder.dimensions], ladder)
    curated = {c.dimension.id: _curate(packet, c) for c in coverage}
    return dataclasses.replace(packet, coverage=coverage, curated=curated,
                               next_steps=next_steps(coverage)), problems


def view_for(entry: Evidence, settings: PacketSettings) -> Evidence:
    """An entry as the build's audience may see it: private notes out, redactions in."""
    changes: dict[str, Any] = {}
    if not settings.audience.sees_private:
        body = strip_private_notes(entry.body)
        if body != entry.body:
            changes["body"] = body
    if settings.url_key:
        changes["slug"] = keyed_slug(settings.url_key, entry.slug)
    if settings.audience.redacts and settings.redact:
        changes.update(_redactions(entry, set(settings.redact)))
    return dataclasses.replace(entry, **changes) if changes else entry


def keyed_slug(url_key: bytes, slug: str) -> str:
    """The name an entry is published under in a password build: a guessed file name cannot be
    checked against the site."""
    return hmac.new(url_key, slug.encode(), "sha256").hexdigest()[:12]


def _redactions(entry: Evidence, fields: set[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {"redacted": frozenset(fields)}
    if "outcome" in fields and entry.outcome:
        changes["outcome"] = REDACTED
    if "metrics" in fields:
        changes["metrics"] = tuple(Metric(m.name, REDACTED, REDACTED) for m in entry.metrics)
    if "links" in fields:
        changes["links"] = ()
    if "tags" in fields:
        changes["tags"] = ()
    parts = {f.split(".")[1] for f in fields if f.startswith("corroboration.")}
    if parts:
        changes["corroboration"] = tuple(_redact_quote(c, parts) for c in entry.corroboration)
    return changes


def _redact_quote(quote: Corroboration, parts: set[str]) -> Corroboration:
    check = quote.check
    if check is not None and "name" in parts:
        # A key's fingerprint names its holder as surely as their name does.
        check = dataclasses.replace(check, fingerprint=None)
    return Corroboration(
        quote=REDACTED if "quote" in parts and quote.quote is not None else quote.quote,
        name=REDACTED if "name" in parts and quote.name else quote.name,
        role=REDACTED if "role" in parts and quote.role else quote.role,
        date=quote.date,
        link=None if parts else quote.link,
        approval=quote.approval,
        check=check,
    )


def _curate(packet: Packet, coverage: Coverage) -> tuple[Evidence, ...]:
    """The best ranked few entries of a dimension; ``entries`` is already ranked."""
    return _proven_or_all(packet, coverage.entries)[: packet.settings.packet_size]


def _proven_or_all(packet: Packet, ranked: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """The entries stronger than claimed, or, when there are none, all of them."""
    proven = tuple(e for e in ranked if packet.strength_of(e) is not Strength.CLAIMED)
    return proven or tuple(ranked)
