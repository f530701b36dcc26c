"""A packet that works opened from disk (``file://``), and the zip that carries it.

A browser opening ``site/index.html`` from disk finds no server: a link to ``gaps/`` shows a
folder listing instead of ``gaps/index.html``, ``fetch`` cannot read the search index, and no
Web Worker may start, so search is gone. An offline build fixes all three as Material's own
offline plugin does, without its one download (the iframe-worker shim, from unpkg.com):

- page URLs end in ``.html`` (MkDocs' ``use_directory_urls: false``);
- the search index is also written as a script, ``search/search_index.js``, which the theme
  loads instead of fetching the JSON when the page is a ``file:`` URL;
- the theme's search worker runs in a hidden frame (:data:`WORKER_SHIM`, from the packet's
  own files), so the page policy's ``script-src 'self'`` allows it and nothing is fetched.

A password build cannot work from disk: its pages open the sealed search index and PDF with
``fetch``, which ``file:`` forbids. The two are refused together, with a message saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from ..errors import OfflineError
from ..options import OFFLINE_VARIABLE
from .names import PLAIN_NAME_RULE, is_plain_name
from .protect import SEARCH_INDEX

WORKER_SHIM = "assets/promo-packet-offline.js"
SEARCH_SCRIPT = Path(SEARCH_INDEX).with_suffix(".js")


def configure_for_disk(config: Any) -> None:
    """Set a site generator's config (MkDocs' keys) for a site opened from disk."""
    # Opened from disk, a link to a folder shows a listing, not its index.html.
    config["use_directory_urls"] = False
    config["extra"]["polyfills"] = [*config["extra"].get("polyfills", []), WORKER_SHIM]
    # Nothing loads from elsewhere: the web fonts would tell their host who opened it, and when.
    config["theme"]["font"] = False
    # Instant navigation fetches each page, which a file: page may not.
    features = config["theme"].get("features") or []
    config["theme"]["features"] = [f for f in features if not str(f).startswith("navigation.instant")]


def inline_search_index(site_dir: Path) -> bool:
    """Write the search index as a script the theme loads from disk; False if there is no index."""
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return False
    (site_dir / SEARCH_SCRIPT).write_text(f"var __index = {index.read_text('utf-8')}", encoding="utf-8")
    return True


def zip_folder(site_dir: Path, target: Path, top: str) -> int:
    """Zip every file of ``site_dir`` under the folder ``top``; returns how many files it holds."""
    if not is_plain_name(top):
        raise OfflineError(f"{top!r} is not a plain file name for the zip's folder: {PLAIN_NAME_RULE}")
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: an interrupted run never leaves half a zip under the name.
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, f"{top}/{path.relative_to(site_dir).as_posix()}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return len(files)


def build_offline_zip(config_file: Path, target: Path) -> int:
    """Build the packet of ``config_file`` for opening from disk and zip it into ``target``.

    MkDocs runs in a process of its own (the core never imports it); its output goes to the
    caller's terminal. The zip holds one folder, named after ``target``, with ``index.html``.
    """
    if not is_plain_name(target.name):
        raise OfflineError(f"{target.name!r} is not a plain file name for the zip: {PLAIN_NAME_RULE}")
    with tempfile.TemporaryDirectory(prefix="promo-zip-") as scratch:
        site = Path(scratch) / "site"
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file),
                   "--site-dir", str(site)]
        done = subprocess.run(command, env={**os.environ, OFFLINE_VARIABLE: "1"}, check=False)
        if done.returncode != 0 or not (site / "index.html").is_file():
            raise OfflineError("mkdocs build failed (its messages are above)", nothing_written=True)
        return zip_folder(site, target, target.stem)
