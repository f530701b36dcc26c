"""Password protection: every page, the search index and the PDF, encrypted at build time.

Each HTML page is replaced by a small lock page that carries the original
document sealed with AES-256-GCM under a key derived from the password with
PBKDF2-HMAC-SHA256. The browser derives the same key with WebCrypto, opens
the document and writes it in place, so the theme's own scripts run as usual;
the key (never the password) is kept in sessionStorage for the rest of the
visit. The search index is sealed with the same key and opened on each page,
before the theme asks for it. Nothing of a protected page is left in
plaintext: not its title, navigation, table of contents or search entries.
Entry URLs are an HMAC of the file name under a key derived from the same
password (the packet model's ``url_key``), so file names do not leak and a
guessed one cannot be confirmed without the password.

A password build and ``promo seal`` (for a site built by an engine that runs no
MkDocs plugin) both seal through sealer.py; the lock page names the search
index the theme asks for, wherever that engine writes it. Its markup, style and
script are template files (``templates/lock/``).

The salt is derived from the site's address rather than drawn at random, so
the key, and with it the entry URLs, stay the same from one build to the next:
links keep working and an unlocked reader stays unlocked. It still differs
from site to site, which is what a salt is for.

Why not mkdocs-encryptcontent-plugin (3.1): it encrypts the page body only,
leaving each page's <title>, table of contents and navigation in plaintext;
it drops protected pages from search unless an experimental mode is on; and
nothing covers the sitemap or file names. Whole-document sealing is simpler
and leaves nothing to grep for.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import re
from functools import cache
from importlib import resources
from typing import Literal
from urllib.parse import urlsplit

from markupsafe import Markup

from ..errors import RenderError
from ..render.pages import environment

ITERATIONS = 600_000
"""PBKDF2 rounds: the OWASP figure for SHA-256; about half a second in a browser."""
LockedKind = Literal["packet", "binder"]
"""What a lock page says it holds: all it says."""
SEARCH_INDEX = "search/search_index.json"
"""Where MkDocs' and Material's search plugin writes the index (Zensical writes ``search.json``)."""
SEALED_SUFFIX = ".sealed"
"""Added to the name of a file sealed whole (the PDF): its bytes are iv || ciphertext || tag."""
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
"""Removed from a sealed site: a sitemap invites crawlers and lists every page."""
PUBLIC_FILES = ("CNAME", "robots.txt")
"""Files of the docs folder a password build still publishes: they hold a domain name and crawl rules."""


def site_root(site_url: str | None) -> str:
    """The site's path (``/`` or ``/packet/``): where links from a page served at any depth start."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def site_salt(site: str) -> bytes:
    """The salt for a site, from its address (``site_url``, or its name without one)."""
    return hashlib.sha256(b"promo-packet salt\n" + site.encode("utf-8")).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Protector:
    """Seals documents with one key derived from ``password`` and ``salt`` (random if not given;
    the plugin gives :func:`site_salt`)."""

    def __init__(self, password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> None:
        if not password:
            raise RenderError("an empty password protects nothing; set PROMO_PASSWORD or remove 'password'")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.hashes import SHA256
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

        self.salt = salt if salt is not None else os.urandom(16)
        self.iterations = iterations
        key = PBKDF2HMAC(SHA256(), 32, self.salt, iterations).derive(password.encode("utf-8"))
        self._aead = AESGCM(key)
        # The browser uses the key as it is, for AES-GCM; entry URLs get an output of their own,
        # from which the key cannot be recovered.
        self.url_key = hmac.new(key, b"promo-packet entry urls", "sha256").digest()
        """The key entry URLs are derived with (see ``PacketSettings.url_key``)."""

    def seal_bytes(self, data: bytes) -> bytes:
        """iv || ciphertext || tag, a fresh 96-bit IV each time: the form of a sealed file."""
        iv = os.urandom(12)
        return iv + self._aead.encrypt(iv, data, None)

    def seal(self, data: bytes) -> str:
        """:meth:`seal_bytes` in base64, to carry inside a page or JSON."""
        return _b64(self.seal_bytes(data))

    def open_bytes(self, raw: bytes) -> bytes:
        """The inverse of :meth:`seal_bytes` (for tests and tools)."""
        plain: bytes = self._aead.decrypt(raw[:12], raw[12:], None)
        return plain

    def open(self, sealed: str) -> bytes:
        """The inverse of :meth:`seal` (for tests and tools)."""
        return self.open_bytes(base64.b64decode(sealed))

    def lock_page(self, html: str, *, base: str, pdf: str | None = None,
                  kind: LockedKind = "packet", search_index: str = SEARCH_INDEX) -> str:
        """The page a visitor receives: a password form and ``html`` sealed inside it.

        ``pdf`` names the site's PDF (relative to ``base``): once unlocked, a link to it
        fetches its sealed form (``pdf`` + :data:`SEALED_SUFFIX`) and opens it in the browser.
        ``search_index`` (relative to ``base``) is where the theme fetches its search index,
        which the page opens and hands over. ``kind`` (``packet`` or ``binder``) is all the
        page says of what it holds: nothing of it may name a person or a title.
        """
        payload = {"salt": _b64(self.salt), "iterations": self.iterations, "base": base, "pdf": pdf,
                   "suffix": SEALED_SUFFIX, "index": search_index, "data": self.seal(html.encode("utf-8"))}
        # JSON in a script element is not HTML: it is escaped for the one sequence that would end it.
        sealed = Markup(json.dumps(payload).replace("</", "<\\/"))
        style, script = (Markup(read_lock_asset(name)) for name in ("lock.css", "unlock.js"))
        page: str = environment("print").get_template("lock/page.html.j2").render(
            kind=kind, sealed=sealed, style=style, script=script)
        return page

    def open_page(self, page: str) -> str | None:
        """The document a lock page carries, or None if ``page`` is not a lock page.

        Raises ``cryptography``'s ``InvalidTag`` if it was sealed under another key.
        """
        payload = lock_payload(page)
        return None if payload is None else self.open(str(payload["data"])).decode("utf-8")

    def sealed_index(self, index: bytes) -> str:
        """A search index in its sealed form, the JSON the unlock script opens."""
        return json.dumps({"sealed": self.seal(index)})


_PAYLOAD = re.compile(r'<script id="pp-sealed" type="application/json">(.*?)</script>', re.DOTALL)


def lock_payload(page: str) -> dict[str, object] | None:
    """What a lock page carries (salt, iterations, base, the sealed document...), or None if
    ``page`` is not one."""
    found = _PAYLOAD.search(page)
    if found is None:
        return None
    try:
        payload = json.loads(found[1].replace("<\\/", "</"))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("data"), str) else None


@cache
def read_lock_asset(name: str) -> str:
    """The lock page's stylesheet or unlock script, written into every lock page: it must open
    alone, served at any depth, before the site's own files can be read."""
    return (resources.files("promo_packet") / "templates" / "lock" / name).read_text("utf-8")


def email_pdf_name(name: str) -> str:
    """Where the PDF encrypted for email goes: ``packet.pdf`` -> ``packet-email.pdf``."""
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return f"{stem}-email.pdf"


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """The PDF encrypted on its own (AES-256, PDF 2.0), to open in any PDF reader with the password.

    Weaker than the site's sealing: the PDF standard derives its key with a few SHA-2 rounds,
    not 600,000 PBKDF2 rounds, so a guess costs an attacker far less.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

