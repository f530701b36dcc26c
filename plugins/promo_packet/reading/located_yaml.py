"""YAML that remembers where each value was written, read within a budget.

Evidence front matter and the rubric are YAML written by hand, so every
problem must point at the line the person has to edit. PyYAML's constructors
lose positions, so we compose the node graph (with the C parser when it is
available, about ten times faster) and build plain Python values ourselves,
recording the line of every key and item on the way. A scalar that fails to
construct (``date: 2026-13-01``) becomes one problem on its line instead of
aborting the whole document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem, quoted

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Key = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
INVALID: Any = object()
"""Stands for a scalar that could not be constructed; a problem was recorded."""


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



def field_name(*key: str | int) -> str:
    """``("corroboration", 0, "name")`` -> ``"corroboration[0].name"``."""
    text = ""
    for part in key:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
