"""``promo binder``: bundles, packet folders and git packets bound into one site and one PDF."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ALL, ALL_CANARIES, broken_links, commit_all, make_packet, q, run, site_text
from promo_packet.hosts.export import export_packet
from promo_packet.reading import binder as binder_reading
from reading.test_ids import ladder_packet

TITLE = "Calibration 2026 H2"


def renamed(root: Path, person: str) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("person: Sam Tester", f"person: {person}"))
    return root


@pytest.fixture(scope="module")
def sam_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sam")
    return export_packet(make_packet(base) / "mkdocs.yml", base / "sam.zip").target


@pytest.fixture(scope="module")
def bound(tmp_path_factory: pytest.TempPathFactory, sam_bundle: Path) -> Path:
    """A binder of a bundle (Sam), a packet folder (Robin) and a git packet on a P ladder (Pat)."""
    base = tmp_path_factory.mktemp("binder")
    renamed(make_packet(base / "robin"), "Robin Other")
    # A ladder of P-style ids (P1..P6), from P4 to P5.
    pat = renamed(ladder_packet(base / "pat", [f"P{n}" for n in range(1, 7)], current="P4", target="P5",
                                entry_level="P5", titles=[f"Grade P{n}" for n in range(1, 7)]), "Pat Pee")
    commit_all(pat)
    committee = base / "committee"
    committee.mkdir()
    shutil.copy(sam_bundle, committee / "sam.zip")
    (committee / "BINDER.yml").write_text(f"""title: {TITLE}
cycle: 2026 H2
packets:
  - sam.zip
  - ../robin/packet
  - {{git: "file://{pat}", ref: main}}
