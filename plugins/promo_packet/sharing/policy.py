"""The Content-Security-Policy of a built page, computed from the page's own final HTML.

A packet is static: its scripts are the theme's bundle (from the site itself) and a few
inline scripts the theme writes into every page. The policy allows exactly those: scripts
from the site and inline scripts by the SHA-256 of their text, never ``'unsafe-inline'``,
so a script that found its way into a page some other way does not run, and neither does
an event handler attribute or a ``javascript:`` URL. It goes into the page as a ``<meta>``
element (a static host may not let you set headers), right after the character set.

A password-protected page is a lock page that writes the opened page over itself with
``document.write``: the document keeps the lock page's policy, and gains the opened page's
own when its ``<meta>`` is written. The lock page's policy therefore also allows the
scripts of the page it carries (``carried``), and both allow what the theme does after:
``connect-src blob:`` for the search index the unlock script hands over as a blob URL.

Styles stay ``'unsafe-inline'``: Material writes ``style`` attributes (its palette, the
header's height, search highlighting) and CSS cannot run script. Images may be ``data:``
URLs: the theme's icons in its stylesheet are.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_LINK = re.compile(r"<link\b([^>]*)>", re.IGNORECASE)
_ORIGIN = re.compile(r"https://[^/?#\s'\";]+", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_JAVASCRIPT_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript",
    "application/x-javascript", "text/ecmascript", "text/jscript", "text/livescript",
})
"""Types a browser runs; any other (``application/json``) is a data block, never executed."""

DIRECTIVES = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'", "blob:"),
    "worker-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}
FONTS = {"https://fonts.googleapis.com": "https://fonts.gstatic.com"}
"""Stylesheets that load fonts from elsewhere: Material's Google Fonts, when its ``font`` is on."""


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source (``'sha256-...'``) of each inline script ``html`` would run, in order."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        attributes = _attributes(match[1])
        if "src" in attributes or attributes.get("type", "").strip().lower() not in _JAVASCRIPT_TYPES:
            continue
        # Browsers hash the text as parsed, where every line break has become a line feed.
        text = match[2].replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def content_security_policy(html: str, *, carried: Iterable[str] = (),
                            script_origins: Iterable[str] = ()) -> str:
    """The policy for ``html``: its own inline scripts and those of ``carried`` documents, scripts
    from ``script_origins`` (the site's configured ``extra_javascript``) and the stylesheets
    the page links to elsewhere (CSS runs no script)."""
    documents = [html, *carried]
    sources = {name: list(values) for name, values in DIRECTIVES.items()}
    sources["script-src"] += [*script_origins]
    for document in documents:
        sources["script-src"] += inline_script_hashes(document)
        for origin in stylesheet_origins(document):
            sources["style-src"].append(origin)
            if origin in FONTS:
                sources["font-src"].append(FONTS[origin])
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}" for name, values in sources.items())


def stylesheet_origins(html: str) -> list[str]:
    """The origins (``https://host``) of the stylesheets ``html`` links to on other sites."""
    origins = []
    for match in _LINK.finditer(html):
        attributes = _attributes(match[1])
        if "stylesheet" in attributes.get("rel", "").lower().split():
            found = origin(attributes.get("href", ""))
            if found is not None:
                origins.append(found)
    return origins


def origin(url: str) -> str | None:
    """``https://host`` of an https URL, as a policy source; None for any other URL."""
    found = _ORIGIN.match(url.strip())
    return found[0].lower() if found is not None else None


def _attributes(text: str) -> dict[str, str]:
    return {name.lower(): next((v for v in values if v), "") for name, *values in _ATTRIBUTE.findall(text)}


def with_policy(html: str, *, carried: Iterable[str] = (), script_origins: Iterable[str] = ()) -> str:
    """``html`` with its policy as a ``<meta>``, after the character set (else first in the head).

    A page without a ``<head>`` is returned as it is.
    """
    head = _HEAD.search(html)
    if head is None:
        return html
    charset = _CHARSET.search(html, head.end())
    at = charset.end() if charset is not None and charset.start() - head.end() < 200 else head.end()
    policy = content_security_policy(html, carried=carried, script_origins=script_origins)
    return f'{html[:at]}\n<meta http-equiv="Content-Security-Policy" content="{policy}">{html[at:]}'
