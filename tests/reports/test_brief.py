"""``promo brief``: the wins since a day and what is still thin, as Markdown and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, make_packet, packet_with, run

CONFIG = str(REPO / "mkdocs.yml")


def test_since_the_last_checkin_by_default() -> None:
    code, out, err = run("brief", "-f", CONFIG, "--today", "2026-11-01")
    assert code == 0, err
    assert out == (
        "## Update since the last check-in (6 Oct 2026)\n\n**Wins**\n\n"
        "- **Found two payment bottlenecks before peak season with a 3x load test** (15 Oct 2026): A load "
        "test at three times last year's peak found two bottlenecks, and after the fixes p99 authorisation "
        "latency at that load dropped from 2.8 s to 380 ms.\n"
        "  - Shows: Sets the quality and operations bar for a domain, e.g. SLOs, incident follow-through "
        "and release practice.\n\n"
        "**Still thin at Staff Engineer**\n\n"
        "- **Growing others** (thin): next to show: Grows engineers into senior and tech-lead roles, with "
        "visible changes in what they own.\n")
    again = run("brief", "-f", CONFIG, "--today", "2026-11-01", "--since", "last-checkin")
    assert again == (0, out, "")


def test_json_since_a_day() -> None:
    code, out, err = run("brief", "-f", CONFIG, "--today", "2026-11-01", "--since", "2026-09-01",
                         "--format", "json")
    assert code == 0, err
    brief = json.loads(out)
    assert (brief["since"], brief["basis"], brief["until"]) == ("2026-09-01", "date", "2026-11-01")
    assert [w["date"] for w in brief["wins"]] == ["2026-09-03", "2026-09-24", "2026-10-15"]
    first = brief["wins"][0]
    assert first["title"] == "Wrote the deprecation policy for internal payment APIs"
    assert first["outcome"].startswith("Old payment API versions")
    assert [b["id"] for b in first["behaviours"]] == ["retires-systems", "standards-others-adopt"]
    assert first["behaviours"][0]["text"] == ("Knows when a system should be retired and leads the case "
                                              "for doing so.")
    assert brief["thin"] == [{
        "dimension": "mentorship", "name": "Growing others", "status": "thin",
        "next_behaviour": {"id": "grows-senior-engineers", "text": (
            "Grows engineers into senior and tech-lead roles, with visible changes in what they own.")}}]


def test_without_a_plan_thirty_days_and_every_open_dimension(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    code, out, err = run("brief", "-f", str(root / "mkdocs.yml"), "--today", "2026-06-20")
    assert code == 0, err
    assert out.startswith("## Update since 30 days ago (21 May 2026)\n\n**Wins**\n\n- **")
    assert "**Still thin at " in out
    code, _, err = run("brief", "-f", str(root / "mkdocs.yml"), "--since", "last-checkin")
    assert code == 2 and "the plan has no check-in yet" in err


def test_titles_are_escaped_for_markdown(tmp_path: Path) -> None:
    root = packet_with(tmp_path, {"evidence/2026/2026-06-10-stars.md": (
        "---\ntitle: \"Cut *all* the [flaky] tests_now\"\ndate: 2026-06-10\ndimensions: [scope]\n"
        "level: staff\noutcome: \"CI went from 40 min to 12 min\"\n---\n")})
    code, out, err = run("brief", "-f", str(root / "mkdocs.yml"), "--today", "2026-06-20")
    assert code == 0, err
    title = "Cut \\*all\\* the \\[flaky\\] tests\\_now"
    assert f"- **{title}** (10 Jun 2026): CI went from 40 min to 12 min\n" in out


def test_a_wrong_since_is_told() -> None:
    code, _, err = run("brief", "-f", CONFIG, "--since", "last spring")
    assert code == 2 and "expected YYYY-MM-DD, got 'last spring'" in err
