"""The Content-Security-Policy of a built page: the scripts we ship, listed, and nothing else.

A packet is static: its scripts are the theme's bundle (from the site itself) and a few
inline scripts the theme writes into every page. The policy names exactly those: scripts
from the site, and inline scripts by the SHA-256 of a text the theme or this project ships
(:func:`known_script_hashes`), never ``'unsafe-inline'`` and never a hash taken from the page.
A script that found its way into a page some other way (a site name, a ladder, an entry, a
docs page) does not run, whatever it is, and neither does an event handler attribute or a
``javascript:`` URL. An inline script a person wrote into their own docs page runs only when
the ``allowed_scripts`` option names its hash. The policy goes into the page as a ``<meta>``
element (a static host may not let you set headers), right after the character set.

The theme's inline scripts are read from its installed templates (Material's and Zensical's
``<script>`` elements) when a site is built, so they follow the theme's version. Their one
variable part is where the site's root is from the page (``base_url``, or ``extra.scope``):
each page's policy lists them for the roots a page can have (:func:`page_roots`), never for
a value read from the page.

A password-protected page is a lock page that writes the opened page over itself with
``document.write``: the document keeps the lock page's policy, and gains the opened page's
own when its ``<meta>`` is written. Both list the same scripts (the theme's, the unlock
script, the person's), and both allow what the theme does after: ``connect-src blob:`` for
the search index the unlock script hands over as a blob URL.

Styles stay ``'unsafe-inline'``: Material writes ``style`` attributes (its palette, the
header's height, search highlighting) and CSS cannot run script. Images may be ``data:``
URLs: the theme's icons in its stylesheet are.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_LINK = re.compile(r"<link\b([^>]*)>", re.IGNORECASE)
_ORIGIN = re.compile(r"https://[^/?#\s'\";]+", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\s*=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_ROOT_EXPRESSION = re.compile(
    r"\s*(?:config\.extra\.scope\s*\|\s*d\(\s*base_url\s*(?:,\s*true\s*)?\)|base_url)\s*")
"""The one variable part of a theme script we list: where the site's root is from the page."""
_JAVASCRIPT_TYPES = frozenset({
    "", "module", "text/javascript", "application/javascript", "application/ecmascript",
    "application/x-javascript", "text/ecmascript", "text/jscript", "text/livescript",
})
"""Types a browser runs; any other (``application/json``) is a data block, never executed."""
THEMES = ("material", "zensical")
"""The themes a packet is built with (Zensical builds what ``promo gen`` writes with its own copy)."""

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


