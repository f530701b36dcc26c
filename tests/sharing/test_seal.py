"""`promo seal`: a site another engine built from `promo gen`'s folder, sealed afterwards as a
password build is."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner, Result

from conftest import (
    ALL_CANARIES,
    CHROMIUM,
    NOTE,
    PASSWORD,
    build_site,
    chromium_page,
    make_packet,
    protected,
    search,
    serve,
    site_text,
    unlabelled,
    watch,
)
from promo_packet.cli import main
from promo_packet.sharing.page_text import PageText
from promo_packet.sharing.protect import Protector, lock_payload
from promo_packet.sharing.publish import read_marker
from promo_packet.sharing.seal import SealSettings

SECRETS = [*ALL_CANARIES, NOTE, "Sam Tester", "Cut the nightly batch", "batch-speedup", "shared-library"]
"""Words of the sponsor build's entries, their file names included, and of the private ones."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture packet configured with a password, written by `promo gen` (PDF included) and
    built by MkDocs without the plugin, as an engine that runs none builds it.

    ``plain/`` is the built site (copy it before sealing), ``packet/`` the packet,
    ``protected/`` the same packet built by the plugin with the password, to compare with,
    ``unkeyed/`` the packet built by the plugin before it had a password.
    """
    base = tmp_path_factory.mktemp("seal")
    root = make_packet(base)
    build_site(root, base / "unkeyed")
    protected(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROMO_PASSWORD", PASSWORD)
        patch.setenv("PROMO_PDF", "1")
        generated = CliRunner().invoke(main, ["gen", str(base / "out"), "-f", str(root / "mkdocs.yml")])
        assert generated.exit_code == 0, generated.stderr
        assert f"then run 'promo seal {base / 'out' / 'site'}' here" in generated.stderr
        build_site(base / "out", base / "plain")
        build_site(root, base / "protected", pdf=True)
    return base


@pytest.fixture
def site(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the plain site, with the password in the environment."""
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    monkeypatch.delenv("PROMO_WEAK_PASSWORD_OK", raising=False)
    return Path(shutil.copytree(built / "plain", tmp_path / "site"))


def seal(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["seal", *args, "-f", str(root / "mkdocs.yml")])


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def payload_of(page: Path) -> dict[str, Any]:
    """What the lock page ``page`` carries."""
    payload = lock_payload(page.read_text())
    assert payload is not None, page
    return payload


def protector_of(site: Path) -> Protector:
    payload = payload_of(site / "index.html")
    return Protector(PASSWORD, salt=base64.b64decode(payload["salt"]), iterations=payload["iterations"])


def opened(site: Path, protector: Protector) -> dict[str, str]:
    """Every page and the search index of a sealed site, as the browser opens them."""
    documents: dict[str, str] = {}
    for page in sorted(site.rglob("*.html")):
        document = protector.open_page(page.read_text())
        assert document is not None, page
        documents[page.relative_to(site).as_posix()] = document
    index = json.loads((site / "search" / "search_index.json").read_text())
    documents["search/search_index.json"] = protector.open(index["sealed"]).decode()
    return documents


def test_a_sealed_site_leaves_no_plaintext(built: Path, site: Path) -> None:
    (site / ".nojekyll").touch()  # as a workflow publishing to GitHub Pages adds it
    result = seal(built / "packet", str(site))
    assert result.exit_code == 0, result.stderr
    assert ("13 pages locked, search/search_index.json sealed, packet.pdf sealed to packet.pdf.sealed, "
            "sitemap.xml, sitemap.xml.gz removed") in result.stderr
    raw = site_text(site)  # every file's name and content, gzip unpacked
    for secret in SECRETS:
        assert secret.lower() not in raw.lower(), secret
    assert not (site / "packet.pdf").exists() and (site / "packet.pdf.sealed").is_file()
    assert not list(site.glob("sitemap*")) and (site / ".nojekyll").is_file()
    assert read_marker(site) is not None and read_marker(site) == read_marker(built / "protected")
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # nothing staged is left


def resolved(page: str, document: str) -> str:
    """``document`` (served at ``page``) with each link as the absolute URL it leads to: a page
    ``promo gen`` wrote links from the site's root where the plugin's links from the page."""
    base = "https://site.invalid/" + page.removesuffix("index.html")
    return re.sub(r'(href|src)="([^"]*)"', lambda m: f'{m[1]}="{urljoin(base, unescape(m[2]))}"', document)


def without_policy(document: str) -> str:
    """``document`` less its policy ``<meta>`` and a character set said twice, with character
    references read and spaces collapsed: promo gen writes a narrative as inert HTML."""
    document = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", document)
    document = re.sub(r"\s+", " ", unescape(document)).replace("> <", "><")
    return re.sub(r'(<meta charset="utf-8">)+', r"\1", document)


