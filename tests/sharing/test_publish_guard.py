"""What is published is what this build made for this audience: the folder is checked, file by
file, before anything is pushed; a symbolic link in the docs folder never reaches a password build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import PASSWORD, build_site, make_packet, protected

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
