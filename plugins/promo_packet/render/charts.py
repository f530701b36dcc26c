"""The packet's charts as static SVG, drawn at build time: no script, no request.

Two charts, each a pure function of the model that returns one ``<svg>`` element:

* :func:`coverage_heatmap`: entries per dimension and level, the levels in the ladder's order,
  the current and the target framed and named, each dimension's status beside its name, in words;
* :func:`evidence_over_time`: entries per dimension by month (by quarter once the history
  is longer than :data:`MONTHS_BY_MONTH`), stacked by strength, with every silence of
  :data:`SILENCE_MONTHS` or more marked and named.

On a page a name stands over its row and a chart is drawn for a phone's column: no text under
12 px, names wrapped rather than cut, labels kept inside the chart and off each other (see
:mod:`.svg`). On paper the names stand beside the rows, where a page has room.

Every text of a chart goes through :func:`html.escape`; nothing else of the user's reaches the
markup. A chart is ``role="img"``, labelled by its ``<title>`` and ``<desc>``, and the desc says
the numbers in words. Colours come from a :class:`Palette`: the site's is only ``currentColor``
and the theme's custom properties (dark mode follows), the print one the print CSS colours.
Colour is never the only signal: counts are printed, statuses written, strengths told apart
by fill, opacity and dashes and named in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape

from ..model.coverage import Coverage
from ..model.packet import Packet
from ..model.rubric import Level
from ..model.strength import Strength
from .history import MONTHS_BY_MONTH, SILENCE_MONTHS, Bucket, buckets, silences, strength_counts
from .svg import (
    FONT,
    GAP,
    PRINT,
    SITE,
    SMALL,
    Palette,
    coord,
    paint,
    place_labels,
    svg_chart,
    svg_text,
    text_width,
    wrap,
)

__all__ = ["MONTHS_BY_MONTH", "PRINT", "SILENCE_MONTHS", "SITE", "Palette", "buckets", "coverage_heatmap",
           "evidence_over_time", "silences", "strength_names"]

STRENGTH_WORDS = {
    Strength.STRONG: "a figure and a named corroborator",
    Strength.SUPPORTED: "one of the two",
    Strength.CLAIMED: "neither",
}
SCALES = (1.0, 1.2)
"""How far a page may shrink and grow a chart: never below its drawn size, where the smallest
text is 12 px, so a phone scrolls a wide chart sideways instead."""
WIDTH = 340
"""A chart's least width: a phone's text column at 390 px, at full size."""


def coverage_heatmap(packet: Packet, *, chart_id: str = "pp-coverage", palette: Palette = SITE) -> str:
    """Entries per dimension (rows) and level (columns), as :attr:`Coverage.by_level` counts them.

    The levels run in the ladder's order, the current and the target framed and named over
    their columns. On a page each row is the dimension's name, wrapped, with its status on its
    first line, above its cells: the chart is as wide as the cells only, and fits a phone. On
    paper the name and the status stand left of the cells, where a page has room.
    """
    levels = sorted(packet.ladder.levels, key=lambda level: level.rank)
    grid = _Grid(levels, packet.target, packet.current, palette,
                 highest=max((c.by_level.get(level.id, 0) for c in packet.coverage for level in levels),
                             default=0))
    body = grid.headings()
    y = grid.head_h
    for coverage in packet.coverage:
        row, y = grid.row(coverage, y)
        body += row
    target = packet.target
    title = f"Coverage at {target.title}: entries per dimension and level"
    rows = []
    for coverage in packet.coverage:
        counts = ", ".join(f"{coverage.by_level.get(level.id, 0)} at {level.title}" for level in levels)
        rows.append(f"{coverage.dimension.name}: {coverage.standing}; {counts}.")
    desc = f"{len(packet.coverage)} dimensions, target {target.title}. " + " ".join(rows)
    return svg_chart(chart_id, grid.width, y, title, desc, palette, body, "coverage",
                     scales=SCALES if palette.screen else None)


@dataclass(frozen=True)
class _Grid:
    """The heatmap's geometry: the levels' titles over a column each, then a block per dimension
    (its name and status, then a cell per level)."""

    levels: Sequence[Level]
    target: Level
    current: Level | None
    palette: Palette
    highest: int
    line_h: int = 17
    cell_h: int = 32

    @cached_property
    def widths(self) -> list[float]:
        """Each level's column: wide enough for the longest word of its title, and its role."""
        found = []
        for level in self.levels:
            role = self.role(level)
            words = [*level.title.split(), *([f"({role})"] if role else [])]
            found.append(max(60.0, max(text_width(word, SMALL, bold=bool(role)) for word in words) + 8))
        return found

    @property
    def name_w(self) -> float:
        """The names' column: none on a page, where a name stands over its cells."""
        return 0.0 if self.palette.screen else 180.0

    @property
    def width(self) -> float:
        return max(float(WIDTH), self.name_w + sum(self.widths))

    def role(self, level: Level) -> str:
        if level.id == self.target.id:
            return "target"
        return "current" if self.current is not None and level.id == self.current.id else ""

    def titles(self, column: int) -> list[str]:
        level = self.levels[column]
        role = self.role(level)
        return [*wrap(level.title, self.widths[column] - 8, SMALL, bold=bool(role)),
                *([f"({role})"] if role else [])]

    @property
    def head_h(self) -> float:
        return 4 + 15 * max(len(self.titles(column)) for column in range(len(self.levels))) + 6

    def x(self, column: int) -> float:
        return self.name_w + sum(self.widths[:column])

    def headings(self) -> list[str]:
        """Each level's title over its column, bottom-aligned, the target and the current named."""
        body = []
        for column, level in enumerate(self.levels):
            role, middle = self.role(level), self.x(column) + self.widths[column] / 2
            lines = self.titles(column)
            for line, words in enumerate(reversed(lines)):
                body.append(svg_text(middle, self.head_h - 8 - 15 * line, words,
                                     self.palette, text_anchor="middle", font_size=SMALL,
                                     font_weight="bold" if role else None))
        return body

    def row(self, coverage: Coverage, y: float) -> tuple[list[str], float]:
        """A dimension's name and status, then its count at each level; and where the next row starts."""
        palette, status = self.palette, coverage.standing
        beside = self.name_w > 0
        room = self.name_w - GAP if beside else self.width - text_width(status, SMALL, bold=True) - GAP
        names = wrap(coverage.dimension.name, room, FONT)
        body = [f'<g class="pp-row" data-dimension="{escape(coverage.dimension.id, quote=True)}">']
        body += [svg_text(0, y + 14 + self.line_h * line, words, palette, class_="pp-chart-name")
                 for line, words in enumerate(names)]
        at = (0.0, y + 14 + self.line_h * len(names)) if beside else (self.width, y + 14)
        body.append(svg_text(*at, status, palette, text_anchor=None if beside else "end", font_size=SMALL,
                             class_=f"pp-chart-status pp-chart-status-{status}",
                             font_weight="bold" if status != "gap" else None,
                             font_style="italic" if status == "gap" else None))
        if beside:
            body += [self.cell(column, coverage.by_level.get(level.id, 0), y + 4)
                     for column, level in enumerate(self.levels)]
            body.append("</g>")
            return body, y + max(self.cell_h + 4, self.line_h * (len(names) + 1)) + 10
        top = y + self.line_h * len(names) + 9
        body += [self.cell(column, coverage.by_level.get(level.id, 0), top)
                 for column, level in enumerate(self.levels)]
        body.append("</g>")
        return body, top + self.cell_h + 12

    def cell(self, column: int, count: int, y: float) -> str:
        """A count in its cell, shaded by how many; the target's and the current's framed."""
        level, x, wide = self.levels[column], self.x(column), self.widths[column]
        palette, role = self.palette, self.role(level)
        shade = (paint(palette.accent, fill_opacity=coord(round(0.12 + 0.5 * count / self.highest, 2)))
                 if count else paint("none", palette.rule, stroke_dasharray="2 3"))
        box = (f'x="{coord(x + 4)}" y="{coord(y)}" width="{coord(wide - 8)}" '
               f'height="{self.cell_h}" rx="3"')
        # Framed by a line of its own, solid for the target, dashed for the current: not colour alone.
        frame = "" if not role else (
            f'<rect class="pp-{role}" x="{coord(x + 1.5)}" y="{coord(y - 2.5)}" '
            f'width="{coord(wide - 3)}" height="{self.cell_h + 5}" rx="5" '
            + paint("none", palette.accent if role == "target" else palette.ink, stroke_width=2,
                    stroke_dasharray=None if role == "target" else "5 3") + "/>")
        words = svg_text(x + wide / 2, y + self.cell_h / 2 + 5, str(count) if count else "·", palette,
                         text_anchor="middle", font_weight="bold" if role == "target" else None)
        return (f'<g class="pp-cell" data-level="{escape(level.id, quote=True)}"><rect {box} {shade}/>'
                f"{frame}{words}</g>")