def script_hash(text: str) -> str:
    """The CSP source (``'sha256-...'``) of an inline script whose text is ``text``."""
    # Browsers hash the text as parsed, where every line break has become a line feed.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def script_source(written: str) -> str:
    """An ``allowed_scripts`` value (``sha256-...``, quoted or not) as a policy source."""
    return "'" + written.strip().strip("'") + "'"


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source of each inline script ``html`` would run, in order: what a policy must
    list for them all to run (tests and tools; a page's policy never takes its hashes from it)."""
    return list(dict.fromkeys(script_hash(text) for text in _inline_scripts(html)))


def _inline_scripts(html: str) -> Iterable[str]:
    for match in _SCRIPT.finditer(html):
        attributes = _attributes(match[1])
        if "src" not in attributes and attributes.get("type", "").strip().lower() in _JAVASCRIPT_TYPES:
            yield match[2]


@cache
def theme_scripts() -> tuple[str, ...]:
    """The inline scripts of the installed themes' templates, as written there: a script whose
    only template expression is the site's root (:data:`_ROOT_EXPRESSION`, kept in place);
    one with any other expression or a template tag is not listed, so it does not run."""
    found: list[str] = []
    for theme in THEMES:
        spec = importlib.util.find_spec(theme)
        if spec is None or spec.origin is None:
            continue
        for template in sorted((Path(spec.origin).parent / "templates").rglob("*.html")):
            for text in _inline_scripts(template.read_text("utf-8")):
                fixed = "{%" not in text and "{#" not in text
                if fixed and all(_ROOT_EXPRESSION.fullmatch(hole) for hole in _EXPRESSION.findall(text)):
                    found.append(text)
    return tuple(dict.fromkeys(found))


@cache
def our_scripts() -> tuple[str, ...]:
    """The inline scripts this project writes into pages: the lock page's unlock script, as the
    lock page template writes it (``<script>`` and a line break before it)."""
    unlock = (resources.files("promo_packet") / "templates" / "lock" / "unlock.js").read_text("utf-8")
    return ("\n" + unlock,)


def known_script_hashes(roots: Iterable[str]) -> list[str]:
    """The hashes of every inline script we ship, for a page whose site root is at one of ``roots``
    (``base_url`` as the theme writes it: ``.``, ``../..``, ``/``)."""
    return list(_known_script_hashes(tuple(roots)))


@lru_cache(maxsize=256)  # a site's pages sit at a few depths: every page of one depth has the same
def _known_script_hashes(roots: tuple[str, ...]) -> tuple[str, ...]:
    hashes = [script_hash(text) for text in our_scripts()]
    for text in theme_scripts():
        if _EXPRESSION.search(text) is None:
            hashes.append(script_hash(text))
            continue
        hashes += [script_hash(_filled(text, root)) for root in roots]
    return tuple(dict.fromkeys(hashes))


def _filled(template: str, root: str) -> str:
    return _EXPRESSION.sub(lambda _: root, template)


def page_roots(base: str, scope: str | None = None) -> list[str]:
    """Where the site's root is from a page, as the theme writes it (``base_url``), from the way
    there (``sealer.page_base``: ``./``, ``../../``, or the site's path for a static page)."""
    root = base if base.startswith("/") else base.rstrip("/") or "."
    return [root] if scope is None else [scope, root]


def site_roots(depth: int, site_path: str = "/", scope: str | None = None) -> list[str]:
    """Every ``base_url`` of a site whose pages are at most ``depth`` folders deep."""
    roots = [".", *("/".join([".."] * n) for n in range(1, depth + 1)), site_path]
    return roots if scope is None else [scope, *roots]


def content_security_policy(html: str, *, carried: Iterable[str] = (), script_origins: Iterable[str] = (),
                            roots: Iterable[str] = (".",), allowed: Iterable[str] = (),
                            stylesheets: Iterable[str] = ()) -> str:
    """The policy for ``html``: the scripts we ship (for a page whose site root is at ``roots``),
    the inline scripts the person allowed (``allowed``, ``sha256-...``), scripts from
    ``script_origins`` (the site's configured ``extra_javascript``) and stylesheets from
    ``stylesheets`` and wherever it and the ``carried`` documents link to (CSS runs no script)."""
    sources = {name: list(values) for name, values in DIRECTIVES.items()}
    sources["script-src"] += [*script_origins, *known_script_hashes(roots), *map(script_source, allowed)]
    linked = [found for document in (html, *carried) for found in stylesheet_origins(document)]
    for found in (*stylesheets, *linked):
        sources["style-src"].append(found)
        if found in FONTS:
            sources["font-src"].append(FONTS[found])
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}" for name, values in sources.items())


def stylesheet_origins(html: str) -> list[str]:
    """The origins (``https://host``) of the stylesheets ``html`` links to on other sites."""
    origins = []
    for match in _LINK.finditer(html):
        if "//" not in match[1]:  # no https URL in it (the theme's own links): nothing to read
            continue
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


def with_policy(html: str, *, carried: Iterable[str] = (), script_origins: Iterable[str] = (),
                roots: Iterable[str] = (".",), allowed: Iterable[str] = ()) -> str:
    """``html`` with its policy (:func:`content_security_policy`) as a ``<meta>``, after the
    character set (else first in the head).

    A page without a ``<head>`` is returned as it is.
    """
    head = _HEAD.search(html)
    if head is None:
        return html
    charset = _CHARSET.search(html, head.end())
    at = charset.end() if charset is not None and charset.start() - head.end() < 200 else head.end()
    policy = content_security_policy(html, carried=carried, script_origins=script_origins, roots=roots,
                                     allowed=allowed)
    return f'{html[:at]}\n{policy_meta(policy)}{html[at:]}'


def policy_meta(policy: str) -> str:
    """The ``<meta>`` element that puts ``policy`` in force (its text holds no quote or angle bracket)."""
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
