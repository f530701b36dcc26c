"""`promo import csv`: Jira's and Linear's exports, or a mapped CSV -> drafts of done tickets only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import make_packet, run, unlabelled
from promo_packet.importers.exports import export_day

JIRA = """Summary,Issue key,Issue id,Issue Type,Status,Resolution,Resolved,Description
Speed up the nightly export,OPS-12,10012,Story,Done,Done,02/May/26 2:03 PM,"Two lines,
with a comma"
Write the on-call guide,OPS-13,10013,Task,In Progress,Unresolved,,
Drop the legacy queue,OPS-14,10014,Task,Closed,Won't Do,03/May/26 9:00 AM,
Rotate the signing keys,OPS-15,10015,Task,Done,,2026-05-04 08:30,
"""
LINEAR = """ID,Team,Title,Status,Completed,URL
ENG-7,Platform,Shard the search index,Done,2026-04-20T16:05:00.000Z,https://linear.app/acme/issue/ENG-7
ENG-8,Platform,Try a new cache,Canceled,,https://linear.app/acme/issue/ENG-8
ENG-9,Platform,Trim the image build,Todo,,https://linear.app/acme/issue/ENG-9
"""


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return make_packet(tmp_path)


def drafts_of(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "evidence" / "drafts").glob("*.md"))}


def test_jira_preset_keeps_resolved_rows_only(packet: Path) -> None:
    (packet / "jira.csv").write_text(JIRA)
    code, _, err = run("import", "csv", "jira.csv", "--preset", "jira", cwd=packet)
    assert code == 0, err
    assert "promo import csv: 2 drafts written, 0 already known, 2 rows not done" in err
    written = drafts_of(packet)
    assert list(written) == ["2026-05-02-speed-up-the-nightly-export.md",
                             "2026-05-04-rotate-the-signing-keys.md"]
    first = written["2026-05-02-speed-up-the-nightly-export.md"]
    assert "source: OPS-12" in first and "Issue Type: Story" in first
    assert "links:" not in first  # no URL in the export: the key is the source
    assert "0 drafts written, 2 already known" in run("import", "csv", "jira.csv", "--preset", "jira",
                                                      cwd=packet)[2]


def test_linear_preset_uses_the_url_as_source_and_link(packet: Path) -> None:
    (packet / "linear.csv").write_text(LINEAR)
    code, _, err = run("import", "csv", "linear.csv", "--preset", "linear", cwd=packet)
    assert code == 0, err
    assert "1 draft written, 0 already known, 2 rows not done" in err
    (text,) = drafts_of(packet).values()
    assert "date: 2026-04-20" in text and "source: https://linear.app/acme/issue/ENG-7" in text
    assert "- {title: ENG-7, url: https://linear.app/acme/issue/ENG-7}" in text
    assert "Team: Platform" in text


def test_map_reads_any_csv_and_overrides_a_preset(packet: Path) -> None:
    (packet / "tickets.csv").write_text("Name,Finished,Ref,State\nMove the docs,2026-05-01 14:03,T-1,done\n"
                                        "Plan the offsite,,T-2,open\n")
    code, _, err = run("import", "csv", "tickets.csv", "--map",
                       "title=Name,date=Finished,source=Ref,status=State", cwd=packet)
    assert code == 0, err
    assert "1 draft written, 0 already known, 1 row not done" in err
    (packet / "jira.csv").write_text(JIRA.replace("Resolved,", "Resolution date,", 1))
    code, _, err = run("import", "csv", "jira.csv", "--preset", "jira", "--map", "date=Resolution date",
                       cwd=packet)
    assert code == 0 and "2 drafts written" in err


def test_map_or_preset_is_needed(packet: Path) -> None:
    (packet / "t.csv").write_text("a,b\n")
    assert run("import", "csv", "t.csv", "--map", "title=a", cwd=packet)[0] == 2
    code, _, err = run("import", "csv", "t.csv", "--map", "colour=a", cwd=packet)
    assert code == 2 and "ROLE one of title" in err


@pytest.mark.parametrize(("text", "expected"), [
    ("Title,Issue key,Resolution,Resolved\nA,K-1,Done,2026-05-01\n",
     ["jira.csv:1: no 'Summary' column for the title; the header has: Title, Issue key, Resolution, "
      "Resolved; name it with --map title=COLUMN"]),
    ("Summary,Issue key,Resolution,Resolved\n"
     "Fine,K-1,Done,2026-05-01\n"
     ",K-2,Done,2026-05-02\n"
     "Undated,K-3,Fixed,\n"
     "Open,K-4,Unresolved,\n"
     "Someday,K-5,Done,last spring\n"
     + "".join(f"Row {n},K-{n},Done,2026-05-01\n" for n in range(7, 11))
     + "Feb,K-11,Done,30/Feb/26 1:00 PM\n",
     ["jira.csv:3: Summary: is empty in a done row",
      "jira.csv:4: Resolved: is empty in a done row",
      "jira.csv:6: Resolved: expected a date such as 2026-05-01, 2026-05-01 14:03, "
      "2026-05-01T14:03:00Z or 01/May/26 2:03 PM, got 'last spring'",
      "jira.csv:11: Resolved: expected a date such as 2026-05-01, 2026-05-01 14:03, "
      "2026-05-01T14:03:00Z or 01/May/26 2:03 PM, got '30/Feb/26 1:00 PM'"]),
])
def test_malformed_rows_report_every_problem_and_write_nothing(packet: Path, text: str,
                                                                expected: list[str]) -> None:
    (packet / "jira.csv").write_text(text)
    code, _, err = run("import", "csv", "jira.csv", "--preset", "jira", cwd=packet)
    assert code == 1
    assert unlabelled(err).splitlines()[:-1] == expected
    assert not (packet / "evidence" / "drafts").exists()


@pytest.mark.parametrize(("text", "day"), [
    ("2026-05-01", dt.date(2026, 5, 1)), ("2026-05-01 14:03", dt.date(2026, 5, 1)),
    ("2026-05-01T23:59:59.123Z", dt.date(2026, 5, 1)), ("2026-05-01T10:00:00+02:00", dt.date(2026, 5, 1)),
    ("01/May/26 2:03 AM", dt.date(2026, 5, 1)), ("1/Dec/2025 11:59 PM", dt.date(2025, 12, 1)),
    ("2026-13-01", None), ("20260501", None), ("May 1", None), ("2026-05-01 25:00", None),
])
def test_export_dates(text: str, day: dt.date | None) -> None:
    assert export_day(text)[0] == day
