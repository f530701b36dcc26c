"""The packet's charts as static SVG, drawn at build time: no script, no request.

Two charts, each a pure function of the model that returns one ``<svg>`` element:

* :func:`coverage_heatmap`: entries per dimension and level, the target column first after
  the dimension's name and its status beside it, in words;
* :func:`evidence_over_time`: entries per dimension by month (by quarter once the history
  is longer than :data:`MONTHS_BY_MONTH`), stacked by strength, with every silence of
  :data:`SILENCE_MONTHS` or more marked and named.

Every text of a chart goes through :func:`html.escape`; nothing else of the user's reaches the
markup. A chart is ``role="img"``, labelled by its ``<title>`` and ``<desc>``, and the desc says
the numbers in words. Colours come from a :class:`Palette`: the site's is only ``currentColor``
and the theme's custom properties (dark mode follows), the print one the print CSS colours.
Colour is never the only signal: counts are printed, statuses written, strengths told apart
by fill, opacity and dashes and named in the legend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..model.coverage import Coverage
from ..model.evidence import Evidence
from ..model.packet import Packet
from ..model.rubric import Level
from ..model.strength import Strength

MONTHS_BY_MONTH = 24
"""The longest history drawn by month; a longer one is drawn by quarter."""
SILENCE_MONTHS = 3
"""Months without any entry that the evidence chart marks as a silence."""
STRENGTH_WORDS = {
    Strength.STRONG: "a figure and a named corroborator",
    Strength.SUPPORTED: "one of the two",
    Strength.CLAIMED: "neither",
}


@dataclass(frozen=True)
class Palette:
    """The colours of a chart, as CSS values."""

    ink: str
    """Text and outlines."""
    accent: str
    """Cells and bars."""
    rule: str
    """Grid lines, empty cells and silences."""
    font: str = "inherit"


SITE = Palette(ink="currentColor", accent="var(--md-primary-fg-color, #3f51b5)",
               rule="var(--md-default-fg-color--lighter, currentColor)")
"""The site's: the theme's colours, so a dark scheme recolours the charts."""
PRINT = Palette(ink="#1a1a1a", accent="#1f2a5c", rule="#bbbbbb", font="DejaVu Sans, sans-serif")
"""The PDF's: the print CSS colours (WeasyPrint draws the SVG on its own, without the theme)."""

_FONT = 14
_SMALL = 12


def paint(fill: str, stroke: str = "none", **extra: object) -> str:
    """A shape's fill and stroke as one style attribute, with any other attributes."""
    style = f"fill:{fill};stroke:{stroke}"
    return svg_attributes(style=style, **extra)


def svg_attributes(**values: object) -> str:
    """SVG attributes, escaped (``class_`` is ``class``, ``font_size`` is ``font-size``); None is left out."""
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
                    for name, value in values.items() if value is not None)


def svg_text(x: float, y: float, words: str, palette: Palette, **extra: object) -> str:
    """``words`` at (x, y) in the palette's ink, escaped."""
    place = svg_attributes(x=coord(x), y=coord(y), **extra)
    return f"<text {place} {paint(palette.ink)}>{escape(words)}</text>"


def coord(value: float) -> str:
    """A coordinate to one decimal, without a trailing ``.0``."""
    return f"{value:.1f}".removesuffix(".0")


def fit_words(words: str, chars: int) -> str:
    """``words`` on one line, cut to ``chars`` characters (the full text is in the desc)."""
    line = " ".join(words.split())
    return line if len(line) <= chars else line[: chars - 1].rstrip() + "…"


def svg_chart(chart_id: str, width: float, height: float, title: str, desc: str, palette: Palette,
              body: Iterable[str], kind: str) -> str:
    """A chart's SVG: ``body`` under an accessible title and description, classed ``pp-{kind}``."""
    head = svg_attributes(
        xmlns="http://www.w3.org/2000/svg", class_=f"pp-chart-svg pp-{kind}", role="img",
        viewBox=f"0 0 {coord(width)} {coord(height)}", width="100%", preserveAspectRatio="xMinYMin meet",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc", font_family=palette.font,
        font_size=_FONT)
    # One line: the chart goes into Markdown as an HTML block, which a blank line would end.
    title, desc = " ".join(title.split()), " ".join(desc.split())
    return "".join((
        f"<svg {head}>",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ))


