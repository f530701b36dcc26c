"""End to end: build real sites from the fixture packet and read what was written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CANARIES, SEEN_BY, broken_links, build_site, site_text_of, user_files
from promo_packet.render.pages import IN_FULL

PAGES = ["index.html", "packet/index.html", "gaps/index.html", "timeline/index.html",
         "dimensions/scope/index.html", "dimensions/influence/index.html",
         "dimensions/mentorship/index.html", "evidence/2026-01-10-batch-speedup/index.html"]


def page(site: Path, uri: str) -> BeautifulSoup:
    return BeautifulSoup((site / uri).read_text(encoding="utf-8"), "html.parser")


def article(site: Path, uri: str) -> BeautifulSoup:
    found = page(site, uri).select_one("article")
    assert found is not None
    return found


def text(node: BeautifulSoup) -> str:
    words = re.sub(r"\s+", " ", node.get_text(" ")).strip()
    return re.sub(r" ([,.;:])", r"\1", words)


@pytest.fixture
def site(fixture_site: Callable[..., Path]) -> Path:
    return fixture_site()


@pytest.mark.parametrize("uri", PAGES)
def test_every_page_is_written(site: Path, uri: str) -> None:
    assert (site / uri).is_file()


def test_overview_shows_levels_and_coverage(site: Path) -> None:
    body = article(site, "index.html")
    assert "Sam Tester: promotion packet" in text(body)
    assert "Senior Engineer → Staff Engineer" in text(body)
    rows = {text(tr.select("td")[0]): tr for tr in body.select("table tbody tr")}
    assert list(rows) == ["Scope", "Influence", "Mentorship"]
    status = {name: text(row.select_one(".pp-status")) for name, row in rows.items()}
    assert status == {"Scope": "demonstrated", "Influence": "demonstrated", "Mentorship": "gap"}
    # The heatmap's text alternative, folded under it: the target's column first, then the ladder.
    header = [text(th) for th in body.select("details.pp-counts table thead th")]
    assert header == ["Dimension", "Staff Engineer (target)", "Status", "Engineer",
                      "Senior Engineer (current)"]
    cells = rows["Mentorship"].select("td")
    assert [text(td) for td in (cells[1], *cells[3:])] == ["·", "·", "1"]
    assert rows["Scope"].select_one("a")["href"] == "dimensions/scope/"


def test_overview_lists_strongest_outcomes_first(site: Path) -> None:
    body = article(site, "index.html")
    strongest = body.find(id="strongest-outcomes").find_next("ul").select("li")
    assert text(strongest[0]).startswith("Cut the nightly batch from 3 h to 40 min")
    assert "corroborated by Ada Quote" in text(strongest[0])


def test_dimension_page_explains_its_status(site: Path) -> None:
    body = text(article(site, "dimensions/mentorship/index.html"))
    # The sponsor is told what the evidence shows; what would change it is for the author's build.
    assert "gap No entry at Staff Engineer level or above (1 below it)." in body
    assert "Staff Engineer (target) Grows engineers into senior roles." in body
    assert "Senior Engineer (current) The rubric says nothing for this level." in body
    assert "Onboarded two new hires" in body


def test_dimension_page_puts_outcome_metrics_and_quotes_with_entries(site: Path) -> None:
    body = article(site, "dimensions/scope/index.html")
    words = text(body)
    assert ("2 entries at Staff Engineer level or above, 2 with a figure or a named corroborator, "
            "over one quarter (2026 Q1).") in words
    assert "Owns outcomes across several teams." in words
    first = body.find("h2", id=re.compile("^evidence")).find_next("h3")
    assert text(first).startswith("Cut the nightly batch")
    after = text(first.find_next("p"))
    assert after == "The nightly batch now ends at 1am instead of 3am."
    assert "Batch duration: 3 h → 40 min" in words
    assert "We close the books before breakfast now. — Ada Quote, Finance lead, 20 Jan 2026" in words


def test_dimension_page_gives_entries_past_the_strongest_one_line_each(tmp_path: Path) -> None:
    from conftest import make_packet

    root = make_packet(tmp_path)
    for n in range(IN_FULL + 2):
        (root / "evidence" / f"2025-02-{n + 1:02d}-extra-{n}.md").write_text(
            f"---\ntitle: Extra win {n}\ndate: 2025-02-{n + 1:02d}\ndimensions: [scope]\n"
            f"level: senior\noutcome: Saved {n} hours.\n---\nBody.\n")
    body = article(build_site(root, tmp_path / "site"), "dimensions/scope/index.html")
    entries = [text(h3) for h3 in body.select("h3") if h3.a]
    assert len(entries) == IN_FULL
    assert entries[0].startswith("Cut the nightly batch")
    rest = body.find("h3", string="4 more").find_next("ul").select("li")
    assert [text(li) for li in rest] == [
        f"Extra win {n}: Saved {n} hours. {n + 1} Feb 2025 · Senior Engineer" for n in (3, 2, 1, 0)]
    assert rest[0].a["href"] == "../../evidence/2025-02-04-extra-3/"
    linked = [a["href"] for a in body.select("a") if "/evidence/" in a["href"]]
    assert len(linked) == len(set(linked)) == 2 + IN_FULL + 2


def test_entry_page_has_a_card_above_the_narrative(site: Path) -> None:
    body = article(site, "evidence/2026-01-10-batch-speedup/index.html")
    card = body.select_one(".pp-card")
    assert card is not None
    words = text(card)
    assert "highlight" not in words  # an internal label, for the author's build only
    for expected in ("The nightly batch now ends at 1am", "10 Jan 2026",
                     "Staff Engineer", "Scope, Influence", "Batch duration: 3 h → 40 min",
                     "Ada Quote", "Design doc", "performance"):
        assert expected in words
    links = [a["href"] for a in card.select("a")]
    assert "../../dimensions/scope/" in links
    assert "https://docs.example.com/batch" in links
    assert "https://git.example.com/pr/1" in links
    situation = body.find(id="situation")
    assert situation is not None and card.sourceline < situation.sourceline


def test_entry_heading_title_and_contents_come_from_the_title(tmp_path: Path) -> None:
    from conftest import make_packet

    root = make_packet(tmp_path)
    title = 'Cut p99 <em>under</em> 200 ms & kept it "there" [staff]'
    (root / "evidence" / "2026-02-01-odd-title.md").write_text(
        f"---\ntitle: '{title}'\ndate: 2026-02-01\ndimensions: [scope]\noutcome: p99 under 200 ms.\n---\n"
        "## Situation\n\nSlow.\n\n## Result\n\nFast.\n")
    site = build_site(root, tmp_path / "site")
    html = page(site, "evidence/2026-02-01-odd-title/index.html")
    h1 = html.select("article h1")
    assert [text(h) for h in h1] == [title]  # one heading, the text as written, no markup from it
    assert html.title is not None and html.title.get_text().startswith(title + " - ")
    # The heading leads the contents, as a Markdown heading would: the skip link goes to it.
    assert html.select_one("a.md-skip")["href"] == f"#{h1[0]['id']}"
    assert [text(a) for a in html.select(".md-sidebar--secondary a.md-nav__link")] == ["Situation", "Result"]
    card = html.select_one(".pp-card")
    assert card is not None and h1[0].sourceline < card.sourceline
    index = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    found = [d for d in index if d["location"] == "evidence/2026-02-01-odd-title/"]
    assert len(found) == 1 and html_text(found[0]["title"]) == title
    assert "p99 under 200 ms." in found[0]["text"]


def html_text(fragment: str) -> str:
    return BeautifulSoup(fragment, "html.parser").get_text()


def test_timeline_groups_by_month_newest_first(site: Path) -> None:
    body = article(site, "timeline/index.html")
    months = [text(h) for h in body.select("h2")]
    assert months == ["June 2026", "April 2026", "March 2026", "January 2026"]


def test_gaps_page_lists_only_open_dimensions_with_expectations(site: Path) -> None:
    body = article(site, "gaps/index.html")
    assert [text(h) for h in body.select("h2")] == ["Mentorship"]
    assert "Grows engineers into senior roles." in text(body)


def test_packet_page_curates_the_strongest_per_dimension(site: Path) -> None:
    body = article(site, "packet/index.html")
    sections = {}
    for h2 in body.select("h2"):
        titles = []
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            if sibling.name == "h3":
                titles.append(text(sibling))
        sections[text(h2)] = titles
    assert sections["Scope"] == ["Cut the nightly batch from 3 h to 40 min",
                                 "Wrote the retry library two teams adopted"]
    first = body.select_one("h3")
    assert first is not None and first.get("id") == "cut-the-nightly-batch-from-3-h-to-40-min"
    summary = first.find_next_sibling("div", class_="pp-summary")
    assert summary.select_one("p.pp-meta") is not None
    assert summary.select_one(".pp-badge") is None  # author only
    assert len(sections["Influence"]) == 2  # packet_size
    assert sections["Influence"][0].startswith("Cut the nightly batch")
    assert sections["Mentorship"] == ["Onboarded two new hires"]


def test_nav_lists_sections_and_own_pages_but_not_entries(site: Path) -> None:
    nav = page(site, "index.html").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert not any("evidence/" in href for href in hrefs)
    labels = [text(a) for a in nav.select("a.md-nav__link")]
    for label in ("Overview", "Packet", "Scope", "Mentorship", "Gaps", "Timeline", "Notes"):
        assert label in labels


def test_entries_are_still_searchable_and_in_the_sitemap(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text()
    assert "evidence/2026-01-10-batch-speedup/" in index
    assert "evidence/2026-01-10-batch-speedup/" in (site / "sitemap.xml").read_text()


def test_search_finds_each_entry_on_its_own_page_not_in_listings(site: Path) -> None:
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    text_at = {doc["location"]: doc["text"] for doc in docs}
    entry = text_at["evidence/2026-01-10-batch-speedup/"]
    assert "The nightly batch now ends at 1am" in entry and "Ada Quote" in entry
    assert "git.example.com" not in entry  # links and dates are shown, not indexed
    # The timeline is a listing and nothing else: the theme's search does not read it.
    assert not [location for location in text_at if location.startswith("timeline/")]
    assert "Cut the nightly batch" in text(article(site, "timeline/index.html"))


def test_every_link_leads_to_a_page(site: Path) -> None:
    assert not broken_links(site)
    entry = article(site, "evidence/2026-01-10-batch-speedup/index.html")
    links = [a["href"] for a in entry.select(".pp-meta a")]
    assert links == ["../../dimensions/scope/", "../../dimensions/influence/"]


def test_every_link_leads_to_a_page_without_directory_urls(tmp_path: Path) -> None:
    from conftest import make_packet

    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "use_directory_urls: false\n")
    site = build_site(root, tmp_path / "site")
    assert not broken_links(site)
    entry = article(site, "evidence/2026-01-10-batch-speedup.html")
    links = [a["href"] for a in entry.select(".pp-meta a")]
    assert links == ["../dimensions/scope.html", "../dimensions/influence.html"]
    listed = [a["href"] for a in article(site, "timeline.html").select("a")]
    assert "evidence/2026-01-10-batch-speedup.html" in listed


def test_styles_are_served_with_the_site(site: Path) -> None:
    assert (site / "assets" / "promo-packet.css").is_file()
    assert "assets/promo-packet.css" in (site / "index.html").read_text()


# Where a canary must show when its audience may see it; a hidden one shows nowhere.
MUST_SHOW = {"TITLE": {"pages", "search", "pdf"}, "OUTCOME": {"pages", "search"}, "NAME": {"pages", "search"},
             "QUOTE": {"pages", "search"}, "TAG": {"pages", "search"}, "BODY": {"pages", "search"},
             "file name": {"pages", "search", "sitemap", "file names"}}


def outputs(site: Path) -> dict[str, str]:
    """The built site's text, by kind of output."""
    from pypdf import PdfReader

    def read(*patterns: str) -> str:
        files = sorted({f for pattern in patterns for f in site.glob(pattern)})
        return "\n".join(site_text_of(f) for f in files)

    return {
        "pages": "\n".join(site_text_of(f) for f in sorted(site.rglob("*.html")) if f.name != "404.html"),
        "search": read("search/search_index.json"),
        "sitemap": read("sitemap.xml", "sitemap.xml.gz"),
        "404": read("404.html"),
        "pdf": "\n".join(page.extract_text() for page in PdfReader(site / "packet.pdf").pages),
        "file names": "\n".join(str(f.relative_to(site)) for f in site.rglob("*")),
    }


