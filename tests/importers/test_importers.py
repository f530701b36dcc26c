"""`promo rubric import`: each source format -> our rubric, problems at file:row, and packets built
from an imported ladder. The sources in fixtures/ladders/ are small files written in the shapes
of the public formats."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, build_site, run
from promo_packet.importers import detect, dump_rubric, import_rubric, read_draft
from promo_packet.importers.draft import split_behaviours
from promo_packet.importers.ladders import read as read_ladders
from promo_packet.importers.writer import behaviour_id
from promo_packet.model.rubric import Dimension, load_rubric, parse_rubric
from promo_packet.reading.ids import MAX_ID_LENGTH, id_problem, slug_of

LADDERS = TESTS / "fixtures" / "ladders"


def free_ids() -> bool:
    """Whether rubric level ids may be written as companies write them (``P4``)."""
    rubric = "name: x\nlevels: [{id: P4, title: P4}]\ndimensions: [{id: d, name: D}]\n"
    return parse_rubric(rubric, "x.yml")[0] is not None


needs_free_ids = pytest.mark.skipif(not free_ids(), reason="level ids like 'P4' are not legal yet")


def texts(dimension: Dimension, level_id: str) -> tuple[str, ...]:
    return tuple(behaviour.text for behaviour in dimension.expectation(level_id))


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "expected"), [
    ("grid.csv", "csv"), ("long.tsv", "tsv"), ("ft-family.yml", "ft"),
    ("monzo-framework.md", "monzo"), ("ladders-developer.md", "ladders"),
])
def test_the_format_is_detected_from_the_content(name: str, expected: str) -> None:
    assert detect((LADDERS / name).read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("name", ["grid.csv", "long.tsv", "ft-family.yml", "monzo-framework.md",
                                  "ladders-developer.md"])
def test_each_source_writes_its_golden_rubric(name: str) -> None:
    text = (LADDERS / name).read_text(encoding="utf-8")
    format = detect(text)
    assert format is not None
    draft = read_draft(text, name, format=format)
    assert draft.problems == []
    expected = LADDERS / f"{name.rsplit('.', 1)[0]}.expected.yml"
    assert dump_rubric(draft) == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["grid.csv", "long.tsv", "ft-family.yml", "monzo-framework.md",
                                  "ladders-developer.md"])
def test_every_imported_behaviour_is_written_with_a_readable_id_of_its_own(name: str) -> None:
    result = import_rubric(LADDERS / name, shown=name)
    assert result.ladder is not None and result.text is not None
    written = yaml.safe_load(result.text)
    for dimension in written["dimensions"]:
        for level_id, behaviours in dimension["expectations"].items():
            assert all(set(b) <= {"id", "text", "examples"} for b in behaviours), behaviours
            # <dimension>.<level>.<first words of the text>, all of it short enough to type
            for b in behaviours:
                assert b["id"].startswith(f"{dimension['id']}.{slug_of(level_id)}."), b
                assert len(b["id"]) <= MAX_ID_LENGTH
                words = slug_of(b["text"].replace("'", "").replace("\u2019", "")).split("-")
                assert set(b["id"].rsplit(".", 1)[1].split("-")) <= set(words), b
    assert result.ladder.behaviour_ids == tuple(b["id"] for d in written["dimensions"]
                                                for level in d["expectations"].values() for b in level)
    # The same file imported again writes the same bytes, so the ids evidence names stay put.
    assert import_rubric(LADDERS / name, shown=name).text == result.text


def test_behaviour_ids_keep_the_telling_words_and_number_a_clash() -> None:
    taken: set[str] = set()
    ids = [behaviour_id("scope", "P4", text, number, taken) for number, text in enumerate(
        ["Owns the outcome of a project", "Owns the outcome, of a project!", "Owns outcome project"], 1)]
    assert ids == ["scope.p4.owns-outcome-project", "scope.p4.owns-outcome-project-2",
                   "scope.p4.owns-outcome-project-3"]
    # Nothing a-z or 0-9 in the text: its place names it.
    assert behaviour_id("scope", "P4", "晋升", 4, taken) == "scope.p4.4"
    # A long dimension id is cut between words to leave the text some room; 40 characters in all.
    long = behaviour_id("delivery-and-execution-of-technical-work", "SDE II", "Ships projects end to end",
                        1, taken)
    assert long == "delivery-and-execution.sde-ii.ships" and len(long) <= MAX_ID_LENGTH
    for number in range(2, 120):
        ident = behaviour_id("delivery-and-execution-of-technical-work", "SDE II", "Ships projects", number,
                             taken)
        assert len(ident) <= MAX_ID_LENGTH and id_problem(ident) is None
    assert len(taken) == 4 + 119


def test_an_imported_ladder_with_a_repeated_text_reads_back_with_every_id_unique(tmp_path: Path) -> None:
    source = write(tmp_path, "ladder.csv", "dimension,junior,senior\n"
                   "Scope,\"Owns tasks\nOwns tasks\nOwns  tasks!\",Owns tasks\n")
    result = import_rubric(source)
    assert result.problems == [] and result.ladder is not None
    assert result.ladder.behaviour_ids == ("scope.junior.owns-tasks", "scope.junior.owns-tasks-2",
                                           "scope.junior.owns-tasks-3", "scope.senior.owns-tasks")


def test_a_ladder_without_behaviour_ids_keeps_its_derived_ids_beside_written_ones() -> None:
    # A packet repository lives for years: a rubric written before imports wrote ids still reads.
    ladder, problems = parse_rubric(
        "name: x\nlevels: [{id: senior, title: Senior}]\ndimensions:\n"
        "  - {id: scope, name: Scope, expectations: {senior: [Owns a service., "
        "{id: scope.senior.leads, text: Leads., examples: [Led the move.]}]}}\n", "ladder.yml")
    assert problems == [] and ladder is not None
    assert ladder.behaviour_ids == ("scope.senior.1", "scope.senior.leads")
    behaviour = ladder.behaviour("scope.senior.leads")
    assert behaviour is not None and behaviour.examples == ("Led the move.",)


def test_a_grid_export_with_bom_crlf_title_row_and_merged_cells() -> None:
    result = import_rubric(LADDERS / "grid.csv", shown="grid.csv")
    assert result.problems == [] and result.format == "csv"
    assert result.text == (LADDERS / "grid.expected.yml").read_text(encoding="utf-8")
    ladder = result.ladder
    assert ladder is not None and ladder.name == "Platform engineering ladder (2026)"
    assert ladder.level_ids == ("engineer", "senior", "staff")
    delivery, collaboration, operations = ladder.dimensions
    # A bulleted cell, then the row below whose empty cells the sheet had merged.
    assert texts(delivery, "senior") == ("Plans a quarter of work", "Cuts scope to keep a date",
                                              "Keeps a risk log, weekly")
    assert delivery.description == "Getting work into production, safely"
    assert texts(collaboration, "senior") == ("Reviews others\u2019 designs", "Pairs with new joiners")
    assert (operations.id, operations.name) == ("operations-on-call", "Operations, on call")
    assert texts(operations, "staff") == ("Sets paging policy", "Retires noisy alerts")
    assert "Behaviours: 11" in result.summary()


def test_a_long_tsv_carries_merged_cells_down_and_keeps_level_titles_and_examples() -> None:
    result = import_rubric(LADDERS / "long.tsv")
    assert result.problems == [] and result.format == "tsv"
    ladder = result.ladder
    assert ladder is not None
    assert [(level.id, level.title) for level in ladder.levels] == [("junior", "Junior Analyst"),
                                                                    ("mid", "Analyst")]
    craft, impact = ladder.dimensions
    assert texts(craft, "junior") == ("Cleans data with a documented method",
                                           "Explains a chart to the team")
    # The example stays with the behaviour on its row.
    assert [b.examples for b in craft.expectation("junior")] == [
        (), ("A five-minute walkthrough in the weekly sync",)]
    assert craft.examples == {}
    assert texts(impact, "mid") == (
        "Frames the question before answering it; says what would change their mind",)


def test_an_ft_job_family_keeps_both_tracks_in_rank_order_and_says_so() -> None:
    result = import_rubric(LADDERS / "ft-family.yml")
    assert result.problems == [] and result.format == "ft"
    ladder = result.ladder
    assert ladder is not None and ladder.name == "Site Reliability"
    assert ladder.level_ids == ("associate", "engineer", "lead-ic", "lead-pm")
    reliability, teamwork = ladder.dimensions
    assert reliability.name == "Reliability & Recovery"
    assert reliability.description == "Keeps services up, and brings them back quickly when they go down."
    # A numbered summary is several behaviours; a wrapped line is one.
    assert texts(reliability, "engineer") == ("Writes runbooks for the services they change.",
                                                   "Adds alerts that point at a cause, not only a symptom.")
    # A summary of two behaviours does not say which one its example illustrates: the level's.
    assert reliability.examples == {"engineer": ("Replaced a CPU alert with one on queue age",)}
    assert all(not b.examples for b in reliability.expectation("engineer"))
    assert texts(teamwork, "lead-pm") == ("Grows the people in their team through regular feedback.",)
    assert any("both tracks" in line and "lead-ic, lead-pm" in line for line in result.summary())


@pytest.mark.parametrize(("track", "kept", "left_out"), [("ic", "lead-ic", "lead-pm"),
                                                          ("pm", "lead-pm", "lead-ic")])
def test_an_ft_track_keeps_one_of_the_parallel_levels(track: str, kept: str, left_out: str) -> None:
    result = import_rubric(LADDERS / "ft-family.yml", track=track)
    assert result.ladder is not None and result.problems == []
    assert result.ladder.level_ids == ("associate", "engineer", kept)
    assert all(left_out not in d.expectations for d in result.ladder.dimensions)
    assert any(f"--track {track}" in line and left_out in line for line in result.summary())


def test_a_dimension_with_no_behaviours_is_left_out_and_said_so(tmp_path: Path) -> None:
    source = write(tmp_path, "ladder.csv", "dimension,junior,senior\nScope,Owns tasks,\nCraft,,\n")
    result = import_rubric(source)
    assert result.ladder is not None and result.ladder.dimension_ids == ("scope",)
    assert result.summary()[-1] == "Left out, as no level lists a behaviour for them: Craft."


def test_a_source_that_is_not_a_regular_file_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ladder.csv")
    result = import_rubric(tmp_path / "ladder.csv", shown="ladder.csv")
    assert [str(p) for p in result.problems] == ["ladder.csv: is not a regular file"]


def test_a_track_for_a_format_without_tracks_is_said_to_be_ignored() -> None:
    result = import_rubric(LADDERS / "grid.csv", track="ic")
    assert result.summary()[-1] == "--track ic: only FT job families have parallel tracks; ignored"


def test_an_ft_competency_at_an_unknown_level_names_its_line(tmp_path: Path) -> None:
    text = (LADDERS / "ft-family.yml").read_text().replace("level: lead-pm\n    theme: teamwork",
                                                           "level: lead\n    theme: teamwork")
    result = import_rubric(write(tmp_path, "family.yml", text), shown="family.yml")
    assert result.text is None
    assert [str(p) for p in result.problems] == [
        "family.yml:73: competencies[5].level: unknown level 'lead'; "
        "the levels are: associate, engineer, lead-ic, lead-pm"]


def test_a_monzo_framework_keeps_criteria_examples_and_declared_levels() -> None:
    result = import_rubric(LADDERS / "monzo-framework.md")
    assert result.problems == [] and result.format == "monzo"
    ladder = result.ladder
    assert ladder is not None and ladder.name == "Data Framework"
    assert [(level.id, level.title) for level in ladder.levels] == [
        ("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3"), ("4", "Level 4")]
    communication, depth = ladder.dimensions
    assert texts(communication, "2") == ("Writes analysis notes others can follow without asking",
                                              "Explains the limits of a result")
    limits = communication.expectation("2")[1]
    assert (limits.id, limits.examples) == ("communication.2.explains-limits-result",
                                            ("Says the sample covers only new customers",))
    assert communication.examples == {}
    assert "  communication: Communication (3 behaviours, 1 example)" in result.summary()
    assert (depth.id, depth.name) == ("technical-depth", "Technical depth")


def test_engineeringladders_sections_map_bullets_to_the_five_axes_by_position() -> None:
    draft = read_ladders((LADDERS / "ladders-developer.md").read_text(), "analyst.md")
    assert draft.problems == [] and draft.name == "Analyst"
    assert draft.levels == [("A1", "Analyst 1"), ("A2", "Analyst 2")]
    assert [d.name for d in draft.dimensions] == ["Technology", "System", "People", "Process", "Influence"]
    technology = draft.dimensions[0]
    uses = ["Uses: uses the tools the team has chosen"]
    assert {level: [b.text for b in behaviours] for level, behaviours in technology.expectations.items()} == {
        "A1": uses, "A2": uses}
    assert [b.text for b in draft.dimensions[1].expectations["A2"]] == [
        "Designs: designs the data model for a product area"]


def test_an_engineeringladders_level_missing_an_axis_names_its_heading_line() -> None:
    text = (LADDERS / "ladders-developer.md").read_text()
    text = text.replace("* **Supports**: helps other analysts succeed\n", "")
    draft = read_ladders(text, "analyst.md")
    assert [str(p) for p in draft.problems] == [
        "analyst.md:20: the level 'A2' has 4 '**Keyword**: behaviour' bullets; expected one per axis "
        "(Technology, System, People, Process, Influence); add or remove bullets so that the axes line up"]


@pytest.mark.parametrize(("text", "row", "message"), [
    # Row 3 has a comma that should have been quoted: one cell too many.
    ("dimension,junior,senior\r\nScope,Owns tasks,Owns systems\r\nImpact,Ships, on time,Ships projects\r\n",
     3, "has 4 cells but the header has 3"),
    # The quoted line break in row 2 spans two lines: row 4 is the fifth line.
    ("dimension,level,behaviour\nScope,junior,\"Owns tasks\nand their tests\"\n\n"
     "Impact,senior,Ships projects,extra\n", 4, "has 4 cells but the header has 3"),
    ("dimension,level,behaviour\nScope,junior,Owns tasks\nImpact,senior,\"Ships projects\n", 3,
     "a quoted cell is never closed"),
    ("area,level,behaviour\n,junior,Owns tasks\n", 2, "area: is empty and no row above fills it"),
    ("dimension,junior,\nScope,Owns tasks,Owns systems\n", 2, "column 3 holds behaviours but its header"),
    ("Title\nArea,Level,What good looks like\nScope,junior,Owns tasks\n", 2,
     "the header has a 'Level' column but no behaviour column"),
])
def test_a_malformed_row_names_its_row_number(tmp_path: Path, text: str, row: int, message: str) -> None:
    result = import_rubric(write(tmp_path, "ladder.csv", text), shown="ladder.csv")
    assert result.text is None
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith(f"ladder.csv:{row}: {message}")


def test_behaviours_split_on_line_breaks_bullets_and_numbers_but_prose_stays_whole() -> None:
    assert split_behaviours("• One\n• Two, still two\n  continued") == ["One", "Two, still two continued"]
    assert split_behaviours("One\r\nTwo") == ["One", "Two"]
    assert split_behaviours("1. One\n2) Two\n1.5x faster builds") == ["One", "Two 1.5x faster builds"]
    assert split_behaviours("Keeps services up\nwhen they fail.", lines_are_items=False) == [
        "Keeps services up when they fail."]


def test_the_writer_quotes_what_yaml_would_misread_and_reads_back_the_same(tmp_path: Path) -> None:
    text = ("dimension,junior,senior\n"
            "yes,\"- no\n- 'quoted' and \"\"double\"\"\",#not a comment\n"
            "\"key: value\",1.50,\"[a, b]\"\n")
    result = import_rubric(write(tmp_path, "tricky.csv", text))
    assert result.problems == [] and result.ladder is not None
    first, second = result.ladder.dimensions
    assert first.name == "yes"
    assert texts(first, "junior") == ("no", "'quoted' and \"double\"")
    assert texts(first, "senior") == ("#not a comment",)
    assert texts(second, "junior") == ("1.50",) and texts(second, "senior") == ("[a, b]",)


def test_rubric_import_writes_the_file_prints_the_mapping_and_will_not_overwrite(tmp_path: Path) -> None:
    source = write(tmp_path, "family.yml", (LADDERS / "ft-family.yml").read_text())
    code, out, err = run("rubric", "import", "family.yml", "--track", "ic", cwd=tmp_path)
    assert code == 0, err
    assert "Levels, lowest first (3): associate (Associate Engineer)" in out
    assert "reliability: Reliability & Recovery (4 behaviours, 1 example)" in out
    assert "Kept the individual-contributor track (--track ic); left out lead-pm." in out
    written = (tmp_path / "rubric" / "ladder.yml").read_text()
    assert written.startswith("# Imported by `promo rubric import` from family.yml")
    code, _, err = run("rubric", "import", str(source), cwd=tmp_path)
    assert code == 1 and "rubric/ladder.yml: error: exists\n  hint: pass --force" in err
    assert run("rubric", "import", str(source), "--force", cwd=tmp_path)[0] == 0
    assert "lead-pm" in (tmp_path / "rubric" / "ladder.yml").read_text()


def test_rubric_import_of_a_malformed_row_exits_1_with_file_and_row(tmp_path: Path) -> None:
    write(tmp_path, "ladder.csv", "dimension,junior\nScope,Owns tasks\nImpact,Ships, fast\n")
    code, out, err = run("rubric", "import", "ladder.csv", cwd=tmp_path)
    assert code == 1 and out == ""
    assert err.startswith("ladder.csv:3: error: has 3 cells but the header has 2")
    assert not (tmp_path / "rubric").exists()


def test_rubric_import_says_when_it_cannot_tell_the_format(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "just some words\n")
    code, _, err = run("rubric", "import", "notes.txt", cwd=tmp_path)
    assert code == 1 and err == ("notes.txt: error: cannot tell its format\n"
                                 "  hint: pass --format, one of: csv, tsv, ft, monzo, ladders\n"
                                 "promo: nothing was written\n")


def test_init_with_a_rubric_needs_a_target_and_offers_the_rubric_levels(tmp_path: Path) -> None:
    code, _, err = run("init", "mine", "--rubric", str(LADDERS / "ft-family.yml"), cwd=tmp_path)
    assert code == 1
    assert "--target is needed with --rubric" in err and "associate, engineer, lead-ic, lead-pm" in err
    code, _, err = run("init", "mine", "--rubric", str(LADDERS / "ft-family.yml"), "--target", "staff",
                       cwd=tmp_path)
    assert code == 1
    assert ("promo: error: --target 'staff' is not a level of the imported rubric\n"
            "  hint: use one of: associate, engineer, lead-ic, lead-pm\n") in err
    assert not (tmp_path / "mine").exists()


def packet_from(tmp_path: Path, source: Path, target: str, *extra: str) -> Path:
    code, out, err = run("init", "mine", "--rubric", str(source), "--target", target, *extra, cwd=tmp_path)
    assert code == 0, err
    assert "Levels, lowest first" in out
    root = tmp_path / "mine"
    code, _, err = run("check", cwd=root)
    assert code == 0, err
    return root


@pytest.mark.parametrize(("name", "target", "dimension"), [
    ("grid.csv", "staff", "delivery"),
    ("long.tsv", "mid", "craft"),
    ("ft-family.yml", "lead-ic", "reliability"),
    ("monzo-framework.md", "3", "technical-depth"),
])
def test_a_packet_started_from_an_imported_ladder_checks_and_builds(
        tmp_path: Path, name: str, target: str, dimension: str) -> None:
    root = packet_from(tmp_path, LADDERS / name, target)
    assert (root / "rubric" / "ladder.yml").read_text().startswith("# Imported by `promo rubric import`")
    # The README's first `promo new` names dimensions this ladder has.
    ladder, _ = load_rubric(root / "rubric" / "ladder.yml")
    assert ladder is not None
    flags = " ".join(f"-d {shlex.quote(d)}" for d in ladder.dimension_ids[:2])
    readme = (root / "README.md").read_text()
    assert f'promo new "Cut deploy time from 40 to 12 minutes" {flags} --edit' in readme
    site = build_site(root, tmp_path / "site", strict=True)
    assert (site / "dimensions" / dimension / "index.html").is_file()


@needs_free_ids
def test_a_packet_started_from_an_engineeringladders_file_checks_and_builds(tmp_path: Path) -> None:
    root = packet_from(tmp_path, LADDERS / "ladders-developer.md", "A2", "--current", "A1")
    site = build_site(root, tmp_path / "site", strict=True)
    assert "Analyst 2" in (site / "dimensions" / "technology" / "index.html").read_text()


@needs_free_ids
def test_a_grid_with_level_codes_in_its_header_keeps_the_codes_as_ids(tmp_path: Path) -> None:
    source = write(tmp_path, "ladder.csv", "Dimension,P3 - Engineer,P4 - Senior Engineer\n"
                   "Scope,Owns tasks,Owns systems\nInfluence,Reviews code,Leads reviews\n")
    result = import_rubric(source)
    assert result.ladder is not None, result.problems
    assert [(level.id, level.title) for level in result.ladder.levels] == [
        ("P3", "Engineer"), ("P4", "Senior Engineer")]
    root = packet_from(tmp_path, source, "P4")
    build_site(root, tmp_path / "site", strict=True)