def test_a_sealed_site_is_what_a_password_build_writes(built: Path, site: Path) -> None:
    assert seal(built / "packet", str(site)).exit_code == 0
    expected = built / "protected"
    assert sorted(digest(site)) == sorted(digest(expected))
    protector = protector_of(site)
    documents, built_documents = opened(site, protector), opened(expected, protector)
    # The same index, but for its order: MkDocs lists the files of the docs folder before generated ones.
    indexes = [json.loads(found.pop("search/search_index.json")) for found in (documents, built_documents)]
    assert indexes[0]["config"] == indexes[1]["config"]
    assert sorted(indexes[0]["docs"], key=json.dumps) == sorted(indexes[1]["docs"], key=json.dumps)
    assert documents.keys() == built_documents.keys()
    for page, document in documents.items():
        # promo gen's pages carry their own policy, for every depth; the rest is the build's.
        assert document.count("Content-Security-Policy") == 1, page
        built_document = resolved(page, built_documents[page])
        assert without_policy(resolved(page, document)) == without_policy(built_document), page
    assert "CANARY-SPONSOR-QUOTE-kw2" in "".join(documents.values())
    for page in documents:
        # The lock page around the document, its policy included, is the build's too.
        outside = [re.sub(r'<script id="pp-sealed".*?</script>', "", (folder / page).read_text(), flags=re.S)
                   for folder in (site, expected)]
        assert outside[0] == outside[1], page
        payloads = [payload_of(folder / page) for folder in (site, expected)]
        for payload in payloads:
            payload.pop("data")  # the same document under a fresh IV
        assert payloads[0] == payloads[1], page
    assert payload_of(site / "404.html")["base"] == "/"
    assert payload_of(next((site / "evidence").iterdir()) / "index.html")["base"] == "../../"


def test_the_sealed_pdf_opens_to_the_original(built: Path, site: Path) -> None:
    assert seal(built / "packet", str(site)).exit_code == 0
    sealed = (site / "packet.pdf.sealed").read_bytes()
    assert protector_of(site).open_bytes(sealed) == (built / "plain" / "packet.pdf").read_bytes()


