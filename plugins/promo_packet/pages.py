"""The packet model rendered as the Markdown of each generated site page.

Pages are Markdown so the host site generator applies its theme, search,
table of contents and link checking; links between pages point at the ``.md``
sources so they work with any URL style.

What repeats per entry (an entry's card, its summary on the packet and
dimension pages, the one-line listings) is HTML instead: a marker in the
Markdown that the host replaces with :meth:`GeneratedPage.insert_html` once the
Markdown is converted, given a function that turns a source URI into a link.
An entry's own page is its narrative as written, with its heading and card put
before it as HTML: no template and no marker for Markdown to get through.

Every value a site template prints goes through :func:`text`, the environment's
``finalize``: user text shows as typed and never becomes Markdown, HTML or an
attribute, in the Markdown and the HTML fragments alike. Links from the evidence
go through :func:`url`.
Python-Markdown spends one to two milliseconds on an entry's card, Jinja a
tenth of that, which keeps a packet of thousands of entries about as cheap to
build as the same number of plain pages. Listings (the timeline, the rest of
a dimension's entries) are not ``indexed``: a host with a search index inserts
them after indexing, so each entry is found once, on its own page, and the
index does not parse every entry again for every listing it appears in.

URLs are stable, a sponsor bookmarks them::

    index.md                 overview: coverage matrix, strongest and newest entries
    packet.md                the curated packet
    gaps.md                  thin and missing dimensions with their expectations
    timeline.md              every entry, newest first, by month
    dimensions/<slug>.md     one rubric dimension and all its evidence (the slug of its id)
    evidence/<slug>.md       one entry: its fields as a card, then the narrative
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .errors import Problem, Severity, errors_in, plural, sort_problems
from .evidence import Evidence, Metric
from .links import safe_url
from .packet import Audience, Packet, Status
from .plan import Checkin
from .progress import PlanStatus, entries_between

_ANCHOR_UNSAFE = re.compile(r"[^\w]+")
# Every character that HTML or Markdown (with attr_list, tables and the usual pymdownx extras)
# reads as syntax, as a numeric character reference: the browser shows the character itself,
# and no Markdown rule matches a reference. `-`, `?`, `/`, `.` and `)` only start syntax at the
# start of a line (lists, details, blocks), `_` only next to a non-word character: those are
# _MARKDOWN_SENSITIVE.
_TEXT_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'`*[]{}|\\#~^=:$!+@"})
_MARKDOWN_SENSITIVE = re.compile(r"^(?:[-?/]|\d+[.)])|(?<![^\W_])_|_(?![^\W_])")
_LINE_STARTS = "-?/0123456789"
_IDENTIFIER = re.compile(r"[a-z0-9_-]+")  # what slugs (documents.id_slug, evidence.slug_for) are made of
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKER_START = "<!-- promo-packet:html "
_MARKER = re.compile(re.escape(_MARKER_START) + r"(\d+) -->")
OVERVIEW_COUNT = 5
IN_FULL = 10
"""Entries a dimension page shows in full, strongest first; the rest get one line each."""

Href = Callable[[str], str]
"""Turns a page's source URI (``dimensions/scope.md``) into a link from the page being built."""


@dataclass(frozen=True)
class Fragment:
    """HTML that stands in for a marker in a page's Markdown, rendered once links are known."""

    template: str
    context: Mapping[str, Any]
    indexed: bool = True
    """Whether a search index should see it; listings that repeat entries are not indexed."""
    top: bool = False
    """Goes before the page's converted Markdown rather than at a marker in it."""
    html: str | None = None
    """Ready-made HTML, for a fragment without links (then ``template`` is empty)."""
    key: Hashable | None = None
    """Everything the HTML depends on but its links, for a :class:`FragmentMemo` to reuse it."""
    links: tuple[str, ...] = ()
    """The source URIs the fragment links to, with ``key``."""

    def render(self, href: Href) -> str:
        if self.html is not None:
            return self.html
        return environment("site").get_template(self.template).render(self.context, href=href)


