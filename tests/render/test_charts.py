"""The SVG charts: valid, labelled, true to the model, escaped, theme-coloured, in every output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from promo_packet.model.audience import Audience
from promo_packet.model.evidence import Evidence, parse_evidence
from promo_packet.model.packet import Packet, PacketSettings, build_packet
from promo_packet.model.rubric import parse_rubric
from promo_packet.render.charts import PRINT, buckets, coverage_heatmap, evidence_over_time
from promo_packet.render.pages import render_pages

SVG = "{http://www.w3.org/2000/svg}"
LADDER = """
name: L
levels: [{id: a, title: Associate}, {id: b, title: Builder}, {id: c, title: Champion}]
dimensions:
  - {id: x, name: "Shipping <script>alert(1)</script> & co", expectations: {b: Ships.}}
  - {id: y, name: Reach}
"""
PROVEN = """metrics:
  - {name: p95, before: 3 s, after: 1 s}
corroboration:
  - {name: Ada Lovelace, quote: It held.}
"""


def entry(slug: str, date: str, dimensions: str, *, level: str = "b", proven: str = "") -> Evidence:
    text = (f"---\ntitle: Entry {slug}\ndate: {date}\ndimensions: [{dimensions}]\nlevel: {level}\n"
            f"{proven}---\nBody.\n")
    found, problems = parse_evidence(text, f"{slug}.md", slug)
    assert found is not None, problems
    return found


def packet_of(entries: list[Evidence]) -> Packet:
    ladder, problems = parse_rubric(LADDER, "ladder.yml")
    assert ladder is not None, problems
    packet, problems = build_packet(ladder, entries, PacketSettings(current_level="a", target_level="b"))
    assert packet is not None, problems
    return packet


@pytest.fixture
def packet() -> Packet:
    return packet_of([
        entry("one", "2025-01-10", "x", proven=PROVEN),
        entry("two", "2025-01-20", "x, y", level="a"),
        entry("three", "2025-02-03", "x", level="c", proven=PROVEN.split("corroboration")[0]),
        # April to August: five months without an entry.
        entry("four", "2025-09-15", "y", proven=PROVEN),
    ])


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox") and root.get("width") == "100%"
    return root


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def test_the_heatmap_counts_what_coverage_counts(packet: Packet) -> None:
    root = parse(coverage_heatmap(packet))
    rows = root.findall(f"{SVG}g[@class='pp-row']")
    assert [row.get("data-dimension") for row in rows] == [c.dimension.id for c in packet.coverage]
    for row, coverage in zip(rows, packet.coverage, strict=True):
        cells = row.findall(f"{SVG}g[@class='pp-cell']")
        # The levels in the ladder's order, the target's cell framed.
        assert [cell.get("data-level") for cell in cells] == ["a", "b", "c"]
        assert [cell.get("data-level") for cell in cells if cell.find(f"{SVG}rect[@class='pp-target']")
                is not None] == ["b"]
        for cell in cells:
            count = coverage.by_level[cell.get("data-level") or ""]
            assert texts(cell) == [str(count) if count else "·"]
        assert coverage.status.value in texts(row)
    assert "(target)" in texts(root) and "(current)" in texts(root)
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Reach: thin; 1 at Associate, 1 at Builder, 0 at Champion." in desc


def test_the_evidence_chart_counts_entries_per_month_and_strength(packet: Packet) -> None:
    root = parse(evidence_over_time(packet))
    span = buckets(packet.entries)
    assert [b.label for b in span][:2] == ["Jan 2025", "Feb 2025"] and len(span) == 9
    drawn: Counter[tuple[str | None, str | None, str | None]] = Counter()
    for row in root.findall(f"{SVG}g[@class='pp-row']"):
        for group in row.findall(f"{SVG}g[@class='pp-bars']"):
            for bar in group.iter(f"{SVG}rect"):
                drawn[row.get("data-dimension"), bar.get("data-bucket"), group.get("data-strength")] += int(
                    bar.get("data-count") or 0)
    expected: Counter[tuple[str | None, str | None, str | None]] = Counter()
    for coverage in packet.coverage:
        for e in coverage.entries:
            expected[coverage.dimension.id, f"{e.date:%b %Y}", packet.strength_of(e).value] += 1
    assert drawn == expected
    assert sum(expected.values()) == 5  # "two" counts under both of its dimensions
    # The silence is drawn, and said.
    assert root.findall(f"{SVG}rect[@class='pp-silence']")
    assert "6 months silent" in texts(root)
    desc = root.findtext(f"{SVG}desc") or ""
    assert "No entries from Mar 2025 to Aug 2025." in desc
    # A sponsor's chart says what the proof is; only the author's names strengths (see packet.Strength).
    assert "Jan 2025 1 figure and corroborator, 1 neither" in desc
    assert {"figure and corroborator", "one of the two", "neither"} <= set(texts(root))
    assert not {"strong", "supported", "claimed"} & set(texts(root))
    own = dataclasses.replace(packet, settings=dataclasses.replace(packet.settings, audience=Audience.SELF))
    mine = parse(evidence_over_time(own))
    assert "Jan 2025 1 strong, 1 claimed" in (mine.findtext(f"{SVG}desc") or "")
    assert {"strong", "supported", "claimed"} <= set(texts(mine))  # the legend, in words


def test_one_dimension_on_the_packets_time_axis(packet: Packet) -> None:
    reach = packet.coverage_of("y")
    root = parse(evidence_over_time(packet, [reach], chart_id="pp-evidence-y"))
    assert [row.get("data-dimension") for row in root.findall(f"{SVG}g[@class='pp-row']")] == ["y"]
    assert root.get("aria-labelledby") == "pp-evidence-y-title pp-evidence-y-desc"
    assert "Sep 2025" in texts(root)


def test_a_long_history_is_drawn_by_quarter() -> None:
    packet = packet_of([entry("old", "2021-02-01", "x"), entry("new", "2025-11-30", "x")])
    span = buckets(packet.entries)
    assert (span[0].label, span[-1].label, len(span)) == ("2021 Q1", "2025 Q4", 20)
    root = parse(evidence_over_time(packet))
    assert "Evidence over time by quarter" in (root.findtext(f"{SVG}title") or "")


def test_no_entries_no_evidence_chart() -> None:
    empty = packet_of([])
    assert evidence_over_time(empty) == ""
    parse(coverage_heatmap(empty))


PAINT = re.compile(r"(?:fill|stroke)\s*[:=]\s*\"?([^;\"]+)")
THEMED = re.compile(r"currentColor|none|var\(--[\w-]+(?:,\s*[^()]+)?\)")


@pytest.mark.parametrize("chart", [coverage_heatmap, evidence_over_time])
def test_site_charts_only_use_the_themes_colours(chart, packet: Packet) -> None:  # type: ignore[no-untyped-def]
    svg = chart(packet)
    root = parse(svg)
    for element in root.iter():
        paints = [element.get(name) for name in ("fill", "stroke", "color") if element.get(name)]
        paints += [value.strip() for value in PAINT.findall(element.get("style") or "")]
        for paint in paints:
            assert THEMED.fullmatch(paint or ""), (element.tag, paint)
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b(?![^(]*\))", svg)  # a hex colour only as a fallback
    assert "<style" not in svg and "<script" not in svg


def test_print_charts_use_the_print_colours(packet: Packet) -> None:
    svg = coverage_heatmap(packet, palette=PRINT)
    assert "var(" not in svg and "#1f2a5c" in svg


def test_user_text_in_a_chart_is_escaped(packet: Packet) -> None:
    for svg in (coverage_heatmap(packet), evidence_over_time(packet, [packet.coverage_of("x")])):
        root = parse(svg)
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "Shipping <script>alert(1)</script> & co" in (root.findtext(f"{SVG}desc") or "")
        assert not [e for e in root.iter() if e.tag.removeprefix(SVG) not in
                    ("svg", "title", "desc", "g", "rect", "line", "text")]


def test_the_pages_hold_the_charts_out_of_the_search(packet: Packet) -> None:
    pages = {page.uri: page.content for page in render_pages(packet)}
    overview, dimension = pages["index.md"], pages["dimensions/x.md"]
    assert overview.count('data-search-exclude>\n<svg ') == 2
    assert dimension.count('data-search-exclude>\n<svg ') == 1
    assert 'aria-labelledby="pp-evidence-x-title pp-evidence-x-desc"' in dimension
    assert "<script>" not in overview + dimension


@pytest.fixture
def built(fixture_site: Callable[..., Path]) -> Path:
    return fixture_site(pdf=True)


def test_a_built_site_shows_the_charts(built: Path) -> None:
    overview = (built / "index.html").read_text(encoding="utf-8")
    assert 'class="pp-chart-svg pp-coverage"' in overview and 'class="pp-chart-svg pp-evidence"' in overview
    chart = overview.split('<div class="pp-chart pp-chart--evidence"', 1)[1].split("</div>", 1)[0]
    assert len(chart) < 20_000
    page = next((built / "dimensions").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'class="pp-chart-svg pp-evidence"' in page
    index = (built / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "pp-chart" not in index and "entries per dimension and level" not in index


def test_the_pdf_holds_the_charts_labels(built: Path) -> None:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(built / "packet.pdf").pages)
    for label in ("(current)", "(target)", "demonstrated", "supported", "claimed", "entries"):
        assert label in text, label
    assert re.search(r"[A-Z][a-z]{2} \d{4}", text)


def test_buckets_cover_the_history_without_holes() -> None:
    packet = packet_of([entry("a", "2024-11-30", "x"), entry("b", "2025-02-01", "x")])
    span = buckets(packet.entries)
    assert [b.start for b in span] == [dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1),
                                      dt.date(2025, 2, 1)]
    assert all(any(b.holds(e.date) for b in span) for e in packet.entries)
