"""A live preview that rebuilds only what a save changes.

``mkdocs serve`` rebuilds the whole site on every save. The plugin outlives those rebuilds, so
the :class:`LivePreview` it keeps remembers what the last build wrote: each generated page's
Markdown, the navigation, every page's title and the search index. When only the packet's own
inputs changed (evidence, rubric, plan), it has MkDocs build dirty: a page whose Markdown is as
it was keeps the HTML it has, so a saved entry rebuilds its own page and the listings that show
it, and the search index keeps every other page's entries. It stays a full build, as MkDocs'
own, whenever anything else changed (mkdocs.yml, the docs folder, a template), whenever the
navigation changes or a page goes, and while the packet has errors: then every URL must show
them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.theme import Theme
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..sharing.protect import SEARCH_INDEX

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

CONFIG_OVERRIDES = ("dev_addr", "strict", "theme", "use_directory_urls")
"""The options of ``mkdocs serve`` that change its config: a rebuild loads the config with them."""
DIRTY_WARNING = "A 'dirty' build is being performed"
"""MkDocs' warning that a dirty build may leave the navigation out of date; ours never does (a
navigation that changes makes the rebuild a full one), and in strict mode it would fail it."""
log = logging.getLogger("mkdocs.plugins.promo_packet")


class _FullRebuild(Exception):  # not an error: a rebuild that starts over, in full
    """Raised inside an incremental rebuild that turns out to need a full one."""


class GeneratedFile(File):
    """A generated file that an incremental rebuild leaves as last written when ``kept``."""

    kept = False

    def is_modified(self) -> bool:
        return not self.kept and super().is_modified()


class TemplateCache(BytecodeCache):
    """The theme's templates compiled once per process: MkDocs makes a new environment for every
    build, which would compile them all again (a live preview's rebuilds, a binder's packets).
    Jinja checks each template's source against the code kept, so an edited template is compiled
    anew."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED: dict[tuple[object, ...], TemplateCache] = {}


