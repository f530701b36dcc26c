"""Putting a built site in place whole, and what it is built for.

A build writes into a staging folder beside the site folder and the finished
site replaces the old one in one rename: an error or Ctrl-C halfway (after the
PDF renders, before the search index is sealed) leaves the previous site as it
was, never a half-built or half-sealed one. The staging folder is removed on
failure, and any left by a killed build is removed by the next one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def _prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.building-"


def stage(site_dir: Path, *, dirty: bool = False) -> Path:
    """A new folder beside ``site_dir`` to build into; for a dirty build, a copy of the site."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in site_dir.parent.glob(_prefix(site_dir) + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=_prefix(site_dir), dir=site_dir.parent))
    if dirty and site_dir.is_dir():
        # copy2 keeps modification times: a dirty build compares them to skip unchanged pages.
        shutil.copytree(site_dir, staging, dirs_exist_ok=True)
    return staging


def put_in_place(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``staging``.

    Hidden entries of the old site (a ``.git`` folder) are carried over: MkDocs' own
    cleaning keeps them too.
    """
    if not site_dir.is_dir():
        staging.rename(site_dir)
        return
    for entry in site_dir.iterdir():
        if entry.name.startswith(".") and not (staging / entry.name).exists():
            entry.rename(staging / entry.name)
    old = Path(tempfile.mkdtemp(prefix=_prefix(site_dir), dir=site_dir.parent))
    site_dir.rename(old / site_dir.name)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)
