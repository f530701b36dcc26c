"""A password is read as the characters given, by every command, and never printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MKDOCS, make_packet, protected, run

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


@pytest.mark.parametrize("password", [PASSWORDS[0], PASSWORDS[5]])
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
