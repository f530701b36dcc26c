"""Imports fail closed: a value `promo check` would refuse, a hostile API, a source too large."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import JsonApi, api_server, make_packet, run, unlabelled
from promo_packet.errors import RequestError
from promo_packet.importers import github

PULL = {"number": 1, "title": "Fix the queue", "url": "https://github.com/acme/site/pull/1",
        "mergedAt": "2026-04-02T09:15:00Z"}


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return make_packet(tmp_path)


def refused(packet: Path, *args: str) -> list[str]:
    """The problems of an import that must stop, having written nothing."""
    code, _, err = run(*args, cwd=packet)
    assert code == 1, err
    assert "Traceback" not in err and "nothing was written" in err
    assert not (packet / "evidence" / "drafts").exists()
    return unlabelled(err).splitlines()[:-1]


@pytest.mark.parametrize(("item", "expected"), [
    ({"url": "https://github.com/acme/site/pull/1 2"},
     "[0].url: 'https://github.com/acme/site/pull/1 2' is not a URL: it contains a space"),
    ({"url": "https://github.com/acme/site/pull/1\nsource: x"}, None),
    ({"title": "Fix \ud800 the queue"}, "[0].title: holds U+D800, half of a character, not text"),
    ({"repository": {"nameWithOwner": "acme/site\nsource: x"}},
     "[0].repository.nameWithOwner: holds the control character U+000A; expected one line of text"),
])
def test_a_value_promo_check_would_refuse_stops_a_github_import(packet: Path, item: dict[str, Any],
                                                                  expected: str | None) -> None:
    (packet / "prs.json").write_text(json.dumps([{**PULL, **item}]))
    problems = refused(packet, "import", "github", "prs.json")
    assert len(problems) == 1 and problems[0].startswith("prs.json:1: [0].")
    if expected is not None:
        assert problems == [f"prs.json:1: {expected}"]


def test_deeply_nested_json_is_a_problem_not_a_traceback(packet: Path) -> None:
    (packet / "prs.json").write_text("[" * 100_000 + "]" * 100_000)
    assert refused(packet, "import", "github", "prs.json") == [
        "prs.json: nested too deeply to be gh's JSON; write the file with gh's --json option, "
        "as the manual's importers page shows"]


def test_a_pull_request_named_in_another_drafts_body_is_still_new(packet: Path) -> None:
    drafts = packet / "evidence" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "2026-04-01-other.md").write_text(
        "---\ntitle: Other\ndate: 2026-04-01\ndraft: true\nsource: https://github.com/acme/site/pull/9\n---\n"
        f"source: {PULL['url']}\n")
    (packet / "prs.json").write_text(json.dumps([PULL]))
    code, _, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 0, err
    assert "1 draft written, 0 already known" in err


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://linear.app/acme/issue/ENG-7 x"])
def test_a_linear_link_promo_check_would_refuse_stops_the_import(packet: Path, url: str) -> None:
    (packet / "linear.csv").write_text(f"ID,Title,Status,Completed,URL\nENG-7,Shard,Done,2026-04-20,{url}\n")
    problems = refused(packet, "import", "csv", "linear.csv", "--preset", "linear")
    assert len(problems) == 1 and problems[0].startswith("linear.csv:2: URL: ")


class Hostile(JsonApi):
    """An API that never ends a search: ``mode`` says how. Every request is recorded; after
    :data:`CAP` it answers 404, so even a client that never stops ends the test."""

    CAP = 200
    mode = ""
    other = ""
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers["Authorization"]))
        if len(self.seen) > self.CAP:
            self.answer(404, {"message": "enough"})
        elif self.path == "/user":
            self.answer(200, {"login": "octo"})
        elif self.mode == "loop":
            itself = f'<http://{self.headers["Host"]}{self.path}>; rel="next"'
            self.answer(200, {"items": []}, {"Link": itself})
        elif self.mode == "limited":
            self.answer(429, {"message": "slow down"}, {"Retry-After": "0"})
        elif self.mode == "elsewhere":
            self.answer(200, {"items": []}, {"Link": f'<{self.other}/search/issues?page=2>; rel="next"'})
        else:
            self.answer(200, {"items": []})



@contextlib.contextmanager
def hostile(mode: str, other: str = "") -> Iterator[tuple[str, type[Hostile]]]:
    handler = type("Handler", (Hostile,), {"mode": mode, "other": other, "seen": []})
    with api_server(handler) as url:
        yield url, handler


def fetch(base: str) -> tuple[str, float]:
    """The problem a fetch from ``base`` stops with, and how long it took."""
    started = time.perf_counter()
    with pytest.raises(RequestError) as stopped:
        github.fetch("test-token", base=base, sleep=lambda seconds: None)
    return str(stopped.value), time.perf_counter() - started


def test_a_next_page_that_points_to_itself_stops_the_import() -> None:
    with hostile("loop") as (base, handler):
        message, took = fetch(base)
        requests = len(handler.seen)
    assert "the pages never end" in message
    assert requests <= 3 and took < 10


def test_a_rate_limit_that_never_lifts_is_retried_a_bounded_number_of_times() -> None:
    with hostile("limited") as (base, handler):
        message, _ = fetch(base)
        requests = len(handler.seen)
    assert "rate limit held after 3 waits" in message
    assert requests == 2 + github.MAX_RETRIES


def test_the_token_is_never_sent_to_another_server() -> None:
    with hostile("") as (other, handler), hostile("elsewhere", other) as (base, _):
        message, _ = fetch(base)
        elsewhere = handler.seen
    assert "its next page is on another server" in message
    assert elsewhere == []


@pytest.mark.parametrize("command", [("import", "csv", "export.csv", "--preset", "linear"),
                                     ("import", "github", "export.csv")])
def test_an_export_that_is_a_named_pipe_is_not_read(packet: Path, command: tuple[str, ...]) -> None:
    pipe = packet / "export.csv"
    os.mkfifo(pipe)
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            answer = pool.submit(refused, packet, *command)
            try:
                problems = answer.result(timeout=20)
            finally:
                with contextlib.suppress(OSError):  # let a reader blocked on it go
                    os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    finally:
        pipe.unlink()
    assert problems == ["export.csv: not read: a named pipe (FIFO), not a regular file; "
                        "move it out of the packet's folders"]
