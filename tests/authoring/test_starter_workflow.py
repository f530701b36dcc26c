"""The starter's CI workflow: the password secret is passed on only when it is set."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import run

PASSWORDS = ["correct horse battery staple", "*alias @home %secret `tick` [x] \"q\" {b} | > !tag",
             "line one\nline two", " spaces around "]


def password_step(tmp_path: Path) -> str:
    assert run("init", str(tmp_path / "mine"), "--person", "Jo Doe", "--current", "senior")[0] == 0
    workflow = yaml.safe_load((tmp_path / "mine" / ".github" / "workflows" / "packet.yml").read_text())
    build = workflow["jobs"]["build"]
    assert "PROMO_PASSWORD" not in build.get("env", {})  # an unset secret would arrive as empty text
    step = next(s for s in build["steps"] if "PROMO_PASSWORD" in s.get("name", ""))
    assert step["env"] == {"SECRET": "${{ secrets.PROMO_PASSWORD }}"}
    script: str = step["run"]
    return script


def run_step(script: str, secret: str | None, github_env: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET", "PROMO_PASSWORD")}
    env["GITHUB_ENV"] = str(github_env)
    if secret is not None:
        env["SECRET"] = secret
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout + done.stderr


def github_env_values(path: Path) -> dict[str, str]:
    """The variables a GITHUB_ENV file sets, read as the runner reads it (NAME=value or
    NAME<<DELIMITER ... DELIMITER)."""
    values: dict[str, str] = {}
    lines = path.read_text().split("\n") if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end + 1
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
            i += 1
        else:
            i += 1
    return values


def test_no_secret_sets_no_password_and_says_what_that_means(tmp_path: Path) -> None:
    script = password_step(tmp_path)
    for secret in (None, ""):
        github_env = tmp_path / f"env-{secret!r}"
        log = run_step(script, secret, github_env)
        assert "PROMO_PASSWORD" not in github_env_values(github_env)
        assert "::notice::" in log and "not password-protected" in log and "never published" in log


@pytest.mark.parametrize("secret", PASSWORDS)
def test_a_secret_reaches_the_build_exactly_and_is_never_printed(tmp_path: Path, secret: str) -> None:
    github_env = tmp_path / "env"
    log = run_step(password_step(tmp_path), secret, github_env)
    assert github_env_values(github_env) == {"PROMO_PASSWORD": secret}
    assert secret not in log and "password-protected" in log


def test_the_export_job_keeps_the_committee_bundle_without_the_password(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "mine"), "--person", "Jo Doe", "--current", "senior")[0] == 0
    text = (tmp_path / "mine" / ".github" / "workflows" / "packet.yml").read_text()
    export = yaml.safe_load(text)["jobs"]["export"]
    assert export["needs"] == "build" and export["if"] == "github.ref == 'refs/heads/main'"
    # The bundle is the committee's build unsealed: the password secret never reaches this job.
    assert "secrets." not in yaml.safe_dump(export) and "PROMO_PASSWORD" not in yaml.safe_dump(export)
    runs = [step.get("run", "") for step in export["steps"]]
    assert "promo export committee-bundle.zip" in runs
    upload = next(s for s in export["steps"] if s.get("uses") == "actions/upload-artifact@v4")
    assert upload["with"]["name"] == "committee-bundle" and upload["with"]["path"] == "committee-bundle.zip"
    assert "/.promo-binder/" in (tmp_path / "mine" / ".gitignore").read_text().splitlines()
