"""Signed quotes, end to end: real keys sign an entry's statement, and every build checks it."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import build_site, commit_all, example_packet, packet_with, run, site_text_of
from openssh import SSH_KEYGEN, fingerprint, new_key, public_key, ssh_sign, ssh_verifies
from promo_packet.hosts.project import assemble, read_config
from promo_packet.model.evidence import SHORT_FINGERPRINT, parse_evidence
from promo_packet.model.statement import statement
from promo_packet.sharing.signatures import ed25519_public_key, sign_ed25519

BATCH = "evidence/2026/2026-01-10-batch-speedup.md"
ADA = "Ada Quote"
CHANGES = {
    "title": ("title: Cut the nightly batch from 3 h to 40 min", "title: Cut the nightly batch to 20 min"),
    "outcome": ("outcome: The nightly batch now ends at 1am instead of 3am.",
                "outcome: The nightly batch now ends at midnight."),
    "quote": ("quote: We close the books before breakfast now.", "quote: We close the books by 6am now."),
    "name": ("  - name: Ada Quote", "  - name: Ada Quotes"),
    "role": ("role: Finance lead", "role: Finance director"),
}


def sign_batch(root: Path, tmp_path: Path, kind: str = "ed25519") -> tuple[str, str]:
    """Sign Ada's quote of the batch entry with a new key of ``kind`` (``ssh-keygen -Y sign`` where
    it is installed, else the Python signer); the key's fingerprint and its allowed_signers line."""
    entry, problems = parse_evidence((root / BATCH).read_text("utf-8"), BATCH, "batch")
    assert entry is not None, problems
    message = statement(entry, entry.corroboration[0], "Sam Tester")
    if SSH_KEYGEN is not None:
        key = new_key(tmp_path, kind)
        (tmp_path / "statement.txt").write_bytes(message)
        signature = ssh_sign(key, tmp_path / "statement.txt")
        found, line = fingerprint(key), f'"{ADA}" {public_key(key).strip()}'
    else:
        if kind != "ed25519":
            pytest.skip("ssh-keygen is not installed: only ed25519 keys can be made")
        private = Ed25519PrivateKey.generate()
        signature = sign_ed25519(private, message)
        public = ed25519_public_key(private)
        found, line = public.fingerprint, f'"{ADA}" {public.text}'
    indented = "".join(f"      {row}\n" for row in signature.strip().splitlines())
    text = (root / BATCH).read_text("utf-8")
    text = text.replace("    date: 2026-01-20\n", f"    date: 2026-01-20\n    signature: |\n{indented}", 1)
    (root / BATCH).write_text(text, "utf-8")
    return found, line


def signed_packet(tmp_path: Path, kind: str = "ed25519", *, trusted: bool = True) -> tuple[Path, str]:
    root = packet_with(tmp_path, {})
    found, line = sign_batch(root, tmp_path, kind)
    (root / "allowed_signers").write_text(f"{line}\n" if trusted else "", "utf-8")
    return root, found


def problems_of(root: Path) -> list[str]:
    options, _ = read_config(root / "mkdocs.yml")
    return [str(p) for p in assemble(options.sources, options.packet).problems if p.is_error]