def evidence_over_time(packet: Packet, coverage: Sequence[Coverage] | None = None, *,
                       chart_id: str = "pp-evidence", palette: Palette = SITE) -> str:
    """Entries per dimension (a row each) and month or quarter, stacked by strength.

    ``coverage`` is the dimensions drawn (all by default); the time axis is the whole
    packet's, so a dimension page shows its silences against the rest of the history.
    An empty string when the packet has no entries.
    """
    rows = packet.coverage if coverage is None else tuple(coverage)
    span = buckets(packet.entries)
    if not span:
        return ""
    per_row = [strength_counts(packet, c.entries, span) for c in rows]
    totals = [sum(sum(row[i].values()) for row in per_row) for i in range(len(span))]
    quiet = silences(span, totals)
    room = WIDTH if palette.screen else 480
    plot = _Timeline(span, palette, step=min(40.0, room / len(span)),
                     highest=max((sum(cell.values()) for row in per_row for cell in row), default=0) or 1)
    names = strength_names(packet)
    body, y = plot.legend(names)
    drawn, top = [], y
    for c, counts in zip(rows, per_row, strict=True):
        row, y = plot.row(c, counts, y)
        drawn += row
    # Shaded first, so that the bars and the names are drawn over the silences.
    bands, labels = plot.silences(quiet, top, y - 10)
    axis, y = plot.axis(top, y - 10)
    body += bands + drawn + axis
    placed = place_labels(labels, plot.left, plot.width, lines=len(labels))
    body += [svg_text(x, y + 15 * line, words, palette, font_size=SMALL, text_anchor="middle",
                      class_="pp-silence-label") for x, line, words in placed]
    height = y + 15 * max((line for _, line, _ in placed), default=-1) + 6
    unit = "month" if span[0].months == 1 else "quarter"
    title = f"Evidence over time by {unit}"
    if coverage is not None:
        title += ": " + ", ".join(c.dimension.name for c in rows)
    desc = _time_desc(rows, per_row, span, quiet, unit, names)
    return svg_chart(chart_id, plot.width, height, title, desc, palette, body, "evidence",
                     scales=SCALES if palette.screen else None)


