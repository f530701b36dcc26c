"""Ids and slugs: what a rubric, a plan or an entry may be called, and the URL name each gets.

One rule makes every URL name, whether from an entry's file name, an id in a rubric or plan,
or an anchor in a page: ``Sénior`` is ``senior`` in all three (:func:`slug_of`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection

from ..errors import quoted

MAX_ID_LENGTH = 40
ID_HINT = (f"an id is a short name on one line (up to {MAX_ID_LENGTH} characters) with at least one "
           "letter a-z or digit, such as P4, L5, SDE II or 5")
TITLE_SLUG_LENGTH = 60
"""How long a file name made from a title may be (before its date), cut between words."""
_NOT_IN_SLUG = re.compile(r"[^a-z0-9_]+")


def slug_of(text: str, limit: int | None = None) -> str:
    """The URL name of ``text``: for an entry's file name, an id, or an anchor.

    Accents are dropped and case folded (``Sénior`` -> ``senior``, ``Straße`` -> ``strasse``),
    every run of other characters is one hyphen (``SDE II`` -> ``sde-ii``, ``Cut CI: 40 -> 12``
    -> ``cut-ci-40-12``); underscores stay (``cross_team``). Past ``limit`` the name is cut
    between words. Empty when nothing a-z, 0-9 is left (``晋升``, ``🚀``, ``!!!``): each caller
    says what stands in for it.
    """
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    slug = _NOT_IN_SLUG.sub("-", plain).strip("-")
    if limit is not None and len(slug) > limit:
        # Cut between words, so a name never ends in half a word; one long word is cut anyway.
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[:cut] if cut > 0 else slug[:limit]
    return slug


def id_problem(ident: str) -> str | None:
    """Why ``ident`` cannot be an id (see :data:`ID_HINT`), or None if it can."""
    if len(ident) > MAX_ID_LENGTH:
        return f"{quoted(ident)} is too long for an id ({len(ident)} characters)"
    if any(unicodedata.category(c)[0] == "C" or c in "\n\r\u2028\u2029" for c in ident):
        return f"{quoted(ident)} holds a line break or a control character"
    if not any(c.isalnum() for c in slug_of(ident)):
        return f"{quoted(ident)} has no letter or digit (a-z, 0-9) to make a URL of"
    return None


def id_hint(ident: str, known: Collection[str], what: str = "the rubric has") -> str:
    """The hint for an unknown id: the near miss if there is one, then the ids there are.

    Ids match as written, capitals included; an id that differs only in case or spacing is the
    first suggestion, a close spelling the next.
    """
    # An id the rubric could not use is known (nothing cascades from it) but not offered.
    offered = [k for k in known if id_problem(k) is None]
    listed = f"{what}: {', '.join(offered) or 'none defined'}"
    near = _same_slug(ident, known) or difflib.get_close_matches(ident, list(known), n=1, cutoff=0.75)
    return f"did you mean {near[0]!r}? {listed}" if near else listed


NEAREST = 3
"""How many ids a hint offers where the ids there are would make too long a line to read."""


def nearest_hint(ident: str, known: Collection[str], listing: str) -> str:
    """The hint for an unknown id among many (a ladder's behaviours): the :data:`NEAREST` ids
    nearest in spelling, an id differing only in case or spacing first, then where ``listing``
    (``promo rubric show``) lists them all. Never the whole list: sixty ids are not read."""
    offered = [k for k in known if id_problem(k) is None]
    same = _same_slug(ident, offered)
    near = same + [k for k in difflib.get_close_matches(ident, offered, n=NEAREST, cutoff=0)
                   if k not in same]
    if not near:
        return "the rubric names no behaviour yet: list them under a dimension's expectations"
    named = [repr(k) for k in near[:NEAREST]]
    either = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return f"did you mean {either}? {listing} lists them all"


def _same_slug(ident: str, known: Collection[str]) -> list[str]:
    slug = slug_of(ident)
    return [k for k in known if slug_of(k) == slug]
