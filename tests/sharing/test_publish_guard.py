"""What is published is what this build made for this audience: the folder is checked, file by
file, before anything is pushed; a symbolic link in the docs folder never reaches a password build."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import MKDOCS, PASSWORD, build_site, make_packet, protected
from promo_packet.errors import RefusedError
from promo_packet.sharing.publish import MARKER, SiteMarker, deploy_refusal, guard_deploy, site_files

OUTSIDE = "CANARY-OUTSIDE-THE-PROJECT-lk3"


@pytest.mark.parametrize("name", ["notes.txt", "page.md", "linked/inside.txt"])
def test_a_symbolic_link_in_the_docs_folder_is_refused_in_a_password_build(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = protected(make_packet(tmp_path))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text(OUTSIDE)
    (outside / "page.md").write_text(f"# {OUTSIDE}\n")
    (outside / "inside.txt").write_text(OUTSIDE)
    if name.startswith("linked/"):
        (root / "docs" / "linked").symlink_to(outside, target_is_directory=True)
    else:
        (root / "docs" / name).symlink_to(outside / name)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    assert f"docs/{name}: error: is a symbolic link" in caplog.text
    assert not (tmp_path / "site").exists()


def test_a_symbolic_link_inside_the_docs_folder_is_fine_without_a_password(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("shared on purpose")
    (root / "docs" / "notes.txt").symlink_to(outside)
    site = build_site(root, tmp_path / "site")
    assert (site / "notes.txt").read_text() == "shared on purpose"
    assert os.path.isfile(site / "index.html")


def run_mkdocs(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PROMO_PDF": "0", **env}
    for name in ("PROMO_PUBLISH_SELF", "PROMO_PASSWORD", "PROMO_AUDIENCE"):
        if name not in env:
            environ.pop(name, None)
    return subprocess.run([MKDOCS, *args], cwd=root, env=environ, capture_output=True, text=True,
                          check=False, timeout=300)


@pytest.mark.parametrize(("first", "then", "held"), [
    ({"PROMO_AUDIENCE": "self"}, {"PROMO_AUDIENCE": "sponsor"}, "a self build without a password"),
    ({"PROMO_AUDIENCE": "sponsor"}, {"PROMO_AUDIENCE": "sponsor", "PROMO_PASSWORD": PASSWORD},
     "a sponsor build without a password"),
])
def test_a_dirty_build_over_another_kind_of_build_is_refused(first: dict[str, str], then: dict[str, str],
                                                             held: str, tmp_path: Path) -> None:
    root = protected(make_packet(tmp_path)) if "PROMO_PASSWORD" in then else make_packet(tmp_path)
    if "PROMO_PASSWORD" in then:  # the first build has no password: the variable is unset
        config = root / "mkdocs.yml"
        config.write_text(config.read_text().replace("password: !ENV PROMO_PASSWORD",
                                                     "password: !ENV [PROMO_PASSWORD, null]"))
    done = run_mkdocs(root, "build", **first)
    assert done.returncode == 0, done.stderr
    before = site_files(root / "site")
    dirty = run_mkdocs(root, "build", "--dirty", **then)
    assert dirty.returncode == 1
    assert f"refusing --dirty: site/ holds {held}" in dirty.stderr
    assert site_files(root / "site") == before
    assert run_mkdocs(root, "build", **then).returncode == 0  # a clean build replaces the folder whole


@pytest.fixture
def sponsor_site(tmp_path: Path) -> Path:
    os.environ["PROMO_AUDIENCE"] = "sponsor"
    try:
        return build_site(make_packet(tmp_path), tmp_path / "site")
    finally:
        os.environ.pop("PROMO_AUDIENCE")


SPONSOR = SiteMarker("sponsor", False)


def test_the_marker_vouches_for_every_file_the_build_wrote(sponsor_site: Path) -> None:
    assert deploy_refusal(sponsor_site, SPONSOR, dirty=True) is None
    listed = json.loads((sponsor_site / MARKER).read_text())["files"]
    assert set(listed) == {p.relative_to(sponsor_site).as_posix() for p in sponsor_site.rglob("*")
                           if p.is_file() and p.name != MARKER}


@pytest.mark.parametrize("spoil", ["added", "changed", "link", "linked folder"])
def test_the_deploy_guard_refuses_a_file_no_build_vouches_for(spoil: str, sponsor_site: Path,
                                                              tmp_path: Path) -> None:
    private = tmp_path / "private.html"
    private.write_text("CANARY-PRIVATE-BODY-xq7")
    if spoil == "added":
        (sponsor_site / "evidence" / "old-self-page.html").write_text("CANARY-PRIVATE-BODY-xq7")
    elif spoil == "changed":
        (sponsor_site / "index.html").write_text("CANARY-PRIVATE-BODY-xq7")
    elif spoil == "link":
        (sponsor_site / "notes.html").symlink_to(private)
    else:
        (sponsor_site / "shared").symlink_to(tmp_path, target_is_directory=True)
    refusal = deploy_refusal(sponsor_site, SPONSOR, dirty=True)
    assert refusal is not None and "1 file no build of it vouches for" in refusal, refusal
    with pytest.raises(RefusedError):
        guard_deploy(sponsor_site, SPONSOR, dirty=True)


def test_a_dirty_build_keeps_an_unvouched_file_unvouched(sponsor_site: Path, tmp_path: Path) -> None:
    (sponsor_site / "extra.html").write_text("dropped in by hand")
    root = tmp_path / "packet"
    done = run_mkdocs(root, "build", "--dirty", "-d", str(sponsor_site), PROMO_AUDIENCE="sponsor")
    assert done.returncode == 0, done.stderr
    assert (sponsor_site / "extra.html").read_text() == "dropped in by hand"
    refusal = deploy_refusal(sponsor_site, SPONSOR, dirty=True)
    assert refusal is not None and "(extra.html)" in refusal
    deploy = run_mkdocs(root, "gh-deploy", "--dirty", "-d", str(sponsor_site), PROMO_AUDIENCE="sponsor")
    assert deploy.returncode == 1 and "extra.html" in deploy.stderr
