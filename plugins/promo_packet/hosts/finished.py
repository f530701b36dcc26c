"""Finished HTML blocks handed to Python-Markdown as they are.

A generated page's Markdown holds HTML blocks the core rendered whole (an entry's card, the
listings, the summaries: :attr:`~promo_packet.render.pages.GeneratedPage.blocks`). Markdown
passes such a block through unchanged, but only after parsing it element by element to find
where it ends, and MkDocs parses it once more for the ids it holds. The page says where its
blocks are, so the plugin's converter stores each in Markdown's own store of raw HTML, exactly
as the parsing would have, and takes the ids from it: the HTML written is the same byte for
byte. A page written out by ``promo gen`` holds the same Markdown, and any engine converts it
the usual way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import unescape
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

RAW_HTML = "html_block"
"""Python-Markdown's preprocessor that stores raw HTML blocks (md_in_html replaces it)."""
ANCHOR_SCAN = "mkdocs_raw_html"
"""MkDocs' preprocessor that collects the ids of a page's raw HTML (MkDocs 1.6, ProperDocs)."""
_ID = re.compile(r'\sid="([^"]*)"')


class FinishedBlocks(Extension):  # type: ignore[misc]  # markdown has no type hints
    """The plugin's converter: :attr:`blocks` are the blocks of the page being converted."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: Sequence[str] = ()

    def extendMarkdown(self, md: Markdown) -> None:
        stored = _Stored(md, self)
        # Before MkDocs' scan for ids (21) and the raw HTML block parser (20); after fenced code
        # (25), whose blocks are code, not HTML.
        md.preprocessors.register(stored, "promo_packet_finished", 22)
        md.preprocessors.register(_Anchors(md, stored), "promo_packet_finished_ids", 20.5)


class _Stored(Preprocessor):  # type: ignore[misc]
    """Each finished block (one element) found where the page put it, on lines of its own between
    blank lines, stored as raw HTML; in its place the placeholder the raw HTML block parser would
    leave."""

    def __init__(self, md: Markdown, extension: FinishedBlocks) -> None:
        super().__init__(md)
        self.extension = extension
        self.ids: set[str] = set()

    def run(self, lines: list[str]) -> list[str]:
        self.ids = set()
        blocks = self.extension.blocks
        if not blocks:
            return lines
        text = "\n".join(lines)
        pieces, position = [], 0
        for block in blocks:
            start = text.find(block, position)
            end = start + len(block)
            # Only a whole block of its own is what the parser would store as one; a block that is
            # not found so (changed by another extension, say) is left to the parser.
            if start < 0 or not _alone(text, start, end):
                continue
            # Stored as the parser stores an element: with the line end when a blank line follows.
            stored = block + "\n" if text.startswith("\n\n", end) else block
            pieces += [text[position:start], self.md.htmlStash.store(stored)]
            self.ids.update(unescape(found) for found in _ID.findall(block))
            position = end
        if not pieces:
            return lines
        pieces.append(text[position:])
        return "".join(pieces).split("\n")


def _alone(text: str, start: int, end: int) -> bool:
    before = start == 0 or text.startswith("\n\n", start - 2) or text[:start] == "\n"
    after = end == len(text) or text.startswith("\n\n", end) or text[end:] == "\n"
    return before and after


class _Anchors(Preprocessor):  # type: ignore[misc]
    """The finished blocks' ids added to those MkDocs found in the rest of the page's HTML, so its
    check of links to anchors sees every id the page has."""

    def __init__(self, md: Markdown, stored: _Stored) -> None:
        super().__init__(md)
        self.stored = stored

    def run(self, lines: list[str]) -> list[str]:
        scan = self.md.preprocessors[ANCHOR_SCAN] if ANCHOR_SCAN in self.md.preprocessors else None  # noqa: SIM401  # a Registry has no get()
        if self.stored.ids and isinstance(getattr(scan, "present_anchor_ids", None), set):
            scan.present_anchor_ids |= self.stored.ids  # type: ignore[union-attr]
        return lines


SEARCH_INDEX_MODULE = "material.plugins.search"
"""Material's search, which leaves an element marked ``data-search-exclude`` out with all it holds
(MkDocs' own search does not, so its index reads every page whole)."""


def index_without_listings(plugins: Iterable[object], listings: Mapping[str, Sequence[str]]) -> None:
    """Have each of Material's search indexes among ``plugins`` (made anew by every build) read a
    generated page without its listings (``listings``: the blocks by page source URI). A listing's
    outer element is marked ``data-search-exclude``, so the index is the same, from less to parse."""
    for plugin in plugins:
        index = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if callable(add) and type(index).__module__.startswith(SEARCH_INDEX_MODULE) \
                and not isinstance(add, _WithoutListings):
            index.add_entry_from_context = _WithoutListings(add, listings)  # type: ignore[union-attr]


class _WithoutListings:
    def __init__(self, add: Callable[[Page], None], listings: Mapping[str, Sequence[str]]) -> None:
        self.add, self.listings = add, listings

    def __call__(self, page: Page) -> None:
        blocks, content = self.listings.get(page.file.src_uri), page.content
        if not blocks or content is None:
            return self.add(page)
        view = content
        for block in blocks:
            view = view.replace(block, "", 1)
        page.content = view
        try:
            return self.add(page)
        finally:
            page.content = content
