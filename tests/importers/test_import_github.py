"""`promo import github`: gh's JSON or the search API -> drafts, all or nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import JsonApi, api_server, make_packet, run, unlabelled
from promo_packet.errors import RequestError
from promo_packet.importers import github

PR_LIST = [
    {"number": 41, "title": "Cache the rubric between builds", "url": "https://github.com/acme/site/pull/41",
     "mergedAt": "2026-04-02T09:15:00Z", "body": "Builds read the rubric once.\n\nDetails follow.",
     "additions": 120, "deletions": 30, "changedFiles": 4},
    {"number": 57, "title": "Retry the uploader on timeouts", "url": "https://github.com/acme/site/pull/57",
     "mergedAt": "2026-05-11T17:40:12Z"},
]
SEARCH = [{"number": 9, "title": "Docs: the importer", "url": "https://github.com/acme/docs/pull/9",
           "closedAt": "2026-03-01T08:00:00Z", "repository": {"name": "docs", "nameWithOwner": "acme/docs"}}]


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return make_packet(tmp_path)


def drafts_of(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "evidence" / "drafts").glob("*.md"))}


def test_pr_list_json_gives_one_draft_per_pull_request_and_a_second_run_adds_nothing(packet: Path) -> None:
    prs = packet / "prs.json"
    prs.write_text(json.dumps(PR_LIST))
    code, out, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 0, err
    assert "promo import github: 2 drafts written, 0 already known" in err
    written = drafts_of(packet)
    assert list(written) == ["2026-04-02-cache-the-rubric-between-builds.md",
                             "2026-05-11-retry-the-uploader-on-timeouts.md"]
    first = written["2026-04-02-cache-the-rubric-between-builds.md"]
    assert "source: https://github.com/acme/site/pull/41" in first
    assert "- {title: 'PR #41', url: https://github.com/acme/site/pull/41}" in first
    for line in ("Repository: acme/site", "Lines: +120 -30", "Files changed: 4",
                 "Description: Builds read the rubric once."):
        assert line in first
    assert "Lines:" not in written["2026-05-11-retry-the-uploader-on-timeouts.md"]
    assert len(out.splitlines()) == 2
    code, out, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 0 and out == "" and "0 drafts written, 2 already known" in err
    assert len(drafts_of(packet)) == 2


def test_trivial_pull_requests_wait_for_include_trivial_and_the_rest_get_suggestions(packet: Path) -> None:
    prs = packet / "prs.json"
    prs.write_text(json.dumps([
        *PR_LIST,
        {"number": 60, "title": "Fix typos in the README", "url": "https://github.com/acme/site/pull/60",
         "mergedAt": "2026-05-12T10:00:00Z"},
        {"number": 61, "title": "Grow two engineers into senior roles", "url": "https://github.com/acme/site/pull/61",
         "mergedAt": "2026-05-13T10:00:00Z"}]))
    code, _, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 0, err
    assert "3 drafts written, 0 already known, 1 trivial skipped (--include-trivial writes them)" in err
    grown = drafts_of(packet)["2026-05-13-grow-two-engineers-into-senior-roles.md"]
    assert "dimensions: []   # suggested: mentorship\nshows: []   # suggested: mentorship.staff.1\n" in grown
    code, _, err = run("import", "github", "prs.json", "--include-trivial", cwd=packet)
    assert code == 0, err
    assert "1 draft written, 3 already known" in err


def test_search_json_is_dated_by_closed_at_and_names_its_repository(packet: Path) -> None:
    (packet / "prs.json").write_text(json.dumps(SEARCH))
    assert run("import", "github", "prs.json", cwd=packet)[0] == 0
    (text,) = drafts_of(packet).values()
    assert "date: 2026-03-01" in text and "Repository: acme/docs" in text


def test_since_keeps_later_pull_requests(packet: Path) -> None:
    (packet / "prs.json").write_text(json.dumps(PR_LIST))
    code, _, err = run("import", "github", "prs.json", "--since", "2026-05-01", cwd=packet)
    assert code == 0 and "1 draft written" in err


@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", ["prs.json:1: not JSON: Expecting property name enclosed in double quotes; "
                   "write the file with gh's --json option, as the manual's importers page shows"]),
    ('{"number": 1}', ["prs.json: expected a list of pull requests, got a dict; "
                       "write it with gh pr list --json"]),
    (json.dumps([PR_LIST[0], "a line", {"number": 2, "url": "https://github.com/a/b/pull/2",
                                        "mergedAt": "last spring"},
                 {"title": "No address", "mergedAt": "2026-01-01T00:00:00Z"},
                 {"title": "Undated", "url": "https://github.com/a/b/pull/3"}]),
     ["prs.json:1: [1]: expected an object, got '\"a line\"'",
      "prs.json:1: [2].mergedAt: expected a date such as 2026-05-01, 2026-05-01 14:03, "
      "2026-05-01T14:03:00Z or 01/May/26 2:03 PM, got 'last spring'",
      "prs.json:1: [2].title: missing",
      "prs.json:1: [3].url: missing",
      "prs.json:1: [4].mergedAt: missing"]),
    # gh writes one item under another when it writes to a terminal: each problem names its item's line.
    (json.dumps([PR_LIST[0], {"title": "Undated", "url": "https://github.com/a/b/pull/3"}], indent=2),
     [f"prs.json:{3 + json.dumps(PR_LIST[0], indent=2).count(chr(10))}: [1].mergedAt: missing"]),
])
def test_malformed_json_reports_every_problem_and_writes_nothing(packet: Path, text: str,
                                                                  expected: list[str]) -> None:
    (packet / "prs.json").write_text(text)
    code, _, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 1
    assert unlabelled(err).splitlines()[:-1] == expected
    assert "nothing was written" in err.splitlines()[-1]
    assert not (packet / "evidence" / "drafts").exists()


def test_file_and_api_exclude_each_other(packet: Path) -> None:
    assert run("import", "github", cwd=packet)[0] == 2


def search_result(number: int, day: str) -> dict[str, Any]:
    return {"number": number, "title": f"Change {number}", "html_url": f"https://github.com/acme/api/pull/{number}",
            "closed_at": f"{day}T10:00:00Z", "pull_request": {"merged_at": f"{day}T09:59:00Z"},
            "repository_url": "https://api.github.com/repos/acme/api"}


class Recorded(JsonApi):
    """GitHub's answers: the user, two pages of merged pull requests, then a rate limit."""

    reset_in = 3600
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        assert self.headers["Authorization"] == "Bearer test-token"
        base = f"http://{self.headers['Host']}"
        if self.path == "/user":
            self.answer(200, {"login": "octo"})
        elif "page=3" in self.path:
            reset = int(dt.datetime.now(dt.timezone.utc).timestamp()) + self.reset_in
            self.answer(403, {"message": "API rate limit exceeded"},
                        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
        elif "page=2" in self.path:
            more = getattr(self.server, "three", False)
            last = {"Link": f'<{base}/search/issues?q=x&page=3>; rel="next"'} if more else {}
            self.answer(200, {"items": [search_result(3, "2026-02-03")]}, last)
        else:
            self.answer(200, {"total_count": 3, "items": [search_result(1, "2026-02-01"),
                                                          search_result(2, "2026-02-02")]},
                        {"Link": f'<{base}/search/issues?q=x&page=2>; rel="next", '
                                 f'<{base}/search/issues?q=x&page=2>; rel="last"'})



@contextlib.contextmanager
def serve(three_pages: bool) -> Iterator[str]:
    Recorded.seen = []
    with api_server(Recorded, three=three_pages) as url:
        yield url


def api_for_the_command(monkeypatch: pytest.MonkeyPatch, *, three_pages: bool) -> Iterator[str]:
    """The recorded API, with the token and the address `promo import github --api` reads."""
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    with serve(three_pages=three_pages) as url:
        monkeypatch.setenv("GITHUB_API_URL", url)
        yield url


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from api_for_the_command(monkeypatch, three_pages=False)


@pytest.fixture
def limited_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from api_for_the_command(monkeypatch, three_pages=True)


def test_api_follows_the_pages_and_asks_for_the_logins_merged_pull_requests(packet: Path, api: str) -> None:
    code, _, err = run("import", "github", "--api", "--since", "2026-01-01", cwd=packet)
    assert code == 0, err
    assert "promo import github: 3 drafts written, 0 already known" in err
    assert Recorded.seen[0] == "/user"
    assert "q=is%3Apr+is%3Amerged+author%3Aocto+merged%3A%3E%3D2026-01-01" in Recorded.seen[1]
    text = drafts_of(packet)["2026-02-01-change-1.md"]
    assert "source: https://github.com/acme/api/pull/1" in text and "Repository: acme/api" in text
    assert run("import", "github", "--api", cwd=packet)[2].endswith("0 drafts written, 3 already known\n")


def test_a_long_rate_limit_stops_the_import_and_writes_nothing(packet: Path, limited_api: str) -> None:
    code, _, err = run("import", "github", "--api", cwd=packet)
    assert code == 1
    assert "GitHub's rate limit is reached until" in err and "nothing was written" in err
    assert "test-token" not in err
    assert not (packet / "evidence" / "drafts").exists()


def test_a_short_rate_limit_is_waited_out(limited_api: str) -> None:
    Recorded.reset_in = 5
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        Recorded.reset_in = 3600  # the next try is still limited, for an hour now: it stops

    try:
        with pytest.raises(RequestError, match="rate limit"):
            github.fetch("test-token", base=limited_api, sleep=sleep)
    finally:
        Recorded.reset_in = 3600
    assert len(waits) == 1 and 0 < waits[0] <= 7


def test_api_needs_a_token(packet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    code, _, err = run("import", "github", "--api", cwd=packet)
    assert code == 1 and "GITHUB_TOKEN" in err