""")
    code, _, err = run("binder", str(committee / "BINDER.yml"), "-o", str(committee / "out"), "--jobs", "2")
    assert code == 0, err
    assert "3 packets" in err
    return committee / "out"


def test_the_index_has_a_row_and_a_link_per_person(bound: Path) -> None:
    soup = BeautifulSoup((bound / "site" / "index.html").read_text(), "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in soup.select("article tbody tr")]
    assert rows == [["Sam Tester", "senior → staff", "Test Ladder", "2 of 3", "0"],
                    ["Robin Other", "senior → staff", "Test Ladder", "2 of 3", "0"],
                    ["Pat Pee", "P4 → P5", "Company Ladder", "2 of 2", "0"]]
    links = [a["href"] for a in soup.select("article tbody a")]
    assert links == ["people/sam-tester/", "people/robin-other/", "people/pat-pee/"]
    for link in links:
        assert (bound / "site" / link / "index.html").is_file()
    assert soup.select_one('meta[name="robots"]') is not None
    assert soup.select_one('meta[http-equiv="Content-Security-Policy"]') is not None


def test_the_binder_s_title_names_the_site_once_and_its_page_is_the_index(bound: Path) -> None:
    soup = BeautifulSoup((bound / "site" / "index.html").read_text(), "html.parser")
    assert soup.title.get_text() == TITLE
    navigation = soup.select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert navigation.count(TITLE) == 1 and navigation.startswith(f"{TITLE} Index")
    # The grids' sizes and scrolling come from the packets' own stylesheet.
    assert soup.select_one('link[href="assets/promo-packet.css"]') is not None
    assert (bound / "site" / "assets" / "promo-packet.css").is_file()


def test_the_grid_shows_each_status_in_words_grouped_by_ladder(bound: Path) -> None:
    soup = BeautifulSoup((bound / "site" / "index.html").read_text(), "html.parser")
    grids = soup.select("svg.pp-binder-grid")
    assert [g.select_one("title").get_text() for g in grids] == [
        "Test Ladder: each person's status per dimension at their target level",
        "Company Ladder: each person's status per dimension at their target level"]
    people = [[row["data-person"] for row in grid.select("g.pp-row")] for grid in grids]
    assert people == [["sam-tester", "robin-other"], ["pat-pee"]]
    sam = grids[0].select_one('g[data-person="sam-tester"]')
    cells = {cell["data-dimension"]: cell.get_text() for cell in sam.select("g.pp-cell")}
    assert cells == {"scope": "demonstrated", "influence": "demonstrated", "mentorship": "gap"}
    pat = grids[1].select_one('g[data-person="pat-pee"]')
    assert {c["data-dimension"]: c.get_text() for c in pat.select("g.pp-cell")} == {
        "Tech Scope": "demonstrated", "Influence": "demonstrated"}


def test_each_person_s_pages_are_copied_and_searched_together(bound: Path) -> None:
    site = bound / "site"
    assert (site / "people" / "sam-tester" / "evidence" / "2026-01-10-batch-speedup" / "index.html").is_file()
    assert "Grade P5" in (site / "people" / "pat-pee" / "index.html").read_text()
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    assert "" in locations  # the binder's own index page
    for slug in ("sam-tester", "robin-other", "pat-pee"):
        assert f"people/{slug}/" in locations
    assert any(loc.startswith("people/pat-pee/evidence/") for loc in locations)
    assert broken_links(site) == []


def test_the_pdf_has_an_outline_per_person_and_dimension_and_continuous_numbers(bound: Path) -> None:
    reader = PdfReader(bound / "binder.pdf")
    outline = reader.outline
    top = [(item.title, reader.get_destination_page_number(item))
           for item in outline if not isinstance(item, list)]
    assert [title for title, _ in top] == [TITLE, "Sam Tester", "Robin Other", "Pat Pee"]
    children = [[c.title for c in item if not isinstance(c, list)]
                for item in outline if isinstance(item, list)]
    assert {"Scope", "Influence", "Mentorship"} <= set(children[0])
    assert {"Tech Scope name", "Influence name"} <= set(children[2])
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]
    starts = [page for _, page in top[1:]]
    assert starts == sorted(starts) and starts[0] >= 1
    # The index table's page column says where each packet starts.
    index = reader.pages[starts[0] - 1].extract_text() if starts[0] > 1 else reader.pages[0].extract_text()
    assert f"Pat Pee P4 → P5 Company Ladder 2 of 2 {starts[2] + 1}" in " ".join(index.split())
    assert "Sam Tester" in reader.pages[starts[0]].extract_text()


FOOTER = re.compile(r"Page (\d+) of (\d+)")
CONTENTS_LINE = re.compile(r"^(\S.*?) ?\.{3,}\s*(\d+)$", re.MULTILINE)


def test_every_page_prints_its_number_in_the_binder(bound: Path) -> None:
    reader = PdfReader(bound / "binder.pdf")
    total = len(reader.pages)
    printed = [FOOTER.findall(page.extract_text()) for page in reader.pages]
    # The packet's own number is gone from each of its pages: one number a page, the binder's.
    assert printed == [[(str(index + 1), str(total))] for index in range(total)]


def without_numbers(page: Any) -> str:
    """A page's text without its footer and its contents' numbers."""
    return " ".join(CONTENTS_LINE.sub(r"\1", FOOTER.sub("", page.extract_text())).split())


def flat_outline(reader: PdfReader, items: list[Any]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for item in items:
        if isinstance(item, list):
            found += flat_outline(reader, item)
        else:
            found.append((str(item.title), reader.get_destination_page_number(item)))
    return found


def test_each_person_s_pages_and_outline_are_their_packet_s_in_the_binder(bound: Path) -> None:
    reader = PdfReader(bound / "binder.pdf")
    outline = reader.outline
    people = {"Sam Tester": "sam-tester", "Robin Other": "robin-other", "Pat Pee": "pat-pee"}
    for index, item in enumerate(outline):
        if isinstance(item, list) or item.title not in people:
            continue
        start = reader.get_destination_page_number(item)
        own = PdfReader(bound / "site" / "people" / people[item.title] / "packet.pdf")
        children = outline[index + 1]
        assert isinstance(children, list)
        # Each dimension's entry leads where the packet's own does, moved by where the packet starts.
        assert flat_outline(reader, children) == [(title, start + page)
                                                  for title, page in flat_outline(own, own.outline)]
        assert {"Summary", "Gaps"} <= {title for title, _ in flat_outline(own, own.outline)}
        for page, own_page in enumerate(own.pages):
            bound_text, own_text = (without_numbers(p) for p in (reader.pages[start + page], own_page))
            assert bound_text == own_text, (item.title, page)
        # The contents give each section's page in the binder, as its footer prints it.
        contents = CONTENTS_LINE.findall(reader.pages[start].extract_text())
        assert contents == [(title, str(int(page) + start))
                            for title, page in CONTENTS_LINE.findall(own.pages[0].extract_text())]
        printed = {title: page + 1 for title, page in flat_outline(reader, children)}
        assert {"Summary", "Gaps"} <= {title for title, _ in contents}
        assert [(title, int(page)) for title, page in contents] == [
            (title, printed[title]) for title, _ in contents]


def test_no_canary_reaches_the_binder(bound: Path) -> None:
    pdf = "\n".join(page.extract_text() for page in PdfReader(bound / "binder.pdf").pages)
    text = site_text(bound / "site") + pdf
    assert "Cut the nightly batch" in text
    assert [c for c in ALL_CANARIES if c in text] == []


def rewrite(bundle: Path, dest: Path, *, facts: Callable[[dict[str, Any]], None] | None = None,
            extra: tuple[tuple[zipfile.ZipInfo | str, bytes], ...] = ()) -> Path:
    """A copy of ``bundle`` with its facts changed by ``facts`` and ``extra`` entries added."""
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "facts.json" and facts is not None:
                found = json.loads(data)
                facts(found)
                data = json.dumps(found).encode()
            out.writestr(info, data)
        for name, data in extra:
            out.writestr(name, data)
    return dest


def bind(folder: Path, packets: str, *options: str, head: str = "") -> tuple[int, str]:
    (folder / "BINDER.yml").write_text(f"{head}title: T\ncycle: C\npackets:\n{packets}")
    code, _, err = run("binder", str(folder / "BINDER.yml"), "-o", str(folder / "out"), *options)
    assert "Traceback" not in err
    return code, err


CASES: dict[str, tuple[Callable[[Path, Path], str], str]] = {
    "not a committee bundle": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', facts=lambda f: f.update(audience='sponsor')).name}\n",
        "BINDER.yml:4: error: packets[0]: b.zip: not a committee bundle: built for 'sponsor'"),
    "a newer format": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', facts=lambda f: f.update(format=2)).name}\n",
        "BINDER.yml:4: error: packets[0]: b.zip: a bundle of format 2, newer than this promo-packet reads "
        "(1)"),
    "two packets for one person": (
        lambda s, d: "".join(f"  - {shutil.copy(s, d / name) and name}\n" for name in ("a.zip", "b.zip")),
        "BINDER.yml:5: error: packets[1]: a second packet for 'Sam Tester' (packets[0] is theirs too)"),
    "facts that do not match the PDF": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', facts=lambda f: f['person'].update(name='Eve')).name}\n",
        "BINDER.yml:4: error: packets[0]: b.zip: its facts (for 'Eve', 'Staff Engineer') do not match its "
        "PDF "
        "(author 'Sam Tester'"),
    "a person that is only a name": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', facts=lambda f: f.update(person='x')).name}\n",
        "BINDER.yml:4: error: packets[0]: b.zip: its facts.json is not as promo export writes it: 'person' "
        "should be a mapping of fields, not 'x'"),
    "a dimension without its id": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', facts=lambda f: f['dimensions'][1].pop('id')).name}\n",
        "b.zip: its facts.json is not as promo export writes it: 'dimensions[1].id' is missing"),
    "an entry outside the folder": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', extra=(('site/../../evil.txt', b'x'),)).name}\n",
        "packets[0]: b.zip: the entry 'site/../../evil.txt' would be written outside the bundle's folder"),
    "an absolute path": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', extra=(('/etc/evil.txt', b'x'),)).name}\n",
        "packets[0]: b.zip: the entry '/etc/evil.txt' would be written outside the bundle's folder"),
    "an entry that expands too far": (
        lambda s, d: f"  - {rewrite(s, d / 'b.zip', extra=(('site/zeros.html', bytes(4 << 20)),)).name}\n",
        "packets[0]: b.zip: the entry 'site/zeros.html' expands"),
    "a path that does not exist": (
        lambda s, d: "  - nowhere.zip\n",
        "BINDER.yml:4: error: packets[0]: 'nowhere.zip' does not exist"),
    "a git URL that cannot be cloned": (
        lambda s, d: f"  - {{git: 'file://{d}/no-repo', ref: main}}\n",
        "BINDER.yml:4: error: packets[0]: file://{d}/no-repo@main: cannot clone file://{d}/no-repo at "
        "'main'"),
    "an unknown key": (
        lambda s, d: "  - {git: 'file:///x', ref: main, branch: main}\n",
        "BINDER.yml:4: error: packets[0].branch: unknown key\n  hint: known keys: git, ref"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_a_located_problem_and_nothing_is_written(case: str, sam_bundle: Path,
                                                                tmp_path: Path) -> None:
    make, expected = CASES[case]
    code, err = bind(tmp_path, make(sam_bundle, tmp_path))
    assert code == 1
    assert expected.replace("{d}", str(tmp_path)) in err, err
    assert not (tmp_path / "out").exists()
    assert "nothing was written" in err


def test_an_unknown_top_level_key_and_a_ref_that_does_not_exist(tmp_path: Path) -> None:
    code, err = bind(tmp_path, "  - nowhere.zip\n", head="titel: x\n")
    assert code == 1
    assert "BINDER.yml:1: error: titel: unknown key\n  hint: known keys: title, cycle, packets" in err
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("x")
    commit_all(repo)
    code, err = bind(tmp_path, f"  - {{git: 'file://{repo}', ref: no-such-ref}}\n")
    assert code == 1 and f"packets[0]: file://{repo}@no-such-ref: cannot clone" in err, err
    assert not (tmp_path / "out").exists()


def test_the_whole_bundle_is_limited_too(sam_bundle: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(binder_reading, "MAX_BUNDLE_BYTES", 100_000)
    shutil.copy(sam_bundle, tmp_path / "b.zip")
    code, err = bind(tmp_path, "  - b.zip\n")
    assert code == 1 and "packets[0]: b.zip: it expands to" in err and "over the limit of 100,000" in err


def test_a_failing_packet_stops_the_binder_unless_skipped(sam_bundle: Path, tmp_path: Path) -> None:
    broken = make_packet(tmp_path / "broken")
    (broken / "evidence" / "2026-07-01-broken.md").write_text("---\ntitle: Broken\ndate: someday\n---\n")
    shutil.copy(sam_bundle, tmp_path / "sam.zip")
    packets = "  - sam.zip\n  - broken/packet\n"
    code, err = bind(tmp_path, packets)
    assert code == 1, err
    assert "BINDER.yml:5: error: packets[1]: broken/packet: the packet does not build" in err
    assert "evidence/2026-07-01-broken.md:3" in err
    assert not (tmp_path / "out").exists()
    code, err = bind(tmp_path, packets, "--skip-failed")
    assert code == 0, err
    assert "skipped BINDER.yml:5 packets[1]" in err
    index = (tmp_path / "out" / "site" / "index.html").read_text()
    assert "Not in this binder" in index and "the packet does not build" in index
    outline = PdfReader(tmp_path / "out" / "binder.pdf").outline
    assert [item.title for item in outline if not isinstance(item, list)] == ["T", "Sam Tester"]



def test_the_binder_s_own_words_show_as_written(sam_bundle: Path, tmp_path: Path) -> None:
    shutil.copy(sam_bundle, tmp_path / "sam.zip")
    (tmp_path / "BINDER.yml").write_text(f"title: {q(ALL)}\ncycle: {q(ALL)}\npackets:\n  - sam.zip\n")
    code, _, err = run("binder", str(tmp_path / "BINDER.yml"), "-o", str(tmp_path / "out"))
    assert code == 0, err
    soup = BeautifulSoup((tmp_path / "out" / "site" / "index.html").read_text(), "html.parser")
    assert soup.select("img, svg[onload], [onerror], [onmouseover], [onclick]") == []
    assert [s for s in soup.select("script") if "alert" in s.get_text()] == []
    assert " ".join(ALL.split()) in " ".join(soup.select_one("article h1").get_text().split())


def test_a_binder_replaces_its_own_folder_and_nothing_else(sam_bundle: Path, tmp_path: Path) -> None:
    shutil.copy(sam_bundle, tmp_path / "sam.zip")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    code, err = bind(tmp_path, "  - sam.zip\n")
    assert code == 1 and "is not a binder's folder" in err
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"
    (tmp_path / "out" / "notes.txt").unlink()
    for _ in range(2):
        code, err = bind(tmp_path, "  - sam.zip\n")
        assert code == 0, err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [".promo-binder.json", "binder.pdf", "site"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
