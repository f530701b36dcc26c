"""The PDF cache holds only what it may: never a protected packet's PDF in plaintext, and never a
PDF it cannot prove it rendered from these inputs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD, build_site, make_packet, protected, run
from promo_packet import assemble, read_config
from promo_packet.model.settings import CACHE_DIR
from promo_packet.render.pdf import PdfResult, render_pdf

BUILT = dt.date(2026, 11, 1)


def render(root: Path, target: Path, cache: Path) -> PdfResult:
    options, _ = read_config(root / "mkdocs.yml")
    assembly = assemble(options.sources, options.packet)
    assert assembly.packet is not None
    return render_pdf(assembly.packet, target, options.pdf, cache_dir=cache, built=BUILT)


def test_a_pdf_of_another_packet_in_the_cache_is_not_published_as_this_ones(tmp_path: Path) -> None:
    mine, other = make_packet(tmp_path / "a"), make_packet(tmp_path / "b")
    entry = other / "evidence" / "2026-04-15-onboarding.md"
    entry.write_text(entry.read_text().replace("Onboarded two", "Onboarded 2"))
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    first = render(mine, tmp_path / "a.pdf", cache)
    theirs = render(other, tmp_path / "b.pdf", elsewhere)
    assert theirs.pages == first.pages and theirs.data != first.data  # it reads as a sound PDF
    shutil.copy(tmp_path / "b.pdf", next(cache.glob("*.pdf")))
    again = render(mine, tmp_path / "c.pdf", cache)
    assert not again.reused
    assert (tmp_path / "c.pdf").read_bytes() == first.data
    assert render(mine, tmp_path / "d.pdf", cache).reused


@pytest.mark.parametrize("flag", ["--plaintext", "--encrypt"])
def test_promo_pdf_with_a_password_caches_nothing_and_clears_what_was(
        flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = protected(make_packet(tmp_path))
    cache = root / CACHE_DIR
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "0123.pdf").write_bytes(b"%PDF- an earlier build's, in plaintext")
    (cache / "0123.json").write_text("{}")
    code, _, err = run("pdf", flag, "-o", str(tmp_path / "out.pdf"), cwd=root)
    assert code == 0, err
    assert (tmp_path / "out.pdf").is_file()
    assert not list(cache.glob("*.pdf")) and not list(cache.glob("*.json"))


def test_a_password_build_clears_a_plaintext_pdf_cached_before(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_packet(tmp_path)
    build_site(root, tmp_path / "plain", pdf=True)
    assert list((root / CACHE_DIR).glob("*.pdf"))
    protected(root)
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    site = build_site(root, tmp_path / "sealed", pdf=True)
    assert (site / "packet.pdf.sealed").is_file()
    assert not list((root / CACHE_DIR).glob("*.pdf"))


def test_promo_gen_of_a_packet_with_a_password_caches_no_pdf(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = protected(make_packet(tmp_path))
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    code, _, err = run("gen", str(tmp_path / "out"), cwd=root)
    assert code == 0, err
    assert (tmp_path / "out" / "docs" / "packet.pdf").is_file()  # for `promo seal` to seal, once built
    assert not list((root / CACHE_DIR).glob("*.pdf"))
