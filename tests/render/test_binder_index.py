"""The binder's index page and grid, from facts written out here: one golden page for good input.

When a change to the page is meant, rewrite it, then read its diff before committing it::

    PROMO_UPDATE_GOLDEN=1 pytest tests/render/test_binder_index.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CHROMIUM, TESTS, chromium_page, serve
from promo_packet.hosts.binder import index_site
from promo_packet.reading.binder import Binder, Dimension, Facts
from promo_packet.render.binder import Person, Skipped, cover_html, index_page, status_grid

GOLDEN = TESTS / "golden" / "binder" / "index.md"


def facts(person: str, ladder: str, target: str, statuses: dict[str, str], quotes: int | None) -> Facts:
    return Facts(person=person, current_level="P4" if ladder == "Company" else "senior", target_level=target,
                 target_title=f"Grade {target}", ladder=ladder, levels=(), pdf="site/packet.pdf",
                 built="2026-07-01",
                 dimensions=tuple(Dimension(d, d.title(), s, "") for d, s in statuses.items()),
                 verified_quotes=quotes)


PEOPLE = [
    Person("ada", facts("Ada <b>", "Test Ladder", "staff", {"scope": "demonstrated", "impact": "thin"}, 3)),
    Person("pat", facts("Pat", "Company", "P5", {"delivery": "gap"}, None)),
    Person("bo", facts("Bo", "Test Ladder", "staff", {"scope": "gap"}, 0)),
]


def test_the_index_page_is_as_golden() -> None:
    page = index_page("Calibration *2026*", "H2", PEOPLE, [Skipped("BINDER.yml:7 packets[3]", "not found")])
    if os.environ.get("PROMO_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_the_grid_groups_people_by_ladder_and_writes_every_status() -> None:
    grid = BeautifulSoup(status_grid("Test Ladder", [PEOPLE[0], PEOPLE[2]]), "html.parser")
    rows = {row["data-person"]: {cell["data-dimension"]: cell.get_text() for cell in row.select("g.pp-cell")}
            for row in grid.select("g.pp-row")}
    # Bo's ladder has no "impact" as far as his facts say: a dot, never a colour alone.
    assert rows == {"ada": {"scope": "demonstrated", "impact": "thin"}, "bo": {"scope": "gap", "impact": "·"}}
    assert grid.select_one("desc").get_text().startswith("2 people, 2 dimensions. Ada <b> (staff): Scope: "
                                                         "demonstrated; Impact: thin.")


SIX = ["Mastery - Data Science", "Mastery - Data Analytics", "Scope", "Influence", "Delivery", "Craft"]


@pytest.fixture(scope="module")
def two_and_six(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A binder's index with a grid of 2 dimensions and one of 6, built by MkDocs and served."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is required in CI: `make test` installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    site = tmp_path_factory.mktemp("binder-site")
    six = dict.fromkeys(SIX, "thin")
    people = [*PEOPLE[:1], Person("lee", facts("Lee", "Wide Ladder", "staff", six, None))]
    index_site(Binder("Calibration", "H2", (), site / "BINDER.yml"), people, [], site)
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("width", [1280, 390])
def test_every_grid_draws_its_text_at_one_size_whatever_its_columns(two_and_six: str, width: int) -> None:
    with chromium_page(viewport={"width": width, "height": 900}) as page:
        page.goto(two_and_six)
        # The size a reader sees: the font's, times how far the page scaled the drawing.
        sizes = page.evaluate("""[...document.querySelectorAll('svg.pp-binder-grid')].map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('g.pp-cell text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * scale);
        })""")
        assert [len(grid) for grid in sizes] == [2, 6]
        assert {round(size, 1) for grid in sizes for size in grid} == {12.0}
        # A grid wider than the page scrolls in its own region, which the keyboard reaches.
        regions = page.locator("div.pp-chart--binder[role=region][tabindex='0']")
        assert regions.count() == 2
        assert regions.nth(1).get_attribute("aria-label") == "Wide Ladder: each person's status, as a grid"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_pdf_shrinks_only_a_grid_wider_than_its_page() -> None:
    import weasyprint

    six = dict.fromkeys(SIX, "thin")
    people = [*PEOPLE[:1], Person("lee", facts("Lee", "Wide Ladder", "staff", six, None))]
    document = weasyprint.HTML(string=cover_html("Calibration", "H2", "2026-07-01", people)).render()
    boxes = (box for page in document.pages for box in page._page_box.descendants())
    grids = [(box, {key: float(box.element.get(key)) for key in ("width", "height")}) for box in boxes
             if str(getattr(box, "element_tag", "")).endswith("}svg")]
    assert len(grids) == 2
    (narrow, drawn), (wide, wide_drawn) = grids
    # The narrow grid at its own size: its text as large as the packet's print type.
    assert (narrow.width, narrow.height) == (drawn["width"], drawn["height"])
    # The wide one shrunk to the page's width only, in proportion.
    assert wide.width < wide_drawn["width"] and wide.width <= document.pages[0].width
    assert wide.height / wide.width == pytest.approx(wide_drawn["height"] / wide_drawn["width"])


def test_column_and_people_s_names_wrap_rather_than_being_cut() -> None:
    six = dict.fromkeys(SIX, "thin")
    long = "Maximiliana Konstantinopoulou-Fitzgerald"
    people = [Person(slug, facts(name, "Wide", "staff", six, None))
              for slug, name in (("max", long), ("lee", "Lee"))]
    grid = BeautifulSoup(status_grid("Wide", people), "html.parser")
    heads: dict[str, list[str]] = {}
    for text in grid.select("svg > text"):
        heads.setdefault(text["x"], []).append(text.get_text())
    names = [" ".join(lines) for lines in heads.values()]
    assert names == ["Person, target level", *SIX]
    assert max(len(lines) for lines in heads.values()) > 1 and "…" not in "".join(names)
    rows = grid.select("g.pp-row")
    written = [text.get_text() for text in rows[0].find_all("text", recursive=False)]
    assert len(written) > 1 and "".join(written).replace(" ", "") == f"{long},staff".replace(" ", "")
    # The next row starts below the longer name, and each cell is as tall as its row.
    first_cell = float(rows[0].select_one("rect")["height"])
    assert first_cell > float(rows[1].select_one("rect")["height"])
    assert float(rows[1].select_one("rect")["y"]) >= float(rows[0].select_one("rect")["y"]) + first_cell
