"""Choosing the dimensions of an imported ladder, in every format: ``--only``, ``--drop`` and
``--one-of``; and a packet from the Monzo data track, whose two "Mastery" specialisms are
alternatives, showing no gap for the one not chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TESTS, build_site, run
from promo_packet.importers import import_rubric
from promo_packet.model.rubric import load_rubric

LADDERS = TESTS / "fixtures" / "ladders"
FOUND = {
    "grid.csv": ("delivery", "collaboration", "operations-on-call"),
    "long.tsv": ("craft", "impact"),
    "ft-family.yml": ("reliability", "teamwork"),
    "monzo-framework.md": ("communication", "technical-depth"),
    "monzo-data.md": ("communication", "impact", "mastery", "mastery-science", "mastery-analytics"),
    "ladders-developer.md": ("technology", "system", "people", "process", "influence"),
}
"""The dimension ids each fixture's import lists."""
SPECIALISM = "Mastery specialism=mastery-science,mastery-analytics"


@pytest.mark.parametrize("name", list(FOUND))
def test_only_and_drop_choose_the_dimensions_of_every_format(name: str) -> None:
    found = FOUND[name]
    assert import_rubric(LADDERS / name).ladder.dimension_ids == found  # type: ignore[union-attr]
    dropped = import_rubric(LADDERS / name, drop=[found[0]])
    assert dropped.problems == [] and dropped.ladder is not None and dropped.text is not None
    assert dropped.ladder.dimension_ids == found[1:]
    assert f"Left out (--drop {found[0]}): {found[0]} (" in dropped.summary()[-1]
    assert f"id: {found[0]}\n" not in dropped.text
    kept = import_rubric(LADDERS / name, only=[found[-1], found[0]])
    assert kept.ladder is not None and kept.ladder.dimension_ids == (found[0], found[-1])  # the file's order


@pytest.mark.parametrize("name", list(FOUND))
def test_one_of_groups_alternatives_in_the_rubric_written(name: str) -> None:
    first, second = FOUND[name][:2]
    result = import_rubric(LADDERS / name, one_of=[("Either", (first, second))])
    assert result.problems == [] and result.ladder is not None and result.text is not None
    assert [(g.name, g.dimensions) for g in result.ladder.one_of] == [("Either", (first, second))]
    assert result.text.endswith(f"one_of:\n- name: Either\n  dimensions:\n  - {first}\n  - {second}\n")
    assert f"Grouped as 'Either' (one_of): one of {first}, {second} is enough." in result.summary()


def test_an_unknown_id_lists_the_ids_found_nearest_first(tmp_path: Path) -> None:
    source = tmp_path / "data.md"
    source.write_text((LADDERS / "monzo-data.md").read_text())
    code, out, err = run("rubric", "import", "data.md", "--drop", "mastery-analytic,communication",
                         "--drop", "impakt", cwd=tmp_path)
    assert code == 1 and out == ""
    assert err == (
        "data.md: error: --drop: no dimension 'impakt' in this ladder\n"
        "  hint: the dimensions found, nearest first: impact, mastery, communication, mastery-science, "
        "mastery-analytics\n"
        "data.md: error: --drop: no dimension 'mastery-analytic' in this ladder\n"
        "  hint: the dimensions found, nearest first: mastery-analytics, mastery-science, mastery, "
        "communication, impact\n"
        "promo: nothing was written\n")
    code, out, err = run("rubric", "import", "data.md", "--only", "impakt", cwd=tmp_path)
    assert code == 1 and err.startswith("data.md: error: --only: no dimension 'impakt' in this ladder\n")
    assert not (tmp_path / "rubric").exists()


@pytest.mark.parametrize("command", [("rubric", "import", "long.tsv"),
                                     ("init", "mine", "--rubric", "long.tsv")])
def test_only_and_drop_together_are_a_usage_error(tmp_path: Path, command: tuple[str, ...]) -> None:
    (tmp_path / "long.tsv").write_text((LADDERS / "long.tsv").read_text())
    code, out, err = run(*command, "--only", "craft", "--drop", "impact", cwd=tmp_path)
    assert code == 2 and out == ""
    assert "--only and --drop: give one or the other" in err
    assert not (tmp_path / "rubric").exists() and not (tmp_path / "mine").exists()


