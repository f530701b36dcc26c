"""SSHSIG verification in Python against signatures ``ssh-keygen -Y sign`` made with real keys."""

from __future__ import annotations

import base64
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE
from openssh import fingerprint, needs_ssh_keygen, new_key, public_key, ssh_sign, ssh_verifies
from promo_packet.model.evidence import Evidence, parse_evidence
from promo_packet.model.statement import statement
from promo_packet.reading.allowed_signers import AllowedSigners, parse_allowed_signers, with_signer
from promo_packet.reading.ssh_keys import parse_public_key_line
from promo_packet.sharing.signatures import (
    BEGIN,
    END,
    Reason,
    Verdict,
    ed25519_public_key,
    sign_ed25519,
    signed_data,
    sshsig,
    verify,
)

BATCH = (FIXTURE / "evidence" / "2026" / "2026-01-10-batch-speedup.md").read_text()
NAME = "Ada Quote"


def entry_of(text: str) -> Evidence:
    entry, problems = parse_evidence(text, "evidence/batch.md", "batch")
    assert entry is not None, problems
    return entry


def statement_of(text: str = BATCH) -> bytes:
    entry = entry_of(text)
    return statement(entry, entry.corroboration[0], "Sam Tester")


def trusting(*keys: Path, name: str = NAME) -> AllowedSigners:
    text, _ = with_signer("", name, [parse_public_key_line(public_key(key)) for key in keys])
    allowed, problems = parse_allowed_signers(text)
    assert not problems
    return allowed


def signed(tmp_path: Path, key: Path, message: bytes, namespace: str = "promo-packet", *options: str) -> str:
    file = tmp_path / "statement.txt"
    file.write_bytes(message)
    return ssh_sign(key, file, namespace, *options)


def refused(verdict: Verdict, reason: Reason) -> None:
    assert not verdict.verified
    assert verdict.reason is reason, verdict.message


def body(armoured: str) -> bytes:
    return base64.b64decode("".join(armoured.strip().splitlines()[1:-1]))


def armour_of(blob: bytes) -> str:
    text = base64.b64encode(blob).decode()
    return "\n".join([BEGIN, *(text[at:at + 70] for at in range(0, len(text), 70)), END]) + "\n"


