"""The calibration PDF, opened with pypdf: pages, outline, links, metadata, audiences, bytes."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import REPO, build_site, make_packet, set_options
from promo_packet import Audience, assemble, read_config
from promo_packet.cli import main
from promo_packet.model.plan import load_plan
from promo_packet.model.progress import plan_status
from promo_packet.model.settings import PdfSettings
from promo_packet.render.pdf import print_html, render_pdf

BUILT = dt.date(2026, 11, 1)


def packet_of(root: Path, audience: Audience | None = None):  # type: ignore[no-untyped-def]
    options, problems = read_config(root / "mkdocs.yml")
    assert not problems
    settings = options.packet
    if audience is not None:
        import dataclasses

        settings = dataclasses.replace(settings, audience=audience)
    assembly = assemble(options.sources, settings)
    assert assembly.packet is not None, assembly.problems
    return assembly.packet, options.pdf


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def links(reader: PdfReader, index: int) -> list[tuple[str, int]]:
    """(text under the link, destination page index) for each internal link on a page.

    WeasyPrint writes one annotation per box of a link; boxes of one link share a name.
    """
    page = reader.pages[index]
    fragments: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            fragments.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text))

    page.extract_text(visitor_text=visit)
    merged: dict[str, list[object]] = {}
    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        target = annot.get("/Dest")
        if annot.get("/Subtype") != "/Link" or target is None:
            continue
        name = str(target)
        x0, x1 = sorted(float(v) for v in annot["/Rect"][0::2])
        y0, y1 = sorted(float(v) for v in annot["/Rect"][1::2])
        words = "".join(t for x, y, t in fragments if x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1)
        if name not in merged:
            number = reader.get_destination_page_number(reader.named_destinations[name])
            merged[name] = [words.strip(), number]
        elif len(words.strip()) > len(str(merged[name][0])):
            merged[name][0] = words.strip()
    return [(str(text), int(str(number))) for text, number in merged.values()]


def page_text(reader: PdfReader, index: int) -> str:
    return re.sub(r"\s+", " ", reader.pages[index].extract_text())


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[PdfReader, object, object]:
    packet, settings = packet_of(REPO)
    options, _ = read_config(REPO / "mkdocs.yml")
    plan, _ = load_plan(options.sources.plan or REPO / "plan.yml", REPO)
    assert plan is not None
    target = tmp_path_factory.mktemp("pdf") / "packet.pdf"
    result = render_pdf(packet, target, settings, built=BUILT, plan=plan_status(plan, packet, BUILT))
    return PdfReader(target), result, packet


def test_example_fits_its_page_budget(example) -> None:  # type: ignore[no-untyped-def]
    reader, result, packet = example
    assert result.problems == []
    assert result.budget_pages <= 6
    assert len(reader.pages) == result.pages
    assert result.entries == len(packet.entries) == 20


def test_outline_names_every_section_dimension_and_entry(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, packet = example
    marks = outline(reader)
    top = [title for depth, title, _ in marks if depth == 0]
    dimension_heads = [c.dimension.name for c in packet.coverage]
    assert top[0] == "Summary" and top[-3:] == ["Gaps", "Agreed criteria", "Appendix: timeline"]
    for name in dimension_heads:
        assert name in top
    entries = {title for depth, title, _ in marks if depth == 1}
    curated = {e.title for c in packet.coverage for e in packet.curated[c.dimension.id]}
    assert curated <= entries


def test_toc_links_and_page_numbers_land_on_their_sections(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, packet = example
    starts = {title.split(" ")[0]: page for depth, title, page in outline(reader) if depth == 0}
    toc = links(reader, 0)
    assert len(toc) == len(packet.coverage) + 4  # summary, gaps, agreed criteria, timeline
    cover = page_text(reader, 0)
    for text, page in toc:
        section = text.split(".")[0].strip()
        assert starts[section.split(" ")[0]] == page, text
        assert re.search(rf"{re.escape(section)} ?\.+ ?{page + 1}\b", cover), (section, page + 1)


def test_summary_links_land_on_their_entries(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, packet = example
    summary = next(p for d, t, p in outline(reader) if t == "Summary")
    assert "Strongest outcomes" in page_text(reader, summary)
    to_entries = [(text, page) for text, page in links(reader, summary) if page > summary]
    strongest = [e.title for e in packet.strongest(5)]
    assert len(to_entries) >= len(packet.coverage) + 4
    checked = 0
    for text, page in to_entries:
        title = next((t for t in strongest if text and text[:25] in t), None)
        if title is not None:
            assert title[:40] in page_text(reader, page), (title, page)
            checked += 1
    assert checked >= 4


def test_metadata_language_and_tags(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, _ = example
    meta = reader.metadata
    assert meta.title == "Promotion packet: Priya Raman, Staff Engineer"
    assert meta.author == "Priya Raman"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root


def test_cover_header_and_footer(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, _ = example
    cover = page_text(reader, 0)
    for fact in ("Priya Raman", "Senior Engineer", "Staff Engineer", "H1 2027 calibration",
                 "Marcus Webb", "1 Nov 2026", "sponsor"):
        assert fact in cover
    third = page_text(reader, 2)
    assert "Priya Raman" in third and "Target: Staff Engineer" in third
    assert f"Page 3 of {len(reader.pages)}" in third


CANARY = {"private": "CANARY-PRIVATE", "sponsor": "CANARY-SPONSOR"}


@pytest.mark.parametrize(("audience", "hidden"), [
    (Audience.SPONSOR, ["private"]), (Audience.COMMITTEE, ["private", "sponsor"]), (Audience.SELF, [])])
def test_pdf_holds_only_the_audience(audience: Audience, hidden: list[str], tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path), audience)
    target = tmp_path / "p.pdf"
    render_pdf(packet, target, settings, built=BUILT)
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    for visibility, canary in CANARY.items():
        assert (canary in text) is (visibility not in hidden), (audience, canary)
    raw = target.read_bytes()
    for visibility in hidden:
        assert CANARY[visibility].encode() not in raw


@pytest.mark.renders_afresh
def test_same_inputs_give_identical_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    packet, settings = packet_of(make_packet(tmp_path))
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_pdf(packet, first, settings)
    render_pdf(packet, second, settings)
    assert first.read_bytes() == second.read_bytes()
    assert "1 Jan 2026" in PdfReader(first).pages[0].extract_text()


def test_unchanged_packet_reuses_the_cached_pdf(tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path))
    cache = tmp_path / "cache"
    first = render_pdf(packet, tmp_path / "a.pdf", settings, cache_dir=cache, built=BUILT)
    second = render_pdf(packet, tmp_path / "b.pdf", settings, cache_dir=cache, built=BUILT)
    assert not first.reused and second.reused
    assert second.pages == first.pages
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    third = render_pdf(packet, tmp_path / "c.pdf", settings, cache_dir=cache, built=dt.date(2026, 11, 2))
    assert not third.reused
    assert len(list(cache.iterdir())) == 2  # only the last PDF and its facts are kept


def _spoil_json(cache: Path) -> None:
    next(cache.glob("*.json")).write_text("not json at all {")


def _empty_json(cache: Path) -> None:
    next(cache.glob("*.json")).write_text("{}")


def _wrong_pages(cache: Path) -> None:
    next(cache.glob("*.json")).write_text('{"pages": "many", "budget_pages": 1}')


def _truncate_pdf(cache: Path) -> None:
    pdf = next(cache.glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 2])


def _garbage_pdf(cache: Path) -> None:
    next(cache.glob("*.pdf")).write_bytes(b"%PDF-1.7 garbage")


def _read_only(cache: Path) -> None:
    """A cache folder nothing can be written into. Root writes through any mode, so there the
    cached files' own names are taken by folders, which no one can write a file over."""
    for file in cache.iterdir():
        file.unlink()
        if os.geteuid() == 0:
            file.mkdir()
    cache.chmod(0o500)


