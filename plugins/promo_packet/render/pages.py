"""The packet model rendered as the finished pages of the site.

Each generated page is rendered whole before a site generator sees it: Markdown, with its
headings (so the generator makes the title and the table of contents), and HTML blocks
where Markdown would be slow (an entry's card, its summary on the packet and dimension
pages, the one-line listings). Every page's path is known before the build, so every link
is final: Markdown links point at the ``.md`` source (the generator checks and rewrites
them, whatever its URL style), links in HTML at the page's URL for the URL style given
(:class:`Links`). Nothing is left to fill in later, so the same pages build with our
MkDocs plugin or, written out by ``promo gen``, with any engine.

An entry's page is its heading, its card, then its narrative as written. Listings that
repeat entries (the rest of a dimension's entries) and an entry's dates and links are kept
out of the search index by the theme's own means (``data-search-exclude``), and the timeline,
a listing and nothing else, by its front matter (``search: exclude``), so the theme's search
does not read it at all: each entry is found once, on its own page.

Every value a site template prints goes through :func:`text`, the environment's
``finalize``: user text shows as typed and never becomes Markdown, HTML or an attribute,
in Markdown and HTML alike. Links from the evidence go through :func:`url`.

URLs are stable, a sponsor bookmarks them::

    index.md                 overview: coverage matrix, strongest and newest entries
    packet.md                the curated packet
    gaps.md                  thin and missing dimensions with their expectations
    timeline.md              every entry, newest first, by month
    drafts.md                drafts to accept, in the author's own build only (when there are any)
    since.md                 what changed since the ``since`` option's day or revision (if set)
    dimensions/<slug>.md     one rubric dimension and all its evidence (the slug of its id)
    evidence/<slug>.md       one entry: its fields as a card, then the narrative
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import Problem, Severity, errors_in, plural, sort_problems
from ..model.coverage import Coverage, summary_sentence
from ..model.dates import day, month
from ..model.evidence import EVIDENCE_FOLDER, Evidence, Metric
from ..model.packet import Packet
from ..model.plan import Checkin
from ..model.progress import PlanStatus, entries_between
from ..model.since import Changes
from ..model.strength import OWN_ACCOUNT, proofs_missing
from ..reading.urls import safe_url
from ..reading.yaml_writer import scalar as yaml_scalar
from . import charts
from .charts import PRINT, SITE, Palette, coverage_heatmap, evidence_over_time

# Every character that HTML or Markdown (with attr_list, tables and the usual pymdownx extras)
# reads as syntax, as a numeric character reference: the browser shows the character itself,
# and no Markdown rule matches a reference. `-`, `?`, `/`, `.` and `)` only start syntax at the
# start of a line (lists, details, blocks), `_` only next to a non-word character: those are
# _MARKDOWN_SENSITIVE.
_TEXT_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'`*[]{}|\\#~^=:$!+@"})
_MARKDOWN_SENSITIVE = re.compile(r"^(?:[-?/]|\d+[.)])|(?<![^\W_])_|_(?![^\W_])")
_LINE_STARTS = "-?/0123456789"
_IDENTIFIER = re.compile(r"[a-z0-9_-]+")  # what slugs (ids.slug_of) are made of
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
OVERVIEW_COUNT = 5
IN_FULL = 10
"""Entries a dimension page shows in full, strongest first; the rest get one line each."""
SINCE_URI = "since.md"
DRAFTS_URI = "drafts.md"
"""The author's list of drafts to accept (:attr:`Packet.drafts`)."""

Href = Callable[[str], str]
"""Turns a page's source URI (``dimensions/scope.md``) into a link from the page being built."""


