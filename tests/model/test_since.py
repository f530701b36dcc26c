"""Since the last calibration: the ``since`` option and ``promo diff``, against real git repositories."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_site, make_packet
from promo_packet.cli import main
from promo_packet.hosts.project import assemble, read_config
from promo_packet.render.pages import render_pages, site_nav

ONBOARDING = "evidence/2026-04-15-onboarding.md"
NEW = "evidence/2026-07-02-mentored-a-lead.md"
NEW_TEXT = """---
title: Mentored a lead into the role
date: 2026-07-02
dimensions: [mentorship]
level: staff
shows: [mentorship.staff.1]
outcome: Two engineers promoted to senior.
corroboration:
  - name: Bo Lead
    quote: She grew two seniors this half.
---
How it went.
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Promo Test", "-c", "user.email=promo@example.com",
                    "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-C", str(root), *args],
                   check=True, capture_output=True)


def set_since(root: Path, since: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f"      since: {since}\n", "utf-8")


@pytest.fixture
def tagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture packet committed and tagged ``calibration-2026-h1``, then changed: the
    onboarding entry raised to the target level and naming the mentorship behaviour, one entry added."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_packet(tmp_path)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first half")
    git(root, "tag", "calibration-2026-h1")
    onboarding = root / ONBOARDING
    onboarding.write_text(onboarding.read_text("utf-8").replace("level: senior", "level: staff\n"
                                                                "shows: [mentorship.staff.1]"), "utf-8")
    (root / NEW).write_text(NEW_TEXT, "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "second half")
    return root


def test_the_since_page_lists_what_changed_between_two_tagged_states(tagged: Path, tmp_path: Path) -> None:
    set_since(tagged, "calibration-2026-h1")
    before = {p: p.read_bytes() for p in tagged.rglob("*") if p.is_file() and ".git" not in p.parts}
    site = build_site(tagged, tmp_path / "site")
    page = (site / "since" / "index.html").read_text("utf-8")
    assert "Since calibration-2026-h1" in page
    new, changed = page.index('id="new-entries"'), page.index('id="updated-entries"')
    assert "Mentored a lead into the role" in page[new:changed]
    assert "Onboarded two new hires" in page[changed:]
    assert "Cut the nightly batch" not in page  # unchanged since the tag
    assert "CANARY-PRIVATE" not in page  # the sponsor's build: only what the sponsor sees
    behaviours = page.index('id="behaviours-whose-state-changed"')
    dimensions = page[page.index('id="dimensions-whose-status-changed"'):behaviours]
    assert "Mentorship" in dimensions and "gap" in dimensions and "demonstrated" in dimensions
    assert "Scope" not in dimensions
    assert "Grows engineers into senior roles." in page[behaviours:new]
    # Listed after the overview; the work tree is as it was.
    assert (site / "index.html").read_text("utf-8").index('href="since/"') > 0
    assert before == {p: p.read_bytes() for p in tagged.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_a_date_compares_with_the_entries_dated_before_it(tagged: Path) -> None:
    set_since(tagged, "2026-06-30")
    options, problems = read_config(tagged / "mkdocs.yml")
    assert not problems
    assembly = assemble(options.sources, options.packet)
    changes = assembly.since
    assert changes is not None and assembly.packet is not None
    assert changes.title == "Since 30 June 2026"
    assert [e.title for e in changes.added] == ["Mentored a lead into the role"]
    assert changes.changed == ()
    assert [(c.dimension.id, c.before and c.before.value, c.after.value) for c in changes.dimensions] == [
        ("mentorship", "thin", "demonstrated")]
    pages = {p.uri: p.content for p in render_pages(assembly.packet, since=changes)}
    assert "Mentored a lead into the role" in pages["since.md"]
    nav = site_nav(assembly.packet, since=changes)
    assert nav[:2] == [{"Overview": "index.md"}, {"Since 30 June 2026": "since.md"}]


def test_promo_diff_prints_the_changes_as_text_and_json(tagged: Path) -> None:
    config = str(tagged / "mkdocs.yml")
    result = CliRunner().invoke(main, ["diff", "calibration-2026-h1", "-f", config])
    assert result.exit_code == 0, result.output
    assert "Since calibration-2026-h1" in result.output
    assert "Mentorship: gap -> demonstrated" in result.output
    assert "Mentorship: Grows engineers into senior roles.: not yet -> shown consistently" in result.output
    assert "2026-07-02  Mentored a lead into the role" in result.output
    result = CliRunner().invoke(main, ["diff", "calibration-2026-h1", "-f", config, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [e["slug"] for e in report["added"]] == ["2026-07-02-mentored-a-lead"]
    assert [e["slug"] for e in report["changed"]] == ["2026-04-15-onboarding"]
    assert report["removed"] == []
    assert report["dimensions"] == [{"dimension": "mentorship", "name": "Mentorship", "before": "gap",
                                     "after": "demonstrated"}]
    assert report["behaviours"][0]["before"] == "not yet"


def test_promo_diff_names_the_entries_removed_since_a_revision(tagged: Path) -> None:
    (tagged / "evidence" / "2026" / "2026-03-02-shared-library.md").unlink()
    git(tagged, "add", "-A")
    git(tagged, "commit", "-qm", "an entry taken out")
    config = str(tagged / "mkdocs.yml")
    result = CliRunner().invoke(main, ["diff", "calibration-2026-h1", "-f", config])
    assert result.exit_code == 0, result.output
    assert "Removed entries: 1\n  2026-03-02  Wrote the retry library two teams adopted" in result.output
    result = CliRunner().invoke(main, ["diff", "calibration-2026-h1", "-f", config, "--format", "json"])
    assert [e["slug"] for e in json.loads(result.output)["removed"]] == ["2026-03-02-shared-library"]


def test_an_unknown_revision_is_a_problem_naming_the_option(tagged: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "nope", "-f", str(tagged / "mkdocs.yml")])
    assert result.exit_code == 1 and "unknown git revision 'nope'" in result.output
    set_since(tagged, "calibration-2030-h9")
    options, _ = read_config(tagged / "mkdocs.yml")
    problems = [p for p in assemble(options.sources, options.packet).problems if p.is_error]
    assert [(p.field, p.message) for p in problems] == [
        ("promo-packet.since", "unknown git revision 'calibration-2030-h9'")]
    assert problems[0].hint and problems[0].path.startswith("mkdocs.yml:")


@pytest.mark.parametrize(("since", "message"), [
    ("'2026-02-30'", "not a date: '2026-02-30'"),
    ("--output=x", "not a date or a git revision: '--output=x'"),
    ("2026", "expected a date (YYYY-MM-DD) or a git revision, got the number 2026"),
    ("9999-12-31", "9999-12-31 is out of range"),
    ("'2106-01-01'", "2106-01-01 is out of range"),
    ("1969-12-31", "1969-12-31 is out of range"),
])
def test_a_bad_since_is_a_problem(tmp_path: Path, since: str, message: str) -> None:
    root = make_packet(tmp_path)
    set_since(root, since)
    _, problems = read_config(root / "mkdocs.yml")
    assert [(p.field, p.message) for p in problems] == [("promo-packet.since", message)]
    if "out of range" in message:
        assert problems[0].hint == "write a date between 1970-01-01 and 2105-12-31"


def test_the_last_day_a_build_may_be_dated_is_a_since(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    set_since(root, "2105-12-31")
    options, problems = read_config(root / "mkdocs.yml")
    assert problems == [] and options.packet.since == dt.date(2105, 12, 31)


@pytest.mark.parametrize("day", ["9999-12-31", "2106-01-01", "1969-12-31"])
def test_promo_diff_refuses_a_date_out_of_range(tmp_path: Path, day: str) -> None:
    root = make_packet(tmp_path)
    result = CliRunner().invoke(main, ["diff", day, "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (f"error: promo-packet.since: {day} is out of range\n"
            "  hint: write a date between 1970-01-01 and 2105-12-31") in result.output


def test_a_revision_outside_git_is_a_clear_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_packet(tmp_path)
    result = CliRunner().invoke(main, ["diff", "v1", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1 and "not in a git repository" in result.output
    set_since(root, "calibration-2026-h1")
    options, _ = read_config(root / "mkdocs.yml")
    problems = [p for p in assemble(options.sources, options.packet).problems if p.is_error]
    assert len(problems) == 1 and "not in a git repository" in problems[0].message
    assert problems[0].field == "promo-packet.since"
