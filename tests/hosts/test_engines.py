"""The engines that can host a packet: MkDocs 1.6, ProperDocs and Zensical.

ProperDocs, a fork of MkDocs 1.6, loads our plugin from the same ``mkdocs.plugins`` entry point, so
the example packet must come out of it exactly as out of MkDocs but for the generator meta tag.
Zensical reads mkdocs.yml but skips third-party plugins: here it builds a plain docs folder, and
``zensical_build`` is what a test of a generated folder builds it with.

Each engine runs as a subprocess of this interpreter. A missing engine skips its tests, except
under CI (CI=true), where it fails them: the dev extra installs all three.
"""

from __future__ import annotations

import dataclasses
import difflib
import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import TESTS, build_site, example_packet
from promo_packet.sharing.publish import MARKER

PLAIN_DOCS = TESTS / "fixtures" / "plain-docs"
GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)">')
DAY = "1796126400"
"""2026-12-01 at noon (UTC), as ``SOURCE_DATE_EPOCH``: the day of every build this module compares,
so that a run across midnight does not compare a site of one day with a site of the next."""
# The same settings for every build, whatever the shell has set: no password (its salt is random),
# the default audience, the PDF stage on (pages link to the PDF), one day; and no nagging about MkDocs 2.
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("PROMO_")},
       "PROMO_PDF": "1", "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1",
       "SOURCE_DATE_EPOCH": DAY}
NO_PDF = {**ENV, "PROMO_PDF": "0"}
"""For the tests that read no PDF: its rendering is the slowest stage."""


@pytest.fixture(scope="module", autouse=True)
def one_day() -> Iterator[None]:
    """The builds made in this process on :data:`DAY` too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DAY)
        yield


def engine(module: str) -> list[str]:
    """The command line that runs ``module``'s CLI with this interpreter."""
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is required in CI: `make install` installs the dev extra")
        pytest.skip(f"{module} is not installed (pip install -e '.[dev]')")
    return [sys.executable, "-m", module]


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command[2:])} failed:\n{result.stdout}{result.stderr}"


def build_with(command: list[str], root: Path, site: Path) -> Path:
    """``root``'s mkdocs.yml built strictly by an engine's ``build`` command into ``site``."""
    run([*command, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)], root)
    return site


@dataclasses.dataclass(frozen=True)
class ZensicalSite:
    site: Path
    search: dict[str, Any]


def zensical_build(folder: Path) -> ZensicalSite:
    """Build ``folder`` (mkdocs.yml + docs/) with ``zensical build --strict``.

    Zensical writes the site to ``site_dir`` (default ``site``) inside ``folder``, refusing any
    outside it, keeps a cache in ``folder/.cache`` (cleared here, so a rebuild is whole), and writes
    its search index to ``search.json`` at the site's root.
    """
    run([*engine("zensical"), "build", "--clean", "--strict", "-f", str(folder / "mkdocs.yml")], folder)
    site = folder / "site"
    return ZensicalSite(site, json.loads((site / "search.json").read_text(encoding="utf-8")))


