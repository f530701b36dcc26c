"""The `promo` command, through click's CliRunner and as a real process on a scaffolded repo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import MKDOCS, TESTS, make_packet, run
from promo_packet.cli import main
from promo_packet.model.evidence import KNOWN_FIELDS

PROMO = str(Path(sys.executable).with_name("promo"))


def test_init_scaffolds_a_buildable_repo(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "mine"), "--person", "Jo Doe", "--current", "senior")
    assert code == 0, out
    root = tmp_path / "mine"
    for name in ("mkdocs.yml", "requirements.txt", "README.md", ".gitignore", ".pre-commit-config.yaml",
                 ".github/workflows/packet.yml", "overrides/main.html", "docs/about.md",
                 "rubric/ladder.yml"):
        assert (root / name).is_file(), name
    assert len(list((root / "evidence").glob("*.md"))) == 1
    config = (root / "mkdocs.yml").read_text()
    assert "person: Jo Doe" in config and "current_level: senior" in config
    assert "target_level: staff" in config
    assert "promo check" in (root / ".pre-commit-config.yaml").read_text()
    ignored = (root / ".gitignore").read_text().split()
    assert "/packet.zip" in ignored and "/site/" in ignored  # promo zip's default and the build
    assert "pypi.org" not in (root / "README.md").read_text()  # installed from requirements.txt
    workflow = (root / ".github" / "workflows" / "packet.yml").read_text()
    assert "mkdocs build --strict" in workflow and "${{ steps.deployment.outputs.page_url }}" in workflow
    assert "SECRET: ${{ secrets.PROMO_PASSWORD }}" in workflow
    assert "password: !ENV PROMO_PASSWORD" in config
    assert run("check", "-f", str(root / "mkdocs.yml"))[0] == 0


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, _, err = run("init", str(tmp_path))
    assert code == 1
    assert "exists and is not empty" in err
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "mkdocs.yml").exists()


def test_init_rejects_unknown_levels(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "x"), "--target", "cto")
    assert code == 1 and "--target 'cto' is not a level of the starter ladder" in err


def test_new_writes_a_valid_entry_and_never_overwrites(packet: Path) -> None:
    config = str(packet / "mkdocs.yml")
    code, out, _ = run("new", "Cut CI time: 40 -> 12 min!", "-f", config, "-d", "scope",
                       "--date", "2026-06-20", "--highlight", cwd=packet)
    assert code == 0
    assert out.strip() == "evidence/2026-06-20-cut-ci-time-40-12-min.md"
    text = (packet / out.strip()).read_text()
    for field in ("title:", "date: 2026-06-20", "dimensions: [scope]", "highlight: true",
                  "visibility: committee"):
        assert field in text
    # Every field of the format is there, to fill in or (for `level`) to uncomment; but `draft`,
    # which only an import writes: a win logged by hand is evidence already.
    written = set(re.findall(r"^(?:# )?([a-z-]+):", text, re.MULTILINE))
    assert set(KNOWN_FIELDS) - {"draft"} <= written, set(KNOWN_FIELDS) - written
    assert "title: 'Cut CI time: 40 -> 12 min!'" in text
    # The behaviours of its dimension at the target level, to keep those it shows.
    assert "\n# shows: [scope.staff.1, scope.staff.2]   # the rubric's behaviours at staff" in text
    # Each with what it means: an id such as scope.staff.2 says where a behaviour stands, not what it is.
    assert ("this shows: keep those that apply\n# - scope.staff.1: Owns outcomes across several teams.\n"
            "# - scope.staff.2: Finds the problems that cost the most.\n# source:") in text
    again = run("new", "Cut CI time: 40 -> 12 min!", "-f", config, "-d", "scope", "--date", "2026-06-20",
                cwd=packet)[1]
    assert again.strip() == "evidence/2026-06-20-cut-ci-time-40-12-min-2.md"
    assert (packet / out.strip()).read_text() == text
    code, _, err = run("check", "-f", config, "--today", "2026-06-30")
    # Its prompts are still there: a sponsor packet does not ship them.
    assert code == 1, err
    assert "tip: outcome: missing" in err and "[lint: duplicate-title]" in err
    assert "md:33: error: placeholder text left in: 'What was the problem, and why did it ...'" in err


def test_new_cuts_a_long_title_between_words(packet: Path) -> None:
    title = "Moved the whole billing platform onto the shared event bus with zero downtime for customers"
    _, out, _ = run("new", title, "-f", str(packet / "mkdocs.yml"), "--date", "2026-06-20", cwd=packet)
    name = Path(out.strip()).stem.removeprefix("2026-06-20-")
    assert name == "moved-the-whole-billing-platform-onto-the-shared-event-bus"
    assert title.lower().replace(" ", "-").startswith(name + "-")


def test_help_shows_dates_as_people_write_them() -> None:
    for command in ("new", "checkin"):
        help_text = CliRunner().invoke(main, [command, "--help"]).output
        assert "--date YYYY-MM-DD" in help_text and "%Y" not in help_text


def test_new_validates_dimensions(packet: Path) -> None:
    code, _, err = run("new", "Something", "-f", str(packet / "mkdocs.yml"), "-d", "leadership")
    assert code == 1
    assert err == ("promo: error: unknown dimension 'leadership'\n"
                   "  hint: the rubric has: scope, influence, mentorship\n"
                   "promo: nothing was written\n")
    assert not list((packet / "evidence").glob("*something*"))


def test_new_edit_opens_the_editor(packet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("click.edit", lambda filename: opened.append(filename))
    code, out, _ = run("new", "Edited win", "-f", str(packet / "mkdocs.yml"), "-d", "scope", "--edit",
                       cwd=packet)
    assert code == 0 and opened == [str(packet / out.strip())]


def test_review_month(packet: Path) -> None:
    code, out, _ = run("review", "-f", str(packet / "mkdocs.yml"), "--month", "2026-03",
                       "--today", "2026-11-22", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["as_of"] == "2026-03-31"
    assert [e["title"] for e in report["logged"]] == ["Wrote the retry library two teams adopted"]
    coverage = {c["dimension"]: (c["before"], c["after"], c["status"]) for c in report["coverage"]}
    assert coverage == {"scope": (1, 2, "demonstrated"), "influence": (1, 2, "demonstrated"),
                        "mentorship": (0, 0, "gap")}
    assert report["open"] == ["mentorship"]
    assert report["days_since_last_entry"] == 29
    assert [e["title"] for e in report["missing_corroboration"]] == []


def test_review_text_is_a_table(packet: Path) -> None:
    code, out, _ = run("review", "-f", str(packet / "mkdocs.yml"), "--today", "2026-06-10")
    assert code == 0
    assert "Monthly review: June 2026 (as of 2026-06-10), target Staff Engineer" in out
    assert "  Influence        2      3  demonstrated" in out
    assert "Coverage counted for the sponsor audience: 4 entries, 1 left out by its visibility" in out
    assert "  Scope            2      2  demonstrated" in out  # the private entry is not counted
    assert "Mentorship (gap): Grows engineers into senior roles." in out
    assert "Days since the last entry: 9" in out


def test_review_rejects_a_bad_month(packet: Path) -> None:
    code, _, err = run("review", "-f", str(packet / "mkdocs.yml"), "--month", "March")
    assert code == 2 and "expected YYYY-MM, got 'March'" in err


def test_gaps(packet: Path) -> None:
    code, out, _ = run("gaps", "-f", str(packet / "mkdocs.yml"))
    assert code == 0
    assert out.splitlines() == [
        "Coverage counted for the sponsor audience: 4 entries, 1 left out by its visibility",
        "Mentorship (gap): No entry at Staff Engineer level or above yet (1 below it); 2 at Staff Engineer "
        "level or above with a figure or a named corroborator, over 1 quarter, would make it demonstrated.",
        "  - not yet: mentorship.staff.1  Grows engineers into senior roles."]


def test_commands_needing_a_packet_stop_on_errors(tmp_path: Path) -> None:
    from conftest import TESTS

    root = make_packet(tmp_path, TESTS / "cases" / "bad-dates" / "files")
    code, _, err = run("gaps", "-f", str(root / "mkdocs.yml"))
    assert code == 1
    assert "evidence/2026-02-04-dates.md:3: error: date: expected YYYY-MM-DD" in err


def test_check_warns_when_nothing_was_logged_lately(packet: Path) -> None:
    code, _, err = run("check", "-f", str(packet / "mkdocs.yml"), "--today", "2026-12-01")
    assert code == 0
    assert "this is the newest entry, 183 days ago" in err
    assert run("check", "--strict", "-f", str(packet / "mkdocs.yml"), "--today", "2026-12-01")[0] == 1


def test_daily_loop_as_real_processes(tmp_path: Path) -> None:
    """promo init -> promo new x3 -> promo check -> mkdocs build, as a person would type them."""
    env = {**os.environ, "PROMO_PDF": "0"}

    def sh(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done

    sh(PROMO, "init", "packet", "--person", "Jo Doe", cwd=tmp_path)
    root = tmp_path / "packet"
    for example in (root / "evidence").glob("*-example-*.md"):
        example.unlink()  # as its text asks, once you have your own
    wins = [("Halved checkout errors", ["execution", "scope"]),
            ("Got three teams onto one API style guide", ["influence"]),
            ("Framed the data retention problem nobody owned", ["ambiguity", "direction"])]
    paths = []
    for title, dims in wins:
        args = [PROMO, "new", title, "--date", "2026-11-02"]
        for dim in dims:
            args += ["-d", dim]
        paths.append(sh(*args, cwd=root).stdout.strip())
    for path in paths:
        file = root / path
        file.write_text(file.read_text().replace("outcome:\n", "outcome: Errors fell from 40 to 12 a day.\n"))
    check = sh(PROMO, "check", cwd=root)
    assert "0 errors" in check.stderr
    review = sh(PROMO, "review", "--month", "2026-11", "--today", "2026-11-22", cwd=root).stdout
    assert "Logged this month: 3" in review
    assert "Halved checkout errors" in sh(PROMO, "review", "--format", "json", cwd=root).stdout
    assert "Growing others (gap)" in sh(PROMO, "gaps", cwd=root).stdout
    sh(MKDOCS, "build", "--strict", cwd=root)
    for (title, dims), path in zip(wins, paths, strict=True):
        slug = Path(path).stem
        assert (root / "site" / "evidence" / slug / "index.html").is_file()
        for dim in dims:
            page = BeautifulSoup((root / "site" / "dimensions" / dim / "index.html").read_text(),
                                 "html.parser")
            assert title in page.get_text(), (title, dim)
    checkin = sh(PROMO, "checkin", "--date", "2026-11-20", "--with", "Pat Sponsor", cwd=root).stdout
    assert "Evidence logged so far: 3" in checkin and "Halved checkout errors" in checkin
    assert "- date: 2026-11-20\n    with: Pat Sponsor\n" in (root / "plan.yml").read_text()
    pdf = sh(PROMO, "pdf", "-o", "out/packet.pdf", cwd=root)
    assert "3 entries" in pdf.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(root / "out" / "packet.pdf").pages)
    assert "Jo Doe" in text and "Halved checkout errors" in text


def test_check_names_the_files_it_ignored(packet: Path) -> None:
    code, _, err = run("check", "-f", str(packet / "mkdocs.yml"), "--today", "2026-06-30")
    assert code == 0
    assert "5 evidence files (1 other file ignored: evidence/README.txt), 0 errors" in err


AFTER_LEAVE = """---
title: Helped with the on-call rota
date: 2026-09-09
dimensions: [scope]
outcome: Nights are calmer now.
---
Back from three months of leave.
"""


def packet_with_tips(tmp_path: Path) -> Path:
    """The fixture packet and one entry 100 days after the one before it, with writing tips."""
    root = make_packet(tmp_path)
    (root / "evidence" / "2026-09-09-after-leave.md").write_text(AFTER_LEAVE)
    return root


def test_a_gap_and_tips_build_strict_and_are_listed_by_check(tmp_path: Path) -> None:
    root = packet_with_tips(tmp_path)
    env = {**os.environ, "PROMO_PDF": "0"}
    built = subprocess.run([MKDOCS, "build", "--strict"], cwd=root, env=env, capture_output=True,
                           text=True, check=False)
    assert built.returncode == 0, built.stderr
    assert "promo-packet: 3 tips; run 'promo check' for details" in built.stderr
    assert "WARNING" not in built.stderr
    code, _, err = run("check", "-f", str(root / "mkdocs.yml"), "--today", "2026-09-10")
    assert code == 0, err
    lines = err.splitlines()
    tips = [(line, lines[i + 1]) for i, line in enumerate(lines) if ": tip: " in line]
    assert [line.split(": tip: ")[0] for line, _ in tips] == [
        f"evidence/2026-09-09-after-leave.md:{line}" for line in (2, 3, 5)]
    assert "100 days without an entry" in tips[1][0]
    assert tips[1][1].startswith("  hint: ")
    assert "add 'lint-ignore: [stale]' to this entry's front matter" in tips[1][1]
    assert "0 errors, 3 tips" in err
    assert "\x1b[" not in err
    assert run("check", "--strict", "-f", str(root / "mkdocs.yml"), "--today", "2026-09-10")[0] == 1


def test_check_lists_tips_and_errors_of_other_files_in_one_run(tmp_path: Path) -> None:
    root = packet_with_tips(tmp_path)
    (root / "evidence" / "2026-09-10-broken.md").write_text("---\ntitle: Broken\ndate: soon\n---\n")
    code, _, err = run("check", "-f", str(root / "mkdocs.yml"), "--today", "2026-09-10")
    assert code == 1
    assert "evidence/2026-09-10-broken.md:3: error: date: expected YYYY-MM-DD" in err
    assert "evidence/2026-09-09-after-leave.md:2: tip: title: 'Helped with' describes activity" in err
    assert "evidence/2026-09-09-after-leave.md:5: tip: outcome: no number" in err


def test_check_colours_its_labels_on_a_terminal_only(tmp_path: Path) -> None:
    import pty

    root = packet_with_tips(tmp_path)
    args = [PROMO, "check", "--today", "2026-09-10"]
    piped = subprocess.run(args, cwd=root, capture_output=True, text=True, check=False)
    assert piped.returncode == 0 and ": tip: " in piped.stderr and "\x1b[" not in piped.stderr
    main_fd, terminal = pty.openpty()
    try:
        done = subprocess.run(args, cwd=root, stdin=terminal, stdout=terminal, stderr=terminal,
                              timeout=60, check=False)
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # the terminal's other end is closed: everything was read
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(main_fd)
    assert done.returncode == 0
    text = output.decode()
    assert "\x1b[33m\x1b[1mtip\x1b[0m" in text


def test_placeholders_are_tips_for_self_and_stop_sponsor_and_committee_builds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from mkdocs.exceptions import Abort

    from conftest import build_site

    caplog.set_level(logging.INFO)
    root = tmp_path / "mine"
    assert run("init", str(root), "--person", "Jo Doe")[0] == 0
    code, out, _ = run("new", "Halved checkout errors", "-d", "execution", "--date", "2026-11-02", cwd=root)
    assert code == 0
    entry = root / out.strip()
    entry.write_text(entry.read_text().replace("outcome:\n", "outcome: Errors fell from 40 to 12 a day.\n"))
    prompt_line = entry.read_text().splitlines().index(
        "What was the problem, and why did it matter? Who was affected?") + 1
    example = next((root / "evidence").glob("*-example-*.md")).relative_to(root).as_posix()
    example_line = next(number for number, line in enumerate(
        (root / example).read_text().splitlines(), 1) if line.startswith("This is an example entry"))
    left = [("docs/about.md:5", "Replace this page with a few lines for ..."),
            (f"{out.strip()}:{prompt_line}", "What was the problem, and why did it ..."),
            (f"{example}:{example_line}", "This is an example entry: replace it with ...")]

    monkeypatch.delenv("PROMO_AUDIENCE", raising=False)  # the starter's own preview: a self build
    build_site(root, tmp_path / "self", strict=True)
    assert (tmp_path / "self" / "index.html").is_file()
    assert "promo-packet: 5 tips; run 'promo check' for details" in caplog.text
    code, _, err = run("check", cwd=root)
    assert code == 0
    for where, start in left:
        assert f"{where}: tip: placeholder text left in: '{start}'" in err
    for audience in ("sponsor", "committee"):
        caplog.clear()
        monkeypatch.setenv("PROMO_AUDIENCE", audience)
        with pytest.raises(Abort):
            build_site(root, tmp_path / audience)
        assert not (tmp_path / audience / "index.html").exists()
        for where, start in left:
            assert (f"{where}: error: placeholder text left in: '{start}' [lint: placeholder]\n"
                    f"    hint: replace it with your own words; a {audience} build does not ship it"
                    ) in caplog.text


def test_a_target_level_the_rubric_says_nothing_about_is_a_tip(tmp_path: Path) -> None:
    ladder = TESTS / "fixtures" / "ladders" / "monzo-data.md"
    code, _, err = run("init", "mine", "--rubric", str(ladder), "--target", "5", "--current", "4",
                       cwd=tmp_path)
    assert code == 0, err
    root = tmp_path / "mine"
    line = next(number for number, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1)
                if text.strip().startswith("target_level:"))
    code, out, err = run("check", cwd=root)
    assert code == 0, err
    assert (f"mkdocs.yml:{line}: tip: target_level: the rubric expects nothing at '5' in any dimension\n"
            "  hint: the rubric's behaviours are at the levels 3, 4: aim at one of those, or add what "
            "'5' expects to the rubric\n") in out + err
    assert " 0 errors, " in err
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("target_level: '5'", "target_level: '4'")
                      .replace("current_level: '4'", "current_level: '3'"))
    code, out, err = run("check", cwd=root)
    assert code == 0, err
    assert "expects nothing" not in out + err
