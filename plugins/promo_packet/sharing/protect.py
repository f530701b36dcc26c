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

A site built by an engine that runs no MkDocs plugin is sealed afterwards with
the same scheme, by ``promo seal`` (seal.py); the lock page names the search
index the theme asks for, wherever that engine writes it.

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
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import RenderError
from .policy import with_policy

ITERATIONS = 600_000
"""PBKDF2 rounds: the OWASP figure for SHA-256; about half a second in a browser."""
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

    def lock_under_policy(self, html: str, *, base: str, pdf: str | None, script_origins: list[str],
                          search_index: str = SEARCH_INDEX) -> str:
        """:meth:`lock_page`, under a policy that also lets ``html``'s own scripts run once opened."""
        locked = self.lock_page(html, base=base, pdf=pdf, search_index=search_index)
        return with_policy(locked, carried=[html], script_origins=script_origins)

    def lock_page(self, html: str, *, base: str, pdf: str | None = None,
                  title: str = "Protected packet", search_index: str = SEARCH_INDEX) -> str:
        """The page a visitor receives: a password form and ``html`` sealed inside it.

        ``pdf`` names the site's PDF (relative to ``base``): once unlocked, a link to it
        fetches its sealed form (``pdf`` + :data:`SEALED_SUFFIX`) and opens it in the browser.
        ``search_index`` (relative to ``base``) is where the theme fetches its search index,
        which the page opens and hands over.
        """
        payload = {"salt": _b64(self.salt), "iterations": self.iterations, "base": base, "pdf": pdf,
                   "suffix": SEALED_SUFFIX, "index": search_index, "data": self.seal(html.encode("utf-8"))}
        sealed = json.dumps(payload).replace("</", "<\\/")
        return LOCK_PAGE.replace("{title}", title).replace("{sealed}", sealed).replace("{script}", UNLOCK_JS)

    def open_page(self, page: str) -> str | None:
        """The document a lock page carries, or None if ``page`` is not a lock page.

        Raises ``cryptography``'s ``InvalidTag`` if it was sealed under another key.
        """
        payload = lock_payload(page)
        return None if payload is None else self.open(str(payload["data"])).decode("utf-8")

    def sealed_index(self, index: bytes) -> str:
        """A search index in its sealed form, the JSON the unlock script opens."""
        return json.dumps({"sealed": self.seal(index)})

    def seal_search_index(self, site_dir: Path) -> bool:
        """Replace the search index with its sealed form; False if there is none."""
        index = site_dir / SEARCH_INDEX
        if not index.is_file():
            return False
        index.write_text(self.sealed_index(index.read_bytes()), encoding="utf-8")
        return True


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