def search_entries(index: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(location, title, text) of each section in a search index, Material's (``docs``) or
    Zensical's (``items``), in the index's order."""
    return [(e["location"], e["title"], e["text"]) for e in index.get("docs", index.get("items", []))]


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def html_pages(site: Path) -> list[str]:
    return sorted(f for f in files(site) if f.endswith(".html"))


def soup(site: Path, uri: str) -> BeautifulSoup:
    return BeautifulSoup((site / uri).read_text(encoding="utf-8"), "html.parser")


def links(site: Path, uri: str) -> list[str]:
    """Every link of a page, resolved against the URL it is served at, in document order."""
    base = "https://site.invalid/" + uri.removesuffix("index.html")
    return [urljoin(base, node[attr]) for node in soup(site, uri).select("[href], [src]")
            for attr in ("href", "src") if node.has_attr(attr)]


def text(site: Path, uri: str) -> str:
    page = soup(site, uri)
    article = page.select_one("article") or page.body
    assert article is not None
    return re.sub(r"\s+", " ", article.get_text(" ")).strip()


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example packet built by MkDocs and by ProperDocs, PDF included: then the pages link
    to packet.pdf and the PDF stage runs under each engine."""
    commands = {module: engine(module) for module in ("mkdocs", "properdocs")}
    base = tmp_path_factory.mktemp("engines")

    def build(module: str) -> Path:
        return build_with(commands[module], example_packet(base / module), base / module / "site")

    # Side by side: each build is a process of its own, and the slowest setup of the suite.
    with ThreadPoolExecutor(max_workers=2) as builds:
        mkdocs, properdocs = builds.map(build, commands)
    return mkdocs, properdocs


def test_properdocs_writes_the_same_files(example_sites: tuple[Path, Path]) -> None:
    mkdocs, properdocs = example_sites
    assert files(properdocs) == files(mkdocs)
    assert {"index.html", "packet.pdf", "search/search_index.json"} <= files(mkdocs)


def test_properdocs_pages_have_the_same_text_and_links(example_sites: tuple[Path, Path]) -> None:
    mkdocs, properdocs = example_sites
    for uri in html_pages(mkdocs):
        assert text(properdocs, uri) == text(mkdocs, uri), uri
        assert links(properdocs, uri) == links(mkdocs, uri), uri


def test_properdocs_indexes_the_same_sections(example_sites: tuple[Path, Path]) -> None:
    mkdocs, properdocs = example_sites
    index = "search/search_index.json"
    assert search_entries(json.loads((properdocs / index).read_text())) == search_entries(
        json.loads((mkdocs / index).read_text()))


def generator(site: Path) -> str:
    found = GENERATOR.search((site / "index.html").read_text(encoding="utf-8"))
    assert found is not None
    return found.group(1)


def content(path: Path) -> str:
    """A built file as text to compare: HTML without its generator tag, gzip unpacked (its header
    holds a timestamp), anything else decoded as it is."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    if path.name == MARKER:  # its manifest holds each page's digest, generator tag included: the names
        marker = json.loads(data)
        return json.dumps({**marker, "files": sorted(marker["files"])})
    return GENERATOR.sub("", data.decode(errors="replace"))


def test_properdocs_differs_only_in_the_generator_tag(example_sites: tuple[Path, Path]) -> None:
    mkdocs, properdocs = example_sites
    assert generator(mkdocs).startswith("mkdocs-1.6")
    assert generator(properdocs).startswith("mkdocs-ProperDocs 1.6")
    for name in sorted(files(mkdocs) - {"packet.pdf"}):
        ours, theirs = content(mkdocs / name), content(properdocs / name)
        if ours != theirs:
            diff = difflib.unified_diff(ours.splitlines(), theirs.splitlines(), lineterm="", n=0)
            pytest.fail(f"{name} differs:\n" + "\n".join(list(diff)[:20]))
    assert pdf_text(properdocs / "packet.pdf") == pdf_text(mkdocs / "packet.pdf")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> ZensicalSite:
    folder = tmp_path_factory.mktemp("zensical") / "plain"
    shutil.copytree(PLAIN_DOCS, folder)
    return zensical_build(folder)


def test_zensical_builds_every_page(plain: ZensicalSite) -> None:
    assert set(html_pages(plain.site)) == {"404.html", "index.html", "sub/other/index.html",
                                           "secret/index.html", "orphan/index.html"}
    assert "css/extra.css" in files(plain.site)
    home = soup(plain.site, "index.html")
    assert home.title is not None and home.title.get_text() == "Front matter title - Plain docs"
    assert "./css/extra.css" in [link["href"] for link in home.select("link[rel=stylesheet]")]
    assert "fonts.googleapis.com" not in str(home)
    assert home.select_one("article .admonition.note .admonition-title") is not None
    assert home.select("article .grid.cards li") and home.select("article table td")


def test_zensical_follows_the_nav_and_rewrites_links(plain: ZensicalSite) -> None:
    nav = soup(plain.site, "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    titles = [node.get_text(" ", strip=True) for node in nav.select(".md-nav__link")]
    assert [t for t in titles if t in {"Home", "Section", "Other page", "Secret page", "Orphan"}] == [
        "Home", "Home", "Section", "Other page", "Secret page"]
    assert links(plain.site, "index.html").count("https://site.invalid/sub/other/#second-part") == 1
    assert "https://site.invalid/orphan/" in links(plain.site, "index.html")
    assert "https://site.invalid/" in links(plain.site, "sub/other/index.html")


def test_zensical_search_index_has_a_section_per_heading(plain: ZensicalSite) -> None:
    assert [(location, title) for location, title, _ in search_entries(plain.search)] == [
        ("", "The home heading"), ("#custom-id", "Second heading"), ("orphan/", "Orphan"),
        ("sub/other/", "Other page"), ("sub/other/#second-part", "Second part")]
    everything = json.dumps(plain.search)
    assert "Admonition body text" in everything and "Card two text" in everything
    for hidden in ("zzsecret", "zzparagraph", "zzblock"):
        assert hidden not in everything, hidden


def test_zensical_indexes_what_mkdocs_indexes(plain: ZensicalSite, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(PLAIN_DOCS, root)
    site = build_site(root, tmp_path / "site", strict=True)
    material = json.loads((site / "search" / "search_index.json").read_text())
    assert search_entries(plain.search) == search_entries(material)
    assert html_pages(plain.site) == html_pages(site)


def promo(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``promo ARGS`` in a process of its own, with the engines' settings."""
    return subprocess.run([sys.executable, "-m", "promo_packet", *args], cwd=cwd, env=env or ENV,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ZensicalSite]:
    """The example packet written by `promo gen` and built by Zensical, which runs no plugin."""
    engine("zensical")
    root = example_packet(tmp_path_factory.mktemp("generated"))
    done = promo("gen", "out", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "promo gen: sponsor audience;" in done.stderr
    return root / "out", zensical_build(root / "out")


def article_links(site: Path, uri: str) -> list[str]:
    """The links of a page's article, resolved against the URL it is served at (the example's)."""
    article = soup(site, uri).select_one("article")
    assert article is not None
    base = "https://priya.example.com/packet/" + uri.removesuffix("index.html")
    return [urljoin(base, a["href"]) for a in article.select("a[href]")
            if "headerlink" not in a.get("class", [])]


def test_zensical_builds_every_generated_page_link_and_search_entry(
        example_sites: tuple[Path, Path], generated: tuple[Path, ZensicalSite]) -> None:
    mkdocs, (_, zensical) = example_sites[0], generated
    assert set(html_pages(zensical.site)) == set(html_pages(mkdocs))
    assert {"packet.pdf", "robots.txt", "assets/promo-packet.css"} <= files(zensical.site)
    for uri in html_pages(mkdocs):
        if uri != "404.html":
            assert article_links(zensical.site, uri) == article_links(mkdocs, uri), uri
            assert text(zensical.site, uri) == text(mkdocs, uri), uri
    ours = search_entries(json.loads((mkdocs / "search" / "search_index.json").read_text()))
    assert sorted(search_entries(zensical.search)) == sorted(ours)  # each engine has its own order
    # Listings and an entry's facts stay out of the index under Zensical too.
    assert not [entry for entry in ours if entry[0].startswith("timeline/") and "evidence" in entry[2]]


def test_the_generated_folder_builds_with_mkdocs_without_the_plugin(
        example_sites: tuple[Path, Path], generated: tuple[Path, ZensicalSite], tmp_path: Path) -> None:
    out, _ = generated
    config = (out / "mkdocs.yml").read_text()
    assert "- promo-packet" not in config and "nav:" in config
    site = build_with(engine("mkdocs"), out, tmp_path / "site")
    mkdocs = example_sites[0]
    assert files(site) - {".promo-packet.json"} == files(mkdocs) - {".promo-packet.json"}
    for uri in html_pages(mkdocs):
        assert text(site, uri) == text(mkdocs, uri), uri


def test_promo_gen_keys_entry_urls_when_a_password_is_configured(tmp_path: Path) -> None:
    root = example_packet(tmp_path)
    done = promo("gen", "out", cwd=root, env={**NO_PDF, "PROMO_PASSWORD": "correct horse battery staple"})
    assert done.returncode == 0, done.stderr
    assert "entry URLs are keyed with the password" in done.stderr and "promo seal" in done.stderr
    entries = sorted(p.name for p in (root / "out" / "docs" / "evidence").iterdir())
    assert entries and all(re.fullmatch(r"[0-9a-f]{12}\.md", name) for name in entries), entries
    plain = promo("gen", "plain", cwd=root, env=NO_PDF)
    assert "promo seal" not in plain.stderr
    assert not [p for p in (root / "plain" / "docs" / "evidence").iterdir() if p.name in entries]


def test_promo_gen_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    root = example_packet(tmp_path)
    (root / "mine").mkdir()
    (root / "mine" / "notes.md").write_text("mine")
    done = promo("gen", "mine", cwd=root, env=NO_PDF)
    assert done.returncode == 1 and "did not write" in done.stderr
    assert (root / "mine" / "notes.md").read_text() == "mine"
    assert promo("gen", "out", cwd=root, env=NO_PDF).returncode == 0
    assert promo("gen", "out", cwd=root, env=NO_PDF).returncode == 0  # its own folder: replaced whole


def test_gen_then_zensical_then_seal_leaves_no_plaintext(tmp_path: Path) -> None:
    from conftest import ALL_CANARIES, PASSWORD, make_packet, protected, site_text

    root = make_packet(tmp_path)
    protected(root)  # password: !ENV PROMO_PASSWORD
    slug = "canary-sponsor-kw2"  # an entry's file name: its URL is keyed from the start
    canaries = [c for c in ALL_CANARIES if "PRIVATE" not in c.upper() and c != slug]  # a sponsor build's
    assert promo("gen", "out", cwd=root, env={**ENV, "PROMO_PASSWORD": PASSWORD}).returncode == 0
    plain = site_text(zensical_build(root / "out").site)
    assert all(canary in plain for canary in canaries)  # the canaries are there to be found
    assert slug not in plain
    assert not [c for c in ALL_CANARIES if "PRIVATE" in c.upper() and c.lower() in plain.lower()]
    sealed = promo("seal", "out/site", cwd=root, env={**ENV, "PROMO_PASSWORD": PASSWORD})
    assert sealed.returncode == 0, sealed.stderr
    raw = site_text(root / "out" / "site")
    assert not [canary for canary in ALL_CANARIES if canary.lower() in raw.lower()]
    assert "search.json sealed" in sealed.stderr and (root / "out" / "site" / "packet.pdf.sealed").is_file()
