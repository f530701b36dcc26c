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


def _paint(fill: str, stroke: str = "none", **extra: object) -> str:
    style = f"fill:{fill};stroke:{stroke}"
    return _attributes(style=style, **extra)


def _attributes(**values: object) -> str:
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
                    for name, value in values.items() if value is not None)


def _text(x: float, y: float, words: str, palette: Palette, **extra: object) -> str:
    return f"<text {_attributes(x=_n(x), y=_n(y), **extra)} {_paint(palette.ink)}>{escape(words)}</text>"


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _fit(words: str, chars: int) -> str:
    """``words`` on one line, cut to ``chars`` characters (the full text is in the desc)."""
    line = " ".join(words.split())
    return line if len(line) <= chars else line[: chars - 1].rstrip() + "…"


def _svg(chart_id: str, width: float, height: float, title: str, desc: str, palette: Palette,
         body: Iterable[str], kind: str) -> str:
    head = _attributes(
        xmlns="http://www.w3.org/2000/svg", class_=f"pp-chart-svg pp-{kind}", role="img",
        viewBox=f"0 0 {_n(width)} {_n(height)}", width="100%", preserveAspectRatio="xMinYMin meet",
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
    highest = max((c.by_level.get(level.id, 0) for c in packet.coverage for level in levels), default=0)
    name_w, cell_w, row_h, head_h = 170, 62, 42, 54
    width = name_w + cell_w * len(levels)
    height = head_h + row_h * len(packet.coverage) + 4
    body = [_text(0, head_h - 8, "Dimension, status", palette, font_weight="bold", font_size=_SMALL)]
    for column, level in enumerate(levels):
        x = name_w + column * cell_w + cell_w / 2
        role = ("target" if level.id == target.id
                else "current" if packet.current and level.id == packet.current.id else "")
        lines = [*_wrap(level.title, 9, 2), *([f"({role})"] if role else [])]
        for line, words in enumerate(reversed(lines)):
            body.append(_text(x, head_h - 8 - 14 * line, words, palette, text_anchor="middle",
                              font_size=_SMALL, font_weight="bold" if role == "target" else None))
    for row, coverage in enumerate(packet.coverage):
        y = head_h + row * row_h
        status = coverage.status.value
        body.append(f'<g class="pp-row" data-dimension="{escape(coverage.dimension.id, quote=True)}">')
        body.append(_text(0, y + 18, _fit(coverage.dimension.name, 21), palette))
        body.append(_text(0, y + 34, status, palette, class_=f"pp-chart-status pp-chart-status-{status}",
                          font_size=_SMALL, font_weight="bold" if status != "gap" else None,
                          font_style="italic" if status == "gap" else None))
        for column, level in enumerate(levels):
            count = coverage.by_level.get(level.id, 0)
            x = name_w + column * cell_w
            cell = (_paint(palette.accent, fill_opacity=_n(round(0.12 + 0.5 * count / highest, 2))) if count
                    else _paint("none", palette.rule, stroke_dasharray="2 3"))
            body.append(f'<g class="pp-cell" data-level="{escape(level.id, quote=True)}">'
                        f'<rect x="{_n(x + 4)}" y="{_n(y + 4)}" width="{cell_w - 8}" height="{row_h - 8}" '
                        f'rx="3" {cell}/>'
                        + _text(x + cell_w / 2, y + row_h / 2 + 5, str(count) if count else "·", palette,
                                text_anchor="middle", font_weight="bold" if level.id == target.id else None)
                        + "</g>")
        body.append("</g>")
    # The target column, framed: marked by its heading and its frame, not by colour alone.
    body.append(f'<rect class="pp-target" x="{_n(name_w + 1)}" y="1" width="{cell_w - 2}" '
                f'height="{_n(height - 2)}" rx="4" {_paint("none", palette.accent, stroke_width=2)}/>')
    title = f"Coverage at {target.title}: entries per dimension and level"
    rows = []
    for coverage in packet.coverage:
        counts = ", ".join(f"{coverage.by_level.get(level.id, 0)} at {level.title}" for level in levels)
        rows.append(f"{coverage.dimension.name}: {coverage.status.value}; {counts}.")
    desc = f"{len(packet.coverage)} dimensions, target {target.title}. " + " ".join(rows)
    return _svg(chart_id, width, height, title, desc, palette, body, "coverage")


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
    return [_fit(line, chars) for line in found] or [""]


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
    highest = max((sum(cell.values()) for row in per_row for cell in row), default=0) or 1
    label_w, legend_h, row_h, bar_h, axis_h = 150, 30, 46, 34, 22
    step = min(24.0, max(4.0, 480 / len(span)))
    plot_w = step * len(span)
    width = label_w + plot_w + 8
    height = legend_h + row_h * len(rows) + axis_h + (18 if quiet else 0)
    styles = {
        Strength.STRONG: _paint(palette.accent),
        Strength.SUPPORTED: _paint(palette.accent, fill_opacity="0.4"),
        Strength.CLAIMED: _paint("none", palette.accent, stroke_dasharray="2 2", stroke_width=1.2),
    }
    body = []
    x = 0.0
    names = strength_names(packet)
    for strength in Strength:
        body.append(f'<rect x="{_n(x)}" y="6" width="14" height="14" {styles[strength]}/>')
        body.append(_text(x + 19, 18, names[strength], palette, font_size=_SMALL))
        x += 19 + 7 * len(names[strength]) + 18
    top = legend_h
    for first, last in quiet:
        x0 = label_w + first * step
        body.append(f'<rect class="pp-silence" x="{_n(x0)}" y="{top}" '
                    f'width="{_n((last - first + 1) * step)}" height="{row_h * len(rows)}" '
                    f'{_paint(palette.rule, fill_opacity="0.18")}/>')
        months = (last - first + 1) * span[first].months
        body.append(_text(x0, top + row_h * len(rows) + axis_h + 14, f"{months} months silent", palette,
                          font_size=_SMALL, class_="pp-silence-label"))
    for r, (c, counts) in enumerate(zip(rows, per_row, strict=True)):
        y = top + r * row_h
        base = y + row_h - 6
        body.append(f'<g class="pp-row" data-dimension="{escape(c.dimension.id, quote=True)}">')
        body.append(_text(0, y + 20, _fit(c.dimension.name, 18), palette))
        body.append(_text(0, y + 36, f"{len(c.entries)} {'entry' if len(c.entries) == 1 else 'entries'}",
                          palette, font_size=_SMALL))
        body.append(f'<line x1="{label_w}" y1="{_n(base)}" x2="{_n(label_w + plot_w)}" y2="{_n(base)}" '
                    f'{_paint("none", palette.rule)}/>')
        stacked = [0.0] * len(span)
        for strength in Strength:
            # One group per strength carries the paint: a bar is only its place and its count.
            bars = []
            for i, cell in enumerate(counts):
                if cell[strength]:
                    h = bar_h * cell[strength] / highest
                    stacked[i] += h
                    bars.append(f'<rect data-count="{cell[strength]}" data-bucket="{escape(span[i].label)}" '
                                f'x="{_n(label_w + i * step + 1)}" y="{_n(base - stacked[i])}" '
                                f'width="{_n(max(step - 2, 1))}" height="{_n(h)}"/>')
            if bars:
                body.append(f'<g class="pp-bars" data-strength="{strength.value}" {styles[strength]}>'
                            + "".join(bars) + "</g>")
        body.append("</g>")
    axis_y = top + row_h * len(rows) + 14
    right = label_w + plot_w
    body.append(_text(label_w, axis_y, span[0].label, palette, font_size=_SMALL))
    if len(span) > 1:
        body.append(_text(right, axis_y, span[-1].label, palette, font_size=_SMALL, text_anchor="end"))
    for i, bucket in enumerate(span):
        x = label_w + i * step
        if i and bucket.start.month == 1:
            body.append(f'<line x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{axis_y - 12}" '
                        f'{_paint("none", palette.rule, stroke_dasharray="1 3")}/>')
            if x - label_w > 70 and right - x > 70:  # clear of the first and last labels
                body.append(_text(x, axis_y, str(bucket.start.year), palette, font_size=_SMALL,
                                  text_anchor="middle"))
    unit = "month" if span[0].months == 1 else "quarter"
    title = f"Evidence over time by {unit}"
    if coverage is not None:
        title += ": " + ", ".join(c.dimension.name for c in rows)
    desc = _time_desc(rows, per_row, span, quiet, unit, strength_names(packet))
    return _svg(chart_id, width, height, title, desc, palette, body, "evidence")


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
