"""YAML that remembers where each value was written.

Evidence front matter and the rubric are YAML written by hand, so every
problem must point at the line the person has to edit. PyYAML's constructors
lose positions, so we compose the node graph (with the C parser when it is
available, about ten times faster) and build plain Python values ourselves,
recording the line of every key and item on the way. A scalar that fails to
construct (``date: 2026-13-01``) becomes one problem on its line instead of
aborting the whole document.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import Problem, Severity, quoted
from .urls import URL_HINT, url_problem

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Key = tuple[str | int, ...]
MAX_ID_LENGTH = 40
ID_HINT = (f"an id is a short name on one line (up to {MAX_ID_LENGTH} characters) with at least one "
           "letter a-z or digit, such as P4, L5, SDE II or 5")
_SLUG_SAFE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_SLUG_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_WORD_BREAK = re.compile(r"[^a-z0-9]+")

_STR = "tag:yaml.org,2002:str"
INVALID: Any = object()
"""Stands for a scalar that could not be constructed; a problem was recorded."""

NOT_WRITTEN: Mapping[str, Any] = MappingProxyType({"key": None})
"""``field(metadata=NOT_WRITTEN)``: a field of the model no file writes (a slug, a line number)."""


def written_as(key: str) -> Mapping[str, Any]:
    """``field(metadata=written_as("lint-ignore"))``: the key a file writes the field under, when
    it is not the field's name."""
    return MappingProxyType({"key": key})


def yaml_keys(model: type[DataclassInstance]) -> tuple[str, ...]:
    """The keys a file writes the dataclass ``model`` with, in field order.

    A field's key is its name without a trailing underscore (``with_`` is ``with``, a Python
    keyword), unless :func:`written_as` names another; fields marked :data:`NOT_WRITTEN` and
    fields computed after ``__init__`` are not written.
    """
    keys = (f.metadata.get("key", f.name.removesuffix("_")) for f in fields(model) if f.init)
    return tuple(key for key in keys if key is not None)


@dataclass
class LocatedYaml:
    """Plain Python data plus the 1-based line of every key and sequence item."""

    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    """The text as written of scalars YAML turned into something else (``yes``, ``1.50``)."""

    def line(self, *key: str | int) -> int | None:
        """The line of ``key`` or, failing that, of its nearest located parent."""
        for end in range(len(key), -1, -1):
            line = self.lines.get(key[:end])
            if line is not None:
                return line
        return None


@dataclass(frozen=True)
class SourceText:
    """A text file split into front matter and body, with their first lines."""

    front_matter: str | None
    body: str
    front_matter_line: int
    body_line: int


