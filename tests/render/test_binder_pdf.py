"""The binder's PDF written as it grows: documents under the packet's print CSS bound one after another."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from promo_packet.render.binder_pdf import BinderPdf
from promo_packet.render.folio import Folio, learn_folio
from promo_packet.render.pages import environment
from promo_packet.render.pdf import render_html

PASSWORD = "correct horse battery staple"
SECTIONS = ("Alpha", "Beta", "Gamma")


def document(sections: int) -> bytes:
    """A packet-like PDF: a first page with contents, then one section a page, each an outline entry."""
    css = environment("print").get_template("print/packet.css.j2").render(paper="a4")
    names = SECTIONS[:sections]
    contents = "".join(f'<li><a href="#s{i}">{name}</a></li>' for i, name in enumerate(names))
    body = "".join(f'<section id="s{i}" style="break-before: page"><h2>{name}</h2><p>Body of {name}.</p>'
                   f'<p><a href="#s0">back to {names[0]}</a></p></section>' for i, name in enumerate(names))
    toc = f'<nav class="toc"><h2 class="toc-title">Contents</h2><ol>{contents}</ol></nav>'
    html = f'<!DOCTYPE html><html lang="en"><head><style>{css}</style></head><body>{toc}{body}</body></html>'
    data, _ = render_html(html, hashlib.sha256(html.encode()).hexdigest())
    return data


@pytest.fixture(scope="module")
def folio() -> Folio:
    return learn_folio()


def bind(folio: Folio, path: Path, documents: list[bytes], password: str | None = None) -> PdfReader:
    pages = sum(len(PdfReader(io.BytesIO(d)).pages) for d in documents)
    with path.open("wb") as out:
        bound = BinderPdf(out, pages, folio, password=password)
        for index, data in enumerate(documents):
            assert bound.append(data, f"Document {index}") == sum(
                len(PdfReader(io.BytesIO(d)).pages) for d in documents[:index])
        assert bound.finish({"Title": "Bound"}) == pages
    reader = PdfReader(path)
    if password is not None:
        assert reader.decrypt(password)
    return reader


def test_pages_print_their_numbers_and_contents_in_the_binder(folio: Folio, tmp_path: Path) -> None:
    # Eight pages, then four: the second document's contents go from one digit to two.
    reader = bind(folio, tmp_path / "b.pdf", [document(3)] * 2 + [document(2), document(3)])
    texts = [page.extract_text() for page in reader.pages]
    assert [re.findall(r"Page \d+ of \d+", t) for t in texts] == [[f"Page {n} of 15"]
                                                                   for n in range(1, 16)]
    lines = [re.findall(r"^(\w+) ?\.{3,}\s*(\d+)$", t, re.MULTILINE) for t in texts]
    assert lines[0] == [("Alpha", "2"), ("Beta", "3"), ("Gamma", "4")]
    assert lines[8] == [("Alpha", "10"), ("Beta", "11")]
    assert lines[11] == [("Alpha", "13"), ("Beta", "14"), ("Gamma", "15")]
    assert "Body of Beta." in texts[13] and reader.page_labels == [str(n) for n in range(1, 16)]


def test_outline_and_links_lead_to_the_pages_of_their_own_document(folio: Folio, tmp_path: Path) -> None:
    reader = bind(folio, tmp_path / "b.pdf", [document(3), document(3)])
    outline = reader.outline
    pages = {str(item.title): reader.get_destination_page_number(item) for item in outline
             if not isinstance(item, list)}
    assert pages == {"Document 0": 0, "Document 1": 4}
    second = [(c.title, reader.get_destination_page_number(c)) for c in outline[-1]]
    assert second == [("Alpha", 5), ("Beta", 6), ("Gamma", 7)]
    # A named destination of the second document is the second document's page, not the first's.
    links = [annotation.get_object() for annotation in reader.pages[7]["/Annots"]]
    targets = {reader.get_page_number(link["/Dest"][0].get_object()) for link in links}
    assert targets == {5}


def test_an_encrypted_binder_opens_only_with_its_password(folio: Folio, tmp_path: Path) -> None:
    reader = bind(folio, tmp_path / "b.pdf", [document(2)], password=PASSWORD)
    assert "Body of Beta." in reader.pages[2].extract_text()
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Document 0"]
    locked = PdfReader(tmp_path / "b.pdf")
    assert locked.is_encrypted and locked.decrypt("not the password") == 0
    assert b"Body of" not in (tmp_path / "b.pdf").read_bytes()
