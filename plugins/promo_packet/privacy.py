"""Private notes: the one syntax, found through the Markdown's block structure, and its look-alikes.

A private note is an admonition of type ``private``, with an optional title in double quotes::

    !!! private "Note to self"
        Only the self audience ever sees this.

It opens with ``!!!``, ``???`` or ``???+``; the type is matched in any case and with any spacing
(``!!!private``, ``???+   Private "x"``); other type words may follow it (``!!! private
warning``). The marker may stand at any indentation (under a list item, ``- !!! private``) and
inside block quotes (``> !!! private``, ``> - item`` then ``>     !!! private``).

Its text is every following line indented more than the marker, read inside the marker's block
quote (a line that continues a quoted line without its ``>`` counts, as Markdown reads it),
blank lines included; the note ends at the first non-blank line indented no more than the marker,
or outside the quote, or after a blank line, at a smaller quote depth. Tabs count to the next
multiple of four columns and lines break at CR, LF and CRLF, as in Python-Markdown. The sponsor and
committee builds remove the note whole: the marker line with its title, and its text.

A fenced code block at the left margin, outside quotes (```` ``` ```` or ``~~~``, optionally a
language word, closed by the very same fence), is code: a ``!!! private`` line in it is kept, as
code. Anywhere else (an indented fence, a fence in a list or a quote, a fence never closed, or
closed by a longer one) Markdown engines disagree about what is code, so a marker there is taken
for a note: the rule errs on the side of removing.

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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import Problem

TAB_LENGTH = 4
"""Python-Markdown's: tabs expand to the next multiple of four columns before any parsing."""

_MAYBE_PRIVATE = re.compile("priv", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_QUOTE = re.compile(r" *> ?")
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


def strip_private_notes(body: str) -> str:
    """The narrative without its private notes (see the module docstring for what one is).

    Only whole lines are removed; everything else stays byte for byte.
    """
    if not _MAYBE_PRIVATE.search(body):
        return body  # nearly every entry, and this runs for each one on every build
    scan = _scan(body)
    if not scan.notes:
        return body
    dropped = {index for note in scan.notes for index in note}
    return "".join(line for index, line in enumerate(scan.lines) if index not in dropped)


def private_note_problems(body: str, path: str, first_line: int) -> list[Problem]:
    """An error for each line of ``body`` that looks like a private note but is not one.

    ``first_line`` is the file line on which ``body`` starts (after the front matter).
    """
    if not _MAYBE_PRIVATE.search(body):
        return []
    scan = _scan(body)
    return [
        Problem(path, first_line + index,
                f"looks like a private note but is not one: {scan.lines[index].strip()!r}",
                hint='write a private note as `!!! private "Title"` with its text indented under it; '
                     "as written, it would be published to every audience")
        for index in scan.look_alikes
    ]


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
        if kind == "look-alike" or _PRIVATE_CLASS.search(_CODE_SPAN.sub("", texts[index])):
            look_alikes.append(index)
        index += 1
    return _Scan(lines, notes, look_alikes)


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
    """The index after a note's last line; trailing blank lines are not the note's."""
    end = start + 1
    after_blank = False
    for index in range(start + 1, len(texts)):
        if not _unquote(texts[index])[1].strip():
            after_blank = True
            continue
        line_depth, content = _unquote(texts[index], depth)
        if line_depth < depth and after_blank:
            break  # a lazy line continues a quote only straight after a quoted line
        if len(content) - len(content.lstrip(" ")) <= indent:
            break
        end = index + 1
        after_blank = False
    return end


def _unquote(text: str, limit: int | None = None) -> tuple[int, str]:
    """Up to ``limit`` (default all) leading quote markers removed, and how many there were."""
    depth = 0
    while limit is None or depth < limit:
        quote = _QUOTE.match(text)
        if quote is None:
            break
        text = text[quote.end():]
        depth += 1
    return depth, text


def _fence_close(texts: Sequence[str], start: int) -> int | None:
    """The index of the line closing the fenced code block opened at ``start``, if one is."""
    opening = _FENCE_OPEN.fullmatch(texts[start])
    if opening is None:
        return None
    fence = opening["fence"]
    for index in range(start + 1, len(texts)):
        if texts[index].rstrip(" ") == fence:
            return index
    return None