def compiled_templates(env: Environment) -> TemplateCache:
    """The process's compiled templates for environments set up as ``env`` is: what Jinja compiles
    depends on the extensions, the lexer's settings, escaping and finalising, not only on the source."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else "function"
    key = (tuple(sorted(env.extensions)), autoescape, env.finalize is not None, env.optimized,
           env.block_start_string, env.block_end_string, env.variable_start_string,
           env.variable_end_string, env.comment_start_string, env.comment_end_string,
           env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
           env.newline_sequence, env.keep_trailing_newline)
    return _COMPILED.setdefault(key, TemplateCache())


@dataclass
class Shown:
    """What a page showed when it was last read: a page a dirty build skips is not read again,
    and the navigation of the pages it does build reads its title (and its icon, from its meta)."""

    title: str | None
    meta: MutableMapping[str, Any]


@dataclass
class LivePreview:
    """What a live preview keeps from one build to the next, and its rebuilds."""

    inputs: tuple[Path, ...] = ()
    """The files and folders whose changes an incremental rebuild may follow (evidence, rubric, plan)."""
    rebuild_full: Callable[[], None] | None = None
    """MkDocs' own rebuild of the whole site."""
    overrides: dict[str, Any] = field(default_factory=dict)
    config_file: str = ""
    site_dir: str = ""
    serve_url: str = ""
    incremental: bool = False
    """Whether the build under way is an incremental one."""
    ready: bool = False
    """Whether the last build showed the packet, complete: the one an incremental rebuild starts from."""
    changed: set[str] = field(default_factory=set)
    pages: dict[str, str] = field(default_factory=dict)
    """The last build's generated pages: source URI -> Markdown."""
    nav: list[Any] | None = None
    shown: dict[str, Shown] = field(default_factory=dict)
    index: dict[str, Any] | None = None
    """The last build's complete search index."""
    order: list[str] = field(default_factory=list)
    rebuilt: set[str] = field(default_factory=set)
    """The URLs of the pages the build under way renders."""
    theme: SteadyTheme = field(default_factory=lambda: SteadyTheme())
    notifications: BaseObserver | None = None
    """What tells the preview of a save in the packet's folders as it happens, if the system can."""

    def install(self, server: LiveReloadServer, config: MkDocsConfig, inputs: Iterable[Path]) -> None:
        """Take over ``server``'s rebuilds, recording which files each follows.

        Only under the ``mkdocs serve`` command, whose options a rebuild's config is loaded with;
        called otherwise (from Python), MkDocs' own rebuilds stay.
        """
        context = click.get_current_context(silent=True)
        if context is None or config.config_file_path is None:
            return
        self.overrides = {name: context.params.get(name) for name in CONFIG_OVERRIDES}
        self.config_file, self.site_dir, self.serve_url = config.config_file_path, server.root, server.url
        self.inputs = tuple(Path(os.path.abspath(path)) for path in inputs)
        for path in config.watch:  # MkDocs watches these right after: a change to them is recorded too
            server.watch(path)
        recorder = FileSystemEventHandler()
        recorder.on_any_event = self._record  # type: ignore[method-assign]
        for emitter in list(server.observer.emitters):
            server.observer.add_handler_for_watch(recorder, emitter.watch)
        self.rebuild_full, server.builder = server.builder, self.rebuild
        self.notifications = notice_at_once(server, [p for p in self.inputs if p.is_dir()], self._record)

    def _record(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.changed.update(os.fsdecode(path) for path in (event.src_path, event.dest_path) if path)

    def rebuild(self) -> None:
        """One rebuild: incremental when only the packet's inputs changed since a complete build."""
        assert self.rebuild_full is not None
        changed, self.changed = self.changed, set()
        self.incremental = self.ready and bool(changed) and all(self._follows(path) for path in changed)
        self.ready = False
        if not self.incremental:
            self.rebuild_full()
            return
        log.info("Building what changed...")
        try:
            with _without(DIRTY_WARNING), self.theme.kept():
                config = load_config(config_file=self.config_file, site_dir=self.site_dir, **self.overrides)
                config.site_url = self.serve_url
                build(config, serve_url=self.serve_url, dirty=True)
        except _FullRebuild:
            self.incremental = False
            self.rebuild_full()

    def _follows(self, path: str) -> bool:
        return any(Path(path).is_relative_to(root) for root in self.inputs)

    def assembled(self, ok: bool) -> None:
        """Turn an incremental rebuild of a packet with errors into a full one: every URL must
        show them, not only the pages it would rebuild."""
        if self.incremental and not ok:
            raise _FullRebuild

    def keep(self, files: Files, nav: list[Any]) -> None:
        """Mark the generated pages whose Markdown is as last built as kept, in an incremental
        rebuild; turn it into a full one if the navigation changed or a page is gone."""
        generated = {f.src_uri: f for f in files.documentation_pages() if isinstance(f, GeneratedFile)}
        contents = {uri: file.content_string for uri, file in generated.items()}
        if self.incremental:
            if nav != self.nav or not self.pages.keys() <= contents.keys():
                raise _FullRebuild
            for uri, file in generated.items():
                file.kept = self.pages.get(uri) == contents[uri]
        self.pages, self.nav = contents, nav

    def read(self, pages: Iterable[Page]) -> None:
        """Note what the pages read this build show; give those a dirty build skipped what they
        showed when last read, before any page is rendered."""
        self.order, self.rebuilt = [], set()
        for page in pages:
            self.order.append(page.url)
            if page.markdown is not None:
                self.rebuilt.add(page.url)
                self.shown[page.file.src_uri] = Shown(page.title, page.meta)
            elif (shown := self.shown.get(page.file.src_uri)) is not None:
                page.title, page.meta = shown.title, shown.meta

    def finish(self, site_dir: Path) -> None:
        """Complete the search index of an incremental rebuild, and keep it for the next one."""
        path = site_dir / SEARCH_INDEX
        if not path.is_file():
            self.ready, self.index = True, None
            return
        written = json.loads(path.read_text("utf-8"))
        if self.incremental and self.index is not None:
            written = merged_index(self.index, written, self.order, self.rebuilt)
            path.write_text(json.dumps(written, separators=(",", ":")), "utf-8")
            log.info("promo-packet: rebuilt %d of %d pages: %s", len(self.rebuilt), len(self.order),
                     ", ".join(sorted(url or "./" for url in self.rebuilt)))
        self.ready, self.index = True, written


CHANGES = ("created", "deleted", "modified", "moved")
"""The events of a changed file (the system also tells of files opened and closed)."""


def notice_at_once(server: LiveReloadServer, folders: list[Path],
                   record: Callable[[FileSystemEvent], None]) -> BaseObserver | None:
    """Have ``server`` rebuild as soon as a file in ``folders`` changes, told by the system
    (inotify on Linux) rather than by MkDocs' polling, which looks twice a second; MkDocs' own
    rebuild loop then waits for the changes to settle as it always does. Where the system cannot
    tell (or the server is not MkDocs' own kind), MkDocs' polling stays; returns the observer."""
    condition = getattr(server, "_rebuild_cond", None)
    if not folders or not isinstance(condition, threading.Condition):
        return None

    def saved(event: FileSystemEvent) -> None:
        # What MkDocs' polling sees, no more: a build reading the files must not start another.
        if event.is_directory or event.event_type not in CHANGES:
            return
        record(event)
        with condition:
            server._want_rebuild = True  # as MkDocs' own watch does: its loop starts the rebuild
            condition.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = saved  # type: ignore[method-assign]
    observer = Observer()
    try:
        for folder in folders:
            observer.schedule(handler, str(folder), recursive=True)
        observer.start()
    except OSError as exc:  # no inotify, or its watches used up: MkDocs' polling does it
        log.debug("promo-packet: the preview polls for saves: %s", exc)
        return None
    for folder in folders:  # polled no more: one save, one rebuild
        server.unwatch(str(folder))
    return observer


class SteadyTheme:
    """What MkDocs works out anew for every build from what an incremental rebuild cannot have
    changed (mkdocs.yml, the theme and the docs folder are as they were, else the rebuild is a
    full one), kept from one incremental rebuild to the next: the installed themes, read from every
    package's metadata; the theme's static files, found among its thousands of files (Material's
    icons); and the theme's templates, compiled once (:func:`compiled_templates`)."""

    def __init__(self) -> None:
        self.themes: Any = None
        self.static: dict[tuple[Any, ...], list[tuple[str, str]]] = {}

    @contextmanager
    def kept(self) -> Iterator[None]:
        utils = sys.modules[f"{build.__module__.split('.')[0]}.utils"]  # MkDocs' or ProperDocs'
        get_themes: Callable[[], Any] = getattr(utils, "get_themes")  # noqa: B009  # kept as it was
        from_theme, get_env = Files.add_files_from_theme, Theme.get_env

        def themes() -> Any:
            if self.themes is None:
                self.themes = get_themes()
            return self.themes

        themes.cache_clear = lambda: None  # type: ignore[attr-defined]  # loading a theme clears MkDocs' cache

        def static(files: Files, env: Environment, config: MkDocsConfig) -> None:
            key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
            if key not in self.static:
                self.static[key] = theme_static_files(from_theme, env, config)
            add_static_files(files, self.static[key], config)

        def environment(theme: Theme) -> Environment:
            env = get_env(theme)
            env.bytecode_cache = compiled_templates(env)
            return env

        swapped = ((utils, "get_themes", themes), (Files, "add_files_from_theme", static),
                   (Theme, "get_env", environment))
        saved = [(owner, name, getattr(owner, name)) for owner, name, _ in swapped]
        for owner, name, value in swapped:
            setattr(owner, name, value)
        try:
            yield
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)


