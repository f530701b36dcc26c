"""Our rubric YAML from a draft: safe to read back, and saying where each part came from."""

from __future__ import annotations

from typing import Any

from ..reading.yaml_writer import comment, document
from .draft import Draft


def _per_level(texts: dict[str, list[str]], order: list[str]) -> dict[str, Any]:
    # Lowest level first, as a person reads a ladder, whatever order the source listed them in.
    return {level: texts[level][0] if len(texts[level]) == 1 else texts[level]
            for level in order if texts.get(level)}


def dump_rubric(draft: Draft) -> str:
    """The rubric file for ``draft``, in the format :func:`promo_packet.model.rubric.parse_rubric` reads."""
    order = draft.level_ids
    parts = [
        comment(f"Imported by `promo rubric import` from {draft.source} ({draft.form})."),
        "\n",
        comment("Levels are lowest first. The file is yours now: edit it, and `promo check` "
                 "validates it."),
        "\n",
        document({"name": draft.name or "Imported ladder"}),
        document({"levels": [{"id": ident, "title": title} for ident, title in draft.levels]}),
        "\ndimensions:\n",
    ]
    for dimension in draft.dimensions:
        item: dict[str, Any] = {"id": dimension.id, "name": dimension.name}
        if dimension.description:
            item["description"] = dimension.description
        item["expectations"] = _per_level(dimension.expectations, order)
        if any(dimension.examples.values()):
            item["examples"] = _per_level(dimension.examples, order)
        if dimension.origin:
            parts.append("  " + comment(f"from {dimension.origin}") + "\n")
        parts.append(document([item], "  "))
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"
