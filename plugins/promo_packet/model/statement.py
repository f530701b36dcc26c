"""The statement a colleague signs to stand behind their words in one entry.

It is derived from the entry alone, so whoever rebuilds it from the same evidence file gets the
same bytes, on any machine, and a signature over it breaks as soon as the entry says something
else about the work or the quote. Format version 1::

    promo-packet corroboration statement
    format: 1
    person: Sam Tester
    title: Cut the nightly batch from 3 h to 40 min
    date: 2026-01-10
    outcome: The nightly batch now ends at 1am instead of 3am.
    name: Ada Quote
    role: Finance lead
    quote: We close the books before breakfast now.

    By signing, the person named above confirms that the quote is theirs and that it is about this work.

UTF-8, LF line ends, one field a line, always in this order. A field the entry leaves out is
written with nothing after its colon (``role:``); an empty value keeps its space (``role: ``).
Within a value, a backslash is written ``\\\\``, a line feed ``\\n``, a carriage return ``\\r``,
a tab ``\\t``, and every other character that could break a line or hide what is shown (other
control characters, Unicode line and paragraph separators, bidirectional overrides, the byte
order mark, lone surrogates) as ``\\u`` and four hex digits. So a value is always one line
and can never pass for another field. The set of escaped characters is written out here, not
asked of the Unicode database, whose categories change between Python versions.

Characters are not normalised: the quote is signed exactly as the file holds it.
"""

from __future__ import annotations

import re

from .evidence import Corroboration, Evidence

HEADER = "promo-packet corroboration statement"
FORMAT = 1
PLEDGE = ("By signing, the person named above confirms that the quote is theirs and that it is about "
          "this work.")
_ESCAPED = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                      "\ufeff\ud800-\udfff]")
_SHORT = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(value: str) -> str:
    """``value`` on one line, every character that could break or disguise it escaped."""
    return _ESCAPED.sub(lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04x}"), value)


def statement_fields(entry: Evidence, corroboration: Corroboration,
                     person: str) -> tuple[tuple[str, str | None], ...]:
    """The statement's fields, in order, as the entry writes them (``None``: left out)."""
    return (
        ("person", person),
        ("title", entry.title),
        ("date", entry.date.isoformat()),
        ("outcome", entry.outcome),
        ("name", corroboration.name),
        ("role", corroboration.role),
        ("quote", corroboration.quote),
    )


def statement(entry: Evidence, corroboration: Corroboration, person: str) -> bytes:
    """The bytes ``corroboration``'s author signs for ``entry`` of ``person``'s packet."""
    lines = [HEADER, f"format: {FORMAT}"]
    for name, value in statement_fields(entry, corroboration, person):
        lines.append(f"{name}:" if value is None else f"{name}: {escaped(value)}")
    lines += ["", PLEDGE]
    return ("\n".join(lines) + "\n").encode("utf-8")


def corroboration_by(entry: Evidence, name: str) -> tuple[int, Corroboration] | None:
    """The index and item of ``entry``'s corroboration by ``name`` (exactly as written), if any."""
    return next(((index, item) for index, item in enumerate(entry.corroboration) if item.name == name), None)

