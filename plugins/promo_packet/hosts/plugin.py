"""The MkDocs adapter, the only module that imports MkDocs with preview.py (its live preview's
rebuilds): its hooks hand MkDocs the finished pages of the core (build.py) in memory, clean what
only MkDocs converts (an entry's narrative), seal each page it writes and complete the site once
written."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from ..errors import InputError, Problem, PromoPacketError, terminal_text
from ..model.evidence import EVIDENCE_FOLDER, EvidenceLoader
from ..options import DEFAULTS, OPTIONS
from ..render.narrative import clean_html
from ..render.pages import GeneratedPage, Links, PageMemo, problems_page
from .build import PREVIEW_LOG, SiteBuild, report, start
from .finished import FinishedBlocks, index_without_listings
from .preview import GeneratedFile, LivePreview, compiled_templates

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page



class TerminalSafe(logging.Filter):
    """Each line logged made safe for the terminal it is read in: most carry what was read."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = terminal_text(record.getMessage()), ()
        return True


log = logging.getLogger("mkdocs.plugins.promo_packet")
for logger in (log, PREVIEW_LOG):
    logger.addFilter(TerminalSafe())
INPUTS = ("evidence_dir", "rubric", "plan")  # the options naming what a live preview watches too
PREVIEW_TEMPLATES = Path(__file__).parent.parent / "templates" / "preview"
"""Theme templates a live preview uses while the inputs have errors (its 404 page)."""


