"""A ladder kept in a spreadsheet, exported as CSV or TSV, in one of two shapes.

*Long*: one row per behaviour, with columns for the dimension, the level and the behaviour
(and optionally the level's title, the dimension's description, an example). *Grid*: one row
per dimension, one column per level (left to right, lowest first), each cell holding one or
more behaviours on separate lines or behind bullets.

Exports carry a byte order mark, CRLF line ends, quoted cells with commas and line breaks,
blank rows, a title row above the header and empty cells where the sheet merged them; all are
read. A row that cannot be is a problem at its row number, as the spreadsheet numbers rows (a
line break inside a quoted cell does not start a new row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import PurePath

from .draft import Draft, DraftDimension, split_behaviours

_WORD = re.compile(r"[^a-z]+")
DIMENSION = {"dimension", "dimensions", "competency", "competencies", "area", "theme", "axis",
             "category", "pillar", "skill", "attribute"}
LEVEL = {"level", "levels", "grade", "band", "rank"}
BEHAVIOUR = {"behaviour", "behaviours", "behavior", "behaviors", "expectation", "expectations",
             "criteria", "criterion", "signal", "signals"}
LEVEL_TITLE = {"leveltitle", "levelname", "title"}
DESCRIPTION = {"description", "summary", "dimensiondescription"}
EXAMPLE = {"example", "examples"}
# "P4 - Senior Engineer" as a grid's column header: the id, then the title.
_CODE_TITLE = re.compile(r"^(\S+)\s+[-\u2013\u2014:]\s+(.+)$")
QUOTE_HINT = ("a cell holding a comma, a tab or a line break must be in double quotes, "
              "with any quote inside it doubled")

Row = tuple[int, list[str]]
MAX_ROWS = 10_000
"""A ladder is a few hundred behaviours, one a row at most; a sheet this long is not one."""
MAX_COLUMNS = 1_000
"""A grid has a column per level, a dozen or so; a row this wide is not a ladder's."""
MAX_DIMENSIONS = 200
"""A ladder has a handful of dimensions, a few dozen at most."""


def _header_word(cell: str) -> str:
    return _WORD.sub("", cell.lower())


