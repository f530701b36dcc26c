"""Each lint rule fires on the entry it is about, stays quiet on a good one, and can be silenced."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from promo_packet import PacketSettings
from promo_packet.errors import Severity
from promo_packet.model.audience import Audience
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.rubric import parse_rubric
from promo_packet.reports.lint import RULES, lint

LADDER, _ = parse_rubric(
    "name: L\nlevels: [{id: junior, title: J}, {id: senior, title: S}, {id: staff, title: St}]\n"
    "dimensions: [{id: scope, name: Scope}]\n", "rubric.yml")
SETTINGS = PacketSettings(current_level="senior", target_level="staff", stale_weeks=8)
TODAY = dt.date(2026, 6, 30)

GOOD = """---
title: Cut deploy time from 40 to 12 minutes
date: 2026-06-01
dimensions: [scope]
outcome: Deploys now take 12 minutes instead of 40, so we ship twice as often.
corroboration:
  - name: Kim Lee
    role: Release manager
    quote: We stopped batching releases.
highlight: true
---
"""


def entries(*texts: str):  # type: ignore[no-untyped-def]
    found = []
    for index, text in enumerate(texts):
        entry, problems = parse_evidence(text, f"evidence/e{index}.md", f"e{index}")
        assert entry is not None, problems
        found.append(entry)
    return found


def fired(*texts: str, recent: bool = False) -> list[str]:
    assert LADDER is not None
    return [str(p) for p in lint(entries(*texts), LADDER, SETTINGS, on=TODAY, recent=recent)]


CASES = {
    "activity-not-outcome": (
        GOOD.replace("title: Cut deploy time from 40 to 12 minutes", "title: Worked on the deploy pipeline"),
        "evidence/e0.md:2: title: 'Worked on' describes activity, not an outcome; say what changed "
        "because of you, e.g. 'Cut release time from 3 days to 4 hours' [lint: activity-not-outcome]"),
    "outcome-missing": (
        GOOD.replace("outcome: Deploys now take 12 minutes instead of 40, so we ship twice as often.\n", ""),
        "evidence/e0.md:2: outcome: missing; add one sentence with the measurable result, "
        "e.g. 'Pages fell from 30 to 12 a week' [lint: outcome-missing]"),
    "outcome-unquantified": (
        GOOD.replace("Deploys now take 12 minutes instead of 40, so we ship twice as often.",
                     "Deploys are much faster now."),
        'evidence/e0.md:5: outcome: no number or before/after; say what changed, e.g. "6 weeks -> 3 weeks" '
        "[lint: outcome-unquantified]"),
    "highlight-uncorroborated": (
        GOOD.replace("corroboration:\n  - name: Kim Lee\n    role: Release manager\n"
                     "    quote: We stopped batching releases.\n", ""),
        "evidence/e0.md:6: highlight: a highlight with no corroboration; add a colleague's words under "
        "'corroboration:'; vouched-for impact convinces [lint: highlight-uncorroborated]"),
    "quote-unnamed": (
        GOOD.replace("  - name: Kim Lee\n    role: Release manager\n    quote:", "  - quote:"),
        "evidence/e0.md:7: corroboration[0]: a quote with no name; add 'name:' (and 'role:'); "
        "an anonymous quote carries little weight [lint: quote-unnamed]"),
    "future-date": (
        GOOD.replace("date: 2026-06-01", "date: 2026-07-04"),
        "evidence/e0.md:3: date: 2026-07-04 is in the future; log wins once they have landed "
        "[lint: future-date]"),
    "below-current-level": (
        GOOD.replace("dimensions: [scope]", "dimensions: [scope]\nlevel: junior"),
        "evidence/e0.md:5: level: level 'junior' is below your current level 'senior'; it cannot count "
        "toward the target; raise the level if the work was bigger, or leave it out of the packet "
        "[lint: below-current-level]"),
    "placeholder": (
        GOOD + "\n## Result\n\nWhat changed, with numbers. Who else benefited.\n",
        "evidence/e0.md:15: placeholder text left in: 'What changed, with numbers. Who else benefited.'; "
        "replace it with your own words; a sponsor build does not ship it [lint: placeholder]"),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_rule_fires(rule: str) -> None:
    text, expected = CASES[rule]
    assert fired(text) == [expected]


@pytest.mark.parametrize("rule", list(CASES))
def test_rule_can_be_silenced_per_entry(rule: str) -> None:
    text, _ = CASES[rule]
    silenced = text.replace("dimensions: [scope]", f"dimensions: [scope]\nlint-ignore: [{rule}]")
    assert fired(silenced) == []


def test_good_entry_is_quiet() -> None:
    assert fired(GOOD, recent=True) == []


def test_an_empty_outcome_is_reported_on_its_own_line() -> None:
    # As `promo new` writes it: the field is there, with nothing after the colon.
    text = GOOD.replace("outcome: Deploys now take 12 minutes instead of 40, so we ship twice as often.",
                        "outcome:")
    assert fired(text) == [CASES["outcome-missing"][1].replace("e0.md:2:", "e0.md:5:")]


def test_stale_stretch_between_entries() -> None:
    old = GOOD.replace("date: 2026-06-01", "date: 2026-02-01").replace("Cut deploy", "Halved deploy")
    assert fired(old, GOOD) == [
        "evidence/e1.md:3: date: 120 days without an entry before this one (since 2026-02-01); "
        "log at least one win every 8 weeks; small ones count. If that was leave or a holiday, add "
        "'lint-ignore: [stale]' to this entry's front matter (or raise stale_weeks in mkdocs.yml) "
        "[lint: stale]"]
    close = old.replace("2026-02-01", "2026-05-01")
    assert fired(close, GOOD) == []


def test_a_stretch_is_reported_once_with_the_line_that_silences_it() -> None:
    old = GOOD.replace("date: 2026-06-01", "date: 2026-02-01").replace("Cut deploy", "Halved deploy")
    after = GOOD.replace("dimensions: [scope]", "dimensions: [scope]\nlint-ignore: [future-date]")
    found = fired(old, after, recent=True)
    assert len(found) == 1
    line = "lint-ignore: [future-date, stale]"
    assert f"add '{line}' to this entry's front matter" in found[0]
    assert fired(old, after.replace("lint-ignore: [future-date]", line), recent=True) == []


@pytest.mark.parametrize("outcome", [
    "Agreed in one meeting instead of the usual three rounds.",
    "Onboarding now takes two days.",
    "Halved the pages the on-call engineer gets.",
    "Reviews went from a dozen comments to a handful.",
])
def test_number_words_count_as_numbers(outcome: str) -> None:
    text = GOOD.replace("Deploys now take 12 minutes instead of 40, so we ship twice as often.", outcome)
    assert fired(text) == []


def test_no_recent_entry_only_when_asked() -> None:
    old = GOOD.replace("date: 2026-06-01", "date: 2026-03-01")
    assert fired(old) == []
    assert fired(old, recent=True) == [
        "evidence/e0.md:3: date: this is the newest entry, 121 days ago; log at least one win every "
        "8 weeks; 'promo new' takes a minute [lint: no-recent-entry]"]


def test_duplicate_titles() -> None:
    other = GOOD.replace("date: 2026-06-01", "date: 2026-06-02")
    assert fired(GOOD, other) == [
        "evidence/e1.md:2: title: same title as evidence/e0.md; merge the two entries, or make each "
        "title say what was different [lint: duplicate-title]"]


def test_unknown_rule_in_lint_ignore_is_reported() -> None:
    text = GOOD.replace("dimensions: [scope]", "dimensions: [scope]\nlint-ignore: [outcome-unquantifed]")
    assert fired(text) == [
        "evidence/e0.md:5: lint-ignore: unknown lint rule 'outcome-unquantifed'; rules: "
        + ", ".join(RULES) + " [unknown-field]"]


def test_every_rule_is_tested() -> None:
    tested = set(CASES) | {"stale", "no-recent-entry", "duplicate-title"}
    assert tested == set(RULES)


def test_tips_never_fail_a_strict_mkdocs_build(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from conftest import build_site, make_packet

    caplog.set_level(logging.INFO)
    root = make_packet(tmp_path)
    entry = root / "evidence" / "2026" / "2026-03-02-shared-library.md"
    text = entry.read_text().replace("title: Wrote the retry", "title: Helped with the retry")
    entry.write_text(text)
    build_site(root, tmp_path / "site", strict=True)
    assert (tmp_path / "site" / "index.html").exists()
    ours = [r for r in caplog.records if r.name == "mkdocs.plugins.promo_packet"]
    assert not [r for r in ours if r.levelno >= logging.WARNING]
    assert "promo-packet: 1 tip; run 'promo check' for details" in [r.getMessage() for r in ours]
    assert "describes activity" not in caplog.text


@pytest.mark.parametrize(("audience", "severity"), [
    (Audience.SELF, Severity.WARNING), (Audience.SPONSOR, Severity.ERROR),
    (Audience.COMMITTEE, Severity.ERROR)])
def test_a_placeholder_is_a_tip_only_for_yourself(audience: Audience, severity: Severity) -> None:
    assert LADDER is not None
    settings = dataclasses.replace(SETTINGS, audience=audience)
    # Only the line that starts as the template's does: the person's own words around it are theirs.
    text = GOOD + ("\nThis is an example entry: replace it with one of your own wins, then\ndelete it.\n"
                   "What changed was the on-call load: with numbers from the pager, 30 -> 12.\nWhat\n")
    found = lint(entries(text), LADDER, settings, on=TODAY)
    assert [(p.line, p.severity, p.code) for p in found] == [(13, severity, "lint: placeholder")]
