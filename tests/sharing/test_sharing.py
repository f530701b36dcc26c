"""Sharing safely: audiences everywhere, private notes, redaction, passwords, publishing."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import (
    ALL_CANARIES,
    CANARIES,
    NOTE,
    PASSWORD,
    SEEN_BY,
    build_site,
    make_packet,
    packet_with,
    protected,
    run,
    set_options,
    site_text,
    site_text_of,
    unlabelled,
    user_files,
)
from promo_packet.model.evidence import strip_private_notes
from promo_packet.sharing.protect import Protector


def lock_payload(page: Path) -> dict[str, Any]:
    """What a lock page carries: the salt, the sealed document, the PDF's name."""
    pattern = r'<script id="pp-sealed" type="application/json">(.*?)</script>'
    found = re.search(pattern, page.read_text(), re.S)
    assert found is not None, page
    payload: dict[str, Any] = json.loads(found.group(1).replace("<\\/", "</"))
    return payload


def unseal_site(site: Path) -> str:
    """Every page and the search index as the browser sees them after unlocking."""
    parts = []
    protector: Protector | None = None
    for page in sorted(site.rglob("*.html")):
        sealed = lock_payload(page)
        if protector is None:
            protector = Protector(PASSWORD, salt=base64.b64decode(sealed["salt"]),
                                  iterations=sealed["iterations"])
        parts.append(protector.open(sealed["data"]).decode())
    assert protector is not None
    index = json.loads((site / "search" / "search_index.json").read_text())
    parts.append(protector.open(index["sealed"]).decode())
    return "\n".join(parts)


def open_sealed_pdf(site: Path, password: str = PASSWORD) -> bytes:
    """The site's PDF as the browser opens it after unlocking."""
    sealed = lock_payload(site / "index.html")
    protector = Protector(password, salt=base64.b64decode(sealed["salt"]), iterations=sealed["iterations"])
    return protector.open_bytes((site / (sealed["pdf"] + sealed["suffix"])).read_bytes())


def pdf_text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.is_encrypted and reader.decrypt("wrong") == 0 and reader.decrypt(password) != 0
    return " ".join(p.extract_text() for p in reader.pages)


def test_private_notes_are_cut_at_the_margin() -> None:
    body = ("Intro.\n\n!!! private\n    secret one\n\n    secret two\nAfter.\n"
            "??? private \"x\"\n\tsecret three\n")
    assert strip_private_notes(body) == "Intro.\n\nAfter.\n"


