"""A password is read as the characters given, by every command, and never printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MKDOCS, commit_all, make_packet, protected, run, set_options

PROMO = str(Path(sys.executable).with_name("promo"))
YAML_SIGNIFICANT = ["*alias", "@home", "%secret", "`tick", "[open", '"quote', "{brace", "|pipe", ">fold",
                    "!tag"]
PASSWORDS = [f"{start} correct horse battery" for start in YAML_SIGNIFICANT]


@pytest.mark.parametrize("password", PASSWORDS)
def test_promo_check_reads_the_password_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 password: str) -> None:
    root = protected(make_packet(tmp_path))
    monkeypatch.setenv("PROMO_PASSWORD", password)
    code, out, err = run("check", "-f", str(root / "mkdocs.yml"))
    assert password not in out + err
    assert code == 0, out + err


@pytest.mark.parametrize("password", [PASSWORDS[0] + " " + PASSWORDS[5]])
def test_the_build_and_the_encrypted_pdf_take_the_same_password_and_print_none(tmp_path: Path,
                                                                               password: str) -> None:
    root = protected(make_packet(tmp_path))
    env = {**os.environ, "PROMO_PASSWORD": password}
    config = str(root / "mkdocs.yml")
    for command in ([MKDOCS, "build", "-f", config, "-d", str(tmp_path / "site")],
                    [PROMO, "pdf", "--encrypt", "-f", config, "-o", str(tmp_path / "a.pdf")]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
        assert password not in done.stdout + done.stderr

    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "a.pdf")
    assert reader.is_encrypted and reader.decrypt(password)
    site = tmp_path / "site"
    assert (site / "packet.pdf.sealed").is_file() and not (site / "packet.pdf").exists()


def every_command(root: Path, out: Path) -> list[list[str]]:
    """Each command that reads the options, and MkDocs' build (of the packet, and of what ``promo gen``
    wrote, for ``promo seal``): what the password must not show in."""
    config = ["-f", str(root / "mkdocs.yml")]
    return [
        [PROMO, "check", *config], [PROMO, "pdf", *config, "-o", str(out / "refused.pdf")],
        [PROMO, "pdf", "--encrypt", *config, "-o", str(out / "a.pdf")],
        [PROMO, "pdf", "--plaintext", *config, "-o", str(out / "b.pdf")],
        [PROMO, "zip", *config, "-o", str(out / "p.zip")], [PROMO, "gen", *config, str(out / "gen")],
        [PROMO, "review", *config], [PROMO, "gaps", *config], [PROMO, "brief", *config],
        [PROMO, "diff", "HEAD", *config], [PROMO, "calendar", *config, "-o", str(out / "c.ics")],
        [PROMO, "drafts", *config], [PROMO, "export", *config, str(out / "bundle.zip")],
        [MKDOCS, "build", *config, "-d", str(out / "site")],
        [MKDOCS, "build", "-f", str(out / "gen" / "mkdocs.yml"), "-d", str(out / "plain")],
        [PROMO, "seal", str(out / "plain"), *config, "-o", str(out / "sealed")],
        [PROMO, "seal", str(out / "missing"), *config],
    ]


@pytest.mark.parametrize(("password", "every"), [
    ("p@ss: w0rd # {x} [y] 'z' \"q\" & *a ! |", True), (PASSWORDS[3], False), (PASSWORDS[7], False)])
def test_no_command_prints_the_password(tmp_path: Path, password: str, every: bool) -> None:
    root = protected(make_packet(tmp_path))
    commit_all(root)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PROMO_PDF": "0", "PROMO_PASSWORD": password}
    commands = every_command(root, out)
    if not every:
        # Every command reads the password through the one option schema: the other shapes go
        # through the commands that use it (check it, encrypt with it, build and seal with it).
        commands = [c for c in commands if "missing" not in c[2]
                    and (c[1] in ("check", "gen", "build", "seal") or c[1:3] == ["pdf", "--encrypt"])]
    outputs = {}
    for command in commands:
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=root, timeout=300)
        outputs[" ".join(command)] = (done.returncode, done.stdout + done.stderr)
    leaked = [name for name, (_, text) in outputs.items() if password in text or password.split()[0] in text]
    assert not leaked, leaked
    if every:
        sealed = next(done for name, done in outputs.items() if " seal " in name and "sealed" in name)
        assert sealed[0] == 0 and "promo seal:" in sealed[1], sealed
        assert (out / "sealed" / "index.html").is_file() and (out / "site" / "index.html").is_file()
    else:
        assert len(outputs) == 6 and all(code == 0 for code, _ in outputs.values()), outputs


@pytest.mark.parametrize(("written", "secret"), [
    ("p@ss: w0rd # {x} [y]", "w0rd"), ('"p@ss\\q w0rd"', "w0rd"), ("*aliasword correct horse", "aliasword"),
    ("!!int secretword", "secretword"), ("[secretword, other]: x", "secretword"),
])
@pytest.mark.parametrize("command", [["check"], ["seal", "site"], ["pdf", "--encrypt"], ["review"]])
def test_a_password_written_in_mkdocs_yml_that_yaml_cannot_read_is_not_printed(
        tmp_path: Path, written: str, secret: str, command: list[str]) -> None:
    root = set_options(make_packet(tmp_path), f"password: {written}")
    code, out, err = run(*command, cwd=root)
    assert code == 1
    assert secret not in out + err, out + err
