"""Private notes: the one syntax, found through the Markdown's block structure, and its look-alikes.

A private note is an admonition of type ``private``, with an optional title in double quotes::

    !!! private "Note to self"
        Only the self audience ever sees this.

It opens with ``!!!``, ``???`` or ``???+``; the type is matched in any case and with any spacing
(``!!!private``, ``???+   Private "x"``); other type words may go with it (``!!! private
warning``, ``!!! note private``: Markdown gives the box each of them as a class). The marker may
stand at any indentation (under a list item, ``- !!! private``) and inside block quotes
(``> !!! private``, ``> - item`` then ``>     !!! private``).

Its text is every following line indented more than the marker once the line's leading ``>``
are removed (a line that continues a quote without them counts, as Markdown reads it), blank
and quoted empty lines included; the note ends at the first line indented no more than the
marker, or at a line with fewer ``>`` than the marker after a blank line. Markdown engines read
``>`` differently (Python-Markdown takes at most three spaces before one; a quote nested in a
list has more), so a line stays in the note if either reading puts it there. Tabs count to the
next multiple of four columns and lines break at CR, LF and CRLF, as in Python-Markdown. The
sponsor and committee builds remove the note whole: the marker line with its title, and its text.

A fenced code block at the left margin, outside quotes, at the start of the text or after a blank
line (```` ``` ```` or ``~~~``, optionally a language word, closed by the very same fence), is
code: a ``!!! private`` line in it is kept, as code. Anywhere else (an indented fence, a fence in
a list or a quote, straight after a line of text, never closed, or closed by a longer fence)
Markdown engines disagree about what is code, so a marker there is taken for a note: the rule
errs on the side of removing.

Anything that looks like a private note but is not one is an error in every build, so that a
slip of the keyboard can never publish what was meant to be private. Outside fenced code and
outside notes, after removing inline code spans, these are look-alikes:

* an admonition-like line, that is a line whose content (after quote and list markers) starts
  with two or more of ``!``, ``?`` or ``:`` (then an optional ``+`` or ``-``), whose type words
  (the words before any ``"``) include one starting with ``priv``, any case, and which is not a
  well-formed note: ``!!! privat``, ``!!! private-note``, ``!! private``, ``:::private``,
  ``!!! private: text``, ``!!! private "unclosed``;
* an HTML element whose ``class`` has a word starting with ``priv`` (``<div class="private">``),
  and an attribute list that gives one (``{: .private }``, ``{: class="private" }``).

Both are judged as the author sees the line too, so a spelling that looks right but is not the
note to Markdown is a look-alike: compatibility forms read as the characters they stand for
(fullwidth marks and letters, U+203C for ``!!``), invisible characters dropped (a zero-width
space, a soft hyphen), accents dropped (``PRİVATE``) and letters of other scripts drawn like the
Latin ones read as those (a Cyrillic or a Greek letter p in ``private``).

A footnote goes with the note that defines it. One referenced only from private notes but
defined outside them (``[^1]: ...`` at the margin) is an error: Markdown would publish its text
at the foot of the page without the note.

The line rules are a model of Markdown, so Markdown has the last word: when an entry has private
notes, its narrative is rendered with Python-Markdown (the extensions a packet builds with, and
again with pymdownx's superfences and details) as written and as stripped, and a kept line whose
words Markdown shows inside a private note (say, after raw HTML left open inside the note) is an
error on that line too.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from ..errors import Problem

TAB_LENGTH = 4
"""Python-Markdown's: tabs expand to the next multiple of four columns before any parsing."""

