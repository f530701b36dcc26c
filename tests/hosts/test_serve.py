"""`mkdocs serve` as a real process: errors show in the browser, and the packet comes back once fixed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import MKDOCS, make_packet, unlabelled

WAIT = 90.0
"""Seconds a page may take to show what is expected: a first build, or a rebuild after a save."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(root: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve --strict` of the packet at ``root`` on a free port; its terminal goes to ``log``."""
    port = free_port()
    env = {**os.environ, "PROMO_PDF": "0"}
    with log.open("w") as terminal:
        server = subprocess.Popen([MKDOCS, "serve", "--strict", "-a", f"127.0.0.1:{port}"], cwd=root,
                                  env=env, stdout=terminal, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_for(url: str, ready: Callable[[str], bool], log: Path) -> BeautifulSoup:
    deadline = time.monotonic() + WAIT
    body = ""
    while time.monotonic() < deadline:
        try:
            status, body = fetch(url)
        except OSError:  # not listening yet, or a request held past its timeout
            status = 0
        if status == 200 and ready(body):
            return BeautifulSoup(body, "html.parser")
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show what was expected in {WAIT} s; last page:\n{body[:2000]}\n"
                         f"mkdocs serve said:\n{log.read_text()}")


BROKEN = """---
title: Cut review time
date: <b>soon</b>
dimensions: [scope]
outcome: Reviews take 2 days instead of 5.
---
"""
ERROR_LINE = ("evidence/2026-02-04-review.md:3: date: expected YYYY-MM-DD, got '<b>soon</b>'; "
              "e.g. 2026-03-14")


def test_serve_shows_the_errors_in_the_browser_and_then_the_packet(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    entry = root / "evidence" / "2026-02-04-review.md"
    fixed = BROKEN.replace("<b>soon</b>", "2026-02-04")
    entry.write_text(fixed)
    log = tmp_path / "serve.log"
    with serving(root, log) as url:
        wait_for(url + "evidence/2026-02-04-review/", lambda body: "Cut review time" in body, log)
        time.sleep(1.5)  # let the watcher settle on the current state of the folder
        entry.write_text(BROKEN)
        page = wait_for(url, lambda body: "cannot be built yet" in body, log)
        items = [" ".join(li.get_text().split()) for li in page.select("article li")]
        assert items == [ERROR_LINE]
        assert page.select("article b") == [], "user text became markup"
        assert fetch(url + "notes/")[0] == 404, "a page of the docs folder was served with the errors"
        assert "ERROR" in log.read_text() and ERROR_LINE in unlabelled(log.read_text())
        entry.write_text(fixed)
        page = wait_for(url, lambda body: "cannot be built yet" not in body, log)
        assert page.select_one('a[href="packet/"]') is not None
        wait_for(url + "evidence/2026-02-04-review/", lambda body: "Cut review time" in body, log)


def test_serve_starts_on_the_errors_page_when_the_packet_has_errors(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "2026-02-04-review.md").write_text(BROKEN)
    log = tmp_path / "serve.log"
    with serving(root, log) as url:
        page = wait_for(url, lambda body: "cannot be built yet" in body, log)
        assert [" ".join(li.get_text().split()) for li in page.select("article li")] == [ERROR_LINE]


SHOWS = """([words, gone]) => document.body !== null && document.body.innerText.includes(words)
    && !(gone && document.body.innerText.includes(gone))"""


def test_no_page_of_the_preview_strands_the_reader_while_an_entry_is_broken(tmp_path: Path) -> None:
    """In a real browser: the entry's own page, a dimension page and a URL that never existed all
    show the errors while the entry is broken, and each comes back to its own URL, by itself,
    once the fix is saved."""
    from playwright.sync_api import sync_playwright

    from conftest import ARGS, CHROMIUM

    root = make_packet(tmp_path)
    entry = root / "evidence" / "2026-02-04-review.md"
    fixed = BROKEN.replace("<b>soon</b>", "2026-02-04")
    entry.write_text(fixed)
    log = tmp_path / "serve.log"
    back = {"evidence/2026-02-04-review/": "Cut review time", "dimensions/scope/": "Scope",
            "never/was/here/": "404"}
    with serving(root, log) as url, sync_playwright() as playwright:
        wait_for(url + "evidence/2026-02-04-review/", lambda body: "Cut review time" in body, log)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            tabs = {path: browser.new_page() for path in back}
            for path in ("evidence/2026-02-04-review/", "dimensions/scope/"):
                tabs[path].goto(url + path)
            time.sleep(1.5)  # let the watcher settle on the current state of the folder
            entry.write_text(BROKEN)
            wait_for(url, lambda body: "cannot be built yet" in body, log)
            tabs["never/was/here/"].goto(url + "never/was/here/")
            for path, tab in tabs.items():
                tab.wait_for_function(SHOWS, arg=["cannot be built yet", None], timeout=WAIT * 1000)
                assert ERROR_LINE in " ".join(tab.inner_text("article").split()), path
                assert tab.locator("article b").count() == 0, "user text became markup"
            time.sleep(1.5)
            entry.write_text(fixed)
            for path, tab in tabs.items():
                tab.wait_for_function(SHOWS, arg=[back[path], "cannot be built yet"], timeout=WAIT * 1000)
                assert tab.url == url + path
        finally:
            browser.close()