def split_front_matter(text: str) -> SourceText:
    """Split ``---`` delimited front matter from the Markdown body.

    Returns ``front_matter=None`` when the text does not start with a ``---``
    line or the block is never closed; the caller decides how to report it.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return SourceText(None, text, 0, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return SourceText(
                front_matter="".join(lines[1:index]),
                body="".join(lines[index + 1 :]),
                front_matter_line=2,
                body_line=index + 2,
            )
    return SourceText(None, text, 0, 1)


MAX_DEPTH = 64
"""How deeply lists and mappings may nest; no packet file needs more than a handful."""
MAX_VALUES = 100_000
"""How many values a document may hold once its aliases are expanded (a large rubric has a few
thousand). Aliased values are built once and shared, so this bounds what a reader of the data may
walk, not what reading it costs."""

_TAG_PREFIX = "tag:yaml.org,2002:"
_TIMESTAMP = _TAG_PREFIX + "timestamp"
_MERGE = _TAG_PREFIX + "merge"
_MAP = _TAG_PREFIX + "map"
_SEQ = _TAG_PREFIX + "seq"
_SCALAR_KINDS = {
    _TAG_PREFIX + "null": "nothing (null)",
    _TAG_PREFIX + "bool": "a yes/no value",
    _TAG_PREFIX + "int": "a whole number",
    _TAG_PREFIX + "float": "a number",
    _TIMESTAMP: "a date",
}
_PLAIN_HINT = "remove the tag: write plain text, numbers, dates, lists and mappings"


def parse_yaml(text: str, path: str, *, first_line: int = 1) -> tuple[LocatedYaml | None, list[Problem]]:
    """Parse one YAML document, returning located data and every problem found.

    ``first_line`` is the file line on which ``text`` starts (2 for front
    matter after the opening ``---``). Returns ``None`` as data when the text is
    not YAML at all, or not YAML this package reads (nested deeper than
    :data:`MAX_DEPTH`, larger than :data:`MAX_VALUES` once aliases are expanded).
    Tags other than YAML's plain scalar types are problems, never constructed.
    """
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else None
        reason = exc.problem or exc.context or "not valid YAML"
        problems.append(
            Problem(
                path,
                line,
                f"invalid YAML: {reason}",
                hint="check the indentation, and quote values that contain ': ' or start with a quote",
            )
        )
        return None, problems
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[0])
        problems.append(Problem(path, line, f"invalid YAML: the character U+{code:04X} is not allowed",
                                hint="remove it; YAML text cannot hold control characters"))
        return None, problems
    except (yaml.YAMLError, RecursionError) as exc:
        problems.append(Problem(path, first_line, "invalid YAML: " + " ".join(str(exc).split())))
        return None, problems
    finally:
        loader.dispose()
    located = LocatedYaml(data=None)
    if node is not None:
        builder = _Builder(loader, path, first_line, located, problems)
        try:
            located.data = builder.build(node, (), 0)[0]
        except _TooLarge as exc:
            problems.append(Problem(path, builder.line_of(exc.node), f"expands to more than {MAX_VALUES:,} "
                                    "values through its aliases (*name)", field=field_name(*exc.key) or None,
                                    hint="write the values out, or refer to an anchor fewer times"))
            return None, problems
    return located, problems


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, key: Key) -> None:
        self.node = node
        self.key = key


class _Builder:
    """Builds plain values from a composed node graph within the depth and size budgets.

    An alias is the very node it names, so a list or mapping reached again is
    not built again: its value is shared. Sizes and heights are kept per node
    so the budgets count what the aliases would expand to, without expanding.
    """

    def __init__(
        self,
        loader: yaml.SafeLoader,
        path: str,
        first_line: int,
        located: LocatedYaml,
        problems: list[Problem],
    ) -> None:
        self.loader = loader
        self.path = path
        self.offset = first_line
        self.lines = located.lines
        self.raw = located.raw
        self.problems = problems
        self.built: dict[int, tuple[Any, int, int]] = {}
        """id of a list or mapping node -> (its value, its size, its height)."""
        self.building: set[int] = set()

    def line_of(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line

    def problem(self, node: yaml.Node, key: Key, message: str, hint: str) -> Any:
        self.problems.append(Problem(self.path, self.line_of(node), message, field=field_name(*key) or None,
                                     hint=hint))
        return INVALID

    def build(self, node: yaml.Node, key: Key, depth: int) -> tuple[Any, int, int]:
        """The value of ``node`` at ``key``, how many values it expands to and how deep it nests."""
        self.lines.setdefault(key, self.line_of(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, key), 1, 0
        ident = id(node)
        if ident in self.building:
            return self.problem(node, key, "refers to itself through an alias (*name)",
                                "an alias may only name a value defined before it, outside it"), 1, 0
        known = self.built.get(ident)
        if depth >= MAX_DEPTH or (known is not None and depth + known[2] > MAX_DEPTH):
            # Reported at the top-level field: the full path would be as long as the nesting.
            return self.problem(node, key[:1], f"nested more than {MAX_DEPTH} lists or mappings deep",
                                "flatten the structure; no packet field needs this depth"), 1, 0
        if known is not None:
            return known
        self.building.add(ident)
        if node.tag not in (_MAP, _SEQ) or isinstance(node, yaml.MappingNode) != (node.tag == _MAP):
            built = self.problem(node, key, f"the tag {_shown_tag(node.tag)} is not supported",
                                 _PLAIN_HINT), 1, 0
        elif isinstance(node, yaml.MappingNode):
            built = self.mapping(node, key, depth)
        else:
            built = self.sequence(node, key, depth)
        self.building.discard(ident)
        self.built[ident] = built
        return built

    @staticmethod
    def within_budget(size: int, node: yaml.Node, key: Key) -> None:
        # Checked as each item is added, so the work done before giving up is bounded too.
        if size > MAX_VALUES:
            raise _TooLarge(node, key)

    def sequence(self, node: yaml.Node, key: Key, depth: int) -> tuple[Any, int, int]:
        result: list[Any] = []
        size = height = 1
        for index, item in enumerate(node.value):
            value, item_size, item_height = self.build(item, (*key, index), depth + 1)
            result.append(value)
            size += item_size
            height = max(height, 1 + item_height)
            self.within_budget(size, node, key)
        return result, size, height

    def mapping(self, node: yaml.MappingNode, key: Key, depth: int) -> tuple[Any, int, int]:
        result: dict[str, Any] = {}
        size = height = 1
        # Merged first, as YAML has it, so that the mapping's own keys win.
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged_size, merged_height = self.merge(value_node, key, depth, result)
                size += merged_size
                height = max(height, merged_height)
                self.within_budget(size, node, key)
        explicit: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, key, "a key must be a name, not a list or mapping",
                             "write 'name: value'")
                continue
            name = self.scalar(key_node, key, record=False)
            if name is INVALID:
                continue
            # A key is a name as written: `5:` and `1.10:` name the level ids 5 and 1.10.
            child = (*key, str(key_node.value))
            if child[-1] in explicit:
                self.problems.append(
                    Problem(
                        self.path,
                        self.line_of(key_node),
                        f"appears twice (first on line {self.lines[child]}); the second would silently win",
                        field=field_name(*child),
                        hint="keep one of them",
                    )
                )
                continue
            explicit.add(str(child[-1]))
            self.lines[child] = self.line_of(key_node)
            value, value_size, value_height = self.build(value_node, child, depth + 1)
            result[str(child[-1])] = value
            size += value_size
            height = max(height, 1 + value_height)
            self.within_budget(size, node, key)
        return result, size, height

    def merge(self, node: yaml.Node, key: Key, depth: int, into: dict[str, Any]) -> tuple[int, int]:
        """Merge ``<<: *a`` or ``<<: [*a, *b]`` into ``into`` (earlier wins); the size and height merged."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        size = height = 0
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self.problem(source, (*key, "<<"), "can only merge a mapping or a list of mappings",
                             "write '<<: *name' where the anchor &name is on a mapping")
                continue
            value, source_size, source_height = self.build(source, key, depth)
            if isinstance(value, dict):
                into.update(value)
                size += source_size
                height = max(height, source_height)
        return size, height

    def scalar(self, node: yaml.Node, key: Key, *, record: bool = True) -> Any:
        """The value of a scalar at ``key``; ``record`` keeps its text as written (not for a key's name)."""
        tag = node.tag
        if tag == _STR:
            # Most values are text; the constructor would return node.value after
            # several checks, and a packet has tens of thousands of them.
            return node.value
        if tag not in _SCALAR_KINDS:
            if tag == _MERGE:
                return self.problem(node, key, "'<<' merges a mapping into its mapping, it is not a value",
                                    "quote it if it is meant as text")
            return self.problem(node, key, f"the tag {_shown_tag(tag)} is not supported",
                                f"{_PLAIN_HINT} (quote a value meant as text)")
        # An explicit tag must agree with how the value reads plain: `!!bool maybe` would
        # otherwise reach a constructor that assumes it does.
        if self.loader.resolve(yaml.ScalarNode, node.value, (True, False)) != tag:  # type: ignore[no-untyped-call]
            return self.problem(node, key, f"{quoted(node.value)} is not {_SCALAR_KINDS[tag]} "
                                f"(it is tagged {_shown_tag(tag)})", "remove the tag, or quote the value")
        try:
            value = self.loader.yaml_constructors[tag](self.loader, node)
        except (ValueError, ArithmeticError, yaml.YAMLError) as exc:
            if tag == _TIMESTAMP:
                return self.problem(node, key, f"{quoted(node.value)} is not a real date ({exc})",
                                    "write a real day as YYYY-MM-DD")
            # An integer of thousands of digits: Python refuses to convert it, and so do we.
            return self.problem(node, key, f"cannot read {quoted(node.value)} as a number",
                                "quote the value if it is meant as text")
        if value is not None and record:
            self.raw[key] = str(node.value)
        return value


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG_PREFIX) if tag.startswith(_TAG_PREFIX) else tag


EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""Dates outside these are typing slips, and date arithmetic near year 9999 overflows."""
DATE_RANGE_HINT = f"write a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
LATEST_BUILD_DATE = dt.date(2105, 12, 31)
"""The last day a build may be dated (``SOURCE_DATE_EPOCH``) or compared with (``since``): the
gzip header of the sitemap holds the build's time in 32 bits, which run out in February 2106."""
BUILD_DATE_RANGE_HINT = f"write a date between {EARLIEST_DATE.isoformat()} and {LATEST_BUILD_DATE:%Y-%m-%d}"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """``YYYY-MM-DD`` and nothing else (``fromisoformat`` also takes ``2026-W05-3`` and
    ``20260101``); returns the date or why the text is not one."""
    text = text.strip()
    if not _DAY.fullmatch(text):
        return None, f"expected YYYY-MM-DD, got {quoted(text)}"
    try:
        return dt.date.fromisoformat(text), None
    except ValueError as exc:
        return None, f"{quoted(text)} is not a real date ({exc})"


def field_name(*key: str | int) -> str:
    """``("corroboration", 0, "name")`` -> ``"corroboration[0].name"``."""
    text = ""
    for part in key:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def shown_path(path: Path, root: Path | None) -> str:
    """``path`` relative to the packet root when inside it, as problems show it."""
    if root is not None:
        try:
            # realpath, not resolve(): a loop of links must not raise here.
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
        except ValueError:
            pass
    return str(path)