_MAYBE_PRIVATE = re.compile("priv", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_QUOTE = re.compile(r" *> ?")
_QUOTE_STRICT = re.compile(r" {0,3}> ?")
_ITEM = re.compile(r" *(?:[-*+]|\d{1,9}[.)]) +")
_ADMONITION_LIKE = re.compile(r"(?P<marker>[!?:]{2,}[+-]?) *(?P<rest>.*)")
_NOTE_MARKERS = ("!!!", "???", "???+")
_NOTE_REST = re.compile(r'(?P<types>[\w-]+(?: +[\w-]+)*)(?: +"(?P<title>.*)")? *')
_WORD = re.compile(r"[\w-]+")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_PRIVATE_CLASS = re.compile(
    r"""<[a-z][^>]*?\bclass\s*=\s*(?:"[^"]*?|'[^']*?|)(?<![\w-])priv"""
    r"""|\{[^}]*?(?:(?<![\w-])\.|\bclass\s*=\s*["']?(?:[^"'}]*?\s)?)priv""",
    re.IGNORECASE,
)
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Characters drawn as nothing (zero-width, soft hyphen, direction marks), and the accents that
canonical decomposition splits off (the dot of ``İ``)."""
_LATIN_LOOK_ALIKES = str.maketrans(
    "\u0430\u0435\u0456\u0440\u0442\u0475\u0433\u043e\u0455\u03b1\u03b5\u03b9\u03bd\u03bf\u03c1"
    "\u03c4\u0131\u0269\u026a\u0280\u1d00\u1d07\u1d18\u1d1b\u1d20\u01c3\u2236\ua789",
    "aeiptvrosaeivoptiiiraeptv!::")
"""Letters of other scripts (lower case) drawn like the Latin ones of ``private`` and of common
words, and marks drawn like ``!`` and ``:`` that compatibility normalisation leaves alone."""
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^([^\]\s]+)\]:")
# The intersection of what Python-Markdown's fenced_code and pymdownx.superfences both read as a
# fence: anything they might disagree on is not trusted to hide a note marker.
_FENCE_OPEN = re.compile(r"(?P<fence>`{3,}|~{3,}) *[\w#.+-]* *")


@dataclass(frozen=True)
class _Scan:
    lines: list[str]
    """The body's lines with their line endings, as written."""
    notes: list[range]
    """Indexes of the lines of each private note."""
    look_alikes: list[int]
    """Indexes of lines that look like a private note but are not one."""


def _as_seen(text: str) -> str:
    """``text`` as its author sees it, folded to the plain characters a private note is written in."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    return _INVISIBLE.sub("", folded).translate(_LATIN_LOOK_ALIKES)


def _might_be_private(body: str) -> bool:
    return bool(_MAYBE_PRIVATE.search(body) or (not body.isascii() and _MAYBE_PRIVATE.search(_as_seen(body))))


def strip_private_notes(body: str) -> str:
    """The narrative without its private notes (see the module docstring for what one is).

    Only whole lines are removed; everything else stays byte for byte.
    """
    if not _MAYBE_PRIVATE.search(body):
        return body  # nearly every entry, and this runs for each one on every build
    scan = _scan(body)
    return _stripped(scan) if scan.notes else body


def private_note_problems(body: str, path: str, first_line: int) -> list[Problem]:
    """An error for each line of ``body`` that looks like a private note but is not one.

    ``first_line`` is the file line on which ``body`` starts (after the front matter).
    """
    if not _might_be_private(body):
        return []
    scan = _scan(body)
    problems = [
        Problem(path, first_line + index,
                f"looks like a private note but is not one: {scan.lines[index].strip()!r}"
                f"{_unusual(scan.lines[index])}",
                hint='write a private note as `!!! private "Title"` with its text indented under it; '
                     "as written, it would be published to every audience")
        for index in scan.look_alikes
    ]
    if scan.notes:
        for index, label in _stray_footnotes(scan):
            problems.append(Problem(
                path, first_line + index,
                f"footnote [^{label}] is referenced only from a private note but defined outside it: "
                "its text would be published", hint="indent the definition under the note, with its text"))
        for index, word in _markdown_disagreements(scan):
            problems.append(Problem(
                path, first_line + index,
                f"Markdown reads this line into the private note above it, but it would be published "
                f"(it holds {word!r})",
                hint="indent the note's text under `!!! private` and leave a blank line after the note"))
    return problems


def _unusual(line: str) -> str:
    """The characters that make a line look other than it is, named: most are invisible."""
    found = list(dict.fromkeys(char for char in line if not char.isascii()))
    if not found:
        return ""
    names = ", ".join(f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}" for char in found[:3])
    return f" (it holds {names}{', ...' if len(found) > 3 else ''})"


def _stray_footnotes(scan: _Scan) -> list[tuple[int, str]]:
    """Kept lines defining a footnote that only private notes refer to."""
    dropped = {index for note in scan.notes for index in note}
    private: set[str] = set()
    public: set[str] = set()
    for index, line in enumerate(scan.lines):
        (private if index in dropped else public).update(_FOOTNOTE_REFERENCE.findall(line))
    found = []
    for index, line in enumerate(scan.lines):
        definition = _FOOTNOTE_DEFINITION.match(_container(line.expandtabs(TAB_LENGTH))[2])
        if index not in dropped and definition and definition[1] in private - public:
            found.append((index, definition[1]))
    return found


def _stripped(scan: _Scan) -> str:
    dropped = {index for note in scan.notes for index in note}
    return "".join(line for index, line in enumerate(scan.lines) if index not in dropped)


def _scan(body: str) -> _Scan:
    lines = _split_lines(body)
    texts = [line.rstrip("\r\n").expandtabs(TAB_LENGTH) for line in lines]
    notes: list[range] = []
    look_alikes: list[int] = []
    index = 0
    while index < len(texts):
        close = _fence_close(texts, index)
        if close is not None:
            index = close + 1
            continue
        depth, indent, content = _container(texts[index])
        kind = _kind(content)
        if kind == "note":
            end = _note_end(texts, index, depth, indent)
            notes.append(range(index, end))
            index = end
            continue
        if kind == "look-alike" or _looks_private(texts[index]):
            look_alikes.append(index)
        index += 1
    return _Scan(lines, notes, look_alikes)


def _looks_private(text: str) -> bool:
    """A line, not a note as written, that gives a private class, or reads as a private note or
    one of its look-alikes as its author sees it."""
    if _PRIVATE_CLASS.search(_CODE_SPAN.sub("", text)):
        return True
    if text.isascii():
        return False
    seen = _as_seen(text)
    return _kind(_container(seen)[2]) is not None or bool(_PRIVATE_CLASS.search(_CODE_SPAN.sub("", seen)))


def _split_lines(body: str) -> list[str]:
    """Lines with their endings, broken only where Python-Markdown breaks them."""
    lines = []
    start = 0
    for newline in _NEWLINE.finditer(body):
        lines.append(body[start:newline.end()])
        start = newline.end()
    if start < len(body):
        lines.append(body[start:])
    return lines


def _container(text: str) -> tuple[int, int, str]:
    """A line's quote depth, the indentation of its content inside the innermost quote (list
    markers count as indentation), and that content."""
    depth = position = inner = 0
    while True:
        quote = _QUOTE.match(text, position)
        if quote:
            depth += 1
            position = inner = quote.end()
            continue
        item = _ITEM.match(text, position)
        if item:
            position = item.end()
            continue
        break
    content = text[position:].lstrip(" ")
    return depth, len(text) - len(content) - inner, content


def _kind(content: str) -> str | None:
    """``"note"``, ``"look-alike"`` or None for a line's content after its container markers."""
    match = _ADMONITION_LIKE.fullmatch(content)
    if match is None:
        return None
    rest = match["rest"]
    types = _WORD.findall(rest.partition('"')[0])
    if not any(word.lower().startswith("priv") for word in types):
        return None
    note = _NOTE_REST.fullmatch(rest)
    if (match["marker"] in _NOTE_MARKERS and note is not None
            and "private" in note["types"].lower().split()):
        return "note"
    return "look-alike"


