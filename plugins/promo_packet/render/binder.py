"""A binder's own pages: the index page, the people-by-dimensions grid, and the PDF's cover.

Pure functions of the facts each bundle carries (reading/binder.py): the index page is Markdown
rendered from a site template, every value escaped by the site environment's one escape; the
grid is an SVG drawn as :mod:`.charts` draws, statuses written beside their colour; the cover
and index table of the PDF are print HTML, rendered by WeasyPrint as the packet's PDF is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..errors import plural
from ..reading.binder import Facts
from .pages import environment
from .pdf import render_html
from .svg import (
    FONT,
    GAP,
    PRINT,
    SITE,
    SMALL,
    Palette,
    coord,
    paint,
    svg_attributes,
    svg_chart,
    svg_text,
    wrap,
)

STATUS_FILL = {"demonstrated": 0.55, "thin": 0.2}
"""How strongly a status's cell is filled; a gap is an outline only, its word in italics."""
NAME_W, CELL_W, ROW_H = 210, 112, 34
"""The grid's measures in pixels: the people's names, each dimension's column, a row of one line."""
HEAD_LINE, NAME_LINE = 15, 17
"""The distance between two lines of a column's name, and of a person's."""


@dataclass(frozen=True)
class Person:
    """One person of the binder: their facts, and where their pages and PDF go."""

    slug: str
    facts: Facts
    first_page: int | None = None
    """Where their PDF starts in the binder's (1-based), once known."""


@dataclass(frozen=True)
class Skipped:
    where: str
    reason: str


def by_ladder(people: Sequence[Person]) -> list[tuple[str, list[Person]]]:
    """People grouped by ladder, ladders in the order they first appear."""
    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(person.facts.ladder, []).append(person)
    return list(groups.items())


def status_grid(ladder: str, people: Sequence[Person], *, chart_id: str = "pp-binder-grid",
                palette: Palette = SITE) -> str:
    """People (rows) by the ladder's dimensions (columns): each status at the person's target level."""
    columns: dict[str, str] = {}
    for person in people:
        for own in person.facts.dimensions:
            columns.setdefault(own.id, own.name)
    # Names are wrapped, never cut: two dimensions (or people) that differ only at their end stay apart.
    heads = [wrap(name, CELL_W - 10, SMALL, bold=True) for name in columns.values()]
    head_h = 29 + HEAD_LINE * max((len(lines) for lines in heads), default=1)
    body = [svg_text(0, head_h - 10, "Person, target level", palette, font_weight="bold", font_size=SMALL)]
    for column, lines in enumerate(heads):
        # Bottom-aligned: every column's last line sits on the same baseline, over its cells.
        top = head_h - 10 - HEAD_LINE * (len(lines) - 1)
        body += [svg_text(NAME_W + column * CELL_W + CELL_W / 2, top + HEAD_LINE * line, words, palette,
                          text_anchor="middle", font_weight="bold", font_size=SMALL)
                 for line, words in enumerate(lines)]
    rows, y = [], float(head_h)
    for person in people:
        drawn, y = _person_row(person, list(columns), y, palette)
        body += drawn
        statuses = {d.id: d.status for d in person.facts.dimensions}
        shown = "; ".join(f"{name}: {statuses.get(d, 'not in their ladder')}" for d, name in columns.items())
        rows.append(f"{person.facts.person} ({person.facts.target_level}): {shown}.")
    title = f"{ladder}: each person's status per dimension at their target level"
    counted = f"{plural(len(people), 'person', 'people')}, {plural(len(columns), 'dimension')}."
    desc = " ".join((counted, *rows))
    width = NAME_W + CELL_W * len(columns)
    return svg_chart(chart_id, width, y + 4, title, desc, palette, body, "binder-grid", natural=True)


def _person_row(person: Person, columns: list[str], y: float, palette: Palette) -> tuple[list[str], float]:
    """A person's name and their status under each column, from ``y``; and where the next row starts."""
    names = wrap(f"{person.facts.person}, {person.facts.target_level}", NAME_W - GAP, FONT)
    row_h = ROW_H + NAME_LINE * (len(names) - 1)
    statuses = {d.id: d.status for d in person.facts.dimensions}
    first = y + row_h / 2 + 5 - NAME_LINE * (len(names) - 1) / 2
    body = [f'<g {svg_attributes(class_="pp-row", data_person=person.slug)}>',
            *(svg_text(0, first + NAME_LINE * line, words, palette) for line, words in enumerate(names))]
    for column, dimension in enumerate(columns):
        status = statuses.get(dimension)
        x = NAME_W + column * CELL_W
        fill = STATUS_FILL.get(status or "")
        cell = (paint(palette.accent, fill_opacity=fill) if fill
                else paint("none", palette.rule, stroke_dasharray="2 3"))
        words = svg_text(x + CELL_W / 2, y + row_h / 2 + 5, status or "·", palette, text_anchor="middle",
                         font_size=SMALL, font_style="italic" if status == "gap" else None)
        cell_class = f"pp-cell pp-status-{status or 'none'}"
        body.append(f'<g {svg_attributes(class_=cell_class, data_dimension=dimension)}>'
                    f'<rect x="{coord(x + 3)}" y="{coord(y + 3)}" width="{CELL_W - 6}" '
                    f'height="{coord(row_h - 6)}" rx="3" {cell}/>{words}</g>')
    body.append("</g>")
    return body, y + row_h


def index_page(title: str, cycle: str, people: Sequence[Person], skipped: Sequence[Skipped]) -> str:
    """The binder site's index page, as Markdown: one row per person, then the grids."""
    groups = by_ladder(people)
    grids = [Markup(status_grid(ladder, group, chart_id=f"pp-binder-grid-{index}"))
             for index, (ladder, group) in enumerate(groups)]
    return environment("site").get_template("site/binder.md.j2").render(
        title=title, cycle=cycle, people=people, groups=zip([g[0] for g in groups], grids, strict=True),
        quotes=any(p.facts.verified_quotes is not None for p in people), skipped=skipped)


def cover_html(title: str, cycle: str, built: str, people: Sequence[Person]) -> str:
    """The binder PDF's cover and index table, as print HTML."""
    grids = [(ladder, status_grid(ladder, group, chart_id=f"pp-binder-print-{index}", palette=PRINT))
             for index, (ladder, group) in enumerate(by_ladder(people))]
    return environment("print").get_template("print/binder.html.j2").render(
        title=title, cycle=cycle, built=built, people=people, grids=grids)


def cover_pdf(html: str) -> tuple[bytes, int]:
    """The cover rendered to PDF, and how many pages it takes."""
    data, facts = render_html(html, hashlib.sha256(html.encode()).hexdigest())
    return data, int(facts["pages"])
