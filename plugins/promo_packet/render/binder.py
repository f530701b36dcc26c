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
    PRINT,
    SITE,
    SMALL,
    Palette,
    coord,
    fit_words,
    paint,
    svg_attributes,
    svg_chart,
    svg_text,
    wrap,
)

STATUS_FILL = {"demonstrated": 0.55, "thin": 0.2}
"""How strongly a status's cell is filled; a gap is an outline only, its word in italics."""


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
    name_w, cell_w, row_h, line_h = 210, 112, 34, 15
    # Names are wrapped, never cut: two dimensions that differ only at their end stay apart.
    heads = [wrap(name, cell_w - 10, SMALL, bold=True) for name in columns.values()]
    head_h = 29 + line_h * max((len(lines) for lines in heads), default=1)
    width, height = name_w + cell_w * len(columns), head_h + row_h * len(people) + 4
    body = [svg_text(0, head_h - 10, "Person, target level", palette, font_weight="bold", font_size=SMALL)]
    for column, lines in enumerate(heads):
        # Bottom-aligned: every column's last line sits on the same baseline, over its cells.
        top = head_h - 10 - line_h * (len(lines) - 1)
        body += [svg_text(name_w + column * cell_w + cell_w / 2, top + line_h * line, words, palette,
                          text_anchor="middle", font_weight="bold", font_size=SMALL)
                 for line, words in enumerate(lines)]
    rows = []
    for row, person in enumerate(people):
        y = head_h + row * row_h
        statuses = {d.id: d.status for d in person.facts.dimensions}
        body.append(f'<g {svg_attributes(class_="pp-row", data_person=person.slug)}>')
        who = f"{person.facts.person}, {person.facts.target_level}"
        body.append(svg_text(0, y + row_h / 2 + 5, fit_words(who, 28), palette))
        for column, dimension in enumerate(columns):
            status = statuses.get(dimension)
            x = name_w + column * cell_w
            fill = STATUS_FILL.get(status or "")
            cell = (paint(palette.accent, fill_opacity=fill) if fill
                    else paint("none", palette.rule, stroke_dasharray="2 3"))
            words = svg_text(x + cell_w / 2, y + row_h / 2 + 5, status or "·", palette, text_anchor="middle",
                          font_size=SMALL, font_style="italic" if status == "gap" else None)
            cell_class = f"pp-cell pp-status-{status or 'none'}"
            body.append(f'<g {svg_attributes(class_=cell_class, data_dimension=dimension)}>'
                        f'<rect x="{coord(x + 3)}" y="{coord(y + 3)}" width="{cell_w - 6}" '
                        f'height="{row_h - 6}" rx="3" {cell}/>{words}</g>')
        body.append("</g>")
        shown = "; ".join(f"{columns[d]}: {statuses.get(d, 'not in their ladder')}" for d in columns)
        rows.append(f"{person.facts.person} ({person.facts.target_level}): {shown}.")
    title = f"{ladder}: each person's status per dimension at their target level"
    counted = f"{plural(len(people), 'person', 'people')}, {plural(len(columns), 'dimension')}."
    desc = " ".join((counted, *rows))
    return svg_chart(chart_id, width, height, title, desc, palette, body, "binder-grid", natural=True)


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
