"""Front matter: the ``---`` delimited YAML block at the top of a Markdown file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceText:
    """A text file split into front matter and body, with their first lines."""

    front_matter: str | None
    body: str
    front_matter_line: int
    body_line: int


def split_front_matter(text: str) -> SourceText:
    """Split ``---`` delimited front matter from the Markdown body.

    Returns ``front_matter=None`` when the text does not start with a ``---``
    line or the block is never closed; the caller decides how to report it.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return SourceText(None, text, 0, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return SourceText(
                front_matter="".join(lines[1:index]),
                body="".join(lines[index + 1 :]),
                front_matter_line=2,
                body_line=index + 2,
            )
    return SourceText(None, text, 0, 1)