@dataclass(frozen=True)
class _Timeline:
    """The evidence chart's geometry: a legend, then per dimension its name and count over a row of
    bars (beside it on paper), then the time axis and the silences named under it."""

    span: Sequence[Bucket]
    palette: Palette
    step: float
    highest: int
    line_h: int = 17
    bar_h: int = 30

    @property
    def left(self) -> float:
        """Where the bars start: on a page under the names, on paper right of them."""
        return 0.0 if self.palette.screen else 160.0

    @property
    def plot_w(self) -> float:
        return self.step * len(self.span)

    @property
    def width(self) -> float:
        return max(float(WIDTH), self.left + self.plot_w)

    @property
    def styles(self) -> dict[Strength, str]:
        """How each strength is drawn: fill, opacity and dashes, so colour is never the only signal."""
        accent = self.palette.accent
        return {
            Strength.STRONG: paint(accent),
            Strength.SUPPORTED: paint(accent, fill_opacity="0.4"),
            Strength.CLAIMED: paint("none", accent, stroke_dasharray="2 2", stroke_width=1.2),
        }

    def legend(self, names: Mapping[Strength, str]) -> tuple[list[str], float]:
        """A swatch and a name per strength, on as many lines as the width needs; and its bottom."""
        body, x, y, styles = [], 0.0, 4.0, self.styles
        for strength in Strength:
            wide = 19 + text_width(names[strength], SMALL)
            if x and x + wide > self.width:
                x, y = 0.0, y + 20
            body.append(f'<rect x="{coord(x)}" y="{coord(y + 1)}" width="14" height="14" '
                        f'{styles[strength]}/>')
            body.append(svg_text(x + 19, y + 13, names[strength], self.palette, font_size=SMALL))
            x += wide + 16
        return body, y + 30

    def silences(self, quiet: Sequence[tuple[int, int]], top: float,
                 bottom: float) -> tuple[list[str], list[tuple[float, str]]]:
        """Each silence shaded across every row; and its name, centred under it."""
        body, labels = [], []
        for first, last in quiet:
            x0, wide = self.left + first * self.step, (last - first + 1) * self.step
            body.append(f'<rect class="pp-silence" x="{coord(x0)}" y="{coord(top)}" width="{coord(wide)}" '
                        f'height="{coord(bottom - top)}" {paint(self.palette.rule, fill_opacity="0.18")}/>')
            labels.append((x0 + wide / 2, f"{(last - first + 1) * self.span[first].months} months silent"))
        return body, labels

    def row(self, c: Coverage, counts: Sequence[dict[Strength, int]], y: float) -> tuple[list[str], float]:
        """A dimension's name and count over its bars, stacked by strength on a baseline; and where
        the next row starts."""
        palette, styles = self.palette, self.styles
        many = f"{len(c.entries)} {'entry' if len(c.entries) == 1 else 'entries'}"
        left = self.left
        if left:
            names = wrap(c.dimension.name, left - GAP, FONT)
            base = y + max(self.bar_h + 6, self.line_h * (len(names) + 1))
            count = svg_text(0, y + 14 + self.line_h * len(names), many, palette, font_size=SMALL)
        else:
            names = wrap(c.dimension.name, self.width - text_width(many, SMALL) - GAP, FONT)
            base = y + self.line_h * len(names) + 4 + self.bar_h
            count = svg_text(self.width, y + 14, many, palette, font_size=SMALL, text_anchor="end")
        body = [f'<g class="pp-row" data-dimension="{escape(c.dimension.id, quote=True)}">',
                *(svg_text(0, y + 14 + self.line_h * line, words, palette, class_="pp-chart-name")
                  for line, words in enumerate(names)),
                count,
                f'<line x1="{coord(left)}" y1="{coord(base)}" x2="{coord(left + self.plot_w)}" '
                f'y2="{coord(base)}" {paint("none", palette.rule)}/>']
        stacked = [0.0] * len(self.span)
        for strength in Strength:
            # One group per strength carries the paint: a bar is only its place and its count.
            bars = []
            for i, cell in enumerate(counts):
                if cell[strength]:
                    h = self.bar_h * cell[strength] / self.highest
                    stacked[i] += h
                    bars.append(f'<rect data-count="{cell[strength]}" '
                                f'data-bucket="{escape(self.span[i].label)}" '
                                f'x="{coord(left + i * self.step + 1)}" y="{coord(base - stacked[i])}" '
                                f'width="{coord(max(self.step - 2, 1))}" height="{coord(h)}"/>')
            if bars:
                body.append(f'<g class="pp-bars" data-strength="{strength.value}" {styles[strength]}>'
                            + "".join(bars) + "</g>")
        body.append("</g>")
        return body, base + 10

    def axis(self, top: float, bottom: float) -> tuple[list[str], float]:
        """A line at each new year, and the first and last buckets' labels with others between them,
        thinned to every second, third... bucket so that none overlaps another; and where the lines
        under the axis start."""
        palette, axis_y, left = self.palette, bottom + 16, self.left
        years = [left + i * self.step for i, bucket in enumerate(self.span) if i and bucket.start.month == 1]
        body = [f'<line x1="{coord(x)}" y1="{coord(top)}" x2="{coord(x)}" y2="{coord(bottom + 3)}" '
                f'{paint("none", palette.rule, stroke_dasharray="1 3")}/>' for x in years]
        every, last = _every(self.span, self.step), len(self.span) - 1
        # The first and the last bucket are placed first: the span's ends matter more than its middle.
        marks = [(left + (i + 0.5) * self.step, self.span[i].label) for i in sorted({0, last})]
        marks += [(left + (i + 0.5) * self.step, bucket.label) for i, bucket in enumerate(self.span)
                  if 0 < i < last and _on_the_beat(bucket, every)]
        for x, _, words in place_labels(marks, left, self.width, lines=1):
            body.append(svg_text(x, axis_y, words, palette, font_size=SMALL, text_anchor="middle",
                                 class_="pp-axis-label"))
        return body, axis_y + 17


