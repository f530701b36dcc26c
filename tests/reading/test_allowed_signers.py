"""The allowed_signers file: read as OpenSSH reads it, strictly, and added to so OpenSSH reads it back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from openssh import needs_ssh_keygen, new_key, public_key, ssh_sign, ssh_verifies
from promo_packet.errors import InputError, RequestError
from promo_packet.reading.allowed_signers import (
    keys_from_github,
    keys_from_pub,
    parse_allowed_signers,
    principal_text,
    read_allowed_signers,
    with_signer,
)
from promo_packet.reading.ssh_keys import PublicKey, parse_public_key_line

PublicKeyTypes = Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def openssh_line(private: PublicKeyTypes) -> str:
    return private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                             serialization.PublicFormat.OpenSSH).decode()


def ed25519(seed: int) -> str:
    """A fixed ed25519 public key line, different for each ``seed``."""
    return openssh_line(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


def key(line: str) -> PublicKey:
    return parse_public_key_line(line)


def test_a_file_with_comments_quoted_names_and_several_keys_is_read() -> None:
    rsa_line = openssh_line(rsa.generate_private_key(65537, 2048))
    ecdsa_line = openssh_line(ec.generate_private_key(ec.SECP384R1()))
    text = (f"# the people who may vouch for entries\n\n"
            f'"Ada Lovelace" namespaces="promo-packet" {ed25519(1)} ada@laptop\n'
            f'  "Ada Lovelace" {ed25519(2)}\r\n'
            f'dana.w NAMESPACES="git,promo-*" {ecdsa_line}\n'
            f"ann,ben {rsa_line}\n"
            f'gil namespaces="git,!promo-packet" {ed25519(3)}\n'
            f"   # an indented comment\n")
    allowed, problems = parse_allowed_signers(text)
    assert problems == []
    assert allowed.principals == ("Ada Lovelace", "dana.w", "ann", "ben", "gil")
    assert allowed.keys_of("Ada Lovelace") == (key(ed25519(1)), key(ed25519(2)))
    assert allowed.keys_of("Ada Lovelace", "git") == (key(ed25519(2)),)
    assert allowed.keys_of("ada lovelace") == ()
    assert allowed.keys_of("dana.w") == (key(ecdsa_line),)
    assert allowed.keys_of("ann") == allowed.keys_of("ben") == (key(rsa_line),)
    assert allowed.keys_of("gil") == () and allowed.keys_of("gil", "git") == (key(ed25519(3)),)
    assert [signer.line for signer in allowed.signers] == [3, 4, 5, 6, 6, 7]


def test_every_problem_is_located_in_one_run() -> None:
    weak = openssh_line(rsa.generate_private_key(65537, 1024))
    lines = [
        f"ada {ed25519(1)}",
        f"bob {ed25519(2)}",
        f"ada {ed25519(3)}",
        f"carl cert-authority {ed25519(4)}",
        f'dan valid-before="20300101" {ed25519(5)}',
        "eve ssh-dss AAAAB3NzaC1kc3MAAAABAQ==",
        f"fay {weak}",
        "gus ssh-ed25519 AAAA!!!!",
        f"hal ssh-rsa {ed25519(6).split()[1]}",
        f'"ivy {ed25519(7)}',
        f"j* {ed25519(8)}",
        f"kim {ed25519(1)}",
        "lou",
        f'mo namespaces="promo-packet",namespaces="x" {ed25519(9)}',
        f"ned ssh-ed25519 {ed25519(10).split()[1][:-8]}",
        f'o"pal" {ed25519(11)}',
    ]
    allowed, problems = parse_allowed_signers("\n".join(lines) + "\n", "allowed_signers")
    found = {(problem.line, problem.field) for problem in problems}
    assert found == {(3, "principals"), (4, "options"), (5, "options"), (6, "key"), (7, "key"), (8, "key"),
                     (9, "key"), (10, "principals"), (11, "principals"), (12, "key"), (13, "key"),
                     (14, "options"), (15, "key"), (16, "principals")}
    assert all(problem.is_error for problem in problems) and len(problems) == len(found)
    text = {problem.line: str(problem) for problem in problems}
    assert text[3].startswith("allowed_signers:3: principals: 'ada' is already listed at line 1; ")
    assert "'cert-authority' is not supported" in text[4] and "valid-before" in text[5]
    assert "unknown key type 'ssh-dss'" in text[6]
    assert "RSA key of 1024 bits" in text[7]
    assert "not valid base64" in text[8]
    assert "says ssh-rsa but holds a ssh-ed25519 key" in text[9]
    assert "already listed at line 1 for 'ada'" in text[12]
    # A line with a problem trusts no key: only the two good lines count.
    assert allowed.principals == ("ada", "bob")


@needs_ssh_keygen
@pytest.mark.parametrize("name", ["Zoë van der Berg", "Seán O'Brien", "#1 reviewer", "李 小龙", "dana.w",
                                  "Zoë\u00a0Berg"])
def test_a_name_with_spaces_and_accents_round_trips_through_ssh_keygen(tmp_path: Path, name: str) -> None:
    signing = new_key(tmp_path)
    other = new_key(tmp_path, "ecdsa-256")
    message = b"promo-packet corroboration statement\n"
    (tmp_path / "statement.txt").write_bytes(message)
    signature = ssh_sign(signing, tmp_path / "statement.txt")
    text, added = with_signer("# trusted\n", "Someone Else", [key(public_key(other))])
    text, added = with_signer(text, name, [key(public_key(signing))])
    assert added == [key(public_key(signing))]
    allowed_signers = tmp_path / "allowed_signers"
    allowed_signers.write_text(text, encoding="utf-8")
    assert ssh_verifies(allowed_signers, name, message, signature, tmp_path)
    assert not ssh_verifies(allowed_signers, "Someone Else", message, signature, tmp_path)
    allowed, problems = read_allowed_signers(allowed_signers)
    assert problems == []
    assert allowed.keys_of(name) == (key(public_key(signing)),)
    assert principal_text(name) == (name if name == "dana.w" else f'"{name}"')


def test_new_keys_go_after_the_persons_lines_and_known_keys_are_skipped() -> None:
    text = f"ada {ed25519(1)}\nbob {ed25519(2)}\n"
    updated, added = with_signer(text, "ada", [key(ed25519(1)), key(ed25519(3)), key(ed25519(3))])
    assert added == [key(ed25519(3))]
    assert updated.splitlines() == [f"ada {ed25519(1)}",
                                    f'ada namespaces="promo-packet" {key(ed25519(3)).text}',
                                    f"bob {ed25519(2)}"]
    allowed, problems = parse_allowed_signers(updated)
    assert problems == [] and len(allowed.keys_of("ada")) == 2
    again, none = with_signer(updated, "ada", [key(ed25519(3))])
    assert again == updated and none == []
    appended, _ = with_signer("carl " + ed25519(4), "dee", [key(ed25519(5))])
    assert appended == f'carl {ed25519(4)}\ndee namespaces="promo-packet" {key(ed25519(5)).text}\n'


@pytest.mark.parametrize("name", ['Ada "the" Quote', "Ada, Bob", "Ad*", "!ada", "ada\nbob ssh-ed25519 x",
                                  " ada", "", "tab\there"])
def test_a_name_openssh_cannot_read_back_is_refused(name: str) -> None:
    with pytest.raises(RequestError):
        with_signer("", name, [key(ed25519(1))])


def test_a_key_of_someone_else_or_a_file_with_problems_is_refused() -> None:
    with pytest.raises(RequestError, match="is listed for 'bob'"):
        with_signer(f"bob {ed25519(1)}\n", "ada", [key(ed25519(1))])
    with pytest.raises(InputError) as caught:
        with_signer(f"bob cert-authority {ed25519(1)}\n", "ada", [key(ed25519(2))])
    assert caught.value.problems[0].line == 1


def test_reading_the_file(tmp_path: Path) -> None:
    allowed, problems = read_allowed_signers(tmp_path / "allowed_signers")
    assert allowed.signers == () and problems == []
    (tmp_path / "latin1").write_bytes(f"ada {ed25519(1)}\nzo\xeb {ed25519(2)}\n".encode("latin-1"))
    _, problems = read_allowed_signers(tmp_path / "latin1", "latin1")
    assert [str(p) for p in problems] == ["latin1:2: not valid UTF-8 text; save the file as UTF-8"]
    (tmp_path / "huge").write_bytes(b"#" * (2 << 20))
    _, problems = read_allowed_signers(tmp_path / "huge", "huge")
    assert "larger than" in str(problems[0])


def test_keys_from_what_gh_prints() -> None:
    listing = [{"key": ed25519(1), "id": 1, "title": "laptop", "created_at": "2026-01-01T00:00:00Z"},
               {"key": openssh_line(ec.generate_private_key(ec.SECP256R1())), "id": 2, "title": "work"}]
    keys, problems = keys_from_github(json.dumps(listing, indent=2), "ada.json")
    assert problems == [] and [k.type for k in keys] == ["ssh-ed25519", "ecdsa-sha2-nistp256"]
    _, problems = keys_from_github('[\n{"key": }\n]', "bad.json")
    assert str(problems[0]).startswith("bad.json:2: not JSON")
    _, problems = keys_from_github(json.dumps([{"title": "x"}, {"key": "ssh-dss AAAA"}]), "odd.json")
    assert [problem.field for problem in problems] == ["[0]", "[1].key"]
    assert keys_from_github("{}", "obj.json")[1] and keys_from_github("[]", "none.json")[1]


def test_keys_from_a_pub_file() -> None:
    keys, problems = keys_from_pub(ed25519(1) + " ada@laptop\n", "id_ed25519.pub")
    assert problems == [] and keys == [key(ed25519(1))]
    _, problems = keys_from_pub("-----BEGIN OPENSSH PRIVATE KEY-----\n", "id_ed25519")
    assert problems[0].line == 1
    assert keys_from_pub("", "empty.pub")[1][0].message == "no public key in the file"


def test_reading_keys_loads_no_cryptography_library() -> None:
    code = ("import sys; import promo_packet.reading.allowed_signers, promo_packet.model.statement; "
            "print(sorted(m for m in sys.modules if m.startswith(('cryptography', 'promo_packet.sharing'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            timeout=60)
    assert result.stdout.strip() == "[]"
