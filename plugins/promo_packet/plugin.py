"""The MkDocs adapter: options, and event hooks that delegate to the core (build.py).

This is the only module that imports MkDocs. The core renders every page finished; the
hooks hand them to MkDocs in memory (never written to the docs folder), clean what only
MkDocs converts (an entry's narrative), seal each written page and complete the site.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from .build import ROBOTS, ROBOTS_URI, SiteBuild, report, start
from .errors import InputError, Problem, PromoPacketError
from .evidence import EvidenceLoader
from .narrative import clean_html
from .options import OPTIONS
from .pages import Links, PageMemo, problems_page
from .project import password_text
from .publish import discard, guard_deploy, put_in_place, stage

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.promo_packet")
T = TypeVar("T")
_INCLUSION = {True: InclusionLevel.UNDEFINED, False: InclusionLevel.NOT_IN_NAV}


class _Given(base.BaseConfigOption[Any]):
    """An option as written: options.read_options checks every one, for every host alike."""

    def __init__(self, default: object) -> None:
        super().__init__()
        self.default = default

    def validate(self, value: object) -> object:
        return self.default if value is None else value


PacketConfig = type("PacketConfig", (base.Config,), {o.name: _Given(o.default) for o in OPTIONS})


if TYPE_CHECKING:
    _Plugin = BasePlugin[base.Config]
else:  # MkDocs' BasePlugin[...] reads the options' schema from the class given
    _Plugin = BasePlugin


class PromoPacketPlugin(_Plugin):
    config_class = PacketConfig
    supports_multiple_instances = False

    def __init__(self) -> None:
        # Kept across `mkdocs serve` rebuilds: a rebuild parses and renders only what changed.
        self.loader, self.memo = EvidenceLoader(), PageMemo()
        self.build: SiteBuild | None = None
        self.shown: list[Problem] | None = None
        self.command, self.dirty = "build", False
        self.site_dir: Path | None = None
        self.staging: Path | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config_file, given_password = Path(config.config_file_path), self.config["password"]
        # MkDocs' !ENV reads the variable as YAML; the password is the characters themselves.
        given = {**self.config, "password": password_text(config_file.read_text("utf-8")) or given_password}
        self.build, problems = start(given, config_file, docs_dir=Path(config.docs_dir), loader=self.loader,
                                     salt_from=config.site_url or config.site_name, memo=self.memo,
                                     serve=self.command == "serve")
        report(problems, log)
        self.shown = problems if self.build is None else None
        if self.build is None and self.command != "serve":
            raise PluginError(str(InputError(problems)))
        if self.build is None:
            _log_shown(InputError(problems))
            return config
        return _plugin_error(self._configure, config)

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        assert self.build is not None
        if self.command == "gh-deploy":
            guard_deploy(Path(config.site_dir), self.build.marker, dirty=self.dirty)
        self.build.configure(config)
        log.info("promo-packet: %s", self.build.summary())
        if self.command != "serve":  # `mkdocs serve` builds into a folder nobody publishes
            self.site_dir = Path(config.site_dir)
            self.staging = stage(self.site_dir, dirty=self.dirty)
            config.site_dir = str(self.staging)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.build is None:  # a live preview with errors: the theme's files and one page of them
            page, docs = problems_page(self.shown or []), Path(config.docs_dir).resolve()
            config.nav = [{"Problems": page.uri}]
            return Files([*(f for f in files if not f.is_documentation_page() and not _under(f, docs)),
                          File.generated(config, page.uri, content=page.content)])
        if self.build.protector is not None and (plain := self.build.plaintext_files(
                [(f.src_uri, Path(f.abs_src_path or "")) for f in files if _copied(f)])):
            raise PluginError(str(InputError(plain)))
        own = [f.src_uri for f in files.documentation_pages()]
        for page in self.build.pages(Links(config.use_directory_urls)):
            if (existing := files.get_file_from_path(page.uri)) is not None:
                log.warning("promo-packet: %s is generated; the file %s in the docs folder is ignored",
                            page.uri, existing.src_uri)
                files.remove(existing)
            files.append(File.generated(config, page.uri, content=page.content,
                                        inclusion=_INCLUSION[page.listed]))
        for uri, content in {**self.build.assets(), ROBOTS_URI: ROBOTS}.items():
            if uri not in files.src_uris:
                files.append(File.generated(config, uri, content=content))
        if config.nav is None:
            config.nav = self.build.nav([uri for uri in own if not files.src_uris[uri].generated_by])
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Only an entry's narrative is Markdown as the person wrote it (see narrative.py).
        narrative = page.file.generated_by and page.file.src_uri.startswith("evidence/")
        return clean_html(html) if narrative else html

    @event_priority(-100)  # the policy hashes the page's final scripts: after other plugins
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._seal(output, config, base="../" * page.file.dest_uri.count("/") or "./")

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # Static templates such as 404.html are served from any depth: use the site's root.
        root = urlsplit(config.site_url or "/").path or "/"
        return (self._seal(output_content, config, base=root.rstrip("/") + "/")
                if template_name.endswith(".html") else output_content)

    def _seal(self, html: str, config: MkDocsConfig, *, base: str) -> str:
        # `mkdocs serve` adds its live-reload script after this: its pages get no policy.
        scripts = [str(script) for script in config.extra_javascript]
        return html if self.build is None else self.build.seal_page(
            html, base=base, policy=self.command != "serve", script_urls=scripts)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            if self.build is not None:
                _plugin_error(self.build.complete, Path(config.site_dir), _say)
        except BaseException:  # Ctrl-C included: what was staged never reaches the site folder
            self.on_build_error(error=None)
            raise
        if self.staging is not None and self.site_dir is not None:
            put_in_place(self.staging, self.site_dir)
            config.site_dir, self.staging = str(self.site_dir), None
            log.info("promo-packet: the complete site is now in %s", self.site_dir)
        if self.command == "gh-deploy" and self.build is not None:  # what is pushed must be this build
            _plugin_error(guard_deploy, Path(config.site_dir), self.build.marker, dirty=True)

    def on_build_error(self, *, error: Exception | None) -> None:
        if self.staging is not None:
            discard(self.staging)
            self.staging = None

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for path in (self.config["evidence_dir"], self.config["rubric"], self.config["plan"]):
            if (Path(config.config_file_path).parent / path).exists():
                server.watch(str(Path(config.config_file_path).parent / path))
        return server


def _plugin_error(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``call``'s result; our errors as MkDocs' own, which it prints without a traceback."""
    try:
        return call(*args, **kwargs)
    except PromoPacketError as exc:
        raise PluginError(str(exc)) from exc


def _say(line: str) -> None:
    log.info("promo-packet: %s", line)


def _copied(file: File) -> bool:
    """Whether MkDocs copies the file as it is (not a page, not generated, not excluded)."""
    return bool(not file.generated_by and file.abs_src_path and not file.is_documentation_page()
                and not file.inclusion.is_excluded())


def _under(file: File, folder: Path) -> bool:
    return file.abs_src_path is not None and Path(file.abs_src_path).resolve().is_relative_to(folder)


def _log_shown(error: InputError) -> None:
    """Log the errors a live preview shows on its page, without failing a strict build.

    Strict mode counts every warning and error on MkDocs' logger and fails the build after the
    fact; `mkdocs serve` would then hold the browser again, the very thing the page avoids. The
    strict counter (attached for this build only) is told to skip this one record.
    """
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and _counted not in handler.filters:
            handler.addFilter(_counted)
    log.error("%s", error, extra={"promo_packet_shown": True})


def _counted(record: logging.LogRecord) -> bool:
    return not getattr(record, "promo_packet_shown", False)
