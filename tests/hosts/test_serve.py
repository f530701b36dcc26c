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

import pytest
from bs4 import BeautifulSoup

from conftest import MKDOCS, make_packet, unlabelled

PROPERDOCS = str(Path(MKDOCS).with_name("properdocs"))
WAIT = 90.0
"""Seconds a page may take to show what is expected: a first build, or a rebuild after a save."""
SETTLE = 0.5
"""MkDocs' watcher polls every 0.5 s and takes its first look at the folders as it starts, before it
serves a page: a save made one interval after a page was served, or a rebuild was shown, is seen."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(root: Path, log: Path, scratch: Path | None = None, engine: str = MKDOCS) -> Iterator[str]:
    """`mkdocs serve --strict` (or ProperDocs') of the packet at ``root`` on a free port; its terminal
    goes to ``log``, the site it serves into a folder in ``scratch`` if given."""
    port = free_port()
    env = {**os.environ, "PROMO_PDF": "0", **({"TMPDIR": str(scratch)} if scratch else {})}
    with log.open("w") as terminal:
        named = ["-f", "mkdocs.yml"] if engine == PROPERDOCS else []  # its own file is properdocs.yml
        server = subprocess.Popen([engine, "serve", *named, "--strict", "-a", f"127.0.0.1:{port}"], cwd=root,
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
        time.sleep(SETTLE)
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
    from conftest import chromium

    root = make_packet(tmp_path)
    entry = root / "evidence" / "2026-02-04-review.md"
    fixed = BROKEN.replace("<b>soon</b>", "2026-02-04")
    entry.write_text(fixed)
    log = tmp_path / "serve.log"
    back = {"evidence/2026-02-04-review/": "Cut review time", "dimensions/scope/": "Scope",
            "never/was/here/": "404"}
    with serving(root, log) as url:
        wait_for(url + "evidence/2026-02-04-review/", lambda body: "Cut review time" in body, log)
        context = chromium().new_context()
        try:
            tabs = {path: context.new_page() for path in back}
            for path in ("evidence/2026-02-04-review/", "dimensions/scope/"):
                tabs[path].goto(url + path)
            time.sleep(SETTLE)
            entry.write_text(BROKEN)
            wait_for(url, lambda body: "cannot be built yet" in body, log)
            tabs["never/was/here/"].goto(url + "never/was/here/")
            for path, tab in tabs.items():
                tab.wait_for_function(SHOWS, arg=["cannot be built yet", None], timeout=WAIT * 1000)
                assert ERROR_LINE in " ".join(tab.inner_text("article").split()), path
                assert tab.locator("article b").count() == 0, "user text became markup"
            time.sleep(SETTLE)
            entry.write_text(fixed)
            for path, tab in tabs.items():
                tab.wait_for_function(SHOWS, arg=[back[path], "cannot be built yet"], timeout=WAIT * 1000)
                assert tab.url == url + path
        finally:
            context.close()


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def written_at(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


def wait_for_log(log: Path, ready: Callable[[str], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if ready(log.read_text()):
            return
        time.sleep(0.2)
    raise AssertionError(f"mkdocs serve did not get there in {WAIT} s; it said:\n{log.read_text()}")


def retitle(root: Path) -> tuple[str, str]:
    entry = root / "evidence" / "2026-04-15-onboarding.md"
    entry.write_text(entry.read_text().replace("two new hires", "three new hires"))
    return "evidence/2026-04-15-onboarding/", "Onboarded three new hires"


def add(root: Path) -> tuple[str, str]:
    (root / "evidence" / "2026-04-20-pairing.md").write_text(
        "---\ntitle: Paired with a new hire\ndate: 2026-04-20\ndimensions: [mentorship]\nlevel: senior\n"
        "outcome: She shipped her first change in two days.\n---\nWe paired daily.\n")
    return "timeline/", "Paired with a new hire"


def rename(root: Path) -> tuple[str, str]:
    rubric = root / "rubric" / "ladder.yml"
    rubric.write_text(rubric.read_text().replace("name: Mentorship", "name: Growing others"))
    return "notes/", "Growing others"


@pytest.mark.parametrize(("save", "said", "engine"), [
    (retitle, "rebuilt 6 of 12 pages", MKDOCS),
    (add, "promo-packet: rebuilt ", MKDOCS),
    (rename, "Building documentation", MKDOCS),  # the navigation on every page changes: a full rebuild
    (retitle, "rebuilt 6 of 12 pages", PROPERDOCS),
])
def test_a_save_rewrites_the_pages_a_full_build_changes_and_leaves_its_site(
        tmp_path: Path, save: Callable[[Path], tuple[str, str]], said: str, engine: str) -> None:
    """The pages a save rewrites (an entry's page and the listings that show it) are the ones
    whose HTML a full build changes, no more, and the site after it (search index included) is
    the one a full rebuild then writes, file for file."""
    root = make_packet(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    log = tmp_path / "serve.log"
    with serving(root, log, scratch, engine) as url:
        wait_for(url + "evidence/2026-04-15-onboarding/", lambda body: "Onboarded two new hires" in body, log)
        site = next(scratch.glob("*docs_*"))  # mkdocs_..., properdocs_...
        first, first_written = site_files(site), written_at(site)
        started = len(log.read_text())
        time.sleep(SETTLE)
        path, text = save(root)
        wait_for(url + path, lambda body: text in body, log)
        wait_for_log(log, lambda terminal: "Reloading browsers" in terminal[started:])
        assert said in log.read_text()[started:]
        saved = site_files(site)
        rewritten = {path for path, when in written_at(site).items() if first_written.get(path) != when}
        time.sleep(SETTLE)
        config = root / "mkdocs.yml"
        config.write_text(config.read_text())  # not one of the packet's inputs: a full rebuild
        wait_for_log(log, lambda terminal: terminal[started:].count("Reloading browsers") == 2)
        full = site_files(site)
    # MkDocs writes its 404 page on every build, whatever changed.
    changed = {path for path, html in full.items() if path.endswith(".html") and first.get(path) != html}
    assert rewritten - {"404.html"} == changed - {"404.html"}
    assert saved == full
