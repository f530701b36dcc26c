"""Golden cases: each folder under cases/ lays broken files over the fixture packet.

``expected.txt`` lists, in order, every problem ``promo check`` must print, labelled
``error`` or ``tip``, each hint on the line after its problem; the MkDocs build must abort
with the same errors, written the same way (tips are only counted there). Nothing the user
wrote changes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TESTS, build_site, make_packet, user_files
from promo_packet.cli import main

CASES = sorted(p for p in (TESTS / "cases").iterdir() if p.is_dir())
WARNING_ONLY = {"unknown-field"}
# The fixture's newest entry is 2026-06-01: judged as of this day, no "no-recent-entry" warning.
TODAY = "2026-06-30"


def expected(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def expected_errors(case: Path) -> list[str]:
    """The case's errors as a build's message lists them, indented under its first line: each
    error with its hint, tips left out."""
    problems: list[list[str]] = []
    for line in expected(case):
        if line.startswith("  hint: "):
            problems[-1].append(line)
        else:
            problems.append([line])
    return ["\n  ".join(lines) for lines in problems if ": error: " in lines[0]]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_check_reports_every_problem(case: Path, tmp_path: Path) -> None:
    root = make_packet(tmp_path, case / "files")
    result = CliRunner().invoke(main, ["check", "--today", TODAY, "-f", str(root / "mkdocs.yml")])
    problems = [line for line in result.stderr.splitlines() if not line.startswith("promo check:")]
    assert problems == expected(case)
    assert result.exit_code == (0 if case.name in WARNING_ONLY else 1)
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("case", [c for c in CASES if c.name not in WARNING_ONLY], ids=lambda p: p.name)
def test_build_aborts_listing_every_problem(case: Path, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path, case / "files")
    before = user_files(root)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    message = caplog.text
    for line in expected_errors(case):
        assert line in message
    assert user_files(root) == before, "the build changed the person's files"
    assert not (tmp_path / "site" / "index.html").exists()


def test_mkdocs_cli_exits_1_with_the_problems(tmp_path: Path) -> None:
    case = TESTS / "cases" / "many-files"
    root = make_packet(tmp_path, case / "files")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
                            cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "promo-packet found 3 problems" in result.stderr
    for line in expected_errors(case):
        assert line in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_field_is_a_tip_that_builds_strict(tmp_path: Path) -> None:
    root = make_packet(tmp_path, TESTS / "cases" / "unknown-field" / "files")
    build_site(root, tmp_path / "strict", strict=True)
    assert (tmp_path / "strict" / "index.html").exists()


def test_strict_check_fails_on_tips(tmp_path: Path) -> None:
    root = make_packet(tmp_path, TESTS / "cases" / "unknown-field" / "files")
    result = CliRunner().invoke(main, ["check", "--strict", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1


def test_clean_packet_checks_clean(packet: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--today", TODAY, "-f", str(packet / "mkdocs.yml")])
    assert result.exit_code == 0, result.stderr
    assert "0 errors, 0 tips" in result.stderr


def test_json_format_lists_problems(tmp_path: Path) -> None:
    import json

    root = make_packet(tmp_path, TESTS / "cases" / "bad-dates" / "files")
    args = ["check", "--today", TODAY, "--format", "json", "-f", str(root / "mkdocs.yml")]
    result = CliRunner().invoke(main, args)
    report = json.loads(result.stdout)
    assert report["errors"] == 2
    assert [(p["line"], p["field"]) for p in report["problems"]] == [
        (3, "date"), (8, "corroboration[0].date")]


def test_missing_config_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_settings_are_reported(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("target_level: staff", "target_level: cto"))
    result = CliRunner().invoke(main, ["check", "-f", str(config)])
    assert result.exit_code == 1
    assert ("mkdocs.yml:11: error: target_level: unknown level 'cto'\n"
            "  hint: use one of the rubric's level ids: mid, senior, staff\n") in result.stderr
