"""A binder sealed under PROMO_BINDER_PASSWORD: nothing of anyone's in plaintext, all of it behind one key."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ALL_CANARIES, CHROMIUM, PASSWORD, broken_links, chromium_page, make_packet, run, serve
from promo_packet.hosts.binder import PASSWORD_VARIABLE
from promo_packet.sharing.protect import Protector, site_salt
from promo_packet.sharing.sealed_binder import KeyedEntries
from promo_packet.sharing.sealer import entry_slugs

TITLE = "Calibration 2026 H2"
CYCLE = "2026 H2"
PEOPLE = ("Sam Tester", "Robin Other")
WORDS = ("Onboarded two new hires", "Both new hires shipped", "Wrote the retry library",
         "Cut the nightly batch")
"""Text of the committee's build of every packet, shown once the binder is unlocked."""


def renamed(root: Path, person: str) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("person: Sam Tester", f"person: {person}"))
    return root


def bind(folder: Path, password: str | None) -> tuple[int, str]:
    saved = os.environ.pop(PASSWORD_VARIABLE, None)
    if password is not None:
        os.environ[PASSWORD_VARIABLE] = password
    try:
        code, _, err = run("binder", str(folder / "BINDER.yml"), "-o", str(folder / "out"), "--jobs", "2")
    finally:
        os.environ.pop(PASSWORD_VARIABLE, None)
        if saved is not None:
            os.environ[PASSWORD_VARIABLE] = saved
    assert "Traceback" not in err
    return code, err


