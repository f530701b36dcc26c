"""Sealing a site that is already built: ``promo seal``, for engines that skip the plugin.

A password build seals the site as MkDocs writes it (hosts/build.py). An engine that runs
no third-party plugin (Zensical, on the folder ``promo gen`` writes) cannot, so the site it
builds is sealed afterwards, by the same :class:`~promo_packet.sharing.sealer.Sealer`: the
same lock page and unlock script, the same key and salt, so a packet opens the same
whichever engine built it. The password and the salt come from the packet's mkdocs.yml,
as the plugin reads them.

Entry URLs are never moved here: ``promo gen``, with the password configured, writes each
entry at the keyed URL a password build gives it. A site whose entry URLs still name their
evidence files (built without the password) is refused.

Every file of the site is accounted for, or nothing is sealed:

- each HTML page becomes a lock page carrying it, under its own policy (policy.py); the
  site-wide 404 page is served from any depth, so it reaches the site from its root;
- the search index (MkDocs': ``search/search_index.json``, Zensical's: ``search.json``)
  is sealed; the PDF (``pdf_name``) is sealed to its name + ``.sealed`` and the
  plaintext removed (with ``pdf_email``, also encrypted on its own, as a build does);
  sitemaps are removed; ``CNAME`` and ``robots.txt`` stay; the marker says "sealed";
- the theme's files stay as they are: stylesheets, scripts, source maps, fonts, images.
  A script or stylesheet (or licence, or source map) is read first: if it holds text
  of the pages, it is refused, as is a file copied from the docs folder (a password
  build refuses those too), a file named after an entry or a file of any other kind.

It fails closed: any refusal leaves the site as it was, with every reason listed. The
sealed site is written into a staging folder beside the target and swapped in whole
(publish.py), so an error or Ctrl-C halfway never leaves half a sealed site.

Sealing twice changes nothing: a site whose pages are all lock pages that open with the
configured password is left as it is ("already sealed"), once the rest of it has been
checked as above; pages sealed under another password, or sealed pages beside plaintext
ones, are refused rather than sealed again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag

from ..errors import InputError, Problem, plural
from ..model.evidence import EVIDENCE_FOLDER
from ..model.settings import Options
from ..reading.config import PLUGIN_NAME, load_config, password_text
from .page_text import PageText
from .protect import PUBLIC_FILES, SEALED_SUFFIX, SEARCH_INDEX, SITEMAPS, email_pdf_name
from .publish import MARKER, SiteMarker, discard, put_in_place, read_marker, stage, write_marker
from .sealer import (
    SEARCH_INDEXES,
    Sealer,
    SealSettings,
    docs_copy,
    docs_files,
    entry_slugs,
    page_base,
    seal_settings,
)

__all__ = ["SealSettings", "Sealed", "read_seal_settings", "seal_site", "site_problems", "theme_file_refusal"]

ENTRY_FOLDER = EVIDENCE_FOLDER
"""Where entry pages are (see ``pages.entry_uri``): ``evidence/<slug>/`` or ``evidence/<slug>.html``."""
KEYED = re.compile(r"[0-9a-f]{12}")
"""An entry URL keyed with the password (``packet.view_for``): it names no file."""
PAGE_SUFFIXES = (".html", ".htm")
THEME_FOLDER = "assets/"
"""Where themes (Material, Zensical) put their files: an image elsewhere may be the person's."""
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
                            ".woff", ".woff2", ".ttf", ".otf", ".eot"})
"""The theme's images and fonts (in :data:`THEME_FOLDER`): kept as they are unless the docs
folder or an entry gave them."""
READ_SUFFIXES = frozenset({".css", ".js", ".mjs", ".map", ".svg"})
"""The theme's text files: kept unless they hold the text of a page."""
DERIVED_FOLDERS = ("assets/images/social/",)
"""Material's social cards: each an image of a page's title."""
SITE_HINT = "pass the folder the site was built into (mkdocs' or zensical's site_dir, such as site/)"
REBUILD_HINT = "build the site again, without a password, and seal it once"
KEYED_HINT = ("generate the folder with the password set ('promo gen OUT' writes entries at their keyed "
              "URLs), build it, and seal that site")


