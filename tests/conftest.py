from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "packet"
REPO = TESTS.parent


def make_packet(dest: Path, overlay: Path | None = None) -> Path:
    """A copy of the fixture packet in ``dest``, with ``overlay``'s files laid over it."""
    root = dest / "packet"
    shutil.copytree(FIXTURE, root)
    if overlay is not None:
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    return root


def user_files(root: Path) -> dict[str, str]:
    """A digest of every file of the packet at ``root`` but the ones builds write: the site and
    the project's cache folder (``.cache/promo-packet``, rendered PDFs)."""
    from promo_packet.pdf import CACHE_DIR

    cache = root / CACHE_DIR
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and "site" not in p.relative_to(root).parts and not p.is_relative_to(cache)}


def unlabelled(output: str) -> str:
    """``promo check``'s lines without the ``error`` label, as a build reports them."""
    return output.replace(": error: ", ": ")


def set_options(root: Path, *lines: str) -> Path:
    """Add plugin option lines (``"pdf: false"``) to the packet's mkdocs.yml; returns root."""
    config = root / "mkdocs.yml"
    options = "".join(f"\n      {line}" for line in lines)
    config.write_text(config.read_text().replace("packet_size: 2", "packet_size: 2" + options))
    return root


def build_site(root: Path, site_dir: Path, *, strict: bool = False, pdf: bool = False) -> Path:
    """Build the packet at ``root`` with MkDocs, in this process, into ``site_dir``.

    The PDF stage is skipped unless ``pdf`` is true (or PROMO_PDF is already set):
    most site tests do not read it and it is the slowest stage.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = os.environ.get("PROMO_PDF")
    if saved is None and not pdf:
        os.environ["PROMO_PDF"] = "0"
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir),
                             strict=strict)
        build(config)
    finally:
        if saved is None:
            os.environ.pop("PROMO_PDF", None)
    return site_dir


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return make_packet(tmp_path)


def broken_links(site: Path) -> list[str]:
    """Every relative link or image of the site's pages that leads to no file it wrote."""
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    broken = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.select("a[href], img[src], link[href], script[src]"):
            url = urlsplit(str(tag.get("href") or tag.get("src")))
            if url.scheme or url.netloc or not url.path:
                continue
            base = site if url.path.startswith("/") else page.parent  # 404.html links from the root
            target = (base / unquote(url.path).lstrip("/")).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)}: {tag.get('href') or tag.get('src')}")
    return broken
