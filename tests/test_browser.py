"""A protected packet in a real headless Chromium: locked, unlocked, navigated and searched.

Runs Debian's chromium through Playwright (no browser download). Where chromium
is missing the test is skipped, except under CI (CI=true), where it must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import build_site, make_packet, set_options

PASSWORD = "correct horse battery staple"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required in CI: `make test` installs Debian's chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("browser")
    root = set_options(make_packet(base), f"password: {PASSWORD}")
    site = build_site(root, base / "site", pdf=True)
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture
def page(served: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_locked_page_shows_nothing_until_the_password(page, served: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served + "timeline/")
    assert page.title() == "Protected packet"
    assert "CANARY-SPONSOR-TITLE-kw2" not in page.content()
    assert "Cut the nightly batch" not in page.content()
    page.fill("#pp-password", "not the password")
    page.click("button[type=submit]")
    page.wait_for_selector("#pp-error:not([hidden])")
    assert "Cut the nightly batch" not in page.content()

    page.fill("#pp-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("article h1:has-text('Timeline')", timeout=20_000)
    body = page.inner_text("article")
    assert "CANARY-SPONSOR-TITLE-kw2" in body and "Cut the nightly batch" in body
    assert "CANARY-PRIVATE" not in page.content()
    assert page.title().startswith("Timeline")


def test_unlocked_visit_navigates_and_searches(page, served: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(served)
    page.fill("#pp-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h2#coverage-at-staff-engineer", timeout=20_000)
    page.click("nav.md-nav--primary a:has-text('Gaps')")
    page.wait_for_selector("article h1:has-text('Gaps')", timeout=20_000)  # no second password
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.press_sequentially("nightly", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    results = page.inner_text(".md-search-result")
    assert "Cut the nightly batch from 3 h to 40 min" in results


def test_unlocked_visit_opens_the_sealed_pdf(page, served: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    page.goto(served)
    page.fill("#pp-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("a.pp-pdf", timeout=20_000)
    with page.expect_download(timeout=20_000) as download:
        page.click("a.pp-pdf")
    assert download.value.suggested_filename == "packet.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "Cut the nightly batch" in text and "CANARY-SPONSOR-TITLE-kw2" in text