class PromoPacketPlugin(BasePlugin):  # type: ignore[type-arg]  # BasePlugin[C] reads C's schema: ours is made here
    # Every option as written; options.read_options checks them and fills in defaults, for every host.
    config_class = type("PacketConfig", (base.Config,), {o.name: c.Optional(c.Type(object)) for o in OPTIONS})

    def __init__(self) -> None:
        # Kept across `mkdocs serve` rebuilds: a rebuild parses and renders only what changed.
        self.loader, self.memo = EvidenceLoader(), PageMemo()
        self.build: SiteBuild | None = None
        self.preview = LivePreview()
        self.shown, self.command, self.dirty = list[Problem](), "build", False
        self.finished, self.generated = FinishedBlocks(), dict[str, GeneratedPage]()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config = self._open(config)
        # Material writes site_name into its pages as it is (the title, the header, an aria-label)
        # and escapes it only in some attributes: as Markup holding the escaped text it reads as
        # the text everywhere, and is never escaped twice. After opening: a seal's salt is the name.
        if isinstance(config.site_name, str) and not isinstance(config.site_name, Markup):
            config.site_name = Markup.escape(config.site_name)
        return config

    def _open(self, config: MkDocsConfig) -> MkDocsConfig:
        self.build, self.shown = start(dict(self.config), config, loader=self.loader, memo=self.memo,
                                       serve=self.command == "serve")
        self.preview.assembled(ok=self.build is not None)
        report(self.shown, log)
        if self.build is None and self.command != "serve":
            raise PluginError(terminal_text(str(InputError(self.shown))))
        if self.build is None:  # shown on the preview's pages; logged where strict mode does not count it
            PREVIEW_LOG.error("%s", InputError(self.shown))
            config.theme.dirs.insert(0, str(PREVIEW_TEMPLATES))
            return config
        log.info("promo-packet: %s", self.build.summary())
        with _as_plugin_error():
            config = self.build.open(config, deploy=self.command == "gh-deploy", dirty=self.dirty)
        if self.finished not in config.markdown_extensions:  # Markdown takes an instance as it takes a name
            config.markdown_extensions.append(self.finished)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.build is None:  # a live preview with errors: the theme's files and a page of them
            return self._problems(files, config)
        if self.build.sealer is not None and (plain := self.build.plaintext_files(
                [(f.src_uri, Path(f.abs_src_path)) for f in files if f.abs_src_path and not f.generated_by],
                {f.src_uri for f in files if _copied(f)})):
            raise PluginError(terminal_text(str(InputError(plain))))
        own = [f.src_uri for f in files.documentation_pages()]
        self.generated = {}
        for page in self.build.pages(Links(config.use_directory_urls)):
            self.generated[page.uri] = page
            _replace(files, GeneratedFile.generated(config, page.uri, content=page.content, inclusion=(
                InclusionLevel.UNDEFINED if page.listed else InclusionLevel.NOT_IN_NAV)))
        for uri, content in self.build.assets().items():
            if uri not in files.src_uris:
                files.append(File.generated(config, uri, content=content))
        config.nav = config.nav or self.build.nav([u for u in own if not files.src_uris[u].generated_by])
        if self.command == "serve":
            self.preview.keep(files, config.nav)
        index_without_listings(config.plugins.values(),
                               {uri: page.listings for uri, page in self.generated.items() if page.listings})
        return files

    def _problems(self, files: Files, config: MkDocsConfig) -> Files:
        page, config.nav = problems_page(self.shown), [{"Problems": "index.md"}]
        self.generated = {}  # the last good build's pages are not built
        others = [f for f in files if not f.is_documentation_page()]
        return Files([*others, File.generated(config, page.uri, content=page.content)])

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.build is None:  # the preview's 404 page shows the errors' page as it is at index.md
            page = problems_page(self.shown)
            env.globals["promo_packet_problems"] = Markup(markdown.markdown(page.content))
        env.bytecode_cache = compiled_templates(env)  # every build of this process shares them
        if self.command == "serve":
            self.preview.read(f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                              if f.page is not None)
        return env

    def on_page_markdown(self, text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Our pages are finished for the audience; the person's own may hold private notes too.
        generated = self.generated.get(page.file.src_uri) if page.file.generated_by else None
        self.finished.blocks = generated.blocks if generated is not None else ()
        return self.build.own_page(text) if self.build and not page.file.generated_by else text

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Only an entry's narrative is Markdown as the person wrote it (see narrative.py).
        narrative = page.file.generated_by and page.file.src_uri.startswith(f"{EVIDENCE_FOLDER}/")
        return clean_html(html) if narrative else html

    @event_priority(-100)  # a page is locked as finished: after other plugins have changed it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.build.seal_page(output, path=page.file.dest_uri) if self.build else output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if self.build is None or not template_name.endswith(".html"):
            return output_content
        return self.build.seal_page(output_content, path=template_name)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve" and self.build is not None:
            self.preview.finish(Path(config.site_dir))
        with _as_plugin_error():
            self.build.close(config, partial(log.info, "promo-packet: %s")) if self.build else None

    def on_build_error(self, *, error: Exception | None) -> None:
        self.preview.ready = False  # what the site folder holds is no base for a rebuild of part of it
        if self.build is not None:
            self.build.abandon()

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        inputs = [Path(config.config_file_path).parent / (self.config[n] or DEFAULTS[n]) for n in INPUTS]
        for path in filter(Path.exists, inputs):
            server.watch(str(path))
        if not self.dirty:  # with --dirty, MkDocs' own dirty rebuilds stay
            self.preview.install(server, config, inputs)
        return server


@contextmanager
def _as_plugin_error() -> Iterator[None]:
    """Our errors as MkDocs' own, which it prints without a traceback."""
    try:
        yield
    except PromoPacketError as exc:
        raise PluginError(terminal_text(str(exc))) from exc


def _replace(files: Files, page: File) -> None:
    if (existing := files.get_file_from_path(page.src_uri)) is not None:
        log.warning("promo-packet: %s is generated; the file %s in the docs folder is ignored",
                    page.src_uri, existing.src_uri)
        files.remove(existing)
    files.append(page)


def _copied(file: File) -> bool:
    """Whether MkDocs copies the file as it is (not a page, not generated, not excluded)."""
    return bool(not file.generated_by and file.abs_src_path and not file.is_documentation_page()
                and not file.inclusion.is_excluded())