def _note_end(texts: Sequence[str], start: int, depth: int, indent: int) -> int:
    """The index after a note's last line; trailing blank lines are not the note's.

    Markdown engines read ``>`` markers differently (Python-Markdown takes at most three spaces
    before one and lets a line without them continue a quote; a quote nested in a list has more),
    and a marker line may itself continue an outer quote lazily. So a line stays in the note if
    it is indented more than the marker once any number of its leading ``>`` are removed, read
    either way: where the readings disagree, the note keeps the line.
    """
    end = start + 1
    after_blank = False
    for index in range(start + 1, len(texts)):
        text = texts[index]
        if not text.strip():
            after_blank = True
            continue
        if not _unquote(text, pattern=_QUOTE_STRICT)[1].strip():
            continue  # a quoted empty line does not end a quote's block, as a blank line does
        if after_blank and _unquote(text)[0] < depth:
            break  # a line without the quote's markers continues it only straight after it
        if not any(_indent(content) > indent for content in _readings(text)):
            break
        end = index + 1
        after_blank = False
    return end


def _readings(text: str) -> list[str]:
    """A line's content with none, one, ... all of its leading quote markers removed, both ways."""
    contents = [text]
    for pattern in (_QUOTE, _QUOTE_STRICT):
        rest = text
        while (quote := pattern.match(rest)) is not None:
            rest = rest[quote.end():]
            contents.append(rest)
    return contents


