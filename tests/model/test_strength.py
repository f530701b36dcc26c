"""The strength of an entry: told to its author, and a curated packet that prefers proof."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, packet_with, run
from promo_packet.model.strength import OWN_ACCOUNT

CLAIMED = {
    # Mentorship has only this entry: the packet shows it, as the author's own account.
    "evidence/2026-04-15-onboarding.md": "---\ntitle: Onboarded two new hires\ndate: 2026-04-15\n"
                                         "dimensions: [mentorship]\nlevel: senior\n"
                                         "outcome: Both new hires shipped early.\n---\nBody.\n",
    # A highlight, but Scope has proven entries: it stays out of the packet.
    "evidence/2026-02-01-boast.md": "---\ntitle: Rescued the scope review\ndate: 2026-02-01\n"
                                    "dimensions: [scope]\nhighlight: true\n---\nBody.\n",
}
NOTE = f"({OWN_ACCOUNT})"


def sections(html: str) -> dict[str, list[str]]:
    """The entry titles under each dimension of the packet page."""
    body = BeautifulSoup(html, "html.parser").select_one("article")
    assert body is not None
    found: dict[str, list[str]] = {}
    for h2 in body.select("h2"):
        titles = found.setdefault(h2.get_text(" ", strip=True), [])
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            if sibling.name == "h3":
                titles.append(sibling.get_text(" ", strip=True))
    return found


def card(site: Path, slug: str) -> str:
    return (site / "evidence" / slug / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def claimed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packet_with(tmp_path_factory.mktemp("strength"), CLAIMED)


def test_packet_page_takes_a_claimed_entry_only_where_nothing_is_stronger(claimed_root: Path,
                                                                           tmp_path: Path) -> None:
    site = build_site(claimed_root, tmp_path / "site")
    html = (site / "packet" / "index.html").read_text(encoding="utf-8")
    found = sections(html)
    assert found["Scope"] == ["Cut the nightly batch from 3 h to 40 min",
                              "Wrote the retry library two teams adopted"]
    assert found["Mentorship"] == ["Onboarded two new hires"]
    notes = BeautifulSoup(html, "html.parser").select(".pp-own-account")
    assert [n.get_text() for n in notes] == [NOTE]
    overview = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    strongest = overview.select_one("#strongest-outcomes + ul")
    assert strongest is not None and "Rescued the scope review" not in strongest.get_text()


@pytest.mark.parametrize("audience", ["sponsor", "committee"])
def test_sponsor_and_committee_never_see_strength(claimed_root: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, audience: str) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", audience)
    site = build_site(claimed_root, tmp_path / "site")
    for slug in ("2026-04-15-onboarding", "2026-01-10-batch-speedup"):
        assert "strength:" not in card(site, slug)
        assert "pp-strength" not in card(site, slug)


def test_self_card_tells_the_author_what_would_make_an_entry_strong(claimed_root: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "self")
    site = build_site(claimed_root, tmp_path / "site")

    def line(slug: str) -> str:
        found = BeautifulSoup(card(site, slug), "html.parser").select_one(".pp-strength")
        assert found is not None
        return found.get_text(" ", strip=True)

    assert line("2026-04-15-onboarding") == (
        "strength: claimed — add a figure (metrics, or a number in the outcome) and a named "
        "corroboration to make it strong")
    assert line("2026-03-02-shared-library") == "strength: strong"


def test_pdf_marks_the_authors_own_account(claimed_root: Path) -> None:
    from promo_packet.hosts.project import assemble, read_config
    from promo_packet.model.settings import PdfSettings
    from promo_packet.render.pdf import print_html

    options, _ = read_config(claimed_root / "mkdocs.yml")
    packet = assemble(options.sources, options.packet).packet
    assert packet is not None
    html = print_html(packet, PdfSettings(), dt.date(2026, 6, 1))
    assert "Rescued the scope review" not in html.split('id="timeline"')[0]
    section = html.split('id="dim-mentorship"')[1].split("</section>")[0]
    notes = BeautifulSoup(section, "html.parser").select(".own-account")
    assert "Onboarded two new hires" in section and [n.get_text() for n in notes] == [NOTE]


def test_check_counts_entries_by_strength(claimed_root: Path) -> None:
    config = str(claimed_root / "mkdocs.yml")
    code, _, err = run("check", "-f", config, "--today", "2026-06-10")
    assert code == 0
    assert "; 4 strong, 0 supported, 2 claimed (" in err.splitlines()[-1]
    report = json.loads(run("check", "-f", config, "--today", "2026-06-10", "--format", "json")[1])
    assert report["strength"] == {"strong": 4, "supported": 0, "claimed": 2}


def test_review_gives_each_logged_entry_its_strength(claimed_root: Path) -> None:
    config = str(claimed_root / "mkdocs.yml")
    code, out, _ = run("review", "-f", config, "--month", "2026-04", "--today", "2026-06-10")
    assert code == 0
    assert "  2026-04-15  claimed    Onboarded two new hires" in out.splitlines()
    report = json.loads(run("review", "-f", config, "--month", "2026-02", "--today", "2026-06-10",
                            "--format", "json")[1])
    logged = [(e["title"], e["strength"]) for e in report["logged"]]
    assert logged == [("Rescued the scope review", "claimed")]
