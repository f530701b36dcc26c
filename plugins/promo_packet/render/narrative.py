"""An entry's narrative, once converted to HTML: kept as written, less anything that could run.

The narrative is Markdown, and Markdown passes HTML through: a person may write a
``<details>`` block or a table, and attr_list adds attributes (``{: .note }``). Text
from elsewhere ends up in narratives too (a pasted review comment, an imported pull
request), so what the Markdown became is rebuilt from an allowlist: known elements with
known attributes, links and images only to http, https, mailto or relative URLs. Scripts,
styles, frames and embedded objects go with their content; any other element goes and its
text stays.
Fields of an entry (its title, outcome, quotes...) never need this: templates escape them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape
from html.parser import HTMLParser

from ..reading.urls import safe_url

ELEMENTS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul", "var", "svg", "g", "path", "circle", "ellipse", "line",
    "polygon", "polyline", "rect"
})
VOID = frozenset({"br", "col", "hr", "img", "input"})
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "noembed", "noframes", "xmp", "plaintext"
})
"""Elements whose content is code or raw text to a browser; any other element goes, its text stays."""
ATTRIBUTES = frozenset({
    "class", "id", "title", "alt", "href", "src", "width", "height", "align", "colspan", "rowspan",
    "scope", "lang", "dir", "open", "start", "type", "checked", "disabled", "role", "reversed",
    "datetime", "cite", "name", "for", "style", "viewbox", "fill", "stroke", "stroke-width", "d",
    "points", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "transform", "xmlns",
    "data-search-exclude",  # Material's search leaves an element so marked out of its index
})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

_ALIGNMENT = re.compile(r"text-align:\s*(left|right|center);?")
"""The one style kept: Markdown tables align their columns with it."""
_THEME_IDS = re.compile(r"__(config|search|drawer|toc|settings|palette|consent|analytics|nav|md)")
"""Material finds its own elements by these ids (``#__config``): ours may not shadow them."""


_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)( /)?>')
"""A tag as Markdown and our templates write it: lowercase names, values in double quotes."""
_PLAIN_ATTRIBUTE = re.compile(r'\s([a-z][a-z0-9-]*)(?:="([^"<>]*)")?')


def clean_html(html: str) -> str:
    """``html`` rebuilt from what :data:`ELEMENTS` and :data:`ATTRIBUTES` allow."""
    if _is_plain(html):
        return html  # most narratives: rebuilding them would give the same elements
    cleaner = _Cleaner()
    cleaner.feed(html)
    cleaner.close()
    return "".join(cleaner.out)


