"""Behaviour ids in plain sight: `promo rubric show`, `promo gaps`, the hint for a wrong id, and an
imported ladder's ids and examples from the import to `promo gaps`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import TESTS, packet_with, run

LADDERS = TESTS / "fixtures" / "ladders"


def test_rubric_show_lists_each_dimension_level_by_level_with_aligned_ids(packet: Path) -> None:
    code, out, err = run("rubric", "show", cwd=packet)
    assert code == 0, err
    assert out.split("\n\n")[0] == (
        "scope: Scope\n"
        "  senior (Senior Engineer)\n"
        "    scope.senior.1  Owns a service end to end.\n"
        "  staff (Staff Engineer)\n"
        "    scope.staff.1   Owns outcomes across several teams.\n"
        "    scope.staff.2   Finds the problems that cost the most.")
    assert [block.splitlines()[0] for block in out.split("\n\n")] == [
        "scope: Scope", "influence: Influence", "mentorship: Mentorship"]


def test_rubric_show_of_one_dimension_as_json(packet: Path) -> None:
    code, out, err = run("rubric", "show", "mentorship", "--format", "json", cwd=packet)
    assert code == 0, err
    assert json.loads(out) == [{
        "id": "mentorship", "name": "Mentorship", "description": "",
        "levels": [{"id": "staff", "title": "Staff Engineer", "examples": [],
                    "behaviours": [{"id": "mentorship.staff.1", "text": "Grows engineers into senior roles.",
                                    "examples": []}]}]}]


def test_rubric_show_of_an_unknown_dimension_offers_the_near_one(packet: Path) -> None:
    code, out, err = run("rubric", "show", "scop", cwd=packet)
    assert (code, out) == (1, "")
    assert err == ("promo: error: unknown dimension 'scop'\n"
                   "  hint: did you mean 'scope'? the rubric has: scope, influence, mentorship\n")


def test_gaps_prints_each_behaviour_with_its_id(packet: Path) -> None:
    code, out, err = run("gaps", "--audience", "self", cwd=packet)
    assert code == 0, err
    assert "  - not yet: mentorship.staff.1  Grows engineers into senior roles.\n" in out


def many_behaviours() -> str:
    """A ladder of sixty behaviours, as an imported one may be."""
    dimensions = "".join(
        f"  - id: {dimension}\n    name: {dimension.title()}\n    expectations:\n      staff:\n"
        + "".join(f"        - {{id: {dimension}.staff.plans-{n}, text: Plans {n}.}}\n" for n in range(1, 11))
        for dimension in ("scope", "influence", "mentorship", "delivery", "craft", "hiring"))
    return ("name: Big\nlevels:\n  - {id: senior, title: Senior}\n  - {id: staff, title: Staff}\n"
            f"dimensions:\n{dimensions}")


def checked(tmp_path: Path, ladder: str, shows: str) -> tuple[int, str]:
    """``promo check`` of a packet with ``ladder`` and one entry of scope naming ``shows``."""
    entry = ("---\ntitle: Planned the year\ndate: 2026-03-02\ndimensions: [scope]\n"
             f"outcome: Two teams shipped on time.\nshows: [{shows}]\n---\nBody.\n")
    root = packet_with(tmp_path, {"rubric/ladder.yml": ladder, "evidence/2026-03-02-planned.md": entry})
    for path in (root / "evidence").rglob("*.md"):
        if path.name != "2026-03-02-planned.md":
            path.unlink()
    code, _, err = run("check", cwd=root)
    return code, err


def test_a_wrong_behaviour_id_gets_the_three_nearest_not_every_id(tmp_path: Path) -> None:
    code, err = checked(tmp_path, many_behaviours(), "scope.staff.plan-1")
    assert code == 1
    assert ("evidence/2026-03-02-planned.md:6: error: shows[0]: unknown behaviour 'scope.staff.plan-1'\n"
            "  hint: did you mean 'scope.staff.plans-1', 'scope.staff.plans-10' or 'scope.staff.plans-9'? "
            "promo rubric show scope lists them all\n") in err
    assert "influence.staff" not in err


def test_an_imported_ladder_shows_its_ids_and_examples_from_import_to_gaps(tmp_path: Path) -> None:
    code, _, err = run("init", "mine", "--rubric", str(LADDERS / "monzo-framework.md"), "--target", "2",
                       cwd=tmp_path)
    assert code == 0, err
    root = tmp_path / "mine"
    code, out, err = run("rubric", "show", "communication", cwd=root)
    assert code == 0, err
    pad = " " * len("communication.2.explains-limits-result")
    assert out.splitlines() == [
        "communication: Communication",
        "  1 (Level 1)",
        "    communication.1.shares-progress-buddy   Shares progress with their buddy every week",
        "  2 (Level 2)",
        "    communication.2.writes-analysis-notes   Writes analysis notes others can follow without asking",
        "    communication.2.explains-limits-result  Explains the limits of a result",
        f"    {pad}    e.g. Says the sample covers only new customers"]
    # The ids are what `promo new` offers, each with its text.
    code, out, err = run("new", "Wrote up the churn study", "-d", "communication", "--date", "2026-06-01",
                         cwd=root)
    assert code == 0, err
    text = (root / out.strip()).read_text()
    assert ("# shows: [communication.2.writes-analysis-notes, communication.2.explains-limits-result]"
            in text)
    assert "# - communication.2.explains-limits-result: Explains the limits of a result\n" in text
    code, out, err = run("gaps", "--audience", "self", cwd=root)
    assert "  - not yet: communication.2.explains-limits-result  Explains the limits of a result" in out


def test_a_behaviour_id_in_a_rubric_without_behaviours_says_there_are_none(tmp_path: Path) -> None:
    ladder = "name: Bare\nlevels: [{id: staff, title: Staff}]\ndimensions: [{id: scope, name: Scope}]\n"
    code, err = checked(tmp_path, ladder, "scope.staff.1")
    assert code == 1
    assert ("shows[0]: unknown behaviour 'scope.staff.1'\n  hint: the rubric names no behaviour yet: "
            "list them under a dimension's expectations\n") in err
