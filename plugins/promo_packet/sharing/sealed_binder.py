"""A binder sealed under one password: its index, every person's pages, the search and the PDFs.

The binder's site is a root (the index page, built by MkDocs) and each person's committee
site under ``people/<folder>/``, as their bundle holds it. Sealing goes through the one
:class:`~promo_packet.sharing.sealer.Sealer`, as a packet's does: every page becomes a lock
page whose links, search index and PDF are its own site's (a person's page reaches their
own search index and PDF, whose addresses their theme already uses), one key for the whole
binder, so one unlock opens every page of the visit. Search indexes and each person's PDF are
sealed, sitemaps removed, and each person's marker says "sealed".

A person's entry pages are written at keyed names (:class:`KeyedEntries`), as a sealed packet's
are: a file name of the binder tells no entry's title. Their bundle was built without a password,
so the pages are moved as they are unpacked and every link to one rewritten to its new place.

What is not a page, an index, a PDF or a marker is a theme's file, kept only as seal.py
keeps one (a stylesheet or script that holds no page's text, fonts and images in the theme's
folder); anything else is refused with every reason, before anything is written.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError, Problem
from ..model.packet import keyed_slug
from .page_text import PageText
from .protect import PUBLIC_FILES, SEALED_SUFFIX, SEARCH_INDEX, SITEMAPS
from .publish import MARKER, SiteMarker, marker_bytes, read_marker
from .seal import PAGE_SUFFIXES, theme_file_refusal
from .sealer import Sealer, page_base

PEOPLE = "people/"
"""Where each person's site is, under a folder of its own."""
ENTRIES = "evidence"
"""Where a packet's site has its entry pages: ``evidence/<slug>/`` (or ``evidence/<slug>.html``)."""
_LINK = re.compile(r"""(\s(?:href|src)=")([^"]*)(")""")


@dataclass(frozen=True)
class KeyedEntries:
    """One person's entry pages at keyed names: ``evidence/<slug>/`` moves to ``evidence/<key>/``."""

    keys: Mapping[str, str]
    """Each entry's slug, and the key it is published under."""

    @classmethod
    def of(cls, paths: Iterable[str], url_key: bytes, home: str) -> KeyedEntries:
        """The keys of the entries among a person's site's ``paths``; ``home`` (their folder in the
        binder) salts each key, so two people's entries of one slug do not share a name."""
        slugs = {slug for path in paths if (slug := _entry(path)) is not None}
        return cls({slug: keyed_slug(url_key, f"{home}{slug}") for slug in sorted(slugs)})

    def path(self, path: str) -> str:
        """Where a file of the person's site (``evidence/x/index.html``) is written."""
        parts = path.split("/")
        if len(parts) < 2 or parts[0] != ENTRIES:
            return path
        name = parts[1]
        stem, suffix = (name[:-5], ".html") if len(parts) == 2 and name.endswith(".html") else (name, "")
        if stem in self.keys:
            parts[1] = self.keys[stem] + suffix
        return "/".join(parts)

    def page(self, path: str, html: str) -> str:
        """The page at ``path`` (before it moved) with its links to entries moved with them."""
        folder = posixpath.dirname(path)
        return _LINK.sub(lambda m: m.group(1) + self._link(folder, m.group(2)) + m.group(3), html)

    def search_index(self, raw: bytes) -> bytes:
        """A search index whose locations (from the site's root) lead to the entries' new places."""
        index = json.loads(raw)
        for doc in index.get("docs", []) if isinstance(index, dict) else []:
            if isinstance(doc, dict) and isinstance(doc.get("location"), str):
                doc["location"] = self._link("", doc["location"])
        return json.dumps(index, ensure_ascii=False).encode("utf-8")

    def _link(self, folder: str, link: str) -> str:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return link
        target = posixpath.normpath(posixpath.join(folder, parts.path))
        moved = self.path(target)
        if moved == target:
            return link
        relative = posixpath.relpath(moved, folder or ".")
        return urlunsplit(parts._replace(path=relative + ("/" if parts.path.endswith("/") else "")))


def _entry(path: str) -> str | None:
    """The slug of the entry a site's file is the page of, if it is one."""
    parts = path.split("/")
    if parts[0] != ENTRIES:
        return None
    if len(parts) == 3 and parts[2] == "index.html":
        return parts[1]
    if len(parts) == 2 and parts[1].endswith(".html") and parts[1] != "index.html":
        return parts[1][:-5]
    return None


def seal_binder(site: Path, pdfs: Mapping[str, str], sealer: Sealer) -> int:
    """Seal the binder's ``site`` in place; ``pdfs`` names each person's folder (``people/x/``)
    and their PDF within it. Returns how many pages were locked.

    Raises :class:`InputError` with every file that may not stay unencrypted; the site is then
    as it was (the caller writes into a staging folder and discards it).
    """
    homes: dict[str, list[str]] = {}
    for path in sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()):
        homes.setdefault(_home(path), []).append(path)
    problems: list[Problem] = []
    locked = 0
    # One person's site at a time: what is held in memory never grows with the binder.
    for home, paths in homes.items():
        plan, found = _plan(site, home, paths, pdfs.get(home), sealer)
        problems += found
        if not problems:
            locked += _apply(site, plan)
    if problems:
        raise InputError(problems, nothing_written=True)
    return locked


def _home(path: str) -> str:
    """The site a file belongs to: the binder's root (``""``) or ``people/<folder>/``."""
    parts = path.split("/")
    return f"{PEOPLE}{parts[1]}/" if len(parts) > 2 and f"{parts[0]}/" == PEOPLE else ""


def _plan(site: Path, home: str, paths: list[str], pdf: str | None, sealer: Sealer
          ) -> tuple[dict[str, bytes | None], list[Problem]]:
    """What becomes of each file of one person's site (or the root's): new bytes, or None to remove."""
    pages = {path: (site / path).read_text("utf-8") for path in paths if path.lower().endswith(PAGE_SUFFIXES)}
    text: PageText | None = None
    plan: dict[str, bytes | None] = {}
    problems = []
    for path in paths:
        own = path[len(home):]
        if path in pages:
            plan[path] = sealer.lock(pages[path], base=page_base(own, "/"), pdf=pdf).encode("utf-8")
        elif own == SEARCH_INDEX:
            plan[path] = sealer.sealed_index((site / path).read_bytes())
        elif own == pdf:
            plan[path + SEALED_SUFFIX] = sealer.seal_pdf((site / path).read_bytes())
            plan[path] = None
        elif own in SITEMAPS:
            plan[path] = None
        elif own == MARKER:
            marker = read_marker(site / home)
            plan[path] = None if marker is None else marker_bytes(SiteMarker(marker.audience, True))
        elif own not in PUBLIC_FILES:
            text = text or PageText(pages)
            reason = theme_file_refusal(site / home, own, (), text)
            if reason is not None:
                problems.append(Problem(f"{site.name}/{path}", None, reason[0], hint=reason[1]))
    return plan, problems


def _apply(site: Path, plan: Mapping[str, bytes | None]) -> int:
    for path, data in plan.items():
        if data is None:
            (site / path).unlink(missing_ok=True)
        else:
            (site / path).write_bytes(data)
    return sum(1 for path in plan if path.lower().endswith(PAGE_SUFFIXES))
