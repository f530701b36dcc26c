"""The theme's files, listed once per test process (tests/theme_listing.py), are the files MkDocs
itself finds: a file added to a ``custom_dir`` between two builds is in the second site."""

from __future__ import annotations

from pathlib import Path

from conftest import build_site, make_packet


def assets(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / "assets").rglob("*") if p.is_file()}


def test_a_file_added_to_the_custom_dir_is_in_the_next_build(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n",
                                                 "  name: material\n  custom_dir: overrides\n"))
    (root / "overrides" / "assets").mkdir(parents=True)
    (root / "overrides" / "assets" / "first.css").write_text("p { color: red }")
    first = build_site(root, tmp_path / "first")
    (root / "overrides" / "assets" / "second.css").write_text("p { color: blue }")
    second = build_site(root, tmp_path / "second")
    assert (first / "assets" / "first.css").is_file() and not (first / "assets" / "second.css").exists()
    assert (second / "assets" / "second.css").read_text() == "p { color: blue }"
    assert assets(second) == assets(first) | {"assets/second.css"}


def test_a_docs_file_still_overrides_the_theme_s(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    build_site(root, tmp_path / "warm")  # the listing is kept from here on
    (root / "docs" / "assets" / "images").mkdir(parents=True)
    (root / "docs" / "assets" / "images" / "favicon.png").write_bytes(b"mine")
    site = build_site(root, tmp_path / "site")
    assert (site / "assets" / "images" / "favicon.png").read_bytes() == b"mine"