def test_sealing_twice_changes_nothing(built: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert seal(built / "packet", str(site)).exit_code == 0
    before = digest(site)
    again = seal(built / "packet", str(site))
    assert again.exit_code == 0, again.stderr
    assert "already sealed with this password (13 pages); nothing changed" in again.stderr
    assert digest(site) == before
    monkeypatch.setenv("PROMO_PASSWORD", "another password, just as long")
    other = seal(built / "packet", str(site))
    assert other.exit_code == 1
    assert "13 pages sealed under another password or site address" in other.stderr
    assert digest(site) == before
    assert seal(built / "packet", str(built / "protected")).exit_code == 1  # the plugin's own sealing too


def test_out_writes_a_sealed_copy_and_leaves_the_site(built: Path, site: Path, tmp_path: Path) -> None:
    before = digest(site)
    result = seal(built / "packet", str(site), "--out", str(tmp_path / "public"))
    assert result.exit_code == 0, result.stderr
    assert digest(site) == before
    assert (tmp_path / "public" / "packet.pdf.sealed").is_file()
    assert read_marker(tmp_path / "public") == read_marker(built / "protected")
    assert seal(built / "packet", str(site), "--out", str(tmp_path / "public")).exit_code == 0  # replaced
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    refused = seal(built / "packet", str(site), "--out", str(tmp_path / "notes"))
    assert refused.exit_code == 1 and "holds files but no built site, and would be replaced" in refused.stderr
    assert (tmp_path / "notes" / "todo.txt").read_text() == "mine"


def _no_password(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("\n      password: !ENV PROMO_PASSWORD", ""))


def _unset(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMO_PASSWORD")


def _weak(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_PASSWORD", "password")


def _titles_json(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "feeds").mkdir()
    (site / "feeds" / "titles.json").write_text('["Onboarding"]')


def _narrative_script(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An engine's search index as a script: the text of an entry, escaped as JavaScript does.
    (site / "assets" / "javascripts" / "index.js").write_text(
        'var __index = {"text": "Cut the nightly batch from 3\\u00a0h to 40 min"}')


def _docs_image(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in (root / "docs", site):
        (folder / "img").mkdir()
        (folder / "img" / "salary.png").write_bytes(b"\x89PNG CANARY-STATIC-png")


def _image_outside_the_theme(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Copied from the docs folder by the build, since removed from it: not the theme's.
    (site / "img").mkdir()
    (site / "img" / "offer.png").write_bytes(b"\x89PNG")


def _social_card(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "assets" / "images" / "social").mkdir(parents=True)
    (site / "assets" / "images" / "social" / "gaps.png").write_bytes(b"\x89PNG")


def _named_after_an_entry(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / "assets" / "2026-03-02-shared-library.png").write_bytes(b"\x89PNG")


@pytest.mark.parametrize(("change", "where", "message"), [
    (_no_password, "mkdocs.yml", "promo-packet.password: no password is configured, so there is nothing to "
                                 "seal with; add 'password: !ENV PROMO_PASSWORD'"),
    (_unset, "mkdocs.yml:15", "promo-packet.password: the password option is empty: is its environment "
                              "variable set?"),
    (_weak, "mkdocs.yml:15", "promo-packet.password: PROMO_PASSWORD holds a password too weak"),
    (_titles_json, "site/feeds/titles.json", "is not a file a sealed site may keep unencrypted"),
    (_narrative_script, "site/assets/javascripts/index.js", "holds text of "),
    (_docs_image, "site/img/salary.png", "is copied from the docs folder as it is, and a sealed site would "
                                         "publish it unencrypted"),
    (_image_outside_the_theme, "site/img/offer.png", "is not a file a sealed site may keep unencrypted"),
    (_social_card, "site/assets/images/social/gaps.png", "is derived from a page of the packet"),
    (_named_after_an_entry, "site/assets/2026-03-02-shared-library.png", "is derived from a page"),
])
def test_seal_refuses_and_changes_nothing(change: Any, where: str, message: str, built: Path, site: Path,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(shutil.copytree(built / "packet", tmp_path / "packet"))
    change(root, site, monkeypatch)
    before = digest(site)
    result = seal(root, str(site))
    assert result.exit_code == 1
    assert f"{where}: error: " in result.stderr and message in unlabelled(result.stderr), result.stderr
    assert result.stderr.endswith("promo: nothing was written\n")
    assert digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet", "site"]


@pytest.mark.parametrize(("folder", "message"), [
    ("missing", "missing: error: not found\n  hint: pass the folder the site was built into"),
    ("empty", "empty: error: holds no index.html: it is not a built site"),
    (".", "error: is the packet's own folder, not a built site"),
])
def test_seal_refuses_what_is_not_a_built_site(folder: str, message: str, built: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = Path(shutil.copytree(built / "packet", tmp_path / "packet"))
    (root / "empty").mkdir()
    before = digest(root)
    result = seal(root, str(root / folder))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert digest(root) == before


def test_an_interrupted_seal_leaves_the_site_as_it_was(built: Path, site: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from promo_packet.sharing import seal as sealing

    copied = []

    def interrupted(source: Path, target: Path) -> None:
        copied.append(source)
        if len(copied) == 5:
            raise KeyboardInterrupt
        shutil.copy2(source, target)

    monkeypatch.setattr(sealing.shutil, "copy2", interrupted)
    before = digest(site)
    with pytest.raises(KeyboardInterrupt):
        sealing.seal_site(site, SealSettings(PASSWORD, "Test packet", "https://packet.example.com/"))
    assert digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_a_zensical_search_index_is_sealed_where_zensical_reads_it(built: Path, site: Path) -> None:
    """Zensical writes ``search.json`` at the root, its entries under ``items``."""
    index = json.loads((site / "search" / "search_index.json").read_text())
    (site / "search.json").write_text(json.dumps({"config": index["config"], "items": index["docs"]}))
    shutil.rmtree(site / "search")
    result = seal(built / "packet", str(site))
    assert result.exit_code == 0, result.stderr
    assert "search.json sealed" in result.stderr
    assert payload_of(site / "timeline" / "index.html")["index"] == "search.json"
    protector = protector_of(site)
    items = json.loads(protector.open(json.loads((site / "search.json").read_text())["sealed"]))["items"]
    entries = {item["location"].split("/")[1] for item in items if item["location"].startswith("evidence/")}
    assert entries == {p.name for p in (site / "evidence").iterdir()} and len(entries) == 4


def test_page_text_is_found_however_a_file_escapes_it() -> None:
    page = ("<html><head><title>Café launch</title></head><body><nav>Table of contents</nav><article>"
            "<h1>Café rollout</h1><p>We cut the <em>nightly</em> batch from 3 h to 40 min.</p></article>")
    text = PageText({"a/index.html": page})
    assert text.found_in(b'{"t":"caf\\u00e9 rollout"}') == "a/index.html"
    assert text.found_in(b"x='We cut the nightly batch from'") == "a/index.html"
    assert text.found_in(b"We cut the &lt;b&gt;nightly batch from&lt;/b&gt;") == "a/index.html"
    assert text.found_in(b"table of contents; cut the nightly; caf\\xe9") is None


def test_seal_refuses_a_site_whose_entry_urls_name_their_files(built: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Built before the password was set: sealing it would lock pages at addresses that tell."""
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    site = Path(shutil.copytree(built / "unkeyed", tmp_path / "site"))
    before = digest(site)
    result = seal(built / "packet", str(site))
    assert result.exit_code == 1
    assert re.search(r"site/evidence/[^/]*-[^/]*/index.html: error: 4 entry pages at URLs that name their "
                     r"evidence files", result.stderr), result.stderr
    assert "promo gen OUT" in result.stderr
    assert digest(site) == before


def test_a_sealed_site_unlocks_navigates_and_searches_in_a_browser(built: Path, site: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is required in CI")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    assert seal(built / "packet", str(site)).exit_code == 0
    with serve(site) as url, chromium_page() as page:
        problems = watch(page)
        page.goto(url + "timeline/")
        page.fill("#pp-password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("article h1:has-text('Timeline')", timeout=20_000)
        page.click("article a:has-text('Cut the nightly batch')")
        page.wait_for_selector("article h1:has-text('Cut the nightly batch')", timeout=20_000)
        assert re.search(r"/evidence/[0-9a-f]{12}/$", page.url), page.url
        assert "Cut the nightly batch from 3 h to 40 min" in search(page, "nightly")
        assert problems == []
