"""Golden cases for ``one_of`` groups: a group of alternative dimensions is one requirement,
carried by its best member (``tests/golden/status/one-of.yml``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from conftest import TESTS
from promo_packet.model.audience import Audience
from promo_packet.model.coverage import next_report, summary_sentence
from promo_packet.model.evidence import Corroboration, Evidence
from promo_packet.model.packet import Packet, PacketSettings, build_packet
from promo_packet.model.rubric import load_rubric, parse_rubric

CASES: dict[str, dict[str, Any]] = yaml.safe_load((TESTS / "golden" / "status" / "one-of.yml").read_text())
PROOF = {
    "none": {"outcome": "Made the reports calmer."},
    "figure": {"outcome": "Cut the weekly report from 4 hours to 1."},
    "named": {"outcome": "Made the reports calmer.", "corroboration": (Corroboration("Calmer.", "Kim Ops"),)},
    "both": {"outcome": "Cut the weekly report from 4 hours to 1.",
             "corroboration": (Corroboration("Calmer.", "Kim Ops"),)},
}


def packet_of(case: dict[str, Any], audience: Audience = Audience.SPONSOR) -> Packet:
    ladder, problems = load_rubric(TESTS / "golden" / "rubric" / "one-of.yml", TESTS)
    assert ladder is not None, problems
    entries = [Evidence(slug=f"e{i}", path=f"evidence/e{i}.md", title=f"Entry {i}",
                        date=dt.date.fromisoformat(str(e["date"])), dimensions=(e["dimension"],),
                        level=e.get("level", "lead"), **PROOF[e["proof"]])
               for i, e in enumerate(case["entries"])]
    packet, problems = build_packet(ladder, entries, PacketSettings(target_level="lead", audience=audience))
    assert packet is not None and not [p for p in problems if p.is_error], problems
    return packet


@pytest.mark.parametrize("name", list(CASES))
def test_a_group_takes_its_best_members_status_and_names_it(name: str) -> None:
    case = CASES[name]
    packet = packet_of(case)
    assert {c.dimension.id: c.standing for c in packet.coverage} == case["standing"]
    members = [c for c in packet.coverage if c.group is not None]
    assert {c.group.carrier.id for c in members if c.group} == {case["carrier"]}
    carrier = packet.coverage_of(case["carrier"])
    assert all(c.group and c.group.status is carrier.status for c in members)
    assert summary_sentence(packet.coverage, packet.target) == case["summary"]


@pytest.mark.parametrize("name", list(CASES))
def test_what_next_lists_a_group_once_and_never_an_alternative(name: str) -> None:
    case = CASES[name]
    packet = packet_of(case)
    assert [step.dimension.id for step in packet.next_steps] == case["open"]
    assert not any(c.alternative for c in packet.gaps)
    expected = [dict(zip(("dimension", "behaviour"), item.split("/"), strict=True)) for item in case["next"]]
    grouped = {"mastery-science", "mastery-analytics"}
    for item in expected:
        if item["dimension"] in grouped:
            item["one_of"] = "Mastery specialism"
    assert next_report(packet.next_steps) == expected


def test_each_member_says_which_one_carries_the_group() -> None:
    packet = packet_of(CASES["one specialism demonstrated, the other untouched"])
    science, analytics = packet.coverage_of("mastery-science"), packet.coverage_of("mastery-analytics")
    for audience in Audience:
        assert science.why(audience).startswith(
            "Carries Mastery specialism, where one of Mastery - Data Science or Mastery - Data Analytics "
            "is enough. ")
        assert analytics.why(audience).startswith(
            "An alternative in Mastery specialism (Mastery - Data Science or Mastery - Data Analytics), "
            "which Mastery - Data Science carries (demonstrated): not required. ")
    gap = packet_of(CASES["nothing on either specialism is one gap, listed once"])
    assert gap.next_steps[0].name == "Mastery specialism (Mastery - Data Science)"


LADDER = """\
name: Data ladder
levels: [{id: lead, title: Lead}]
dimensions:
  - {id: impact, name: Impact, expectations: {lead: Solves ambiguous problems.}}
  - {id: science, name: Data Science, expectations: {lead: Picks the right model.}}
  - {id: analytics, name: Data Analytics, expectations: {lead: Is a trusted partner.}}
"""


@pytest.mark.parametrize(("groups", "expected"), [
    ("one_of:\n  - {name: Mastery, dimensions: [science, analytic]}\n",
     ["rubric.yml:8: one_of[0].dimensions[1]: unknown dimension 'analytic'; did you mean 'analytics'? "
      "the rubric has: impact, science, analytics"]),
    ("one_of:\n  - {name: Mastery, dimensions: [science, analytics]}\n"
     "  - {name: Reach, dimensions: [impact, science]}\n",
     ["rubric.yml:9: one_of[1].dimensions[1]: 'science' is already in the group 'Mastery' (line 8); "
      "a dimension is an alternative in one group only"]),
    ("one_of:\n  - {name: Mastery, dimensions: [science]}\n",
     ["rubric.yml:8: one_of[0].dimensions: a group of one ('science'); list two alternatives or more; "
      "a dimension alone is required anyway"]),
    ("one_of:\n  - {dimensions: [science, science]}\n",
     ["rubric.yml:8: one_of[0].name: is required but missing; write a group as {name: Specialism, "
      "dimensions: [one-id, another-id]}",
      "rubric.yml:8: one_of[0].dimensions[1]: 'science' is listed twice in this group; list each "
      "dimension once",
      "rubric.yml:8: one_of[0].dimensions: a group of one ('science'); list two alternatives or more; "
      "a dimension alone is required anyway"]),
    ("one_of: Mastery\n",
     ["rubric.yml:7: one_of: expected a list, got 'Mastery'; write a group as {name: Specialism, "
      "dimensions: [one-id, another-id]}"]),
])
def test_every_misfit_of_a_group_is_a_located_problem(groups: str, expected: list[str]) -> None:
    ladder, problems = parse_rubric(LADDER + groups, "rubric.yml")
    assert ladder is None
    assert [str(p) for p in problems] == expected

