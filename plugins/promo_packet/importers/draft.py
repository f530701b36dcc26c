"""What every importer builds: a ladder being assembled from located records.

An importer reads its format into a :class:`Draft` (levels in rank order, dimensions with the
behaviours and examples each level expects, where each came from) and appends a
:class:`~promo_packet.errors.Problem` with the file and row for anything it cannot place. The
writer turns a draft into our rubric YAML; nothing here knows a source format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import Problem
from ..reading.ids import MAX_ID_LENGTH, slug_of

_MARKER = re.compile(r"^(?:[-*+•·▪◦‣\u2013]|\d{1,2}[.)])\s+")
# A cell written as "• one • two" on a single line: the bullets are the separators.
_INLINE_BULLET = re.compile(r"\s+[•▪◦‣]\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LEADING_SYMBOLS = re.compile(r"^[^\w(\"']+")
_Item = TypeVar("_Item")


def plain_title(text: str) -> str:
    """A source's heading without the emoji or symbols in front of it (``"✨ Influence"``)."""
    return _LEADING_SYMBOLS.sub("", " ".join(text.split()))


def split_behaviours(text: str, *, lines_are_items: bool = True) -> list[str]:
    """The behaviours one cell or summary holds.

    Bulleted or numbered lines start a behaviour each and unmarked lines continue the one
    before. Without markers a spreadsheet cell uses line breaks as separators
    (``lines_are_items``), while a YAML summary is prose wrapped over lines.
    """
    lines = _LINE_BREAK.split(_INLINE_BULLET.sub("\n• ", text))
    marked = any(_MARKER.match(line.strip()) for line in lines)
    items: list[str] = []
    joinable = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        marker = _MARKER.match(stripped)
        if marker:
            items.append(stripped[marker.end():].strip())
        elif joinable and (marked or not lines_are_items):
            items[-1] = f"{items[-1]} {stripped}"
        else:
            items.append(stripped)
        joinable = True
    return [item for item in items if item]


@dataclass
class DraftBehaviour:
    """One behaviour as read, with the examples the source gives for it alone."""

    text: str
    examples: list[str] = field(default_factory=list)


@dataclass
class DraftDimension:
    id: str
    name: str
    description: str = ""
    expectations: dict[str, list[DraftBehaviour]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    """Examples of a level as a whole: those the source does not tie to one behaviour."""
    origin: str = ""
    """Where in the source it was read (``rows 4-9``), written as a comment above it."""

    def expect(self, level: str, texts: Sequence[str], examples: Sequence[str] = ()) -> None:
        """Add the behaviours ``texts`` at ``level``, in the order read, and the ``examples`` a
        source gives with them: a lone behaviour's own, else the level's, as the source does
        not say which of several behaviours they illustrate."""
        behaviours = [DraftBehaviour(text) for text in texts]
        add_texts(self.expectations, level, behaviours)
        if len(behaviours) == 1:
            behaviours[0].examples.extend(examples)
        else:
            add_texts(self.examples, level, list(examples))

    def example_count(self) -> int:
        """How many examples it keeps, a behaviour's own and its levels'."""
        return (sum(len(texts) for texts in self.examples.values())
                + sum(len(b.examples) for behaviours in self.expectations.values() for b in behaviours))


@dataclass
class Draft:
    """A ladder read from ``source`` in ``form`` (a phrase: ``"a CSV spreadsheet, grid shape"``)."""

    source: str
    form: str
    name: str = ""
    levels: list[tuple[str, str]] = field(default_factory=list)
    dimensions: list[DraftDimension] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, message: str, *, field: str | None = None,
                hint: str | None = None) -> None:
        self.problems.append(Problem(self.source, line, message, field=field, hint=hint))

    @property
    def level_ids(self) -> list[str]:
        return [ident for ident, _ in self.levels]

    def add_level(self, ident: str, title: str = "") -> None:
        if ident not in self.level_ids:
            self.levels.append((ident, title or ident))

    def dimension(self, name: str, *, key: str | None = None, description: str = "",
                  origin: str = "") -> DraftDimension:
        """The dimension called ``name`` (its id a slug of ``key`` or the name), made on first use."""
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        base = slug_of(key or name, MAX_ID_LENGTH) or "dimension"
        taken = {dimension.id for dimension in self.dimensions}
        ident, number = base, 2
        while ident in taken:
            ident, number = f"{base}-{number}", number + 1
        dimension = DraftDimension(ident, name, description, origin=origin)
        self.dimensions.append(dimension)
        return dimension

    def behaviours(self) -> int:
        return sum(len(texts) for d in self.dimensions for texts in d.expectations.values())

    def examples(self) -> int:
        return sum(d.example_count() for d in self.dimensions)


def add_texts(texts: dict[str, list[_Item]], level: str, new: list[_Item]) -> None:
    """Append ``new`` to the behaviours (or examples) of ``level``, keeping the order read."""
    if new:
        texts.setdefault(level, []).extend(new)
