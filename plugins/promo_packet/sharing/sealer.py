"""The one sealer: what turns a built site into a sealed one, for either caller.

A password build seals each page as MkDocs writes it and finishes the site once it is
written (hosts/build.py); ``promo seal`` seals a site another engine built (seal.py). Both
go through :class:`Sealer`, so a packet opens the same whichever engine built it: the same
settings read from mkdocs.yml (:func:`seal_settings`), the same key and salt, each page
kept out of search engines and locked under its policy, the same sealed search index and
PDF (and the PDF for email), the same files refused and removed.

Entry URLs are keyed before any page is written (``packet.view_for`` under the sealer's
``url_key``): the password build and ``promo gen`` both write entries at their keyed URLs,
so a finished page is never rewritten to move them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import Problem
from ..model.evidence import MARKDOWN_SUFFIXES, slug_for
from ..model.settings import Options
from ..options import DEFAULTS
from .policy import origin, page_roots, with_policy
from .protect import (
    PUBLIC_FILES,
    SEALED_SUFFIX,
    SEARCH_INDEX,
    SITEMAPS,
    LockedKind,
    Protector,
    email_pdf_name,
    encrypt_pdf,
    site_root,
    site_salt,
)

ZENSICAL_SEARCH_INDEX = "search.json"
SEARCH_INDEXES = (SEARCH_INDEX, ZENSICAL_SEARCH_INDEX)
STATIC_PAGES = ("404.html",)
"""Pages a server shows at any address: their links start from the site's root."""
NOINDEX = '<meta name="robots" content="noindex, nofollow">'
DOCS_COPY = "is copied from the docs folder as it is, and a sealed site would publish it unencrypted"
DOCS_COPY_HINT = ("remove it from the docs folder (a stylesheet or script can go in the theme's "
                  "custom_dir), or publish without a password")
_POLICY = re.compile(r"""<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy""", re.IGNORECASE)


@dataclass(frozen=True)
class SealSettings:
    """What sealing needs from the packet's mkdocs.yml."""

    password: str
    site_name: str
    site_url: str = ""
    """As MkDocs reads it: with a trailing slash, or empty."""
    pdf_name: str = str(DEFAULTS["pdf_name"])
    pdf_email: bool = False
    script_origins: tuple[str, ...] = ()
    """Where ``extra_javascript`` loads scripts from, which the pages' policy allows."""
    allowed_scripts: tuple[str, ...] = ()
    """The inline scripts of the person's own docs pages the pages' policy allows (``sha256-...``)."""
    scope: str | None = None
    """The theme's ``extra.scope``, which its inline scripts hold in place of the site's root."""
    docs_dir: Path | None = None
    sources: tuple[Path, ...] = ()
    """The packet's own folders (its root, docs, evidence): never a site to seal."""
    audience: str = str(DEFAULTS["audience"])
    kind: LockedKind = "packet"
    """What the lock pages say they hold (``packet`` or ``binder``): they name nothing else."""
    slugs: tuple[str, ...] = ()
    """The entries' slugs before keying (:func:`entry_slugs`): a file of a built site named after
    one is derived from its page."""

    @property
    def salt(self) -> bytes:
        return site_salt(self.site_url or self.site_name)

    @property
    def root(self) -> str:
        """The site's root as a path (``/`` or ``/packet/``): where a static page's links start."""
        return site_root(self.site_url)


def seal_settings(options: Options, config: Mapping[str, Any]) -> SealSettings:
    """The settings of a packet whose ``options`` have a password, and whose generator's ``config``
    (MkDocs' own, or mkdocs.yml as read) gives the site's name, address and scripts."""
    assert options.password
    site_name, site_url = config.get("site_name"), config.get("site_url")
    sources = options.sources
    return SealSettings(
        password=options.password,
        site_name=site_name if isinstance(site_name, str) else "",
        site_url=directory_url(site_url) if isinstance(site_url, str) else "",
        pdf_name=options.pdf.name,
        pdf_email=options.pdf.email,
        script_origins=script_origins(config.get("extra_javascript") or []),
        allowed_scripts=options.allowed_scripts,
        scope=theme_scope(config),
        docs_dir=sources.docs_dir,
        sources=tuple(p for p in (sources.root, sources.docs_dir, sources.evidence_dir) if p is not None),
        audience=options.packet.audience.value,
    )


def entry_slugs(evidence_dir: Path) -> tuple[str, ...]:
    """The slug of each evidence file, as its URL would show it unkeyed."""
    if not evidence_dir.is_dir():
        return ()
    files = (p for p in evidence_dir.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES)
    return tuple(sorted({slug_for(p) for p in files}))


def script_origins(scripts: Iterable[object]) -> tuple[str, ...]:
    """The origins ``extra_javascript`` loads scripts from, which a page's policy allows."""
    # A script is a path, or (the mapping form) a path with attributes such as `type: module`.
    paths = [str(s.get("path", "")) if isinstance(s, Mapping) else str(s) for s in scripts]
    return tuple(found for path in paths if (found := origin(path)) is not None)


