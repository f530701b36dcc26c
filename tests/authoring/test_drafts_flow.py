"""Drafts from an import: never in a sponsor's or committee's build, listed in the author's own,
counted by `promo check` without tips, listed, pruned and accepted by the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TESTS, build_per_audience, make_packet, run, set_options, site_text, site_text_of

CANARY = "dq4"
DRAFT = """---
title: CANARY-DRAFT-TITLE-dq4
date: 2026-03-02
dimensions: []   # suggested: scope
draft: true
source: https://example.com/pull/CANARY-DRAFT-SOURCE-dq4
# outcome: what changed because of this, with a number if there is one
---

CANARY-DRAFT-BODY-dq4
"""
OLD_DRAFT = DRAFT.replace("2026-03-02", "2025-01-10").replace("TITLE-dq4", "OLD-dq4").replace(
    "SOURCE-dq4", "OLD-SOURCE-dq4")


def with_drafts(base: Path) -> Path:
    root = make_packet(base)
    drafts = root / "evidence" / "drafts"
    drafts.mkdir()
    (drafts / "2026-03-02-dq4-fix.md").write_text(DRAFT, encoding="utf-8")
    (drafts / "2025-01-10-dq4-old.md").write_text(OLD_DRAFT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("drafts")
    root = with_drafts(base)
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    return build_per_audience(root, base, pdf=True)


def pdf_text(site: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(site / "packet.pdf").pages)


@pytest.mark.parametrize("audience", ["sponsor", "committee"])
def test_no_draft_reaches_a_sponsor_or_committee_build(builds: dict[str, Path], audience: str) -> None:
    site = builds[audience]
    assert CANARY not in site_text(site).lower()
    assert CANARY not in pdf_text(site).lower()
    assert not (site / "drafts").exists()


def test_the_self_build_lists_drafts_on_their_own_page_only(builds: dict[str, Path]) -> None:
    site = builds["self"]
    page = site_text_of(site / "drafts" / "index.html")
    for words in ("CANARY-DRAFT-TITLE-dq4", "CANARY-DRAFT-OLD-dq4", "evidence/drafts/2026-03-02-dq4-fix.md",
                  'href="https://example.com/pull/CANARY-DRAFT-SOURCE-dq4"', "2 Mar 2026"):
        assert words in page
    assert page.index("CANARY-DRAFT-TITLE-dq4") < page.index("CANARY-DRAFT-OLD-dq4")  # newest first
    nav = site_text_of(site / "index.html")
    assert nav.index('href="timeline/"') < nav.index('href="drafts/"')
    others = [f for f in site.rglob("*") if f.is_file() and f.name != "packet.pdf"
              and f.relative_to(site).parts[0] != "drafts"]
    for file in others:  # not in coverage, the timeline, the search index, the sitemap
        assert "CANARY-DRAFT" not in site_text_of(file), file
    assert CANARY not in pdf_text(site).lower()


def test_no_drafts_no_drafts_page(fixture_site: Callable[..., Path]) -> None:
    site = fixture_site("self")
    assert not (site / "drafts").exists()
    assert 'href="drafts/"' not in site_text_of(site / "index.html")


def test_check_counts_drafts_without_tips_about_them(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    code, out, err = run("check", cwd=root)
    assert code == 0, err
    assert "2 drafts" in err.splitlines()[-1]
    assert "drafts/" not in err
    code, out, _ = run("check", "--format", "json", cwd=root)
    assert '"drafts": 2' in out
    assert "drafts/" not in out


def test_an_accepted_entry_without_dimensions_is_still_an_error(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    (root / "evidence" / "x.md").write_text(DRAFT.replace("draft: true\n", ""), encoding="utf-8")
    code, _, err = run("check", cwd=root)
    assert code == 1
    assert "evidence/x.md:4: error: dimensions" in err


def test_drafts_lists_and_prunes_only_old_drafts(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    (root / "evidence" / "drafts" / "2024-01-01-accepted.md").write_text(
        DRAFT.replace("draft: true\n", "").replace("dimensions: []", "dimensions: [scope]")
        .replace("2026-03-02", "2024-01-01"), encoding="utf-8")
    code, out, _ = run("drafts", cwd=root)
    assert code == 0
    lines = out.splitlines()
    assert lines == [
        "evidence/drafts/2026-03-02-dq4-fix.md  2026-03-02  CANARY-DRAFT-TITLE-dq4  "
        "https://example.com/pull/CANARY-DRAFT-SOURCE-dq4",
        "evidence/drafts/2025-01-10-dq4-old.md  2025-01-10  CANARY-DRAFT-OLD-dq4  "
        "https://example.com/pull/CANARY-DRAFT-OLD-SOURCE-dq4"]
    code, _, err = run("drafts", "--prune", cwd=root)
    assert code != 0 and "--before" in err
    code, out, _ = run("drafts", "--prune", "--before", "2026-01-01", cwd=root)
    assert code == 0
    assert out.splitlines() == ["deleted evidence/drafts/2025-01-10-dq4-old.md"]
    left = sorted(p.name for p in (root / "evidence" / "drafts").iterdir())
    assert left == ["2024-01-01-accepted.md", "2026-03-02-dq4-fix.md"]


def test_accept_moves_the_draft_and_sets_its_dimensions(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    draft = root / "evidence" / "drafts" / "2026-03-02-dq4-fix.md"
    code, out, err = run("accept", "evidence/drafts/2026-03-02-dq4-fix.md", "-d", "scope", "-d",
                         "influence", cwd=root)
    assert code == 0, err
    assert out.strip() == "evidence/2026-03-02-dq4-fix.md"
    assert not draft.exists()
    text = (root / "evidence" / "2026-03-02-dq4-fix.md").read_text("utf-8")
    chosen = "dimensions: [scope, influence]"
    assert text == DRAFT.replace("draft: true\n", "").replace("dimensions: []   # suggested: scope", chosen)
    code, _, err = run("check", cwd=root)
    assert code == 0, err


def test_accept_refuses_an_unknown_dimension_and_never_overwrites(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    name = "2026-03-02-dq4-fix.md"
    code, _, err = run("accept", f"evidence/drafts/{name}", "-d", "scop", cwd=root)
    assert code == 1
    assert "unknown dimension 'scop'" in err and "did you mean 'scope'?" in err
    assert (root / "evidence" / "drafts" / name).exists()
    (root / "evidence" / name).write_text("mine", encoding="utf-8")
    code, out, err = run("accept", f"evidence/drafts/{name}", "-d", "scope", cwd=root)
    assert code == 0, err
    assert out.strip() == "evidence/2026-03-02-dq4-fix-2.md"
    assert (root / "evidence" / name).read_text("utf-8") == "mine"
    code, _, err = run("accept", "evidence/2026-04-15-onboarding.md", "-d", "scope", cwd=root)
    assert code == 1 and "is not a draft" in err


def test_accept_drops_only_the_suggestions_comments(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    draft = root / "evidence" / "drafts" / "2026-03-02-dq4-fix.md"
    draft.write_text(DRAFT.replace("dimensions: []   # suggested: scope\n",
                                   "dimensions: []   # suggested: scope\n"
                                   "shows: [scope.staff.1]   # suggested: scope.staff.1, scope.staff.2\n")
                     .replace("draft: true", "draft: true   # mine"), "utf-8")
    code, _, err = run("accept", str(draft), "-d", "scope", cwd=root)
    assert code == 0, err
    text = (root / "evidence" / draft.name).read_text("utf-8")
    assert "suggested" not in text
    assert "dimensions: [scope]\nshows: [scope.staff.1]\nsource:" in text
    code, _, err = run("check", cwd=root)
    assert code == 0, err


SUGGESTING = DRAFT.replace("dimensions: []   # suggested: scope\n",
                           "dimensions: []   # suggested: scope, influence\n"
                           "shows: []   # suggested: scope.staff.2, influence.staff.1\n")


def test_accept_without_dimensions_takes_the_suggestions_and_says_so(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    draft = root / "evidence" / "drafts" / "2026-03-02-dq4-fix.md"
    draft.write_text(SUGGESTING, "utf-8")
    code, out, err = run("accept", str(draft), cwd=root)
    assert code == 0, err
    assert out.strip() == "evidence/2026-03-02-dq4-fix.md"
    text = (root / "evidence" / draft.name).read_text("utf-8")
    assert "suggested" not in text and "draft:" not in text
    assert "dimensions: [scope, influence]\nshows: [scope.staff.2, influence.staff.1]\nsource:" in text
    assert ("set dimensions: [scope, influence] and shows: [scope.staff.2, influence.staff.1]; "
            "scope, influence, scope.staff.2, influence.staff.1 were suggested by the import: "
            "check them") in err
    assert "fill in 'dimensions:'" not in err
    code, _, err = run("check", cwd=root)
    assert code == 0, err


def test_accept_with_dimensions_keeps_the_suggested_behaviours_of_those(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    draft = root / "evidence" / "drafts" / "2026-03-02-dq4-fix.md"
    draft.write_text(SUGGESTING, "utf-8")
    code, _, err = run("accept", str(draft), "-d", "influence", cwd=root)
    assert code == 0, err
    text = (root / "evidence" / draft.name).read_text("utf-8")
    assert "dimensions: [influence]\nshows: [influence.staff.1]\nsource:" in text
    assert ("set dimensions: [influence] and shows: [influence.staff.1]; "
            "influence.staff.1 was suggested") in err


def test_accept_without_suggestion_or_dimensions_leaves_them_to_fill_in(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    draft = root / "evidence" / "drafts" / "2026-03-02-dq4-fix.md"
    draft.write_text(DRAFT.replace("   # suggested: scope", ""), "utf-8")
    code, _, err = run("accept", str(draft), cwd=root)
    assert code == 0, err
    assert "dimensions: []\nsource:" in (root / "evidence" / draft.name).read_text("utf-8")
    assert "fill in 'dimensions:'" in err and "suggested" not in err


def test_drafts_set_aside_by_pattern_or_date_are_never_drafted_again(tmp_path: Path) -> None:
    root = with_drafts(tmp_path)
    drafts = root / "evidence" / "drafts"
    for n in (1, 2):
        (drafts / f"2026-03-0{n}-drop-{n}.md").write_text(
            DRAFT.replace("CANARY-DRAFT-TITLE-dq4", f"Drop private imports from test_{n}.py")
            .replace("SOURCE-dq4", f"SOURCE-drop-{n}"), "utf-8")
    code, _, err = run("drafts", "--set-aside", cwd=root)
    assert code != 0 and "--set-aside needs a PATTERN or --before" in err
    code, out, err = run("drafts", "--set-aside", "drop private IMPORTS", cwd=root)
    assert code == 0, err
    assert out.splitlines() == [
        "evidence/drafts/2026-03-01-drop-1.md -> drafts-set-aside/2026-03-01-drop-1.md",
        "evidence/drafts/2026-03-02-drop-2.md -> drafts-set-aside/2026-03-02-drop-2.md"]
    assert "2 drafts set aside in drafts-set-aside" in err
    code, out, err = run("drafts", "--set-aside", "--before", "2026-01-01", cwd=root)
    assert code == 0, err
    assert out.splitlines() == [
        "evidence/drafts/2025-01-10-dq4-old.md -> drafts-set-aside/2025-01-10-dq4-old.md"]
    assert sorted(p.name for p in drafts.iterdir()) == ["2026-03-02-dq4-fix.md"]
    code, _, err = run("check", cwd=root)
    assert code == 0 and "1 draft" in err.splitlines()[-1]

    prs = tmp_path / "prs.json"
    prs.write_text('[{"number": 1, "title": "Old", "url": "https://example.com/pull/CANARY-DRAFT-OLD-SOURCE-dq4",'
                   ' "mergedAt": "2025-01-10T09:00:00Z"}]', "utf-8")
    code, _, err = run("import", "github", str(prs), cwd=root)
    assert code == 0, err
    assert "0 drafts written, 0 already known, 1 set aside" in err
    # Moved again, a name taken in the set-aside folder is never written over.
    (drafts / "2025-01-10-dq4-old.md").write_text(OLD_DRAFT, "utf-8")
    code, out, err = run("drafts", "--set-aside", "CANARY-DRAFT-OLD", cwd=root)
    assert code == 0, err
    assert out.strip().endswith("drafts-set-aside/2025-01-10-dq4-old-2.md")
    assert (root / "drafts-set-aside" / "2025-01-10-dq4-old.md").read_text("utf-8") == OLD_DRAFT


@pytest.mark.parametrize("folder", ["evidence/aside", "docs/aside", "..", "."])
def test_the_set_aside_folder_is_in_the_packet_and_never_built(tmp_path: Path, folder: str) -> None:
    root = set_options(with_drafts(tmp_path), f"set_aside_dir: '{folder}'")
    code, _, err = run("drafts", "--set-aside", "dq4", cwd=root)
    assert code == 1
    assert "set_aside_dir: must be a folder in the packet, outside the evidence and docs folders" in err
    assert len(list((root / "evidence" / "drafts").iterdir())) == 2