@pytest.mark.parametrize("audience", ["self", "sponsor", "committee"])
def test_private_notes_reach_only_the_self_build(audience: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", audience)
    site = build_site(make_packet(tmp_path), tmp_path / "site")
    everything = site_text(site)
    page = (site / "evidence" / "2026-03-02-shared-library" / "index.html").read_text()
    assert "Back in the narrative, which everyone sees." in page
    assert (NOTE in everything) is (audience == "self")
    if audience == "self":
        assert 'class="admonition private"' in page


DOCS_PAGES = {
    "docs/notes.md": ('# Notes\n\nA page the person wrote.\n\n!!! private "Mine"\n'
                      "    CANARY-DOCS-NOTE-dn5\n\n    CANARY-DOCS-NOTE-dn5 again\n\nKEEP-DOCS-NOTE-dn5\n"),
    "docs/more/about.md": ("---\ntitle: About\n---\n\n- first\n\n    ??? private\n"
                           "        CANARY-DOCS-LIST-dn5\n\n- KEEP-DOCS-LIST-dn5\n\n"
                           "```\n!!! private\n    KEEP-DOCS-CODE-dn5\n```\n"),
}


@pytest.mark.parametrize("audience", ["self", "sponsor", "committee"])
def test_private_notes_in_docs_pages_reach_only_the_self_build(audience: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", audience)
    root = packet_with(tmp_path, DOCS_PAGES)
    before = user_files(root)
    everything = site_text(build_site(root, tmp_path / "site"))
    for kept in ("KEEP-DOCS-NOTE-dn5", "KEEP-DOCS-LIST-dn5", "KEEP-DOCS-CODE-dn5"):
        assert kept in everything, kept
    for note in ("CANARY-DOCS-NOTE-dn5", "CANARY-DOCS-LIST-dn5"):
        assert (note in everything) is (audience == "self"), note
    assert user_files(root) == before  # the pages are stripped in memory, never on disk
    # promo gen copies the docs folder for an engine that runs no plugin: stripped the same way.
    monkeypatch.setenv("PROMO_PDF", "0")
    code, _, err = run("gen", str(tmp_path / "out"), "-f", str(root / "mkdocs.yml"))
    assert code == 0, err
    written = "".join(page.read_text("utf-8") for page in sorted((tmp_path / "out").rglob("*.md")))
    assert "KEEP-DOCS-NOTE-dn5" in written and "KEEP-DOCS-CODE-dn5" in written
    for note in ("CANARY-DOCS-NOTE-dn5", "CANARY-DOCS-LIST-dn5"):
        assert (note in written) is (audience == "self"), note


def test_a_private_note_look_alike_in_a_docs_page_stops_the_build(tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    root = packet_with(tmp_path, {"docs/notes.md": "# Notes\n\nPublic.\n\n!! private\n    SECRET-dn5\n"})
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    code, _, err = run("check", "-f", str(root / "mkdocs.yml"))
    assert code == 1
    assert "docs/notes.md:5: error: looks like a private note but is not one: '!! private'" in err


@pytest.mark.parametrize("audience", ["self", "sponsor", "committee"])
def test_a_protected_build_leaves_no_plaintext(audience: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_AUDIENCE", audience)
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = protected(make_packet(tmp_path))
    site = build_site(root, tmp_path / "site", pdf=True)
    raw = site_text(site)
    for canary in [*ALL_CANARIES, NOTE, "Sam Tester", "Cut the nightly batch", "batch-speedup"]:
        assert canary.lower() not in raw.lower(), canary
    opened = unseal_site(site)
    for visibility, canaries in CANARIES.items():
        for canary in canaries[:-1]:  # the last is the file name, hashed in a protected build
            assert (canary in opened) is (visibility in SEEN_BY[audience]), (audience, canary)
    assert "Cut the nightly batch" in opened
    text = pdf_text(open_sealed_pdf(site))
    assert "Cut the nightly batch" in text
    assert ("CANARY-SPONSOR-TITLE-kw2" in text) is (audience != "committee")


def test_a_protected_build_keeps_entry_urls_stable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = protected(make_packet(tmp_path))
    first = sorted(p.name for p in (build_site(root, tmp_path / "a") / "evidence").iterdir())
    second = sorted(p.name for p in (build_site(root, tmp_path / "b") / "evidence").iterdir())
    assert first == second and len(first) == 4
    assert all(re.fullmatch(r"[0-9a-f]{12}", name) for name in first)



def test_entry_urls_are_keyed_with_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = protected(make_packet(tmp_path))
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    first = {p.name for p in (build_site(root, tmp_path / "a") / "evidence").iterdir()}
    slugs = [p.stem for p in (root / "evidence").rglob("*.md")]
    # A guessed file name, hashed, must not be found on the site.
    assert not first & {hashlib.sha256(slug.encode()).hexdigest()[:12] for slug in slugs}
    monkeypatch.setenv("PROMO_PASSWORD", "another password, just as long")
    second = {p.name for p in (build_site(root, tmp_path / "b") / "evidence").iterdir()}
    assert len(first) == len(second) == 4 and not first & second


def test_committee_redaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = set_options(make_packet(tmp_path), "redact: [outcome, corroboration.name, links]")
    monkeypatch.setenv("PROMO_AUDIENCE", "committee")
    committee = site_text(build_site(root, tmp_path / "committee", pdf=True))
    for hidden in ("The nightly batch now ends at 1am", "Ada Quote", "https://docs.example.com/batch",
                   "Two teams replaced 3 home-grown retry loops"):
        assert hidden not in committee, hidden
    assert "[redacted]" in committee
    assert "We close the books before breakfast now." in committee  # quotes stay unless listed
    assert "Cut the nightly batch from 3 h to 40 min" in committee
    pdf = " ".join(p.extract_text() for p in PdfReader(tmp_path / "committee" / "packet.pdf").pages)
    assert "Ada Quote" not in pdf and "[redacted]" in pdf
    monkeypatch.setenv("PROMO_AUDIENCE", "sponsor")
    sponsor = site_text(build_site(root, tmp_path / "sponsor"))
    assert "Ada Quote" in sponsor and "[redacted]" not in sponsor


def test_redacting_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    root = set_options(make_packet(tmp_path), "redact: [title]")
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")


def test_build_says_which_audience_and_whether_protected(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    env = {**os.environ, "PROMO_AUDIENCE": "committee", "PROMO_PDF": "0"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=root,
                          env=env, capture_output=True, text=True, check=True)
    assert ("promo-packet: counted for the committee audience: 3 entries, 2 left out by their "
            "visibility; 3 dimensions, NOT password-protected;") in done.stderr


def test_gh_deploy_refuses_the_self_audience(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    env = {**os.environ, "PROMO_AUDIENCE": "self", "PROMO_PDF": "0"}
    env.pop("PROMO_PUBLISH_SELF", None)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--no-history"], cwd=root, env=env,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 1
    assert "refusing to publish the self audience" in done.stderr
    assert not (root / "site" / "index.html").exists()


def _unseal_with(site: Path, password: str) -> str:
    sealed = lock_payload(site / "index.html")
    protector = Protector(password, salt=base64.b64decode(sealed["salt"]), iterations=sealed["iterations"])
    return protector.open(sealed["data"]).decode()


@pytest.mark.parametrize("text", ["123456789012345", "0x1234567890abcdef", "2026-01-01T10:00:00"])
def test_the_password_is_the_text_whatever_yaml_makes_of_it(text: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from promo_packet.hosts.project import read_config

    monkeypatch.setenv("PROMO_PASSWORD", text)
    root = protected(make_packet(tmp_path))
    options, problems = read_config(root / "mkdocs.yml")
    assert options.password == text and not problems
    site = build_site(root, tmp_path / "site")
    assert "Cut the nightly batch" in _unseal_with(site, text)


@pytest.mark.parametrize(("text", "message"), [
    ("null", "PROMO_PASSWORD holds 'null', which protects nothing"),
    ("~", "PROMO_PASSWORD holds '~', which protects nothing"),
    ("", "PROMO_PASSWORD holds '', which protects nothing"),
    ("12345678", "PROMO_PASSWORD holds a password too weak"),
    ("true", "PROMO_PASSWORD holds a password too weak"),
    ("2026-01-01", "PROMO_PASSWORD holds a password too weak"),
    ("password", "PROMO_PASSWORD holds a password too weak"),
    ("aaaaaaaaaaaaaaaa", "PROMO_PASSWORD holds a password too weak"),
])
def test_a_null_or_weak_password_stops_the_build(text: str, message: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    from promo_packet.hosts.project import read_config

    monkeypatch.setenv("PROMO_PASSWORD", text)
    root = protected(make_packet(tmp_path))
    _, problems = read_config(root / "mkdocs.yml")
    assert [p.field for p in problems] == ["promo-packet.password"]
    assert message in str(problems[0]) and str(problems[0]).startswith("mkdocs.yml:15: ")
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    assert f"mkdocs.yml:15: promo-packet.password: {message}" in unlabelled(caplog.text)
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_weak_password_is_accepted_only_for_tests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.setenv("PROMO_PASSWORD", "abc")
    root = protected(make_packet(tmp_path))
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    monkeypatch.setenv("PROMO_WEAK_PASSWORD_OK", "1")
    site = build_site(root, tmp_path / "site")
    assert "Cut the nightly batch" in _unseal_with(site, "abc")


def test_a_protected_build_refuses_the_docs_folders_other_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path)
    (root / "docs" / "img").mkdir()
    (root / "docs" / "img" / "salary.png").write_bytes(b"\x89PNG CANARY-STATIC-png")
    (root / "docs" / "offer.txt").write_text("CANARY-STATIC-txt")
    (root / "docs" / "CNAME").write_text("packet.example.com\n")
    plain = build_site(root, tmp_path / "plain")
    assert (plain / "img" / "salary.png").is_file() and (plain / "sitemap.xml").is_file()
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    protected(root)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    logged = unlabelled(caplog.text)
    assert "docs/img/salary.png: is copied from the docs folder as it is" in logged
    assert "docs/offer.txt: is copied from the docs folder as it is" in logged
    assert "CNAME" not in caplog.text
    assert not list(tmp_path.glob("site/**/salary.png"))
    (root / "docs" / "img" / "salary.png").unlink()
    (root / "docs" / "offer.txt").unlink()
    site = build_site(root, tmp_path / "site")
    assert (site / "CNAME").is_file()
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert (site / "404.html").read_text().count('id="pp-sealed"') == 1


def test_a_protected_build_seals_the_pdf_and_writes_no_plaintext_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = protected(make_packet(tmp_path))
    site = build_site(root, tmp_path / "site", pdf=True)
    assert sorted(p.name for p in site.glob("packet*.*")) == ["packet.pdf.sealed"]
    assert "Cut the nightly batch" in pdf_text(open_sealed_pdf(site))
    assert not list(root.glob(".cache/**/*.pdf"))  # never cached in plaintext
    set_options(root, "pdf_email: true")
    site = build_site(root, tmp_path / "email", pdf=True)
    assert sorted(p.name for p in site.glob("packet*.*")) == ["packet-email.pdf", "packet.pdf.sealed"]
    assert "Cut the nightly batch" in pdf_text((site / "packet-email.pdf").read_bytes(), PASSWORD)


def test_promo_pdf_honours_the_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from promo_packet.cli import main

    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    root = protected(make_packet(tmp_path))
    out = tmp_path / "packet.pdf"
    args = ["pdf", "-f", str(root / "mkdocs.yml"), "-o", str(out), "--no-cache"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and not out.exists()
    assert "a password is configured, so the PDF is not written in plaintext" in refused.stderr
    encrypted = CliRunner().invoke(main, [*args, "--encrypt"])
    assert encrypted.exit_code == 0, encrypted.stderr
    assert "far faster than the site" in encrypted.stderr
    assert "Cut the nightly batch" in pdf_text(out.read_bytes(), PASSWORD)
    plain = CliRunner().invoke(main, [*args, "--plaintext"])
    assert plain.exit_code == 0 and not PdfReader(out).is_encrypted


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("password", [PASSWORD, None])
def test_an_interrupted_build_leaves_the_previous_site_untouched(password: str | None, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from promo_packet.hosts import build

    if password:
        monkeypatch.setenv("PROMO_PASSWORD", password)
    root = protected(make_packet(tmp_path))
    site = tmp_path / "site"
    (site / "stale").mkdir(parents=True)
    (site / "stale" / "old.html").write_text("from before")
    (site / ".git").mkdir()
    rendered = build.render_pdf

    def interrupted(*args: object, **kwargs: object) -> object:
        rendered(*args, **kwargs)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "render_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site(root, site, pdf=True)
    assert site_files(site) == {"stale/old.html": b"from before"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet", "site"]  # nothing staged is left
    monkeypatch.setattr(build, "render_pdf", rendered)
    build_site(root, site, pdf=True)
    built = site_files(site)
    assert "stale/old.html" not in built and "index.html" in built
    assert ("packet.pdf" in built) is (password is None)
    assert (site / ".git").is_dir()  # hidden entries are kept, as MkDocs' own cleaning keeps them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet", "site"]


def test_a_dirty_build_keeps_what_the_site_held(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = make_packet(tmp_path)
    site = build_site(root, tmp_path / "site")
    (site / "extra.html").write_text("kept by --dirty")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    # Ours only: Material's search plugin would keep a dirty index in its cached instance.
    ours = config.plugins["promo-packet"]
    ours.on_startup(command="build", dirty=True)
    os.environ["PROMO_PDF"] = "0"
    try:
        build(config, dirty=True)
    finally:
        os.environ.pop("PROMO_PDF")
        # Plugins with on_startup outlive their config (MkDocs caches them for serve): reset it.
        ours.on_startup(command="build", dirty=False)
    assert (site / "extra.html").read_text() == "kept by --dirty"
    assert "Cut the nightly batch" in (site / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet", "site"]


SPONSOR_SEALED = ("sponsor", True)


@pytest.mark.parametrize(("held", "build", "dirty", "refused"), [
    (None, ("self", False), False, "the self audience: it contains private entries"),
    (("self", False), SPONSOR_SEALED, False, None),  # a clean build replaces the folder whole
    (("self", False), SPONSOR_SEALED, True, "site/: it holds a self build"),
    (("sponsor", False), SPONSOR_SEALED, True,
     "site/: it holds a sponsor build without a password, which --dirty would mix with this sponsor "
     "build with a password"),
    (("committee", True), SPONSOR_SEALED, True, "site/: it holds a committee build with a password"),
    ("unmarked", SPONSOR_SEALED, True, "site/: it holds files without a promo-packet marker"),
    ("garbage", SPONSOR_SEALED, True, "site/: it holds files without a promo-packet marker"),
    (SPONSOR_SEALED, SPONSOR_SEALED, True, None),
    (None, SPONSOR_SEALED, True, None),
])
def test_the_deploy_guard_checks_what_the_site_holds(held: object, build: tuple[str, bool], dirty: bool,
                                                     refused: str | None, tmp_path: Path) -> None:
    from promo_packet.sharing.publish import MARKER, SiteMarker, deploy_refusal, write_marker

    site = tmp_path / "site"
    site.mkdir()
    if held is not None:
        (site / "index.html").write_text("a page")
    if isinstance(held, tuple):
        write_marker(site, SiteMarker(*held))
    elif held == "garbage":
        (site / MARKER).write_text('{"audience": 3}')
    found = deploy_refusal(site, SiteMarker(*build), dirty=dirty)
    assert (found is None) is (refused is None), found
    assert refused is None or (found is not None and found.startswith(refused)), found


def run_mkdocs(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PROMO_PDF": "0", "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com", **env}
    environ.pop("PROMO_PUBLISH_SELF", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=root, env=environ,
                          capture_output=True, text=True, check=False, timeout=180)


def test_gh_deploy_dirty_refuses_to_mix_a_self_build_in(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(remote)], cwd=root, check=True)
    assert run_mkdocs(root, "build", PROMO_AUDIENCE="self").returncode == 0
    assert json.loads((root / "site" / ".promo-packet.json").read_text())["audience"] == "self"
    dirty = run_mkdocs(root, "gh-deploy", "--dirty", PROMO_AUDIENCE="sponsor")
    assert dirty.returncode == 1
    assert "refusing to publish site/: it holds a self build" in dirty.stderr
    branches = subprocess.run(["git", "branch", "--list"], cwd=remote, capture_output=True, text=True)
    assert branches.stdout == ""  # nothing was pushed
    clean = run_mkdocs(root, "gh-deploy", PROMO_AUDIENCE="sponsor")
    assert clean.returncode == 0, clean.stderr
    pushed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=remote,
                            capture_output=True, text=True, check=True).stdout.split()
    assert ".promo-packet.json" in pushed and "index.html" in pushed
    assert not [name for name in pushed if "canary-private" in name]


@pytest.mark.parametrize("name", ["../docs/notes.md", "../evidence/x.pdf", "sub/packet.pdf",
                                  "/tmp/packet.pdf", "..\\\\packet.pdf", "packet.html", "..", ".pdf",
                                  "...pdf", "..pdf", ".hidden.pdf", "p" * 97 + ".pdf", "p" * 300 + ".pdf",
                                  "tab\tin.pdf"])
def test_pdf_name_is_a_plain_file_name(name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    from promo_packet.hosts.project import read_config

    root = set_options(make_packet(tmp_path), f"pdf_name: '{name}'")
    before = user_files(root)
    _, problems = read_config(root / "mkdocs.yml")
    message = f"mkdocs.yml:15: promo-packet.pdf_name: expected a plain file name ending in .pdf, got {name!r}"
    assert [str(p).split(";")[0] for p in problems] == [message]
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site", pdf=True)
    assert message in unlabelled(caplog.text)
    assert user_files(root) == before


def test_a_pdf_name_of_a_hundred_characters_is_plain(tmp_path: Path) -> None:
    from promo_packet.hosts.project import read_config

    name = "p" * 96 + ".pdf"
    options, problems = read_config(set_options(make_packet(tmp_path), f"pdf_name: '{name}'") / "mkdocs.yml")
    assert problems == [] and options.pdf.name == name


@pytest.mark.parametrize(("docs_dir", "evidence_dir"),
                         [("docs", "docs/evidence"), ("evidence/docs", "evidence")])
def test_evidence_inside_the_docs_folder_is_an_error(docs_dir: str, evidence_dir: str, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    from promo_packet.hosts.project import read_config

    root = make_packet(tmp_path)
    if evidence_dir.startswith("docs/"):
        (root / "evidence").rename(root / evidence_dir)
    else:
        (root / "docs").rename(root / docs_dir)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("docs_dir: docs", f"docs_dir: {docs_dir}"))
    set_options(root, f"evidence_dir: {evidence_dir}")
    _, problems = read_config(config)
    assert [p.field for p in problems] == ["promo-packet.evidence_dir"]
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    assert "the evidence folder and the docs folder overlap" in caplog.text
    assert not list(tmp_path.glob("site/**/*.html"))


def readable(file: Path) -> str:
    """A file's text as anyone holding it reads it: PDFs extracted, gzip unpacked."""
    if file.suffix == ".pdf":
        reader = PdfReader(file)
        return "" if reader.is_encrypted else " ".join(p.extract_text() for p in reader.pages)
    return site_text_of(file)


@pytest.mark.parametrize("password", [PASSWORD, None])
@pytest.mark.parametrize("audience", ["self", "sponsor", "committee"])
def test_canary_matrix_every_output_and_nothing_outside(audience: str, password: str | None, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from promo_packet.model.settings import CACHE_DIR

    monkeypatch.setenv("PROMO_AUDIENCE", audience)
    if password:
        monkeypatch.setenv("PROMO_PASSWORD", password)
    root = protected(make_packet(tmp_path))
    before = user_files(root)
    site = build_site(root, tmp_path / "site", pdf=True)
    assert user_files(root) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["packet", "site"]
    assert {p.relative_to(root).parts[0] for p in root.rglob("*")} <= {*(p.split("/")[0] for p in before),
                                                                         ".cache"}
    cache = root / CACHE_DIR
    outputs = {p: readable(p) for p in [*site.rglob("*"), *root.glob(".cache/**/*")] if p.is_file()}
    assert any(p.name.startswith("packet.pdf") for p in outputs)
    for visibility, canaries in CANARIES.items():
        for canary in [*canaries, *([NOTE] if visibility == "private" else [])]:
            where = {p for p, text in outputs.items() if canary.lower() in (str(p) + text).lower()}
            if password is not None:
                assert not where, (canary, where)  # every output is sealed, the PDF too
            elif visibility not in SEEN_BY[audience]:
                assert not where, (canary, where)
            else:
                # A self build's PDF holds private text: it is never kept in the cache.
                assert not (audience == "self" and {p for p in where if p.is_relative_to(cache)}), where
    if password is None and audience != "self":
        assert list(cache.glob("*.pdf"))
    else:
        assert not list(cache.glob("*.pdf"))


def test_the_lock_page_is_its_template_with_every_value_escaped() -> None:
    from promo_packet.sharing.protect import read_lock_asset

    protector = Protector(PASSWORD, salt=b"s" * 16, iterations=1)
    page = protector.lock_page("<p>Inside</p></script>", base="./", kind='<b>"Q" & A</b>')
    # The title, the heading, the error and the note without JavaScript.
    assert page.count("&lt;b&gt;&#34;Q&#34; &amp; A&lt;/b&gt;") == 4 and "<b>" not in page
    assert f"<style>\n{read_lock_asset('lock.css')}</style>" in page
    assert f"<script>\n{read_lock_asset('unlock.js')}</script>" in page
    assert protector.open_page(page) == "<p>Inside</p></script>"
    assert page.count("</script>") == 2  # the sealed document and the unlock script, nothing else
