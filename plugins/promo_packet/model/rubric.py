"""The company's leveling rubric: a ladder of levels and the dimensions they are judged on.

A rubric is one YAML file::

    name: Example Engineering Ladder
    levels:                       # lowest first
      - {id: senior, title: Senior Engineer}
      - {id: staff, title: Staff Engineer}
    dimensions:
      - id: scope
        name: Scope and impact
        description: How far the consequences of your work reach.   # optional
        expectations:             # per level id: a text or a list of behaviours
          senior: Owns a well-defined project end to end.
          staff:
            - {id: owns-outcomes, text: Owns a problem that spans several teams.}
            - Defines the work others then execute.   # id: scope.staff.2
            - id: scope.staff.runs-migrations
              text: Runs the migrations others put off.
              examples: [Moved four teams to the new queue in a quarter.]

Ids are the company's own names, as written (``P4``, ``SDE II``, ``5``: a number is read as
text); they match as written, capitals included. URLs use each id's slug (see
:func:`ids.slug_of`), so two ids with the same slug are an error.

Every behaviour has an id, unique within the ladder, which evidence names in ``shows:``. It is
the ``id`` written beside its ``text``, or else derived from where it stands:
``<dimension id>.<level id>.<n>``, ``n`` counting from 1 within that level's list (a lone text is
``n`` 1). A derived id changes when a behaviour is inserted above it; write an id to keep it.

A behaviour written as a mapping may list ``examples`` of its own (what meeting it looked like),
and a dimension may give ``examples`` per level id for the level as a whole; both are kept, not
judged.

Alternative dimensions (specialisms, of which the target level asks for one) are grouped under
``one_of`` (:mod:`.alternatives`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..reading.fields import NOT_WRITTEN, FieldReader, describe, yaml_keys
from ..reading.folders import bounds, file_problem, shown_path
from ..reading.ids import ID_HINT, id_hint, slug_of
from ..reading.located_yaml import INVALID, parse_yaml
from .alternatives import OneOf, read_one_of

RUBRIC_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Level:
    """One rung of the ladder; ``rank`` is its position, 0 for the lowest."""

    id: str
    title: str
    rank: int = field(metadata=NOT_WRITTEN)

    @property
    def slug(self) -> str:
        return slug_of(self.id)

    @property
    def phrase(self) -> str:
        """The level in a sentence: ``Staff Engineer level``, but ``Level 5 (Staff)`` as it is."""
        return self.title if "level" in re.findall(r"\w+", self.title.lower()) else f"{self.title} level"


@dataclass(frozen=True)
class Behaviour:
    """One thing a level is expected to show on a dimension; it reads as its text."""

    id: str
    text: str
    examples: tuple[str, ...] = ()
    """What meeting it looked like, as some ladders illustrate a behaviour; kept, not judged."""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Dimension:
    """One axis of the rubric, with what each level is expected to show on it."""

    id: str
    name: str
    description: str = ""
    expectations: Mapping[str, tuple[Behaviour, ...]] = field(default_factory=dict)
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Illustrations of the expectations per level id, as some ladders give them; kept, not judged."""
    slug: str = field(init=False, compare=False)
    """The id as a URL name: the dimension's page is ``dimensions/<slug>/``."""

    def __post_init__(self) -> None:
        # Read for every link to the dimension, on every entry's card: computed once.
        object.__setattr__(self, "slug", slug_of(self.id))

    def expectation(self, level_id: str) -> tuple[Behaviour, ...]:
        """The behaviours expected at ``level_id``; empty when the rubric is silent."""
        return self.expectations.get(level_id, ())


@dataclass(frozen=True)
class Ladder:
    """A whole rubric: ordered levels and the dimensions judged at each."""

    name: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    one_of: tuple[OneOf, ...] = ()
    """Groups of alternative dimensions, of which one must be demonstrated (:mod:`.alternatives`)."""
    path: str = field(default="", metadata=NOT_WRITTEN)
    _levels: dict[str, Level] = field(init=False, repr=False, compare=False)
    _dimensions: dict[str, Dimension] = field(init=False, repr=False, compare=False)
    _behaviours: dict[str, tuple[Behaviour, Dimension, Level]] = field(init=False, repr=False,
                                                                        compare=False)
    _groups: dict[str, OneOf] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every entry on every page that lists it: index once.
        object.__setattr__(self, "_levels", {level.id: level for level in self.levels})
        object.__setattr__(self, "_dimensions", {dim.id: dim for dim in self.dimensions})
        object.__setattr__(self, "_behaviours", {
            behaviour.id: (behaviour, dim, self._levels[level_id])
            for dim in self.dimensions for level_id, behaviours in dim.expectations.items()
            if level_id in self._levels for behaviour in behaviours})
        object.__setattr__(self, "_groups", {ident: group for group in self.one_of
                                             for ident in group.dimensions})

    def level(self, level_id: str) -> Level | None:
        return self._levels.get(level_id)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return self._dimensions.get(dimension_id)

    def group_of(self, dimension_id: str) -> OneOf | None:
        """The ``one_of`` group the dimension is an alternative in, if any."""
        return self._groups.get(dimension_id)

    def behaviour(self, behaviour_id: str) -> Behaviour | None:
        found = self._behaviours.get(behaviour_id)
        return found[0] if found else None

    def behaviour_place(self, behaviour_id: str) -> tuple[Dimension, Level] | None:
        """The dimension and level under which the behaviour ``behaviour_id`` is expected."""
        found = self._behaviours.get(behaviour_id)
        return (found[1], found[2]) if found else None

    @property
    def behaviour_ids(self) -> tuple[str, ...]:
        """Every behaviour's id, dimension by dimension, in the order the rubric writes them."""
        return tuple(self._behaviours)

    def rank(self, level_id: str) -> int:
        """Position of a known level id on the ladder (raises ``KeyError`` if unknown)."""
        level = self.level(level_id)
        if level is None:
            raise KeyError(level_id)
        return level.rank

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(dim.id for dim in self.dimensions)