_TAG = re.compile(r"(<[^<>]*>)")
_VALUE = re.compile(r'="([^"]*)"')
_ENTITY = re.compile(r"(&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
_SYNTAX = re.compile(r"[\x00-\x1f!-/:-@\[-`{-~]")
"""Every ASCII character that is not a letter, a digit or a space: all Markdown syntax is made of them."""


def inert_html(cleaned: str) -> str:
    """``cleaned`` (from :func:`clean_html`) as one line of HTML in which no Markdown converter,
    whatever its extensions, can read anything: each character of text and of attribute values
    that is not a letter, digit or space becomes a character reference, which a browser shows
    as the character. A page's Markdown can then hold it as a raw HTML block."""
    parts = _TAG.split(cleaned)
    for i, part in enumerate(parts):
        if i % 2:
            parts[i] = _VALUE.sub(lambda value: f'="{_referenced(value[1])}"', part)
        else:
            parts[i] = _referenced(part)
    return "".join(parts)


_HEADING = re.compile(r"<h([1-6])(?:\s[^<>]*)?>([^<]*)</h\1>")
_OPENING = re.compile(r"<(/?)([a-z][a-z0-9]*)")


def inert_markdown(cleaned: str) -> str:
    """``cleaned`` as Markdown no converter can read HTML or syntax into, whatever its extensions:
    each element outside any other a block of its own, a heading as a Markdown heading of inert
    text (so the engine's table of contents and search sections hold it, with the anchor it
    gives it), any other as one line of :func:`inert_html`, which Markdown passes as it is."""
    blocks = []
    for element in _top_level(cleaned):
        heading = _HEADING.fullmatch(element)
        blocks.append("#" * int(heading[1]) + " " + _referenced(heading[2].strip()) if heading
                      else inert_html(element))
    return "\n\n".join(blocks) + "\n"


def _top_level(html: str) -> list[str]:
    """The elements of ``html`` (well-formed, as cleaned) outside any other, and any text between
    them as a paragraph's."""
    found, depth, start = [], 0, 0
    for tag in _OPENING.finditer(html):
        void = tag[2] in VOID
        if void and depth > 0:
            continue
        if depth == 0 and html[start:tag.start()].strip():
            found.append(f"<p>{html[start:tag.start()].strip()}</p>")
        if depth == 0 and not tag[1]:
            start = tag.start()
        depth += 0 if void else -1 if tag[1] else 1
        if depth == 0:
            end = html.index(">", tag.end()) + 1
            found.append(html[start:end])
            start = end
    if html[start:].strip():
        found.append(f"<p>{html[start:].strip()}</p>")
    return found


def _referenced(text: str) -> str:
    pieces = _ENTITY.split(text)
    return "".join(piece if i % 2 else _SYNTAX.sub(lambda c: f"&#{ord(c[0])};", piece)
                   for i, piece in enumerate(pieces))


def _is_plain(html: str) -> bool:
    """Whether every tag of ``html`` is an allowed element whose attributes are all kept as they
    are, and every element is closed in order: then nothing in it can run or needs mending."""
    tags = _PLAIN_TAG.findall(html)
    # Each match holds exactly one "<": equal counts mean every "<" starts a plain tag.
    if len(tags) != html.count("<"):
        return False
    open_: list[str] = []
    for closing, name, attributes, self_closing in tags:
        if name not in ELEMENTS or name in DROPPED_WITH_CONTENT or not _kept(attributes):
            return False
        if name in VOID:
            if closing:
                return False
        elif self_closing:
            return False
        elif not closing:
            open_.append(name)
        elif not open_ or open_.pop() != name:
            return False
    return not open_


@lru_cache(maxsize=4096)  # a page's attributes are mostly the card's, the same on every entry page
def _kept(attributes: str) -> bool:
    """Whether the cleaner would keep each of these attributes with the value it has."""
    for name, value in _PLAIN_ATTRIBUTE.findall(attributes):
        plain = unescape(value)
        if _attribute((name, plain))[1] != plain or ("&" in value and escape(plain) != value):
            return False
    return True


def _attribute(item: tuple[str, str | None]) -> tuple[str, str | None]:
    """The attribute as kept: its value, or None when it goes."""
    name, value = item[0], item[1] or ""
    if name not in ATTRIBUTES:
        return name, None
    if name in URL_ATTRIBUTES:
        return name, safe_url(value)
    if name == "style":
        return name, value if _ALIGNMENT.fullmatch(value.strip()) else None
    if name in ("id", "name", "for") and _THEME_IDS.match(value):
        return name, None
    return name, value


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in DROPPED_WITH_CONTENT:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        if tag not in ELEMENTS:
            return
        kept = "".join(f' {name}="{escape(value)}"'
                       for name, value in map(_attribute, attrs) if value is not None)
        self.out.append(f"<{tag}{kept}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            # An element left open inside (a <p> in a <noscript>) ends with the one around it.
            if tag in self.skipping:
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag):]
            return
        if tag not in self.open:
            return
        while self.open:
            name = self.open.pop()
            self.out.append(f"</{name}>")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(escape(data, quote=False))

    def close(self) -> None:
        super().close()
        self.out.extend(f"</{name}>" for name in reversed(self.open))
        self.open = []
