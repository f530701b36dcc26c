"""The printed page numbers of a bound PDF: each page's own taken off, the binder's stamped on.

A packet's PDF prints ``Page N of M`` in its footer (print/packet.css.j2), counted within the
packet, and its table of contents gives each section's page the same way. Bound into a binder,
page N of the binder must print N: the packet's own footer is taken off each page and the
binder's stamped in its place, in the same font, size, colour and spot; the contents' numbers
are moved on by the pages before the packet, still flush right, the leader's dots they now
cover taken away.

What the footer and the contents look like is learnt, not restated: a few pages are rendered
with the packet's own print CSS, and they give the glyphs of ``Page``, ``of``, every digit and
the leader's dot, the font that draws them (embedded, with the text it stands for, so the stamp
reads as text), the colour, the size, and where the footer ends and sits above the page's
bottom edge. Reading a page is WeasyPrint's way of writing one (a text object per leader dot and
per contents number, each placed by ``Tm``): the binder's tests hold it to that.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

from ..errors import RenderError
from .pages import environment
from .pdf import render_html

SAMPLE_PAGES = 10
"""Pages 2 to 10 print every digit in their footers (the first page has none, but a contents line)."""
FOOTER = "Page {page} of {pages}"
"""As print/packet.css.j2 words the footer."""
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
"""A page number is pagination, not content: tagged so, a reader of the page skips it."""


@dataclass(frozen=True)
class Folio:
    """The packet's footer and contents, learnt from a render: glyphs by character, their widths,
    the font, the footer's place, and how a page's content stream draws each."""

    glyphs: dict[str, int]
    widths: dict[int, float]
    """Each glyph's advance, in thousandths of the font size."""
    size: float
    colour: tuple[float, ...]
    right: float
    """From the footer's right end to the page's right edge, in points."""
    baseline: float
    """From the page's bottom edge to the footer's baseline, in points."""
    font: Any
    """A reference to the font in the sample's reader: copied into each PDF that is stamped."""
    dot: int
    """The glyph of the contents' leader."""
    footer: re.Pattern[bytes]
    contents: re.Pattern[bytes]
    """A contents number: a text object of digits only, right after a leader's dot."""
    leader: re.Pattern[bytes]

    def renumber(self, content: bytes, offset: int, font: str) -> bytes:
        """A page's content stream without the page number it prints itself, its contents'
        numbers moved on by ``offset`` and drawn in the resource named ``font`` (the learnt font:
        the packet's own holds only the digits the packet prints)."""
        edits: list[tuple[int, int, bytes]] = []
        found = list(self.footer.finditer(content))
        if found:  # the footer is drawn last: text of the same words in the page's body stays
            edits.append((found[-1].start(), found[-1].end(), b"[] TJ"))
        digits = {g: c for c, g in self.glyphs.items() if c.isdigit()}
        lefts: dict[bytes, float] = {}
        for number in self.contents.finditer(content) if offset else ():
            old = "".join(digits[int(g, 16)] for g in re.findall(rb"<([0-9a-fA-F]+)>", number["tj"]))
            new = str(int(old) + offset)
            extra = self._advance(new) - self._advance(old)
            # Flush right as before: the wider number starts further left, by a leading adjustment.
            lefts[number["y"]] = float(number["x"]) - extra * float(number["size"]) / 1000
            shown = "".join(f"<{self.glyphs[c]:04x}>" for c in new)
            edits.append((number.start("tj"), number.end("tj"), f"[{_number(extra)} {shown}] TJ".encode()))
            edits.append((number.start("font"), number.end("font"), font.encode()))
        for dot in self.leader.finditer(content) if lefts else ():
            left = lefts.get(dot["y"])
            right = float(dot["x"]) + self.widths.get(self.dot, 0) * float(dot["size"]) / 1000
            if left is not None and right > left:
                edits.append((dot.start("tj"), dot.end("tj"), b"[] TJ"))
        for start, end, text in sorted(edits, reverse=True):
            content = content[:start] + text + content[end:]
        return content

    def _advance(self, text: str) -> float:
        return sum(self.widths.get(self.glyphs[c], 1000.0) for c in text)

    def stamp(self, page: int, pages: int, width: float, font: str) -> bytes:
        """Content that prints ``Page page of pages`` at the footer's place on a page ``width``
        points wide, in the resource named ``font``."""
        text = FOOTER.format(page=page, pages=pages)
        advance = self._advance(text) * self.size / 1000
        shown = "".join(f"<{self.glyphs[c]:04x}>" for c in text)
        colour = " ".join(_number(c) for c in self.colour)
        return b"\n".join((
            b"q", ARTIFACT, f"{colour} rg".encode(), b"BT",
            f"/{font} {_number(self.size)} Tf".encode(),
            f"{_number(width - self.right - advance)} {_number(self.baseline)} Td".encode(),
            f"[{shown}] TJ".encode(), b"ET", b"EMC", b"Q", b""))