def find_rubric_file(path: Path, root: Path | None = None) -> tuple[Path | None, list[Problem]]:
    """Resolve the ``rubric`` option: a YAML file, or a folder holding exactly one.

    Links to nothing, links leaving the packet's folder and files that are not
    regular files (a FIFO would block the read) are problems, never read.
    """
    shown = shown_path(path, root)
    inside = bounds(root)
    problem = file_problem(path, shown, inside, wanted=True)
    if problem is not None:
        return None, [problem]
    if path.is_file():
        return path, []
    if path.is_dir():
        candidates, problems = [], []
        try:
            files = sorted(p for p in path.iterdir() if p.suffix in RUBRIC_SUFFIXES)
        except OSError as exc:
            return None, [Problem(shown, None, f"cannot read the folder: {exc.strerror}")]
        for file in files:
            problem = file_problem(file, shown_path(file, root), inside, wanted=True)
            if problem is not None:
                problems.append(problem)
            elif file.is_file():
                candidates.append(file)
        if problems:
            return None, problems
        if len(candidates) == 1:
            return candidates[0], []
        if not candidates:
            return None, [Problem(shown, None, "no rubric file (.yml or .yaml) in this folder",
                                  hint="add your ladder as rubric/ladder.yml")]
        names = ", ".join(p.name for p in candidates)
        return None, [Problem(shown, None, f"more than one rubric file: {names}",
                              hint="point the 'rubric' option at one file")]
    return None, [Problem(shown, None, "rubric not found",
                          hint="set the 'rubric' option to a YAML file or a folder with one")]


def load_rubric(path: Path, root: Path | None = None) -> tuple[Ladder | None, list[Problem]]:
    """Read and validate a rubric file or folder; returns the ladder (or None) and every problem.

    Problems name files relative to ``root`` (the packet's folder) when given.
    """
    file, problems = find_rubric_file(path, root)
    if file is None:
        return None, problems
    shown = shown_path(file, root)
    try:
        text = file.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        return None, [Problem(shown, None, f"cannot read the rubric: {exc}",
                              hint="save it as UTF-8 text")]
    return parse_rubric(text, shown)


def parse_rubric(text: str, path: str) -> tuple[Ladder | None, list[Problem]]:
    """Validate rubric YAML ``text``; ``path`` is used in problem messages."""
    doc, problems = parse_yaml(text, path)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        problems.append(Problem(path, 1, "a rubric is a mapping with name, levels and dimensions",
                                hint="see the rubric format in the manual (guide/docs/rubric.md)"))
        return None, problems
    read = FieldReader(doc, path, problems)
    data = doc.data
    read.unknown_fields(data, (), yaml_keys(Ladder))
    name = read.text(data, ("name",), required=True) or "Rubric"
    levels, named = _levels(read, data)
    dimensions = _dimensions(read, data, named)
    one_of = read_one_of(read, data, [dim.id for dim in dimensions])
    if any(problem.is_error for problem in problems):
        return None, problems
    return Ladder(name=name, levels=tuple(levels), dimensions=tuple(dimensions), one_of=tuple(one_of),
                  path=path), problems


def _levels(read: FieldReader, data: dict[str, object]) -> tuple[list[Level], list[str]]:
    """The usable levels, and every level id written (usable or not), in order.

    Expectations are checked against every id written: one unusable id is one problem, not one
    more for each behaviour filed under it.
    """
    levels: list[Level] = []
    named: list[str] = []
    seen: dict[str, tuple[str, int]] = {}
    items = read.mappings(data, ("levels",), required=True,
                          hint="list the levels lowest first, each with id and title")
    for index, item in items:
        key = ("levels", index)
        read.unknown_fields(item, key, yaml_keys(Level))
        written = read.text(item, (*key, "id"), required=True)
        ident = read.identifier((*key, "id"), written, seen)
        title = read.text(item, (*key, "title"), required=True)
        if written and written not in named:
            named.append(written)
        if ident is not None:
            levels.append(Level(id=ident, title=title or ident, rank=len(levels)))
    return levels, named