def describe(value: object) -> str:
    """How a YAML value reads to a person: ``a list``, ``the number 3``, ..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return type(value).__name__


def id_problem(ident: str) -> str | None:
    """Why ``ident`` cannot be an id (see :data:`ID_HINT`), or None if it can."""
    if len(ident) > MAX_ID_LENGTH:
        return f"{quoted(ident)} is too long for an id ({len(ident)} characters)"
    if any(unicodedata.category(c)[0] == "C" or c in "\n\r\u2028\u2029" for c in ident):
        return f"{quoted(ident)} holds a line break or a control character"
    if not any(c.isalnum() for c in id_slug(ident)):
        return f"{quoted(ident)} has no letter or digit (a-z, 0-9) to make a URL of"
    return None


def text_slug(text: str, limit: int = 60) -> str:
    """A name made from free text, for a file or an id: ``"Cut CI time: 40 -> 12 min!"`` ->
    ``"cut-ci-time-40-12-min"``; cut between words past ``limit``. Empty when nothing is left."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = _WORD_BREAK.sub("-", plain).strip("-")
    if len(slug) > limit:
        # Cut between words, so a name never ends in half a word; one long word is cut anyway.
        cut = slug.rfind("-", 0, limit + 1)
        slug = slug[:cut] if cut > 0 else slug[:limit]
    return slug


