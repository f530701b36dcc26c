"""What a sponsor sees, measured in Debian's chromium at a desktop's width and a phone's, light and
dark: no text of a chart overlaps another or a cell, none is cut by its chart's edge, the phone's
chart and table text is 12 px or more, nothing scrolls sideways but a region the keyboard reaches.

Every check reads the boxes the browser laid out (``getBBox``, ``getBoundingClientRect``), not
pixels. Each site is built once per module; each page load checks everything on it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM, build_site, chromium_page, example_packet, packet_with, serve

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required in CI: `make test` installs Debian's chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

WIDTHS = [1280, 390]
SCHEMES = ["light", "dark"]

# Levels whose ids and titles sort otherwise than the ladder runs, the target among them; names
# longer than any line, one a single word.
LADDER = """name: Long names
levels:
  - {id: mid, title: Level 9}
  - {id: senior, title: Level 10}
  - {id: lead, title: Level 11 Lead Engineer}
  - {id: staff, title: Level 12}
  - {id: distinguished, title: Level 13 Distinguished Engineer}
dimensions:
  - id: scope
    name: Mastery - Data Science
    expectations: {staff: Owns the models a whole domain relies on.}
  - id: influence
    name: Observability, reliability and incident leadership across the whole organisation
    expectations: {staff: Leads incidents across teams.}
  - id: mentorship
    name: Internationalisation-and-localisation-readiness-for-every-product
    expectations: {staff: Grows engineers into senior roles.}
