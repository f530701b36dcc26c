"""One build of the packet site, whichever generator hosts it.

:func:`start` reads the options and assembles the packet; the :class:`SiteBuild` it
returns knows everything a generator is handed (the finished pages, the navigation, the
assets) and what the built site needs after (each page finished, then the marker and the
PDF). A password build seals through the same :class:`~promo_packet.sharing.sealer.Sealer`
as ``promo seal``. The MkDocs plugin calls it from its hooks; ``promo gen`` writes the same
pages and assets to a folder for a generator that runs no plugin.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Problem, Severity, plural
from ..model.evidence import EvidenceLoader
from ..model.packet import Packet
from ..model.privacy import strip_private_notes
from ..model.settings import Options, PdfSettings
from ..reading.config import password_text
from ..render.pages import GeneratedPage, Links, PageMemo, render_pages, site_nav
from ..render.pdf import render_pdf
from ..sharing.offline import WORKER_SHIM, configure_for_disk, inline_search_index
from ..sharing.protect import PUBLIC_FILES, SEALED_SUFFIX, email_pdf_name, site_root
from ..sharing.publish import (
    MARKER,
    SiteMarker,
    StagedSite,
    guard_deploy,
    guard_dirty,
    marker_bytes,
    write_marker,
)
from ..sharing.sealer import (
    Sealer,
    docs_copy,
    finished_page,
    page_base,
    script_origins,
    seal_settings,
    theme_scope,
)
from .project import Assembly, assemble, settings_from_options

CSS_URI = "assets/promo-packet.css"
ROBOTS_URI = "robots.txt"
ROBOTS = "User-agent: *\nDisallow: /\n"
REQUIRED_EXTENSIONS = ("admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc")
"""What the generated pages are written for, and footnotes: without them a footnote's definition
(in a private note too) is read as a link's, and vanishes from every build."""
T = TypeVar("T", bound=MutableMapping[str, Any])
PREVIEW_LOG = logging.getLogger("promo_packet.preview")
"""Where a live preview's errors are logged, as they show on its page: outside MkDocs' loggers,
whose strict mode would count them, fail the build after the fact, and `mkdocs serve` would hold
the browser again, the very thing the page of errors avoids."""
PREVIEW_LOG.addHandler(logging.StreamHandler())
PREVIEW_LOG.handlers[-1].setFormatter(logging.Formatter("ERROR    -  %(message)s"))
PREVIEW_LOG.propagate = False
FENCE_EXTENSIONS = ("fenced_code", "superfences")
"""A ``!!! private`` line inside a fence is kept as code (privacy.py): fences must be code."""


