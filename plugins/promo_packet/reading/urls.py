"""Which URLs a packet may link to: ``http``, ``https``, ``mailto`` and relative paths.

Links come from evidence and plan files and end up in ``href`` attributes of
pages other people open, so a ``javascript:`` or ``data:`` URL would run in the
reader's browser. The rule lives here once: the parsers report a disallowed
link as a problem, and templates pass every URL through :func:`safe_url` so a
link that slipped past them is dropped rather than rendered.

Browsers are lenient about what they take for a scheme: they drop leading
spaces and control characters, ignore tabs and newlines anywhere, match the
scheme case-insensitively and decode HTML character references in attributes
(``javascript&#58;``). So a URL is refused outright if it holds any whitespace
or control character, and its scheme is read both as written and with
character references decoded.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ..errors import quoted

ALLOWED_SCHEMES = ("http", "https", "mailto")
URL_HINT = "use an http://, https:// or mailto: URL, or a path relative to this site"

# RFC 3986: a scheme is a letter then letters, digits, '+', '-' or '.', ended by ':'.
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Anything before the first '/', '?' or '#' that holds a ':' reads as a scheme to some parser.
_PATH_START = re.compile(r"[/?#]")
_MAX_REFERENCE_ROUNDS = 4


def url_problem(text: str) -> str | None:
    """Why ``text`` may not be used as a link, or ``None`` when it may (after stripping)."""
    url = text.strip()
    if not url:
        return "is empty"
    # Printable ASCII holds no control or format character: only a space to look for.
    for char in (" " if " " in url else "") if url.isascii() and url.isprintable() else url:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            what = "a space" if char == " " else f"the character U+{ord(char):04X}"
            return f"{quoted(url)} is not a URL: it contains {what}"
    if "\\" in url:
        return f"{quoted(url)} is not a URL: it contains a backslash"
    for reading in _readings(url):
        problem = _scheme_problem(url, reading)
        if problem:
            return problem
    return None


def safe_url(text: str) -> str | None:
    """``text`` stripped, if it is a link a page may carry; ``None`` if it is not.

    Allowed: ``http``/``https`` URLs with a host, ``mailto:`` addresses and
    relative paths (``notes.md``, ``../design/``, ``#results``). Everything
    else (``javascript:``, ``data:``, ``vbscript:``, ``file:``, ``//host``,
    text with spaces or control characters) is refused.
    """
    return None if url_problem(text) is not None else text.strip()


def _readings(url: str) -> list[str]:
    """The URL as written and as a browser may read it once character references are decoded
    (repeatedly, as Markdown and HTML may each decode once)."""
    readings = [url]
    for _ in range(_MAX_REFERENCE_ROUNDS):
        decoded = html.unescape(readings[-1])
        if decoded == readings[-1]:
            break
        readings.append(decoded)
    return readings


def _scheme_problem(url: str, reading: str) -> str | None:
    if reading is not url and any(char.isspace() or unicodedata.category(char) == "Cc"
                                  for char in reading):
        return f"{quoted(url)} is not a URL: it hides a space or control character in a character reference"
    match = _SCHEME.match(reading)
    if match is None:
        if ":" in _PATH_START.split(reading, maxsplit=1)[0]:
            return f"{quoted(url)} is not a URL: ':' before the first '/'"
        if reading.startswith("//"):
            return f"{quoted(url)} leaves out the scheme"
        return None
    scheme = match.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"{quoted(url)}: {scheme}: links are not allowed"
    rest = reading[match.end():]
    if scheme == "mailto":
        return None if rest else f"{quoted(url)} has no address"
    if not rest.startswith("//") or not _PATH_START.split(rest[2:], maxsplit=1)[0]:
        return f"{quoted(url)} has no host (write {scheme}://host/...)"
    return None
