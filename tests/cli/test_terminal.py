"""What was read never drives the terminal: every line printed is shown, not acted on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import TESTS, build_site, commit_all, packet_with
from promo_packet.errors import Problem, terminal_text

CONTROLS = ["\x1b", "\x9b", "\x07", "\x0d", "\u202e", "\u2066", "\x85"]
"""ESC, CSI as one C1 character, BEL, carriage return, right-to-left override and isolate, NEL."""
OUR_STYLES = ("\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m")
"""What the command line colours its labels with: the only sequences it may print."""
HOSTILE = "\\e]0;owned\\a\\e[2J\\x9b31m\\u202eevil\\u2066\\r\\N"
"""The same, as a YAML double-quoted string writes them."""
ENTRY = f"""---
title: "Tamed the pager {HOSTILE}"
date: 2026-05-10
dimensions: [mentorship]
level: senior
outcome: "Pages halved {HOSTILE}"
---
Body.
"""
DRAFT = f"""---
title: "Draft {HOSTILE}"
date: 2026-05-11
dimensions: []
draft: true
---
Body.
"""
TICKETS = ("Summary,Issue key,Issue id,Issue Type,Status,Resolution,Resolved,Description\n"
           "Fix \x1b]8;;https://evil.example\x07the link\x1b]8;;\x07 \u202eeht,OPS-1,1,Task,Done,Done,"
           "2026-05-04 08:30,\x9b2J\n")


def invoke(*args: str, cwd: Path) -> str:
    """``promo ARGS`` as a terminal would receive it: click strips nothing when colour is on."""
    from click.testing import CliRunner

    from promo_packet.cli import main

    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), color=True)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    output = result.stdout + result.stderr
    for ours in OUR_STYLES:
        output = output.replace(ours, "")
    return output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = packet_with(tmp_path_factory.mktemp("terminal"), {
        "evidence/2026-05-10-pager.md": ENTRY.replace(HOSTILE, "calm"),
        "evidence/drafts/2026-05-11-draft.md": DRAFT, "tickets.csv": TICKETS})
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    commit_all(root)
    (root / "evidence/2026-05-10-pager.md").write_text(ENTRY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def broken(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("broken") / "packet"
    shutil.copytree(hostile, root)
    (root / "evidence/2026-05-12-broken.md").write_text(
        f"---\ntitle: Broken\ndate: \"soon {HOSTILE}\"\n---\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [
    ["check"], ["review", "--month", "2026-05"], ["gaps"],
    ["brief", "--audience", "self", "--since", "2026-01-01"],
    ["diff", "HEAD"], ["drafts"], ["import", "csv", "tickets.csv", "--preset", "jira"],
])
def test_no_control_character_read_reaches_the_terminal(hostile: Path, command: list[str]) -> None:
    output = invoke(*command, cwd=hostile)
    assert output.strip()
    found = [repr(c) for c in CONTROLS if c in output]
    assert not found, (found, output)


def test_a_packet_with_an_error_prints_it_shown_not_acted_on(broken: Path) -> None:
    output = invoke("review", cwd=broken)
    assert "evidence/2026-05-12-broken.md:3: error: date:" in output
    assert "\\x1b]0;owned\\x07" in output and "\x1b" not in output


def test_the_build_log_is_made_safe_too(broken: Path, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        build_site(broken, tmp_path / "site")
    assert "broken.md:3" in caplog.text
    assert not [c for c in CONTROLS if c in caplog.text]


def test_terminal_text_shows_each_control_and_keeps_layout() -> None:
    assert terminal_text("a\x1b[31mb\u202ec\x9bd\te\nf\rg") == "a\\x1b[31mb\\u202ec\\x9bd\te\nf\\x0dg"
    problem = Problem("ev\x1b.md", 3, "bad \x07", field="t\u202e", hint="h\x9b")
    assert problem.show() == "ev\\x1b.md:3: error: t\\u202e: bad \\x07\n  hint: h\\x9b"
