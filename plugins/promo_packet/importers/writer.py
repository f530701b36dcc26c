"""Our rubric YAML from a draft: safe to read back, and saying where each part came from.

Every behaviour is written with an ``id`` of its own, as no source format names them and an
entry's ``shows:`` needs one: ``<dimension>.<level>.<first words of its text>``
(``communication.2.explains-limits-result``), each part a slug by the one rule
(:func:`~promo_packet.reading.ids.slug_of`), short enough to type, with ``-2``, ``-3``... on a
clash. The ids follow from the draft alone, so importing the same file again writes the same ids.
"""

from __future__ import annotations

from typing import Any

from ..reading.ids import MAX_ID_LENGTH, slug_of
from ..reading.yaml_writer import comment, document
from .draft import Draft, DraftBehaviour, DraftDimension

ID_WORDS = 3
"""How many words of a behaviour's text its id keeps."""
_LEVEL_PART = 12
_WORDS_ROOM = 10
# Words that tell no behaviour from another; kept only when a text has nothing else.
_FILLER = frozenset({"a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by",
                     "as", "is", "are", "be", "it", "its", "their", "they", "that", "this"})


def _per_level(texts: dict[str, list[str]], order: list[str]) -> dict[str, Any]:
    # Lowest level first, as a person reads a ladder, whatever order the source listed them in.
    return {level: texts[level][0] if len(texts[level]) == 1 else texts[level]
            for level in order if texts.get(level)}


def _words(text: str) -> list[str]:
    """The telling words of ``text`` as slugs, in order, each once."""
    words: list[str] = []
    # "team's" is one word, not "team" and "s".
    for word in slug_of(text.replace("'", "").replace("\u2019", "")).split("-"):
        if word and word not in words:
            words.append(word)
    telling = [word for word in words if word not in _FILLER]
    return (telling or words)[:ID_WORDS]


def behaviour_id(dimension: str, level: str, text: str, number: int, taken: set[str]) -> str:
    """A readable id for the ``number``-th behaviour (from 1) at ``level`` of ``dimension``, unique
    by its slug among ``taken`` (the slugs of the ids given so far), which it joins."""
    level_part = slug_of(level, _LEVEL_PART)
    # The dimension's id is what a reader knows it by: cut only to leave the words some room.
    prefix = f"{slug_of(dimension, MAX_ID_LENGTH - _WORDS_ROOM - len(level_part) - 2)}.{level_part}."
    telling, clash = " ".join(_words(text)), 1
    while True:
        suffix = f"-{clash}" if clash > 1 else ""
        # A text with no letter a-z or digit (晋升) is named by its place, as a derived id would be.
        words = slug_of(telling, MAX_ID_LENGTH - len(prefix) - len(suffix)) or str(number)
        ident = prefix + words + suffix
        if slug_of(ident) not in taken:
            taken.add(slug_of(ident))
            return ident
        clash += 1


def _behaviours(dimension: DraftDimension, order: list[str], taken: set[str]) -> dict[str, Any]:
    def item(level: str, number: int, behaviour: DraftBehaviour) -> dict[str, Any]:
        written: dict[str, Any] = {"id": behaviour_id(dimension.id, level, behaviour.text, number, taken),
                                   "text": behaviour.text}
        if behaviour.examples:
            written["examples"] = behaviour.examples
        return written

    return {level: [item(level, number, behaviour)
                    for number, behaviour in enumerate(dimension.expectations[level], 1)]
            for level in order if dimension.expectations.get(level)}


def dump_rubric(draft: Draft) -> str:
    """The rubric file for ``draft``, in the format :func:`promo_packet.model.rubric.parse_rubric` reads."""
    order = draft.level_ids
    parts = [
        comment(f"Imported by `promo rubric import` from {draft.source} ({draft.form})."),
        "\n",
        comment("Levels are lowest first. The file is yours now: edit it, and `promo check` "
                 "validates it. An entry's `shows:` names behaviours by their ids."),
        "\n",
        document({"name": draft.name or "Imported ladder"}),
        document({"levels": [{"id": ident, "title": title} for ident, title in draft.levels]}),
        "\ndimensions:\n",
    ]
    taken: set[str] = set()
    for dimension in draft.dimensions:
        item: dict[str, Any] = {"id": dimension.id, "name": dimension.name}
        if dimension.description:
            item["description"] = dimension.description
        item["expectations"] = _behaviours(dimension, order, taken)
        if any(dimension.examples.values()):
            item["examples"] = _per_level(dimension.examples, order)
        if dimension.origin:
            parts.append("  " + comment(f"from {dimension.origin}") + "\n")
        parts.append(document([item], "  "))
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"
