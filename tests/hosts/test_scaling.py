"""What keeps a packet of thousands of entries as cheap to build as plain pages.

Counts and sizes, not times (bench/run.py measures those): a page's work must
not grow with the number of entries, no evidence file is parsed twice, and a
rebuild under `mkdocs serve` parses only the file that changed.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, build_site
from promo_packet import EvidenceLoader, PacketSettings, build_packet, load_evidence, load_rubric
from promo_packet.hosts.plugin import PromoPacketPlugin
from promo_packet.render.pages import IN_FULL, GeneratedPage, render_pages, text

sys.path.insert(0, str(REPO / "bench"))
from synthetic import generate

SMALL, LARGE = 30, 60


def plugin() -> PromoPacketPlugin:
    """MkDocs keeps one plugin instance per process, as `mkdocs serve` does across rebuilds."""
    from mkdocs.config import load_config

    found = load_config(config_file=str(REPO / "mkdocs.yml")).plugins["promo-packet"]
    assert isinstance(found, PromoPacketPlugin)
    return found


def loader() -> EvidenceLoader:
    return plugin().loader


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("scaling")
    return {n: build_site(generate(base / f"packet-{n}", n), base / f"site-{n}") for n in (SMALL, LARGE)}


def html(site: Path, uri: str) -> BeautifulSoup:
    return BeautifulSoup((site / uri).read_text(encoding="utf-8"), "html.parser")


def test_navigation_does_not_grow_with_entries(sites: dict[int, Path]) -> None:
    links = {}
    for n, site in sites.items():
        nav = html(site, "index.html").select_one("nav.md-nav--primary")
        links[n] = [a["href"] for a in nav.select("a[href]")]
        assert not [href for href in links[n] if "evidence/" in href]
    assert links[SMALL] == links[LARGE]


def test_an_entry_page_is_the_same_in_any_packet(sites: dict[int, Path]) -> None:
    # The first synthetic entry is the same whatever N; its built page must be too.
    pages = {n: sorted((site / "evidence").glob("2020-01-01-*/index.html")) for n, site in sites.items()}
    assert len(pages[SMALL]) == len(pages[LARGE]) == 1
    assert pages[SMALL][0].read_bytes() == pages[LARGE][0].read_bytes()


def packet_of(root: Path, only: str | None = None) -> tuple[list[GeneratedPage], int]:
    ladder, _ = load_rubric(root / "rubric", root)
    assert ladder is not None
    entries = load_evidence(root / "evidence", root).entries
    if only is not None:
        entries = [e for e in entries if e.slug == only]
    settings = PacketSettings(current_level="senior", target_level="staff")
    packet, problems = build_packet(ladder, entries, settings)
    assert packet is not None, problems
    return list(render_pages(packet)), len(packet.entries)


def test_entry_pages_hold_nothing_from_other_entries(tmp_path: Path) -> None:
    root = generate(tmp_path / "packet", LARGE)
    pages, _ = packet_of(root)
    entries = [page for page in pages if page.uri.startswith("evidence/")]
    for page in entries[:: len(entries) // 5]:
        alone, _ = packet_of(root, only=page.uri.removeprefix("evidence/").removesuffix(".md"))
        assert page.content == next(p for p in alone if p.uri == page.uri).content


def test_an_entry_page_is_its_title_card_and_narrative_as_written(tmp_path: Path) -> None:
    # The generator makes the title and the table of contents from the heading; the narrative
    # goes to Markdown as written, after the card.
    root = generate(tmp_path / "packet", SMALL)
    pages, count = packet_of(root)
    entries = {e.slug: e for e in load_evidence(root / "evidence", root).entries}
    shown = [page for page in pages if page.uri.startswith("evidence/")]
    assert len(shown) == count
    for page in shown:
        entry = entries[page.uri.removeprefix("evidence/").removesuffix(".md")]
        assert page.content.endswith(f"</div>\n\n{entry.body}")
        assert f"\n# {text(entry.title)}\n\n<div class=\"pp-card\">" in page.content
        assert not page.listed and page.narrative == entry.body


def test_only_listings_grow_and_only_linearly(tmp_path: Path) -> None:
    sizes: dict[int, dict[str, int]] = {}
    for n in (SMALL, LARGE):
        pages, count = packet_of(generate(tmp_path / f"packet-{n}", n))
        sizes[count] = {page.uri: len(page.content) for page in pages
                        if not page.uri.startswith("evidence/")}
    small, large = sorted(sizes)
    for uri in ("index.md", "packet.md", "gaps.md"):
        assert sizes[large][uri] < sizes[small][uri] * 1.2, uri
    for uri in sizes[large]:
        assert sizes[large][uri] < sizes[small][uri] * large / small * 1.2, uri


def test_the_search_index_grows_linearly(sites: dict[int, Path]) -> None:
    docs = {n: json.loads((site / "search" / "search_index.json").read_text())["docs"]
            for n, site in sites.items()}
    size = {n: sum(len(d["text"]) for d in found) for n, found in docs.items()}
    assert size[LARGE] < size[SMALL] * LARGE / SMALL * 1.2


def test_dimension_pages_have_a_bounded_number_of_sections(sites: dict[int, Path]) -> None:
    # A heading per entry made the search plugin look up every section in a table of
    # contents as long as the page: quadratic. Past the strongest IN_FULL, entries are lines.
    docs = json.loads((sites[LARGE] / "search" / "search_index.json").read_text())["docs"]
    sections = Counter(d["location"].split("#")[0] for d in docs if d["location"].startswith("dimensions/"))
    assert len(sections) == 6
    # title, expectations, two levels, evidence, the strongest IN_FULL, "N more"
    assert max(sections.values()) <= 5 + IN_FULL + 1


def test_each_evidence_file_is_parsed_once_per_build(tmp_path: Path) -> None:
    root = generate(tmp_path / "packet", SMALL)
    files = len(list((root / "evidence").rglob("*.md")))
    parses = loader().parses
    build_site(root, tmp_path / "site")
    assert loader().parses - parses == files


def test_a_rebuild_parses_only_the_changed_file(tmp_path: Path) -> None:
    root = generate(tmp_path / "packet", SMALL)
    build_site(root, tmp_path / "site")
    changed = next(p for p in sorted((root / "evidence").rglob("*.md"))
                   if "visibility: committee" in p.read_text())
    changed.write_text(changed.read_text().replace("title: ", "title: Renamed ", 1))
    os.utime(changed, ns=(1, 1))
    parses = loader().parses
    site = build_site(root, tmp_path / "site")
    assert loader().parses - parses == 1
    assert "Renamed " in (site / "evidence" / changed.stem / "index.html").read_text()


def test_a_rebuild_renders_the_card_of_the_changed_entry_only(tmp_path: Path) -> None:
    root = generate(tmp_path / "packet", SMALL)
    site = build_site(root, tmp_path / "site")
    entries = len(list((site / "evidence").glob("*/index.html")))
    memo = plugin().memo
    changed = next(p for p in sorted((root / "evidence").rglob("*.md"))
                   if "visibility: committee" in p.read_text() and "level: staff" in p.read_text())
    changed.write_text(changed.read_text().replace("outcome: ", "outcome: Newly ", 1))
    renders = memo.renders
    site = build_site(root, tmp_path / "site")
    assert memo.renders - renders == 1  # its page
    assert "Newly " in (site / "evidence" / changed.stem / "index.html").read_text()
    # What an entry's card shows from the rubric reaches every card, though no entry changed.
    ladder = root / "rubric" / "ladder.yml"
    ladder.write_text(ladder.read_text().replace("title: Staff Engineer", "title: Staff (L6)")
                      .replace("name: Scope and impact", "name: Scope of impact"))
    renders = memo.renders
    site = build_site(root, tmp_path / "site")
    # Rendered again: the pages of the entries the change shows in, and only those.
    shown = re.compile(r'class="pp-meta[^"]*"[^>]*>[^\n]*(Staff \(L6\)|Scope of impact)')
    touched = [page for page in (site / "evidence").glob("*/index.html") if shown.search(page.read_text())]
    assert 0 < len(touched) < entries
    assert memo.renders - renders == len(touched)
    facts = BeautifulSoup((site / "evidence" / changed.stem / "index.html").read_text(), "html.parser")
    line = facts.select_one(".pp-card .pp-meta")
    assert line is not None and "Staff (L6)" in line.get_text()
    scoped = next(page for page in (site / "evidence").glob("*/index.html")
                  if "dimensions/scope/" in page.read_text())
    assert "Scope of impact" in scoped.read_text() and "Scope and impact" not in scoped.read_text()


def test_a_second_build_in_one_process_compiles_no_theme_template(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs makes a new template environment for every build; the theme's compiled templates
    are kept for the process (a preview's rebuilds, a binder's packets), the same pages written."""
    import jinja2

    from conftest import make_packet

    root = make_packet(tmp_path)
    first = build_site(root, tmp_path / "first")
    compiled: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: object) -> object:
        compiled.append(name)
        return compile_(self, source, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    second = build_site(root, tmp_path / "second")
    # Material's search plugin reads its words for the language from an environment of its own.
    assert {name for name in compiled if not (name or "").startswith("partials/language")} == set()
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert pages and pages == sorted(p.relative_to(second) for p in second.rglob("*.html"))
    assert all((first / p).read_bytes() == (second / p).read_bytes() for p in pages)