@dataclass(frozen=True)
class Links:
    """Where each page's URL is, so links are final before any generator runs.

    ``directory`` is MkDocs' ``use_directory_urls``: ``dimensions/scope.md`` is served at
    ``dimensions/scope/`` with it, at ``dimensions/scope.html`` without. Links are relative
    to the page, which MkDocs leaves as they are in HTML; a generator that reads links in HTML
    as relative to the source file instead (Zensical does) is given ``root``, the site's path
    (``/packet/``), and links from it.
    """

    directory: bool = True
    root: str | None = None

    def url(self, uri: str) -> str:
        """The URL of a page's source URI, from the site's root."""
        stem = uri.removesuffix(".md")
        if not self.directory:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/"

    def href(self, page: str) -> Href:
        """Links from the page whose source URI is ``page``."""
        if self.root is not None:
            root = self.root
            return lambda uri: root + self.url(uri)
        here = self.url(page)
        base = here.rsplit("/", 1)[0].split("/") if "/" in here else []

        def href(uri: str) -> str:
            parts = self.url(uri).split("/")
            common = 0
            while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
                common += 1
            return "../" * (len(base) - common) + "/".join(parts[common:]) or "./"

        return href


def markdown_root(uri: str) -> str:
    """The way back to the docs folder's root from a page, for Markdown links to ``.md`` sources."""
    return "../" * uri.count("/")


LISTING = '<div class="pp-listing" data-search-exclude>'
"""How a listing block opens: entries found on pages of their own, left out of the search index."""


@dataclass(frozen=True)
class GeneratedPage:
    """One finished page of the site: its source URI (``.md``) and its Markdown."""

    uri: str
    content: str
    listed: bool = True
    """Whether the page belongs in the navigation (entries do not)."""
    narrative: str | None = None
    """An entry's narrative, Markdown as the person wrote it, which ends the content: whatever
    converts it passes the HTML through :func:`promo_packet.render.narrative.clean_html`."""
    blocks: tuple[str, ...] = ()
    """HTML blocks of the content, in order, each one element as it stands in the Markdown, on
    lines of its own between blank lines: a converter that knows them may take each as it is,
    which is what Markdown makes of it, without parsing it again (the plugin does)."""

    @property
    def listings(self) -> tuple[str, ...]:
        """The blocks that list entries found on pages of their own: the theme's search skips them."""
        return tuple(block for block in self.blocks if block.startswith(LISTING))


class PageMemo:
    """Entry pages rendered by earlier builds in the same process, reused while they hold.

    Under ``mkdocs serve`` every save rebuilds the site; an entry whose file did not change
    renders to the same page, so it is not rendered again. The key is everything the page
    is made of, by value, so a copy of an entry (a password build's) finds it too;
    :meth:`sweep` forgets what the last build did not use.
    """

    def __init__(self) -> None:
        self._pages: dict[Hashable, GeneratedPage] = {}
        self._used: dict[Hashable, GeneratedPage] = {}
        self.renders = 0
        """How many pages were rendered rather than reused (for tests)."""

    def get(self, key: Hashable, render: Callable[[], GeneratedPage]) -> GeneratedPage:
        content = self._pages.get(key)
        if content is None:
            self.renders += 1
            content = render()
        self._used[key] = content
        return content

    def sweep(self) -> None:
        self._pages, self._used = self._used, {}


_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Evidence)
                      if f.name not in ("extra", "lines", "body_line"))
"""What of an entry its page shows: the key of its page in a :class:`PageMemo`."""


def oneline(text: object) -> str:
    """User text on one line (plain text, not escaped)."""
    return " ".join(str(text).split())


def text(value: object) -> Markup:
    """``value`` as text on one line, escaped for HTML and Markdown alike: the one escape.

    Every ``{{ value }}`` of a site template goes through it (it is the environment's
    ``finalize``), so no template has to remember a filter. The result shows exactly the
    characters written (``5 * 3``, ``Replaced the `<Select>` widget``) and can produce no
    markup: no tag, no attribute (attr_list ``{: ...}``), no emphasis, link, code span, table
    cell, heading, quote or list. Markup made by our own code (a macro, a fragment's marker,
    :func:`url`) is :class:`~markupsafe.Markup` and passes as it is. HTML-escaped references
    are as good in an HTML fragment or attribute as in Markdown, so one function serves both.
    """
    if isinstance(value, Markup):
        return value
    return _escaped(value if type(value) is str else str(value))