def id_slug(ident: str) -> str:
    """The URL name of an id, as written in a rubric or plan: ``P4`` -> ``p4``, ``SDE II`` -> ``sde-ii``.

    An id that is URL-safe already keeps its URL as it is (``scope``, ``cross_team``); accents are
    dropped (``Sénior`` -> ``senior``). Empty when the id has no letter or digit a-z, 0-9.
    """
    if _SLUG_SAFE.fullmatch(ident):
        return ident
    plain = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode().lower()
    return _SLUG_UNSAFE.sub("-", plain).strip("-")


def id_hint(ident: str, known: Collection[str], what: str = "the rubric has", *,
            shown: Collection[str] | None = None) -> str:
    """The hint for an unknown id: the near miss if there is one, then the ids there are.

    Ids match as written, capitals included; an id that differs only in case or spacing is the
    first suggestion, a close spelling the next. ``shown`` lists fewer ids than ``known`` when
    all of them would make too long a line; the near miss is looked for among all.
    """
    # An id the rubric could not use is known (nothing cascades from it) but not offered.
    offered = [k for k in (known if shown is None else shown) if id_problem(k) is None]
    listed = f"{what}: {', '.join(offered) or 'none defined'}"
    slug = id_slug(ident)
    near = ([k for k in known if id_slug(k) == slug]
            or difflib.get_close_matches(ident, list(known), n=1, cutoff=0.75))
    return f"did you mean {near[0]!r}? {listed}" if near else listed


