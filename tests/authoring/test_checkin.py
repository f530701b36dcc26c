"""`promo checkin` edits plan.yml through a YAML round trip and refuses what it cannot keep."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import PLAN, make_packet
from promo_packet.authoring import plan_edit
from promo_packet.cli import main
from promo_packet.model.plan import Checkin, parse_plan

DAY = dt.date(2026, 6, 20)


def packet_with_plan(tmp_path: Path, text: str) -> Path:
    root = make_packet(tmp_path)
    (root / "plan.yml").write_bytes(text.encode())
    return root


def checkin(root: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["checkin", "-f", str(root / "mkdocs.yml"), "--date", DAY.isoformat(),
                                     *extra])


def assert_one_more_checkin(before: str, after: str, with_: str = "") -> None:
    """``after`` reads as ``before`` plus a check-in on DAY, nothing else."""
    old, _ = parse_plan(before, "plan.yml")
    new, problems = parse_plan(after, "plan.yml")
    assert old is not None and new is not None and not [p for p in problems if p.is_error], problems
    assert new.checkins == tuple(sorted([*old.checkins, Checkin(DAY, with_)], key=lambda c: c.date))
    assert (new.criteria, new.stakeholders, new.blockers, new.decisions, new.review_date) == (
        old.criteria, old.stakeholders, old.blockers, old.decisions, old.review_date)


COMMENTED = ("# Agreed with Pat in January.\n"
             "review_date: '2026-09-30'   # quoted on purpose\n"
             "checkins:\n"
             "  # the first one was short\n"
             "  - date: 2026-01-01\n"
             "    with: \"Pat Sponsor\"  # by video\n"
             "    decisions:\n"
             "      - Keep going.\n"
             "\n"
             "  # and then\n"
             "  - date: 2026-02-01\n"
             "    next_steps: [Write, it, up]\n"
             "\n"
             "# what was decided\n"
             "decisions: []\n")


def test_block_style_plans_change_only_by_the_new_check_in(tmp_path: Path) -> None:
    cases = [(PLAN.read_text(), "Pat Sponsor", "    discussed: Mentoring is the gap."),
             (COMMENTED, '""', "    next_steps: [Write, it, up]")]
    for number, (text, with_, last) in enumerate(cases):
        for newline in ("\n", "\r\n"):
            before = text.replace("\n", newline)
            root = packet_with_plan(tmp_path / f"{number}-{len(newline)}", before)
            result = checkin(root)
            assert result.exit_code == 0, result.stderr
            after = (root / "plan.yml").read_bytes().decode()
            added = ["  - date: 2026-06-20", f"    with: {with_}", '    discussed: ""', "    decisions: []",
                     "    next_steps: []"]
            lines = before.split(newline)
            at = lines.index(last) + 1  # before the blank line that opens the next section
            assert after.split(newline) == lines[:at] + added + lines[at:], (number, newline)
            assert_one_more_checkin(before, after, "" if with_ == '""' else with_)


SHAPES = [
    "checkins: [{date: 2026-01-01, with: Pat Sponsor}, {date: 2026-02-01}]\n",
    "checkins: [{date: 2026-01-01, with: Pat Sponsor}]  # after the list\n",
    "checkins: [\n  {date: 2026-01-01, with: Pat Sponsor},\n  {date: 2026-02-01, discussed: \"a, b\"},\n]\n",
    "checkins: [\n    {date: 2026-01-01,\n     with: Pat Sponsor}]\n",
    "checkins: []\n",
    "checkins:\n",
    "checkins: ~  # none yet\n",
    "",
]


def test_every_shape_of_checkins_gets_the_check_in(tmp_path: Path) -> None:
    for number, checkins in enumerate(SHAPES):
        before = f"# My plan\nreview_date: 2026-09-30  # the calibration\n{checkins}decisions: []\n"
        root = packet_with_plan(tmp_path / str(number), before)
        result = checkin(root, "--with", "Kim: manager")
        assert result.exit_code == 0, (checkins, result.stderr)
        after = (root / "plan.yml").read_text()
        assert_one_more_checkin(before, after, "Kim: manager")
        assert after.startswith("# My plan\nreview_date: 2026-09-30  # the calibration\n"), after
        if checkins:
            assert after.endswith("decisions: []\n"), after
        for comment in ("# after the list", "# none yet"):
            assert (comment in after) is (comment in before), after
        if checkins.startswith("checkins: [{"):  # a flow list on one line stays as written
            assert after.startswith(f"# My plan\nreview_date: 2026-09-30  # the calibration\n"
                                    f"{checkins.partition(']')[0]}, {{date: 2026-06-20, "), after


@pytest.mark.parametrize(("text", "reason"), [
    ("earlier: &shared\n  - date: 2026-01-01\ncheckins: *shared\n",
     "3: error: 'checkins' is an anchor or an alias"),
    ("checkins: &mine\n  - date: 2026-01-01\nagain: *mine\n",
     "1: error: 'checkins' is an anchor or an alias"),
    ("defaults: &d {role: Manager}\nstakeholders:\n  - <<: *d\n    name: Pat\n",
     "3: error: uses a merge key"),
    ("checkins:\n  - date: 2026-01-01\n    with: !!str Pat\n", "3: error: has an explicit tag"),
    ("checkins: [\n  {date: 2026-01-01},  # the first\n  {date: 2026-02-01},\n]\n",
     "1: error: 'checkins' is a flow list with comments inside"),
])
def test_what_cannot_round_trip_is_refused_and_left_alone(text: str, reason: str, tmp_path: Path) -> None:
    root = packet_with_plan(tmp_path, text)
    result = checkin(root)
    assert result.exit_code == 1
    assert f"plan.yml:{reason}" in result.stderr and result.stderr.endswith("promo: nothing was written\n")
    assert (root / "plan.yml").read_bytes() == text.encode()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".plan")) == []


def test_an_edit_that_does_not_read_back_is_not_written(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = PLAN.read_text()
    root = packet_with_plan(tmp_path, text)
    real = plan_edit._append

    def lossy(source: str, item: dict[str, object]) -> str:
        return real(source, item).replace("  - name: Quinn Director\n", "  - name: Quinn\n")

    monkeypatch.setattr(plan_edit, "_append", lossy)
    result = checkin(root)
    assert result.exit_code == 1
    assert "would not read back as the old one plus the new check-in" in result.stderr
    assert (root / "plan.yml").read_text() == text


def test_the_plan_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = PLAN.read_text()
    root = packet_with_plan(tmp_path, text)
    (root / "plan.yml").chmod(0o640)

    def interrupted(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(OSError):
        plan_edit.write_atomically(root / "plan.yml", "garbage")
    assert (root / "plan.yml").read_text() == text
    assert [p.name for p in root.iterdir() if p.name.startswith(".plan")] == []
    monkeypatch.undo()
    assert checkin(root).exit_code == 0
    assert (root / "plan.yml").stat().st_mode & 0o777 == 0o640


DIRECTOR = "  - {name: Helen Achterberg, role: Director}\n"
SPONSOR = "  - {name: Marcus Webb, role: Engineering Manager (sponsor)}\n"


@pytest.mark.parametrize(("stakeholders", "option", "expected"), [
    # The stakeholder whose role says sponsor, wherever it is listed.
    (DIRECTOR + SPONSOR, "", "Marcus Webb"),
    (DIRECTOR + "  - {name: Marcus Webb, role: 'Sponsor, Eng Manager'}\n", "Someone Else", "Marcus Webb"),
    # "sponsorship" is not the word: the option names the sponsor instead.
    (DIRECTOR + "  - {name: Ann Lee, role: Runs the sponsorship programme}\n" + SPONSOR.replace(
        " (sponsor)", ""), "Marcus Webb, Engineering Manager", "Marcus Webb"),
    # The option's name when no stakeholder has it; the first stakeholder when nothing names a sponsor.
    (DIRECTOR, "Pat Sponsor, Engineering Manager", "Pat Sponsor"),
    (DIRECTOR, "", "Helen Achterberg"),
    ("", "", ""),
])
def test_the_check_in_is_with_the_sponsor(stakeholders: str, option: str, expected: str) -> None:
    from promo_packet.model.plan import sponsor_of

    plan, problems = parse_plan(f"stakeholders:\n{stakeholders}" if stakeholders else "", "plan.yml")
    assert plan is not None and not problems, problems
    assert sponsor_of(plan, option) == expected


def test_promo_checkin_defaults_to_the_sponsor(tmp_path: Path) -> None:
    root = packet_with_plan(tmp_path, f"stakeholders:\n{DIRECTOR}{SPONSOR}")
    result = checkin(root)
    assert result.exit_code == 0, result.stderr
    assert "    with: Marcus Webb\n" in (root / "plan.yml").read_text()
