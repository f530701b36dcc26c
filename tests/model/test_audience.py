"""One truth per build: every report counts what its audience sees, and says which audience."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TESTS, build_site, make_packet, run
from promo_packet.cli import main

SPONSOR = "counted for the sponsor audience: 4 entries, 1 left out by its visibility"


@pytest.fixture
def three_needed(tmp_path: Path) -> Path:
    """The fixture packet where Scope is demonstrated only if its private entry counts."""
    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("demonstrated_at: 2", "demonstrated_at: 3"))
    return root


def test_review_and_gaps_count_for_the_configured_audience(three_needed: Path) -> None:
    config = str(three_needed / "mkdocs.yml")
    code, out, _ = run("review", "-f", config, "--today", "2026-06-10", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert (report["audience"], report["entries"], report["left_out"]) == ("sponsor", 4, 1)
    scope = next(c for c in report["coverage"] if c["dimension"] == "scope")
    assert (scope["after"], scope["status"]) == (2, "thin")
    assert f"Coverage {SPONSOR}" in run("review", "-f", config, "--today", "2026-06-10")[1]
    code, out, _ = run("gaps", "-f", config)
    assert code == 0
    assert out.splitlines()[0] == f"Coverage {SPONSOR}"
    assert "Scope (thin): 2 entries at Staff Engineer level or above" in out


def test_audience_option_counts_for_another_audience(three_needed: Path) -> None:
    config = str(three_needed / "mkdocs.yml")
    report = json.loads(run("review", "-f", config, "--today", "2026-06-10", "--format", "json",
                            "--audience", "self")[1])
    scope = next(c for c in report["coverage"] if c["dimension"] == "scope")
    assert (report["audience"], scope["after"], scope["status"]) == ("self", 3, "demonstrated")
    code, out, _ = run("gaps", "-f", config, "--audience", "self")
    assert code == 0
    assert out.splitlines()[0] == "Coverage counted for the self audience: 5 entries"
    assert "Scope (" not in out
    code, out, _ = run("gaps", "-f", config, "--audience", "committee")
    assert out.splitlines()[0] == ("Coverage counted for the committee audience: 3 entries, "
                                   "2 left out by their visibility")


def test_site_and_pdf_name_the_audience_but_not_what_it_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_site: Callable[..., Path]) -> None:
    import datetime as dt

    from promo_packet.hosts.project import assemble, read_config
    from promo_packet.model.settings import PdfSettings
    from promo_packet.render.pdf import print_html

    monkeypatch.setenv("PROMO_AUDIENCE", "committee")
    root = make_packet(tmp_path)
    overview = (fixture_site("committee") / "index.html").read_text()
    assert "counted for the committee audience" in overview
    assert "left out" not in overview, "a committee must not learn that entries are kept from it"
    options, _ = read_config(root / "mkdocs.yml")
    packet = assemble(options.sources, options.packet).packet
    assert packet is not None
    html = print_html(packet, PdfSettings(), dt.date(2026, 6, 1))
    assert "counted for the committee audience" in html and "left out" not in html


def test_a_plan_aiming_elsewhere_is_an_error_naming_both_places(tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path)
    plan = (TESTS / "fixtures" / "plan.yml").read_text()
    assert "\ntarget_level: staff\n" in plan
    (root / "plan.yml").write_text(plan.replace("\ntarget_level: staff\n", "\ntarget_level: senior\n"))
    check = ["check", "--today", "2026-06-30", "-f", str(root / "mkdocs.yml")]
    result = CliRunner().invoke(main, check)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if not line.startswith("promo check:")]
    assert errors == ["plan.yml:2: error: target_level: 'senior' here, but 'staff' in mkdocs.yml:11",
                      "  hint: the packet is built for one target level: write the same id in both"]
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    assert CliRunner().invoke(main, check).exit_code == 0


def test_an_unknown_plan_target_is_one_error(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    plan = (TESTS / "fixtures" / "plan.yml").read_text()
    (root / "plan.yml").write_text(plan.replace("\ntarget_level: staff\n", "\ntarget_level: stafff\n"))
    result = CliRunner().invoke(main, ["check", "--today", "2026-06-30", "-f", str(root / "mkdocs.yml")])
    errors = [line for line in result.stderr.splitlines() if not line.startswith("promo check:")]
    assert errors == ["plan.yml:2: error: target_level: unknown level 'stafff'",
                      "  hint: did you mean 'staff'? known: mid, senior, staff"]


AUTHOR_ONLY = [
    "would make it demonstrated",  # what more would change a status
    "seek out next",
    "Strongest first: entries with a figure",
    "visibility: ",  # field names and internal labels
    "highlight",
    "(add <code>criteria: [",
    "No entry names these behaviours yet",
    "strength: ",
    "<strong>claimed</strong>",  # a strength named, in the charts' key
]
"""What only the author's own build may say: how to improve the packet, and its field names."""


@pytest.fixture(scope="module")
def audience_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The article text of every page, the search index and the PDF's text, per audience."""
    from pypdf import PdfReader

    from conftest import build_per_audience, site_text_of

    base = tmp_path_factory.mktemp("words")
    root = make_packet(base)
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    texts = {}
    for audience, site in build_per_audience(root, base, pdf=True).items():
        parts = [site_text_of(page).split("<article", 1)[-1].split("</article>", 1)[0]
                 for page in sorted(site.rglob("*.html"))]
        parts.append(site_text_of(site / "search" / "search_index.json"))
        parts += [page.extract_text() for page in PdfReader(site / "packet.pdf").pages]
        texts[audience] = "\n".join(parts)
    return texts


@pytest.mark.parametrize("phrase", AUTHOR_ONLY)
def test_only_the_author_is_told_how_to_improve_the_packet(audience_builds: dict[str, str],
                                                            phrase: str) -> None:
    assert phrase in audience_builds["self"]
    assert phrase not in audience_builds["sponsor"]
    assert phrase not in audience_builds["committee"]