def _dimensions(read: FieldReader, data: dict[str, object], level_ids: list[str]) -> list[Dimension]:
    dimensions: list[Dimension] = []
    seen: dict[str, tuple[str, int]] = {}
    behaviour_ids: dict[str, tuple[str, int]] = {}
    items = read.mappings(data, ("dimensions",), required=True,
                          hint="list the dimensions, each with id, name and expectations")
    for index, item in items:
        key = ("dimensions", index)
        read.unknown_fields(item, key, yaml_keys(Dimension))
        written = read.text(item, (*key, "id"), required=True)
        ident = read.identifier((*key, "id"), written, seen)
        name = read.text(item, (*key, "name"), required=True)
        description = read.text(item, (*key, "description")) or ""
        expected = _per_level(read, item, (*key, "expectations"), level_ids)
        expectations = {level_id: tuple(_behaviours(read, expected, (*key, "expectations", level_id),
                                                    f"{written}.{level_id}", behaviour_ids))
                        for level_id in expected}
        illustrated = _per_level(read, item, (*key, "examples"), level_ids)
        examples = {level_id: read.texts(illustrated, (*key, "examples", level_id))
                    for level_id in illustrated}
        if ident is not None:
            dimensions.append(Dimension(ident, name or ident, description, expectations, examples))
    return dimensions


def _per_level(read: FieldReader, item: dict[str, object], key: tuple[str | int, ...],
               level_ids: list[str]) -> dict[str, object]:
    """A mapping of level id to a text or a list (``expectations``, ``examples``), the unknown level
    ids left out (and reported)."""
    raw = item.get(str(key[-1]))
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        read.report(key, "expected a mapping of level id to text or list",
                    "e.g. 'staff: Owns problems that span teams.'")
        return {}
    known: dict[str, object] = {}
    for level_id, value in raw.items():
        if level_id not in level_ids:
            read.report((*key, level_id), f"unknown level {level_id!r}",
                        id_hint(level_id, level_ids, "known levels"))
            continue
        known[level_id] = value
    return known


_BEHAVIOUR_HINT = "write a behaviour as text, or as {id: a-name, text: What is expected.}"


def _behaviours(read: FieldReader, within: dict[str, object], key: tuple[str | int, ...], place: str,
                seen: dict[str, tuple[str, int]]) -> Iterator[Behaviour]:
    """The behaviours of one level: a text, a ``{id, text}`` mapping, or a list of either.

    An item without an id is ``<place>.<n>``, ``n`` its position from 1; ``seen`` holds the
    slugs of the behaviour ids read so far, in the whole ladder.
    """
    value = within.get(str(key[-1]))
    if isinstance(value, list):
        items = [((*key, index), index + 1, item) for index, item in enumerate(value)]
    elif isinstance(value, (str, dict)):
        items = [(key, 1, value)]
    else:
        if value is not None and value is not INVALID:
            read.report(key, f"expected text or a list, got {describe(value)}", _BEHAVIOUR_HINT)
        return
    for item_key, number, item in items:
        if item is INVALID:
            continue
        written: str | None = None
        examples: tuple[str, ...] = ()
        if isinstance(item, dict):
            read.unknown_fields(item, item_key, yaml_keys(Behaviour))
            written = read.text(item, (*item_key, "id"), required="id" in item, hint=ID_HINT)
            text = read.text(item, (*item_key, "text"), required=True, hint=_BEHAVIOUR_HINT)
            examples = read.texts(item, (*item_key, "examples"))
        elif item is None or isinstance(item, list):
            read.report(item_key, f"expected text, got {describe(item)}", _BEHAVIOUR_HINT)
            continue
        else:
            text = read.doc.raw.get(item_key, str(item)).strip()
        ident = _behaviour_id(read, item_key, written, f"{place}.{number}", seen)
        if text and ident is not None:
            yield Behaviour(ident, text, examples)


def _behaviour_id(read: FieldReader, key: tuple[str | int, ...], written: str | None, derived: str,
                  seen: dict[str, tuple[str, int]]) -> str | None:
    if written is not None:
        return read.identifier((*key, "id"), written, seen, what="behaviour id")
    # Derived from ids already checked, so only its uniqueness is in question (and its length is
    # theirs together, which may pass the limit for an id written by hand).
    slug = slug_of(derived)
    if slug in seen:
        other, line = seen[slug]
        clash = (f"is already the id of the behaviour on line {line}" if other == derived
                 else f"and {other!r} (line {line}) would share the URL name {slug!r}")
        read.report(key, f"its id {derived!r} (derived from where it stands) {clash}",
                    "write an id of its own on one of them")
        return None
    seen[slug] = (derived, read.doc.line(*key) or 0)
    return derived