class FragmentMemo:
    """Fragments rendered by earlier builds in the same process, reused while their key holds.

    Under ``mkdocs serve`` every save rebuilds the site; an entry whose file did not
    change is the same :class:`Evidence` object (the loader keeps it), so its card is not
    rendered again. A fragment is reused when its template, ``key`` and the links it makes
    are the same; :meth:`sweep` forgets what the last build did not use.
    """

    def __init__(self) -> None:
        self._html: dict[Hashable, str] = {}
        self._used: set[Hashable] = set()
        self.renders = 0
        """How many fragments were rendered rather than reused (for tests)."""

    def render(self, fragment: Fragment, href: Href) -> str:
        if fragment.key is None:
            return fragment.render(href)
        key = (fragment.template, fragment.key, tuple(href(uri) for uri in fragment.links))
        self._used.add(key)
        html = self._html.get(key)
        if html is None:
            self.renders += 1
            html = self._html[key] = fragment.render(href)
        return html

    def sweep(self) -> None:
        self._html = {key: html for key, html in self._html.items() if key in self._used}
        self._used = set()


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the site: its source URI (``.md``), Markdown content and HTML fragments."""

    uri: str
    content: str
    listed: bool = True
    """Whether the page belongs in the navigation (entries do not)."""
    fragments: tuple[Fragment, ...] = field(default=(), repr=False)
    title: str | None = None
    """The title, as HTML text, of a page named by user text: the host sets it as the page's
    title. An entry's Markdown has no heading for it: a ``top`` fragment holds the heading,
    whose id is ``title_id``."""
    title_id: str | None = None
    narrative: bool = False
    """Whether the content is an entry's narrative, Markdown as the person wrote it: the host
    passes its HTML through :func:`promo_packet.narrative.clean_html` once converted."""

    def insert_html(self, html: str, href: Href, *, indexed: bool | None = None,
                    memo: FragmentMemo | None = None) -> str:
        """``html`` with fragments in place of their markers: all of them, or the ``indexed`` ones
        only, or the others only.

        ``top`` fragments go first, in their order; inserted in two passes, the ones not indexed
        (an entry's heading) still come before the indexed ones (its card).
        """
        wanted = [f for f in self.fragments if indexed in (None, f.indexed)]
        if not wanted:
            return html  # the common case, and scanning a whole page for markers is not free
        render = memo.render if memo is not None else Fragment.render
        top = "".join(render(f, href) for f in wanted if f.top)

        def fragment(match: re.Match[str]) -> str:
            index = int(match[1])
            if index >= len(self.fragments) or indexed not in (None, self.fragments[index].indexed):
                return match[0]
            return render(self.fragments[index], href)

        # Markers sit in the page's content: skip the theme's header and navigation before it.
        start = html.find(_MARKER_START)
        if start < 0:
            return top + html
        return top + html[:start] + _MARKER.sub(fragment, html[start:])


class _Fragments:
    """Collects a page's fragments while its template renders; returns each one's marker."""

    def __init__(self) -> None:
        self.items: list[Fragment] = []

    def __call__(self, template: str, *, indexed: bool = True, **context: Any) -> str:
        self.items.append(Fragment(template, context, indexed))
        return Markup(_marker(len(self.items) - 1))


def _marker(index: int) -> str:
    return f"{_MARKER_START}{index} -->"


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
    escaped = oneline(value).translate(_TEXT_ESCAPES)
    if "_" in escaped or escaped[:1] in _LINE_STARTS:  # the regular expression costs as much again
        escaped = _MARKDOWN_SENSITIVE.sub(_references, escaped)
    return Markup(escaped)


def _references(match: re.Match[str]) -> str:
    return "".join(f"&#{ord(c)};" if not c.isdigit() else c for c in match[0])


@cache
def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def month(value: dt.date) -> str:
    return f"{value:%b %Y}"


def change(metric: Metric) -> str:
    """``3 h → 40 min``, or whichever side is known (plain text)."""
    if metric.before and metric.after:
        return f"{oneline(metric.before)} → {oneline(metric.after)}"
    return oneline(metric.after or metric.before or "")


def yaml_scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar, quoted only when it must be."""
    dumped: str = yaml.safe_dump(text, default_flow_style=True, width=10_000, allow_unicode=True)
    return dumped.removesuffix("\n...\n").strip()


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
                       yaml=yaml_scalar, url=url, plural=plural)
    if site:
        # Jinja's own join escapes for HTML only and marks the result safe, past finalize.
        env.filters.update(join=join_text, paragraphs=paragraphs, id=identifier)
        # Imported once here rather than by every fragment: a fragment renders per entry.
        env.globals["h"] = env.get_template("site/_html.html.j2").module
    return env


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


