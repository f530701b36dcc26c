"""Property tests of `promo import github` (gh's JSON) and `promo import csv` (ticket exports).

gh's JSON comes nested, huge, with values of odd types, odd strings and web addresses holding
spaces, quotes and ``javascript:``; ticket CSV comes with odd quoting, huge rows and dates in
other scripts' digits, read with the Jira and Linear presets and with ``--map``. Whatever the
file holds, the import writes drafts or stops with located problems, never a traceback, and
writes nothing when it stops; every draft written passes `promo check`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import make_packet
from fuzzing import answered, every_file, examples, exited, odd_text, printed_problems, within_memory

TODAY = "2026-06-30"

URLS = [
    "https://github.com/acme/shop/pull/41", "http://github.com/acme/shop/pull/41",
    "https://github.com/acme shop/pull/4 1", 'https://github.com/acme/"shop"/pull/41',
    "https://github.com/acme/shop/pull/41'><svg/onload=alert(1)>", "https://x.example/a b\"c'd",
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "https://github.com/a/b/pull/1 javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "https://", "http://", "https:// ", "https:///pull/1",
    "https://github.com/acme/shop/pull/41\n", "https://github.com/acme/shop/pull/41\x00",
    "https://github.com/\u202eacme/shop/pull/41", "HTTPS://GITHUB.COM/A/B/PULL/1", "https://[::1/x",
    "https://user:pass@github.com/a/b/pull/1", "https://github.com/a/b/pull/1#L1{: onclick=x}",
    "//github.com/a/b/pull/1", "github.com/a/b/pull/1",
]
DATES = [
    "2026-04-02T09:15:00Z", "2026-04-02", "2026-04-02 14:03", "02/Apr/26 2:03 PM", "2026-02-30T00:00:00Z",
    "2026-04-02T25:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1969-12-31", "2026-04-02\n",
    " 2026-04-02 ", "\u0662\u0660\u0662\u0666-\u0660\u0664-\u0660\u0662", "\uff12\uff10\uff12\uff16-04-02",
    "\u0968\u0966\u0968\u096c-\u0966\u096a-\u0966\u0968", "2026-04-02T09:15:00.1234567Z",
    "2026-04-02T09:15:00+14:00", "2026-04-02T09:15:00-12:00", "20260402", "last spring", "", " ",
]
"""Dates as exports write them, and not quite: other scripts' digits, out of range, not real."""


def huge(start: str, repeated: str, times: int) -> st.SearchStrategy[str]:
    """``start`` then ``repeated`` ``times`` times, made when drawn: Hypothesis shows it by its recipe."""
    return st.just(times).map(lambda n: start + repeated * n)


urls = st.one_of(st.sampled_from(URLS), huge("https://github.com/a/b/pull/", "9", 5000))

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), odd_text,
                    urls, st.sampled_from(DATES))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                            st.dictionaries(odd_text, inner, max_size=3)),
                           max_leaves=8)
pull_request = st.fixed_dictionaries({}, optional={
    "number": st.one_of(st.integers(), json_values), "title": st.one_of(odd_text, json_values),
    "url": st.one_of(urls, json_values),
    "mergedAt": st.one_of(st.sampled_from(DATES), json_values),
    "closedAt": st.sampled_from(DATES), "body": st.one_of(odd_text, st.text(max_size=2000), json_values),
    "additions": st.one_of(st.integers(), json_values), "deletions": st.integers(),
    "changedFiles": st.one_of(st.integers(), st.floats()),
    "repository": st.one_of(odd_text, st.fixed_dictionaries({"nameWithOwner": odd_text}), json_values),
})
gh_json = st.tuples(st.lists(st.one_of(pull_request, json_values), max_size=5), st.sampled_from([None, 2]),
                    st.booleans()).map(lambda args: json.dumps(args[0], indent=args[1], ensure_ascii=args[2]))
NUMBER_OF_5000_DIGITS = "9" * 5000


