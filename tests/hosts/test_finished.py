"""The plugin hands a page's finished HTML blocks to Markdown as they are, and Material's search
reads pages without their listings: the same site, faster."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import markdown
import pytest

from conftest import PAYLOADS, build_site, digest, make_packet, q
from promo_packet.hosts import finished, plugin

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page


def _entry(index: int, payload: str) -> str:
    # Cards with and without quotes (a blank line inside the card), a card that ends the page, and
    # a narrative that repeats card markup inside a fence and as raw HTML.
    quotes = f"corroboration:\n  - name: {q(payload)}\n    quote: {q(payload)}\n" if index % 2 else ""
    body = ("" if index == 3 else
            f"## Notes\n\n```html\n<div class=\"pp-card\">\n<p>Tags: x</p>\n</div>\n```\n\n"
            f"<div class=\"pp-card\">\n<p>{payload}</p>\n</div>\n\nText after {index}.\n")
    return (f"---\ntitle: {q(payload)}\ndate: 2026-0{index % 9 + 1}-02\ndimensions: [scope]\n"
            f"outcome: {q(payload)}\ntags: [{q(payload)}]\n{quotes}---\n\n{body}")


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_packet(tmp_path_factory.mktemp("finished"))
    for index, payload in enumerate(PAYLOADS):
        (root / "evidence" / f"payload-{index}.md").write_text(_entry(index, payload), encoding="utf-8")
    for index in range(12):  # more than a dimension page shows in full: the rest is a listing
        (root / "evidence" / f"more-{index}.md").write_text(_entry(index, f"More {index} & <more>"))
    return root


def test_handing_blocks_over_changes_no_byte_of_the_site(packet: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", "self")  # every card line: strength, visibility, private entries
    handed = []
    run = finished._Stored.run

    def counted(self: finished._Stored, lines: list[str]) -> list[str]:
        out: list[str] = run(self, lines)
        handed.append(out != lines)
        return out

    unlisted = []
    add = finished._WithoutListings.__call__

    def shorter(self: finished._WithoutListings, page: Page) -> None:
        unlisted.append(bool(self.listings.get(page.file.src_uri)))
        add(self, page)

    monkeypatch.setattr(finished._Stored, "run", counted)
    monkeypatch.setattr(finished._WithoutListings, "__call__", shorter)
    fast = digest(build_site(packet, tmp_path / "fast"))
    assert sum(handed) > len(PAYLOADS), "the cards and listings were not handed over"
    assert sum(unlisted) >= 2, "the search index read every listing"  # a dimension and the gaps page

    monkeypatch.setattr(finished.FinishedBlocks, "extendMarkdown", lambda self, md: None)
    monkeypatch.setattr(plugin, "index_without_listings", lambda plugins, listings: None)
    parsed = digest(build_site(packet, tmp_path / "parsed"))
    assert fast == parsed


def test_a_block_found_elsewhere_than_on_its_own_lines_is_left_to_the_parser() -> None:
    extension = finished.FinishedBlocks()
    block = '<div class="pp-card">\n<p>x</p>\n</div>'
    md = markdown.Markdown(extensions=["md_in_html", extension])
    extension.blocks = (block,)
    inside = f"- item\n\n    {block}\n"  # indented: code in a list item, not a block of its own
    assert md.convert(inside) == markdown.Markdown(extensions=["md_in_html"]).convert(inside)
