"""The packet model: what the evidence shows, per rubric dimension, for one audience.

Coverage rule (documented in the README, shown on every dimension page):

* an entry *counts* for a dimension when it lists the dimension and its level
  (``level:``, default the target level) is at or above the target level;
* an entry is *proof* when it is strong or supported (see below), and its *quarter* is the
  calendar quarter of its date;
* a behaviour of the target level is **shown consistently** when proof entries that name it
  (``shows:``) fall in at least ``consistent_quarters`` distinct quarters (default 2),
  **shown** when any counting entry names it, **not yet** otherwise;
* **demonstrated**: at least ``demonstrated_at`` counting proof entries (default 3), spread
  over at least ``consistent_quarters`` quarters, and, once entries name the dimension's
  behaviours, more than half of its target-level behaviours shown;
* **thin**: at least one counting entry, but not demonstrated;
* **gap**: no counting entry (entries below the target level may exist).

Strength of an entry (:func:`strength_of`), decided on the entry as written, so a
committee build that redacts names or outcomes does not lower it:

* **strong**: quantified (metrics, or an outcome with a number) and corroborated
  by a named person;
* **supported**: one of the two;
* **claimed**: neither, the author's own account.

Ranking (:meth:`Packet.rank`), used to pick the curated packet and the "strongest
outcomes", orders entries by, in order: strength; highlighted; at or above the
target level; number of named corroborators; quantified; newer. A claimed entry
enters the curated packet of a dimension, or the strongest outcomes, only when
nothing stronger is there; it is then marked as the author's own account
(:meth:`Packet.own_account`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hmac
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, Severity, plural
from ..reading.fields import EARLIEST_DATE, LATEST_DATE
from ..reading.ids import id_hint
from .evidence import Corroboration, Evidence, Metric, Visibility
from .privacy import strip_private_notes
from .rubric import Behaviour, Dimension, Ladder, Level

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
PROOFS = ("a figure (metrics, or a number in the outcome)", "a named corroboration")
"""What makes an entry strong, as its author is told what it lacks (:func:`proofs_missing`)."""
OWN_ACCOUNT = "the author's own account: no figure or named corroboration"
"""How the packet marks a claimed entry it shows (:meth:`Packet.own_account`): a fact, for a reader."""
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# "in one meeting instead of the usual three rounds" is as measurable as "in 1 instead of 3".
_NUMBER = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|halved|twice|thrice|doubled|"
    r"tripled|quadrupled|tenfold)\b",
    re.IGNORECASE)


class Audience(str, enum.Enum):
    """Who a build is for. Each sees the entries whose visibility allows it."""

    SELF = "self"
    SPONSOR = "sponsor"
    COMMITTEE = "committee"

    def counted(self, entries: int, left_out: int) -> str:
        """Which audience a count is for, said by every report that counts: the CLI's and the build's."""
        text = f"counted for the {self.value} audience: {plural(entries, 'entry', 'entries')}"
        if left_out:
            text += f", {left_out} left out by {'its' if left_out == 1 else 'their'} visibility"
        return text

    def allows(self, visibility: Visibility) -> bool:
        """Whether an entry of this visibility is in the build."""
        if self is Audience.SELF:
            return True
        if self is Audience.SPONSOR:
            return visibility is not Visibility.PRIVATE
        return visibility is Visibility.COMMITTEE

    @property
    def reader(self) -> str:
        """Who reads this build, in words: the PDF's cover says it is "prepared for" them."""
        return {Audience.SELF: "yourself (private)", Audience.SPONSOR: "the sponsor",
                Audience.COMMITTEE: "the promotion committee"}[self]

    @property
    def sees_private(self) -> bool:
        """Private notes and private entries: only the person's own build holds them, and it
        is never published (``promo zip``, ``gh-deploy``) unless asked for by name."""
        return self is Audience.SELF

    @property
    def sees_drafts(self) -> bool:
        """Drafts (``draft: true``, proposed by an importer): listed in the person's own build
        only, to be accepted or deleted; never counted, never in anyone else's build or a PDF."""
        return self is Audience.SELF

    @property
    def sees_process(self) -> bool:
        """The plan's check-ins, stakeholders and blockers, and each entry's visibility: what
        stays between the person and the sponsor. The committee sees outcomes only."""
        return self is not Audience.COMMITTEE

    @property
    def is_author(self) -> bool:
        """Whether the build is for the person writing the packet: only theirs says how to improve
        it (what more would demonstrate a dimension, which field to add) or shows internal labels
        (highlight, visibility). A sponsor's or a committee's says what the evidence shows."""
        return self is Audience.SELF

    @property
    def redacts(self) -> bool:
        """Whether the ``redact`` option applies: it is for the committee's build."""
        return self is Audience.COMMITTEE


class Strength(str, enum.Enum):
    """How well an entry is proven (:func:`strength_of`); shown to its author only."""

    STRONG = "strong"
    SUPPORTED = "supported"
    CLAIMED = "claimed"

    @property
    def proofs(self) -> int:
        """How many of the two proofs (a figure, a named corroboration) the entry has."""
        return _BY_PROOFS.index(self)


_BY_PROOFS = (Strength.CLAIMED, Strength.SUPPORTED, Strength.STRONG)


