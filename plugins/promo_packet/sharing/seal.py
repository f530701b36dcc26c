"""Sealing a site that is already built: ``promo seal``, for engines that skip the plugin.

A password build seals the site as MkDocs writes it (plugin.py). An engine that runs no
third-party plugin (Zensical, on the folder ``promo gen`` writes) cannot, so the site it
builds is sealed afterwards, with the same scheme (protect.py): the same lock page and
unlock script, the same key, salt and keyed entry URLs, so a packet opens the same
whichever engine built it. The password and the salt come from the packet's mkdocs.yml,
as the plugin reads them.

Every file of the site is accounted for, or nothing is sealed:

- each HTML page becomes a lock page carrying it, under its own policy (policy.py); the
  site-wide 404 page is served from any depth, so it reaches the site from its root;
- entry pages move to the keyed URLs a password build gives them, and every link to
  them follows, so the file names of the evidence do not show in the site's paths;
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

import html as markup
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cryptography.exceptions import InvalidTag

from ..errors import InputError, Problem, plural
from ..model.evidence import EVIDENCE_FOLDER, MARKDOWN_SUFFIXES
from ..model.packet import keyed_slug
from ..model.settings import Options
from ..options import DEFAULTS
from ..reading.config import PLUGIN_NAME, load_config, password_text
from .policy import origin, with_policy
from .protect import (
    PUBLIC_FILES,
    SEALED_SUFFIX,
    SEARCH_INDEX,
    SITEMAPS,
    Protector,
    email_pdf_name,
    encrypt_pdf,
    site_root,
    site_salt,
)
from .publish import MARKER, SiteMarker, discard, put_in_place, read_marker, stage, write_marker

ZENSICAL_SEARCH_INDEX = "search.json"
SEARCH_INDEXES = (SEARCH_INDEX, ZENSICAL_SEARCH_INDEX)
ENTRY_FOLDER = EVIDENCE_FOLDER
"""Where entry pages are (see ``pages.entry_uri``): ``evidence/<slug>/`` or ``evidence/<slug>.html``."""
KEYED = re.compile(r"[0-9a-f]{12}")
"""An entry URL keyed with the password (``packet.view_for``): it names no file."""
STATIC_PAGES = ("404.html",)
"""Pages a server shows at any address: their links start from the site's root."""
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
TEXT_RUN = 6
"""A run of this many words of a page's content found in a file means the file holds its text."""
SHORT_PHRASE = 12
"""A whole shorter text (a title, a heading, a cell) counts from this many characters."""
SITE_HINT = "pass the folder the site was built into (mkdocs' or zensical's site_dir, such as site/)"
REBUILD_HINT = "build the site again, without a password, and seal it once"


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
    docs_dir: Path | None = None
    sources: tuple[Path, ...] = ()
    """The packet's own folders (its root, docs, evidence): never a site to seal."""

    @property
    def salt(self) -> bytes:
        return site_salt(self.site_url or self.site_name)

    @property
    def root(self) -> str:
        """The site's root as a path (``/`` or ``/packet/``): where a static page's links start."""
        return site_root(self.site_url)


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
    site_name, site_url = config.get("site_name"), config.get("site_url")
    if not isinstance(site_name, str) and not site_url:
        return None, [*problems, Problem(config_file.name, None, "missing: the site's name salts its key",
                                         field="site_name", hint="set site_name, as MkDocs requires")]
    scripts = config.get("extra_javascript") or []
    paths = [s.get("path") if isinstance(s, dict) else s for s in scripts if isinstance(s, (str, dict))]
    sources = options.sources
    settings = SealSettings(
        password=options.password,
        site_name=site_name if isinstance(site_name, str) else "",
        site_url=directory_url(site_url) if isinstance(site_url, str) else "",
        pdf_name=options.pdf.name,
        pdf_email=options.pdf.email,
        script_origins=tuple(found for path in paths if (found := origin(str(path))) is not None),
        docs_dir=sources.docs_dir,
        sources=tuple(p for p in (sources.root, sources.docs_dir, sources.evidence_dir) if p is not None),
    )
    return settings, problems


def directory_url(url: str) -> str:
    """``site_url`` as MkDocs reads it, whose trailing slash the salt depends on."""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc and not parts.path.endswith("/"):
        return urlunsplit(parts._replace(path=parts.path + "/"))
    return url


@dataclass(frozen=True)
class Sealed:
    """What sealing did to a site."""

    pages: int
    search_index: str | None = None
    pdf: str | None = None
    entries: int = 0
    """Entry pages moved to their keyed URL."""
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
        if self.entries:
            done.append(f"{plural(self.entries, 'entry URL')} keyed")
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