@dataclass
class SiteBuild:
    """A packet assembled without errors, and what its site is made of."""

    options: Options
    assembly: Assembly
    sealer: Sealer | None = None
    """Set when a password is configured: entry URLs are keyed, and pages locked as written."""
    pdf: PdfSettings | None = None
    """The PDF to render into the site, if one is wanted for this build."""
    seconds: float = 0.0
    memo: PageMemo | None = field(default=None, repr=False)
    serve: bool = False
    """A live preview: its server adds a script to every page after us, so pages get no policy."""
    script_origins: tuple[str, ...] = ()
    """Where the site loads scripts from (a CDN's MathJax, from the config): they may run."""
    scope: str | None = None
    """The theme's ``extra.scope``, which its inline scripts hold in place of the site's root."""
    root: str = "/"
    """The site's path (``/packet/``), from its URL: static pages (404.html) link from it."""
    staged: StagedSite | None = None
    deploy: bool = False
    """Whether the site is about to be pushed (``gh-deploy``): only a build fit to publish is."""

    def open(self, config: T, *, deploy: bool = False, dirty: bool = False) -> T:
        """Set a generator's config up for the build: what the pages need (:meth:`configure`), and
        the site folder a staging folder beside it, put in place by :meth:`close` once complete.

        Raises :class:`RefusedError` if ``deploy`` would push what must not be published, or a
        ``dirty`` build would keep another kind of build's files.
        """
        self.deploy = deploy
        if deploy:
            guard_deploy(Path(config["site_dir"]), self.marker, dirty=dirty)
        if dirty and not self.serve:
            guard_dirty(Path(config["site_dir"]), self.marker)
        self.configure(config)
        if not self.serve:  # a live preview builds into a folder nobody publishes
            self.staged = StagedSite.begin(Path(config["site_dir"]), dirty=dirty)
            config["site_dir"] = str(self.staged.staging)
        return config

    def close(self, config: Any, say: Callable[[str], None]) -> None:
        """Complete the written site (:meth:`complete`) and put it in place; on any failure,
        Ctrl-C included, what was staged never reaches the site folder."""
        try:
            self.complete(Path(config["site_dir"]), say)
        except BaseException:
            self.abandon()
            raise
        if self.staged is not None:
            config["site_dir"] = str(self.staged.finish())
            say(f"the complete site is now in {config['site_dir']}")
        if self.deploy:  # what is pushed, as it is on disk now, must be this build
            guard_deploy(Path(config["site_dir"]), self.marker, dirty=True)

    def abandon(self) -> None:
        if self.staged is not None:
            self.staged.discard()

    @property
    def packet(self) -> Packet:
        assert self.assembly.packet is not None
        return self.assembly.packet

    @property
    def marker(self) -> SiteMarker:
        return SiteMarker(self.packet.settings.audience.value, self.sealer is not None)

    def configure(self, config: Any) -> None:
        """Set what the pages need in a generator's config (MkDocs' keys, a dict or MkDocs' own)."""
        if self.options.offline:
            configure_for_disk(config)
        extensions = config["markdown_extensions"]
        names = [name if isinstance(name, str) else next(iter(name)) for name in extensions
                 if isinstance(name, (str, dict))]  # not an extension's instance (the plugin's own)
        fences = [] if any(str(name).endswith(FENCE_EXTENSIONS) for name in names) else ["fenced_code"]
        extensions += [name for name in (*REQUIRED_EXTENSIONS, *fences) if name not in names]
        config["extra_css"] = [*config["extra_css"], *(uri for uri in self.assets() if uri.endswith(".css"))]
        # Templates (overrides/main.html) read whether the build holds private entries, to flag it.
        audience = self.packet.settings.audience
        config["extra"]["promo_packet"] = {"audience": audience.value, "private": audience.sees_private}
        self.script_origins = script_origins(config.get("extra_javascript") or [])
        self.scope = theme_scope(config)

    def pages(self, links: Links) -> list[GeneratedPage]:
        return list(render_pages(self.packet, pdf_name=self.pdf.name if self.pdf else None,
                                 plan=self.assembly.status, links=links, memo=self.memo,
                                 since=self.assembly.since))

    def nav(self, own_pages: list[str]) -> list[Any]:
        """The navigation: the packet's pages, then the person's own pages."""
        return [*site_nav(self.packet, self.assembly.status, self.assembly.since), *own_pages]

    def own_page(self, markdown: str) -> str:
        """A page of the docs folder as the audience may see it: private notes out, as from entries."""
        return markdown if self.packet.settings.audience.sees_private else strip_private_notes(markdown)

    def assets(self) -> dict[str, str]:
        """The stylesheet, robots.txt (unless the person has one), and for a site opened from
        disk, the search worker's shim, by URI."""
        folder = resources.files("promo_packet") / "assets"
        uris = (CSS_URI, WORKER_SHIM) if self.options.offline else (CSS_URI,)
        return {**{uri: (folder / Path(uri).name).read_text("utf-8") for uri in uris}, ROBOTS_URI: ROBOTS}

    def plaintext_files(self, files: list[tuple[str, Path]], copied: set[str]) -> list[Problem]:
        """Of the docs folder's files (``src_uri``, path), those a password build must refuse: the
        ones it would copy as they are (``copied``), and any reached through a symbolic link.

        Sealing a copied file would break every image and stylesheet a page links to; refusing is
        what fails closed. A link may point anywhere (outside the project, at a file the person
        never meant to share), so what the folder holds is what is published, or nothing. The
        theme's own files (and its ``custom_dir``) are not the person's content.
        """
        sources = self.options.sources
        assert sources.docs_dir is not None
        docs, root = Path(os.path.abspath(sources.docs_dir)), Path(os.path.abspath(sources.root))
        shown = docs.relative_to(root).as_posix() if docs.is_relative_to(root) else docs.as_posix()
        problems = []
        for uri, path in files:
            written = Path(os.path.abspath(path))
            if not written.is_relative_to(docs):
                continue
            if path.resolve() != docs.resolve() / written.relative_to(docs):
                problems.append(Problem(f"{shown}/{uri}", None, f"is a symbolic link (to {path.resolve()})",
                                        hint="a password build publishes only what the docs folder "
                                             "holds: copy the file in, or remove the link"))
            elif uri in copied and uri not in PUBLIC_FILES:
                problems.append(docs_copy(f"{shown}/{uri}"))
        return problems

    def summary(self) -> str:
        evidence = self.assembly.evidence
        return (f"{self.packet.counted}; {len(self.packet.coverage)} dimensions, "
                f"{'password-protected' if self.sealer else 'NOT password-protected'}; "
                f"{evidence.parsed} of {evidence.files} evidence files parsed, in {self.seconds:.2f} s")

    def seal_page(self, html: str, *, path: str) -> str:
        """The page written at ``path``: not indexed, with its policy, and locked last when the build
        is protected."""
        if self.sealer is not None:
            return self.sealer.lock(html, base=page_base(path, self.root), policy=not self.serve,
                                    pdf=self.pdf.name if self.pdf else None)
        return finished_page(html, base=page_base(path, self.root), script_origins=self.script_origins,
                             allowed=self.options.allowed_scripts, scope=self.scope, policy=not self.serve)

    def complete(self, site: Path, say: Callable[[str], None]) -> None:
        """What goes into the site once its pages are written: sealed index, the PDF, and last the
        marker, whose manifest vouches for every file the site then holds."""
        if self.options.offline:
            inline_search_index(site)
        if self.sealer is not None:
            self.sealer.finish(site)
        if self.pdf is not None:
            self.add_pdf(site, self.pdf, say)
        if self.serve:
            # A live preview's folder is never published: its marker vouches for no file, so a
            # rebuild hashes nothing and the folder can never be deployed.
            (site / MARKER).write_bytes(marker_bytes(self.marker))
        else:
            write_marker(site, self.marker, unvouched=self.staged.unvouched if self.staged else None)

    def add_pdf(self, site: Path, pdf: PdfSettings, say: Callable[[str], None]) -> None:
        seal = self.sealer.seal_pdf if self.sealer is not None else None
        # In a password build only the sealed PDF is written; the browser opens it once unlocked.
        target = site / (pdf.name + SEALED_SUFFIX if seal else pdf.name)
        result = render_pdf(self.packet, target, pdf, cache_dir=self.options.pdf_cache,
                            plan=self.assembly.status, seal=seal, since=self.assembly.since)
        # `promo check` does not render the PDF: its tips (over the page budget) are shown here in full.
        for problem in result.problems:
            say(problem.text(problem.severity.label))
        say(result.summary() + (", sealed with the site's key" if seal else ""))
        if self.sealer is not None and (encrypted := self.sealer.email_pdf(result.data)) is not None:
            email = site / email_pdf_name(pdf.name)
            email.write_bytes(encrypted)
            say(f"{email.name} is encrypted by the PDF's own AES-256, whose key derivation makes a "
                "password guess far cheaper than against the site; it is published with the site: "
                "send the link only where the password is strong")


