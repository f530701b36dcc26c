"""Alternative dimensions: a group of which the target level asks for one, not all.

Some ladders end in specialisms a person chooses between (Monzo's data track has "Mastery -
Data Science" and "Mastery - Data Analytics"). A rubric lists each group under ``one_of``::

    one_of:
      - name: Mastery specialism
        dimensions: [mastery-data-science, mastery-data-analytics]

The group is one requirement: it takes the best status among its members, and the member with
that status carries it (:mod:`.coverage`). A dimension belongs to one group at most, and a group
has two members or more: a lone dimension is required anyway.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..reading.fields import FieldReader, yaml_keys
from ..reading.ids import id_hint

_GROUP_HINT = "write a group as {name: Specialism, dimensions: [one-id, another-id]}"


@dataclass(frozen=True)
class OneOf:
    """Dimensions of which one must be demonstrated: alternative specialisms."""

    name: str
    dimensions: tuple[str, ...]
    """The members' ids, as written."""


def read_one_of(read: FieldReader, data: dict[str, Any], known: Collection[str]) -> list[OneOf]:
    """The ``one_of`` groups of a rubric whose dimension ids are ``known``; every misfit is a
    problem at its line (an unknown id, a dimension in two groups, a group of one)."""
    groups: list[OneOf] = []
    placed: dict[str, tuple[str, int]] = {}
    for index, item in read.mappings(data, ("one_of",), hint=_GROUP_HINT):
        key: tuple[str | int, ...] = ("one_of", index)
        read.unknown_fields(item, key, yaml_keys(OneOf))
        name = read.text(item, (*key, "name"), required=True, hint=_GROUP_HINT)
        written = read.text_list(item, (*key, "dimensions"), required=True, hint=_GROUP_HINT)
        listed: list[str] = []
        members: list[str] = []
        for position, ident in written:
            at = (*key, "dimensions", position)
            if ident in listed:
                read.report(at, f"{ident!r} is listed twice in this group", "list each dimension once")
                continue
            listed.append(ident)
            if ident not in known:
                read.report(at, f"unknown dimension {ident!r}", id_hint(ident, known))
            elif ident in placed:
                other, line = placed[ident]
                read.report(at, f"{ident!r} is already in the group {other!r} (line {line})",
                            "a dimension is an alternative in one group only")
            else:
                placed[ident] = (name or "", read.doc.line(*at) or 0)
                members.append(ident)
        if len(listed) == 1:
            read.report((*key, "dimensions"), f"a group of one ({listed[0]!r})",
                        "list two alternatives or more; a dimension alone is required anyway")
        if name and len(members) > 1 and len(members) == len(listed):
            groups.append(OneOf(name, tuple(members)))
    return groups