def theme_static_files(listed_by_mkdocs: Callable[[Files, Environment, MkDocsConfig], None],
                       env: Environment, config: MkDocsConfig) -> list[tuple[str, str]]:
    """The theme's static files as MkDocs lists them (``listed_by_mkdocs``: its own
    ``Files.add_files_from_theme``), each as its path and the theme folder it is taken from."""
    found = Files([])
    listed_by_mkdocs(found, env, config)
    return [(file.src_uri, file.src_dir) for file in found if file.src_dir]


def add_static_files(files: Files, listed: Iterable[tuple[str, str]], config: MkDocsConfig) -> None:
    """``listed`` (:func:`theme_static_files`) added to ``files`` as MkDocs adds the theme's files:
    a docs file of the same name wins."""
    for path, folder in listed:
        if files.get_file_from_path(path) is None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def merged_index(previous: Mapping[str, Any], written: Mapping[str, Any], order: list[str],
                 rebuilt: set[str]) -> dict[str, Any]:
    """The search index of the whole site after a dirty build: ``written`` holds the entries of the
    pages rebuilt, ``previous`` every page's as last built, ``order`` the pages' URLs as a full build
    visits them (so as one writes its index)."""
    def by_page(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        pages = defaultdict(list)
        for doc in docs:
            pages[doc["location"].split("#", 1)[0]].append(doc)
        return pages

    old, new = by_page(previous["docs"]), by_page(written["docs"])
    docs = [doc for url in order for doc in (new if url in rebuilt else old).get(url, [])]
    return {**written, "docs": docs}


@contextmanager
def _without(message: str) -> Iterator[None]:
    """MkDocs' build log without the warning that starts with ``message``."""
    logger = logging.getLogger(build.__module__)  # ProperDocs' own, under ProperDocs

    def keep(record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(message)

    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)
