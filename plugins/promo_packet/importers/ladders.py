"""The engineeringladders Markdown ladders (Developer, Tech Lead, Engineering Manager, ...).

A ``## <code> - <title>`` section per level (``## D1 - Developer 1``), lowest first, holding one
bullet ``**Keyword**: behaviour`` per axis, in the order of the framework's five axes. The
keyword changes from level to level (Adopts, Specializes, Evangelizes on the technology axis),
so the axis is the bullet's position, and the keyword stays in front of the behaviour.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .draft import Draft

AXES = ("Technology", "System", "People", "Process", "Influence")
_LEVEL = re.compile(r"^##\s+(\S+)\s+[-\u2013\u2014]\s+(.+?)\s*#*\s*$")
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_AXIS = re.compile(r"^\s*[*+-]\s+\*\*(.+?)\*\*\s*:?\s*(.*)$")


def read(text: str, source: str) -> Draft:
    draft = Draft(source, "an engineeringladders Markdown ladder")
    sections: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        level, heading, axis = _LEVEL.match(line), _TITLE.match(line), _AXIS.match(line)
        if level:
            sections.append((number, level.group(1), level.group(2), []))
        elif heading:
            if sections:
                break  # "# Other Pages" and the like, after the levels
            draft.name = heading.group(1)
        elif axis and sections:
            keyword = axis.group(1).strip().rstrip(":")
            sections[-1][3].append((number, f"{keyword}: {axis.group(2).strip()}".rstrip(": ")))
    draft.name = draft.name or PurePath(source).stem
    if not sections:
        draft.problem(None, "no level sections: expected '## D1 - Developer 1' headings",
                      hint="pass --format to read the file as another format")
    dimensions = [draft.dimension(axis, origin=f"bullet {place} of each level: the {axis.lower()} axis")
                  for place, axis in enumerate(AXES, start=1)]
    for number, code, title, bullets in sections:
        if code in draft.level_ids:
            draft.problem(number, f"the level {code!r} has two sections", hint="keep one of them")
            continue
        if len(bullets) != len(AXES):
            draft.problem(number, f"the level {code!r} has {len(bullets)} '**Keyword**: behaviour' "
                          f"bullets; expected one per axis ({', '.join(AXES)})",
                          hint="add or remove bullets so that the axes line up")
            continue
        draft.add_level(code, title)
        for dimension, (_, behaviour) in zip(dimensions, bullets, strict=True):
            dimension.expect(code, [behaviour])
    return draft