def theme_scope(config: Mapping[str, Any]) -> str | None:
    """The theme's ``extra.scope`` (where it keeps a reader's settings), if one is set."""
    extra = config.get("extra")
    scope = extra.get("scope") if isinstance(extra, Mapping) else None
    return scope if isinstance(scope, str) and scope else None


def directory_url(url: str) -> str:
    """``site_url`` as MkDocs reads it, whose trailing slash the salt depends on."""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc and not parts.path.endswith("/"):
        return urlunsplit(parts._replace(path=parts.path + "/"))
    return url


def noindex(html: str) -> str:
    """Keep a packet out of search engines, whoever it is built for."""
    head = html.find("<head>")
    if head < 0 or html.find('name="robots"', head, html.find("</head>", head)) >= 0:
        return html
    return f"{html[:head + 6]}\n    {NOINDEX}{html[head + 6:]}"


def finished_page(html: str, *, base: str, script_origins: Iterable[str], allowed: Iterable[str] = (),
                  scope: str | None = None, policy: bool = True) -> str:
    """A page as published, sealed or not: out of search engines, under its policy (unless it has
    one already, or ``policy`` is off for a live preview whose server adds a script after us).

    ``base`` leads from the page to the site's root (:func:`page_base`): the theme's scripts
    hold it (or ``scope``); ``allowed`` names the person's own inline scripts that may run.
    """
    html = noindex(html)
    # A policy counts in the head only: one further down is ignored by browsers, and by us.
    head_end = html.find("</head>")
    if policy and _POLICY.search(html, 0, head_end if head_end >= 0 else len(html)) is None:
        html = with_policy(html, script_origins=script_origins, roots=page_roots(base, scope),
                           allowed=allowed)
    return html


def page_base(path: str, root: str) -> str:
    """The way from the page at ``path`` to the site's root; a static page's starts from ``root``."""
    return root if path in STATIC_PAGES else "../" * path.count("/") or "./"


def docs_copy(shown: str) -> Problem:
    """A file of the docs folder that a build copies as it is: sealing it would break every page
    that links to it, so it is refused."""
    return Problem(shown, None, DOCS_COPY, hint=DOCS_COPY_HINT)


def docs_files(docs_dir: Path | None) -> set[str]:
    """The docs folder's files that a build copies as they are, as paths in the site."""
    if docs_dir is None or not docs_dir.is_dir():
        return set()
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*")
            if p.is_file() and p.suffix.lower() not in MARKDOWN_SUFFIXES} - set(PUBLIC_FILES)


class Sealer:
    """Seals a site's pages, search index and PDF under one key, from :class:`SealSettings`."""

    def __init__(self, settings: SealSettings) -> None:
        self.settings = settings
        self.protector = Protector(settings.password, salt=settings.salt)

    @property
    def url_key(self) -> bytes:
        """What entry URLs are keyed with (``PacketSettings.url_key``)."""
        return self.protector.url_key

    def lock(self, html: str, *, base: str, pdf: str | None, search_index: str = SEARCH_INDEX,
             policy: bool = True) -> str:
        """A lock page carrying ``html`` finished (:func:`finished_page`), under a policy that lets
        the page's own scripts run once it is opened.

        ``base`` leads from the page to the site's root (:func:`page_base`); ``pdf`` names the
        site's PDF, if it has one; ``search_index`` is where the theme fetches its index.
        """
        settings = self.settings
        html = finished_page(html, base=base, script_origins=settings.script_origins, policy=policy,
                             allowed=settings.allowed_scripts, scope=settings.scope)
        locked = self.protector.lock_page(html, base=base, pdf=pdf, search_index=search_index,
                                          kind=settings.kind)
        if not policy:
            return locked
        # The opened page is written over the lock page, which keeps its policy: the same scripts.
        return with_policy(locked, carried=[html], script_origins=settings.script_origins,
                           roots=page_roots(base, settings.scope), allowed=settings.allowed_scripts)

    def sealed_index(self, raw: bytes) -> bytes:
        """A search index as the unlock script opens it."""
        return self.protector.sealed_index(raw).encode("utf-8")

    def seal_pdf(self, data: bytes) -> bytes:
        """The PDF as the site publishes it: ``pdf_name`` + :data:`SEALED_SUFFIX`."""
        return self.protector.seal_bytes(data)

    def email_pdf(self, data: bytes) -> bytes | None:
        """The PDF encrypted on its own to send by email, if ``pdf_email`` asks for one."""
        return encrypt_pdf(data, self.settings.password) if self.settings.pdf_email else None

    def pdf_files(self, data: bytes) -> dict[str, bytes]:
        """What a sealed site holds in place of the plaintext PDF ``data``, by path."""
        name = self.settings.pdf_name
        files = {name + SEALED_SUFFIX: self.seal_pdf(data)}
        if (email := self.email_pdf(data)) is not None:
            files[email_pdf_name(name)] = email
        return files

    def finish(self, site: Path) -> None:
        """Complete a site whose pages are locked: its search index sealed, its sitemaps removed
        (a sitemap invites crawlers and lists every page)."""
        for name in SEARCH_INDEXES:
            index = site / name
            if index.is_file():
                index.write_bytes(self.sealed_index(index.read_bytes()))
        for name in SITEMAPS:
            (site / name).unlink(missing_ok=True)
