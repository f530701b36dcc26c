"""The MkDocs adapter: options, and event hooks that delegate to the core.

This is the only module that imports MkDocs. Everything it does is: read the
options, ask the core for the packet, hand MkDocs the generated pages (in
memory, never written to the docs folder) and report problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import CountHandler

from .errors import InputError, Problem, PromoPacketError, Severity
from .evidence import EvidenceLoader
from .narrative import clean_html
from .offline import WORKER_SHIM, inline_search_index
from .packet import REDACTABLE, Audience, Packet, today
from .pages import FragmentMemo, GeneratedPage, problems_page, render_pages, site_nav
from .pdf import PAPER_SIZES, PdfSettings, render_pdf
from .policy import origin, with_policy
from .progress import PlanStatus, plan_status
from .project import LEVEL_ID_TYPES, OPTION_DEFAULTS, assemble, password_text, settings_from_options
from .protect import SEALED_SUFFIX, Protector, email_pdf_name, encrypt_pdf, site_salt
from .publish import (
    PUBLISH_SELF_VARIABLE,
    SiteMarker,
    deploy_refusal,
    discard,
    put_in_place,
    stage,
    write_marker,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = logging.getLogger("mkdocs.plugins.promo_packet")

CSS_URI = "assets/promo-packet.css"
ROBOTS_URI = "robots.txt"
ROBOTS = "User-agent: *\nDisallow: /\n"
NOINDEX = '<meta name="robots" content="noindex, nofollow">'

SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
PUBLIC_FILES = ("CNAME", ROBOTS_URI)
"""Files of the docs folder a password build still copies: they hold a domain name and crawl rules."""
REQUIRED_EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "toc")
FENCE_EXTENSIONS = ("fenced_code", "superfences")


class PacketConfig(base.Config):
    evidence_dir = c.Dir(exists=True, default=OPTION_DEFAULTS["evidence_dir"])
    rubric = c.FilesystemObject(exists=True, default=OPTION_DEFAULTS["rubric"])
    plan = c.File(exists=False, default=OPTION_DEFAULTS["plan"])
    person = c.Type(str, default=OPTION_DEFAULTS["person"])
    # Level ids may be numbers (`target_level: 5`); settings_from_options reads them as text.
    current_level = c.Optional(c.Type(LEVEL_ID_TYPES))
    target_level = c.Optional(c.Type(LEVEL_ID_TYPES))
    audience = c.Choice([a.value for a in Audience], default=OPTION_DEFAULTS["audience"])
    demonstrated_at = c.Type(int, default=OPTION_DEFAULTS["demonstrated_at"])
    packet_size = c.Type(int, default=OPTION_DEFAULTS["packet_size"])
    stale_weeks = c.Type(int, default=OPTION_DEFAULTS["stale_weeks"])
    review_cycle = c.Type(str, default=OPTION_DEFAULTS["review_cycle"])
    sponsor = c.Type(str, default=OPTION_DEFAULTS["sponsor"])
    pdf = c.Type(bool, default=OPTION_DEFAULTS["pdf"])
    pdf_name = c.Type(str, default=OPTION_DEFAULTS["pdf_name"])
    paper = c.Choice(PAPER_SIZES, default=OPTION_DEFAULTS["paper"])
    page_budget = c.Optional(c.Type(int))
    pdf_on_serve = c.Type(bool, default=OPTION_DEFAULTS["pdf_on_serve"])
    pdf_email = c.Type(bool, default=OPTION_DEFAULTS["pdf_email"])
    redact = c.ListOfItems(c.Choice(REDACTABLE), default=[])
    # Any scalar: on_config reads the characters as written (see project.password_text).
    password = c.Optional(c.Type((str, int, float, bool, dt.date, dt.datetime)))
    cache = c.Type(bool, default=OPTION_DEFAULTS["cache"])
    offline = c.Type(bool, default=OPTION_DEFAULTS["offline"])


class PromoPacketPlugin(BasePlugin[PacketConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        # Kept across `mkdocs serve` rebuilds (on_startup below), so a rebuild
        # re-parses only the evidence files that changed.
        self.loader = EvidenceLoader()
        self.memo = FragmentMemo()
        self.packet: Packet | None = None
        self.plan_status: PlanStatus | None = None
        self.generated: dict[str, GeneratedPage] = {}
        self.files: Files | None = None
        self.pdf: PdfSettings | None = None
        self.user_nav = False
        self.command = "build"
        self.protector: Protector | None = None
        self.password: str | None = None
        self.pdf_cache: Path | None = None
        self.offline = False
        self.dirty = False
        self.site_dir: Path | None = None
        """Where the site goes once complete; None when MkDocs writes it directly (serve)."""
        self.staging: Path | None = None
        self.marker: SiteMarker | None = None
        self.shown: list[Problem] | None = None
        """The problems a live preview shows instead of the packet, while the inputs have errors."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        started = time.perf_counter()
        config_file = Path(config.config_file_path)
        given = dict(self.config)
        # MkDocs' !ENV reads the variable as YAML; the password is the characters themselves.
        given["password"] = password_text(config_file.read_text("utf-8")) or given["password"]
        options, problems = settings_from_options(given, config_file.parent, config_file.name,
                                                  docs_dir=Path(config.docs_dir))
        self.password = options.password
        self.protector = (Protector(options.password, salt=site_salt(config.site_url or config.site_name))
                          if options.password else None)
        settings = options.packet
        if self.protector is not None:
            settings = dataclasses.replace(settings, url_key=self.protector.url_key)
        assembly = assemble(options.sources, settings, self.loader)
        self.memo.sweep()
        problems += assembly.problems
        _report(problems)
        self.shown = None
        if assembly.packet is None or any(p.is_error for p in problems):
            if self.command != "serve":
                raise PluginError(str(InputError(problems)))
            self._show_problems(problems)
            return config
        self.packet = assembly.packet
        self.plan_status = plan_status(assembly.plan, self.packet, today()) if assembly.plan else None
        self.pdf_cache = options.pdf_cache
        self.offline = options.offline
        if self.offline:
            for_disk(config)
        self.marker = SiteMarker(self.packet.settings.audience.value, self.protector is not None)
        if self.command == "gh-deploy":
            self._guard_deploy(Path(config.site_dir), dirty=self.dirty)
        # Live reload must stay fast: under `mkdocs serve` the PDF is opt-in.
        wanted = options.pdf.enabled and (self.command != "serve" or options.pdf.on_serve)
        self.pdf = options.pdf if wanted else None
        self.user_nav = config.nav is not None
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # A `!!! private` line inside a fence is kept as code (privacy.py): the fence must be code.
        if not any(str(name).endswith(FENCE_EXTENSIONS) for name in config.markdown_extensions):
            config.markdown_extensions.append("fenced_code")
        config.extra_css.append(CSS_URI)
        # Templates (overrides/main.html) read the audience to flag a private build.
        config.extra["promo_packet"] = {"audience": self.packet.settings.audience.value}
        packet = self.packet
        log.info(
            "promo-packet: %s; %d dimensions, %s; %d of %d evidence files parsed, in %.2f s",
            packet.counted, len(packet.coverage),
            "password-protected" if self.protector else "NOT password-protected",
            assembly.evidence.parsed, assembly.evidence.files,
            time.perf_counter() - started,
        )
        # `mkdocs serve` builds into a folder of its own that nobody publishes.
        if self.command != "serve":
            self.site_dir = Path(config.site_dir)
            self.staging = stage(self.site_dir, dirty=self.dirty)
            config.site_dir = str(self.staging)
        return config

    def _show_problems(self, problems: list[Problem]) -> None:
        """Under `mkdocs serve`, build a page of the errors instead of failing.

        A failed build leaves `mkdocs serve` holding every request until a build succeeds:
        the browser waits on a blank page and the errors are only in the terminal. A build
        that succeeds with one page listing them shows them where the person looks, and
        live reload turns that page into the packet once a save fixes them.
        """
        self.packet = self.plan_status = self.pdf = self.marker = None
        self.shown = problems
        _log_shown(InputError(problems))

    def _problems_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The site of a preview with errors: the theme's files and one page of the problems."""
        assert self.shown is not None
        docs = Path(config.docs_dir).resolve()
        for file in list(files):
            own = file.abs_src_path is not None and Path(file.abs_src_path).resolve().is_relative_to(docs)
            if own or file.is_documentation_page():
                files.remove(file)
        page = problems_page(self.shown)
        self.generated = {page.uri: page}
        files.append(File.generated(config, page.uri, content=page.content))
        config.nav = [{page.title: page.uri}]
        return files

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.shown is not None:
            return self._problems_files(files, config)
        assert self.packet is not None
        if self.protector is not None:
            plain = plaintext_files(files, Path(config.docs_dir), Path(config.config_file_path).parent)
            if plain:
                raise PluginError(str(InputError(plain)))
        generated = list(render_pages(self.packet, pdf_name=self.pdf.name if self.pdf else None,
                                      plan=self.plan_status))
        self.generated = {page.uri: page for page in generated}
        for page in generated:
            existing = files.get_file_from_path(page.uri)
            if existing is not None:
                log.warning("promo-packet: %s is generated; the file %s in the docs folder is ignored",
                            page.uri, existing.src_uri)
                files.remove(existing)
            inclusion = InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.uri, content=page.content, inclusion=inclusion))
        assets = resources.files("promo_packet") / "assets"
        for uri in (CSS_URI, WORKER_SHIM) if self.offline else (CSS_URI,):
            files.append(File.generated(config, uri, content=(assets / Path(uri).name).read_text("utf-8")))
        if files.get_file_from_path(ROBOTS_URI) is None:
            files.append(File.generated(config, ROBOTS_URI, content=ROBOTS))
        if not self.user_nav:
            ours = {page.uri for page in generated}
            own_pages: list[Any] = [f.src_uri for f in files.documentation_pages()
                                    if f.src_uri not in ours and not f.generated_by]
            config.nav = site_nav(self.packet, self.plan_status) + own_pages
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> None:
        # The build's final files, for on_page_context, which is not given them.
        self.files = files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.title is not None:
            page.meta["title"] = generated.title  # HTML text, as the theme prints titles
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.narrative:
            html = clean_html(html)
        if generated is not None and generated.title_id is not None:
            # The table of contents the heading would have given in Markdown: the theme's
            # "skip to content" link and its contents sidebar start from it.
            heading = AnchorLink(generated.title or "", generated.title_id, 1)
            heading.children = list(page.toc)
            page.toc = TableOfContents([heading])
        return self._insert_html(html, page, files, indexed=True)

    @event_priority(-100)  # after the search plugin has read the page's content
    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        # Listings repeat entries found on their own pages, and an entry's dates and links are
        # not worth searching: they go into the content once it is indexed, before the theme.
        assert self.files is not None and page.content is not None
        page.content = self._insert_html(page.content, page, self.files, indexed=False)
        return context

    @event_priority(-100)  # the policy hashes the page's final scripts: after other plugins
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        depth = page.file.dest_uri.count("/")
        return self._seal(output, config, base="../" * depth or "./")

    def _seal(self, output: str, config: MkDocsConfig, *, base: str) -> str:
        """The page as written: not indexed, with its policy, and sealed last when protected."""
        html = noindex(output)
        # `mkdocs serve` adds its live-reload script to every page it serves, after this.
        policy = self.command != "serve"
        # Scripts the site is configured to load from elsewhere (a CDN's MathJax) may run.
        origins = [found for script in config.extra_javascript if (found := origin(str(script)))]
        if policy:
            html = with_policy(html, script_origins=origins)
        if self.protector is None:
            return html
        locked = self.protector.lock_page(html, base=base, pdf=self.pdf_name)
        return with_policy(locked, carried=[html], script_origins=origins) if policy else locked

    @property
    def pdf_name(self) -> str | None:
        return self.pdf.name if self.pdf is not None else None

    def _insert_html(self, html: str, page: Page, files: Files, *, indexed: bool) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is None:
            return html

        # Our URIs are already normalised: look them up directly, get_file_from_path re-parses each.
        by_uri = files.src_uris

        def href(uri: str) -> str:
            target = by_uri.get(uri)
            return target.url_relative_to(page.file) if target is not None else uri

        return generated.insert_html(html, href, indexed=indexed, memo=self.memo)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        # Static templates such as 404.html are served from any depth: use the site's root.
        root = urlsplit(config.site_url or "/").path or "/"
        return self._seal(output_content, config, base=root if root.endswith("/") else root + "/")

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._complete(Path(config.site_dir))
        except BaseException:
            # Ctrl-C included: what was staged never reaches the site folder.
            self.on_build_error(error=None)
            raise
        if self.staging is not None and self.site_dir is not None:
            put_in_place(self.staging, self.site_dir)
            config.site_dir = str(self.site_dir)
            self.staging = None
            log.info("promo-packet: the complete site is now in %s", self.site_dir)
        if self.command == "gh-deploy":
            # What is about to be pushed, as it is on disk now, must hold exactly this build.
            self._guard_deploy(Path(config.site_dir), dirty=True)

    def _guard_deploy(self, site_dir: Path, *, dirty: bool) -> None:
        assert self.marker is not None
        refusal = deploy_refusal(site_dir, self.marker, dirty=dirty,
                                 publish_self=os.environ.get(PUBLISH_SELF_VARIABLE) == "1")
        if refusal is not None:
            raise PluginError(
                f"promo-packet: refusing to publish {refusal}. Build for sponsor or committee "
                f"(PROMO_AUDIENCE=sponsor) without --dirty, or set {PUBLISH_SELF_VARIABLE}=1 to "
                "publish a self build if you really mean it.")

    def on_build_error(self, *, error: Exception | None) -> None:
        if self.staging is not None:
            discard(self.staging)
            self.staging = None

    def _complete(self, site: Path) -> None:
        """What goes into the site once its pages are written: marker, sealed index, the PDF."""
        if self.marker is not None:
            write_marker(site, self.marker)
        if self.offline:
            inline_search_index(site)
        if self.protector is not None:
            self.protector.seal_search_index(site)
            # A sitemap invites crawlers and lists every page: a locked packet wants neither.
            for name in SITEMAPS:
                (site / name).unlink(missing_ok=True)
        if self.pdf is None or self.packet is None:
            return
        seal = self.protector.seal_bytes if self.protector is not None else None
        # In a password build only the sealed PDF is written; the browser opens it once unlocked.
        target = site / (self.pdf.name + SEALED_SUFFIX if seal else self.pdf.name)
        try:
            result = render_pdf(self.packet, target, self.pdf, cache_dir=self.pdf_cache,
                                plan=self.plan_status, seal=seal)
        except PromoPacketError as exc:
            raise PluginError(str(exc)) from exc
        # `promo check` does not render the PDF: its tips (over the page budget) are shown here in full.
        for problem in result.problems:
            log.info("promo-packet: %s", problem.text(problem.severity.label))
        log.info("promo-packet: %s%s", result.summary(), ", sealed with the site's key" if seal else "")
        if self.password and self.pdf.email:
            email = site / email_pdf_name(self.pdf.name)
            email.write_bytes(encrypt_pdf(result.data, self.password))
            log.info("promo-packet: %s is encrypted by the PDF's own AES-256, whose key derivation makes "
                     "a password guess far cheaper than against the site; it is published with the "
                     "site: send the link only where the password is strong", email.name)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(self.config.evidence_dir)
        server.watch(self.config.rubric)
        if Path(self.config.plan).exists():
            server.watch(self.config.plan)
        return server


