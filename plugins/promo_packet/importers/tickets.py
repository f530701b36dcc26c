"""Drafts from resolved tickets: Jira's and Linear's CSV exports, or any CSV with a column map.

Each role (``title``, ``date``, ``source``, and optionally ``link`` and ``status``) is read from
the first of its columns the header has. A :data:`PRESETS` entry names the columns of an
export; ``--map title=Summary,date=Resolved,...`` names them for any other CSV, or overrides a
preset's. Only rows of work done become drafts: a resolution that is not a done one (Jira), or
a status that is not a done one, passes the row over. A done row without a title, date or
source, or with a date that is not one, is a problem ``FILE:row N: column: message``; rows are
numbered as CSV records, the header being row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..authoring.drafts import Draft
from ..errors import Problem
from .exports import Found, export_day

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
    try:
        records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True))
    except csv.Error as exc:
        found.problems.append(Problem(shown, None, f"cannot be read as CSV: {exc}",
                                      hint="export the file again as CSV"))
        return found
    if not records:
        found.problems.append(Problem(shown, None, "is empty", hint="export the issues as CSV"))
        return found
    header = [cell.strip() for cell in records[0]]
    at: dict[str, int] = {}
    for role in ROLES:
        index = next((header.index(name) for name in getattr(columns, role) if name in header), None)
        if index is not None:
            at[role] = index
        elif role in REQUIRED:
            names = " or ".join(repr(name) for name in getattr(columns, role)) or "(none given)"
            found.problems.append(Problem(
                f"{shown}:row 1", None, f"no {names} column for the {role}; the header has: "
                + ", ".join(cell for cell in header if cell), hint=f"name it with --map {role}=COLUMN"))
    if found.problems:
        return found
    extras = [(name, header.index(name)) for name in columns.extra
              if name in header and header.index(name) not in at.values()]
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(role: str, cells: list[str] = cells) -> str:
            index = at.get(role)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        if not _done(cell("status"), cell("resolution"), "status" in at, "resolution" in at):
            found.passed_over += 1
            continue
        problems = [Problem(f"{shown}:row {number}", None, "is empty in a done row", field=header[at[role]])
                    for role in REQUIRED if not cell(role)]
        day = None
        if cell("date"):
            day, problem = export_day(cell("date"))
            if problem:
                problems.append(Problem(f"{shown}:row {number}", None, problem, field=header[at["date"]]))
        found.problems += problems
        if problems or day is None:
            continue
        link = cell("link")
        key = cell("source") if not cell("source").startswith(("http://", "https://")) else ""
        notes = tuple(f"{name}: {cells[index].strip()}" for name, index in extras
                      if index < len(cells) and cells[index].strip())
        label = next((cells[index].strip() for name, index in extras if name in ("Issue key", "ID")
                      and index < len(cells) and cells[index].strip()), key or "Ticket")
        found.drafts.append(Draft(cell("title"), day, cell("source"),
                                  links=((label, link),) if link else (), notes=notes))
    return found


def _done(status: str, resolution: str, has_status: bool, has_resolution: bool) -> bool:
    # Some Jira workflows close an issue without setting a resolution: then its status says.
    if has_resolution and resolution:
        return resolution.lower() not in NOT_DONE_RESOLUTIONS
    return status.lower() in DONE if has_status else not has_resolution