def read_seal_settings(config_file: Path, options: Options, problems: list[Problem]
                       ) -> tuple[SealSettings | None, list[Problem]]:
    """The settings in ``config_file``, whose plugin options (and their problems) ``read_config``
    gave, or None and why not (no password, a weak one, ...)."""
    if any(p.is_error for p in problems):
        return None, problems
    text = config_file.read_text("utf-8")
    if options.password is None:
        written = password_text(text)
        line = written.line if written is not None else None
        message = ("no password is configured, so there is nothing to seal with" if written is None
                   else "the password option is empty: is its environment variable set?")
        return None, [*problems, Problem(config_file.name, line, message, field=f"{PLUGIN_NAME}.password",
                                         hint="add 'password: !ENV PROMO_PASSWORD' to the promo-packet "
                                              "options and set PROMO_PASSWORD")]
    config = load_config(config_file)[0]
    if not isinstance(config.get("site_name"), str) and not config.get("site_url"):
        return None, [*problems, Problem(config_file.name, None, "missing: the site's name salts its key",
                                         field="site_name", hint="set site_name, as MkDocs requires")]
    settings = seal_settings(options, config)
    return dataclasses.replace(settings, slugs=entry_slugs(options.sources.evidence_dir)), problems


@dataclass(frozen=True)
class Sealed:
    """What sealing did to a site."""

    pages: int
    search_index: str | None = None
    pdf: str | None = None
    removed: tuple[str, ...] = ()
    already: bool = False
    """The site was sealed with this password before: nothing changed."""

    def summary(self) -> str:
        if self.already:
            return f"already sealed with this password ({plural(self.pages, 'page')}); nothing changed"
        done = [f"{plural(self.pages, 'page')} locked"]
        if self.search_index:
            done.append(f"{self.search_index} sealed")
        if self.pdf:
            done.append(f"{self.pdf} sealed to {self.pdf}{SEALED_SUFFIX}")
        if self.removed:
            done.append(f"{', '.join(self.removed)} removed")
        return ", ".join(done)


@dataclass
class _Plan:
    """The sealed site, file by file, before anything is written."""

    kept: list[str] = field(default_factory=list)
    written: dict[str, bytes] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    marker: SiteMarker | None = None
    problems: list[Problem] = field(default_factory=list)

    def changes(self) -> list[str]:
        return sorted({*self.written, *self.removed, *([MARKER] if self.marker else [])})


def seal_site(site: Path, settings: SealSettings, *, out: Path | None = None) -> Sealed:
    """Seal the built ``site`` in place, or into ``out`` leaving ``site`` as it is.

    Raises :class:`InputError` with every reason it refuses; the site is then untouched.
    """
    target = out if out is not None else site
    problems = site_problems(site, settings) + _target_problems(site, target)
    if problems:
        raise InputError(problems)
    sealer = Sealer(settings)
    files, problems = _site_files(site)
    documents, locked, found = _documents(site, files, sealer)
    problems += found + _unkeyed_entries(site, files) + _half_sealed(site, list(documents), locked)
    if problems:
        raise InputError(problems)
    plan = _Planner(site, files, documents, sealer, sealed=bool(locked)).plan()
    if locked and not plan.problems and (changes := [p for p in plan.changes() if p not in documents]):
        plan.problems.append(Problem(site.name + "/", None, "its pages are sealed already, yet it holds "
                                     f"files a sealed site does not: {', '.join(changes[:3])}",
                                     hint=REBUILD_HINT))
    if plan.problems:
        raise InputError(plan.problems)
    if locked:
        return Sealed(len(documents), already=True)
    _write(site, plan, target)
    index = next((p for p in SEARCH_INDEXES if p in plan.written), None)
    pdf = settings.pdf_name if settings.pdf_name + SEALED_SUFFIX in plan.written else None
    return Sealed(len(documents), index, pdf, tuple(p for p in plan.removed if p != settings.pdf_name))


def _half_sealed(site: Path, pages: list[str], locked: set[str]) -> list[Problem]:
    """Lock pages beside plaintext ones: what sealing again would mix up, refused."""
    if not locked or len(locked) == len(pages):
        return []
    plain = next(p for p in pages if p not in locked)
    return [Problem(site.name + "/", None, f"{len(locked)} of its {plural(len(pages), 'page')} "
                    f"are sealed and the others are not (such as {plain})", hint=REBUILD_HINT)]


def _write(site: Path, plan: _Plan, target: Path) -> None:
    """The sealed site staged beside ``target``, then swapped in whole; on any failure, Ctrl-C
    included, nothing staged reaches it."""
    staging = stage(target)
    try:
        for path in plan.kept:
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(site / path, staging / path)
        for path, data in plan.written.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_bytes(data)
        if plan.marker is not None:
            write_marker(staging, plan.marker)
        put_in_place(staging, target)
    except BaseException:
        discard(staging)
        raise