def coverage_heatmap(packet: Packet, *, chart_id: str = "pp-coverage", palette: Palette = SITE) -> str:
    """Entries per dimension (rows) and level (columns), as :attr:`Coverage.by_level` counts them.

    Each row is the dimension's name with its status under it, then the target level, then
    the other levels from the lowest: the target and the status stay in view, and legible,
    on a phone's width.
    """
    target = packet.target
    levels = [target, *(level for level in packet.ladder.levels if level.id != target.id)]
    grid = _Grid(levels, target, palette,
                 highest=max((c.by_level.get(level.id, 0) for c in packet.coverage for level in levels),
                             default=0))
    width = grid.name_w + grid.cell_w * len(levels)
    height = grid.head_h + grid.row_h * len(packet.coverage) + 4
    body = [svg_text(0, grid.head_h - 8, "Dimension, status", palette, font_weight="bold", font_size=_SMALL)]
    body += grid.headings(packet.current)
    for row, coverage in enumerate(packet.coverage):
        body += grid.row(coverage, grid.head_h + row * grid.row_h)
    # The target column, framed: marked by its heading and its frame, not by colour alone.
    body.append(f'<rect class="pp-target" x="{coord(grid.name_w + 1)}" y="1" width="{grid.cell_w - 2}" '
                f'height="{coord(height - 2)}" rx="4" {paint("none", palette.accent, stroke_width=2)}/>')
    title = f"Coverage at {target.title}: entries per dimension and level"
    rows = []
    for coverage in packet.coverage:
        counts = ", ".join(f"{coverage.by_level.get(level.id, 0)} at {level.title}" for level in levels)
        rows.append(f"{coverage.dimension.name}: {coverage.standing}; {counts}.")
    desc = f"{len(packet.coverage)} dimensions, target {target.title}. " + " ".join(rows)
    return svg_chart(chart_id, width, height, title, desc, palette, body, "coverage")


@dataclass(frozen=True)
class _Grid:
    """The heatmap's geometry: a name column, then a cell per level, a row per dimension."""

    levels: Sequence[Level]
    target: Level
    palette: Palette
    highest: int
    name_w: int = 170
    cell_w: int = 62
    row_h: int = 42
    head_h: int = 54

    def headings(self, current: Level | None) -> list[str]:
        """Each level's title over its column, the target and the current level named."""
        body = []
        for column, level in enumerate(self.levels):
            x = self.name_w + column * self.cell_w + self.cell_w / 2
            role = ("target" if level.id == self.target.id
                    else "current" if current and level.id == current.id else "")
            lines = [*_wrap(level.title, 9, 2), *([f"({role})"] if role else [])]
            for line, words in enumerate(reversed(lines)):
                body.append(svg_text(x, self.head_h - 8 - 14 * line, words, self.palette,
                                     text_anchor="middle", font_size=_SMALL,
                                     font_weight="bold" if role == "target" else None))
        return body

    def row(self, coverage: Coverage, y: int) -> list[str]:
        """A dimension's name and status, then its count at each level."""
        palette, status = self.palette, coverage.standing
        body = [f'<g class="pp-row" data-dimension="{escape(coverage.dimension.id, quote=True)}">',
                svg_text(0, y + 18, fit_words(coverage.dimension.name, 21), palette),
                svg_text(0, y + 34, status, palette, class_=f"pp-chart-status pp-chart-status-{status}",
                      font_size=_SMALL, font_weight="bold" if status != "gap" else None,
                      font_style="italic" if status == "gap" else None)]
        for column, level in enumerate(self.levels):
            count = coverage.by_level.get(level.id, 0)
            x = self.name_w + column * self.cell_w
            cell = (paint(palette.accent, fill_opacity=coord(round(0.12 + 0.5 * count / self.highest, 2)))
                    if count else paint("none", palette.rule, stroke_dasharray="2 3"))
            body.append(f'<g class="pp-cell" data-level="{escape(level.id, quote=True)}">'
                        f'<rect x="{coord(x + 4)}" y="{coord(y + 4)}" width="{self.cell_w - 8}" '
                        f'height="{self.row_h - 8}" rx="3" {cell}/>'
                        + svg_text(x + self.cell_w / 2, y + self.row_h / 2 + 5, str(count) if count else "·",
                                palette, text_anchor="middle",
                                font_weight="bold" if level.id == self.target.id else None)
                        + "</g>")
        body.append("</g>")
        return body


