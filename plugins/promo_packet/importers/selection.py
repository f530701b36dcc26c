"""Choosing the dimensions of an imported ladder: ``--only`` keeps some, ``--drop`` leaves some out,
``--one-of`` groups alternatives of which one is enough.

A framework file may hold dimensions a person is not judged on (a specialism they did not
choose); leaving them out at import, or grouping them under ``one_of``, spares editing the
rubric by hand. Ids are those the import gives the dimensions (listed in its summary); an
unknown one is an error naming the ids there are, the nearest first.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..errors import Problem
from ..reading.yaml_writer import comment, document
from .draft import Draft

Alternatives = tuple[str, tuple[str, ...]]
"""A ``one_of`` group as ``--one-of`` gives it: its name and its members' ids."""


def choose_dimensions(draft: Draft, *, only: Sequence[str] = (), drop: Sequence[str] = (),
                      one_of: Sequence[Alternatives] = ()) -> tuple[str, list[Problem]]:
    """Keep in ``draft`` the dimensions ``only`` names (all when empty), minus those ``drop``
    names; the ``one_of`` section grouping ``one_of`` among them, to follow the rubric.

    Every unknown id is a problem, and nothing is chosen then; what was left out or grouped is a note.
    """
    found = [dimension.id for dimension in draft.dimensions]
    options = (("--only", only), ("--drop", drop))
    problems = _unknown(draft, found, options) or _kept(draft, found, only, drop)
    return ("", problems) if problems else _one_of_text(draft, one_of, found, drop)


def _unknown(draft: Draft, found: list[str], options: tuple[tuple[str, Sequence[str]], ...]) -> list[Problem]:
    return [Problem(draft.source, None, f"no dimension {ident!r} in this ladder", field=option,
                    hint=f"the dimensions found, nearest first: {', '.join(nearest_first(ident, found))}")
            for option, idents in options for ident in idents if ident not in found]


def _kept(draft: Draft, found: list[str], only: Sequence[str], drop: Sequence[str]) -> list[Problem]:
    kept = [d for d in draft.dimensions if (not only or d.id in only) and d.id not in drop]
    if not kept:
        return [Problem(draft.source, None, "no dimension left to import",
                        field="--drop" if drop else "--only",
                        hint=f"the dimensions found: {', '.join(found)}")]
    left_out = [f"{d.id} ({d.name})" for d in draft.dimensions if d not in kept]
    if left_out:
        chosen = " ".join(f"{option} {','.join(idents)}"
                          for option, idents in (("--only", only), ("--drop", drop)) if idents)
        draft.notes.append(f"Left out ({chosen}): {', '.join(left_out)}.")
    draft.dimensions = kept
    return []


def nearest_first(ident: str, found: Sequence[str]) -> list[str]:
    """``found`` ordered by how close each is to ``ident``, the closest first (ties in their order)."""
    def closeness(other: str) -> float:
        return difflib.SequenceMatcher(None, ident.lower(), other.lower()).ratio()
    return sorted(found, key=closeness, reverse=True)


def _one_of_text(draft: Draft, groups: Sequence[Alternatives], found: Sequence[str],
                 drop: Sequence[str]) -> tuple[str, list[Problem]]:
    """The ``one_of`` section for ``groups`` of the dimensions ``draft`` keeps (of those
    ``found``), to follow its rubric; every unknown id, and every id left out, is a problem (the
    rubric's reading checks the rest)."""
    if not groups:
        return "", []
    kept = {dimension.id for dimension in draft.dimensions}
    missing = [ident for _, members in groups for ident in members if ident not in kept]
    problems = _unknown(draft, list(found), (("--one-of", missing),))
    problems += [Problem(draft.source, None, f"dimension {ident!r} is left out by --drop", field="--one-of",
                         hint="take it out of --drop, or out of the group")
                 if ident in drop else
                 Problem(draft.source, None, f"dimension {ident!r} is left out by --only", field="--one-of",
                         hint="add it to --only, or take it out of the group")
                 for ident in missing if ident in found]
    problems += [Problem(draft.source, None, f"the group {name!r} has one dimension", field="--one-of",
                         hint="list two alternatives or more; a dimension alone is required anyway")
                 for name, members in groups if len(set(members)) < 2]
    if problems:
        return "", problems
    for name, members in groups:
        draft.notes.append(f"Grouped as {name!r} (one_of): one of {', '.join(members)} is enough.")
    return ("\n" + comment("Alternatives: the target level asks for one dimension of each group.") + "\n"
            + document({"one_of": [{"name": name, "dimensions": list(members)} for name, members in groups]}),
            [])


def alternatives(text: str) -> Alternatives | None:
    """``--one-of``'s value, ``NAME=ID,ID,...``; ``None`` when it is not written so."""
    name, equals, members = text.partition("=")
    return (name.strip(), dimension_ids(members)) if equals and name.strip() else None


def dimension_ids(*values: str) -> tuple[str, ...]:
    """The ids ``--only`` or ``--drop`` give: separated by commas, the option repeated or not."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
