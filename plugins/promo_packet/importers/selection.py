"""Choosing the dimensions of an imported ladder: ``--only`` keeps some, ``--drop`` leaves some out.

A framework file may hold dimensions a person is not judged on (a specialism they did not
choose); leaving them out at import spares editing the rubric by hand. Ids are those the import
gives the dimensions (listed in its summary); an unknown one is an error naming the ids there
are, the nearest first.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..errors import Problem
from .draft import Draft


def choose_dimensions(draft: Draft, *, only: Sequence[str] = (), drop: Sequence[str] = ()) -> list[Problem]:
    """Keep in ``draft`` the dimensions ``only`` names (all when empty), minus those ``drop`` names.

    Every unknown id is a problem, and nothing is chosen then; what was left out is a note.
    """
    found = [dimension.id for dimension in draft.dimensions]
    options = (("--only", only), ("--drop", drop))
    problems = [Problem(draft.source, None, f"no dimension {ident!r} in this ladder", field=option,
                        hint=f"the dimensions found, nearest first: {', '.join(nearest_first(ident, found))}")
                for option, idents in options for ident in idents if ident not in found]
    if problems:
        return problems
    kept = [d for d in draft.dimensions if (not only or d.id in only) and d.id not in drop]
    if not kept:
        return [Problem(draft.source, None, "no dimension left to import",
                        field="--drop" if drop else "--only",
                        hint=f"the dimensions found: {', '.join(found)}")]
    left_out = [f"{d.id} ({d.name})" for d in draft.dimensions if d not in kept]
    if left_out:
        chosen = " ".join(f"{option} {','.join(idents)}" for option, idents in options if idents)
        draft.notes.append(f"Left out ({chosen}): {', '.join(left_out)}.")
    draft.dimensions = kept
    return []


def nearest_first(ident: str, found: Sequence[str]) -> list[str]:
    """``found`` ordered by how close each is to ``ident``, the closest first (ties in their order)."""
    def closeness(other: str) -> float:
        return difflib.SequenceMatcher(None, ident.lower(), other.lower()).ratio()
    return sorted(found, key=closeness, reverse=True)


def dimension_ids(*values: str) -> tuple[str, ...]:
    """The ids ``--only`` or ``--drop`` give: separated by commas, the option repeated or not."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