@pytest.mark.parametrize(("options", "message"), [
    (("--drop", "craft", "--drop", "impact"), "--drop: no dimension left to import"),
    (("--only", "craft,impakt"), "--only: no dimension 'impakt' in this ladder"),
    (("--one-of", "Alone=craft"), "--one-of: the group 'Alone' has one dimension"),
    (("--drop", "impact", "--one-of", "Both=craft,impact"),
     "--one-of: dimension 'impact' is left out by --drop\n"
     "  hint: take it out of --drop, or out of the group"),
    (("--only", "craft", "--one-of", "Both=craft,impact"),
     "--one-of: dimension 'impact' is left out by --only\n"
     "  hint: add it to --only, or take it out of the group"),
    (("--drop", "impact", "--one-of", "Both=craft,impakt"), "--one-of: no dimension 'impakt' in this ladder"),
])
def test_a_choice_that_leaves_no_ladder_is_refused(tmp_path: Path, options: tuple[str, ...],
                                                   message: str) -> None:
    (tmp_path / "long.tsv").write_text((LADDERS / "long.tsv").read_text())
    code, _, err = run("rubric", "import", "long.tsv", *options, cwd=tmp_path)
    assert code == 1 and err.startswith(f"long.tsv: error: {message}\n"), err
    assert not (tmp_path / "rubric").exists()


def test_the_import_lists_the_ids_and_says_how_to_choose(tmp_path: Path) -> None:
    code, out, _ = run("rubric", "import", str(LADDERS / "monzo-data.md"), cwd=tmp_path)
    assert code == 0
    assert "  mastery-analytics: Mastery - Data Analytics (2 behaviours, 2 examples)\n" in out
    assert "--drop DIM,... leaves some out, --only DIM,... keeps some, --one-of NAME=DIM,DIM" in out
    code, out, err = run("init", "mine", "--rubric", str(LADDERS / "monzo-data.md"), "--target", "4",
                         cwd=tmp_path)
    assert code == 0, err
    assert out.count("Not judged on all of them? --drop DIM,... leaves some out") == 1
    code, out, err = run("init", "chosen", "--rubric", str(LADDERS / "monzo-data.md"), "--target", "4",
                         "--drop", "mastery-analytics", "--one-of", "Specialism=mastery,mastery-science",
                         cwd=tmp_path)
    assert code == 0, err
    assert "Not judged" not in out and "Left out (--drop mastery-analytics)" in out
    ladder, _ = load_rubric(tmp_path / "chosen" / "rubric" / "ladder.yml")
    assert ladder is not None and "mastery-analytics" not in ladder.dimension_ids
    assert [(g.name, g.dimensions) for g in ladder.one_of] == [("Specialism", ("mastery", "mastery-science"))]
    code, _, err = run("init", "other", "--drop", "scope", cwd=tmp_path)
    assert code == 2 and "choose among the dimensions of --rubric FILE" in err
    code, _, err = run("rubric", "import", str(LADDERS / "monzo-data.md"), "--one-of", "mastery",
                       cwd=tmp_path)
    assert code == 2 and "'mastery': write NAME=DIM,DIM" in err


@pytest.mark.parametrize("choice", [(), ("--drop", "mastery-analytics"), ("--one-of", SPECIALISM)],
                         ids=["all", "drop", "one-of"])
def test_the_specialism_not_chosen_is_no_gap_on_the_front_page(tmp_path: Path,
                                                               choice: tuple[str, ...]) -> None:
    code, _, err = run("init", "mine", "--rubric", str(LADDERS / "monzo-data.md"), "--target", "4",
                       "--current", "3", cwd=tmp_path)
    assert code == 0, err
    root = tmp_path / "mine"
    code, _, err = run("rubric", "import", str(LADDERS / "monzo-data.md"), "--force", *choice, cwd=root)
    assert code == 0, err
    for dimension in ("communication", "impact", "mastery", "mastery-science"):
        (root / "evidence" / f"2026-05-04-{dimension}.md").write_text(
            f"---\ntitle: Work on {dimension}\ndate: 2026-05-04\ndimensions: [{dimension}]\n"
            "outcome: Cut the weekly report from 4 hours to 1.\n---\n\nWhat happened.\n")
    ladder, _ = load_rubric(root / "rubric" / "ladder.yml")
    assert ladder is not None and len(ladder.one_of) == (1 if "--one-of" in choice else 0)
    site = build_site(root, tmp_path / "site")
    front = (site / "index.html").read_text()
    gaps = (site / "gaps" / "index.html").read_text()
    if not choice:  # every dimension required: the specialism not chosen is a gap
        assert "gap on Mastery - Data Analytics." in front
        assert ">Mastery - Data Analytics</h2>" in gaps.replace('<a class="headerlink"', "</h2>")
        return
    assert "gap" not in front[front.index("At Level 4"):front.index("</p>", front.index("At Level 4"))]
    assert "Mastery - Data Analytics</h2>" not in gaps
    if "--one-of" in choice:
        assert "thin on Communication, Impact, Mastery, Mastery specialism." in front
        assert 'pp-status--alternative">alternative</span> of Mastery specialism' in front
        assert 'pp-status--thin">thin</span> carries Mastery specialism' in front
        assert "Mastery specialism (Mastery - Data Science)" in gaps
        assert 'data-dimension="mastery-analytics"' in front  # still on the coverage chart, as alternative
        assert "pp-chart-status-alternative" in front