def _a_file(cache: Path) -> None:
    for file in cache.iterdir():
        file.unlink()
    cache.rmdir()
    cache.write_text("not a folder")


@pytest.mark.parametrize("spoil", [
    _spoil_json, _empty_json, _wrong_pages, _truncate_pdf, _garbage_pdf, _a_file,
])
def test_a_spoiled_cache_means_a_fresh_render(spoil, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    packet, settings = packet_of(make_packet(tmp_path))
    cache = tmp_path / "cache"
    good = render_pdf(packet, tmp_path / "a.pdf", settings, cache_dir=cache, built=BUILT)
    spoil(cache)
    try:
        again = render_pdf(packet, tmp_path / "b.pdf", settings, cache_dir=cache, built=BUILT)
    finally:
        if cache.is_dir():
            cache.chmod(0o700)
    assert not again.reused and again.pages == good.pages
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_a_cache_that_cannot_be_written_costs_only_a_render(tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path))
    cache = tmp_path / "cache"
    good = render_pdf(packet, tmp_path / "a.pdf", settings, cache_dir=cache, built=BUILT)
    _read_only(cache)
    try:
        again = [render_pdf(packet, tmp_path / f"{name}.pdf", settings, cache_dir=cache, built=BUILT)
                 for name in ("b", "c")]
        kept = [file.name for file in cache.iterdir() if file.is_file()]
    finally:
        cache.chmod(0o700)
    assert kept == [] and [result.reused for result in again] == [False, False]
    assert (tmp_path / "c.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    assert again[1].pages == good.pages


def test_a_self_or_sealed_pdf_is_never_cached(tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path), Audience.SELF)
    cache = tmp_path / "cache"
    render_pdf(packet, tmp_path / "self.pdf", settings, cache_dir=cache, built=BUILT)
    assert not cache.exists()
    packet, settings = packet_of(make_packet(tmp_path / "sponsor"))
    render_pdf(packet, tmp_path / "sealed", settings, cache_dir=cache, built=BUILT, seal=bytes.upper)
    assert not cache.exists()


