"""OpenSSH public keys as bytes: the wire format they are written in, read without trusting it.

A key is checked here for shape only (its type, its fields, the RSA modulus's size); whether a
signature made with it holds is for :mod:`promo_packet.sharing.signatures`, which alone loads a
cryptography library.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import re
from dataclasses import dataclass

from ..errors import PromoPacketError

MIN_RSA_BITS = 2048
MAX_RSA_BITS = 16384
"""OpenSSH refuses larger moduli too; a huge one would only cost time to check."""
ED25519 = "ssh-ed25519"
RSA = "ssh-rsa"
ECDSA_CURVES = {"ecdsa-sha2-nistp256": "nistp256", "ecdsa-sha2-nistp384": "nistp384",
                "ecdsa-sha2-nistp521": "nistp521"}
POINT_SIZES = {"nistp256": 65, "nistp384": 97, "nistp521": 133}
"""An uncompressed point: 0x04, then x and y, each as long as the curve's field."""
KEY_TYPES = (ED25519, *ECDSA_CURVES, RSA)
KEY_TYPES_HINT = f"use an {', '.join(KEY_TYPES[:-1])} or {RSA} key (ssh-keygen -t ed25519 makes one)"
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


class KeyReason(str, enum.Enum):
    """Why a key cannot be used, each told apart so a verdict can name it."""

    MALFORMED = "malformed"
    TRUNCATED = "truncated"
    UNKNOWN_TYPE = "unknown key type"
    WEAK_RSA = "RSA key too short"


class KeyRefused(PromoPacketError, ValueError):
    """A key, or a blob that should hold one, that cannot be used; the message says why."""

    def __init__(self, reason: KeyReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Wire:
    """A reader of the SSH wire format (RFC 4251 section 5) that refuses to read past the end."""

    def __init__(self, data: bytes, what: str = "the key") -> None:
        self.data = data
        self.at = 0
        self.what = what

    def take(self, size: int) -> bytes:
        if size > len(self.data) - self.at:
            raise KeyRefused(KeyReason.TRUNCATED, f"{self.what} is truncated")
        chunk = self.data[self.at:self.at + size]
        self.at += size
        return chunk

    def uint32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def string(self) -> bytes:
        return self.take(self.uint32())

    def name(self) -> str:
        """A string that names something (a key type, a hash): printable ASCII."""
        raw = self.string()
        if not raw or not all(0x21 <= byte < 0x7F for byte in raw):
            raise KeyRefused(KeyReason.MALFORMED, f"{self.what} holds a name that is not printable text")
        return raw.decode("ascii")

    def mpint(self) -> int:
        raw = self.string()
        if raw and raw[0] & 0x80:
            raise KeyRefused(KeyReason.MALFORMED, f"{self.what} holds a negative number")
        return int.from_bytes(raw, "big")

    def end(self) -> None:
        if self.at != len(self.data):
            extra = len(self.data) - self.at
            raise KeyRefused(KeyReason.MALFORMED, f"{self.what} has {extra} bytes too many")


@dataclass(frozen=True)
class PublicKey:
    """One public key: its type, its wire-format bytes and the fields a verifier needs."""

    type: str
    blob: bytes
    material: bytes = b""
    """The raw ed25519 key, or the ECDSA point."""
    exponent: int = 0
    modulus: int = 0

    @property
    def fingerprint(self) -> str:
        """The key's SHA256 fingerprint as ``ssh-keygen -l`` prints it."""
        digest = base64.b64encode(hashlib.sha256(self.blob).digest()).decode("ascii")
        return "SHA256:" + digest.rstrip("=")

    @property
    def curve(self) -> str | None:
        return ECDSA_CURVES.get(self.type)

    @property
    def text(self) -> str:
        """``type base64``, as in a ``.pub`` file or an ``allowed_signers`` line."""
        return f"{self.type} {base64.b64encode(self.blob).decode('ascii')}"


def parse_key_blob(blob: bytes, what: str = "the key") -> PublicKey:
    """The key the wire-format ``blob`` holds; raises :class:`KeyRefused` if it is not one we use."""
    wire = Wire(blob, what)
    kind = wire.name()
    if kind == ED25519:
        material = wire.string()
        if len(material) != 32:
            raise KeyRefused(KeyReason.MALFORMED, f"{what}: an ed25519 key is 32 bytes, not {len(material)}")
        wire.end()
        return PublicKey(kind, blob, material=material)
    if kind in ECDSA_CURVES:
        curve = wire.name()
        point = wire.string()
        if curve != ECDSA_CURVES[kind] or len(point) != POINT_SIZES[curve] or point[:1] != b"\x04":
            raise KeyRefused(KeyReason.MALFORMED, f"{what}: not a {kind} key")
        wire.end()
        return PublicKey(kind, blob, material=point)
    if kind == RSA:
        exponent = wire.mpint()
        modulus = wire.mpint()
        wire.end()
        bits = modulus.bit_length()
        if bits < MIN_RSA_BITS:
            raise KeyRefused(KeyReason.WEAK_RSA, f"{what} is an RSA key of {bits} bits, under the "
                             f"{MIN_RSA_BITS} bits that can be trusted")
        if bits > MAX_RSA_BITS or exponent < 3 or exponent % 2 == 0:
            raise KeyRefused(KeyReason.MALFORMED, f"{what}: not a usable RSA key")
        return PublicKey(kind, blob, exponent=exponent, modulus=modulus)
    raise KeyRefused(KeyReason.UNKNOWN_TYPE, f"{what} is of type {kind!r}, which promo-packet does not "
                     f"verify; {KEY_TYPES_HINT}")


def decode_base64(text: str, what: str) -> bytes:
    """Strict base64 (no stray characters, the right padding); raises :class:`KeyRefused`."""
    if not _BASE64.fullmatch(text) or len(text) % 4:
        raise KeyRefused(KeyReason.MALFORMED, f"{what} is not valid base64")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise KeyRefused(KeyReason.MALFORMED, f"{what} is not valid base64") from exc


def parse_key_text(kind: str, encoded: str, what: str = "the key") -> PublicKey:
    """The key written as ``kind encoded`` (``ssh-ed25519 AAAA...``); its type must be the blob's."""
    if kind not in KEY_TYPES:
        raise KeyRefused(KeyReason.UNKNOWN_TYPE, f"unknown key type {kind!r}; {KEY_TYPES_HINT}")
    key = parse_key_blob(decode_base64(encoded, what), what)
    if key.type != kind:
        raise KeyRefused(KeyReason.MALFORMED, f"{what} says {kind} but holds a {key.type} key")
    return key


def parse_public_key_line(line: str, what: str = "the key") -> PublicKey:
    """The key of a ``.pub`` file's line: ``type base64 [comment]``."""
    words = line.split(None, 2)
    if len(words) < 2:
        raise KeyRefused(KeyReason.MALFORMED, f"{what} is not an OpenSSH public key "
                         "(expected 'ssh-ed25519 AAAA... comment')")
    return parse_key_text(words[0], words[1], what)
