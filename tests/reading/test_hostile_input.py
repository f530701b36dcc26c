"""Hostile and malformed input: every bad value is a located problem, never a traceback or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import TESTS, build_site, make_packet, packet_with, set_options, unlabelled
from promo_packet.cli import main
from promo_packet.reading.located_yaml import parse_yaml
from promo_packet.reading.urls import safe_url, url_problem

TODAY = "2026-06-30"

SAFE_URLS = ["https://example.com/a?b=1&copy=2#c", "http://intranet/x", "mailto:dana@example.com",
             "notes.md", "../design/", "#results", "/about/", "  https://example.com  "]
UNSAFE_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
               "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
               "javascript&#58;alert(1)", "&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)",
               "javascript&colon;alert(1)", "java&#x09;script:alert(1)", "data:text/html,<script>x</script>",
               "vbscript:msgbox(1)", "file:///etc/passwd", "blob:https://x/1", "not a url at all",
               "https://example.com/a b", "//evil.example", "/\\evil.example", "https:evil", "https://",
               "mailto:", "C:\\Users\\x", "x:y/z", "https://example.com/\u202egnp.exe", ""]


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_urls_pass_stripped(url: str) -> None:
    assert safe_url(url) == url.strip()
    assert url_problem(url) is None


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_urls_are_refused_with_a_reason(url: str) -> None:
    assert safe_url(url) is None
    assert url_problem(url)


def entry(fields: str) -> str:
    return f"---\ntitle: A win\ndate: 2026-02-01\ndimensions: [scope]\n{fields}\n---\nWhat happened.\n"


def check(root: Path, *args: str) -> Result:
    """``promo check`` in this process; asserts it ended as a command should, not with a traceback."""
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["check", "--today", TODAY, *args, "-f", str(root / "mkdocs.yml")])
    assert time.perf_counter() - started < 10
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def fails_with(root: Path, *expected: str) -> str:
    result = check(root)
    assert result.exit_code == 1, result.stderr
    stderr = unlabelled(result.stderr)
    for line in expected:
        assert line in stderr
    return stderr


EVIDENCE = "evidence/2026-02-01-win.md"
TAG_HINT = "remove the tag: write plain text, numbers, dates, lists and mappings"


def in_entry(ident: str, fields: str, expected: str) -> object:
    return pytest.param(EVIDENCE, entry(fields), f"{EVIDENCE}:5: {expected}", id=ident)


BAD_YAML = [
    in_entry("python-tag", "outcome: !!python/object/apply:os.system [echo hi]",
             f"outcome: the tag !!python/object/apply:os.system is not supported; {TAG_HINT}"),
    in_entry("local-tag", "outcome: !foo bar",
             f"outcome: the tag !foo is not supported; {TAG_HINT} (quote a value meant as text)"),
    in_entry("bool-maybe", "highlight: !!bool maybe", "highlight: 'maybe' is not a yes/no value "
             "(it is tagged !!bool); remove the tag, or quote the value"),
    in_entry("int-empty", 'outcome: !!int ""', "outcome: '' is not a whole number"),
    in_entry("timestamp-soon", "tags: [!!timestamp soon]", "tags[0]: 'soon' is not a date"),
    in_entry("binary", "outcome: !!binary aGVsbG8=", "outcome: the tag !!binary is not supported"),
    in_entry("set", "tags: !!set {a, b}", "tags: the tag !!set is not supported"),
    in_entry("merge-number", "<<: 5", "<<: can only merge a mapping or a list of mappings; "
             "write '<<: *name' where the anchor &name is on a mapping"),
    in_entry("recursive-alias", "tags: &a [*a]", "tags[0]: refers to itself through an alias (*name)"),
    in_entry("deep-brackets", "tags: " + "[" * 900 + "]" * 900,
             "tags: nested more than 64 lists or mappings deep; flatten the structure"),
    pytest.param("rubric/ladder.yml", "name: x\nlevels: &l [*l]\ndimensions: []\n",
                 "rubric/ladder.yml:2: levels[0]: refers to itself through an alias", id="rubric-recursive"),
    pytest.param("rubric/ladder.yml", "name: !!python/name:os.system\nlevels: []\ndimensions: []\n",
                 "rubric/ladder.yml:1: name: the tag !!python/name:os.system is not supported",
                 id="rubric-python-name"),
    pytest.param("plan.yml", "checkin_days: !!int ''\n", "plan.yml:1: checkin_days: '' is not a whole number",
                 id="plan-int-empty"),
    pytest.param("plan.yml", "checkins:\n  - {<<: [1, 2], date: 2026-01-01}\n",
                 "plan.yml:2: checkins[0].<<: can only merge a mapping or a list of mappings",
                 id="plan-merge-list"),
]


def alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghijkl", "bcdefghijklm"[: levels - 1], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "text", "expected"), BAD_YAML)
def test_yaml_that_cannot_be_read_plainly_is_a_located_problem(
        tmp_path: Path, name: str, text: str, expected: str) -> None:
    fails_with(packet_with(tmp_path, {name: text}), expected)


def test_an_alias_bomb_is_refused_quickly_in_little_memory() -> None:
    bomb = alias_bomb()
    assert len(bomb) < 500
    tracemalloc.start()
    started = time.perf_counter()
    doc, problems = parse_yaml(bomb, "bomb.yml")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert doc is None
    assert [str(p) for p in problems] == [
        "bomb.yml:6: f: expands to more than 100,000 values through its aliases (*name); "
        "write the values out, or refer to an anchor fewer times"]
    assert elapsed < 0.5 and peak < 5_000_000


def test_an_alias_bomb_in_front_matter_fails_the_check_and_the_build(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    bomb = alias_bomb(12).replace("\n", "\n  ").replace("a: &a", "  a: &a", 1)
    root = packet_with(tmp_path, {EVIDENCE: entry(f"extra:\n{bomb}")})
    message = f"{EVIDENCE}:11: extra.f: expands to more than 100,000 values"
    fails_with(root, message)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    assert message in unlabelled(caplog.text)


def test_shared_values_and_merges_still_read(tmp_path: Path) -> None:
    doc, problems = parse_yaml("base: &b {name: x, role: y}\nitems: [*b, *b]\nown: {<<: *b, name: z}\n", "f")
    assert problems == [] and doc is not None
    assert doc.data == {"base": {"name": "x", "role": "y"}, "items": [{"name": "x", "role": "y"}] * 2,
                        "own": {"name": "z", "role": "y"}}


def dated(day: str, more: str = "") -> str:
    return f"---\ntitle: A win\ndate: {day}\ndimensions: [scope]\n{more}---\nWhat happened.\n"


DAY_HINT = "e.g. 2026-03-14"
BAD_DATES = [
    pytest.param(EVIDENCE, dated("2026-W05-3"),
                 f"{EVIDENCE}:3: date: expected YYYY-MM-DD, got '2026-W05-3'; {DAY_HINT}", id="iso-week"),
    pytest.param(EVIDENCE, dated("'20260101'"),
                 f"{EVIDENCE}:3: date: expected YYYY-MM-DD, got '20260101'; {DAY_HINT}", id="basic-format"),
    pytest.param(EVIDENCE, dated("20260101"),
                 f"{EVIDENCE}:3: date: expected YYYY-MM-DD, got the number 20260101; {DAY_HINT}",
                 id="bare-number"),
    pytest.param(EVIDENCE, dated("2026-01-01 10:00:00"),
                 f"{EVIDENCE}:3: date: expected a day, got the time '2026-01-01 10:00:00'; "
                 "write only the day, as YYYY-MM-DD", id="datetime"),
    pytest.param(EVIDENCE, dated("1969-12-31"), f"{EVIDENCE}:3: date: 1969-12-31 is out of range; "
                 "write a date between 1970-01-01 and 2199-12-31", id="too-early"),
    pytest.param(EVIDENCE, dated("2026-02-01", "corroboration: [{quote: Yes, date: '2026-W05-3'}]\n"),
                 f"{EVIDENCE}:5: corroboration[0].date: expected YYYY-MM-DD, got '2026-W05-3'",
                 id="corroboration"),
    pytest.param("plan.yml", "checkins:\n  - date: 9999-12-31\n",
                 "plan.yml:2: checkins[0].date: 9999-12-31 is out of range", id="checkin-9999"),
    pytest.param("plan.yml", "review_date: 20270101\n",
                 "plan.yml:1: review_date: expected YYYY-MM-DD, got the number 20270101", id="plan-number"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_DATES)
def test_dates_are_yyyy_mm_dd_within_range(tmp_path: Path, name: str, text: str, expected: str) -> None:
    fails_with(packet_with(tmp_path, {name: text}), expected)


BAD_NUMBERS = [
    pytest.param("plan.yml", "checkin_days: 999999999999\n",
                 "plan.yml:1: checkin_days: expected a whole number of days from 1 to 366, "
                 "got the number 999999999999; e.g. 30", id="checkin-days-huge"),
    pytest.param("plan.yml", "checkin_days: .inf\n",
                 "plan.yml:1: checkin_days: expected a whole number of days from 1 to 366, "
                 "got the number inf",
                 id="checkin-days-inf"),
    pytest.param("plan.yml", "criteria:\n  - {id: c, demonstrate: x, outcomes: 5}\n",
                 "plan.yml:2: criteria[0].outcomes: expected a list, got the number 5", id="outcomes-number"),
    pytest.param("mkdocs.yml", "stale_weeks: 99999999999",
                 "mkdocs.yml:15: promo-packet.stale_weeks: must be from 1 to 520, got 99999999999",
                 id="stale-weeks"),
    pytest.param("mkdocs.yml", "demonstrated_at: 0",
                 "mkdocs.yml:15: promo-packet.demonstrated_at: must be from 1 to 100, got 0",
                 id="demonstrated-at"),
    pytest.param("mkdocs.yml", "page_budget: -1",
                 "mkdocs.yml:15: promo-packet.page_budget: must be from 1 to 1000, got -1", id="page-budget"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_NUMBERS)
def test_numbers_are_range_checked(tmp_path: Path, name: str, text: str, expected: str) -> None:
    root = make_packet(tmp_path)
    if name == "mkdocs.yml":
        set_options(root, text)
    else:
        (root / name).write_text(text)
    fails_with(root, expected)


def test_stale_weeks_out_of_range_aborts_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = set_options(make_packet(tmp_path), "stale_weeks: 99999999999")
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    message = "mkdocs.yml:15: promo-packet.stale_weeks: must be from 1 to 520, got 99999999999"
    assert message in unlabelled(caplog.text)


EPOCH_PROBLEM = ("SOURCE_DATE_EPOCH: expected a whole number of seconds, got 'abc'; set it to a time in "
                 "seconds since 1970-01-01 UTC (git log -1 --format=%ct), or unset it")


@pytest.mark.parametrize("command", [["check"], ["review"], ["gaps"], ["pdf", "-o", "x.pdf"],
                                     ["checkin"], ["new", "A win", "-d", "scope"]])
def test_an_unusable_source_date_epoch_is_reported_by_every_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    root = make_packet(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    monkeypatch.setenv("PROMO_PDF", "0")
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert EPOCH_PROBLEM in unlabelled(result.stderr)
    # `new` reads no settings and writes the day it is given, or today: it only warns.
    assert result.exit_code == (0 if command[0] == "new" else 1)


@pytest.mark.parametrize("epoch", ["abc", "-1", "99999999999999999999999", "4354819200"])
def test_an_unusable_source_date_epoch_aborts_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        epoch: str) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(Abort):
        build_site(make_packet(tmp_path), tmp_path / "site")
    assert "SOURCE_DATE_EPOCH: " in caplog.text


def test_source_date_epoch_ends_where_gzip_time_ends() -> None:
    from promo_packet.model.packet import epoch_problem, today

    last = "4291747199"  # 2105-12-31 23:59:59 UTC; gzip's 32 bits of seconds end in February 2106
    assert epoch_problem({"SOURCE_DATE_EPOCH": last}) is None
    assert today({"SOURCE_DATE_EPOCH": last}).isoformat() == "2105-12-31"
    problem = epoch_problem({"SOURCE_DATE_EPOCH": str(int(last) + 1)})
    assert problem is not None and problem.message == "4291747200 is after 2105-12-31"


def test_links_that_are_not_http_mailto_or_relative_are_located_problems(tmp_path: Path) -> None:
    fields = ("links:\n  - javascript:alert(1)\n  - {title: Design, url: ' JaVaScRiPt:alert(1)'}\n"
              "  - data:text/html,x\n  - not a url at all\n  - {title: Doc, url: 'java&#x09;script:x'}\n"
              "  - https://example.com/ok\n  - notes/design.md\n"
              "corroboration:\n  - {quote: Good, link: 'vbscript:msgbox(1)'}\n"
              "  - {quote: Fine, link: 'mailto:a@b.c'}\n")
    root = packet_with(tmp_path, {EVIDENCE: dated("2026-02-01", fields)})
    hint = "use an http://, https:// or mailto: URL, or a path relative to this site"
    stderr = fails_with(
        root,
        f"{EVIDENCE}:6: links[0]: 'javascript:alert(1)': javascript: links are not allowed; {hint}",
        f"{EVIDENCE}:7: links[1].url: 'JaVaScRiPt:alert(1)': javascript: links are not allowed; {hint}",
        f"{EVIDENCE}:8: links[2]: 'data:text/html,x': data: links are not allowed; {hint}",
        f"{EVIDENCE}:9: links[3]: 'not a url at all' is not a URL: it contains a space; {hint}",
        f"{EVIDENCE}:10: links[4].url: 'java&#x09;script:x' is not a URL",
        f"{EVIDENCE}:14: corroboration[0].link: 'vbscript:msgbox(1)': vbscript: links are not allowed",
    )
    assert stderr.count(EVIDENCE) == 6


def check_in_a_process(root: Path) -> subprocess.CompletedProcess[str]:
    """``promo check`` in a child process, so that a read that blocks fails the test instead of hanging it."""
    code = "from promo_packet.cli import main; main()"
    args = ["check", "--today", TODAY, "-f", str(root / "mkdocs.yml")]
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=30,
                          check=False)


OUTSIDE_CANARY = "CANARY-OUTSIDE-zz9"


def outside_entry(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(dated("2026-02-01").replace("A win", OUTSIDE_CANARY))
    return outside


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_files_and_links_in_the_evidence_folder_are_reported_and_skipped(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    evidence = root / "evidence"
    outside = outside_entry(tmp_path)
    (evidence / "gone.md").symlink_to(tmp_path / "nowhere.md")
    os.mkfifo(evidence / "pipe.md")
    os.mkfifo(evidence / "notes.txt")
    (evidence / "leak.md").symlink_to(outside / "secret.md")
    (evidence / "elsewhere").symlink_to(outside, target_is_directory=True)
    result = check_in_a_process(root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    lines = unlabelled(result.stderr).splitlines()
    assert [line for line in lines if not line.startswith("promo check:")] == [
        "evidence/elsewhere: not read: a symbolic link to outside the packet's folder; "
        "copy what it points to into the packet if it belongs in it",
        f"evidence/gone.md: a symbolic link to '{tmp_path / 'nowhere.md'}', which does not exist; "
        "remove the link, or restore what it points to",
        "evidence/leak.md: not read: a symbolic link to outside the packet's folder; "
        "copy what it points to into the packet if it belongs in it",
        "evidence/pipe.md: not read: a named pipe (FIFO), not a regular file; "
        "move it out of the packet's folders",
    ]
    assert "notes.txt" in result.stderr.splitlines()[-1]  # a note, among the files ignored


def test_a_link_leaving_the_packet_is_never_published(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path)
    (root / "evidence" / "leak.md").symlink_to(outside_entry(tmp_path) / "secret.md")
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    message = "evidence/leak.md: not read: a symbolic link to outside the packet's folder"
    assert message in unlabelled(caplog.text)
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert not any(OUTSIDE_CANARY.encode() in p.read_bytes() for p in published)


def test_linked_folders_inside_the_packet_are_read_once(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    before = check(root).stderr.splitlines()[-1]
    shared = root / "shared-evidence"
    shared.mkdir()
    (shared / "2026-02-01-linked.md").write_text(dated("2026-02-01").replace("A win", "Linked win"))
    (root / "evidence" / "linked").symlink_to(shared, target_is_directory=True)
    (root / "evidence" / "loop").symlink_to(root / "evidence", target_is_directory=True)
    result = check(root)
    assert result.exit_code == 0, result.stderr
    count = int(before.split()[2])
    assert result.stderr.splitlines()[-1].startswith(f"promo check: {count + 1} evidence files")
    site = build_site(root, tmp_path / "site")
    assert "Linked win" in (site / "evidence" / "2026-02-01-linked" / "index.html").read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_files_and_links_in_the_rubric_folder_are_reported(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    rubric = root / "rubric"
    (rubric / "ladder.yml").unlink()
    os.mkfifo(rubric / "ladder.yml")
    (rubric / "old.yaml").symlink_to(tmp_path / "nowhere.yml")
    result = check_in_a_process(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("rubric/ladder.yml: not read: a named pipe (FIFO), not a regular file; "
            "move it out of the packet's folders") in unlabelled(result.stderr)
    dangling = f"rubric/old.yaml: a symbolic link to '{tmp_path / 'nowhere.yml'}', which does not exist"
    assert dangling in unlabelled(result.stderr)
    (rubric / "ladder.yml").unlink()
    (rubric / "old.yaml").unlink()
    outside = tmp_path / "outside-ladder.yml"
    outside.write_text((TESTS / "fixtures" / "packet" / "rubric" / "ladder.yml").read_text())
    (rubric / "ladder.yml").symlink_to(outside)
    fails_with(root, "rubric/ladder.yml: not read: a symbolic link to outside the packet's folder")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_plan_that_is_a_pipe_or_leaves_the_packet_is_reported(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    os.mkfifo(root / "plan.yml")
    result = check_in_a_process(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "plan.yml: not read: a named pipe (FIFO), not a regular file" in unlabelled(result.stderr)
    (root / "plan.yml").unlink()
    outside = tmp_path / "plan.yml"
    outside.write_text("checkin_days: 30\n")
    (root / "plan.yml").symlink_to(outside)
    fails_with(root, "plan.yml: not read: a symbolic link to outside the packet's folder")


BAD_OPTIONS = [
    pytest.param('evidence_dir: "a\\0b"',
                 "mkdocs.yml:15: promo-packet.evidence_dir: holds a NUL character (\\0); remove it",
                 id="nul-in-a-path"),
    pytest.param("person: !!bool maybe",
                 "mkdocs.yml: cannot read a value (KeyError: 'maybe'); "
                 "remove explicit tags (!!bool, !!int, ...) from values not of that type", id="bool-maybe"),
]


@pytest.mark.parametrize(("option", "expected"), BAD_OPTIONS)
def test_options_promo_cannot_use_are_reported(tmp_path: Path, option: str, expected: str) -> None:
    fails_with(set_options(make_packet(tmp_path), option), expected)


@pytest.mark.parametrize(("args", "expected"), [
    (["checkin", "--date", "9999-12-31"],
     "'--date': 9999-12-31 is out of range; write a date between 1970-01-01 and 2199-12-31"),
    (["new", "A win", "--date", "2026-W05-3"],
     "Invalid value for '--date': expected YYYY-MM-DD, got '2026-W05-3'"),
    (["check", "--today", "20260101"], "Invalid value for '--today': expected YYYY-MM-DD, got '20260101'"),
    (["review", "--month", "99999999999999999999-1"],
     "Invalid value for '--month': expected YYYY-MM, got '99999999999999999999-1'"),
    (["review", "--month", "9999-12"], "Invalid value for '--month': 9999-12 is out of range"),
], ids=["checkin-9999", "new-week-date", "today-basic", "month-huge", "month-9999"])
def test_dates_given_to_commands_are_read_as_strictly(tmp_path: Path, args: list[str], expected: str) -> None:
    root = make_packet(tmp_path)
    plan = root / "plan.yml"
    plan.write_text("checkin_days: 30\n")
    result = CliRunner().invoke(main, [*args, "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert expected in result.stderr
    assert plan.read_text() == "checkin_days: 30\n"


def test_huge_values_are_quoted_short_in_one_line_problems(tmp_path: Path) -> None:
    fields = f"outcome: {'9' * 5000}\nlinks: ['{'x ' * 3000}']\ncriteria: ['{'é' * 3000}']\n"
    root = packet_with(tmp_path, {EVIDENCE: dated("'" + "9" * 3000 + "'", fields)})
    stderr = fails_with(
        root,
        f"{EVIDENCE}:3: date: expected YYYY-MM-DD, got '{'9' * 80}'...; e.g. 2026-03-14",
        f"{EVIDENCE}:5: outcome: cannot read '{'9' * 80}'... as a number; quote the value if it is meant as "
        "text",
        f"{EVIDENCE}:6: links[0]: '{'x ' * 40}'... is not a URL: it contains a space",
    )
    assert max(len(line) for line in stderr.splitlines()) < 400


def test_a_wide_merge_bomb_is_refused_before_the_work_is_done() -> None:
    base = "b: &b {" + ", ".join(f"k{i}: {i}" for i in range(10_000)) + "}\n"
    text = base + "l: [" + ", ".join("{<<: *b}" for _ in range(10_000)) + "]\n"
    # The work this process does, not the wall clock: other processes on the machine do not count.
    started = time.process_time()
    doc, problems = parse_yaml(text, "merge.yml")
    assert time.process_time() - started < 1.5
    assert doc is None
    assert [str(p)[:59] for p in problems] == ["merge.yml:2: l: expands to more than 100,000 values through"]


def test_loops_of_links_are_reported(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "a.md").symlink_to("b.md")
    (root / "evidence" / "b.md").symlink_to("a.md")
    (root / "evidence" / "round").symlink_to("round")
    (root / "plan.yml").symlink_to("plan.yml")
    loop = "a symbolic link in a loop of links: it never reaches a file; remove the link"
    stderr = fails_with(root, f"evidence/a.md: {loop}", f"evidence/b.md: {loop}", f"plan.yml: {loop}")
    assert "evidence/round" in stderr.splitlines()[-1]  # a note: ignored, not a Markdown file


def test_folders_that_cannot_be_listed_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "locked").mkdir()
    listing, scanning = Path.iterdir, os.scandir

    def refuse(path: Path) -> None:
        if Path(path).name in ("rubric", "locked"):
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", lambda path: refuse(path) or listing(path))
    monkeypatch.setattr(os, "scandir", lambda path: refuse(path) or scanning(path))
    fails_with(root, "rubric: cannot read the folder: Permission denied",
               "evidence/locked: cannot read the folder: Permission denied")
