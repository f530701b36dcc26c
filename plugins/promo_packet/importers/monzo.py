"""The Monzo progression-framework Markdown: a ladder in the front matter.

``topics`` lists the dimensions (``name``, an optional ``title``), each with ``content``: per
``level`` (a number), the ``criteria`` expected and ``exampleCriteria``, criteria that come with
``examples``. Criteria of both kinds become behaviours; the examples stay with the criterion
they illustrate. ``levels: 6`` declares levels with no criteria yet.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ..reading.fields import FieldReader
from ..reading.front_matter import split_front_matter
from ..reading.located_yaml import LocatedYaml, field_name, parse_yaml
from .draft import Draft, DraftDimension, plain_title


def read(text: str, source: str) -> Draft:
    draft = Draft(source, "a Monzo progression framework")
    parts = split_front_matter(text)
    if parts.front_matter is None:
        draft.problem(1, "no front matter: a framework starts with a '---' line and its topics",
                      hint="pass --format to read the file as another format")
        return draft
    doc, problems = parse_yaml(parts.front_matter, source, first_line=parts.front_matter_line)
    draft.problems.extend(problems)
    if doc is None:
        return draft
    if not isinstance(doc.data, dict):
        draft.problem(parts.front_matter_line, "the front matter is not a mapping with topics")
        return draft
    read = FieldReader(doc, source, draft.problems)
    data = doc.data
    draft.name = plain_title(read.text(data, ("title",)) or "") or PurePath(source).stem
    declared = data.get("levels")
    if isinstance(declared, int) and not isinstance(declared, bool) and 0 < declared <= 50:
        for number in range(1, declared + 1):
            draft.add_level(str(number), f"Level {number}")
    for t, topic in read.mappings(data, ("topics",), required=True):
        name = read.text(topic, ("topics", t, "name"), required=True)
        if name is None:
            continue
        title = plain_title(read.text(topic, ("topics", t, "title")) or "")
        dimension = draft.dimension(title or name.replace("-", " ").capitalize(), key=name,
                                    origin=f"line {doc.line('topics', t)}")
        _content(draft, read, doc, t, topic, dimension)
    if all(ident.isascii() and ident.isdigit() for ident in draft.level_ids):
        draft.levels.sort(key=lambda level: int(level[0]))
    return draft


def _content(draft: Draft, read: FieldReader, doc: LocatedYaml, t: int, topic: dict[str, Any],
             dimension: DraftDimension) -> None:
    """The criteria and examples of topic ``t``, level by level."""
    for c, block in read.mappings(topic, ("topics", t, "content")):
        key = ("topics", t, "content", c)
        level = read.text(block, (*key, "level"), required=True)
        if level is None:
            continue
        if level.isdigit() and not level.isascii():
            # int() would take '²' or '٣' as a number, and the ladder would show another.
            draft.problem(doc.line(*key, "level"), f"{level!r} is not written in the digits 0-9",
                          field=field_name(*key, "level"), hint="write the level as 1, 2, 3...")
            continue
        draft.add_level(level, f"Level {level}")
        dimension.expect(level, read.texts(block, (*key, "criteria")))
        for e, example in read.mappings(block, (*key, "exampleCriteria")):
            criterion = read.text(example, (*key, "exampleCriteria", e, "criteria"), required=True)
            examples = read.texts(example, (*key, "exampleCriteria", e, "examples"))
            dimension.expect(level, [criterion] if criterion else [], examples)