def check_export(name: str, text: str, *args: str) -> None:
    """``promo import ARGS name`` of ``text``: drafts that pass `promo check`, or located problems."""
    with tempfile.TemporaryDirectory() as folder:
        root = make_packet(Path(folder))
        (root / name).write_bytes(text.encode("utf-8", errors="surrogatepass"))
        before = every_file(root)
        started = time.perf_counter()
        code, _, err = answered("import", *args, cwd=root)
        assert time.perf_counter() - started < 10
        assert within_memory()
        assert exited(code) in (0, 1), err
        printed_problems(err, lambda path: path == name)
        if code == 1:
            assert every_file(root) == before and "promo: nothing was written" in err
        elif every_file(root) != before:
            code, _, err = answered("check", "--today", TODAY, cwd=root)
            assert code == 0, err


SURROGATE_IN_JSON = ('[{"title": "Fix \\ud800", "url": "https://github.com/a/b/pull/1", '
                     '"mergedAt": "2026-01-01"}]')


@examples(20, large=3000, deadline=None)
@given(st.one_of(gh_json, json_values.map(json.dumps)).filter(lambda text: "\\ud" not in text))
@example(json.dumps([{"title": "Fix it", "url": "https://github.com/a/b/pull/1", "mergedAt": "2026-01-01"}]))
def test_gh_json_gives_drafts_that_pass_check_or_located_problems(text: str) -> None:
    check_export("prs.json", text, "github", "prs.json")


@examples(5, large=300, deadline=None)
@given(gh_json.filter(lambda text: "\\ud" in text))
@example(SURROGATE_IN_JSON)
def test_escaped_surrogates_in_gh_json_give_drafts_or_located_problems(text: str) -> None:
    check_export("prs.json", text, "github", "prs.json")


@pytest.mark.parametrize("text", [
    "", " ", "null", "[]", "\ufeff[]", "[" * 500 + "]" * 500, "[" + "{}," * 3000 + "{}]",
    '[{"a": 1}] trailing', "[1,]", "[NaN, Infinity, -Infinity]", "[1e999]",
    "[" * 5000 + "]" * 5000, "[" * 100_000,
    NUMBER_OF_5000_DIGITS,
    '[{"title": "x", "url": "https://github.com/a/b/pull/1", "mergedAt": "2026-01-01", '
    '"number": ' + NUMBER_OF_5000_DIGITS + "}]",
], ids=lambda text: repr(text[:20]))
def test_odd_json_documents_give_drafts_or_located_problems(text: str) -> None:
    check_export("prs.json", text, "github", "prs.json")


DIGITS = ["\u0662\u0660\u0662\u0666-\u0660\u0665-\u0660\u0661",
          "\uff12\uff10\uff12\uff16-\uff10\uff15-\uff10\uff11", "\u096c/May/\u0968\u096c 2:03 PM",
          "02/M\u0430y/26 2:03 PM", "\U0001d7d0\U0001d7ce\U0001d7d0\U0001d7d4-05-01"]
"""Dates in other scripts' digits (Arabic-Indic, full-width, Devanagari, mathematical bold)."""
COLUMNS = {
    "jira": ["Summary", "Issue key", "Issue Type", "Status", "Resolution", "Resolved", "Issue URL"],
    "linear": ["ID", "Team", "Title", "Status", "Completed", "URL"],
    "map": ["Name", "Finished", "Ref", "State", "Lien"],
}
MAP = "title=Name,date=Finished,source=Ref,status=State,link=Lien"
VALUES = {"Status": ["Done", "Closed", "done ", "In Progress", ""], "State": ["done", "open", "DONE"],
          "Resolution": ["Done", "Fixed", "Won't Do", "", "Unresolved"],
          "Resolved": DATES + DIGITS, "Completed": DATES + DIGITS, "Finished": DATES + DIGITS,
          "Issue URL": URLS, "URL": URLS, "Lien": URLS}