@lru_cache(maxsize=4096)  # names, levels, days and labels repeat on every page that lists an entry
def _escaped(value: str) -> Markup:
    escaped = oneline(value).translate(_TEXT_ESCAPES)
    if "_" in escaped or escaped[:1] in _LINE_STARTS:  # the regular expression costs as much again
        escaped = _MARKDOWN_SENSITIVE.sub(_references, escaped)
    return Markup(escaped)


def _references(match: re.Match[str]) -> str:
    return "".join(f"&#{ord(c)};" if not c.isdigit() else c for c in match[0])


@cache
def change(metric: Metric) -> str:
    """``3 h → 40 min``, or whichever side is known (plain text)."""
    if metric.before and metric.after:
        return f"{oneline(metric.before)} → {oneline(metric.after)}"
    return oneline(metric.after or metric.before or "")


@cache
def environment(kind: str) -> jinja2.Environment:
    """The Jinja environment for ``site`` (Markdown and HTML fragments), ``print`` (HTML) or ``text``.

    Site templates escape every value with :func:`text` (Markdown pages and HTML fragments
    alike); print templates are autoescaped HTML; ``text`` (scaffolding) escapes nothing.
    """
    site = kind == "site"
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("promo_packet", "templates"),
        autoescape=kind in ("site", "print"),
        finalize=text if site else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    env.filters.update(day=day, month=month, change=change, uri=entry_uri,
                       yaml=yaml_scalar, url=url, plural=plural, proofs_missing=proofs_missing)
    env.globals["OWN_ACCOUNT"] = OWN_ACCOUNT
    if kind in ("site", "print"):
        env.globals.update(Charts(SITE if site else PRINT, searchable=not site).globals())
    if site:
        # Jinja's own join escapes for HTML only and marks the result safe, past finalize.
        env.filters.update(join=join_text, paragraphs=paragraphs, id=identifier, front_matter=front_matter)
        # Imported once here rather than by every fragment: a fragment renders per entry.
        env.globals["h"] = env.get_template("site/_html.html.j2").module
    return env


CHART_NAMES = {"coverage": "Coverage chart", "evidence": "Evidence over time chart"}


@dataclass(frozen=True)
class Charts:
    """The charts of :mod:`promo_packet.render.charts` for a template, as markup.

    A chart is our markup, every text in it escaped as it was drawn, so it is
    :class:`~markupsafe.Markup` and passes :func:`text` as it is. On the site a chart is an HTML
    block the search index skips: its words are in the pages' text already.
    """

    palette: Palette
    searchable: bool

    def globals(self) -> dict[str, object]:
        return {"coverage_chart": self.coverage, "evidence_chart": self.evidence,
                "MONTHS_BY_MONTH": charts.MONTHS_BY_MONTH, "SILENCE_MONTHS": charts.SILENCE_MONTHS}

    def coverage(self, packet: Packet) -> Markup:
        return self._block(coverage_heatmap(packet, palette=self.palette), "coverage")

    def evidence(self, packet: Packet, coverage: Coverage | None = None) -> Markup:
        """Entries over time, for every dimension or for ``coverage``'s only."""
        if coverage is None:
            return self._block(evidence_over_time(packet, palette=self.palette), "evidence")
        chart_id = f"pp-evidence-{coverage.dimension.slug}"
        return self._block(evidence_over_time(packet, [coverage], chart_id=chart_id, palette=self.palette),
                           "evidence")

    def _block(self, svg: str, kind: str) -> Markup:
        if not svg:
            return Markup("")
        exclude = "" if self.searchable else " data-search-exclude"
        # A chart never shrinks its text below 12 px: on a narrow screen it scrolls, so the keyboard
        # must reach it too.
        region = "" if self.searchable else f' role="region" tabindex="0" aria-label="{CHART_NAMES[kind]}"'
        return Markup(f'<div class="pp-chart pp-chart--{kind}"{region}{exclude}>\n{svg}\n</div>')