def _indent(content: str) -> int:
    return len(content) - len(content.lstrip(" "))


def _unquote(text: str, pattern: re.Pattern[str] = _QUOTE) -> tuple[int, str]:
    """The leading quote markers removed, and how many there were."""
    depth = 0
    while True:
        quote = pattern.match(text)
        if quote is None:
            break
        text = text[quote.end():]
        depth += 1
    return depth, text


def _fence_close(texts: Sequence[str], start: int) -> int | None:
    """The index of the line closing the fenced code block opened at ``start``, if one is."""
    opening = _FENCE_OPEN.fullmatch(texts[start])
    # Straight after a text line, superfences may give the fence back to an indented code block.
    if opening is None or (start > 0 and texts[start - 1].strip()):
        return None
    fence = opening["fence"]
    for index in range(start + 1, len(texts)):
        if texts[index].rstrip(" ") == fence:
            return index
    return None


def _markdown_disagreements(scan: _Scan) -> list[tuple[int, str]]:
    """Kept lines holding words that Python-Markdown renders inside a private note.

    The line rules above are a model of Markdown; this asks Markdown itself, with the extensions
    a packet builds with (and pymdownx's superfences and details, which Material sites often
    add), and turns any disagreement into an error instead of a leak.
    """
    body = "".join(scan.lines)
    stripped = _stripped(scan)
    dropped = {index for note in scan.notes for index in note}
    found: dict[int, str] = {}
    for engine in _engines():
        private, public = _words(engine, body)
        shown = set().union(*_words(engine, stripped))
        for word in sorted((private & shown) - public):
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            kept = (i for i, line in enumerate(scan.lines) if i not in dropped and pattern.search(line))
            index = next(kept, scan.notes[0].start)
            found.setdefault(index, word)
    return sorted(found.items())


_ENGINES: list[Any] = []


def _engines() -> list[Any]:
    if not _ENGINES:
        import markdown  # only for entries with private notes

        base = ["admonition", "attr_list", "footnotes", "md_in_html", "tables"]
        _ENGINES.append(markdown.Markdown(extensions=[*base, "fenced_code"]))
        with contextlib.suppress(ImportError):  # pymdown-extensions comes with mkdocs-material
            _ENGINES.append(markdown.Markdown(extensions=[*base, "pymdownx.superfences", "pymdownx.details"]))
    return _ENGINES


_WORDS = re.compile(r"\w+")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})


class _Nesting(HTMLParser):
    """Words inside and outside elements of class ``private``, nested as a browser nests them
    (raw HTML in a note that is never closed takes what follows into the note)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        self.private: set[str] = set()
        self.public: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = " ".join(value or "" for name, value in attrs if name == "class").lower().split()
        self.open.append((tag, "private" in classes or bool(self.open and self.open[-1][1])))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        inside = bool(self.open and self.open[-1][1])
        (self.private if inside else self.public).update(_WORDS.findall(data))


def _words(engine: Any, text: str) -> tuple[set[str], set[str]]:
    """The words Markdown renders inside elements of class ``private``, and the others."""
    engine.reset()
    nesting = _Nesting()
    nesting.feed(engine.convert(text))
    nesting.close()
    return nesting.private, nesting.public