def site_problems(site: Path, settings: SealSettings) -> list[Problem]:
    """Why ``site`` is not a built site to seal, if it is not."""
    shown = str(site)
    if not site.is_dir():
        what = "is not a folder" if site.exists() else "not found"
        return [Problem(shown, None, what, hint=SITE_HINT)]
    here = site.resolve()
    for source in settings.sources:
        if source.resolve().is_relative_to(here):
            what = "is the packet's own folder" if source.resolve() == here else f"holds its {source.name}/"
            return [Problem(shown, None, f"{what}, not a built site", hint=SITE_HINT)]
    if not (site / "index.html").is_file():
        return [Problem(shown, None, "holds no index.html: it is not a built site", hint=SITE_HINT)]
    return []


def _target_problems(site: Path, target: Path) -> list[Problem]:
    """Why the sealed site must not replace ``target``, if it must not."""
    here, there = site.resolve(), target.resolve()
    if here == there:
        return []
    if there.is_relative_to(here) or here.is_relative_to(there):
        return [Problem(str(target), None, f"is inside {site} or holds it",
                        hint="write the sealed site beside it")]
    if target.exists() and not target.is_dir():
        return [Problem(str(target), None, "is not a folder", hint="name a folder for the sealed site")]
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        return [Problem(str(target), None, "holds files but no built site, and would be replaced",
                        hint="name a new or empty folder, or a site folder to replace")]
    return []


def _site_files(site: Path) -> tuple[list[str], list[Problem]]:
    """Every file of the site, as paths relative to it; a version-control folder is not the site's."""
    files, problems = [], []
    for folder, folders, names in os.walk(site):
        linked = [name for name in folders if (Path(folder) / name).is_symlink()]
        folders[:] = sorted(name for name in folders if name != ".git" and name not in linked)
        for name in sorted([*names, *linked]):
            path = Path(folder) / name
            relative = path.relative_to(site).as_posix()
            if path.is_symlink() or not path.is_file():
                problems.append(Problem(f"{site.name}/{relative}", None, "is not a regular file (a link?)",
                                        hint="build the site again: a built site holds plain files"))
            else:
                files.append(relative)
    return sorted(files), problems


def _documents(site: Path, files: list[str], sealer: Sealer
               ) -> tuple[dict[str, str], set[str], list[Problem]]:
    """Each page as a reader sees it (opened, if it is a lock page), and which pages are locked."""
    documents: dict[str, str] = {}
    locked: set[str] = set()
    foreign, problems = [], []
    for path in files:
        if not path.lower().endswith(PAGE_SUFFIXES):
            continue
        try:
            text = (site / path).read_text("utf-8")
            opened = sealer.protector.open_page(text)
        except UnicodeDecodeError:
            problems.append(Problem(f"{site.name}/{path}", None, "is not UTF-8 text", hint=REBUILD_HINT))
            continue
        except (InvalidTag, ValueError):
            foreign.append(path)
            continue
        documents[path] = text if opened is None else opened
        if opened is not None:
            locked.add(path)
    if foreign:
        problems.append(Problem(f"{site.name}/", None, f"{plural(len(foreign), 'page')} sealed under "
                                f"another password or site address (such as {foreign[0]})",
                                hint=f"set the password it was sealed with, or {REBUILD_HINT}"))
    return documents, locked, problems


def _unkeyed_entries(site: Path, files: Iterable[str]) -> list[Problem]:
    """Entry pages whose URL names their evidence file: the site was built without the password."""
    named = []
    for path in files:
        parts = path.split("/")
        if len(parts) < 2 or parts[0] != ENTRY_FOLDER or not parts[-1].endswith(PAGE_SUFFIXES):
            continue
        slug = parts[1] if len(parts) > 2 else parts[1].rsplit(".", 1)[0]
        if slug != "index" and not KEYED.fullmatch(slug):
            named.append(path)
    if not named:
        return []
    return [Problem(f"{site.name}/{named[0]}", None, f"{plural(len(named), 'entry page')} at URLs that name "
                    "their evidence files, which a sealed site does not show", hint=KEYED_HINT)]