"""


def entry(day: str, dimension: str) -> str:
    return f"---\ntitle: Entry of {day}\ndate: {day}\ndimensions: [{dimension}]\nlevel: staff\n---\nBody.\n"


# Three silences of three months a month apart: their names cannot share a line.
CROWDED = {"rubric/ladder.yml": LADDER,
           **{f"evidence/{day}.md": entry(day, "scope")
              for day in ("2024-12-02", "2025-04-02", "2025-08-04", "2025-12-01")}}
# Five years: drawn by quarter.
LONG = {"evidence/2021-03-15.md": entry("2021-03-15", "influence")}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    base = tmp_path_factory.mktemp("layout")
    roots = {"example": example_packet(base / "example"),
             "crowded": packet_with(base / "crowded", CROWDED),
             "long": packet_with(base / "long", LONG)}
    with serve(base) as url:
        for name, root in roots.items():
            build_site(root, base / name / "site")
        yield {name: f"{url}{name}/site/" for name in roots}


PAGES = [("example", ""), ("example", "dimensions/scope/"), ("example", "plan/"),
         ("crowded", ""), ("crowded", "dimensions/scope/"), ("crowded", "dimensions/mentorship/"),
         ("long", "")]

# Everything is measured in the page; the test only reads the problems found.
MEASURE = """(phone) => {
  const problems = [];
  const say = (what) => problems.push(what);
  const name = (el) =>
    `${el.closest('svg')?.classList[1] ?? el.tagName}: "${el.textContent.trim().slice(0, 40)}"`;
  const overlap = (a, b, slack) => a.x + slack < b.x + b.width && b.x + slack < a.x + a.width &&
                                   a.y + slack < b.y + b.height && b.y + slack < a.y + a.height;
  const inside = (a, b, slack) => a.x >= b.x - slack && a.y >= b.y - slack &&
                                  a.x + a.width <= b.x + b.width + slack &&
                                  a.y + a.height <= b.y + b.height + slack;
  const reachable = (el) => el.tabIndex >= 0 && el.getAttribute('aria-label');
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  for (const svg of document.querySelectorAll('svg.pp-chart-svg')) {
    const view = svg.viewBox.baseVal;
    const texts = [...svg.querySelectorAll('text')].map((t) => ({ t, box: t.getBBox() }));
    if (!texts.length) say(`${svg.classList[1]}: no text`);
    const shapes = [...svg.querySelectorAll('.pp-cell rect, .pp-bars rect')]
      .map((r) => ({ r, box: r.getBBox() }));
    texts.forEach(({ t, box }, i) => {
      if (!inside(box, view, 1.5)) say(`cut by the chart's edge: ${name(t)}`);  // a glyph's side bearing
      texts.slice(i + 1).forEach(({ t: u, box: other }) => {
        if (overlap(box, other, 0.5)) say(`overlap: ${name(t)} and ${name(u)}`);
      });
      for (const { r, box: shape } of shapes) {
        if (!r.closest('.pp-cell')?.contains(t) && overlap(box, shape, 0.5)) {
          say(`over a cell or bar: ${name(t)}`);
        }
      }
      const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      if (phone && size < 11.95) say(`${size.toFixed(1)} px: ${name(t)}`);
    });
    const holder = svg.parentElement;
    if (holder.scrollWidth > holder.clientWidth + 1 && !reachable(holder)) {
      say(`${svg.classList[1]} scrolls out of the keyboard's reach`);
    }
  }
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) say(`the page scrolls sideways: ${root.scrollWidth}`);
  for (const el of document.querySelectorAll('.md-content *')) {
    const style = getComputedStyle(el);
    if (el.scrollWidth <= el.clientWidth + 1 || el.tagName === 'svg' || el.closest('svg')) continue;
    if (/auto|scroll/.test(style.overflowX)) {
      if (!reachable(el) && !el.querySelector('a, button, [tabindex]')) say(`not reachable: ${el.className}`);
    } else if (/hidden|clip/.test(style.overflowX) && el.clientWidth > 0) {
      say(`cut: ${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 40)}"`);
    }
  }
  if (phone) {
    for (const cell of document.querySelectorAll('.pp-counts th, .pp-counts td')) {
      const size = parseFloat(getComputedStyle(cell).fontSize);
      if (size < 11.95) say(`${size} px in the coverage table: "${cell.textContent.trim()}"`);
    }
  }
  const table = document.querySelector('.pp-counts table');
  if (table) {
    const target = table.querySelectorAll('th')[1];
    const frame = table.closest('.pp-scroll').getBoundingClientRect();
    if (!/\\(target\\)/.test(target.textContent)) say(`the table's second column: ${target.textContent}`);
    if (!inside(target.getBoundingClientRect(), frame, 0.5)) say('the target column is off-screen');
  }
  return problems;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overlaps_or_is_cut(sites: dict[str, str], width: int, scheme: str) -> None:
    found = []
    with chromium_page(viewport={"width": width, "height": 900}, color_scheme=scheme) as page:
        for site, path in PAGES:
            page.goto(sites[site] + path)
            assert page.locator("svg.pp-chart-svg").count() or path == "plan/", (site, path)
            found += [f"{site}/{path}: {problem}" for problem in page.evaluate(MEASURE, width < 600)]
    assert not found, "\n".join(found)


def test_the_heatmap_runs_in_the_ladders_order_and_frames_current_and_target(sites: dict[str, str]) -> None:
    with chromium_page(viewport={"width": 390, "height": 900}) as page:
        page.goto(sites["crowded"])
        chart = page.locator("svg.pp-coverage")
        levels = chart.locator(".pp-row").first.locator(".pp-cell").evaluate_all(
            "cells => cells.map(c => c.dataset.level)")
        assert levels == ["mid", "senior", "lead", "staff", "distinguished"]
        assert chart.locator(".pp-row").first.locator(".pp-target").count() == 1
        assert chart.locator(".pp-row").first.locator(".pp-current").count() == 1
        words = chart.locator("text").all_text_contents()
        assert "(target)" in words and "(current)" in words
        # Wrapped, not cut: every word of every name is drawn whole.
        names = " ".join(chart.locator(".pp-chart-name").all_text_contents())
        assert "Mastery - Data Science" in names and "…" not in names
        assert "Internationalisation-" in "".join(names.split())
        silent = page.locator("svg.pp-evidence .pp-silence-label").all_text_contents()
        assert silent == ["3 months silent"] * 3
        page.goto(sites["example"])
        card = page.locator(".grid.cards li", has_text="Timeline").inner_text()
        assert re.search(r"\bAll \d+ entries, newest first", card), card
