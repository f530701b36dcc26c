"""Our rubric YAML from a draft: safe to read back, and saying where each part came from."""

from __future__ import annotations

from typing import Any

import yaml

from .draft import Draft


def _comment(text: str) -> str:
    # A file name or title from elsewhere may hold a line break, which would end the comment.
    return "# " + " ".join(text.split())


def _dump(data: Any, indent: str = "") -> str:
    # safe_dump quotes whatever YAML would read as something else (yes, 1.0, '- ', ': ').
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    return "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def _per_level(texts: dict[str, list[str]], order: list[str]) -> dict[str, Any]:
    # Lowest level first, as a person reads a ladder, whatever order the source listed them in.
    return {level: texts[level][0] if len(texts[level]) == 1 else texts[level]
            for level in order if texts.get(level)}


def dump_rubric(draft: Draft) -> str:
    """The rubric file for ``draft``, in the format :func:`promo_packet.model.rubric.parse_rubric` reads."""
    order = draft.level_ids
    parts = [
        _comment(f"Imported by `promo rubric import` from {draft.source} ({draft.form})."),
        "\n",
        _comment("Levels are lowest first. The file is yours now: edit it, and `promo check` "
                 "validates it."),
        "\n",
        _dump({"name": draft.name or "Imported ladder"}),
        _dump({"levels": [{"id": ident, "title": title} for ident, title in draft.levels]}),
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
            parts.append("  " + _comment(f"from {dimension.origin}") + "\n")
        parts.append(_dump([item], "  "))
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"