@needs_ssh_keygen
@pytest.mark.parametrize("kind", ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa-2048"])
def test_a_signature_by_ssh_keygen_verifies_and_names_the_key(tmp_path: Path, kind: str) -> None:
    key = new_key(tmp_path, kind)
    message = statement_of()
    verdict = verify(signed(tmp_path, key, message), message, NAME, trusting(key))
    assert verdict.verified, verdict.message
    assert verdict.reason is None
    assert verdict.fingerprint == fingerprint(key)
    assert fingerprint(key) in verdict.message


@needs_ssh_keygen
@pytest.mark.parametrize("kind", ["ed25519", "ecdsa-384", "rsa-2048"])
def test_a_statement_changed_after_signing_fails(tmp_path: Path, kind: str) -> None:
    key = new_key(tmp_path, kind)
    signature = signed(tmp_path, key, statement_of())
    for before, after in [("before breakfast", "before lunch"), ("2026-01-10", "2026-01-11"),
                          ("1am", "2am"), ("Finance lead", "CFO"), ("Cut the nightly", "Cut the")]:
        changed = statement_of(BATCH.replace(before, after))
        refused(verify(signature, changed, NAME, trusting(key)), Reason.MISMATCH)


@needs_ssh_keygen
def test_the_message_hash_may_be_sha256(tmp_path: Path) -> None:
    key = new_key(tmp_path, "ecdsa-256")
    message = statement_of()
    assert verify(signed(tmp_path, key, message, "promo-packet", "hashalg=sha256"),
                  message, NAME, trusting(key)).verified


@needs_ssh_keygen
@pytest.mark.parametrize(("signature_type", "digest"), [("rsa-sha2-256", hashes.SHA256()),
                                                         ("rsa-sha2-512", hashes.SHA512())])
def test_rsa_signatures_of_either_sha2_hash_verify(tmp_path: Path, signature_type: str,
                                                   digest: hashes.HashAlgorithm) -> None:
    key = new_key(tmp_path, "rsa-2048")
    private = serialization.load_ssh_private_key(key.read_bytes(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    message = statement_of()
    raw = private.sign(signed_data(message, "promo-packet", "sha512"), padding.PKCS1v15(), digest)
    blob = parse_public_key_line(public_key(key)).blob
    assert verify(sshsig(blob, signature_type, raw), message, NAME, trusting(key)).verified
    # SHA-1 RSA signatures (type ssh-rsa) are forgeable: never accepted, even when they check out.
    sha1 = private.sign(signed_data(message, "promo-packet", "sha512"), padding.PKCS1v15(), hashes.SHA1())
    refused(verify(sshsig(blob, "ssh-rsa", sha1), message, NAME, trusting(key)), Reason.MALFORMED)


@needs_ssh_keygen
def test_an_rsa_key_under_2048_bits_is_refused(tmp_path: Path) -> None:
    key = new_key(tmp_path, "rsa-1024")
    message = statement_of()
    verdict = verify(signed(tmp_path, key, message), message, NAME, AllowedSigners())
    refused(verdict, Reason.WEAK_RSA)
    assert "1024 bits" in verdict.message


@needs_ssh_keygen
def test_another_namespace_is_refused(tmp_path: Path) -> None:
    key = new_key(tmp_path)
    message = statement_of()
    verdict = verify(signed(tmp_path, key, message, "git"), message, NAME, trusting(key))
    refused(verdict, Reason.WRONG_NAMESPACE)
    assert "'git'" in verdict.message and verdict.fingerprint == fingerprint(key)


@needs_ssh_keygen
def test_a_key_not_allowed_for_that_name_is_refused(tmp_path: Path) -> None:
    ours, theirs = new_key(tmp_path, name="ours"), new_key(tmp_path, name="theirs")
    message = statement_of()
    signature = signed(tmp_path, theirs, message)
    refused(verify(signature, message, NAME, trusting(ours)), Reason.NOT_ALLOWED)
    refused(verify(signature, message, NAME, trusting(theirs, name="Bob")), Reason.NOT_ALLOWED)
    refused(verify(signature, message, NAME, AllowedSigners()), Reason.NOT_ALLOWED)
    line = f'"{NAME}" namespaces="git" {public_key(theirs)}'
    elsewhere, problems = parse_allowed_signers(line)
    assert not problems
    refused(verify(signature, message, NAME, elsewhere), Reason.NOT_ALLOWED)
    assert verify(signature, message, NAME, trusting(ours, theirs)).verified


@needs_ssh_keygen
def test_bad_armour_and_base64_each_have_their_reason(tmp_path: Path) -> None:
    key = new_key(tmp_path)
    message = statement_of()
    signature = signed(tmp_path, key, message)
    allowed = trusting(key)
    lines = signature.strip().splitlines()
    refused(verify("looks fine to me", message, NAME, allowed), Reason.NOT_ARMOURED)
    refused(verify("\n".join(lines[:-1]), message, NAME, allowed), Reason.NOT_ARMOURED)
    refused(verify(signature.replace(lines[1], lines[1][:10] + "!" + lines[1][11:]), message, NAME, allowed),
            Reason.NOT_BASE64)
    refused(verify(signature.replace(lines[2], lines[2][:-1]), message, NAME, allowed), Reason.TRUNCATED)
    short = armour_of(body(signature)[:-20])
    refused(verify(short, message, NAME, allowed), Reason.TRUNCATED)
    # Indented, as a YAML block scalar holds it, and with CRLF line ends, it still verifies.
    assert verify("\r\n".join("  " + line for line in lines), message, NAME, allowed).verified


def _wire(*parts: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(part)) + part for part in parts)


def test_an_unknown_key_type_is_refused() -> None:
    message = statement_of()
    dsa = _wire(b"ssh-dss", b"\x01" * 128, b"\x01" * 20, b"\x02" * 128, b"\x03" * 128)
    verdict = verify(sshsig(dsa, "ssh-dss", b"\x00" * 40), message, NAME, AllowedSigners())
    refused(verdict, Reason.UNKNOWN_KEY_TYPE)
    assert "'ssh-dss'" in verdict.message
    fido = _wire(b"sk-ssh-ed25519@openssh.com", b"\x01" * 32, b"ssh:")
    refused(verify(sshsig(fido, "sk-ssh-ed25519@openssh.com", b"\x00" * 69), message, NAME,
                   AllowedSigners()), Reason.UNKNOWN_KEY_TYPE)


def test_the_python_signer_verifies_and_any_changed_byte_fails() -> None:
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    key = ed25519_public_key(private)
    allowed, _ = parse_allowed_signers(f"{NAME.replace(' ', '_')} {key.text}")
    message = statement_of()
    signature = sign_ed25519(private, message)
    assert verify(signature, message, "Ada_Quote", allowed).verified
    blob = body(signature)
    for at in range(len(blob)):
        for flip in (0x01, 0x80):
            mutated = blob[:at] + bytes([blob[at] ^ flip]) + blob[at + 1:]
            assert not verify(armour_of(mutated), message, "Ada_Quote", allowed).verified, at
    for size in range(len(blob)):
        assert verify(armour_of(blob[:size]), message, "Ada_Quote", allowed).reason in (
            Reason.TRUNCATED, Reason.MALFORMED), size
    assert verify(armour_of(blob + b"\x00"), message, "Ada_Quote", allowed).reason is Reason.MALFORMED


def test_garbage_never_raises() -> None:
    allowed = AllowedSigners()
    for text in ["", BEGIN, f"{BEGIN}\n{END}", f"{BEGIN}\n====\n{END}", f"{BEGIN}\nU1NIU0lH\n{END}",
                 f"{BEGIN}\n{'A' * 100_000}\n{END}", f"{BEGIN}\n\u00e9\u00e9\u00e9\u00e9\n{END}",
                 armour_of(b"SSHSIG" + struct.pack(">I", 1) + b"\xff\xff\xff\xff"),
                 armour_of(b"SSHSIG" + struct.pack(">I", 2)),
                 armour_of(b"SSHSIG" + struct.pack(">I", 1) + _wire(b"ssh-ed25519"))]:
        verdict = verify(text, b"message", NAME, allowed)
        assert not verdict.verified and verdict.reason is not None and verdict.message


@needs_ssh_keygen
def test_ssh_keygen_accepts_what_the_python_signer_writes(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    key = ed25519_public_key(private)
    allowed_signers = tmp_path / "allowed_signers"
    allowed_signers.write_text(with_signer("", "Zoë van der Berg", [key])[0])
    message = statement_of()
    signature = sign_ed25519(private, message)
    assert ssh_verifies(allowed_signers, "Zoë van der Berg", message, signature, tmp_path)
    assert not ssh_verifies(allowed_signers, "Zoë van der Berg", message + b"!", signature, tmp_path)
    assert not ssh_verifies(allowed_signers, "Zoe van der Berg", message, signature, tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400) | st.binary(max_size=400).map(armour_of))
def test_no_input_makes_verification_raise(text: str) -> None:
    verdict = verify(text, b"message", NAME, AllowedSigners())
    assert not verdict.verified and verdict.reason is not None