LOCK_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         background: #f5f6fa; color: #1a1a1a; display: grid; min-height: 100vh; place-items: center; }
  main { background: #fff; padding: 2rem 2.25rem; border-radius: 8px; width: min(22rem, 90vw);
         box-shadow: 0 2px 12px rgba(0, 0, 0, .08); border-top: 4px solid #3f51b5; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  p { margin: 0 0 1rem; color: #555; font-size: .9rem; }
  label { display: block; font-weight: 600; margin-bottom: .35rem; }
  input { box-sizing: border-box; width: 100%; padding: .55rem .7rem; font-size: 1rem;
          border: 1px solid #bbb; border-radius: 4px; }
  button { margin-top: .9rem; width: 100%; padding: .6rem; font-size: 1rem; font-weight: 600;
           color: #fff; background: #3f51b5; border: 0; border-radius: 4px; cursor: pointer; }
  button:disabled { opacity: .6; cursor: progress; }
  [role=alert] { color: #a4161a; margin: .8rem 0 0; }
  @media (prefers-color-scheme: dark) {
    body { background: #16171d; color: #e8e8ec; }
    main { background: #23242c; box-shadow: none; border-top-color: #8c9eff; }
    p { color: #b9bac4; }
    input { background: #16171d; color: #e8e8ec; border-color: #6b6d7a; }
    button { background: #5c6bc0; }
    [role=alert] { color: #ff9b9b; }
  }
</style>
</head>
<body>
<main>
  <h1>{title}</h1>
  <p>Enter the password you were given to open it.</p>
  <form id="pp-unlock">
    <label for="pp-password">Password</label>
    <input id="pp-password" name="password" type="password" autocomplete="current-password"
           required autofocus>
    <button type="submit">Unlock</button>
    <p id="pp-error" role="alert" hidden>That password does not open this packet.</p>
  </form>
  <noscript><p>Opening this packet needs JavaScript.</p></noscript>
</main>
<script id="pp-sealed" type="application/json">{sealed}</script>
<script>{script}</script>
</body>
</html>
"""

UNLOCK_JS = """
(function () {
  "use strict";
  var sealed = JSON.parse(document.getElementById("pp-sealed").textContent);
  var slot = "promo-packet-key:" + sealed.salt;
  function bytes(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }
  function derive(password) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          {name: "PBKDF2", salt: bytes(sealed.salt), iterations: sealed.iterations, hash: "SHA-256"},
          material, {name: "AES-GCM", length: 256}, true, ["decrypt"]);
      });
  }
  function open(key, text) {
    var raw = bytes(text);
    return crypto.subtle.decrypt({name: "AES-GCM", iv: raw.slice(0, 12)}, key, raw.slice(12))
      .then(function (plain) { return new TextDecoder().decode(plain); });
  }
  // The theme's own scripts ask for the index at this address, resolved as a URL.
  var indexUrl = new URL(sealed.base + (sealed.index || "search/search_index.json"), location.href);
  function searchIndex(key) {
    return fetch(indexUrl.href)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (index) { return index && index.sealed ? open(key, index.sealed) : null; })
      .catch(function () { return null; });
  }
  function unlock(key) {
    return Promise.all([open(key, sealed.data), searchIndex(key)]).then(function (opened) {
      var html = opened[0], index = opened[1];
      return crypto.subtle.exportKey("raw", key).then(function (raw) {
        sessionStorage.setItem(slot, btoa(String.fromCharCode.apply(null, new Uint8Array(raw))));
        if (index !== null) {
          // The theme asks for the index with XMLHttpRequest: hand it the opened copy.
          var url = URL.createObjectURL(new Blob([index], {type: "application/json"}));
          var send = XMLHttpRequest.prototype.open;
          XMLHttpRequest.prototype.open = function (method, target) {
            var args = Array.prototype.slice.call(arguments);
            if (new URL(String(target), location.href).pathname === indexUrl.pathname) { args[1] = url; }
            return send.apply(this, args);
          };
        }
        document.open();
        document.write(html);
        document.close();
        // document.open() dropped every listener: this one is added to the page just written,
        // capturing, so it sees a click on the PDF link before the theme's own handlers do.
        if (sealed.pdf) {
          document.addEventListener("click", function (event) { openPdf(event, key); }, true);
        }
      });
    });
  }
  function openPdf(event, key) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    var target = new URL(sealed.base + sealed.pdf, location.href);
    if (!link || new URL(link.href, location.href).pathname !== target.pathname) { return; }
    event.preventDefault();
    fetch(target.href + sealed.suffix)
      .then(function (response) {
        if (!response.ok) { throw new Error("no sealed PDF"); }
        return response.arrayBuffer();
      })
      .then(function (buffer) {
        var raw = new Uint8Array(buffer);
        return crypto.subtle.decrypt({name: "AES-GCM", iv: raw.slice(0, 12)}, key, raw.slice(12));
      })
      .then(function (plain) {
        var save = document.createElement("a");
        save.href = URL.createObjectURL(new Blob([plain], {type: "application/pdf"}));
        save.download = sealed.pdf.split("/").pop();
        document.body.appendChild(save);
        save.click();
        save.remove();
      })
      .catch(function () { alert("The PDF could not be opened."); });
  }
  var form = document.getElementById("pp-unlock");
  var input = document.getElementById("pp-password");
  var error = document.getElementById("pp-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelector("button").disabled = true;
    error.hidden = true;
    derive(input.value).then(unlock).catch(function () {
      error.hidden = false;
      form.querySelector("button").disabled = false;
      input.select();
    });
  });
  var saved = sessionStorage.getItem(slot);
  if (saved) {
    crypto.subtle.importKey("raw", bytes(saved), "AES-GCM", true, ["decrypt"]).then(unlock)
      .catch(function () { sessionStorage.removeItem(slot); });
  }
})();
"""
