"""The binder's index page and grid, from facts written out here: one golden page for good input.

When a change to the page is meant, rewrite it, then read its diff before committing it::

    PROMO_UPDATE_GOLDEN=1 pytest tests/render/test_binder_index.py
"""

from __future__ import annotations

import os

from bs4 import BeautifulSoup

from conftest import TESTS
from promo_packet.reading.binder import Dimension, Facts
from promo_packet.render.binder import Person, Skipped, index_page, status_grid

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
