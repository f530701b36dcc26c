"""An incremental rebuild keeps what MkDocs would work out again from an unchanged theme."""

from __future__ import annotations

from pathlib import Path

import mkdocs.utils
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files, get_files

from conftest import make_packet
from promo_packet.hosts.preview import SteadyTheme


def _files(config_file: Path, site: Path) -> list[tuple[str, str | None, str]]:
    config = load_config(config_file=str(config_file), site_dir=str(site))
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted((f.src_uri, f.abs_src_path, f.dest_uri) for f in files)


def test_the_theme_s_files_and_the_installed_themes_are_found_once_and_as_mkdocs_finds_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_packet(tmp_path)
    favicon = root / "docs" / "assets" / "images" / "favicon.png"  # a docs file a theme file gives way to
    favicon.parent.mkdir(parents=True, exist_ok=True)
    favicon.write_bytes(b"\x89PNG")
    config_file = root / "mkdocs.yml"
    mkdocs_s_own = _files(config_file, tmp_path / "site")

    read = []
    get_themes = mkdocs.utils.get_themes

    def counted() -> object:
        read.append(1)
        return get_themes()

    counted.cache_clear = get_themes.cache_clear  # type: ignore[attr-defined]
    monkeypatch.setattr(mkdocs.utils, "get_themes", counted)
    mkdocs_s_method = Files.add_files_from_theme
    steady = SteadyTheme()
    kept = []
    for _ in range(3):
        with steady.kept():
            kept.append(_files(config_file, tmp_path / "site"))
    assert kept == [mkdocs_s_own] * 3
    assert next(f for f in mkdocs_s_own if f[0] == "assets/images/favicon.png")[1] == str(favicon)
    assert len(read) == 1, "the installed themes were read again"
    assert mkdocs.utils.get_themes is counted  # as it was before, and the method back in place
    assert Files.add_files_from_theme is mkdocs_s_method