def identifier(value: object) -> Markup:
    """A slug as it is (``scope_``), for a URL or an anchor, where Markdown reads a character
    reference literally; a value that is not one is escaped by :func:`text`."""
    found = str(value)
    return Markup(found) if _IDENTIFIER.fullmatch(found) else text(found)


def join_text(values: Iterable[object], separator: str = "") -> Markup:
    """Jinja's ``join``, each value escaped by :func:`text`."""
    return Markup(separator.translate(_TEXT_ESCAPES)).join(text(value) for value in values)


def paragraphs(value: object) -> Markup:
    """Text of several paragraphs (blank lines between), each escaped by :func:`text`."""
    return Markup("\n\n").join(text(p) for p in _PARAGRAPH_BREAK.split(str(value).strip()) if p.strip())


def url(value: object) -> Markup | None:
    """A URL for an ``href``: http, https, mailto or relative, escaped for the attribute;
    None for anything else (``javascript:``, ``data:``...), which a template shows as text."""
    safe = safe_url(str(value))
    return None if safe is None else Markup(escape(safe, quote=True))


def render_pages(packet: Packet, *, pdf_name: str | None = None, plan: PlanStatus | None = None,
                 links: Links = Links(), memo: PageMemo | None = None,
                 since: Changes | None = None) -> Iterator[GeneratedPage]:
    """Every generated page of the site, finished, overview first.

    With a plan, ``plan.md`` (criteria only for the committee) and, for an audience that
    sees the process, ``checkins.md``; with changes since a day or revision, ``since.md``.
    """
    audience = packet.settings.audience
    yield _page("index.md", "overview", packet, links, strongest=packet.strongest(OVERVIEW_COUNT),
                newest=packet.newest(OVERVIEW_COUNT), pdf_name=pdf_name, plan_status=plan,
                summary_sentence=summary_sentence(packet.coverage, packet.target))
    if since is not None:
        yield _page(SINCE_URI, "since", packet, links, since=since)
    if plan is not None:
        yield _page("plan.md", "plan", packet, links, status=plan, full=audience.sees_process)
        if audience.sees_process:
            yield _page("checkins.md", "checkins", packet, links, status=plan,
                        checkins=checkin_log(plan, packet))
    for name in ("packet", "gaps", "timeline"):
        yield _page(f"{name}.md", name, packet, links)
    if packet.drafts:
        yield _page(DRAFTS_URI, "drafts", packet, links)
    levels = [(level, role) for level, role in ((packet.current, "current"), (packet.target, "target"))
              if level is not None]
    for coverage in packet.coverage:
        yield _page(f"dimensions/{coverage.dimension.slug}.md", "dimension", packet, links,
                    coverage=coverage, levels=levels, in_full=IN_FULL)
    for entry in packet.entries:
        yield entry_page(entry, packet, links, memo)


def entry_page(entry: Evidence, packet: Packet, links: Links = Links(),
               memo: PageMemo | None = None) -> GeneratedPage:
    """An entry's page: its heading and card, then its narrative as written.

    Thousands of these: the page depends on the entry and on the names of its level and
    dimensions only, never on the other entries.
    """
    uri = entry_uri(entry)
    dimensions = packet.dimensions_of(entry)

    def render() -> GeneratedPage:
        card = environment("site").get_template("site/card.html.j2").render(
            packet=packet, entry=entry, href=links.href(uri))
        content = f"{front_matter(entry.title)}# {text(entry.title)}\n\n{card}\n{entry.body}"
        return GeneratedPage(uri, content, listed=False, narrative=entry.body, blocks=(card.rstrip("\n"),))

    if memo is None:
        return render()
    key = (tuple(getattr(entry, name) for name in _ENTRY_FIELDS), packet.settings.audience, links,
           packet.level_of(entry).title, tuple((d.slug, d.name) for d in dimensions))
    return memo.get(key, render)


