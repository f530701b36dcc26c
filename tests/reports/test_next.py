"""What next: the model answers it once, and review, gaps, brief, the gaps page and the PDF all
give that answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import build_site, packet_with, run
from conftest import self_report as report

TODAY = "2026-06-20"
LADDER = """\
name: Test Ladder
levels:
  - id: mid
    title: Engineer
  - id: senior
    title: Senior Engineer
  - id: staff
    title: Staff Engineer
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
        - {id: shapes-hiring, text: Shapes how the organisation hires.}
  - id: delivery
    name: Delivery
    expectations:
      staff:
        - {id: plans-quarters, text: Plans a quarter of work across teams.}
        - {id: unblocks-releases, text: Unblocks releases that other teams own.}
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
NEXT = [
    # Delivery has no entry at all: a gap comes before a thin dimension, whatever the ladder's order.
    {"dimension": "delivery", "behaviour": "plans-quarters"},
    {"dimension": "delivery", "behaviour": "unblocks-releases"},
    # Mentorship is thin; the entry shows its first behaviour, so the next are the other two.
    {"dimension": "mentorship", "behaviour": "runs-programme"},
    {"dimension": "mentorship", "behaviour": "shapes-hiring"},
]
TEXTS = {
    "plans-quarters": "Plans a quarter of work across teams.",
    "unblocks-releases": "Unblocks releases that other teams own.",
    "runs-programme": "Runs a mentoring programme other teams join.",
    "shapes-hiring": "Shapes how the organisation hires.",
}


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packet_with(tmp_path_factory.mktemp("next"), {
        "rubric/ladder.yml": LADDER, "evidence/2026/2026-05-20-mentoring.md": MENTORING})


def test_review_gaps_and_brief_give_the_same_next(packet: Path) -> None:
    today = ("--today", TODAY)
    reports = {"review": report(packet, "review", *today), "gaps": report(packet, "gaps"),
               "brief": report(packet, "brief", *today)}
    assert {command: found["next"] for command, found in reports.items()} == dict.fromkeys(reports, NEXT)
    assert reports["review"]["open"] == ["delivery", "mentorship"]
    assert [gap["dimension"] for gap in reports["gaps"]["gaps"]] == ["delivery", "mentorship"]


def test_the_text_reports_name_the_first_behaviour_still_to_show(packet: Path) -> None:
    config = str(packet / "mkdocs.yml")
    _, review, _ = run("review", "-f", config, "--audience", "self", "--today", TODAY)
    assert ("Still thin or missing, the work to seek next month:\n"
            "  Delivery (gap): Plans a quarter of work across teams.\n"
            "  Mentorship (thin): Runs a mentoring programme other teams join.\n") in review
    _, brief, _ = run("brief", "-f", config, "--audience", "self", "--today", TODAY)
    assert ("- **Delivery** (gap): next to show: Plans a quarter of work across teams.\n"
            "- **Mentorship** (thin): next to show: Runs a mentoring programme other teams join.\n") in brief
    # gaps lists every behaviour, worst first: the one the review no longer names is shown.
    _, gaps, _ = run("gaps", "-f", config, "--audience", "self")
    assert gaps.index("Delivery (gap)") < gaps.index("Mentorship (thin)")
    shown = ("  - shown consistently: grows-seniors  Grows engineers into senior roles. "
             "(Mentored two engineers to senior)\n")
    assert shown in gaps
    assert "  - not yet: runs-programme  Runs a mentoring programme other teams join.\n" in gaps


def test_the_gaps_page_and_the_pdf_name_the_same_next(packet: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "self")
    site = build_site(packet, tmp_path / "site", pdf=True)
    page = (site / "gaps" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="pp-next" data-dimension="([^"]+)">(.*?)</div>', page, re.DOTALL)
    on_page = [{"dimension": dimension, "behaviour": behaviour} for dimension, block in blocks
               for behaviour in re.findall(r'<li data-behaviour="([^"]+)">', block)]
    assert on_page == NEXT
    for item in NEXT:
        assert f'<li data-behaviour="{item["behaviour"]}">{TEXTS[item["behaviour"]]}</li>' in page
    pdf = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(site / "packet.pdf").pages))
    delivery = pdf.index(f"Next to show: {TEXTS['plans-quarters']}; {TEXTS['unblocks-releases']}")
    mentorship = pdf.index(f"Next to show: {TEXTS['runs-programme']}; {TEXTS['shapes-hiring']}")
    assert delivery < mentorship
    assert pdf.count("Next to show:") == 2


def test_only_the_authors_build_says_what_to_show_next(packet: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "sponsor")
    site = build_site(packet, tmp_path / "site", pdf=True)
    page = (site / "gaps" / "index.html").read_text(encoding="utf-8")
    assert "pp-next" not in page and "Next to show" not in page
    pdf = "\n".join(p.extract_text() for p in PdfReader(site / "packet.pdf").pages)
    assert "Next to show" not in pdf
    assert "Delivery" in page and "Delivery" in pdf  # the gaps are there, what to do about them is not