def seal_site(site: Path, settings: SealSettings, *, out: Path | None = None) -> Sealed:
    """Seal the built ``site`` in place, or into ``out`` leaving ``site`` as it is.

    Raises :class:`InputError` with every reason it refuses; the site is then untouched.
    """
    target = out if out is not None else site
    problems = site_problems(site, settings) + _target_problems(site, target)
    if problems:
        raise InputError(problems)
    protector = Protector(settings.password, salt=settings.salt)
    files, problems = _site_files(site)
    documents, locked, found = _documents(site, files, protector)
    problems += found
    pages = list(documents)
    if locked and len(locked) < len(pages):
        plain = next(p for p in pages if p not in locked)
        problems.append(Problem(site.name + "/", None, f"{len(locked)} of its {plural(len(pages), 'page')} "
                                f"are sealed and the others are not (such as {plain})", hint=REBUILD_HINT))
    if problems:
        raise InputError(problems)
    renames = _entry_renames(files, protector.url_key)
    plan = _plan(site, files, documents, renames, settings, protector, sealed=bool(locked))
    if locked and not plan.problems and (plan.written or plan.removed or plan.marker or renames):
        changes = sorted({*plan.written, *plan.removed, *renames, *([MARKER] if plan.marker else [])}
                         - set(pages))
        plan.problems.append(Problem(site.name + "/", None, "its pages are sealed already, yet it holds "
                                     f"files a sealed site does not: {', '.join(changes[:3])}",
                                     hint=REBUILD_HINT))
    if plan.problems:
        raise InputError(plan.problems)
    if locked:
        return Sealed(len(pages), already=True)
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
    index = next((p for p in SEARCH_INDEXES if p in plan.written), None)
    pdf = settings.pdf_name if settings.pdf_name + SEALED_SUFFIX in plan.written else None
    return Sealed(len(pages), index, pdf, len(renames),
                  tuple(p for p in plan.removed if p != settings.pdf_name))


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