def _rows(text: str, draft: Draft, delimiter: str) -> Iterator[Row]:
    """``(row number, cells)`` for every row, stopping with a problem at a row csv cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = ("a quoted cell is never closed" if "end of data" in str(exc)
                      else f"cannot be read: {exc}")
            draft.problem(number, f"{reason}", hint=QUOTE_HINT)
            return
        if number > MAX_ROWS or len(cells) > MAX_COLUMNS:
            what = f"more than {MAX_ROWS:,} rows" if number > MAX_ROWS else f"{len(cells):,} cells"
            draft.problem(number, f"too large for a ladder: {what}",
                          hint=f"a ladder has at most {MAX_ROWS:,} rows of {MAX_COLUMNS:,} cells; "
                               "is this the right file?")
            return
        yield number, [cell.strip() for cell in cells]


def read(text: str, source: str, *, delimiter: str = ",") -> Draft:
    kind = "TSV" if delimiter == "\t" else "CSV"
    draft = Draft(source, f"a {kind} spreadsheet")
    rows = [(number, cells) for number, cells in _rows(text.removeprefix("\ufeff"), draft, delimiter)
            if any(cells)]
    if draft.problems:
        return draft
    header_at = next((i for i, (_, cells) in enumerate(rows) if sum(1 for c in cells if c) >= 2), None)
    if header_at is None:
        draft.problem(None, "no header row: a row naming the columns, with at least two cells",
                      hint="put the dimension, then the levels (or level and behaviour) in the first row")
        return draft
    for _, cells in rows[:header_at]:
        draft.name = draft.name or next(cell for cell in cells if cell)
    draft.name = draft.name or PurePath(source).stem
    header_row, header = rows[header_at]
    words = [_header_word(cell) for cell in header]
    body = rows[header_at + 1:]
    level_at = _column(words, LEVEL)
    if level_at is not None and _column(words, BEHAVIOUR) is None:
        # A long sheet whose behaviour column has a name we do not know: read as a grid, its
        # "Level" column would become a level.
        draft.problem(header_row, f"the header has a {header[level_at]!r} column but no behaviour column",
                      hint=f"name the behaviours' column one of: {', '.join(sorted(BEHAVIOUR))}")
        return draft
    if level_at is not None:
        draft.form += " in the long shape: one row per behaviour"
        _long(draft, header_row, header, words, body)
    else:
        draft.form += " in the grid shape: one row per dimension, one column per level"
        _grid(draft, header_row, header, words, body)
    return draft


def _too_wide(draft: Draft, number: int, cells: list[str], width: int, what: str) -> bool:
    extra = [cell for cell in cells[width:] if cell]
    if extra:
        draft.problem(number, f"has {len(cells)} cells but the header has {width} "
                      f"({what}); the extra cell reads {extra[0][:40]!r}", hint=QUOTE_HINT)
    return bool(extra)


def _dimension(draft: Draft, name: str, number: int) -> DraftDimension | None:
    """The dimension ``name`` of ``draft``, made on first use; ``None``, with a problem at row
    ``number``, once a new one would be more than a ladder has."""
    if len(draft.dimensions) >= MAX_DIMENSIONS and all(d.name != name for d in draft.dimensions):
        draft.problem(number, f"too large for a ladder: more than {MAX_DIMENSIONS} dimensions",
                      hint="is this the right file?")
        return None
    return draft.dimension(name, origin=f"row {number}")


def _column(words: list[str], names: set[str]) -> int | None:
    return next((index for index, word in enumerate(words) if word in names), None)


def _long(draft: Draft, header_row: int, header: list[str], words: list[str], body: list[Row]) -> None:
    dimension_at = _column(words, DIMENSION)
    level_at, behaviour_at = _column(words, LEVEL), _column(words, BEHAVIOUR)
    assert level_at is not None and behaviour_at is not None
    if dimension_at is None:
        draft.problem(header_row, "no dimension column in the header",
                      hint=f"name one of the columns one of: {', '.join(sorted(DIMENSION))}")
        return
    title_at, description_at = _column(words, LEVEL_TITLE), _column(words, DESCRIPTION)
    example_at = _column(words, EXAMPLE)
    columns = ", ".join(cell for cell in header if cell)
    # Merged cells export as empty ones below the first: they repeat the cell above.
    dimension_name = level = ""
    for number, cells in body:
        if _too_wide(draft, number, cells, len(header), columns):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        dimension_name = cells[dimension_at] or dimension_name
        level = cells[level_at] or level
        texts = split_behaviours(cells[behaviour_at])
        examples = split_behaviours(cells[example_at]) if example_at is not None else []
        if not dimension_name or not level:
            missing = header[dimension_at] if not dimension_name else header[level_at]
            draft.problem(number, "is empty and no row above fills it", field=missing,
                          hint="every behaviour needs a dimension and a level")
            continue
        draft.add_level(level, cells[title_at] if title_at is not None else "")
        dimension = _dimension(draft, dimension_name, number)
        if dimension is None:
            return
        if description_at is not None and cells[description_at] and not dimension.description:
            dimension.description = cells[description_at]
        dimension.expect(level, texts, examples)


def _grid_levels(draft: Draft, header_row: int, header: list[str], first_level: int) -> dict[int, str]:
    """The level each column of a grid's header names, by column index, added to ``draft``."""
    levels: dict[int, str] = {}
    for index in range(first_level, len(header)):
        cell = header[index]
        if not cell:
            continue
        found = _CODE_TITLE.match(cell)
        ident, title = (found.group(1), found.group(2)) if found else (cell, cell)
        if ident in draft.level_ids:
            draft.problem(header_row, f"the level {ident!r} heads two columns",
                          hint="give every level column its own name")
            continue
        draft.add_level(ident, title)
        levels[index] = ident
    return levels


def _placed(draft: Draft, number: int, filled: list[int], levels: dict[int, str],
            dimension_name: str) -> bool:
    """Whether a grid row's behaviours (in columns ``filled``) each have a level and a dimension."""
    unnamed = [index for index in filled if index not in levels]
    if unnamed:
        draft.problem(number, f"column {unnamed[0] + 1} holds behaviours but its "
                      "header names no level", hint="write the level's name at the top of the column")
    elif not dimension_name:
        draft.problem(number, "behaviours without a dimension: the first cell "
                      "is empty and no row above names one",
                      hint="name the dimension in the first column")
    return not unnamed and bool(dimension_name)


def _grid(draft: Draft, header_row: int, header: list[str], words: list[str], body: list[Row]) -> None:
    description_at = 1 if len(words) > 2 and words[1] in DESCRIPTION else None
    first_level = 2 if description_at is not None else 1
    levels = _grid_levels(draft, header_row, header, first_level)
    columns = f"{header[0] or 'dimension'} and {len(levels)} levels"
    dimension_name = ""
    for number, cells in body:
        if _too_wide(draft, number, cells, len(header), columns):
            continue
        dimension_name = cells[0] or dimension_name
        filled = [index for index, cell in enumerate(cells) if cell and index >= first_level]
        if not _placed(draft, number, filled, levels, dimension_name):
            continue
        dimension = _dimension(draft, dimension_name, number)
        if dimension is None:
            return
        if description_at is not None and len(cells) > description_at and cells[description_at]:
            dimension.description = dimension.description or cells[description_at]
        for index in filled:
            dimension.expect(levels[index], split_behaviours(cells[index]))