def test_over_budget_warns_with_the_count(tmp_path: Path) -> None:
    packet, _ = packet_of(make_packet(tmp_path))
    result = render_pdf(packet, tmp_path / "p.pdf", PdfSettings(page_budget=1), built=BUILT)
    assert [str(p) for p in result.problems] == [
        f"packet.pdf: page_budget: the summary and dimension sections take {result.budget_pages} pages, "
        "over the page budget of 1; lower packet_size, shorten outcomes, or raise page_budget "
        "[pdf-over-budget]"]
    assert result.budget_pages > 1


def test_letter_paper(tmp_path: Path) -> None:
    packet, _ = packet_of(make_packet(tmp_path))
    render_pdf(packet, tmp_path / "p.pdf", PdfSettings(paper="letter"), built=BUILT)
    box = PdfReader(tmp_path / "p.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_print_document_fetches_nothing(tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path))
    html = print_html(packet, settings, BUILT)
    assert not re.search(r"""(src=|url\(|@import|<link)""", html)


def test_mkdocs_build_writes_the_pdf_and_links_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    root = make_packet(tmp_path)
    site = build_site(root, tmp_path / "site", pdf=True)
    assert PdfReader(site / "packet.pdf").pages
    assert 'href="packet.pdf"' in (site / "index.html").read_text()
    assert re.search(r"PDF packet.pdf: \d+ pages \(\d+ summary and dimensions\), 4 entries", caplog.text)
    assert (root / ".cache" / "promo-packet").is_dir()


def test_pdf_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_packet(tmp_path)
    monkeypatch.setenv("PROMO_PDF", "0")
    site = build_site(root, tmp_path / "site", pdf=True)
    assert not (site / "packet.pdf").exists()
    assert "packet.pdf" not in (site / "index.html").read_text()
    monkeypatch.setenv("PROMO_PDF", "1")  # on again: the option alone turns it off
    set_options(root, "pdf: false")
    assert not (build_site(root, tmp_path / "site2", pdf=True) / "packet.pdf").exists()


def test_serve_skips_the_pdf_unless_asked(packet: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(packet / "mkdocs.yml"))
    plugin = config.plugins["promo-packet"]
    # MkDocs keeps plugins that have on_startup for the whole process (as under
    # `mkdocs serve`), so this instance is shared with later builds: restore it.
    plugin.on_startup(command="serve", dirty=False)
    try:
        plugin.on_config(config)
        assert plugin.build.pdf is None
        plugin.config.pdf_on_serve = True
        plugin.on_config(config)
        assert plugin.build.pdf is not None
    finally:
        plugin.on_startup(command="build", dirty=False)


def test_promo_pdf_builds_without_mkdocs(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    out = tmp_path / "out" / "mine.pdf"
    result = CliRunner().invoke(main, ["pdf", "-f", str(root / "mkdocs.yml"), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"promo pdf: PDF mine.pdf: \d+ pages .* 4 entries, rendered in [\d.]+ s", result.stderr)
    assert PdfReader(out).metadata.author == "Sam Tester"


def test_the_pdf_passes_the_pdf_ua_checker_with_no_error(example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # pdfua checks the machine-checkable part of PDF/UA-1 (tags, alt text, language, artifacts)
    # without a JVM. Its warnings (table headers without /Scope, which WeasyPrint does not write)
    # need a person to judge; its errors are defects.
    import json
    import subprocess
    import sys

    _, result, _ = example
    target = tmp_path / "example.pdf"
    target.write_bytes(result.data)
    checker = Path(sys.executable).with_name("pdfua")
    done = subprocess.run([str(checker), "check", "--format", "json", str(target)],
                          capture_output=True, text=True, check=False)
    assert done.returncode in (0, 2), done.stdout + done.stderr  # 3: errors, 4: not a PDF
    report = json.loads(done.stdout)
    assert report["summary"]["errors"] == 0, [f for f in report["findings"] if f["severity"] == "error"]
    assert report["summary"]["rules_run"] > 5  # it read the document, not a stub


def uris(reader: PdfReader, index: int) -> set[str]:
    """The targets of the external links (``/URI`` annotations) on a page."""
    found = set()
    for annot in reader.pages[index].get("/Annots", []):
        action = annot.get_object().get("/A")
        if action is not None and "/URI" in action:
            found.add(str(action["/URI"]))
    return found


def test_entry_links_work_and_print_their_address(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, packet = example
    printed = {e.slug: e for c in packet.coverage for e in packet.curated[c.dimension.id]}
    wanted = {link for e in printed.values() for link in e.links}
    assert len(wanted) >= 3
    every = set().union(*(uris(reader, i) for i in range(len(reader.pages))))
    assert {link.url for link in wanted} <= every
    # On paper the address is the link: printed after its label (wrapped lines joined).
    text = "".join(page_text(reader, i).replace(" ", "") for i in range(len(reader.pages)))
    for link in wanted:
        assert link.url.replace(" ", "") in text, link.url


def test_cover_links_to_the_site_and_names_its_reader(example) -> None:  # type: ignore[no-untyped-def]
    reader, _, _ = example
    site = "https://priya.example.com/packet/"
    assert site in uris(reader, 0) and site in page_text(reader, 0)
    assert "Prepared for the sponsor" in page_text(reader, 0)


@pytest.mark.parametrize(("audience", "words"), [
    (Audience.COMMITTEE, "the promotion committee"), (Audience.SELF, "yourself (private)")])
def test_cover_names_the_audience_in_words(audience: Audience, words: str, tmp_path: Path) -> None:
    packet, settings = packet_of(make_packet(tmp_path), audience)
    assert f"<dt>Prepared for</dt><dd>{words}</dd>" in print_html(packet, settings, BUILT)


def test_no_page_is_under_half_full_but_the_last(example) -> None:  # type: ignore[no-untyped-def]
    """Fullness is the height the text takes on a page: from the top of the page area (the
    margin) down to the lowest line's baseline, over the area's height; the running header and
    footer, in the margins, are left out. Short sections follow on instead of each starting a
    page, so only the end of the document may leave a page mostly empty."""
    reader, _, _ = example
    mm = 72 / 25.4
    fullness = []
    for page in reader.pages:
        top, bottom = float(page.mediabox.height) - 20 * mm, 18 * mm
        lines: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  into: list[float] = lines, top: float = top, bottom: float = bottom) -> None:
            y = cm[5] + tm[5] * cm[3]
            if text.strip() and bottom < y < top:
                into.append(y)

        page.extract_text(visitor_text=visit)
        fullness.append((top - min(lines)) / (top - bottom))
    assert all(full >= 0.5 for full in fullness[:-1]), [round(f, 2) for f in fullness]
