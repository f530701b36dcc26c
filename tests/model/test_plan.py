"""The promotion plan: validation, status against the evidence, pages, PDF and `promo checkin`."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import PLAN, build_site, make_packet, site_text
from promo_packet import assemble, read_config
from promo_packet.authoring.plan_edit import add_checkin
from promo_packet.cli import main
from promo_packet.model.plan import parse_plan
from promo_packet.model.progress import CriterionState, plan_status

TODAY = dt.date(2026, 6, 20)


def planned(tmp_path: Path) -> Path:
    root = make_packet(tmp_path)
    shutil.copy(PLAN, root / "plan.yml")
    entry = root / "evidence" / "2026" / "2026-03-02-shared-library.md"
    entry.write_text(entry.read_text().replace("dimensions: [influence, scope]",
                                               "dimensions: [influence, scope]\ncriteria: [batch-scope]"))
    return root


def status_of(root: Path, today: dt.date = TODAY):  # type: ignore[no-untyped-def]
    options, _ = read_config(root / "mkdocs.yml")
    assembly = assemble(options.sources, options.packet, on=today)
    assert assembly.packet is not None and assembly.plan is not None, assembly.problems
    return plan_status(assembly.plan, assembly.packet, today)


def test_a_plan_with_every_section_is_read(tmp_path: Path) -> None:
    status = status_of(planned(tmp_path))
    plan = status.plan
    assert [c.id for c in plan.criteria] == ["batch-scope", "mentor"]
    assert [s.name for s in plan.stakeholders] == ["Pat Sponsor", "Quinn Director"]
    assert [s.name for s in status.agreed] == ["Pat Sponsor"]
    assert [b.text for b in status.open_blockers] == ["CANARY-BLOCKER-qq1 one promotion slot per cycle."]
    assert [c.date for c in plan.checkins] == [dt.date(2026, 2, 10), dt.date(2026, 5, 5)]
    assert plan.decisions[0].result == "no" and plan.decisions[0].checkpoint == dt.date(2026, 5, 31)
    assert status.days_to_review == 102


def test_criteria_status_from_linked_evidence_and_outcomes(tmp_path: Path) -> None:
    status = status_of(planned(tmp_path))
    batch, mentor = status.criteria
    assert batch.state is CriterionState.IN_PROGRESS
    assert [e.slug for e in batch.evidence] == ["2026-03-02-shared-library"]
    assert [o.text for o in batch.met] == ["The nightly batch ends before 2am."]
    assert [o.text for o in batch.pending] == ["Two teams use the retry library."]
    assert mentor.state is CriterionState.NOT_STARTED and mentor.evidence == ()


def test_checkin_cadence_and_overdue_with_a_fixed_today(tmp_path: Path) -> None:
    root = planned(tmp_path)
    on_time = status_of(root, dt.date(2026, 6, 1))
    assert on_time.next_checkin == dt.date(2026, 6, 4) and not on_time.overdue
    late = status_of(root, dt.date(2026, 6, 20))
    assert late.overdue
    assert [e.slug for e in late.since_checkin] == ["2026-06-01-canary-sponsor-kw2"]


def test_a_no_whose_gap_is_partly_closed(tmp_path: Path) -> None:
    gap = status_of(planned(tmp_path)).latest_no
    assert gap is not None
    # Influence had 1 entry at Staff by 15 Feb and has 3 now; mentorship had and has none.
    assert gap.dimensions == (("Influence", 1, 3, 2), ("Mentorship", 0, 0, 2))
    assert gap.closed == pytest.approx(1 / 3)
    assert [e.slug for e in gap.since] == [
        "2026-06-01-canary-sponsor-kw2", "2026-04-15-onboarding", "2026-03-02-shared-library"]
    assert [c.criterion.id for c in gap.criteria] == ["mentor"]


def test_a_packet_without_a_plan_builds_without_plan_pages(fixture_site: Callable[..., Path]) -> None:
    site = fixture_site()
    assert not (site / "plan").exists() and not (site / "checkins").exists()
    assert "Agreed criteria" not in (site / "index.html").read_text()


def test_plan_pages_for_the_sponsor(tmp_path: Path) -> None:
    site = build_site(planned(tmp_path), tmp_path / "site")
    plan = BeautifulSoup((site / "plan" / "index.html").read_text(), "html.parser").select_one("article")
    text = plan.get_text(" ")
    for expected in ("Own a cross-team outcome end to end.", "not started", "in progress", "Pat Sponsor",
                     "1 of 2 have agreed", "CANARY-BLOCKER-qq1", "CANARY-GAP-qq1", "33% of the gap closed",
                     "overdue"):
        assert expected in text, expected
    checkins = (site / "checkins" / "index.html").read_text()
    assert "CANARY-CHECKIN-qq1" in checkins and "To bring to the next check-in" in checkins
    overview = (site / "index.html").read_text()
    assert "Agreed criteria" in overview and "Own a cross-team outcome end to end." in overview
    nav = BeautifulSoup(overview, "html.parser").select_one("nav.md-nav--primary").get_text(" ")
    assert "Plan" in nav and "Check-ins" in nav


@pytest.mark.parametrize(("day", "passed"), [("2026-08-30", False), ("2026-09-10", True)])
def test_the_plan_says_when_the_agreed_timeline_has_passed(day: str, passed: bool, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    site = build_site(planned(tmp_path), tmp_path / "site")
    text = BeautifulSoup((site / "plan" / "index.html").read_text(), "html.parser").select_one("article")
    words = " ".join(text.get_text(" ").split())
    assert ("timeline passed 10 days ago, with the gap still open" in words) is passed


def test_the_committee_sees_the_criteria_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "committee")
    site = build_site(planned(tmp_path), tmp_path / "site", pdf=True)
    everything = site_text(site)
    assert "Own a cross-team outcome end to end." in everything
    for private in ("CANARY-CHECKIN-qq1", "CANARY-BLOCKER-qq1", "CANARY-STAKEHOLDER-qq1", "CANARY-GAP-qq1",
                    "Quinn Director"):
        assert private not in everything, private
    assert not (site / "checkins").exists()
    pdf = " ".join(p.extract_text() for p in PdfReader(site / "packet.pdf").pages)
    assert "Agreed criteria" in pdf and "Own a cross-team outcome end to end." in pdf
    assert "CANARY-CHECKIN-qq1" not in pdf


def test_plan_problems_name_file_line_and_field(tmp_path: Path) -> None:
    root = planned(tmp_path)
    text = (PLAN.read_text().replace("review_date: 2026-09-30", "review_date: next spring")
            .replace("- id: mentor\n", "- id: batch-scope\n"))
    (root / "plan.yml").write_text(text)
    entry = root / "evidence" / "2026-04-15-onboarding.md"
    entry.write_text(entry.read_text().replace("level: senior", "level: senior\ncriteria: [unknown-one]"))
    result = CliRunner().invoke(main, ["check", "--today", "2026-06-20", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("plan.yml:3: error: review_date: expected YYYY-MM-DD, got 'next spring'\n"
            "  hint: e.g. 2026-03-14\n") in result.stderr
    assert ("plan.yml:16: error: criteria[1].id: duplicate id 'batch-scope' (also on line 7)\n"
            "  hint: every criterion id must be unique\n") in result.stderr
    unknown = "evidence/2026-04-15-onboarding.md:6: error: criteria: unknown criterion 'unknown-one'"
    assert any(line.startswith(unknown) for line in lines)


def test_criteria_without_a_plan_are_reported(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    entry = root / "evidence" / "2026-04-15-onboarding.md"
    entry.write_text(entry.read_text().replace("level: senior", "level: senior\ncriteria: [x]"))
    result = CliRunner().invoke(main, ["check", "--today", "2026-06-20", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "criteria: refers to criteria, but there is no plan" in result.stderr


SHAPES = [
    PLAN.read_text(),
    "target_level: staff\n",
    "target_level: staff",
    "checkins: []  # none yet\nreview_date: 2026-09-30\n",
    "checkins:\n- date: 2026-01-01\n# about the decisions\ndecisions: []\n",
    "# only a comment\n",
    "",
]


def inserted_block(before: str, after: str) -> str:
    """The one contiguous block ``after`` adds to ``before``; fails if anything else changed."""
    common = zip(before, after, strict=False)
    start = next((i for i, (a, b) in enumerate(common) if a != b), min(len(before), len(after)))
    rest = before[start:]
    assert after.endswith(rest), "text after the insertion changed"
    return after[start:len(after) - len(rest)]


SKELETON = {"- date: 2026-07-01", "with: Pat Sponsor", 'discussed: ""', "decisions: []", "next_steps: []",
            "checkins:", ""}


@pytest.mark.parametrize("text", SHAPES)
def test_add_checkin_changes_nothing_else(text: str) -> None:
    updated = add_checkin(text, dt.date(2026, 7, 1), "Pat Sponsor")
    plan, problems = parse_plan(updated, "plan.yml")
    assert plan is not None and not [p for p in problems if p.is_error], problems
    assert plan.checkins[-1].date == dt.date(2026, 7, 1) and plan.checkins[-1].with_ == "Pat Sponsor"
    if "checkins: []" in text:  # the one line that must change: the empty list becomes a header
        text = text.replace("checkins: []  # none yet", "checkins:     # none yet")  # same column
    block = inserted_block(text, updated)
    assert {line.strip() for line in block.splitlines()} <= SKELETON, block
    assert "2026-07-01" in block


def test_promo_checkin_splices_into_the_file(tmp_path: Path) -> None:
    root = planned(tmp_path)
    before = (root / "plan.yml").read_text()
    result = CliRunner().invoke(main, ["checkin", "-f", str(root / "mkdocs.yml"), "--date", "2026-06-20"])
    assert result.exit_code == 0, result.stderr
    after = (root / "plan.yml").read_text()
    inserted = ("  - date: 2026-06-20\n    with: Pat Sponsor\n    discussed: \"\"\n    decisions: []\n"
                "    next_steps: []\n")
    assert inserted_block(before, after).lstrip("\n") in (inserted, inserted.replace("  - date", "- date"))
    assert after.index(inserted) < after.index("\ndecisions:\n")
    assert "Evidence logged since the last one (2026-05-05): 1" in result.stdout
    assert "CANARY-SPONSOR-TITLE-kw2" in result.stdout


def test_promo_checkin_refuses_a_second_check_in_on_the_same_day(tmp_path: Path) -> None:
    root = planned(tmp_path)
    args = ["checkin", "-f", str(root / "mkdocs.yml"), "--date", "2026-06-20"]
    assert CliRunner().invoke(main, args).exit_code == 0
    once = (root / "plan.yml").read_text()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    line = once.splitlines().index("  - date: 2026-06-20") + 1
    assert (f"plan.yml:{line}: error: already has a check-in on 2026-06-20\n"
            "  hint: add to it, or pass --date for another day\npromo: nothing was written\n") in again.stderr
    assert (root / "plan.yml").read_text() == once


def test_review_reports_criteria_and_overdue_checkins(tmp_path: Path) -> None:
    import json

    root = planned(tmp_path)
    result = CliRunner().invoke(main, ["review", "-f", str(root / "mkdocs.yml"), "--month", "2026-06",
                                       "--today", "2026-06-20", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)["plan"]
    assert plan["criteria"] == [
        {"id": "batch-scope", "status": "in progress", "outcomes_met": 1, "outcomes": 2, "evidence": 1},
        {"id": "mentor", "status": "not started", "outcomes_met": 0, "outcomes": 1, "evidence": 0}]
    assert plan["next_checkin"] == "2026-06-04" and plan["checkin_overdue"] is True
    assert plan["days_to_review"] == 102
    args = ["review", "-f", str(root / "mkdocs.yml"), "--today", "2026-06-01"]
    text = CliRunner().invoke(main, args).stdout
    assert "Check-in: last 2026-05-05, next due 2026-06-04\n" in text
    assert "  not started  mentor: 0 of 1 outcomes met, 0 entries" in text


def test_a_checkin_is_written_with_the_keys_its_model_has() -> None:
    plan, problems = parse_plan("checkins:\n  - {date: 2026-05-01, whom: Pat}\n", "plan.yml")
    assert plan is not None
    assert [p.text() for p in problems] == [
        "plan.yml:2: checkins[0].whom: unknown field (kept, but not used); known fields: date, with, "
        "discussed, decisions, next_steps [unknown-field]"]
    added = add_checkin("", dt.date(2026, 6, 1), "Pat")
    assert added == ("checkins:\n  - date: 2026-06-01\n    with: Pat\n"
                     '    discussed: ""\n    decisions: []\n    next_steps: []\n')
