"""Each test process lists an installed theme's files once, not on every build it runs.

MkDocs lists every file of the theme on each build (``Files.add_files_from_theme``): for Material,
some 14,500 files walked and matched against a dozen patterns, about 40% of a warm build of the
fixture packet. The tests build hundreds of sites in each process from the same installed theme.
The listing is kept per theme folders and static templates, with the files of every folder outside
the installed packages (a ``custom_dir``, the plugin's own) listed afresh on each build: a test that
adds a template to its ``custom_dir`` sees it. The File objects are made new for each build.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path
from typing import Any

import pytest

INSTALLED = tuple({Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")})

_LISTED: dict[tuple[object, ...], list[tuple[str, str]]] = {}


def outside_installed(folder: str) -> tuple[str, ...]:
    """The files of ``folder`` if it is not an installed package's (nothing but the build changes
    those during a run); none if it is."""
    if any(Path(folder).resolve().is_relative_to(root) for root in INSTALLED):
        return ()
    return tuple(sorted(os.path.join(dirpath, name)
                        for dirpath, _, names in os.walk(folder) for name in names))


def install() -> None:
    from mkdocs.structure.files import Files

    from promo_packet.hosts.preview import add_static_files, theme_static_files

    listed_by_mkdocs = Files.add_files_from_theme

    def add_files_from_theme(self: Files, env: Any, config: Any) -> None:
        dirs = tuple(config.theme.dirs)
        key = (dirs, tuple(config.theme.static_templates), tuple(outside_installed(d) for d in dirs))
        if key not in _LISTED:
            _LISTED[key] = theme_static_files(listed_by_mkdocs, env, config)
        add_static_files(self, _LISTED[key], config)

    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    install()
