"""Checking that a colleague signed a statement: OpenSSH's SSHSIG signatures, verified in Python.

A colleague signs with ``ssh-keygen -Y sign -n promo-packet -f ~/.ssh/id_ed25519 FILE`` and
sends back ``FILE.sig``, an armoured blob (``-----BEGIN SSH SIGNATURE-----``) holding, in the
SSH wire format: the magic ``SSHSIG``, version 1, their public key, the namespace, a reserved
string, the hash algorithm (sha256 or sha512) and the signature itself, made over::

    "SSHSIG" || namespace || reserved (empty) || hash algorithm || hash(message)

:func:`verify` checks all of it without running ``ssh-keygen``: the build machine need not have
it. Whatever it is given, it returns a :class:`Verdict` and never raises; every way a signature
can fail has its own :class:`Reason`.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ..reading.allowed_signers import NAMESPACE, AllowedSigners
from ..reading.ssh_keys import ED25519, RSA, KeyReason, KeyRefused, PublicKey, Wire, parse_key_blob

BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
MAGIC = b"SSHSIG"
VERSION = 1
MAX_ARMOURED = 64 * 1024
"""Far more than the largest signature (a 16,384-bit RSA one is under 5 KB)."""
HASHES = ("sha256", "sha512")
_RSA_HASHES: dict[str, hashes.HashAlgorithm] = {"rsa-sha2-256": hashes.SHA256(),
                                                "rsa-sha2-512": hashes.SHA512()}
_CURVES: dict[str, tuple[ec.EllipticCurve, hashes.HashAlgorithm]] = {
    "nistp256": (ec.SECP256R1(), hashes.SHA256()),
    "nistp384": (ec.SECP384R1(), hashes.SHA384()),
    "nistp521": (ec.SECP521R1(), hashes.SHA512()),
}
_BASE64_ALPHABET = re.compile(r"[A-Za-z0-9+/]*={0,2}")
SIGN_HINT = f"sign again: ssh-keygen -Y sign -n {NAMESPACE} -f ~/.ssh/id_ed25519 FILE"


class Reason(str, enum.Enum):
    """Why a signature was not accepted."""

    NOT_ARMOURED = "not an armoured SSH signature"
    NOT_BASE64 = "not base64"
    TRUNCATED = "truncated"
    MALFORMED = "malformed"
    UNKNOWN_KEY_TYPE = "unknown key type"
    WEAK_RSA = "RSA key too short"
    UNSUPPORTED_HASH = "unsupported hash"
    WRONG_NAMESPACE = "wrong namespace"
    NOT_ALLOWED = "key not allowed"
    MISMATCH = "signature does not match"


_KEY_REASONS = {KeyReason.MALFORMED: Reason.MALFORMED, KeyReason.TRUNCATED: Reason.TRUNCATED,
                KeyReason.UNKNOWN_TYPE: Reason.UNKNOWN_KEY_TYPE,
                KeyReason.WEAK_RSA: Reason.WEAK_RSA}


@dataclass(frozen=True)
class Verdict:
    """What checking one signature found: verified, with the key's fingerprint, or why not."""

    verified: bool
    message: str
    reason: Reason | None = None
    fingerprint: str | None = None
    """The signing key's ``SHA256:...`` fingerprint, as ``ssh-keygen -l`` prints it, when it was read."""


class _Refused(Exception):
    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SshSignature:
    """An SSHSIG blob's fields, read but not checked against anything."""

    key: PublicKey
    namespace: str
    hash_algorithm: str
    signature_type: str
    signature: bytes


def verify(armoured: str, message: bytes, signer: str, allowed: AllowedSigners,
           namespace: str = NAMESPACE) -> Verdict:
    """Whether ``armoured`` is ``signer``'s signature of ``message`` with a key ``allowed`` lists
    for them in ``namespace``. Never raises on bad input: the verdict says what is wrong."""
    fingerprint = None
    try:
        signature = read_signature(armoured)
        fingerprint = signature.key.fingerprint
        if signature.namespace != namespace:
            raise _Refused(Reason.WRONG_NAMESPACE, f"signed in the namespace {signature.namespace!r}, "
                           f"not {namespace!r}; {SIGN_HINT}")
        if signature.key.blob not in {key.blob for key in allowed.keys_of(signer, namespace)}:
            raise _Refused(Reason.NOT_ALLOWED, f"signed with the {signature.key.type} key {fingerprint}, "
                           f"which {allowed.path} does not list for {signer!r}; add their key with "
                           f"promo signers add {signer!r} --key FILE.pub")
        _check(signature, signed_data(message, namespace, signature.hash_algorithm))
    except _Refused as exc:
        return Verdict(False, str(exc), exc.reason, fingerprint)
    return Verdict(True, f"signed by {signer} with the {signature.key.type} key {fingerprint}",
                   fingerprint=fingerprint)


