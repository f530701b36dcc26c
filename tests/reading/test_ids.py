"""Level and dimension ids as a company writes them: P4, SDE II, plain numbers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import build_site, make_packet
from promo_packet.cli import main
from promo_packet.model.rubric import parse_rubric

DIMENSIONS = {"Tech Scope": "tech-scope", "Influence": "influence"}


def ladder_packet(tmp_path: Path, ids: list[str], *, current: str, target: str,
                  entry_level: str, titles: list[str] | None = None) -> Path:
    """The fixture packet with its rubric, evidence and levels replaced by a ladder of ``ids``.

    Ids and levels go into the YAML unquoted, as a person would type them.
    """
    root = make_packet(tmp_path)
    titles = titles or [f"Engineer {ident}" for ident in ids]
    levels = "".join(f"  - id: {ident}\n    title: {title}\n"
                     for ident, title in zip(ids, titles, strict=True))
    dims = "".join(f"  - id: {dim}\n    name: {dim} name\n    expectations:\n"
                   f"      {target}: Shown at {dim}.\n" for dim in DIMENSIONS)
    (root / "rubric" / "ladder.yml").write_text(f"name: Company Ladder\nlevels:\n{levels}dimensions:\n{dims}")
    shutil.rmtree(root / "evidence")
    (root / "evidence").mkdir()
    for number in range(1, 4):
        (root / "evidence" / f"2026-0{number}-01-win-{number}.md").write_text(
            f"---\ntitle: Win {number}\ndate: 2026-0{number}-01\ndimensions: [Tech Scope, Influence]\n"
            f"level: {entry_level}\noutcome: Cut the build from {10 * number} to 5 minutes.\n---\nBody.\n")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("current_level: senior", f"current_level: {current}")
                      .replace("target_level: staff", f"target_level: {target}"))
    return root


@pytest.mark.parametrize(("ids", "current", "target"), [
    ([f"P{n}" for n in range(1, 7)], "P4", "P5"),
    ([str(n) for n in range(1, 7)], "4", "5"),
], ids=["P1-P6", "numbers"])
def test_company_ids_build_strict(tmp_path: Path, ids: list[str], current: str, target: str) -> None:
    root = ladder_packet(tmp_path, ids, current=current, target=target, entry_level=target,
                         titles=[f"Grade {ident}" for ident in ids])
    site = build_site(root, tmp_path / "site", strict=True)
    for dim, slug in DIMENSIONS.items():
        page = (site / "dimensions" / slug / "index.html").read_text()
        assert f"{dim} name" in page
        assert f"Shown at {dim}." in page, "the expectations keyed by the id as written are found"
        assert "demonstrated" in page
    overview = (site / "index.html").read_text()
    assert f"Grade {target}" in overview and 'href="dimensions/tech-scope/"' in overview
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert ", 0 errors" in result.stderr, result.stderr


def test_number_options_are_level_ids(tmp_path: Path) -> None:
    """`target_level: 5` unquoted in mkdocs.yml names the level 5, for MkDocs and the CLI alike."""
    root = ladder_packet(tmp_path, ["4", "5", "6"], current="4", target="5", entry_level="5")
    assert "target_level: 5\n" in (root / "mkdocs.yml").read_text()
    build_site(root, tmp_path / "site", strict=True)
    result = CliRunner().invoke(main, ["gaps", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 0, result.output


def test_a_mistyped_id_is_one_error(tmp_path: Path) -> None:
    root = ladder_packet(tmp_path, [f"P{n}" for n in range(1, 7)], current="P4", target="P5",
                         entry_level="P5")
    entry = root / "evidence" / "2026-01-01-win-1.md"
    entry.write_text(entry.read_text().replace("level: P5", "level: p5"))
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["evidence/2026-01-01-win-1.md:5: error: level: unknown level 'p5'"]
    hint = "  hint: did you mean 'P5'? the rubric has: P1, P2, P3, P4, P5, P6"
    assert f"{errors[0]}\n{hint}\n" in result.stderr
    assert result.exit_code == 1


def test_an_unusable_level_id_is_one_error(tmp_path: Path) -> None:
    """Expectations filed under a level whose id is unusable are not reported again."""
    long_id = "Principal Engineer Of The Whole Group Level Seven"
    text = (f"name: L\nlevels:\n  - {{id: P4, title: Senior}}\n  - {{id: {long_id}, title: Principal}}\n"
            f"dimensions:\n  - id: scope\n    name: Scope\n    expectations:\n      P4: One.\n"
            f"      {long_id}: Two.\n  - id: reach\n    name: Reach\n    expectations:\n"
            f"      {long_id}: Three.\n")
    ladder, problems = parse_rubric(text, "ladder.yml")
    assert ladder is None
    assert [str(p) for p in problems] == [
        f"ladder.yml:4: levels[1].id: {long_id!r} is too long for an id (49 characters); an id is a "
        "short name on one line (up to 40 characters) with at least one letter a-z or digit, such as "
        "P4, L5, SDE II or 5"]


def test_ids_whose_slugs_clash_are_one_error_naming_both(tmp_path: Path) -> None:
    text = ("name: L\nlevels:\n  - {id: SDE II, title: Two}\n  - {id: sde-ii, title: Also two}\n"
            "dimensions:\n  - {id: scope, name: Scope}\n")
    ladder, problems = parse_rubric(text, "ladder.yml")
    assert ladder is None
    assert [str(p) for p in problems] == [
        "ladder.yml:4: levels[1].id: 'sde-ii' and 'SDE II' (ladder.yml:3) would share the URL name "
        "'sde-ii'; rename one of them: every id needs a URL of its own"]


AWKWARD = [
    ("P4", "p4"), ("SDE II", "sde-ii"), ("Senior 1", "senior-1"), ("5", "5"), ("IC3", "ic3"),
    ("cross_team", "cross_team"), ("Sénior (L5)", "senior-l5"), ("Sénior", "senior"),
    ("Se\u0301nior", "senior"),  # as macOS writes a file name: the accent a character of its own
    ("Straße", "strasse"), ("\uff33\uff24\uff25 \u2161", "sde-ii"),  # full-width letters, a Roman numeral
    ("Cut CI time: 40 -> 12 min!", "cut-ci-time-40-12-min"),
    ("--a--b--", "a-b"), ("晋升 Staff", "staff"), ("🚀 Launch 🚀", "launch"),
    ("晋升", ""), ("🚀", ""), ("!!! ...", ""),
]


@pytest.mark.parametrize(("text", "slug"), AWKWARD)
def test_one_slug_rule_for_ids_and_file_names(text: str, slug: str) -> None:
    from promo_packet.model.evidence import slug_for
    from promo_packet.reading.ids import id_problem, slug_of

    assert slug_of(text) == slug
    assert slug_for(Path("evidence") / f"{text}.md") == (slug or "entry")
    assert (id_problem(text) is None) == bool(slug), "an id without a URL name is refused, with one it is not"


def test_a_very_long_name_is_cut_between_words() -> None:
    from promo_packet.model.evidence import slug_for
    from promo_packet.reading.ids import id_problem, slug_of

    words = "Migrated every nightly settlement job to the new scheduler " * 8
    assert slug_of(words, 50) == "migrated-every-nightly-settlement-job-to-the-new"
    assert slug_of("x" * 300, 50) == "x" * 50
    assert slug_for(Path(f"{'é' * 200}.md")) == "e" * 200
    assert f"is too long for an id ({len(words)} characters)" in str(id_problem(words))


def test_senior_is_senior_as_a_file_an_id_and_an_anchor(tmp_path: Path) -> None:
    from promo_packet.hosts.project import assemble, read_config
    from promo_packet.model.settings import PdfSettings
    from promo_packet.render.pdf import print_html

    root = ladder_packet(tmp_path, ["P4", "P5"], current="P4", target="P5", entry_level="P5")
    rubric = root / "rubric" / "ladder.yml"
    rubric.write_text(rubric.read_text().replace("Tech Scope", "Sénior"))
    for entry in (root / "evidence").iterdir():
        entry.write_text(entry.read_text().replace("Tech Scope", "Sénior"))
    (root / "evidence" / "2026-01-01-win-1.md").rename(root / "evidence" / "Sénior.md")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("packet_size: 2", "packet_size: 3"))  # every entry in full
    options, _ = read_config(root / "mkdocs.yml")
    assembly = assemble(options.sources, options.packet)
    assert assembly.packet is not None, assembly.problems
    assert "senior" in {e.slug for e in assembly.evidence.entries}
    assert {c.dimension.slug for c in assembly.packet.coverage} == {"senior", "influence"}
    html = print_html(assembly.packet, PdfSettings(), dt.date(2026, 6, 1))
    assert 'id="dim-senior"' in html and 'href="#dim-senior"' in html
    assert 'id="senior--senior"' in html
    site = build_site(root, tmp_path / "site")
    assert (site / "evidence" / "senior" / "index.html").is_file()
    assert (site / "dimensions" / "senior" / "index.html").is_file()
    assert 'href="../../evidence/senior/"' in (site / "dimensions" / "senior" / "index.html").read_text()


def test_print_anchors_use_slugs(tmp_path: Path) -> None:
    from promo_packet.hosts.project import assemble, read_config
    from promo_packet.model.settings import PdfSettings
    from promo_packet.render.pdf import print_html

    root = ladder_packet(tmp_path, ["P4", "P5"], current="P4", target="P5", entry_level="P5")
    options, _ = read_config(root / "mkdocs.yml")
    assembly = assemble(options.sources, options.packet)
    assert assembly.packet is not None, assembly.problems
    html = print_html(assembly.packet, PdfSettings(), dt.date(2026, 6, 1))
    assert 'id="dim-tech-scope"' in html and 'href="#dim-tech-scope"' in html


def test_init_takes_the_rubric_ids(tmp_path: Path) -> None:
    from promo_packet.authoring.scaffold import init_packet

    rubric = ("name: L\nlevels:\n  - {id: SDE I, title: One}\n  - {id: 'SDE II: Senior', "
              "title: Two}\ndimensions:\n  - {id: scope, name: Scope}\n")
    ladder, _ = parse_rubric(rubric, "ladder.yml")
    assert ladder is not None
    init_packet(tmp_path / "p", current="SDE I", target="SDE II: Senior", today=dt.date(2026, 6, 1),
                rubric=(ladder, rubric))
    config = (tmp_path / "p" / "mkdocs.yml").read_text()
    assert "current_level: SDE I\n" in config and "target_level: 'SDE II: Senior'\n" in config


def test_titles_saying_level_and_single_counts_read_right(tmp_path: Path) -> None:
    from promo_packet.hosts.project import assemble, read_config
    from promo_packet.model.settings import PdfSettings
    from promo_packet.render.pdf import print_html

    root = ladder_packet(tmp_path, ["4", "5"], current="4", target="5", entry_level="5",
                         titles=["Level 4 (Senior)", "Level 5 (Staff)"])
    for extra in ("2026-02-01-win-2.md", "2026-03-01-win-3.md"):
        (root / "evidence" / extra).unlink()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("packet_size: 2", "packet_size: 1"))
    site = build_site(root, tmp_path / "site", strict=True)
    pages = {page: (site / page).read_text() for page in
             ("index.html", "packet/index.html", "gaps/index.html", "timeline/index.html",
              "dimensions/tech-scope/index.html")}
    for page, html in pages.items():
        assert "1 entries" not in html and "(Staff) level" not in html, page
    assert "at Level 5 (Staff) or above" in pages["gaps/index.html"]
    assert "1 entry, newest first" in pages["timeline/index.html"]
    assert "the strongest 1 entry making" in pages["packet/index.html"]
    options, _ = read_config(config)
    assembly = assemble(options.sources, options.packet)
    assert assembly.packet is not None
    html = print_html(assembly.packet, PdfSettings(), dt.date(2026, 6, 1))
    assert "1 entries" not in html and "(Staff) level" not in html
    assert "<dd>1 entry</dd>" in html or "<dd>1 entry," in html


def test_new_writes_dimension_ids_as_yaml_reads_them(tmp_path: Path) -> None:
    from promo_packet.authoring.scaffold import new_entry
    from promo_packet.model.evidence import parse_evidence

    ladder, _ = parse_rubric("name: L\nlevels:\n  - {id: '5', title: Five}\ndimensions:\n"
                             "  - {id: Tech Scope, name: Scope}\n  - {id: 'Ops: on-call', name: Ops}\n"
                             "  - {id: '7', name: Seven}\n", "ladder.yml")
    assert ladder is not None
    path = new_entry(tmp_path, "A win", ladder=ladder, target="5", day=dt.date(2026, 6, 1),
                     dimensions=("Tech Scope", "Ops: on-call", "7"))
    entry, problems = parse_evidence(path.read_text(), "x.md", "x")
    assert entry is not None, problems
    assert entry.dimensions == ("Tech Scope", "Ops: on-call", "7")


def test_a_mistyped_criterion_is_one_error_with_the_near_miss(tmp_path: Path) -> None:
    from conftest import TESTS

    root = make_packet(tmp_path)
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    entry = root / "evidence" / "2026" / "2026-03-02-shared-library.md"
    entry.write_text(entry.read_text().replace("dimensions: [influence, scope]",
                                               "dimensions: [influence, scope]\ncriteria: [Batch-Scope]"))
    result = CliRunner().invoke(main, ["check", "--today", "2026-06-30", "-f", str(root / "mkdocs.yml")])
    errors = [line for line in result.stderr.splitlines() if not line.startswith("promo check:")]
    assert errors == ["evidence/2026/2026-03-02-shared-library.md:5: error: criteria: unknown criterion "
                      "'Batch-Scope'",
                      "  hint: did you mean 'batch-scope'? the plan's criteria: batch-scope, mentor"]