class Status(str, enum.Enum):
    DEMONSTRATED = "demonstrated"
    THIN = "thin"
    GAP = "gap"


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
        return self.reason if audience.is_author else self.finding

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

    @property
    def counted(self) -> str:
        """``counted for the sponsor audience: 20 entries, 1 left out by its visibility``."""
        return self.settings.audience.counted(len(self.entries), self.left_out)

    def coverage_of(self, dimension_id: str) -> Coverage:
        return next(c for c in self.coverage if c.dimension.id == dimension_id)

    @property
    def gaps(self) -> tuple[Coverage, ...]:
        """Dimensions that are thin or missing at the target level: the to-do list."""
        order = {Status.GAP: 0, Status.THIN: 1}
        open_ = [c for c in self.coverage if c.status is not Status.DEMONSTRATED]
        return tuple(sorted(open_, key=lambda c: (order[c.status], len(c.counting))))

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

    def rank(self, entry: Evidence) -> tuple[int, bool, bool, int, bool, dt.date, str]:
        """Sort key, higher ranks first (see the module docstring)."""
        return (self.strength_of(entry).proofs, entry.highlight, self.counts(entry), len(entry.names),
                is_quantified(entry), entry.date, entry.slug)

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
    last = ((LATEST_DATE - EARLIEST_DATE).days + 1) * 86400 - 1
    if len(seconds) > len(str(last)) or int(seconds) > last:
        shown = seconds if len(seconds) <= 20 else f"{seconds[:20]}..."
        return None, f"{shown} is after {LATEST_DATE.isoformat()}"
    return EARLIEST_DATE + dt.timedelta(days=int(seconds) // 86400), None


def is_quantified(entry: Evidence) -> bool:
    """An entry shows a measurable result: metrics, or an outcome with a number (or number word) in it."""
    return bool(entry.metrics) or bool(entry.outcome and _NUMBER.search(entry.outcome))


def strength_of(entry: Evidence) -> Strength:
    """Strong when quantified and corroborated by a named person, supported with one of the
    two, claimed with neither (see the module docstring).

    Read the entry as written: in a committee build the redacted marker stands in for a
    name, which still counts, but an outcome's figure is hidden, so the packet decides each
    entry's strength before redacting it (:attr:`Packet.strengths`).
    """
    return _BY_PROOFS[len(PROOFS) - len(proofs_missing(entry))]


def proofs_missing(entry: Evidence) -> tuple[str, ...]:
    """What the entry lacks to be strong, of :data:`PROOFS`, in words for its author."""
    found = (is_quantified(entry), bool(entry.names))
    return tuple(proof for proof, has in zip(PROOFS, found, strict=True) if not has)


def strength_counts(entries: Iterable[Evidence]) -> dict[Strength, int]:
    """How many entries are of each strength, strong first, every strength named."""
    counts = dict.fromkeys(Strength, 0)
    for entry in entries:
        counts[strength_of(entry)] += 1
    return counts


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
    return problems


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
    # A whole ladder's behaviours make a line too long to read: those of the entry's dimensions.
    dims = [dim for dim in ladder.dimensions if dim.id in entry.dimensions and dim.expectations]
    if not dims:
        return id_hint(behaviour, ladder.behaviour_ids)
    shown = [b.id for dim in dims for behaviours in dim.expectations.values() for b in behaviours]
    return id_hint(behaviour, ladder.behaviour_ids, f"the behaviours of {', '.join(d.id for d in dims)}",
                   shown=shown)


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
    coverage = tuple(_coverage(packet, dim) for dim in ladder.dimensions)
    curated = {c.dimension.id: _curate(packet, c) for c in coverage}
    return dataclasses.replace(packet, coverage=coverage, curated=curated), problems


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
    return Corroboration(
        quote=REDACTED if "quote" in parts else quote.quote,
        name=REDACTED if "name" in parts and quote.name else quote.name,
        role=REDACTED if "role" in parts and quote.role else quote.role,
        date=quote.date,
        link=None if parts else quote.link,
    )


def quarter(day: dt.date) -> str:
    """The calendar quarter of ``day``: ``2026 Q2``."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarters(entries: Iterable[Evidence]) -> tuple[str, ...]:
    return tuple(sorted({quarter(entry.date) for entry in entries}))


def _coverage(packet: Packet, dimension: Dimension) -> Coverage:
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


def _behaviour(packet: Packet, behaviour: Behaviour, counting: Sequence[Evidence]) -> BehaviourCoverage:
    entries = tuple(e for e in counting if behaviour.id in e.shows)
    quarters = _quarters(e for e in entries if packet.strength_of(e) is not Strength.CLAIMED)
    state = (Shown.CONSISTENTLY if len(quarters) >= packet.settings.consistent_quarters
             else Shown.SHOWN if entries else Shown.NOT_YET)
    return BehaviourCoverage(behaviour, state, entries, quarters)


def _curate(packet: Packet, coverage: Coverage) -> tuple[Evidence, ...]:
    """The best ranked few entries of a dimension; ``entries`` is already ranked."""
    return _proven_or_all(packet, coverage.entries)[: packet.settings.packet_size]


def _proven_or_all(packet: Packet, ranked: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """The entries stronger than claimed, or, when there are none, all of them."""
    proven = tuple(e for e in ranked if packet.strength_of(e) is not Strength.CLAIMED)
    return proven or tuple(ranked)
