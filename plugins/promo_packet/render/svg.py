"""SVG for the packet's charts: colours, escaped text, and words measured and wrapped in advance.

A chart is drawn at build time, with no browser to ask how wide a text is, so
:func:`text_width` estimates it from DejaVu Sans, the widest of the common sans-serif faces
(Debian's default, and the print one): a text laid out by it has room in Helvetica or Arial
too. Names are wrapped to the room they have, never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape


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
    screen: bool = False
    """Drawn for a page that may be a phone's, rather than for paper."""


SITE = Palette(ink="currentColor", accent="var(--md-primary-fg-color, #3f51b5)",
               rule="var(--md-default-fg-color--lighter, currentColor)", screen=True)
"""The site's: the theme's colours, so a dark scheme recolours the charts."""
PRINT = Palette(ink="#1a1a1a", accent="#1f2a5c", rule="#bbbbbb", font="DejaVu Sans, sans-serif")
"""The PDF's: the print CSS colours (WeasyPrint draws the SVG on its own, without the theme)."""

FONT = 14
SMALL = 12
GAP = 8
"""The least room between two labels."""

# Advance widths in em, by kind of character, rounded up from DejaVu Sans Book.
_NARROW, _SEMI, _WIDE = frozenset("iljI.,:;'!|"), frozenset("ftr()[]-/ "), frozenset("mwMW%@…")
_BOLD = 1.12


def text_width(words: str, size: float, *, bold: bool = False) -> float:
    """How wide ``words`` is drawn at ``size``, at most (see the module's docstring)."""
    em = 0.0
    for char in words:
        em += (0.30 if char in _NARROW else 0.42 if char in _SEMI else 1.0 if char in _WIDE
               else 0.72 if char.isupper() else 0.64 if char.isdigit() else 0.62)
    return em * size * (_BOLD if bold else 1.0)


def wrap(words: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``words`` in lines no wider than ``width``; a word wider than a line is broken in it."""
    lines: list[str] = []
    for word in words.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] += f" {word}"
            continue
        while len(word) > 1 and text_width(word, size, bold=bold) > width:
            cut = 1
            while text_width(word[:cut + 1], size, bold=bold) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def place_labels(labels: Sequence[tuple[float, str]], start: float, end: float, *,
                 lines: int) -> list[tuple[float, int, str]]:
    """Labels centred on their x, kept between ``start`` and ``end``, each on the first of ``lines``
    lines where it clears the others by :data:`GAP`; a label that clears none is left out."""
    placed: list[tuple[float, int, str]] = []
    taken: list[list[tuple[float, float]]] = [[] for _ in range(lines)]
    for x, words in labels:
        half = text_width(words, SMALL) / 2
        x = min(max(x, start + half), end - half)
        for line, spans in enumerate(taken):
            if all(x + half + GAP <= left or right + GAP <= x - half for left, right in spans):
                spans.append((x - half, x + half))
                placed.append((x, line, words))
                break
    return placed


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


def svg_chart(chart_id: str, width: float, height: float, title: str, desc: str, palette: Palette,
              body: Iterable[str], kind: str, *, scales: tuple[float, float] | None = None,
              natural: bool = False) -> str:
    """A chart's SVG: ``body`` under an accessible title and description, classed ``pp-{kind}``.

    ``scales`` bounds how far the page may shrink and grow the chart: a phone scrolls it
    rather than shrink its text below what the smallest scale allows. A ``natural`` chart
    says its own size in pixels instead, so its text is drawn at the size it was laid out
    for however many columns it has; the page scrolls it, or the PDF shrinks it to the page.
    """
    sizing = None
    if scales is not None:
        sizing = f"min-width:{coord(width * scales[0])}px;max-width:{coord(width * scales[1])}px"
    size = (coord(width), coord(height)) if natural else ("100%", None)
    head = svg_attributes(
        xmlns="http://www.w3.org/2000/svg", class_=f"pp-chart-svg pp-{kind}", role="img",
        viewBox=f"0 0 {coord(width)} {coord(height)}", width=size[0], height=size[1],
        preserveAspectRatio="xMinYMin meet",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc", font_family=palette.font,
        font_size=FONT, style=sizing)
    # One line: the chart goes into Markdown as an HTML block, which a blank line would end.
    title, desc = " ".join(title.split()), " ".join(desc.split())
    return "".join((
        f"<svg {head}>",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ))