def learn_folio() -> Folio:
    """The packet's footer and contents, from a render of a contents line and a few blank pages
    under its print CSS."""
    from pypdf import PdfReader

    css = environment("print").get_template("print/packet.css.j2").render(paper="a4")
    contents = '<nav class="toc"><ol><li><a href="#last">Last</a></li></ol></nav>'
    pages = '<section style="break-after: page">&#160;</section>' * (SAMPLE_PAGES - 1)
    html = (f'<!DOCTYPE html><html lang="en"><head><style>{css}</style></head><body>{contents}{pages}'
            '<section id="last">&#160;</section></body></html>')
    data, _ = render_html(html, hashlib.sha256(html.encode()).hexdigest())
    reader = PdfReader(io.BytesIO(data))
    glyphs: dict[str, int] = {}
    seen: dict[str, Any] = {}
    for number in range(2, SAMPLE_PAGES + 1):
        page = reader.pages[number - 1]
        shown = _footer(page, seen)
        text = FOOTER.format(page=number, pages=SAMPLE_PAGES)
        if len(shown) != len(text):
            raise RenderError(f"the sample footer {text!r} is drawn in {len(shown)} glyphs: "
                              "cannot number the pages")
        glyphs.update(zip(text, shown, strict=True))
    font = seen["font"]
    size, x, y = seen["size"], seen["x"], seen["y"]
    width = float(reader.pages[1].mediabox.width)
    widths = _widths(font.get_object())
    # The place noted is the last sample's footer.
    last = FOOTER.format(page=SAMPLE_PAGES, pages=SAMPLE_PAGES)
    advance = sum(widths.get(glyphs[c], 1000.0) for c in last) * size / 1000
    dot = _leader_dot(reader.pages[0])
    return Folio(glyphs=glyphs, widths=widths, size=size, colour=seen["colour"], right=width - x - advance,
                 baseline=y, font=font, dot=dot, **_patterns(glyphs, dot))


def _footer(page: Any, seen: dict[str, Any]) -> list[int]:
    """The glyphs of the footer's text on a sample page, noting its font, size, colour and place."""
    from pypdf.generic import ContentStream

    operations = ContentStream(page["/Contents"].get_object(), page.pdf).operations
    fonts = page["/Resources"]["/Font"]
    identity: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    colour: tuple[float, ...] = (0.0,)
    font, size, matrix, ctm = None, 0.0, identity, identity
    stack: list[tuple[float, ...]] = []
    last: list[int] = []
    for operands, operator in operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)
        elif operator == b"rg":
            colour = tuple(float(v) for v in operands)
        elif operator == b"Tf":
            font, size = fonts.raw_get(operands[0]), float(operands[1])
        elif operator == b"Tm":
            matrix = _times(tuple(float(v) for v in operands), ctm)
        elif operator == b"TJ":
            codes = [_bytes(part) for part in operands[0] if not isinstance(part, (int, float))]
            glyphs = [int.from_bytes(code[i:i + 2], "big") for code in codes for i in range(0, len(code), 2)]
            if glyphs:
                last = glyphs
                seen.update(font=font, size=size * matrix[0], colour=colour, x=matrix[4], y=matrix[5])
    return last


def _bytes(part: Any) -> bytes:
    # A hex string that happens to decode as text is read as text: its bytes are the glyphs.
    return bytes(part.original_bytes if hasattr(part, "original_bytes") else part)


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix product ``m`` times ``n``, in PDF's six-number form."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def _widths(font: Any) -> dict[int, float]:
    """Each glyph's width of a composite font, from its descendant's ``/W`` array."""
    descendant = font["/DescendantFonts"][0].get_object()
    values = list(descendant.get("/W", []))
    widths: dict[int, float] = {}
    index = 0
    while index < len(values):
        first, then = int(values[index]), values[index + 1]
        if isinstance(then, list):
            widths.update({first + i: float(w) for i, w in enumerate(then)})
            index += 2
        else:
            widths.update({g: float(values[index + 2]) for g in range(first, int(then) + 1)})
            index += 3
    return widths


def _leader_dot(page: Any) -> int:
    """The glyph the sample's contents line draws its leader with: one text object per dot."""
    from pypdf.generic import ContentStream

    shown = [operands[0] for operands, operator in ContentStream(page["/Contents"].get_object(), page.pdf)
             .operations if operator == b"TJ"]
    single = [_bytes(parts[0]) for parts in shown if len(parts) <= 2 and len(_bytes(parts[0])) == 2]
    if len(single) < 3:
        raise RenderError("the sample contents line draws no leader: cannot number the pages")
    return int.from_bytes(max(set(single), key=single.count), "big")


def _patterns(glyphs: dict[str, int], dot: int) -> dict[str, re.Pattern[bytes]]:
    """The footer's ``TJ``, a contents number's text object and a leader dot's, as WeasyPrint writes
    them into a page's content stream."""
    kerning = rb"-?[0-9.]*\s*"

    def shown(text: str) -> bytes:
        return b"".join(b"<%04x>" % glyphs[c] + kerning for c in text)

    digit = b"(?:" + b"|".join(b"<%04x>" % glyphs[str(d)] for d in range(10)) + b")" + kerning
    numbers = b"(?:" + digit + b")+"
    footer = rb"\[\s*" + shown("Page ") + numbers + shown(" of ") + numbers + rb"\]\s*TJ"
    placed = rb"\bBT\s+1 0 0 -1 (?P<x>-?[0-9.]+) (?P<y>-?[0-9.]+) Tm\s+/(?P<font>\S+) (?P<size>[0-9.]+) Tf\s+"
    dot_tj = rb"\[\s*<%04x>" % dot + kerning + rb"\]\s*TJ"
    return {
        "footer": re.compile(footer, re.IGNORECASE),
        "contents": re.compile(dot_tj + rb"\s+ET\b(?:(?!\bBT\b).){0,80}?" + placed
                               + rb"(?P<tj>\[\s*" + numbers + rb"\]\s*TJ)", re.IGNORECASE | re.DOTALL),
        "leader": re.compile(placed + b"(?P<tj>" + dot_tj + b")", re.IGNORECASE),
    }


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