def _documents(site: Path, files: list[str], protector: Protector
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
            opened = protector.open_page(text)
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


def _entry_renames(files: list[str], url_key: bytes) -> dict[str, str]:
    """Each entry page's slug and its keyed one, for entries whose URL still names their file."""
    renames = {}
    for path in files:
        parts = path.split("/")
        if len(parts) < 2 or parts[0] != ENTRY_FOLDER or not parts[-1].endswith(".html"):
            continue
        slug = parts[1] if len(parts) > 2 else parts[1][:-len(".html")]
        if slug != "index" and not KEYED.fullmatch(slug):
            renames[slug] = keyed_slug(url_key, slug)
    return renames


def _moved(path: str, renames: Mapping[str, str]) -> str:
    """Where ``path`` goes once entries have moved to their keyed URL."""
    parts = path.split("/")
    if len(parts) > 1 and parts[0] == ENTRY_FOLDER:
        slug, suffix = (parts[1], "") if len(parts) > 2 else (parts[1][:-len(".html")], ".html")
        if slug in renames:
            parts[1] = renames[slug] + suffix
    return "/".join(parts)


def _plan(site: Path, files: list[str], documents: Mapping[str, str], renames: Mapping[str, str],
          settings: SealSettings, protector: Protector, *, sealed: bool) -> _Plan:
    """What becomes of each file of the site; with ``sealed``, its pages are lock pages already."""
    plan = _Plan()
    docs = _docs_files(settings.docs_dir)
    index = next((p for p in SEARCH_INDEXES if p in files), SEARCH_INDEX)
    pdf = settings.pdf_name
    has_pdf = pdf in files or pdf + SEALED_SUFFIX in files
    address = SiteAddress.of(settings)
    text = PageText(documents, renames)

    def refuse(path: str, message: str, hint: str) -> None:
        plan.problems.append(Problem(f"{site.name}/{path}", None, message, hint=hint))

    for path in files:
        if path in docs and path not in PUBLIC_FILES:
            refuse(path, "comes from the docs folder and would stay unencrypted",
                   "remove it from the docs folder (a stylesheet or script can go in the theme's "
                   "custom_dir), or publish without a password")
        elif path in documents:
            if sealed:
                plan.kept.append(path)
                continue
            page = relink_page(documents[path], path, renames, address)
            moved = _moved(path, renames)
            base = settings.root if path in STATIC_PAGES else "../" * moved.count("/") or "./"
            if _POLICY.search(page) is None:
                page = with_policy(page, script_origins=settings.script_origins)
            plan.written[moved] = protector.lock_under_policy(
                page, base=base, pdf=pdf if has_pdf else None, search_index=index,
                script_origins=list(settings.script_origins)).encode("utf-8")
        elif path in SEARCH_INDEXES:
            _seal_index(site, path, renames, address, protector, plan, refuse)
        elif path == pdf:
            data = (site / path).read_bytes()
            plan.written[path + SEALED_SUFFIX] = protector.seal_bytes(data)
            plan.removed.append(path)
            if settings.pdf_email:
                plan.written[email_pdf_name(pdf)] = encrypt_pdf(data, settings.password)
        elif path == pdf + SEALED_SUFFIX:
            if pdf in files:
                continue  # sealed again from the plaintext beside it
            try:
                protector.open_bytes((site / path).read_bytes())
            except InvalidTag:
                refuse(path, "is sealed under another password or site address", REBUILD_HINT)
            plan.kept.append(path)
        elif path == email_pdf_name(pdf) and b"/Encrypt" in (site / path).read_bytes():
            plan.kept.append(path)  # encrypted by a password build (pdf_email)
        elif path in SITEMAPS:
            plan.removed.append(path)
        elif path == MARKER:
            marker = read_marker(site)
            if marker is None:
                refuse(path, "is not a promo-packet marker", REBUILD_HINT)
            elif marker.protected:
                plan.kept.append(path)
            else:
                plan.marker = SiteMarker(marker.audience, True)
        elif path in PUBLIC_FILES:
            plan.kept.append(path)
        else:
            refusal = _refusal(site, path, renames, text)
            if refusal is None:
                plan.kept.append(path)
            else:
                refuse(path, *refusal)
    return plan


def _refusal(site: Path, path: str, renames: Mapping[str, str], text: PageText) -> tuple[str, str] | None:
    """Why a file that is not the packet's own (a theme's) must not stay in a sealed site, if it must
    not: the message and a hint."""
    suffix = Path(path).suffix.lower()
    if path.startswith(DERIVED_FOLDERS) or any(slug in path.split("/") or Path(path).stem == slug
                                               for slug in renames):
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


def _seal_index(site: Path, path: str, renames: Mapping[str, str], address: SiteAddress,
                protector: Protector, plan: _Plan, refuse: Callable[[str, str, str], None]) -> None:
    raw = (site / path).read_bytes()
    try:
        index = json.loads(raw)
    except ValueError:
        refuse(path, "is not JSON, as a search index is", REBUILD_HINT)
        return
    if isinstance(index, dict) and set(index) == {"sealed"}:
        try:
            protector.open(str(index["sealed"]))
        except (InvalidTag, ValueError):
            refuse(path, "is sealed under another password or site address", REBUILD_HINT)
        plan.kept.append(path)
        return
    if renames:
        index = _relocated(index, renames, address)
        raw = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    plan.written[path] = protector.sealed_index(raw).encode("utf-8")


def _relocated(value: Any, renames: Mapping[str, str], address: SiteAddress) -> Any:
    """A search index with each ``location`` (relative to the site's root) at the keyed URL."""
    if isinstance(value, dict):
        return {key: relink(item, "index.html", renames, address)
                if key == "location" and isinstance(item, str) else _relocated(item, renames, address)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_relocated(item, renames, address) for item in value]
    return value


def _docs_files(docs_dir: Path | None) -> set[str]:
    """The docs folder's files that a build copies as they are, as paths in the site."""
    if docs_dir is None or not docs_dir.is_dir():
        return set()
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*")
            if p.is_file() and p.suffix.lower() not in MARKDOWN_SUFFIXES}


@dataclass(frozen=True)
class SiteAddress:
    """Where the site is served: its origin and the path of its root, split."""

    origin: tuple[str, str] | None
    root: tuple[str, ...]

    @classmethod
    def of(cls, settings: SealSettings) -> SiteAddress:
        parts = urlsplit(settings.site_url)
        return cls((parts.scheme, parts.netloc) if parts.netloc else None,
                   tuple(s for s in settings.root.split("/") if s))