@pytest.mark.parametrize("audience", ["self", "sponsor", "committee"])
def test_audience_sees_only_what_it_may(audience: str, fixture_site: Callable[..., Path]) -> None:
    found = outputs(fixture_site(audience, pdf=True))
    assert found["search"] and found["sitemap"] and found["404"] and found["pdf"]
    for visibility, canaries in CANARIES.items():
        for canary in canaries:
            kind = "file name" if canary.islower() else canary.split("-")[2]
            where = {name for name, text in found.items() if canary.lower() in text.lower()}
            if visibility in SEEN_BY[audience]:
                assert MUST_SHOW[kind] <= where, (audience, canary, where)
                assert "404" not in where, (audience, canary)
            else:
                assert not where, f"{canary} leaked to {audience} in {where}"


def test_build_writes_nothing_into_the_packet(tmp_path: Path) -> None:
    from conftest import make_packet

    root = make_packet(tmp_path)
    before = {p for p in root.rglob("*")}
    digests = user_files(root)
    build_site(root, tmp_path / "site")
    assert user_files(root) == digests
    # Without a PDF there is nothing to cache: the build writes only into the site folder.
    assert {p for p in root.rglob("*")} == before


def test_a_hand_written_page_cannot_shadow_a_generated_one(tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    from conftest import make_packet

    root = make_packet(tmp_path)
    (root / "docs" / "gaps.md").write_text("# My own gaps page\n")
    site = build_site(root, tmp_path / "site")
    assert "Mentorship" in text(article(site, "gaps/index.html"))
    assert "gaps.md is generated; the file gaps.md in the docs folder is ignored" in caplog.text


def test_every_page_asks_not_to_be_indexed(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert (site / "404.html") in pages and len(pages) > 10
    for html in pages:
        head = html.read_text().split("</head>")[0]
        assert head.count('<meta name="robots" content="noindex, nofollow">') == 1, html
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_the_self_checklist_names_each_behaviour_by_its_id_with_its_examples(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import packet_with

    ladder = (Path(__file__).parents[1] / "fixtures" / "packet" / "rubric" / "ladder.yml").read_text()
    ladder = ladder.replace("      staff: Grows engineers into senior roles.\n", (
        "      staff:\n        - id: mentorship.staff.grows-engineers\n"
        "          text: Grows engineers into senior roles.\n"
        "          examples: ['Two engineers promoted in a year, <b>both</b> on their first try.']\n"))
    root = packet_with(tmp_path, {"rubric/ladder.yml": ladder})
    sites = {}
    for audience in ("self", "sponsor"):
        monkeypatch.setenv("PROMO_AUDIENCE", audience)
        sites[audience] = build_site(root, tmp_path / audience)
    for uri in ("gaps/index.html", "dimensions/mentorship/index.html"):
        item = next(li for li in article(sites["self"], uri).select("li")
                    if text(li).startswith("not yet"))
        assert [code.get_text() for code in item.select("code")] == ["mentorship.staff.grows-engineers"]
        # The example is a list under its behaviour, its text as written.
        assert [text(li) for li in item.select("ul > li")] == [
            "Example: Two engineers promoted in a year, <b>both</b> on their first try."]
        # Ids and examples are the author's working notes: a sponsor reads the behaviour alone.
        body = article(sites["sponsor"], uri)
        assert "Grows engineers into senior roles." in text(body)
        assert "mentorship.staff" not in str(body) and "first try" not in text(body)