def _every(span: Sequence[Bucket], step: float) -> int:
    """How many buckets apart the axis labels stand: the fewest of a calendar's steps
    (1, 2, 3, 6, 12... months; 1, 2, 4... quarters) that leaves room for a label."""
    room = text_width(span[0].label, SMALL) + 2 * GAP
    beats = (1, 2, 3, 6, 12) if span[0].months == 1 else (1, 2, 4)
    for beat in beats:
        if beat * step >= room:
            return beat
    per_year = 12 // span[0].months
    return per_year * math.ceil(room / (per_year * step))  # whole years


def _on_the_beat(bucket: Bucket, every: int) -> bool:
    """Whether an axis label stands at ``bucket``: at the calendar's own steps (January, April...)."""
    index = (bucket.start.month - 1) // bucket.months + bucket.start.year * (12 // bucket.months)
    return index % every == 0


def strength_names(packet: Packet) -> Mapping[Strength, str]:
    """What the chart calls each strength: its name for the author, what it means for anyone else,
    who is never shown an entry labelled by strength (see packet.Strength)."""
    if packet.settings.audience.is_author:
        return {strength: strength.value for strength in Strength}
    return {Strength.STRONG: "figure and corroborator", Strength.SUPPORTED: "one of the two",
            Strength.CLAIMED: "neither"}


def _time_desc(rows: Sequence[Coverage], per_row: Sequence[Sequence[dict[Strength, int]]],
               span: Sequence[Bucket], quiet: Sequence[tuple[int, int]], unit: str,
               names: Mapping[Strength, str]) -> str:
    if names[Strength.STRONG] == Strength.STRONG.value:
        by = "strength (" + "; ".join(f"{s.value}: {words}" for s, words in STRENGTH_WORDS.items()) + ")"
    else:
        by = "proof (a figure and a named corroborator, one of the two, or neither)"
    parts = [f"Entries per {unit} from {span[0].label} to {span[-1].label}, by {by}."]
    for c, counts in zip(rows, per_row, strict=True):
        cells = []
        for bucket, cell in zip(span, counts, strict=True):
            total = sum(cell.values())
            if total:
                cells.append(f"{bucket.label} " + ", ".join(f"{n} {names[s]}" for s, n in cell.items() if n))
        listed = "; ".join(cells) if cells else "none"
        parts.append(f"{c.dimension.name}: {len(c.entries)} "
                     f"{'entry' if len(c.entries) == 1 else 'entries'}; {listed}.")
    for first, last in quiet:
        parts.append(f"No entries from {span[first].label} to {span[last].label}.")
    return " ".join(parts)
