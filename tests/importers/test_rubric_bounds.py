"""`promo rubric import` on sources too large for a ladder, or with numbers in other digits:
a located problem, quickly, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from promo_packet.importers import import_rubric


def test_a_monzo_level_in_other_digits_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "framework.md"
    source.write_text("---\ntopics:\n  - name: craft\n    content:\n      - level: \"\u00b2\"\n"
                      "        criteria: [Ships]\n---\n", "utf-8")
    result = import_rubric(source, format="monzo", shown="framework.md")
    assert [str(problem) for problem in result.problems] == [
        "framework.md:5: topics[0].content[0].level: '\u00b2' is not written in the digits 0-9; "
        "write the level as 1, 2, 3..."]


@pytest.mark.parametrize(("text", "row", "what"), [
    ("Dimension," + ",".join(f"L{n}" for n in range(50_000)) + "\nCraft,Ships\n", 1, "50,001 cells"),
    ("Dimension,Level,Behaviour\n" + "Craft,L1,Ships\n" * 100_000, 10_001, "more than 10,000 rows"),
    ("Dimension,Level,Behaviour\n" + "".join(f"Area {n},L1,Ships\n" for n in range(9_000)), 202,
     "more than 200 dimensions"),
])
def test_a_sheet_too_large_for_a_ladder_stops_at_its_row(tmp_path: Path, text: str, row: int,
                                                         what: str) -> None:
    source = tmp_path / "ladder.csv"
    source.write_text(text, "utf-8")
    started = time.perf_counter()
    result = import_rubric(source, shown="ladder.csv")
    assert time.perf_counter() - started < 10
    assert [str(problem).split(";")[0] for problem in result.problems] == [
        f"ladder.csv:{row}: too large for a ladder: {what}"]
    assert str(result.problems[0]).endswith("is this the right file?")
