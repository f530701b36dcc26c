"""``promo calendar``: the plan's dates as an RFC 5545 file, read back with a small parser."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import REPO, run
from promo_packet.cli import main
from promo_packet.model.packet import PacketSettings
from promo_packet.reports.calendar import Event, calendar, escape, fold

TODAY = "2026-10-20"


def unfold(data: bytes) -> list[str]:
    """The content lines (RFC 5545 3.1): CRLF-separated, a line starting with a space continues
    the one before; every physical line is at most 75 octets."""
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    physical = data[:-2].split(b"\r\n")
    assert all(len(line) <= 75 for line in physical), [line for line in physical if len(line) > 75]
    logical: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def events(data: bytes) -> list[dict[str, str]]:
    """Each VEVENT as {property name (parameters dropped): unescaped value}."""
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            current[name.split(";")[0]] = unescape(value)
    assert current is None
    return found


def calendar_of(tmp_path: Path, name: str) -> bytes:
    target = tmp_path / name
    code, out, err = run("calendar", "-f", str(REPO / "mkdocs.yml"), "-o", str(target), "--today", TODAY)
    assert code == 0, err
    assert out == f"promo calendar: 13 events -> {target}\n"
    return target.read_bytes()


def test_the_plans_checkins_monthly_reviews_and_review_date(tmp_path: Path) -> None:
    found = events(calendar_of(tmp_path, "plan.ics"))
    by_kind: dict[str, list[str]] = {}
    for event in found:
        by_kind.setdefault(event["CATEGORIES"], []).append(event["DTSTART"])
        assert event["DTSTAMP"] == "20261020T000000Z"
        assert event["DTEND"] > event["DTSTART"]
    # Every 30 days from the last check-in (2026-10-06); one on a weekend moves to the Monday.
    assert by_kind["checkin"] == ["20261105", "20261207", "20270104", "20270203", "20270305", "20270405"]
    # The first weekday of each month: 1 Jan 2027 is a Friday, 1 Nov 2026 a Sunday.
    assert by_kind["monthly-review"] == ["20261102", "20261201", "20270101", "20270201", "20270301",
                                         "20270401"]
    assert by_kind["review"] == ["20270315"]
    checkin = next(e for e in found if e["CATEGORIES"] == "checkin")
    assert checkin["SUMMARY"] == "Promotion check-in with Marcus Webb"
    review = next(e for e in found if e["CATEGORIES"] == "review")
    assert review["SUMMARY"] == "Promotion review (H1 2027 calibration)"
    assert [e["DTSTART"] for e in found] == sorted(e["DTSTART"] for e in found)


def test_uids_are_stable_and_unique_so_importing_twice_does_not_duplicate(tmp_path: Path) -> None:
    first, second = calendar_of(tmp_path, "a.ics"), calendar_of(tmp_path, "b.ics")
    assert first == second
    uids = [e["UID"] for e in events(first)]
    assert len(set(uids)) == len(uids) == 13


def test_text_is_escaped_and_long_lines_folded_whole_characters() -> None:
    settings = PacketSettings(person="Zoë; the \\ one, again")
    event = Event("review", dt.date(2027, 3, 15), "Review, round 2; panel\nwith notes \\ all",
                  "é" * 100)
    data = calendar([event], settings, dt.date(2026, 10, 20))
    (found,) = events(data)
    assert found["SUMMARY"] == "Review, round 2; panel\nwith notes \\ all"
    assert found["DESCRIPTION"] == "é" * 100
    assert "X-WR-CALNAME:Promotion plan: Zoë\\; the \\\\ one\\, again" in unfold(data)
    assert escape("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 100)
    # 12 octets + 31 é; a space + 37 é; a space + the last 32 é.
    assert [len(piece) for piece in folded.split(b"\r\n")] == [74, 75, 65]
    folded.decode("utf-8")  # no character split across pieces


def test_to_stdout(tmp_path: Path) -> None:
    args = ["calendar", "-f", str(REPO / "mkdocs.yml"), "-o", "-", "--today", TODAY]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert result.stdout_bytes == calendar_of(tmp_path, "file.ics")


BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character ``str.splitlines`` breaks a line at: some reader splits at each of them."""
CONTROLS = "\x07\x08\x1b\x1f\x7f\x9b"


def test_control_characters_never_reach_the_file_raw(tmp_path: Path) -> None:
    root = tmp_path / "packet"
    for folder in ("evidence", "rubric", "docs", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    person = "Sam" + "".join(f"{c}x{i}" for i, c in enumerate(BREAKS + CONTROLS)) + "\tTester"
    # Another person's name breaks every signed quote's statement: the quotes go unsigned here.
    for entry in (root / "evidence").rglob("*.md"):
        entry.write_text(re.sub(r"    signature: \|\n(?:      .*\n)+", "", entry.read_text("utf-8")), "utf-8")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(config.replace("person: Priya Raman", f"person: {json.dumps(person)}"))
    (root / "plan.yml").write_text((REPO / "plan.yml").read_text("utf-8").replace(
        "- name: Marcus Webb", '- name: "Marcus\\vW\\x1ce\\u2028bb"'))
    target = tmp_path / "plan.ics"
    code, _, err = run("calendar", "-f", str(root / "mkdocs.yml"), "-o", str(target), "--today", TODAY)
    assert code == 0, err
    data = target.read_bytes()
    text = data.decode("utf-8")
    # Split at every Unicode line break, a reader sees the very lines CRLF gives.
    assert text.splitlines() == text.split("\r\n")[:-1]
    assert not set(text) & set(BREAKS.replace("\r", "").replace("\n", "") + CONTROLS)
    name = next(line for line in unfold(data) if line.startswith("X-WR-CALNAME:"))
    shown = unescape(name.partition(":")[2])
    assert shown.startswith("Promotion plan: Sam\nx0\nx1\nx2\nx3\nx4\nx5\nx6\nx7\nx8\nx9")
    assert shown.endswith("\ufffdx10\ufffdx11\ufffdx12\ufffdx13\ufffdx14\ufffdx15\tTester")
    checkin = next(e for e in events(data) if e["CATEGORIES"] == "checkin")
    assert checkin["SUMMARY"] == "Promotion check-in with Marcus\nW\ne\nbb"


def test_escape_replaces_every_control_character() -> None:
    assert escape("a\x0bb\x0cc\x1cd\u2028e\r\nf") == "a\\nb\\nc\\nd\\ne\\nf"
    assert escape("tab\tstays, NUL\x00 and DEL\x7f do not") == "tab\tstays\\, NUL\ufffd and DEL\ufffd do not"
