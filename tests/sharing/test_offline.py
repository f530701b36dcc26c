"""A packet built to be opened from disk, and `promo zip`, which sends it as a zip.

The browser half (links, search and the page policy under ``file://``) is in tests/sharing/test_browser.py.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PASSWORD, build_site, make_packet, set_options
from promo_packet.cli import main
from promo_packet.errors import OfflineError
from promo_packet.sharing.offline import zip_folder


def test_an_offline_build_links_files_and_inlines_the_search_index(tmp_path: Path,
                                                                   fixture_site: Callable[..., Path]) -> None:
    root = set_options(make_packet(tmp_path / "offline"), "offline: true")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  name: material\n", "  name: material\n  features: [navigation.instant, navigation.top]\n"))
    site = build_site(root, tmp_path / "site")
    assert (site / "gaps.html").is_file() and not (site / "gaps").exists()
    home = (site / "index.html").read_text()
    assert 'href="gaps.html"' in home and 'href="dimensions/scope.html"' in home
    assert 'href="evidence/2026-01-10-batch-speedup.html"' in home
    # The search index, also as a script the theme loads from disk instead of fetching it.
    script = (site / "search" / "search_index.js").read_text()
    assert script.startswith("var __index = ")
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert json.loads(script.removeprefix("var __index = ")) == index
    assert any(doc["location"].startswith("evidence/2026-01-10-batch-speedup.html") for doc in index["docs"])
    # The worker shim comes from the packet itself, and nothing from the network.
    assert '<script src="assets/promo-packet-offline.js"></script>' in home
    assert (site / "assets" / "promo-packet-offline.js").is_file()
    assert "fonts.googleapis.com" not in home and "unpkg.com" not in home
    # Instant navigation would fetch each page; the other features stay.
    assert '"navigation.top"' in home and "navigation.instant" not in home
    # The usual build is left as it was.
    usual = fixture_site()
    assert (usual / "gaps" / "index.html").is_file()
    assert not (usual / "search" / "search_index.js").exists()
    assert not (usual / "assets" / "promo-packet-offline.js").exists()
    assert "promo-packet-offline.js" not in (usual / "index.html").read_text()


def test_offline_and_a_password_are_refused_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from promo_packet.hosts.project import read_config

    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = set_options(make_packet(tmp_path), "offline: true", "password: !ENV PROMO_PASSWORD")
    _, problems = read_config(root / "mkdocs.yml")
    assert [p.field for p in problems] == ["promo-packet.offline"]
    assert "cannot be opened from disk" in str(problems[0]) and "unset PROMO_PASSWORD" in str(problems[0])


def zip_packet(root: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["zip", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def test_promo_zip_writes_a_packet_to_open_from_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_PDF", "0")
    root = make_packet(tmp_path)
    code, output = zip_packet(root, "-o", str(tmp_path / "out" / "sam.zip"))
    assert code == 0, output
    assert "open sam/index.html" in output
    with zipfile.ZipFile(tmp_path / "out" / "sam.zip") as archive:
        names = set(archive.namelist())
        assert {"sam/index.html", "sam/gaps.html", "sam/search/search_index.js",
                "sam/assets/promo-packet-offline.js"} <= names
        assert all(name.startswith("sam/") for name in names)
        assert "CANARY-PRIVATE" not in archive.read("sam/search/search_index.js").decode()
    # The packet's own site folder and mkdocs.yml are untouched.
    assert not (root / "site").exists()
    assert "offline" not in (root / "mkdocs.yml").read_text()


def test_promo_zip_refuses_a_password_and_a_self_build(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = set_options(make_packet(tmp_path), "password: !ENV PROMO_PASSWORD")
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    code, output = zip_packet(root)
    assert code == 1 and "cannot be opened from disk" in output and "unset PROMO_PASSWORD" in output
    monkeypatch.delenv("PROMO_PASSWORD")
    monkeypatch.setenv("PROMO_AUDIENCE", "self")
    code, output = zip_packet(root)
    assert code == 1 and "private entries" in output and "PROMO_PUBLISH_SELF=1" in output
    assert not list(root.glob("*.zip")) and not (root / "site").exists()


@pytest.mark.parametrize("name", ["...zip", "..zip", ".zip", ".hidden.zip", "z" * 97 + ".zip",
                                  "z" * 300 + ".zip"])
def test_promo_zip_refuses_a_name_that_is_not_plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    name: str) -> None:
    monkeypatch.setenv("PROMO_PDF", "0")
    root = make_packet(tmp_path)
    out = tmp_path / "out"
    code, output = zip_packet(root, "-o", str(out / name))
    assert code == 1, output
    assert "not a plain file name" in output and "at most 100 characters" in output
    assert "Traceback" not in output and not out.exists()


@pytest.mark.parametrize("name", ["...pdf", "..pdf"])
def test_promo_zip_named_after_a_pdf_name_that_is_not_plain_is_refused(tmp_path: Path, name: str) -> None:
    root = set_options(make_packet(tmp_path), f"pdf_name: '{name}'")
    code, output = zip_packet(root)
    assert code == 1 and "promo-packet.pdf_name: expected a plain file name" in output
    assert not list(tmp_path.rglob("*.zip"))


def test_a_zip_holds_its_files_under_a_plain_folder_only(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>packet</p>")
    for top in ("..", ".", "", "a/b", "x" * 101):
        with pytest.raises(OfflineError):
            zip_folder(site, tmp_path / "out.zip", top)
    assert not (tmp_path / "out.zip").exists()
    assert zip_folder(site, tmp_path / "out.zip", "sam") == 1
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert archive.namelist() == ["sam/index.html"]