class FieldReader:
    """Typed reads of one located YAML document that record a problem per misfit.

    Every read returns a usable value (or ``None``) so validation continues
    past the first problem and the person sees them all at once.
    """

    def __init__(self, doc: LocatedYaml, path: str, problems: list[Problem]) -> None:
        self.doc = doc
        self.path = path
        self.problems = problems

    def report(
        self,
        key: Key,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity = Severity.ERROR,
        code: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                self.path,
                self.doc.line(*key),
                message,
                field=field_name(*key) or None,
                hint=hint,
                severity=severity,
                code=code,
            )
        )

    def text(
        self, mapping: dict[str, Any], key: Key, *, required: bool = False, hint: str | None = None
    ) -> str | None:
        value = self._get(mapping, key, required=required, hint=hint)
        if value is None or value is INVALID:
            return None
        if isinstance(value, (dict, list)):
            self.report(key, f"expected text, got {describe(value)}", hint)
            return None
        text = self.doc.raw.get(key, str(value)).strip()
        if required and not text:
            self.report(key, "is empty", hint)
            return None
        return text

    def text_list(
        self, mapping: dict[str, Any], key: Key, *, required: bool = False, hint: str | None = None
    ) -> list[tuple[int, str]]:
        """``(index, text)`` pairs; a lone string is taken as a one-item list."""
        value = self._get(mapping, key, required=required, hint=hint)
        if value is None or value is INVALID:
            return []
        if isinstance(value, str):
            return [(0, value.strip())] if value.strip() else []
        if not isinstance(value, list):
            self.report(key, f"expected a list, got {describe(value)}", hint)
            return []
        items: list[tuple[int, str]] = []
        for index, item in enumerate(value):
            if item is INVALID:
                continue
            if item is None or isinstance(item, (dict, list)):
                self.report((*key, index), f"expected text, got {describe(item)}", hint)
                continue
            items.append((index, self.doc.raw.get((*key, index), str(item)).strip()))
        if required and not items and not value:
            self.report(key, "is an empty list", hint)
        return items

    def texts(self, mapping: dict[str, Any], key: Key, *, required: bool = False,
              hint: str | None = None) -> tuple[str, ...]:
        """The non-empty texts of a list (see :meth:`text_list`)."""
        return tuple(text for _, text in self.text_list(mapping, key, required=required, hint=hint) if text)

    def date(self, mapping: dict[str, Any], key: Key, *, required: bool = False,
             hint: str = "write the day as YYYY-MM-DD") -> dt.date | None:
        """A YYYY-MM-DD date, written bare or quoted, within :data:`EARLIEST_DATE`..:data:`LATEST_DATE`."""
        value = mapping.get(str(key[-1]))
        if value is None:
            if required:
                self.report(key, "is required but missing", hint)
            return None
        if value is INVALID:
            return None
        if isinstance(value, dt.datetime):
            self.report(key, f"expected a day, got the time {self.doc.raw.get(key, value)!r}",
                        "write only the day, as YYYY-MM-DD")
            return None
        if isinstance(value, str):
            value, problem = parse_date(value)
            if problem:
                self.report(key, problem, "e.g. 2026-03-14")
                return None
        if not isinstance(value, dt.date):
            self.report(key, f"expected YYYY-MM-DD, got {describe(value)}", "e.g. 2026-03-14")
            return None
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            self.report(key, f"{value.isoformat()} is out of range", DATE_RANGE_HINT)
            return None
        return value

    def url(self, mapping: dict[str, Any], key: Key, *, required: bool = False) -> str | None:
        """A link a published page may carry (see :func:`links.safe_url`)."""
        return self.checked_url(key, self.text(mapping, key, required=required))

    def checked_url(self, key: Key, text: str | None) -> str | None:
        """``text`` (read already, e.g. an item of a list) if it may be a link; else a problem at ``key``."""
        if text is None:
            return None
        problem = url_problem(text)
        if problem is not None:
            self.report(key, problem, URL_HINT)
            return None
        return text.strip()

    def identifier(self, key: Key, ident: str | None, seen: dict[str, tuple[str, int]], *,
                   what: str = "id") -> str | None:
        """``ident`` (read already) if it is a usable id, unique by its slug; else a problem at ``key``.

        ``seen`` maps the slugs of the ids read so far to the id and its line.
        """
        if ident is None:
            return None
        problem = id_problem(ident)
        if problem is not None:
            self.report(key, problem, ID_HINT)
            return None
        slug = id_slug(ident)
        line = self.doc.line(*key) or 0
        if slug in seen:
            other, other_line = seen[slug]
            if other == ident:
                self.report(key, f"duplicate id {ident!r} (also on line {other_line})",
                            f"every {what} must be unique")
            else:
                self.report(key, f"{ident!r} and {other!r} ({self.path}:{other_line}) would share "
                            f"the URL name {slug!r}", f"rename one of them: every {what} needs a URL "
                            "of its own")
            return None
        seen[slug] = (ident, line)
        return ident

    def boolean(self, mapping: dict[str, Any], key: Key, *, default: bool = False) -> bool:
        value = self._get(mapping, key)
        if value is None or value is INVALID:
            return default
        if not isinstance(value, bool):
            self.report(key, f"expected true or false, got {describe(value)}")
            return default
        return value

    def mappings(
        self, mapping: dict[str, Any], key: Key, *, required: bool = False, hint: str | None = None
    ) -> list[tuple[int, dict[str, Any]]]:
        """``(index, mapping)`` pairs of a list of mappings."""
        value = self._get(mapping, key, required=required, hint=hint)
        if value is None or value is INVALID:
            return []
        if not isinstance(value, list):
            self.report(key, f"expected a list, got {describe(value)}", hint)
            return []
        items: list[tuple[int, dict[str, Any]]] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append((index, item))
            elif item is not INVALID:
                self.report((*key, index), f"expected a mapping of fields, got {describe(item)}", hint)
        return items

    def unknown_fields(self, mapping: dict[str, Any], key: Key, known: Collection[str]) -> list[str]:
        """Warn about fields nobody reads; they are kept, but a typo must not pass silently."""
        unknown = [name for name in mapping if name not in known]
        for name in unknown:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
            self.report((*key, name), "unknown field (kept, but not used)", hint,
                        severity=Severity.WARNING, code="unknown-field")
        return unknown

    def _get(
        self, mapping: dict[str, Any], key: Key, *, required: bool = False, hint: str | None = None
    ) -> Any:
        value = mapping.get(str(key[-1]))
        if value is None and required:
            if str(key[-1]) in mapping:
                self.report(key, "is required but empty", hint)
            else:
                self.report(key, "is required but missing", hint)
        return value