def report(problems: list[Problem], log: logging.Logger) -> None:
    """Tips as one line of the build's info log, notes each on its own; errors are the caller's.

    A tip is advice, not a defect: as a warning it would fail every strict build (and CI)
    over a holiday in someone's history. `promo check` lists them, labelled.
    """
    tips = sum(1 for problem in problems if problem.severity is Severity.WARNING)
    if tips:
        log.info("promo-packet: %s; run 'promo check' for details", plural(tips, "tip"))
    for problem in problems:
        if problem.severity is Severity.NOTE:
            log.info("promo-packet: %s", problem)


def start(given: Mapping[str, Any], config: Mapping[str, Any], *, loader: EvidenceLoader | None = None,
          serve: bool = False, memo: PageMemo | None = None) -> tuple[SiteBuild | None, list[Problem]]:
    """Read our options (``given``), assemble the packet: the build, or None and the problems.

    ``config`` is the generator's, with MkDocs' keys: ``config_file_path``, ``docs_dir`` (absolute),
    ``site_url`` or else ``site_name`` (a password build's salt, see protect.py). Under ``serve``
    (a live preview) the PDF is rendered only if the options ask for it.
    """
    started = time.perf_counter()
    config_file, docs_dir = Path(config["config_file_path"]), Path(config["docs_dir"])
    # A host's YAML reads `!ENV PROMO_PASSWORD` as a value; the password is the characters themselves.
    given = {**given, "password": password_text(config_file.read_text("utf-8")) or given.get("password")}
    options, problems = settings_from_options(given, config_file.parent, config_file.name, docs_dir=docs_dir,
                                              site_url=config.get("site_url"))
    sealer = Sealer(seal_settings(options, config)) if options.password else None
    settings = options.packet
    if sealer is not None:
        settings = dataclasses.replace(settings, url_key=sealer.url_key)
    assembly = assemble(options.sources, settings, loader)
    if memo is not None:
        memo.sweep()
    problems += assembly.problems
    if not assembly.ok or any(problem.is_error for problem in problems):
        return None, problems
    wanted = options.pdf.enabled and (not serve or options.pdf.on_serve)
    build = SiteBuild(options, assembly, sealer, options.pdf if wanted else None,
                      time.perf_counter() - started, memo, serve, root=site_root(config.get("site_url")))
    return build, problems
