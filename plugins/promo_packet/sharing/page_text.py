"""Whether a file of a built site holds what its pages say.

A sealed site keeps the theme's files unencrypted; one that holds text of a page (an
engine's search index as a script, an offline copy) would publish what the lock pages hide,
so ``promo seal`` reads each before it keeps it.
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterable, Iterator, Mapping

TEXT_RUN = 6
"""A run of this many words of a page's content found in a file means the file holds its text."""
SHORT_PHRASE = 12
"""A whole shorter text (a title, a heading, a cell) counts from this many characters."""


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
            self._add(_words(slug), f"the entry {slug}")

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