def plaintext_files(files: Files, docs_dir: Path, root: Path) -> list[Problem]:
    """The docs folder's files a password build would copy as they are: refused, not published.

    Sealing them would break every image and stylesheet a page links to; refusing is what
    fails closed. The theme's own files (and its ``custom_dir``) are not the person's content.
    """
    docs = docs_dir.resolve()
    shown = docs.relative_to(root.resolve()) if docs.is_relative_to(root.resolve()) else docs
    return [Problem(f"{shown.as_posix()}/{file.src_uri}", None,
                    "a password build would publish this file unencrypted",
                    hint="remove it from the docs folder (a stylesheet or script can go in the theme's "
                         "custom_dir), or build without a password")
            for file in files
            if not file.generated_by and not file.is_documentation_page()
            and not file.inclusion.is_excluded() and file.src_uri not in PUBLIC_FILES
            and file.abs_src_path is not None and Path(file.abs_src_path).resolve().is_relative_to(docs)]


def for_disk(config: MkDocsConfig) -> None:
    """Configure the theme for a site opened from disk (see offline.py)."""
    # Opened from disk, a link to a folder shows a listing, not its index.html.
    config.use_directory_urls = False
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), WORKER_SHIM]
    # Nothing loads from elsewhere: the web fonts would tell their host who opened it, and when.
    config.theme["font"] = False
    # Instant navigation fetches each page, which a file: page may not.
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not str(f).startswith("navigation.instant")]