@pytest.fixture(scope="module")
def committee(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sealed-binder")
    make_packet(base / "sam")
    renamed(make_packet(base / "robin"), "Robin Other")
    folder = base / "committee"
    folder.mkdir()
    (folder / "BINDER.yml").write_text(f"title: {TITLE}\ncycle: {CYCLE}\npackets:\n"
                                       "  - ../sam/packet\n  - ../robin/packet\n")
    return folder


@pytest.fixture(scope="module")
def sealed(committee: Path) -> Path:
    code, err = bind(committee, PASSWORD)
    assert code == 0, err
    assert f"sealed with {PASSWORD_VARIABLE}" in err
    return committee / "out"


def protector() -> Protector:
    return Protector(PASSWORD, salt=site_salt(f"{TITLE} ({CYCLE})"))


def opened_copy(sealed: Path, dest: Path) -> Path:
    """A copy of the sealed site with every page opened, as the browser shows it once unlocked."""
    opener = protector()
    shutil.copytree(sealed / "site", dest)
    for page in dest.rglob("*.html"):
        html = opener.open_page(page.read_text())
        assert html is not None, page
        page.write_text(html)
    return dest


def test_no_file_holds_anyone_s_text_in_plaintext(sealed: Path) -> None:
    texts = [*ALL_CANARIES, *PEOPLE, *WORDS, TITLE]
    for file in sorted(sealed.rglob("*")):
        shown = file.relative_to(sealed).as_posix()
        assert not [t for t in texts if t.lower().replace(" ", "-") in shown.lower()], shown
        if file.is_file():
            data = file.read_bytes().decode("utf-8", errors="replace")
            assert [t for t in texts if t in data] == [], shown
    assert not list(sealed.rglob("sitemap.xml*"))
    assert not [p for p in sealed.rglob("*.pdf") if p.name != "binder.pdf"]


def test_no_file_is_named_after_an_entry(sealed: Path, committee: Path) -> None:
    slugs = [slug for person in ("sam", "robin")
             for slug in entry_slugs(committee.parent / person / "packet" / "evidence")]
    assert "2026-01-10-batch-speedup" in slugs
    paths = [p.relative_to(sealed).as_posix() for p in sealed.rglob("*")]
    assert [p for p in paths if any(slug in p for slug in slugs)] == []
    entries = sorted((sealed / "site" / "people").glob("*/evidence/*/index.html"))
    # Keyed per person: the same entry in both packets has two names.
    assert len(entries) >= 6 and len({p.parent.name for p in entries}) == len(entries)


def test_links_and_search_lead_to_the_keyed_pages_once_unlocked(sealed: Path, tmp_path: Path) -> None:
    site = opened_copy(sealed, tmp_path / "opened")
    # A person's PDF is fetched sealed and opened by the unlock script, as in a sealed packet.
    assert [link for link in broken_links(site) if not link.endswith(".pdf")] == []
    entry = next(site.glob("people/*/evidence/*/index.html"))
    overview = (entry.parents[2] / "index.html").read_text()
    assert f'href="evidence/{entry.parent.name}/"' in overview
    sealed_index = json.loads((site / "search" / "search_index.json").read_text())["sealed"]
    index = json.loads(protector().open(sealed_index))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert any("/evidence/" in page for page in pages)
    assert [page for page in pages if not (site / page / "index.html").is_file()] == []


def test_every_page_opens_with_the_password_and_shows_the_packets(sealed: Path) -> None:
    opener = protector()
    pages = sorted((sealed / "site").rglob("*.html"))
    opened = {p.relative_to(sealed / "site").as_posix(): opener.open_page(p.read_text()) for p in pages}
    assert len(opened) > 10 and all(html is not None for html in opened.values())
    text = "\n".join(html or "" for html in opened.values())
    assert all(words in text for words in (*PEOPLE, *WORDS[:2], TITLE))
    assert [c for c in ALL_CANARIES if c in text] == []
    links = [line for line in opened["index.html"].split('"') if line.startswith("people/")]  # type: ignore[union-attr]
    folders = sorted(p.name for p in (sealed / "site" / "people").iterdir())
    assert len(folders) == 2 and sorted({link.split("/")[1] for link in links}) == folders


def test_search_and_each_person_s_pdf_are_sealed_under_the_same_key(sealed: Path) -> None:
    opener = protector()
    site = sealed / "site"
    index = json.loads(opener.open(json.loads((site / "search" / "search_index.json").read_text())["sealed"]))
    locations = {doc["location"].split("/")[1] for doc in index["docs"]
                 if doc["location"].startswith("people/")}
    assert locations == {p.name for p in (site / "people").iterdir()}
    for person in (site / "people").iterdir():
        own = json.loads((person / "search" / "search_index.json").read_text())
        assert set(own) == {"sealed"}
        (sealed_pdf,) = person.glob("*.pdf.sealed")
        assert opener.open_bytes(sealed_pdf.read_bytes()).startswith(b"%PDF")
        assert json.loads((person / ".promo-packet.json").read_text())["protected"] is True


def test_the_binder_pdf_opens_only_with_the_password(sealed: Path) -> None:
    reader = PdfReader(sealed / "binder.pdf")
    assert reader.is_encrypted
    assert reader.decrypt("not the password") == 0
    reader.decrypt(PASSWORD)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [TITLE, *PEOPLE]
    total = len(reader.pages)
    assert [f"Page {n} of {total}" in reader.pages[n - 1].extract_text() for n in (1, total)] == [True, True]
    # Encrypted as it was written: nothing of anyone's is readable without the password.
    raw = (sealed / "binder.pdf").read_bytes()
    assert [words for words in (*PEOPLE, TITLE, "Cut the nightly") if words.encode() in raw] == []


def test_a_weak_password_is_refused_and_nothing_is_written(committee: Path, tmp_path: Path) -> None:
    (tmp_path / "BINDER.yml").write_text(
        (committee / "BINDER.yml").read_text().replace("../", f"{committee.parent}/"))
    code, err = bind(tmp_path, "password")
    assert code == 1 and f"{PASSWORD_VARIABLE}: error: holds a password too weak" in err, err
    assert not (tmp_path / "out").exists()


@pytest.fixture
def page() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is required in CI: `make test` installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with chromium_page() as opened:
        yield opened


def test_the_browser_unlocks_the_index_and_a_person_s_page(page, sealed: Path) -> None:  # type: ignore[no-untyped-def]
    with serve(sealed / "site") as url:
        page.goto(url)
        assert page.title() == "Protected binder" and "Sam Tester" not in page.content()
        assert page.inner_text("h1") == "Protected binder"
        page.fill("#pp-password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("article h1", timeout=30_000)
        assert TITLE in page.inner_text("article h1")
        page.click("article a:has-text('Robin Other')")
        # The key is kept for the visit: the person's page opens without asking again.
        page.wait_for_selector("article h1", timeout=30_000)
        assert "Robin Other" in page.content() and page.title() != "Protected binder"
        # An entry's page, at its keyed address, opens too and shows the entry.
        page.click("article a:has-text('Cut the nightly batch')")
        page.wait_for_selector("article h1:has-text('Cut the nightly batch')", timeout=30_000)
        assert "/evidence/" in page.url and "batch" not in page.url


def test_entry_pages_move_with_every_link_to_them_whichever_kind_of_url() -> None:
    paths = ["index.html", "evidence/a-b/index.html", "evidence/a-b/chart.svg", "evidence/c.html",
             "evidence/index.html", "dimensions/scope/index.html"]
    keyed = KeyedEntries.of(paths, b"k" * 32, "people/x/")
    assert sorted(keyed.keys) == ["a-b", "c"]  # an index of entries is no entry
    a, c = keyed.keys["a-b"], keyed.keys["c"]
    assert keyed.keys != KeyedEntries.of(paths, b"k" * 32, "people/y/").keys
    assert [keyed.path(p) for p in paths] == [
        "index.html", f"evidence/{a}/index.html", f"evidence/{a}/chart.svg", f"evidence/{c}.html",
        "evidence/index.html", "dimensions/scope/index.html"]
    page = ('<a href="../../evidence/a-b/#outcome">x</a> <a href="../../evidence/c.html">y</a> '
            '<a href="../../evidence/a-bc/">z</a> <a href="https://example.com/evidence/a-b/">w</a>')
    assert keyed.page("dimensions/scope/index.html", page) == (
        f'<a href="../../evidence/{a}/#outcome">x</a> <a href="../../evidence/{c}.html">y</a> '
        '<a href="../../evidence/a-bc/">z</a> <a href="https://example.com/evidence/a-b/">w</a>')
    # From one entry to another and to its own files: the way through the parent folder.
    assert keyed.page(f"evidence/{a}/index.html", '<a href="../c.html"><img src="chart.svg">') == (
        f'<a href="../{c}.html"><img src="chart.svg">')
    index = json.dumps({"config": {}, "docs": [{"location": "evidence/a-b/#x"}, {"location": ""}]})
    assert json.loads(keyed.search_index(index.encode()))["docs"] == [
        {"location": f"evidence/{a}/#x"}, {"location": ""}]
