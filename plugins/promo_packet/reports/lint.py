"""Quality lint: tips that teach how to write evidence a committee can use.

Validation (in :mod:`evidence` and :mod:`rubric`) says whether the packet can be
built; lint says whether it will persuade. Its problems are warnings, shown to people
as tips: they never stop a build. Every rule has an id, a message that explains
what to write instead, and can be silenced for one entry::

    lint-ignore: [outcome-unquantified]

Rules:

=========================  ====================================================
activity-not-outcome       "worked on", "helped", ... in the title or outcome
outcome-missing            no outcome at all
outcome-unquantified       an outcome with no number and no before/after
highlight-uncorroborated   a highlight nobody else vouches for
quote-unnamed              a corroboration quote with no name
future-date                dated after today
below-current-level        a level below the person's current level
stale                      a long stretch with no new entries between two entries
no-recent-entry            the newest entry is older than that stretch (promo check only)
duplicate-title            two entries with the same title
placeholder                a prompt from ``promo new`` or the starter's text left
                           in an entry or a docs page: an error in a sponsor or
                           committee build, so a placeholder never ships
=========================  ====================================================
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import Problem, Severity
from ..model.evidence import Evidence
from ..model.packet import SETTING_LIMITS, PacketSettings
from ..model.rubric import Ladder
from ..model.strength import is_quantified

ACTIVITY = re.compile(
    r"\b(worked on|working on|helped( with| out)?|helping|was involved in|involved in|participated"
    r"( in)?|assisted( with)?|supported|contributed to|was part of|was responsible for|"
    r"responsible for|took part in)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str


RULES: Mapping[str, Rule] = {rule.id: rule for rule in (
    Rule("activity-not-outcome", "activity words instead of an outcome"),
    Rule("outcome-missing", "no outcome"),
    Rule("outcome-unquantified", "an outcome with no number or before/after"),
    Rule("highlight-uncorroborated", "a highlight with no corroboration"),
    Rule("quote-unnamed", "a corroboration quote with no name"),
    Rule("future-date", "a date in the future"),
    Rule("below-current-level", "a level below the current level"),
    Rule("stale", "a long stretch with no new entries"),
    Rule("no-recent-entry", "no entry for a long time"),
    Rule("duplicate-title", "two entries with the same title"),
    Rule("placeholder", "a template's placeholder text left in"),
)}
PLACEHOLDER_MARK = "{# placeholder #}"
"""Marks, on the line before it, a paragraph of a template that the person must replace."""
PLACEHOLDER_TEMPLATES = ("entry.md.j2", "scaffold/about.md.j2", "scaffold/example.md.j2")


@cache
def placeholders() -> tuple[str, ...]:
    """The first line of each paragraph the templates mark as placeholder text, spaces folded.

    Read from the templates themselves, so rewording a template cannot let its old text slip by.
    """
    found = []
    templates = resources.files("promo_packet") / "templates"
    for name in PLACEHOLDER_TEMPLATES:
        lines = templates.joinpath(name).read_text("utf-8").splitlines()
        found += [" ".join(after.split()) for mark, after in itertools.pairwise(lines)
                  if mark.strip() == PLACEHOLDER_MARK]
    return tuple(found)


@cache
def _placeholder_starts() -> frozenset[str]:
    # The start of the line is enough: the person may have reflowed the rest of the paragraph.
    return frozenset(placeholder[:40] for placeholder in placeholders())


def placeholder_problems(path: str, text: str, settings: PacketSettings, *,
                         first_line: int = 1) -> list[Problem]:
    """Placeholder text left in ``text`` (an entry's body or a docs page, ``path`` as shown).

    A tip while the person writes (a self build); an error in a build for anyone else, so
    the prompts and the starter's text never reach a sponsor or a committee.
    """
    own = settings.audience.sees_private
    problems = []
    for index, line in enumerate(text.splitlines()):
        folded = " ".join(line.split())
        if folded and folded[:40] in _placeholder_starts():
            words = folded.split()
            start = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
            problems.append(Problem(
                path, first_line + index, f"placeholder text left in: {start!r}",
                hint="replace it with your own words" + ("" if own else
                     f"; a {settings.audience.value} build does not ship it"),
                severity=Severity.WARNING if own else Severity.ERROR, code="lint: placeholder"))
    return problems


def lint(entries: Sequence[Evidence], ladder: Ladder | None, settings: PacketSettings, *,
         on: dt.date, recent: bool = False, every_file: bool = True) -> list[Problem]:
    """Every lint warning (a tip: it never stops a build) for ``entries`` as of the day ``on``.

    ``recent`` adds ``no-recent-entry``, which depends on the calendar: the
    interactive commands use it, builds do not, so the same inputs build the
    same way next month. Without a ``ladder`` (the rubric has errors) the rules
    about levels are skipped. ``every_file`` false says some evidence files could
    not be read: a stretch between the entries read may be one of those, so
    stretches are not judged.
    """
    # A draft is what a source said, not evidence yet: what it lacks is what accepting it adds.
    entries = [entry for entry in entries if not entry.draft]
    stale_weeks = settings.stale_weeks
    problems: list[Problem] = []
    for entry in entries:
        problems += _entry_rules(entry, ladder, settings, on)
        problems += placeholder_problems(entry.path, entry.body, settings, first_line=entry.body_line)
    # An out-of-range stale_weeks is an error of its own (packet.check_settings), and overflows dates.
    low, high = SETTING_LIMITS["stale_weeks"]
    if every_file and low <= stale_weeks <= high:
        problems += _stale(entries, on, stale_weeks, recent=recent)
    problems += _duplicate_titles(entries)
    by_path = {entry.path: entry for entry in entries}
    return [p for p in problems
            if (p.code or "").removeprefix("lint: ") not in by_path[p.path].lint_ignore]


def _tip(entry: Evidence, field: str, rule: str, message: str, hint: str,
         *, near: str | None = None) -> Problem:
    """A tip on ``field``; ``near`` names the field whose line to show when it is absent."""
    line = entry.line(field) or (entry.line(near) if near else None)
    return Problem(entry.path, line, message, field=field, hint=hint,
                   severity=Severity.WARNING, code=f"lint: {rule}")


def _entry_rules(entry: Evidence, ladder: Ladder | None, settings: PacketSettings,
                 on: dt.date) -> Iterable[Problem]:
    for index, rule in enumerate(entry.lint_ignore):
        if rule not in RULES:
            yield Problem(entry.path, entry.line(f"lint-ignore[{index}]"), f"unknown lint rule {rule!r}",
                          field="lint-ignore", hint=f"rules: {', '.join(RULES)}",
                          severity=Severity.WARNING, code="unknown-field")
    for field in ("title", "outcome"):
        text = getattr(entry, field)
        found = ACTIVITY.search(text or "")
        if found:
            yield _tip(entry, field, "activity-not-outcome",
                       f"'{found.group(0)}' describes activity, not an outcome",
                       "say what changed because of you, e.g. 'Cut release time from 3 days to 4 hours'")
    if not entry.outcome:
        yield _tip(entry, "outcome", "outcome-missing", "missing",
                   "add one sentence with the measurable result, e.g. 'Pages fell from 30 to 12 a week'",
                   near="title")
    elif not is_quantified(entry):
        yield _tip(entry, "outcome", "outcome-unquantified", "no number or before/after",
                   'say what changed, e.g. "6 weeks -> 3 weeks"')
    if entry.highlight and not entry.corroboration:
        yield _tip(entry, "highlight", "highlight-uncorroborated",
                   "a highlight with no corroboration",
                   "add a colleague's words under 'corroboration:'; vouched-for impact convinces")
    for index, quote in enumerate(entry.corroboration):
        if not quote.name:
            yield _tip(entry, f"corroboration[{index}]", "quote-unnamed", "a quote with no name",
                       "add 'name:' (and 'role:'); an anonymous quote carries little weight")
    if entry.date > on:
        yield _tip(entry, "date", "future-date", f"{entry.date.isoformat()} is in the future",
                   "log wins once they have landed")
    current = ladder.level(settings.current_level) if ladder and settings.current_level else None
    level = ladder.level(entry.level) if ladder and entry.level else None
    if current is not None and level is not None and level.rank < current.rank:
        yield _tip(entry, "level", "below-current-level",
                   f"level '{level.id}' is below your current level '{current.id}'",
                   "it cannot count toward the target; raise the level if the work was bigger, "
                   "or leave it out of the packet")


def _stale(entries: Sequence[Evidence], on: dt.date, weeks: int, *, recent: bool) -> Iterable[Problem]:
    ordered = sorted((e for e in entries if e.date <= on), key=lambda e: e.date)
    limit = dt.timedelta(weeks=weeks)
    for before, after in itertools.pairwise(ordered):
        if after.date - before.date > limit:
            days = (after.date - before.date).days
            # A stretch in the past cannot be filled in later: the hint says how to stop hearing
            # about it (leave, a holiday), or every build would report it for ever.
            silence = ", ".join((*after.lint_ignore, "stale"))
            yield _tip(after, "date", "stale",
                       f"{days} days without an entry before this one (since {before.date.isoformat()})",
                       f"log at least one win every {weeks} weeks; small ones count. If that was "
                       f"leave or a holiday, add 'lint-ignore: [{silence}]' to this entry's front "
                       "matter (or raise stale_weeks in mkdocs.yml)")
    if recent and ordered and on - ordered[-1].date > limit:
        last = ordered[-1]
        yield _tip(last, "date", "no-recent-entry",
                   f"this is the newest entry, {(on - last.date).days} days ago",
                   f"log at least one win every {weeks} weeks; 'promo new' takes a minute")


def _duplicate_titles(entries: Sequence[Evidence]) -> Iterable[Problem]:
    seen: dict[str, Evidence] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.path)):
        key = " ".join(entry.title.lower().split())
        if key in seen:
            yield _tip(entry, "title", "duplicate-title",
                       f"same title as {seen[key].path}",
                       "merge the two entries, or make each title say what was different")
        else:
            seen[key] = entry