def noindex(html: str) -> str:
    """Keep a packet out of search engines, whoever it is built for."""
    head = html.find("<head>")
    if head < 0 or html.find('name="robots"', head, html.find("</head>", head)) >= 0:
        return html
    return f"{html[:head + 6]}\n    {NOINDEX}{html[head + 6:]}"


SHOWN_ON_PAGE = "promo_packet_shown_on_page"
"""Marks a log record of errors a live preview shows on its page (see :func:`_log_shown`)."""


def _not_shown_on_page(record: logging.LogRecord) -> bool:
    return not getattr(record, SHOWN_ON_PAGE, False)


def _log_shown(error: InputError) -> None:
    """Log the errors a live preview shows as MkDocs errors, without failing a strict build.

    Strict mode counts every warning and error on MkDocs' logger and fails the build after the
    fact; `mkdocs serve` would then hold the browser again, the very thing the page avoids. The
    strict counter (attached for this build only) is told to skip this one record.
    """
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and _not_shown_on_page not in handler.filters:
            handler.addFilter(_not_shown_on_page)
    log.error("%s", error, extra={SHOWN_ON_PAGE: True})


def _report(problems: list[Problem]) -> None:
    """Tips as one line of MkDocs' info log, notes each on its own; errors are raised by the caller.

    A tip is advice, not a defect: as a MkDocs warning it would fail every `--strict` build
    (and CI) over a holiday in someone's history. `promo check` lists them, labelled.
    """
    tips = sum(1 for problem in problems if problem.severity is Severity.WARNING)
    if tips:
        log.info("promo-packet: %d %s; run 'promo check' for details",
                 tips, "tip" if tips == 1 else "tips")
    for problem in problems:
        if problem.severity is Severity.NOTE:
            log.info("promo-packet: %s", problem)