CHECKED_URLS = ["https://github.com/acme/shop/pull/41", "http://github.com/acme/shop/pull/41",
                'https://github.com/acme/"shop"/pull/41',
                "https://github.com/acme/shop/pull/41'><svg/onload=alert(1)>", "HTTPS://GITHUB.COM/A/B/PULL/1",
                "https://user:pass@github.com/a/b/pull/1", "github.com/a/b/pull/1",
                "https://github.com/acme/shop/pull/41\n"]
"""The addresses of :data:`URLS` that a ticket's link may hold today and still pass `promo check`."""
QUOTINGS = [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]


def cell(column: str, links: list[str]) -> st.SearchStrategy[str]:
    if column in ("Issue URL", "URL", "Lien"):
        return st.sampled_from(links)  # odd text in a link is the class of the xfail below
    return st.one_of(st.sampled_from(VALUES.get(column, ["Fix it", "OPS-12"])), odd_text,
                     st.sampled_from(['"', '""', 'a"b', '"a"b', "\r", "\n\n", "=cmd|' /C calc'!A0"]))


def written_csv(rows: list[list[str]], quoting: int, ending: str) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=ending).writerows(rows)
    return out.getvalue()


def ticket_csv(columns: list[str], links: list[str]) -> st.SearchStrategy[str]:
    """A header of ``columns`` and rows of odd cells, written by a CSV writer or joined by hand."""
    row = st.tuples(*[cell(column, links) for column in columns]).map(list)
    rows = st.lists(st.one_of(row, st.lists(odd_text, max_size=9)), max_size=5).map(
        lambda rows: [columns, *rows])
    return st.one_of(
        st.tuples(rows, st.sampled_from(QUOTINGS), st.sampled_from(["\n", "\r\n", "\r"])).map(
            lambda args: written_csv(*args)),
        rows.map(lambda rows: "".join(",".join(cells) + "\n" for cells in rows)),
        st.sampled_from(["", "\ufeff"]),
        huge(",".join(columns) + "\n", ",".join(["x" * 10_000] * 7) + "\n", 50),
        huge(",".join(columns) + '\n"', "a", 300_000),
        # One cell over the csv module's field limit (131,072 characters), in a row otherwise done.
        huge(",".join(columns) + "\n" + ",".join(["Done"] * (len(columns) - 1)) + ",", "x", 200_000),
    )


def csv_command(kind: str) -> list[str]:
    return ["csv", "tickets.csv", *(["--map", MAP] if kind == "map" else ["--preset", kind])]


def tickets(links: list[str]) -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from(sorted(COLUMNS)).flatmap(
        lambda kind: st.tuples(st.just(kind), ticket_csv(COLUMNS[kind], links)))
NON_ASCII_DATE = ("map", f"Name,Finished,Ref\nFix it,{DIGITS[0]},T-1\n")


def has_other_digits(text: str) -> bool:
    return any(character.isdigit() and not character.isascii() for character in text)


@examples(20, large=3000, deadline=None)
@given(tickets(CHECKED_URLS).filter(lambda found: not has_other_digits(found[1])))
def test_ticket_csv_gives_drafts_that_pass_check_or_located_problems(found: tuple[str, str]) -> None:
    kind, text = found
    check_export("tickets.csv", text, *csv_command(kind))


@examples(6, large=1000, deadline=None)
@given(tickets(CHECKED_URLS).filter(lambda found: has_other_digits(found[1])))
@example(NON_ASCII_DATE)
def test_dates_in_other_digits_give_drafts_that_pass_check_or_located_problems(
        found: tuple[str, str]) -> None:
    kind, text = found
    check_export("tickets.csv", text, *csv_command(kind))


@examples(6, large=1000, deadline=None)
@given(tickets(sorted(set(URLS) - set(CHECKED_URLS))))
@example(("linear", "ID,Title,Status,Completed,URL\nENG-7,Fix it,Done,2026-04-20,javascript:alert(1)\n"))
def test_ticket_links_promo_check_rejects_give_located_problems(found: tuple[str, str]) -> None:
    kind, text = found
    check_export("tickets.csv", text, *csv_command(kind))
