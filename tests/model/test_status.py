"""Golden cases for the coverage rule: the status of a dimension and of each of its behaviours
at the target level, for the small packets in ``tests/golden/status/cases.yml``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TESTS
from promo_packet.model.audience import Audience
from promo_packet.model.coverage import Coverage, next_report
from promo_packet.model.evidence import Corroboration, Evidence
from promo_packet.model.packet import Packet, PacketSettings, build_packet
from promo_packet.model.rubric import load_rubric

CASES: dict[str, dict[str, Any]] = yaml.safe_load((TESTS / "golden" / "status" / "cases.yml").read_text())
PROOF = {
    "none": {"outcome": "Made the releases calmer."},
    "figure": {"outcome": "Cut release rollbacks from 4 to 1 a quarter."},
    "named": {"outcome": "Made the releases calmer.",
              "corroboration": (Corroboration("Calmer.", "Kim Ops"),)},
    "both": {"outcome": "Cut release rollbacks from 4 to 1 a quarter.",
             "corroboration": (Corroboration("Calmer.", "Kim Ops"),)},
}


def entry(index: int, written: dict[str, Any]) -> Evidence:
    day = written["date"] if isinstance(written["date"], dt.date) else dt.date.fromisoformat(written["date"])
    return Evidence(slug=f"e{index}", path=f"evidence/e{index}.md", title=f"Entry {index}", date=day,
                    dimensions=("delivery",), level=written.get("level", "lead"),
                    shows=tuple(written.get("shows", ())), **PROOF[written["proof"]])


def packet_of(case: dict[str, Any], audience: Audience = Audience.SPONSOR) -> Packet:
    ladder, problems = load_rubric(TESTS / "golden" / "rubric" / "ladder.yml", TESTS)
    assert ladder is not None, problems
    entries = [entry(i, written) for i, written in enumerate(case["entries"])]
    packet, problems = build_packet(ladder, entries, PacketSettings(target_level="lead", audience=audience))
    assert packet is not None and not [p for p in problems if p.is_error], problems
    return packet


def coverage(case: dict[str, Any], audience: Audience = Audience.SPONSOR) -> Coverage:
    return packet_of(case, audience).coverage_of("delivery")


@pytest.mark.parametrize("name", list(CASES))
def test_status_of_a_dimension_and_its_behaviours(name: str) -> None:
    case = CASES[name]
    found = coverage(case)
    assert found.status.value == case["delivery"]
    assert {b.behaviour.id: b.state.value for b in found.behaviours} == case["behaviours"]


@pytest.mark.parametrize("name", list(CASES))
def test_what_next_worst_first(name: str) -> None:
    case = CASES[name]
    packet = packet_of(case)
    assert [step.dimension.id for step in packet.next_steps] == case["open"]
    assert [c.dimension.id for c in packet.gaps] == case["open"]
    expected = [dict(zip(("dimension", "behaviour"), item.split("/"), strict=True)) for item in case["next"]]
    assert next_report(packet.next_steps) == expected
    for step in packet.next_steps:
        assert step.reason == step.coverage.reason and step.status is step.coverage.status


@pytest.mark.parametrize("name", list(CASES))
def test_every_status_says_why_in_one_sentence(name: str) -> None:
    found = coverage(CASES[name])
    for sentence in (found.reason, found.finding):
        assert sentence.endswith(".") and sentence.count(". ") == 0, sentence
    assert "would" not in found.finding and "more" not in found.finding  # what is, not what to do


def test_the_author_is_told_what_is_missing() -> None:
    one_fortnight = coverage(CASES["three strong entries in one fortnight"])
    assert "all in one quarter (2026 Q2)" in one_fortnight.reason
    assert "consistent" in one_fortnight.reason
    claimed = coverage(CASES["three claimed entries over two quarters"])
    assert claimed.reason.startswith("0 entries at Lead Engineer level or above with a figure or a named")
    assert "3 more would make it demonstrated" in claimed.reason
    narrow = coverage(CASES["named behaviours, but most not shown"])
    assert narrow.reason.endswith("not yet: Keeps releases boring.")
    assert narrow.checklist[0].behaviour.id == "delivery.lead.2"  # worst first


def test_the_monthly_review_names_the_behaviours_that_moved() -> None:
    from promo_packet.reports.review import monthly_review

    ladder, _ = load_rubric(TESTS / "golden" / "rubric" / "ladder.yml", TESTS)
    assert ladder is not None
    case = CASES["the same three over two quarters"]
    entries = [entry(i, written) for i, written in enumerate(case["entries"])]
    review = monthly_review(ladder, entries, PacketSettings(target_level="lead"), (2026, 5),
                            dt.date(2026, 6, 1))
    delivery = next(t for t in review.trends if t.dimension.id == "delivery")
    assert [(b.id, then.value, now.value) for b, then, now in delivery.moved] == [
        ("plans-a-quarter", "shown", "shown consistently"), ("delivery.lead.2", "not yet", "shown")]


def test_the_author_gets_the_checklist_and_the_sponsor_the_behaviours_shown(tmp_path: Path) -> None:
    from conftest import build_site, make_packet

    root = make_packet(tmp_path)
    entry_file = root / "evidence" / "2026" / "2026-01-10-batch-speedup.md"
    written = entry_file.read_text()
    entry_file.write_text(written.replace("dimensions:", "shows: [scope.staff.1]\ndimensions:", 1))
    pages = {}
    for audience in ("self", "sponsor"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PROMO_AUDIENCE", audience)
            site = build_site(root, tmp_path / audience)
        page = (site / "dimensions" / "scope" / "index.html").read_text()
        pages[audience] = page[page.index("<article"):page.index("</article>")]
    assert all("Behaviours at Staff Engineer" in page for page in pages.values())
    assert "not yet</strong>: Finds the problems that cost the most." in pages["self"]  # the to-do, first
    assert pages["self"].index("not yet</strong>") < pages["self"].index("shown consistently</strong>")
    assert "not yet" not in pages["sponsor"]  # what is shown, not what to do
    assert "Owns outcomes across several teams." in pages["sponsor"]
    assert 'href="../../evidence/2026-01-10-batch-speedup/"' in pages["sponsor"]
