"""One way to report an error: every kind of bad input, through the real ``promo`` command.

Each problem is one line ``path:line: error: field: message`` with its hint on the next; the
command says once that nothing was written where that is so, and exits 1 (2 for a usage
mistake, as click has it), never with a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, make_packet, set_options, user_files
from promo_packet.errors import (
    UNLOCATED,
    InputError,
    PlanEditError,
    Problem,
    PromoPacketError,
    RefusedError,
    RenderError,
    RequestError,
    Severity,
)
from promo_packet.options import DEFAULTS

NOTHING_WRITTEN = "promo: nothing was written\n"


def promo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``promo`` command as a person runs it: a process of its own, in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "promo_packet", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def problems_of(stderr: str) -> list[str]:
    """The lines of stderr that show problems, without ``promo check``'s closing count."""
    return [line for line in stderr.splitlines() if not line.startswith("promo check:")]


def test_an_evidence_file(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "2026-02-04-late.md").write_text(
        "---\ntitle: Late\ndate: last spring\ndimensions: [scope]\noutcome: It shipped.\n---\n")
    done = promo("check", "--today", "2026-06-30", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert problems_of(done.stderr) == [
        "evidence/2026-02-04-late.md:3: error: date: expected YYYY-MM-DD, got 'last spring'",
        "  hint: e.g. 2026-03-14"]


def test_a_rubric(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    ladder = root / "rubric" / "ladder.yml"
    ladder.write_text(ladder.read_text().replace("  - id: influence\n", "  - id: scope\n"))
    done = promo("check", "--today", "2026-06-30", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (first, *rest) = problems_of(done.stderr)
    duplicate = "rubric/ladder.yml:18: error: dimensions[1].id: duplicate id 'scope'"
    assert first.startswith(duplicate), done.stderr
    assert all(line.startswith(("rubric/ladder.yml:", "  hint: ", "evidence/")) for line in rest), done.stderr


def test_options_in_mkdocs_yml_point_at_their_line(tmp_path: Path) -> None:
    root = set_options(make_packet(tmp_path), "stale_weeks: many", "colour: blue")
    lines = (root / "mkdocs.yml").read_text().splitlines()
    done = promo("check", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert problems_of(done.stderr) == [
        f"mkdocs.yml:{lines.index('      stale_weeks: many') + 1}: error: promo-packet.stale_weeks: "
        "expected a whole number of weeks, got 'many'",
        f"mkdocs.yml:{lines.index('      colour: blue') + 1}: error: promo-packet.colour: unknown option",
        f"  hint: the options are {', '.join(DEFAULTS)}"]


def test_a_csv_to_import_names_the_line_of_each_bad_row(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    # The first row's description holds a line break: the undated row starts on line 4.
    (root / "jira.csv").write_text("Summary,Issue key,Resolution,Resolved,Description\n"
                                   "Fine,K-1,Done,2026-05-01,\"Two\nlines\"\n"
                                   "Undated,K-2,Done,,\n"
                                   "Someday,K-3,Done,last spring,\n")
    before = user_files(root)
    done = promo("import", "csv", "jira.csv", "--preset", "jira", cwd=root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (
        "jira.csv:4: error: Resolved: is empty in a done row\n"
        "jira.csv:5: error: Resolved: expected a date such as 2026-05-01, 2026-05-01 14:03, "
        "2026-05-01T14:03:00Z or 01/May/26 2:03 PM, got 'last spring'\n" + NOTHING_WRITTEN)
    assert user_files(root) == before


def test_a_ladder_to_import(tmp_path: Path) -> None:
    (tmp_path / "ladder.csv").write_text("dimension,junior,senior\nScope,Owns tasks,Owns systems\n"
                                         "Impact,Ships, on time,Ships projects\n")
    done = promo("rubric", "import", "ladder.csv", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    first, hint, last = done.stderr.splitlines()
    assert first.startswith("ladder.csv:3: error: has 4 cells but the header has 3")
    assert hint.startswith("  hint: ") and f"{last}\n" == NOTHING_WRITTEN
    assert not (tmp_path / "rubric").exists()


def test_a_request_that_cannot_be_met_is_one_located_line(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    done = promo("new", "A win", "-d", "leadership", cwd=root)
    assert (done.returncode, done.stderr) == (1, "promo: error: unknown dimension 'leadership'\n"
                                                 "  hint: the rubric has: scope, influence, mentorship\n"
                                                 + NOTHING_WRITTEN)


def test_a_missing_mkdocs_yml_is_a_located_error(tmp_path: Path) -> None:
    done = promo("gaps", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        1, "mkdocs.yml: error: not found\n  hint: run this in your packet's folder or pass --config-file\n")


@pytest.mark.parametrize("args", [["review", "--month", "March"], ["check", "--no-such-option"],
                                  ["import", "csv", "missing.csv", "--preset", "jira"],
                                  ["pdf", "--plaintext", "--encrypt"]])
def test_a_usage_mistake_exits_2_as_click_has_it(tmp_path: Path, args: list[str]) -> None:
    root = make_packet(tmp_path)
    done = promo(*args, cwd=root)
    if args[0] == "pdf":  # checked once the packet is read; without a password --encrypt is the mistake
        assert "--encrypt needs the password option" in done.stderr
    assert done.returncode == 2 and "Usage: " in done.stderr and "Traceback" not in done.stderr


def test_a_problem_shows_itself_in_one_format() -> None:
    problem = Problem("evidence/a.md", 3, "expected YYYY-MM-DD, got 'soon'", field="date",
                      hint="e.g. 2026-03-14")
    assert problem.show() == ("evidence/a.md:3: error: date: expected YYYY-MM-DD, got 'soon'\n"
                              "  hint: e.g. 2026-03-14")
    tip = Problem("evidence/a.md", None, "missing", field="outcome", severity=Severity.WARNING,
                  code="lint: x")
    assert tip.show() == "evidence/a.md: tip: outcome: missing [lint: x]"
    assert str(problem) == "evidence/a.md:3: date: expected YYYY-MM-DD, got 'soon'; e.g. 2026-03-14"


@pytest.mark.parametrize("kind", [InputError, RequestError, PlanEditError, RenderError, RefusedError])
def test_every_error_carries_located_problems(kind: type[PromoPacketError]) -> None:
    said = kind("the plan cannot be edited", hint="add it by hand")
    assert said.problems == [Problem(UNLOCATED, None, "the plan cannot be edited", hint="add it by hand")]
    located = kind([Problem("plan.yml", 7, "uses a merge key"), Problem("plan.yml", 2, "has a tag")])
    assert [p.line for p in located.problems] == [2, 7]
    assert "plan.yml:2: error: has a tag" in str(located)
    assert said.nothing_written is issubclass(kind, (RequestError, RefusedError))


def test_the_build_says_its_errors_as_the_command_does(tmp_path: Path) -> None:
    root = set_options(make_packet(tmp_path), "stale_weeks: many")
    line = (root / "mkdocs.yml").read_text().splitlines().index("      stale_weeks: many") + 1
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=root,
                           env=env, capture_output=True, text=True, check=False)
    shown = (f"mkdocs.yml:{line}: error: promo-packet.stale_weeks: expected a whole number of weeks, "
             "got 'many'")
    assert built.returncode == 1 and f"  {shown}\n" in built.stderr
    assert shown in promo("check", cwd=root).stderr