class _Planner:
    """What becomes of each file of the site; with ``sealed``, its pages are lock pages already."""

    def __init__(self, site: Path, files: list[str], documents: Mapping[str, str], sealer: Sealer, *,
                 sealed: bool) -> None:
        self.site, self.files, self.documents, self.sealed = site, files, documents, sealed
        self.sealer = sealer
        settings = sealer.settings
        self.docs = docs_files(settings.docs_dir)
        self.index = next((p for p in SEARCH_INDEXES if p in files), SEARCH_INDEX)
        self.pdf = settings.pdf_name
        self.text = PageText(documents, settings.slugs)
        self.result = _Plan()

    def plan(self) -> _Plan:
        for path in self.files:
            self.place(path)
        if not self.sealed and MARKER not in self.files:
            self.result.marker = SiteMarker(self.sealer.settings.audience, True)
        return self.result

    def refuse(self, path: str, message: str, hint: str) -> None:
        self.result.problems.append(Problem(f"{self.site.name}/{path}", None, message, hint=hint))

    def place(self, path: str) -> None:
        if path in self.docs:
            self.result.problems.append(docs_copy(f"{self.site.name}/{path}"))
        elif path in self.documents:
            self.page(path)
        elif path in SEARCH_INDEXES:
            self.search_index(path)
        elif path in (self.pdf, self.pdf + SEALED_SUFFIX, email_pdf_name(self.pdf)):
            self.pdf_file(path)
        elif path in SITEMAPS:
            self.result.removed.append(path)
        elif path == MARKER:
            self.marker(path)
        elif path in PUBLIC_FILES:
            self.result.kept.append(path)
        elif (refusal := theme_file_refusal(self.site, path, self.sealer.settings.slugs,
                                            self.text)) is not None:
            self.refuse(path, *refusal)
        else:
            self.result.kept.append(path)

    def page(self, path: str) -> None:
        if self.sealed:
            self.result.kept.append(path)
            return
        has_pdf = self.pdf in self.files or self.pdf + SEALED_SUFFIX in self.files
        locked = self.sealer.lock(self.documents[path], base=page_base(path, self.sealer.settings.root),
                                  pdf=self.pdf if has_pdf else None, search_index=self.index)
        self.result.written[path] = locked.encode("utf-8")

    def search_index(self, path: str) -> None:
        raw = (self.site / path).read_bytes()
        try:
            index = json.loads(raw)
        except ValueError:
            self.refuse(path, "is not JSON, as a search index is", REBUILD_HINT)
            return
        if not (isinstance(index, dict) and set(index) == {"sealed"}):
            self.result.written[path] = self.sealer.sealed_index(raw)
            return
        try:
            self.sealer.protector.open(str(index["sealed"]))
        except (InvalidTag, ValueError):
            self.refuse(path, "is sealed under another password or site address", REBUILD_HINT)
        self.result.kept.append(path)

    def pdf_file(self, path: str) -> None:
        data = (self.site / path).read_bytes()
        if path == self.pdf:
            self.result.written.update(self.sealer.pdf_files(data))
            self.result.removed.append(path)
        elif path == email_pdf_name(self.pdf):
            if b"/Encrypt" not in data:
                self.refuse(path, "is not encrypted, as the PDF for email is", REBUILD_HINT)
            self.result.kept.append(path)
        elif self.pdf in self.files:
            return  # sealed again from the plaintext beside it
        else:
            try:
                self.sealer.protector.open_bytes(data)
            except InvalidTag:
                self.refuse(path, "is sealed under another password or site address", REBUILD_HINT)
            self.result.kept.append(path)

    def marker(self, path: str) -> None:
        marker = read_marker(self.site)
        if marker is None:
            self.refuse(path, "is not a promo-packet marker", REBUILD_HINT)
        elif marker.protected:
            self.result.kept.append(path)
        else:
            self.result.marker = SiteMarker(marker.audience, True)


def theme_file_refusal(site: Path, path: str, slugs: Iterable[str], text: PageText) -> tuple[str, str] | None:
    """Why a file that is not the packet's own (a theme's) must not stay in a sealed site, if it must
    not: the message and a hint."""
    suffix = Path(path).suffix.lower()
    if path.startswith(DERIVED_FOLDERS) or any(slug in path.split("/") or Path(path).stem == slug
                                               for slug in slugs):
        return ("is derived from a page of the packet and would stay unencrypted",
                f"{REBUILD_HINT}, with the theme's plugins that render pages into files (social cards) off")
    if (suffix in MEDIA_SUFFIXES and path.startswith(THEME_FOLDER)) or (site / path).stat().st_size == 0:
        return None  # an empty file (.nojekyll) holds nothing to read
    if suffix in READ_SUFFIXES or Path(path).name.upper().startswith("LICENSE"):
        source = text.found_in((site / path).read_bytes())
        return None if source is None else (
            f"holds text of {source} and would stay unencrypted",
            "remove it from the site (a search index of another engine, an offline copy?), "
            "or tell promo-packet's maintainers which engine wrote it")
    return ("is not a file a sealed site may keep unencrypted (the pages, the search index, the PDF, "
            f"the theme's stylesheets and scripts, and its fonts and images in {THEME_FOLDER})",
            "remove it from the site, or from the docs folder it came from")
