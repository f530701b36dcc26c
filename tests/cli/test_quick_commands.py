"""The commands run after every edit load only what they use.

``promo`` imports a command's module when that command runs, so ``promo --help``, ``promo
check`` and ``promo new`` never pay for MkDocs, the renderer, the PDF or the importers. Each
case runs the real command in a fresh interpreter and reads which modules it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import REPO, make_packet
from promo_packet.cli import COMMANDS, main

ENGINE = {"mkdocs", "material", "markdown", "pymdownx", "weasyprint", "pydyf", "PIL", "ruamel"}
"""What no quick command needs: the site and PDF engines, Markdown, and the YAML editor."""


def loaded_by(args: list[str], cwd: Path) -> tuple[set[str], int]:
    """The modules a fresh ``promo ARGS`` loaded (top-level libraries, and promo_packet's own in
    full), and its exit code."""
    code = ("import json, sys\nfrom promo_packet.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit as exc:\n    status = exc.code or 0\n"
            "print(json.dumps([status, sorted(sys.modules)]), file=sys.stderr)")
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True)
    status, modules = json.loads(done.stderr.splitlines()[-1])
    return {m if m.startswith("promo_packet") else m.split(".")[0] for m in modules}, status


def command_modules(loaded: set[str]) -> set[str]:
    return {m.removeprefix("promo_packet.cli.") for m in loaded if m.startswith("promo_packet.cli.")}


def test_help_lists_every_command_and_imports_none(tmp_path: Path) -> None:
    loaded, status = loaded_by(["--help"], tmp_path)
    assert status == 0
    assert command_modules(loaded) == {"group"}
    assert loaded & (ENGINE | {"jinja2", "cryptography", "yaml"}) == set()


def test_help_shows_each_command_with_its_short_help() -> None:
    shown = main.get_help(click.Context(main, info_name="promo", terminal_width=200, max_content_width=200))
    listing = shown.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listing] == sorted(COMMANDS)
    for line in listing:
        name, short_help = line.split(maxsplit=1)
        assert short_help == COMMANDS[name].short_help


def test_every_listed_command_is_the_command_of_that_name() -> None:
    ctx = click.Context(main, info_name="promo")
    for name, listed in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        # What `promo --help` lists is what a reader of the loaded command sees (mkdocs-click).
        assert command.short_help == listed.short_help


def test_check_loads_no_engine_and_no_template(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    # Markdown is asked only whether a private note's text stays in the note.
    for file in (root / "evidence").rglob("*.md"):
        if "!!! private" in file.read_text("utf-8"):
            file.unlink()
    loaded, status = loaded_by(["check", "--today", "2026-06-30"], root)
    assert status == 0
    assert command_modules(loaded) == {"group", "common", "check"}
    assert loaded & (ENGINE | {"jinja2"}) == set()
    assert not any(m.startswith(("promo_packet.render", "promo_packet.importers")) for m in loaded)


def test_check_loads_markdown_for_a_private_note_only(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    assert any("!!! private" in f.read_text("utf-8") for f in (root / "evidence").rglob("*.md"))
    loaded, _ = loaded_by(["check", "--today", "2026-06-30"], root)
    assert "markdown" in loaded
    assert loaded & (ENGINE - {"markdown", "pymdownx"} | {"jinja2"}) == set()


def test_new_loads_no_engine_and_no_other_command(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    loaded, status = loaded_by(["new", "Cut the build time", "--date", "2026-06-30"], root)
    assert status == 0
    assert (root / "evidence" / "2026-06-30-cut-the-build-time.md").is_file()
    assert command_modules(loaded) == {"group", "common", "new"}
    assert loaded & ENGINE == set()
    assert not any(m.startswith(("promo_packet.importers", "promo_packet.authoring.drafts")) for m in loaded)


@pytest.mark.parametrize("mistake", ["chek", "nwe"])
def test_a_mistyped_command_is_answered_with_the_close_names(mistake: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "promo_packet", mistake], cwd=tmp_path, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert f"No such command '{mistake}'" in done.stderr and "Did you mean" in done.stderr
