"""``promo ask`` and ``promo signers add``, end to end with ``ssh-keygen`` on a copy of the fixture packet."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import packet_with, run
from openssh import needs_ssh_keygen, new_key, public_key, ssh_sign, ssh_verifies
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.statement import statement
from promo_packet.reading.allowed_signers import read_allowed_signers
from promo_packet.sharing.signatures import verify

BATCH = "evidence/2026/2026-01-10-batch-speedup.md"
ZOE = "Zoë van der Berg"
REVIEW = f"""---
title: Led the payments review
date: 2026-02-03
dimensions: [scope]
outcome: Two teams agreed one design.
corroboration:
  - name: {ZOE}
    role: Staff engineer, Payments
    quote: "It was the review that settled it.\\nEveryone left agreeing."
---
Body.
"""


def expected(root: Path, relative: str, index: int = 0) -> bytes:
    entry, problems = parse_evidence((root / relative).read_text("utf-8"), relative, "x")
    assert entry is not None, problems
    return statement(entry, entry.corroboration[index], "Sam Tester")


def test_ask_writes_the_statement_and_says_how_to_sign_it(packet: Path, tmp_path: Path) -> None:
    config = str(packet / "mkdocs.yml")
    code, out, err = run("ask", "2026-01-10-batch-speedup", "--from", "Ada Quote", "-f", config, cwd=tmp_path)
    assert code == 0, err
    written = tmp_path / "2026-01-10-batch-speedup-ada-quote.txt"
    assert written.read_bytes() == expected(packet, BATCH)
    assert ("\n    ssh-keygen -Y sign -n promo-packet -f ~/.ssh/id_ed25519 "
            "2026-01-10-batch-speedup-ada-quote.txt\n") in out
    assert "2026-01-10-batch-speedup-ada-quote.txt.sig" in out
    assert "allowed_signers has no key for Ada Quote yet" in err
    by_path = tmp_path / "by-path.txt"
    code, _, err = run("ask", str(packet / BATCH), "--from", "Ada Quote", "-f", config, "-o", str(by_path))
    assert code == 0, err
    assert by_path.read_bytes() == written.read_bytes()


def test_ask_refuses_what_it_cannot_find(packet: Path, tmp_path: Path) -> None:
    config = str(packet / "mkdocs.yml")
    code, _, err = run("ask", "batch-speedup", "--from", "Ada Quote", "-f", config, cwd=tmp_path)
    assert code == 1 and "batch-speedup: error: no evidence entry by this path or slug" in err
    code, _, err = run("ask", "2026-01-10-batch-speedup", "--from", "Ada", "-f", config, cwd=tmp_path)
    assert code == 1 and f"{BATCH}: error: corroboration: no corroboration by 'Ada'\n" in err
    assert "  hint: it quotes 'Ada Quote'" in err
    code, _, err = run("ask", "2026-04-15-onboarding", "--from", "Ada", "-f", config, cwd=tmp_path)
    assert code == 1 and "it quotes no one by name" in err
    (packet / "mkdocs.yml").write_text((packet / "mkdocs.yml").read_text().replace("Sam Tester", "''"))
    code, _, err = run("ask", "2026-01-10-batch-speedup", "--from", "Ada Quote", "-f", config, cwd=tmp_path)
    assert code == 1 and "set 'person:'" in err
    assert list(tmp_path.glob("*.txt")) == []


@needs_ssh_keygen
def test_asked_signed_trusted_and_verified(tmp_path: Path) -> None:
    root = packet_with(tmp_path, {"evidence/2026/review.md": REVIEW})
    config = str(root / "mkdocs.yml")
    home = tmp_path / "zoe"
    home.mkdir()
    code, out, err = run("ask", "review", "--from", ZOE, "-f", config, "-o", str(home / "statement.txt"))
    assert code == 0, err
    message = (home / "statement.txt").read_bytes()
    assert message == expected(root, "evidence/2026/review.md")
    assert b"quote: It was the review that settled it.\\nEveryone left agreeing.\n" in message
    key = new_key(home)
    signature = ssh_sign(key, home / "statement.txt")
    code, out, err = run("signers", "add", ZOE, "--key", f"{key}.pub", "-f", config)
    assert code == 0, err
    assert "added" in out
    allowed_signers = root / "allowed_signers"
    first = allowed_signers.read_bytes()
    assert first.startswith(f'"{ZOE}" namespaces="promo-packet" ssh-ed25519 '.encode())
    assert ssh_verifies(allowed_signers, ZOE, message, signature, tmp_path)
    allowed, problems = read_allowed_signers(allowed_signers)
    assert problems == []
    verdict = verify(signature, message, ZOE, allowed)
    assert verdict.verified, verdict.message
    code, out, err = run("signers", "add", ZOE, "--key", f"{key}.pub", "-f", config)
    assert code == 0 and "already listed" in out and allowed_signers.read_bytes() == first
    code, _, err = run("ask", "review", "--from", ZOE, "-f", config, "-o", str(home / "again.txt"))
    assert code == 0 and "has no key" not in err


@needs_ssh_keygen
def test_signers_add_takes_the_keys_gh_lists(packet: Path, tmp_path: Path) -> None:
    keys = [new_key(tmp_path, "ed25519"), new_key(tmp_path, "ecdsa-256")]
    listing = tmp_path / "keys.json"
    listing.write_text(json.dumps([{"id": n, "key": public_key(k).strip(), "title": k.name}
                                   for n, k in enumerate(keys)], indent=2))
    code, out, err = run("signers", "add", "Ada Quote", "--github-keys", str(listing),
                         "-f", str(packet / "mkdocs.yml"))
    assert code == 0, err
    assert out.count(" added") == 2
    message = b"anything\n"
    (tmp_path / "message.txt").write_bytes(message)
    for key in keys:
        signature = ssh_sign(key, tmp_path / "message.txt")
        assert ssh_verifies(packet / "allowed_signers", "Ada Quote", message, signature, tmp_path)


@needs_ssh_keygen
def test_signers_add_refuses_bad_keys_and_writes_nothing(packet: Path, tmp_path: Path) -> None:
    config = str(packet / "mkdocs.yml")
    weak = new_key(tmp_path, "rsa-1024")
    code, _, err = run("signers", "add", "Ada Quote", "--key", f"{weak}.pub", "-f", config, cwd=tmp_path)
    assert code == 1 and "id_rsa-1024.pub:1: error: the key is an RSA key of 1024 bits" in err
    assert not (packet / "allowed_signers").exists()
    good = new_key(tmp_path)
    assert run("signers", "add", "Bob", "--key", f"{good}.pub", "-f", config)[0] == 0
    before = (packet / "allowed_signers").read_bytes()
    code, _, err = run("signers", "add", "Ada Quote", "--key", f"{good}.pub", "-f", config)
    assert code == 1 and "is listed for 'Bob'" in err
    code, _, err = run("signers", "add", 'Ada "AQ" Quote', "--key", f"{good}.pub", "-f", config)
    assert code == 1 and "a character OpenSSH cannot read" in err
    assert (packet / "allowed_signers").read_bytes() == before
    code, _, err = run("signers", "add", "Ada Quote", "-f", config)
    assert code == 2 and "pass one of --github-keys FILE and --key FILE.pub" in err
    (packet / "allowed_signers").write_bytes(before + b"carl cert-authority " + before.split(b" ", 2)[2])
    other = new_key(tmp_path, name="other")
    code, _, err = run("signers", "add", "Ada Quote", "--key", f"{other}.pub", "-f", config)
    assert code == 1 and "allowed_signers:2: error: options: option 'cert-authority' is not supported" in err