def _wrap(words: str, chars: int, lines: int) -> list[str]:
    """``words`` in at most ``lines`` lines of ``chars`` characters, the last one cut."""
    found: list[str] = []
    for word in words.split():
        if found and len(found[-1]) + 1 + len(word) <= chars:
            found[-1] += f" {word}"
        else:
            found.append(word)
    if len(found) > lines:
        found[lines - 1:] = [" ".join(found[lines - 1:])]
    return [fit_words(line, chars) for line in found] or [""]


@dataclass(frozen=True)
class Bucket:
    """A month or a quarter of the history."""

    start: dt.date
    label: str
    months: int

    def holds(self, day: dt.date) -> bool:
        first = self.start.year * 12 + self.start.month - 1
        return first <= day.year * 12 + day.month - 1 < first + self.months


def buckets(entries: Sequence[Evidence]) -> tuple[Bucket, ...]:
    """Every month from the oldest entry to the newest, or every quarter past two years."""
    if not entries:
        return ()
    first, last = min(e.date for e in entries), max(e.date for e in entries)
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    months = 1 if span <= MONTHS_BY_MONTH else 3
    index = first.year * 12 + (first.month - 1) // months * months
    end = last.year * 12 + last.month - 1
    found = []
    while index <= end:
        start = dt.date(index // 12, index % 12 + 1, 1)
        label = f"{start:%b %Y}" if months == 1 else f"{start.year} Q{start.month // 3 + 1}"
        found.append(Bucket(start, label, months))
        index += months
    return tuple(found)


def _counts(packet: Packet, entries: Iterable[Evidence], span: Sequence[Bucket]) -> list[dict[Strength, int]]:
    counts = [dict.fromkeys(Strength, 0) for _ in span]
    starts = [b.start.year * 12 + b.start.month - 1 for b in span]
    for entry in entries:
        at = entry.date.year * 12 + entry.date.month - 1
        column = max(i for i, start in enumerate(starts) if start <= at)
        counts[column][packet.strength_of(entry)] += 1
    return counts


def silences(span: Sequence[Bucket], totals: Sequence[int]) -> list[tuple[int, int]]:
    """(first, last) bucket of every run of empty buckets of :data:`SILENCE_MONTHS` or more."""
    runs, start = [], None
    for i, total in enumerate([*totals, 1]):
        if total == 0 and start is None:
            start = i
        elif total and start is not None:
            if (i - start) * span[start].months >= SILENCE_MONTHS:
                runs.append((start, i - 1))
            start = None
    return runs


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
    per_row = [_counts(packet, c.entries, span) for c in rows]
    totals = [sum(sum(row[i].values()) for row in per_row) for i in range(len(span))]
    quiet = silences(span, totals)
    plot = _Timeline(span, palette, rows=len(rows), step=min(24.0, max(4.0, 480 / len(span))),
                     highest=max((sum(cell.values()) for row in per_row for cell in row), default=0) or 1)
    width = plot.label_w + plot.plot_w + 8
    height = plot.legend_h + plot.row_h * len(rows) + plot.axis_h + (18 if quiet else 0)
    names = strength_names(packet)
    body = plot.legend(names) + plot.silences(quiet)
    for r, (c, counts) in enumerate(zip(rows, per_row, strict=True)):
        body += plot.row(c, counts, plot.legend_h + r * plot.row_h)
    body += plot.axis()
    unit = "month" if span[0].months == 1 else "quarter"
    title = f"Evidence over time by {unit}"
    if coverage is not None:
        title += ": " + ", ".join(c.dimension.name for c in rows)
    desc = _time_desc(rows, per_row, span, quiet, unit, names)
    return svg_chart(chart_id, width, height, title, desc, palette, body, "evidence")


@dataclass(frozen=True)
class _Timeline:
    """The evidence chart's geometry: a legend, then a row of bars per dimension, then the time axis."""

    span: Sequence[Bucket]
    palette: Palette
    rows: int
    step: float
    highest: int
    label_w: int = 150
    legend_h: int = 30
    row_h: int = 46
    bar_h: int = 34
    axis_h: int = 22

    @property
    def plot_w(self) -> float:
        return self.step * len(self.span)

    @property
    def styles(self) -> dict[Strength, str]:
        """How each strength is drawn: fill, opacity and dashes, so colour is never the only signal."""
        accent = self.palette.accent
        return {
            Strength.STRONG: paint(accent),
            Strength.SUPPORTED: paint(accent, fill_opacity="0.4"),
            Strength.CLAIMED: paint("none", accent, stroke_dasharray="2 2", stroke_width=1.2),
        }

    def legend(self, names: Mapping[Strength, str]) -> list[str]:
        body, x, styles = [], 0.0, self.styles
        for strength in Strength:
            body.append(f'<rect x="{coord(x)}" y="6" width="14" height="14" {styles[strength]}/>')
            body.append(svg_text(x + 19, 18, names[strength], self.palette, font_size=_SMALL))
            x += 19 + 7 * len(names[strength]) + 18
        return body

    def silences(self, quiet: Sequence[tuple[int, int]]) -> list[str]:
        """Each silence shaded across every row, and named under the axis."""
        body, top, tall = [], self.legend_h, self.row_h * self.rows
        for first, last in quiet:
            x0 = self.label_w + first * self.step
            body.append(f'<rect class="pp-silence" x="{coord(x0)}" y="{top}" '
                        f'width="{coord((last - first + 1) * self.step)}" height="{tall}" '
                        f'{paint(self.palette.rule, fill_opacity="0.18")}/>')
            months = (last - first + 1) * self.span[first].months
            body.append(svg_text(x0, top + tall + self.axis_h + 14, f"{months} months silent", self.palette,
                              font_size=_SMALL, class_="pp-silence-label"))
        return body

    def row(self, c: Coverage, counts: Sequence[dict[Strength, int]], y: int) -> list[str]:
        """A dimension's name and count, then its bars stacked by strength on a baseline."""
        base, palette, styles = y + self.row_h - 6, self.palette, self.styles
        many = "entry" if len(c.entries) == 1 else "entries"
        body = [f'<g class="pp-row" data-dimension="{escape(c.dimension.id, quote=True)}">',
                svg_text(0, y + 20, fit_words(c.dimension.name, 18), palette),
                svg_text(0, y + 36, f"{len(c.entries)} {many}", palette, font_size=_SMALL),
                f'<line x1="{self.label_w}" y1="{coord(base)}" x2="{coord(self.label_w + self.plot_w)}" '
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
                                f'x="{coord(self.label_w + i * self.step + 1)}" '
                                f'y="{coord(base - stacked[i])}" '
                                f'width="{coord(max(self.step - 2, 1))}" height="{coord(h)}"/>')
            if bars:
                body.append(f'<g class="pp-bars" data-strength="{strength.value}" {styles[strength]}>'
                            + "".join(bars) + "</g>")
        body.append("</g>")
        return body

    def axis(self) -> list[str]:
        """The first and last buckets' labels, and a line at each new year, its year named where
        it clears them."""
        span, palette, top = self.span, self.palette, self.legend_h
        axis_y = top + self.row_h * self.rows + 14
        right = self.label_w + self.plot_w
        body = [svg_text(self.label_w, axis_y, span[0].label, palette, font_size=_SMALL)]
        if len(span) > 1:
            body.append(svg_text(right, axis_y, span[-1].label, palette, font_size=_SMALL, text_anchor="end"))
        for i, bucket in enumerate(span):
            x = self.label_w + i * self.step
            if i and bucket.start.month == 1:
                body.append(f'<line x1="{coord(x)}" y1="{top}" x2="{coord(x)}" y2="{axis_y - 12}" '
                            f'{paint("none", palette.rule, stroke_dasharray="1 3")}/>')
                if x - self.label_w > 70 and right - x > 70:  # clear of the first and last labels
                    body.append(svg_text(x, axis_y, str(bucket.start.year), palette, font_size=_SMALL,
                                      text_anchor="middle"))
        return body


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
