"""A starter repository installs promo-packet from where the running copy came from."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO
from promo_packet.authoring.scaffold import Requirement, installed_requirement, requirement_from
from promo_packet.cli import main

INSTALL_VARIABLE = "PROMO_INSTALL_TEST"
"""Set to 1 to run the test that installs a starter repository into a fresh venv (CI sets it)."""


@pytest.mark.parametrize(("direct_url", "line", "pipx", "local"), [
    # From an index: PEP 610 leaves no record.
    (None, "promo-packet==1.2.3", "promo-packet==1.2.3", False),
    ({"url": "file:///home/jo/promo-packet", "dir_info": {}},
     "promo-packet @ file:///home/jo/promo-packet", "/home/jo/promo-packet", True),
    ({"url": "file:///home/jo/my%20code", "dir_info": {"editable": True}},
     "-e file:///home/jo/my%20code", "--editable '/home/jo/my code'", True),
    ({"url": "https://github.com/jo/promo-packet.git",
      "vcs_info": {"vcs": "git", "commit_id": "0123abcd", "requested_revision": "main"}},
     "promo-packet @ git+https://github.com/jo/promo-packet.git@0123abcd",
     "git+https://github.com/jo/promo-packet.git@0123abcd", False),
    ({"url": "https://example.com/repo.git", "vcs_info": {"vcs": "git", "commit_id": "ff00"},
      "subdirectory": "tools"},
     "promo-packet @ git+https://example.com/repo.git@ff00#subdirectory=tools",
     "'git+https://example.com/repo.git@ff00#subdirectory=tools'", False),
    ({"url": "https://example.com/promo_packet-1.2.3-py3-none-any.whl", "archive_info": {}},
     "promo-packet @ https://example.com/promo_packet-1.2.3-py3-none-any.whl",
     "https://example.com/promo_packet-1.2.3-py3-none-any.whl", False),
])
def test_requirement_follows_the_install_record(direct_url: dict[str, Any] | None, line: str, pipx: str,
                                                local: bool) -> None:
    requirement = requirement_from(direct_url, "1.2.3")
    assert (requirement.line, requirement.pipx, requirement.local) == (line, pipx, local)


def test_the_running_source_tree_is_what_gets_installed() -> None:
    # The tests run this repository's code, installed from it (`make install`: editable) or
    # on PYTHONPATH beside an install of another copy: either way, this folder is the source.
    requirement = installed_requirement()
    assert requirement.local and requirement.path.resolve() == REPO.resolve()
    assert requirement in (Requirement(REPO.resolve().as_uri()), Requirement(REPO.resolve().as_uri(), True))


def init(folder: Path) -> Path:
    result = CliRunner().invoke(main, ["init", str(folder), "--person", "Jo Doe"])
    assert result.exit_code == 0, result.output
    return folder


def test_init_writes_requirements_that_point_where_promo_came_from(tmp_path: Path) -> None:
    root = init(tmp_path / "mine")
    lines = [line for line in (root / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == [installed_requirement().line]
    assert lines[0].endswith(REPO.resolve().as_uri())
    assert "promo-packet==" not in (root / "requirements.txt").read_text()
    # A path on this machine says so, where the person and the workflow will see it.
    assert "cannot reach" in (root / "requirements.txt").read_text()
    workflow = (root / ".github" / "workflows" / "packet.yml").read_text()
    assert "pip install -r requirements.txt" in workflow and "grep -qE '^[^#]*file:'" in workflow
    readme = (root / "README.md").read_text()
    assert f"pipx install --include-deps {installed_requirement().pipx}\n" in readme
    assert installed_requirement().pipx.endswith(str(REPO.resolve()))
    assert "replace that line with a git URL" in readme


def test_the_workflow_refuses_a_local_path_before_installing(tmp_path: Path) -> None:
    root = init(tmp_path / "mine")
    workflow = yaml.safe_load((root / ".github" / "workflows" / "packet.yml").read_text())
    script = next(step["run"] for step in workflow["jobs"]["build"]["steps"]
                  if step.get("name", "").startswith("Install promo-packet"))
    local = subprocess.run(["bash", "-ec", script.replace("pip install", "echo pip install")],
                           cwd=root, capture_output=True, text=True, check=False)
    assert local.returncode == 1 and "::error file=requirements.txt::" in local.stdout
    (root / "requirements.txt").write_text("# from an index\npromo-packet==1.0.0\n")
    released = subprocess.run(["bash", "-ec", script.replace("pip install", "echo pip install")],
                              cwd=root, capture_output=True, text=True, check=False)
    assert released.returncode == 0 and "pip install -r requirements.txt" in released.stdout


@pytest.mark.skipif(os.environ.get(INSTALL_VARIABLE) != "1",
                    reason=f"installs from the package index into a fresh venv; set {INSTALL_VARIABLE}=1")
def test_a_starter_repo_installs_into_a_fresh_venv_and_builds(tmp_path: Path) -> None:
    root = init(tmp_path / "packet")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
                             cwd=root, env=clean, capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    build = subprocess.run([str(env_dir / "bin" / "mkdocs"), "build", "--strict"], cwd=root,
                           env={**clean, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                           check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    assert (root / "site" / "index.html").is_file() and (root / "site" / "packet.pdf").is_file()
    promo = subprocess.run([str(env_dir / "bin" / "promo"), "check"], cwd=root, env=clean,
                           capture_output=True, text=True, check=False)
    assert promo.returncode == 0, promo.stderr
