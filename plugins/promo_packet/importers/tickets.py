"""Drafts from resolved tickets: Jira's and Linear's CSV exports, or any CSV with a column map.

Each role (``title``, ``date``, ``source``, and optionally ``link`` and ``status``) is read from
the first of its columns the header has. A :data:`PRESETS` entry names the columns of an
export; ``--map title=Summary,date=Resolved,...`` names them for any other CSV, or overrides a
preset's. Only rows of work done become drafts: a resolution that is not a done one (Jira), or
a status that is not a done one, passes the row over. A done row without a title, date or
source, or with a date that is not one, is a problem ``FILE:LINE: column: message``, at the
line the row starts on (a quoted line break makes a row span several).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..authoring.drafts import Draft
from ..errors import Problem
from ..render.pages import text
from .exports import Found, export_day, link_problem, text_problem

ROLES = ("title", "date", "source", "link", "status", "resolution")
REQUIRED = ("title", "date", "source")
DONE = frozenset({"done", "closed", "resolved", "completed", "complete", "fixed", "shipped", "released"})
NOT_DONE_RESOLUTIONS = frozenset({"", "unresolved", "won't do", "won't fix", "duplicate", "cannot reproduce",
                                  "incomplete", "declined", "obsolete"})


@dataclass(frozen=True)
class Columns:
    """For each role, the column names that may hold it, in order of preference."""

    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    link: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    resolution: tuple[str, ...] = ()
    extra: tuple[str, ...] = field(default=())
    """Columns kept as notes when the export has them."""

    def mapped(self, overrides: Mapping[str, str]) -> Columns:
        """These columns with each role of ``overrides`` read from the one column it names."""
        values = {role: getattr(self, role) for role in ROLES}
        values.update({role: (column,) for role, column in overrides.items()})
        return Columns(**values, extra=self.extra)


PRESETS = {
    "jira": Columns(title=("Summary",), date=("Resolved",), source=("Issue URL", "URL", "Issue key"),
                    link=("Issue URL", "URL"), status=("Status",), resolution=("Resolution",),
                    extra=("Issue key", "Project name", "Issue Type")),
    "linear": Columns(title=("Title",), date=("Completed", "Completed At", "Completed at"),
                      source=("URL", "ID"), link=("URL",), status=("Status",),
                      extra=("ID", "Team", "Project", "Labels")),
}


def parse_map(text: str) -> tuple[dict[str, str], str | None]:
    """``title=Summary,date=Resolved`` -> ``{"title": "Summary", "date": "Resolved"}``, or why not."""
    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        role, _, column = part.partition("=")
        role, column = role.strip(), column.strip()
        if role not in ROLES or not column:
            return {}, (f"expected ROLE=COLUMN pairs separated by commas, with ROLE one of "
                        f"{', '.join(ROLES)}; got {part!r}")
        mapping[role] = column
    return mapping, None


def read(text: str, shown: str, columns: Columns) -> Found:
    """The drafts of the done rows of CSV ``text``; ``shown`` names the file in problems."""
    found = Found()
    records = _records(text, shown, found.problems)
    if not records:
        return found
    (header_line, cells), rows = records[0], records[1:]
    header = [cell.strip() for cell in cells]
    at = _columns_at(header, columns)
    found.problems += [Problem(shown, header_line, f"no {_names(columns, role)} column for the {role}; the "
                               f"header has: {', '.join(filter(None, header))}",
                               hint=f"name it with --map {role}=COLUMN")
                       for role in REQUIRED if role not in at]
    if found.problems:
        return found
    extras = [(name, header.index(name)) for name in columns.extra
              if name in header and header.index(name) not in at.values()]
    for line, cells in rows:
        row = _Row(cells, at)
        if not any(cell.strip() for cell in cells):
            continue
        if not _done(row.cell("status"), row.cell("resolution"), "status" in at, "resolution" in at):
            found.passed_over += 1
            continue
        draft, problems = _draft(row, extras, Problem(shown, line, ""), header)
        found.problems += problems
        if draft is not None:
            found.drafts.append(draft)
    return found


def _records(text: str, shown: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on; none, with a problem, if the text is not CSV."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    records: list[tuple[int, list[str]]] = []
    read = 0
    try:
        for cells in reader:
            # A record starts after the lines read before it: a quoted line break spans several.
            records.append((read + 1, cells))
            read = reader.line_num
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num or None, f"cannot be read as CSV: {exc}",
                                hint="export the file again as CSV"))
        return []
    if not records:
        problems.append(Problem(shown, None, "is empty", hint="export the issues as CSV"))
    return records


def _names(columns: Columns, role: str) -> str:
    return " or ".join(repr(name) for name in getattr(columns, role)) or "(none given)"


def _columns_at(header: list[str], columns: Columns) -> dict[str, int]:
    """For each role the header has a column for, the index of the first of its columns."""
    at: dict[str, int] = {}
    for role in ROLES:
        index = next((header.index(name) for name in getattr(columns, role) if name in header), None)
        if index is not None:
            at[role] = index
    return at


@dataclass(frozen=True)
class _Row:
    cells: list[str]
    at: dict[str, int]

    def cell(self, role: str) -> str:
        index = self.at.get(role)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def kept(self, index: int) -> str:
        return self.cells[index].strip() if index < len(self.cells) else ""


def _draft(row: _Row, extras: list[tuple[str, int]], where: Problem,
           header: list[str]) -> tuple[Draft | None, list[Problem]]:
    """The draft of a done row, or the problems that stop it, located ``where`` in a role's column."""
    def problem(message: str, role: str) -> Problem:
        return dataclasses.replace(where, message=message, field=header[row.at[role]])

    problems = [problem("is empty in a done row", role) for role in REQUIRED if not row.cell(role)]
    problems += [problem(wrong, role) for role, wrong in _value_problems(row) if wrong]
    problems += [dataclasses.replace(where, message=wrong, field=name)
                 for name, index in extras if (wrong := text_problem(row.kept(index)))]
    day = None
    if row.cell("date"):
        day, wrong = export_day(row.cell("date"))
        if wrong:
            problems.append(problem(wrong, "date"))
    if problems or day is None:
        return None, problems
    link, source = row.cell("link"), row.cell("source")
    key = source if not source.startswith(("http://", "https://")) else ""
    notes = tuple(f"{name}: {text(row.kept(index))}" for name, index in extras if row.kept(index))
    keys = [row.kept(index) for name, index in extras if name in ("Issue key", "ID")]
    label = next(filter(None, keys), key or "Ticket")
    return Draft(row.cell("title"), day, source, links=((label, link),) if link else (), notes=notes), []


def _value_problems(row: _Row) -> list[tuple[str, str | None]]:
    """Why a role's cell could not go into a draft that ``promo check`` accepts, role by role."""
    found: list[tuple[str, str | None]] = [(role, text_problem(row.cell(role), one_line=True))
                                           for role in ("title", "source")
             if role in row.at]
    link, source = row.cell("link"), row.cell("source")
    if link:
        found.append(("link", link_problem(link)))
    # A source may be a key (ENG-7); one with a scheme is a link and must be one.
    if ":" in source and row.at.get("source") != row.at.get("link"):
        found.append(("source", link_problem(source)))
    return found


def _done(status: str, resolution: str, has_status: bool, has_resolution: bool) -> bool:
    # Some Jira workflows close an issue without setting a resolution: then its status says.
    if has_resolution and resolution:
        return resolution.lower() not in NOT_DONE_RESOLUTIONS
    return status.lower() in DONE if has_status else not has_resolution