def read_signature(armoured: str) -> SshSignature:
    """The fields of an armoured SSHSIG signature; raises :class:`_Refused` if it is not one."""
    blob = _unarmour(armoured)
    wire = Wire(blob, "the signature")
    try:
        if wire.take(len(MAGIC)) != MAGIC:
            raise _Refused(Reason.MALFORMED, "not an SSH signature (it does not start with SSHSIG)")
        version = wire.uint32()
        if version != VERSION:
            raise _Refused(Reason.MALFORMED, f"SSH signature version {version}; only {VERSION} exists")
        key_blob = wire.string()
        namespace = wire.string().decode("utf-8", "replace")
        wire.string()  # reserved: OpenSSH ignores it, and it is not signed
        hash_algorithm = wire.name()
        signature_blob = wire.string()
        wire.end()
        key = parse_key_blob(key_blob, "the signature's key")
        inner = Wire(signature_blob, "the signature")
        signature_type = inner.name()
        signature = inner.string()
        inner.end()
    except KeyRefused as exc:
        raise _Refused(_KEY_REASONS[exc.reason], str(exc)) from exc
    if hash_algorithm not in HASHES:
        raise _Refused(Reason.UNSUPPORTED_HASH, f"hashed with {hash_algorithm!r}; OpenSSH signs with "
                       f"{' or '.join(HASHES)}")
    return SshSignature(key, namespace, hash_algorithm, signature_type, signature)


def _unarmour(armoured: str) -> bytes:
    if len(armoured) > MAX_ARMOURED:
        raise _Refused(Reason.MALFORMED, f"longer than {MAX_ARMOURED} characters: not an SSH signature")
    lines = [line.strip() for line in armoured.strip().splitlines()]
    if len(lines) < 2 or lines[0] != BEGIN or lines[-1] != END:
        raise _Refused(Reason.NOT_ARMOURED, f"not an SSH signature: paste the whole .sig file, from "
                       f"{BEGIN} to {END}")
    body = "".join(lines[1:-1])
    if not _BASE64_ALPHABET.fullmatch(body):
        raise _Refused(Reason.NOT_BASE64, "the signature is not base64: it holds other characters; "
                       "paste the .sig file as it is")
    if len(body) % 4:
        raise _Refused(Reason.TRUNCATED, "the signature is truncated: paste the whole .sig file")
    try:
        return base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise _Refused(Reason.NOT_BASE64, f"the signature is not base64: {exc}") from exc


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def signed_data(message: bytes, namespace: str, hash_algorithm: str) -> bytes:
    """What an SSHSIG signature is made over, for ``message`` hashed with ``hash_algorithm``."""
    digest = hashlib.new(hash_algorithm, message).digest()
    return (MAGIC + _string(namespace.encode("utf-8")) + _string(b"")
            + _string(hash_algorithm.encode("ascii")) + _string(digest))


def _check(signature: SshSignature, data: bytes) -> None:
    key = signature.key
    try:
        if key.type == ED25519 and signature.signature_type == ED25519:
            Ed25519PublicKey.from_public_bytes(key.material).verify(signature.signature, data)
        elif key.curve is not None and signature.signature_type == key.type:
            curve, digest = _CURVES[key.curve]
            point = ec.EllipticCurvePublicKey.from_encoded_point(curve, key.material)
            pair = Wire(signature.signature, "the ECDSA signature")
            der = encode_dss_signature(pair.mpint(), pair.mpint())
            pair.end()
            point.verify(der, data, ec.ECDSA(digest))
        elif key.type == RSA and signature.signature_type in _RSA_HASHES:
            public = rsa.RSAPublicNumbers(key.exponent, key.modulus).public_key()
            digest = _RSA_HASHES[signature.signature_type]
            public.verify(signature.signature, data, padding.PKCS1v15(), digest)
        else:
            raise _Refused(Reason.MALFORMED, f"a {signature.signature_type!r} signature by a {key.type} key, "
                           "which OpenSSH does not make (SHA-1 RSA signatures are not trusted)")
    except InvalidSignature as exc:
        raise _Refused(Reason.MISMATCH, "the signature does not match the statement: the entry changed "
                       "since it was signed, or another text was signed; ask for a new signature "
                       "(promo ask)") from exc
    except (ValueError, KeyRefused) as exc:
        raise _Refused(Reason.MALFORMED, f"the signature cannot be read: {exc}") from exc


def armour(blob: bytes) -> str:
    """``blob`` as ``ssh-keygen -Y sign`` writes a signature: base64 in lines of 70, between markers."""
    text = base64.b64encode(blob).decode("ascii")
    return "\n".join([BEGIN, *(text[at:at + 70] for at in range(0, len(text), 70)), END]) + "\n"


def ed25519_public_key(private: Ed25519PrivateKey) -> PublicKey:
    """The public half of ``private``, as an OpenSSH key."""
    raw = private.public_key().public_bytes_raw()
    return parse_key_blob(_string(ED25519.encode("ascii")) + _string(raw))


def sign_ed25519(private: Ed25519PrivateKey, message: bytes, namespace: str = NAMESPACE,
                 hash_algorithm: str = "sha512") -> str:
    """Sign ``message`` as ``ssh-keygen -Y sign -n NAMESPACE`` does with an ed25519 key: the armoured text."""
    signature = private.sign(signed_data(message, namespace, hash_algorithm))
    return sshsig(ed25519_public_key(private).blob, ED25519, signature, namespace, hash_algorithm)


def sshsig(key_blob: bytes, signature_type: str, signature: bytes, namespace: str = NAMESPACE,
           hash_algorithm: str = "sha512") -> str:
    """The armoured SSHSIG signature holding these fields, as ``ssh-keygen -Y sign`` writes it."""
    inner = _string(signature_type.encode("ascii")) + _string(signature)
    blob = (MAGIC + VERSION.to_bytes(4, "big") + _string(key_blob) + _string(namespace.encode("utf-8"))
            + _string(b"") + _string(hash_algorithm.encode("ascii")) + _string(inner))
    return armour(blob)
