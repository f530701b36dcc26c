"""Files a person names (an argument, an option) are read under the walk's rules: a named pipe
is refused with its place, never opened, so no command hangs on one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_packet

PROMO = str(Path(sys.executable).with_name("promo"))


def promo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A read that opened the pipe would block until the timeout: the test fails instead of hanging.
    return subprocess.run([PROMO, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("args", "pipe"), [
    (("check", "-f", "pipe.yml"), "pipe.yml"),
    (("accept", "evidence/pipe.md"), "evidence/pipe.md"),
    (("signers", "add", "Ada Quote", "--key", "pipe.pub"), "pipe.pub"),
    (("signers", "add", "Ada Quote", "--key", "ada.pub"), "allowed_signers"),
    (("binder", "pipe-binder.yml", "-o", "out"), "pipe-binder.yml"),
    (("import", "csv", "pipe.csv", "--preset", "jira"), "pipe.csv"),
])
def test_a_named_pipe_is_refused_with_its_place(tmp_path: Path, args: tuple[str, ...], pipe: str) -> None:
    root = make_packet(tmp_path)
    os.mkfifo(root / pipe)
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
    (root / "ada.pub").write_text(key)
    done = promo(*args, cwd=root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{pipe}: error: " in done.stderr and "named pipe" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
