"""A committee bundle's facts with a ``one_of`` group: the alternative is marked as such and the
group counts once, so a binder shows no gap for the specialism not chosen."""

from __future__ import annotations

import datetime as dt

from conftest import TESTS
from promo_packet.hosts.export import bundle_facts
from promo_packet.model.audience import Audience
from promo_packet.model.evidence import Corroboration, Evidence
from promo_packet.model.packet import PacketSettings, build_packet
from promo_packet.model.rubric import load_rubric
from promo_packet.render.pages import Links


def test_a_committee_bundle_counts_the_group_once_and_marks_the_alternative() -> None:
    ladder, problems = load_rubric(TESTS / "golden" / "rubric" / "one-of.yml", TESTS)
    assert ladder is not None, problems
    entries = [Evidence(slug=f"e{day}", path=f"evidence/e{day}.md", title=f"Model {day}", date=day,
                        dimensions=("mastery-science",), level="lead", outcome="Cut churn from 4% to 3%.",
                        corroboration=(Corroboration("Sound.", "Kim Ops"),))
               for day in (dt.date(2026, 2, 10), dt.date(2026, 5, 6), dt.date(2026, 5, 12))]
    packet, problems = build_packet(ladder, entries,
                                    PacketSettings(target_level="lead", audience=Audience.COMMITTEE))
    assert packet is not None, problems
    facts = bundle_facts(packet, dt.date(2026, 7, 1), None, "packet.pdf", Links())
    assert [(d["id"], d["status"]) for d in facts["dimensions"]] == [
        ("impact", "gap"), ("mastery-science", "demonstrated"), ("mastery-analytics", "alternative")]
    assert facts["counts"]["dimensions"] == 2 and facts["counts"]["demonstrated"] == 1
    assert facts["dimensions"][2]["reason"].startswith("An alternative in Mastery specialism")