_POLICY = re.compile(r"""<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy""", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|action|content)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""",
                            re.IGNORECASE)


def relink_page(page: str, path: str, renames: Mapping[str, str], address: SiteAddress) -> str:
    """``page`` (at ``path`` in the site) with its links to entries at their keyed URLs."""
    if not renames:
        return page

    def relinked(match: re.Match[str]) -> str:
        value = match[2]
        quote = value[0] if value[0] in "\"'" else ""
        url = value[1:-1] if quote else value
        return f"{match[1]}{quote}{relink(url, path, renames, address)}{quote}"

    return _URL_ATTRIBUTE.sub(relinked, page)


def relink(url: str, path: str, renames: Mapping[str, str], address: SiteAddress) -> str:
    """``url``, as written in the page at ``path``, with an entry's slug in it keyed.

    The URL is resolved segment by segment: only the segment that lands on an entry folder
    of this site changes, whatever the ``../`` before it; the rest is kept as written.
    """
    parts = urlsplit(url)
    if parts.netloc or parts.scheme:
        ours = address.origin is not None and parts.netloc == address.origin[1] \
            and parts.scheme in ("", address.origin[0])
        if not ours:
            return url
        folder: list[str] = []
    elif url.startswith("/"):
        folder = []
    else:
        folder = [*address.root, *path.split("/")[:-1]]
    entries = [*address.root, ENTRY_FOLDER]
    segments = parts.path.split("/")
    changed = False
    for at, segment in enumerate(segments):
        if segment in ("", "."):
            continue
        if segment == "..":
            folder = folder[:-1]
            continue
        slug, suffix = (segment[:-len(".html")], ".html") if segment.endswith(".html") else (segment, "")
        if folder == entries and slug in renames:
            segments[at] = renames[slug] + suffix
            changed = True
        folder.append(segment)
    if not changed:
        return url
    start = url.index(parts.path, url.find(parts.netloc) + len(parts.netloc) if parts.netloc else 0)
    return url[:start] + "/".join(segments) + url[start + len(parts.path):]


_UNREAD = re.compile(r"<(script|style|template|svg)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_CONTENT = tuple(re.compile(rf"<{name}\b[^>]*>(.*)</{name}\s*>", re.IGNORECASE | re.DOTALL)
                 for name in ("article", "main", "body"))
"""Where a page's own content is, first found first: the theme's navigation is not the page's text."""
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ELEMENT_TAG = re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>")
"""A tag in a copy of a page's HTML (a search index's text): not ``a<b&&c>d`` in a script."""
_WORD = re.compile(r"\w+")
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\[nrtbfv]")


class PageText:
    """The text of a site's pages, to tell whether another file holds some of it.

    A page's content (its article, else its main, else its body; not its scripts) counts
    as runs of :data:`TEXT_RUN` words, and each shorter text between two tags (a title, a
    heading, a quote) whole; entry slugs count too. Words are compared lowercased, with
    HTML entities and JavaScript escapes undone, so a JSON or script copy is found.
    """

    def __init__(self, documents: Mapping[str, str], slugs: Iterable[str] = ()) -> None:
        self.phrases: dict[str, str] = {}
        self.lengths: set[int] = set()
        for path, page in documents.items():
            for phrase in _phrases(page):
                self._add(phrase, path)
        for slug in slugs:
            self._add(_words(slug), f"{ENTRY_FOLDER}/{slug}")

    def _add(self, words: list[str], source: str) -> None:
        if words:
            self.phrases.setdefault(" ".join(words), source)
            self.lengths.add(len(words))

    def found_in(self, data: bytes) -> str | None:
        """The page whose text ``data`` holds some of, or None."""
        text = markup.unescape(_ESCAPE.sub(_unescaped, data.decode("utf-8", errors="replace")))
        words = _words(_ELEMENT_TAG.sub(" ", text))
        for length in sorted(self.lengths, reverse=True):
            for at in range(len(words) - length + 1):
                source = self.phrases.get(" ".join(words[at:at + length]))
                if source is not None:
                    return source
        return None


def _phrases(page: str) -> Iterator[list[str]]:
    page = _UNREAD.sub(" ", page)
    content = next((found for pattern in _CONTENT if (found := pattern.search(page))), None)
    region = content[1] if content else page
    words = _words(_TAG.sub(" ", region))
    for at in range(len(words) - TEXT_RUN + 1):
        yield words[at:at + TEXT_RUN]
    title = _TITLE.search(page)
    for run in [*_TAG.split(region), title[1] if title else ""]:
        short = _words(run)
        if 1 < len(short) < TEXT_RUN and len(" ".join(short)) >= SHORT_PHRASE:
            yield short


def _words(text: str) -> list[str]:
    return _WORD.findall(markup.unescape(text).lower())


def _unescaped(match: re.Match[str]) -> str:
    code = match[1] or match[2] or match[3]
    return chr(int(code, 16)) if code else " "
