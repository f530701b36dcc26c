"""A ``one_of`` group in what next: review, gaps, brief, the gaps page and the PDF list the group
once, by its name and the member carrying it, and never its alternatives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import build_site, packet_with, run, set_options
from conftest import self_report as report

TODAY = "2026-06-20"
LADDER = """\
name: Test Ladder
levels:
  - {id: mid, title: Engineer}
  - {id: senior, title: Senior Engineer}
  - {id: staff, title: Staff Engineer}
dimensions:
  - id: scope
    name: Scope
    expectations:
      staff:
        - Owns outcomes across several teams.
        - Finds the problems that cost the most.
  - id: influence
    name: Influence
    expectations:
      staff: Changes how other teams work.
  - id: mentorship
    name: Mentorship
    expectations:
      staff:
        - {id: grows-seniors, text: Grows engineers into senior roles.}
        - {id: runs-programme, text: Runs a mentoring programme other teams join.}
  - id: architecture
    name: Architecture
    expectations:
      staff: {id: sets-direction, text: Sets the technical direction of a group of teams.}
one_of:
  - name: Staff path
    dimensions: [mentorship, architecture]
"""
MENTORING = """\
---
title: Mentored two engineers to senior
date: 2026-05-20
dimensions: [mentorship]
level: staff
shows: [grows-seniors]
outcome: Two engineers were promoted to senior.
---
"""
NEXT = [{"dimension": "mentorship", "behaviour": "runs-programme", "one_of": "Staff path"}]


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packet_with(tmp_path_factory.mktemp("one-of"), {
        "rubric/ladder.yml": LADDER, "evidence/2026/2026-05-20-mentoring.md": MENTORING})


def test_review_gaps_and_brief_list_the_group_once(packet: Path) -> None:
    today = ("--today", TODAY)
    reports = {"review": report(packet, "review", *today), "gaps": report(packet, "gaps"),
               "brief": report(packet, "brief", *today)}
    assert {command: found["next"] for command, found in reports.items()} == dict.fromkeys(reports, NEXT)
    assert reports["review"]["open"] == ["mentorship"]
    assert [(gap["dimension"], gap["name"]) for gap in reports["gaps"]["gaps"]] == [
        ("mentorship", "Staff path (Mentorship)")]
    assert [thin["name"] for thin in reports["brief"]["thin"]] == ["Staff path (Mentorship)"]


def test_the_text_reports_name_the_group_and_its_carrier(packet: Path) -> None:
    config = str(packet / "mkdocs.yml")
    _, review, _ = run("review", "-f", config, "--audience", "self", "--today", TODAY)
    assert ("Still thin or missing, the work to seek next month:\n"
            "  Staff path (Mentorship) (thin): Runs a mentoring programme other teams join.\n\n") in review
    _, brief, _ = run("brief", "-f", config, "--audience", "self", "--today", TODAY)
    assert "- **Staff path (Mentorship)** (thin): next to show: Runs a mentoring programme" in brief
    _, gaps, _ = run("gaps", "-f", config, "--audience", "self")
    assert "Staff path (Mentorship) (thin): " in gaps
    assert "Architecture" not in brief + gaps
    assert re.search(r"\n  Architecture +0 +0  alternative\n", review)


def test_the_site_and_the_pdf_show_the_carrier_and_no_gap_for_the_alternative(
        packet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "sponsor")
    site = build_site(packet, tmp_path / "site", pdf=True)
    front = (site / "index.html").read_text(encoding="utf-8")
    assert ("At Staff Engineer level the evidence is demonstrated on 2 of 3 dimensions; thin on Staff path."
            in front)
    assert 'pp-status--alternative">alternative</span> of Staff path' in front
    assert "Architecture: alternative;" in front  # the coverage chart's description
    gaps = (site / "gaps" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2 id=\"[^\"]+\">([^<]+)", gaps) == ["Staff path (Mentorship)"]
    page = (site / "dimensions" / "architecture" / "index.html").read_text(encoding="utf-8")
    assert ("An alternative in Staff path (Mentorship or Architecture), which Mentorship carries (thin)"
            in page)
    pdf = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(site / "packet.pdf").pages))
    assert "Staff path (Mentorship)" in pdf
    assert "Carries Staff path, where one of Mentorship or Architecture is enough." in pdf
    assert "gap: none. Staff path: one of 2 dimensions is enough, the others shown as alternative." in pdf
    assert "Architecture ALTERNATIVE An alternative in Staff path (Mentorship or Architecture)" in pdf
    gaps_section = pdf[pdf.index("Gaps Where the evidence"):]
    assert "Staff path (Mentorship) THIN Carries Staff path" in gaps_section
    assert "Architecture ALTERNATIVE" not in gaps_section and "Architecture GAP" not in gaps_section


def test_no_gaps_accounts_for_the_alternatives(tmp_path: Path) -> None:
    broad = MENTORING.replace("Mentored two", "Ran a mentoring programme for three").replace(
        "[mentorship]", "[scope, influence, mentorship]").replace(
        "[grows-seniors]", "[grows-seniors, runs-programme]")
    root = set_options(packet_with(tmp_path, {
        "rubric/ladder.yml": LADDER, "evidence/2026/2026-05-20-mentoring.md": MENTORING,
        "evidence/2026/2026-05-27-programme.md": broad}), "demonstrated_at: 1")
    _, gaps, err = run("gaps", "-f", str(root / "mkdocs.yml"), "--audience", "self")
    assert ("No gaps: every requirement is demonstrated at Staff Engineer "
            "(Staff path through Mentorship).") in gaps, err
    site = build_site(root, tmp_path / "site")
    page = re.sub(r"\s+", " ", (site / "gaps" / "index.html").read_text(encoding="utf-8"))
    assert ("No gaps: every requirement has 1 or more entries at Staff Engineer level or above "
            "(Staff path through Mentorship).") in page