def summary_sentence(packet: Packet) -> str:
    """One sentence a sponsor can repeat: where the case stands per status."""
    groups = {status: [c.dimension.name for c in packet.coverage if c.status is status]
              for status in Status}
    parts = []
    if groups[Status.DEMONSTRATED]:
        parts.append(f"demonstrated on {len(groups[Status.DEMONSTRATED])} of "
                     f"{len(packet.coverage)} dimensions")
    for status in (Status.THIN, Status.GAP):
        if groups[status]:
            parts.append(f"{status.value} on {', '.join(groups[status])}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"At {packet.target.phrase} the evidence is {text}."


def render_pages(packet: Packet, *, pdf_name: str | None = None,
                 plan: PlanStatus | None = None) -> Iterator[GeneratedPage]:
    """Every generated page of the site, overview first.

    With a plan, ``plan.md`` (criteria only for the committee) and, except for
    the committee, ``checkins.md``.
    """
    yield _page("index.md", "overview", packet, strongest=packet.strongest(OVERVIEW_COUNT),
                newest=packet.newest(OVERVIEW_COUNT), summary_sentence=summary_sentence(packet),
                pdf_name=pdf_name, plan_status=plan)
    if plan is not None:
        full = shows_checkins(packet)
        yield _page("plan.md", "plan", packet, status=plan, full=full)
        if full:
            yield _page("checkins.md", "checkins", packet, status=plan, checkins=checkin_log(plan, packet))
    for name in ("packet", "gaps", "timeline"):
        yield _page(f"{name}.md", name, packet)
    levels = [(level, role) for level, role in ((packet.current, "current"), (packet.target, "target"))
              if level is not None]
    for coverage in packet.coverage:
        yield _page(f"dimensions/{coverage.dimension.slug}.md", "dimension", packet,
                    title=page_title(coverage.dimension.name),
                    coverage=coverage, levels=levels, in_full=IN_FULL)
    show_visibility = packet.settings.audience is not Audience.COMMITTEE
    for entry in packet.entries:
        yield entry_page(entry, packet, show_visibility=show_visibility)


def entry_page(entry: Evidence, packet: Packet, *, show_visibility: bool) -> GeneratedPage:
    """An entry's page: its heading and card as HTML, then its narrative as the Markdown.

    Thousands of these: the narrative goes to the host's Markdown as it is, no template, and
    the heading does not go through Markdown at all (a heading and a marker would cost
    Python-Markdown as much again as the rest of the page). The heading is not indexed: a
    search index names the section by the page's title.
    """
    title = page_title(entry.title)
    title_id = _ANCHOR_UNSAFE.sub("-", oneline(entry.title).lower()).strip("-") or "title"
    card = {"packet": packet, "entry": entry, "show_visibility": show_visibility}
    # What the card and its facts line read besides the entry, for reuse across rebuilds.
    dimensions = packet.dimensions_of(entry)
    facts_key = (entry, show_visibility, packet.level_of(entry).title,
                 tuple((d.id, d.name) for d in dimensions))
    fragments = (
        Fragment("", {}, indexed=False, top=True, html=f'<h1 id="{title_id}">{title}</h1>\n'),
        Fragment("site/card.html.j2", {**card, "facts": _marker(2)}, top=True, key=(entry,)),
        Fragment("site/card-facts.html.j2", card, indexed=False, key=facts_key,
                 links=tuple(f"dimensions/{d.slug}.md" for d in dimensions)),
    )
    return GeneratedPage(entry_uri(entry), entry.body, listed=False, fragments=fragments, title=title,
                         title_id=title_id, narrative=True)


def _page(uri: str, template: str, packet: Packet, *, listed: bool = True, title: str | None = None,
          **context: Any) -> GeneratedPage:
    fragments = _Fragments()
    content = environment("site").get_template(f"site/{template}.md.j2").render(
        context, packet=packet, html=fragments)
    return GeneratedPage(uri, content, listed, tuple(fragments.items), title=title)


def page_title(name: str) -> str:
    """A page title from user text, as HTML text: themes print titles as HTML (Material does, in
    the navigation, the header, the search results and, unescaped once more, the window title)."""
    return escape(oneline(name))


def entry_uri(entry: Evidence) -> str:
    return f"evidence/{entry.slug}.md"


def shows_checkins(packet: Packet) -> bool:
    """Check-in notes, stakeholders and blockers stay between the person and the sponsor."""
    return packet.settings.audience is not Audience.COMMITTEE


def checkin_log(status: PlanStatus, packet: Packet) -> list[tuple[Checkin, tuple[Evidence, ...]]]:
    """Check-ins newest first, each with the entries logged since the one before."""
    log = []
    previous: dt.date | None = None
    for checkin in status.plan.checkins:
        log.append((checkin, entries_between(packet.entries, previous, checkin.date)))
        previous = checkin.date
    return log[::-1]


def site_nav(packet: Packet, plan: PlanStatus | None = None) -> list[dict[str, Any]]:
    """The navigation: overview, packet, plan, dimensions, gaps, timeline; never every entry.

    Material renders the whole nav into every page, so listing each entry
    would make the build quadratic in the number of entries. Titles are HTML text.
    """
    nav: list[dict[str, Any]] = [{"Overview": "index.md"}, {"Packet": "packet.md"}]
    if plan is not None:
        nav.append({"Plan": "plan.md"})
    nav += [
        {"Dimensions": [{page_title(c.dimension.name): f"dimensions/{c.dimension.slug}.md"}
                        for c in packet.coverage]},
        {"Gaps": "gaps.md"},
        {"Timeline": "timeline.md"},
    ]
    if plan is not None and shows_checkins(packet):
        nav.append({"Check-ins": "checkins.md"})
    return nav


def problems_page(problems: Sequence[Problem]) -> GeneratedPage:
    """The page a live preview shows instead of the packet while the inputs have errors: the
    same ``path:line: field: message`` lines the build reports, each escaped as user text."""
    errors = sort_problems(errors_in(problems))
    tips = sum(1 for problem in problems if problem.severity is Severity.WARNING)
    content = environment("site").get_template("site/problems.md.j2").render(
        errors=[str(problem) for problem in errors], tips=tips)
    return GeneratedPage("index.md", content, title="Problems")