def _page(uri: str, template: str, packet: Packet, links: Links, **context: Any) -> GeneratedPage:
    href = links.href(uri)
    blocks: list[str] = []

    def html(name: str, *, indexed: bool = True, **values: Any) -> Markup:
        """An HTML block (one element): rendered as it is, no Markdown to get through; a listing
        is not indexed."""
        block = environment("site").get_template(name).render(values, href=href)
        return kept(Markup(block if indexed else f'{LISTING}\n{block}</div>'))

    def kept(block: Markup) -> Markup:
        if block:
            blocks.append(block.rstrip("\n"))
        return block

    env = environment("site")
    charts = {name: (lambda *args, chart=env.globals[name]: kept(chart(*args)))
              for name in ("coverage_chart", "evidence_chart")}
    content = env.get_template(f"site/{template}.md.j2").render(
        context, packet=packet, html=html, href=href, **charts)
    return GeneratedPage(uri, content, blocks=tuple(blocks))


def front_matter(title: str) -> Markup:
    """The front matter that names a page after user text.

    Without it the page's title would come from its first heading, which a generator turns
    back into markup (MkDocs does): the title must be the text, escaped, as themes print it.
    """
    return Markup(f"---\ntitle: {yaml_scalar(page_title(title))}\n---\n\n")


def page_title(name: str) -> str:
    """A page title from user text, as HTML text: themes print titles as HTML (Material does, in
    the navigation, the header, the search results and, unescaped once more, the window title)."""
    return escape(oneline(name))


def entry_uri(entry: Evidence) -> str:
    return f"{EVIDENCE_FOLDER}/{entry.slug}.md"


def checkin_log(status: PlanStatus, packet: Packet) -> list[tuple[Checkin, tuple[Evidence, ...]]]:
    """Check-ins newest first, each with the entries logged since the one before."""
    log = []
    previous: dt.date | None = None
    for checkin in status.plan.checkins:
        log.append((checkin, entries_between(packet.entries, previous, checkin.date)))
        previous = checkin.date
    return log[::-1]


def site_nav(packet: Packet, plan: PlanStatus | None = None,
             since: Changes | None = None) -> list[dict[str, Any]]:
    """The navigation: overview, since, packet, plan, dimensions, gaps, timeline; never every entry.

    Material renders the whole nav into every page, so listing each entry
    would make the build quadratic in the number of entries. Titles are HTML text.
    """
    nav: list[dict[str, Any]] = [{"Overview": "index.md"}]
    if since is not None:
        nav.append({page_title(since.title): SINCE_URI})
    nav.append({"Packet": "packet.md"})
    if plan is not None:
        nav.append({"Plan": "plan.md"})
    nav += [
        {"Dimensions": [{page_title(c.dimension.name): f"dimensions/{c.dimension.slug}.md"}
                        for c in packet.coverage]},
        {"Gaps": "gaps.md"},
        {"Timeline": "timeline.md"},
    ]
    if packet.drafts:
        nav.append({"Drafts": DRAFTS_URI})
    if plan is not None and packet.settings.audience.sees_process:
        nav.append({"Check-ins": "checkins.md"})
    return nav


def problems_page(problems: Sequence[Problem]) -> GeneratedPage:
    """The page a live preview shows instead of the packet while the inputs have errors: the
    same ``path:line: field: message`` lines the build reports, each escaped as user text."""
    errors = sort_problems(errors_in(problems))
    tips = sum(1 for problem in problems if problem.severity is Severity.WARNING)
    content = environment("site").get_template("site/problems.md.j2").render(
        errors=[str(problem) for problem in errors], tips=tips)
    return GeneratedPage("index.md", content)