@pytest.mark.parametrize("kind", ["ed25519", "rsa-2048"])
def test_a_signed_quote_is_verified_on_the_site_and_in_the_pdf(tmp_path: Path, kind: str) -> None:
    root, found = signed_packet(tmp_path, kind)
    site = build_site(root, tmp_path / "site", pdf=True)
    page = html.unescape(site_text_of(site / "evidence" / "2026-01-10-batch-speedup" / "index.html"))
    assert f"verified: signed with the key {found[:SHORT_FINGERPRINT]}, statement of" in page
    assert "1 of 1 quote verified" in page
    assert "1 of 3 quotes verified" in site_text_of(site / "index.html")
    for dimension in ("scope", "influence"):
        shown = html.unescape(site_text_of(site / "dimensions" / dimension / "index.html"))
        assert "1 of 1 quote verified" in shown and "✓ verified: signed with the key" in shown
    assert found[:SHORT_FINGERPRINT] not in (site / "search" / "search_index.json").read_text("utf-8")
    from pypdf import PdfReader

    pdf = " ".join(page.extract_text() for page in PdfReader(site / "packet.pdf").pages)
    assert "1 of 1 quote verified" in pdf and "1 of 3 quotes verified" in pdf
    assert "verified: signed with the key" in re.sub(r"\s+", " ", pdf)


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_each_field_changed_after_signing_is_a_located_error_that_stops_a_committee_build(
        tmp_path: Path, field: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = signed_packet(tmp_path)
    commit_all(root)
    before, after = CHANGES[field]
    text = (root / BATCH).read_text("utf-8")
    assert before in text
    (root / BATCH).write_text(text.replace(before, after), "utf-8")
    if field == "name":
        (root / "allowed_signers").write_text((root / "allowed_signers").read_text().replace(ADA, f"{ADA}s"))
    line = next(n for n, row in enumerate((root / BATCH).read_text().splitlines(), 1) if "signature:" in row)
    monkeypatch.setenv("PROMO_AUDIENCE", "committee")
    errors = problems_of(root)
    assert len(errors) == 1
    assert errors[0].startswith(f"{BATCH}:{line}: corroboration[0].signature: does not match the entry")
    signed_as = before.split(": ", 1)[1]
    assert f"as it is now: the {field} (signed as {signed_as!r}) changed since it was signed" in errors[0]
    with pytest.raises(SystemExit):
        build_site(root, tmp_path / "site")
    code, _, err = run("check", "-f", str(root / "mkdocs.yml"))
    assert code == 1
    assert f"{BATCH}:{line}:" in err


def test_a_key_not_in_allowed_signers_is_an_error(tmp_path: Path) -> None:
    root, found = signed_packet(tmp_path, trusted=False)
    [error] = problems_of(root)
    assert "corroboration[0].signature: signed with the ssh-ed25519 key" in error
    assert found in error and "does not list for 'Ada Quote'" in error


def test_the_self_build_shows_the_problem_on_the_entry(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = signed_packet(tmp_path, trusted=False)
    monkeypatch.setenv("PROMO_AUDIENCE", "self")
    assert problems_of(root) == []
    site = build_site(root, tmp_path / "site")
    page = site_text_of(site / "evidence" / "2026-01-10-batch-speedup" / "index.html")
    assert "signature not verified: signed with the ssh-ed25519 key" in page
    assert "strength: strong" in page and "the strongest proof" not in page
    assert "quote verified" not in page


def test_a_quote_without_signature_stays_quoted_by_the_author(tmp_path: Path) -> None:
    root = packet_with(tmp_path, {})
    site = build_site(root, tmp_path / "site")
    page = site_text_of(site / "evidence" / "2026-01-10-batch-speedup" / "index.html")
    assert "We close the books before breakfast now." in page
    assert "verified" not in page


def test_the_committee_bundle_counts_verified_signatures_not_linked_quotes(tmp_path: Path) -> None:
    root, _ = signed_packet(tmp_path)
    out = tmp_path / "bundle.zip"
    code, _, err = run("export", "-f", str(root / "mkdocs.yml"), str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        facts = json.loads(archive.read("facts.json"))
    assert facts["counts"]["verified_quotes"] == 1


def test_a_strong_entry_with_a_verified_quote_ranks_first(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = signed_packet(tmp_path)
    monkeypatch.setenv("PROMO_AUDIENCE", "self")
    page = site_text_of(build_site(root, tmp_path / "site") / "evidence" / "2026-01-10-batch-speedup"
                        / "index.html")
    assert "strength: strong, with a verified quote: the strongest proof" in page
    options, _ = read_config(root / "mkdocs.yml")
    packet = assemble(options.sources, options.packet).packet
    assert packet is not None
    batch = next(e for e in packet.entries if e.title.startswith("Cut the nightly batch"))
    assert batch.verified_quotes == 1
    assert all(packet.rank(batch) > packet.rank(e) for e in packet.entries if e is not batch)


def test_the_example_packets_signed_quote_is_verified_and_ssh_keygen_agrees(tmp_path: Path) -> None:
    root = example_packet(tmp_path)
    options, _ = read_config(root / "mkdocs.yml")
    assembly = assemble(options.sources, options.packet)
    assert assembly.ok, [str(p) for p in assembly.problems if p.is_error]
    signed = [(e.path, c) for e in assembly.evidence.entries for c in e.corroboration if c.signature]
    assert [(path, c.name, c.verified) for path, c in signed] == [
        ("evidence/2026/2026-07-09-legacy-ledger-switched-off.md", "Rosa Quintero", True)]
    code, _, err = run("ask", "2026-07-09-legacy-ledger-switched-off", "--from", "Rosa Quintero",
                       "-o", str(tmp_path / "statement.txt"), "-f", str(root / "mkdocs.yml"))
    assert code == 0, err
    first = (tmp_path / "statement.txt").read_bytes()
    run("ask", "2026-07-09-legacy-ledger-switched-off", "--from", "Rosa Quintero",
        "-o", str(tmp_path / "again.txt"), "-f", str(root / "mkdocs.yml"))
    assert (tmp_path / "again.txt").read_bytes() == first
    if SSH_KEYGEN is not None:
        signature = signed[0][1].signature
        assert signature is not None
        assert ssh_verifies(root / "allowed_signers", "Rosa Quintero", first, signature, tmp_path)


def test_outside_git_a_changed_entry_still_fails_naming_what_a_statement_holds(tmp_path: Path) -> None:
    root, _ = signed_packet(tmp_path)
    text = (root / BATCH).read_text("utf-8")
    (root / BATCH).write_text(text.replace(*CHANGES["quote"]), "utf-8")
    [error] = problems_of(root)
    assert "corroboration[0].signature: does not match the entry as it is now: its title, date, outcome, " \
           "name, role or quote (or the packet's person) changed since it was signed" in error


def test_a_broken_signature_does_not_stop_asking_for_a_new_one(tmp_path: Path) -> None:
    root, _ = signed_packet(tmp_path)
    text = (root / BATCH).read_text("utf-8")
    (root / BATCH).write_text(text.replace(*CHANGES["quote"]), "utf-8")
    assert problems_of(root)
    code, _, err = run("ask", "2026-01-10-batch-speedup", "--from", ADA, "-o", str(tmp_path / "new.txt"),
                       "-f", str(root / "mkdocs.yml"))
    assert code == 0, err
    assert b"quote: We close the books by 6am now.\n" in (tmp_path / "new.txt").read_bytes()
