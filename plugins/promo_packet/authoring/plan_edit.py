"""Edits to ``plan.yml`` that keep what the person wrote: adding a check-in.

The plan is YAML written by hand, so it is edited through ruamel.yaml's round trip, which keeps
comments, key order, quoting and flow style; text splicing breaks on the first flow list. What a
round trip cannot be trusted with is refused, leaving the file as it was:

* an anchor on ``checkins`` or an alias to it (appending would change every place that shares it),
* merge keys (``<<:``) and explicit tags (``!!str``, ``!thing``) anywhere in the file,
* comments inside a flow list of check-ins (ruamel cannot put them back in place),
* YAML the project's own parser reports errors in.

A flow list on one line stays a flow list; one laid out over several lines becomes a block list
(ruamel would write it on one line, which reads worse). Line endings are kept.

Whatever ruamel writes is then read back with :func:`~promo_packet.model.plan.parse_plan` and the
project's YAML reader; unless it reads as the old data plus exactly the new check-in, nothing is
written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import re
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import PlanEditError, Problem
from ..model.plan import Checkin, Plan, parse_plan
from ..reading.fields import yaml_keys
from ..reading.located_yaml import parse_yaml
from ..reading.yaml_writer import storable
from ..reading.yaml_writer import write_atomically as write_atomically

_MERGE = "tag:yaml.org,2002:merge"
_PLAN = "plan.yml"
_OPEN_KEY = re.compile(r"[^\s#-][^#]*:\s*(#.*)?$")


def add_checkin(text: str, day: dt.date, with_: str = "", *, source: str = _PLAN) -> str:
    """The plan's text with a check-in skeleton appended to ``checkins:`` (created if absent).

    Raises :class:`PlanEditError` when the text cannot be edited safely (see the module docstring),
    its problem located in ``source``, the plan's name as shown.
    """
    try:
        plan, before = _read(text)
        _refuse_what_does_not_round_trip(text)
        if any(existing.date == day for existing in plan.checkins):
            raise _refusal(_line_of_checkin(text, day), f"already has a check-in on {day.isoformat()}",
                           "add to it, or pass --date for another day")
        fields = zip(yaml_keys(Checkin), dataclasses.astuple(Checkin(day, storable(with_))), strict=True)
        item: dict[str, Any] = {key: list(value) if isinstance(value, tuple) else value
                                for key, value in fields}
        updated = _append(text, item)
        _verify(updated, plan, before, item)
    except PlanEditError as exc:
        raise PlanEditError([dataclasses.replace(p, path=source) for p in exc.problems]) from None
    return updated


def _refusal(line: int | None, message: str, hint: str | None = None) -> PlanEditError:
    return PlanEditError(Problem(_PLAN, line, message, hint=hint))


def _line_of_checkin(text: str, day: dt.date) -> int | None:
    doc = parse_yaml(text, _PLAN)[0]
    assert doc is not None  # read without errors by _read
    for index, existing in enumerate(doc.data.get("checkins") or []):
        if isinstance(existing, dict) and str(existing.get("date", "")).strip() == day.isoformat():
            return doc.line("checkins", index)
    return None


def _read(text: str) -> tuple[Plan, dict[str, Any]]:
    plan, problems = parse_plan(text, _PLAN)
    doc = parse_yaml(text, _PLAN)[0]
    if plan is None or doc is None or any(p.is_error for p in problems):
        raise _refusal(None, "the plan has errors", "run `promo check` and fix them first")
    data = doc.data or {}
    if not isinstance(data.get("checkins") or [], list):
        raise _refusal(doc.line("checkins"), "'checkins' is not a list")
    return plan, data


def _refuse_what_does_not_round_trip(text: str) -> None:
    yaml = YAML()
    try:
        events = list(yaml.parse(text))
        root = yaml.compose(text)
    except YAMLError as exc:  # pragma: no cover - parse_plan has already read it
        raise _refusal(None, f"ruamel.yaml cannot read the plan: {exc}") from exc
    for event in events:
        line = event.start_mark.line + 1
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag is not None:
            raise _refusal(line, f"has an explicit tag ({event.tag})",
                           "remove it, or add the check-in by hand")
    if isinstance(root, MappingNode):
        for key, value in root.value:
            # An alias is composed to its anchored node, so both show as an anchor here.
            if key.value == "checkins" and value.anchor is not None:
                raise _refusal(key.start_mark.line + 1, "'checkins' is an anchor or an alias: a new "
                               "check-in would change every place that shares it",
                               "add it by hand or write the check-ins out as a plain list")
    for node in _walk(root):
        merges = isinstance(node, MappingNode) and any(key.tag == _MERGE or key.value == "<<"
                                                       for key, _ in node.value)
        if merges:
            raise _refusal(node.start_mark.line + 1, "uses a merge key (<<:), which a round trip cannot keep",
                           "add the check-in by hand")


def _walk(node: Node | None) -> list[Node]:
    """Every node once, aliases included only once."""
    seen: dict[int, Node] = {}
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen[id(current)] = current
        if isinstance(current, MappingNode):
            stack.extend(part for pair in current.value for part in pair)
        elif isinstance(current.value, list):
            stack.extend(current.value)
    return list(seen.values())


def _append(text: str, item: dict[str, Any]) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")  # ruamel keeps a CR inside comments, then writes LF after it
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a long line the person wrote
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # keep [{date: ...}] as written
    yaml.indent(mapping=_mapping_indent(text), sequence=4 if indent is None else indent,
                offset=2 if offset is None else offset)
    data = yaml.load(text)
    entry = _commented(item)
    if data is None:
        # Nothing but comments (or nothing): ruamel would drop the comments, so add after them.
        yaml.indent(mapping=2, sequence=4, offset=2)
        head = text if not text or text.endswith("\n") else text + "\n"
        added = _dump(yaml, CommentedMap([("checkins", CommentedSeq([entry]))]))
        return (head + added).replace("\n", newline)
    checkins = data.get("checkins")
    if not checkins:
        data["checkins"] = CommentedSeq([entry])
        return _dump(yaml, data).replace("\n", newline)
    if checkins.fa.flow_style():
        if _has_comments(checkins):
            raise _refusal(checkins.lc.line + 1, "'checkins' is a flow list with comments inside, which "
                           "cannot be kept in place", "add the check-in by hand")
        if any(item.lc.line != checkins.lc.line for item in checkins if hasattr(item, "lc")):
            # ruamel writes a flow list on one line: one laid out over several reads better as a block.
            checkins.fa.set_block_style()
    else:
        _move_trailing_comment(checkins[-1], entry)
    checkins.append(entry)
    return _dump(yaml, data).replace("\n", newline)


def _mapping_indent(text: str) -> int:
    """How far the file indents a mapping under its key (ruamel cannot guess it)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for key, child in itertools.pairwise(lines):
        if _OPEN_KEY.match(key) and child.startswith(" ") and not child.lstrip().startswith("-"):
            return len(child) - len(child.lstrip(" "))
    return 2


def _has_comments(node: Any, *, inner: bool = False) -> bool:
    """Whether comments stand inside a flow collection (one after its closing bracket is fine)."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return False
    if any(node.ca.items.values()) or (inner and node.ca.comment and any(node.ca.comment)):
        return True
    values = node.values() if isinstance(node, CommentedMap) else node
    return any(_has_comments(value, inner=True) for value in values)


def _commented(item: dict[str, Any]) -> CommentedMap:
    entry = CommentedMap()
    for key, value in item.items():
        if isinstance(value, list):
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        elif isinstance(value, str) and not _reads_as_itself(value):
            value = DoubleQuotedScalarString(value)
        entry[key] = value
    return entry


def _reads_as_itself(text: str) -> bool:
    """Whether ``text`` written plain reads back as that text with the project's YAML 1.1 reader
    (ruamel writes YAML 1.2, where ``yes`` or ``1_000`` are plain text)."""
    try:
        return bool(text) and pyyaml.safe_load(text) == text
    except pyyaml.YAMLError:
        return False


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _move_trailing_comment(previous: Any, entry: CommentedMap) -> None:
    """Give the new check-in the blank lines and comments that followed the old last one.

    ruamel keeps what stands between two keys as a comment after the first; appended as is, the
    new item would land below the blank line (or the comment) that introduces the next key.
    """
    holder, key, slot = _last_position(previous)
    if holder is None:
        return
    comments = holder.ca.items.get(key)
    token = comments[slot] if comments and len(comments) > slot else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return
    head, _, tail = token.value.partition("\n")
    if not tail:
        return
    token.value = head + "\n"
    entry.ca.items["next_steps"] = [None, None, CommentToken("\n" + tail, token.start_mark, None), None]


def _last_position(node: Any) -> tuple[Any, Any, int]:
    """The container, key and comment slot of the last thing written in a block-style node."""
    while True:
        if isinstance(node, CommentedMap) and node and not node.fa.flow_style():
            key = list(node)[-1]
            inner = node[key]
            if isinstance(inner, (CommentedMap, CommentedSeq)) and inner and not inner.fa.flow_style():
                node = inner
                continue
            return node, key, 2
        if isinstance(node, CommentedSeq) and node and not node.fa.flow_style():
            inner = node[-1]
            if isinstance(inner, (CommentedMap, CommentedSeq)) and inner and not inner.fa.flow_style():
                node = inner
                continue
            return node, len(node) - 1, 0
        return None, None, 0


def _verify(updated: str, plan: Plan, before: dict[str, Any], item: dict[str, Any]) -> None:
    """Refuse unless ``updated`` reads as the old plan plus exactly the new check-in."""
    new_plan, problems = parse_plan(updated, _PLAN)
    doc = parse_yaml(updated, _PLAN)[0]
    expected_data = {**before, "checkins": [*(before.get("checkins") or []), item]}
    checkin = Checkin(item["date"], item["with"])
    expected = dataclasses.replace(
        plan, checkins=tuple(sorted([*plan.checkins, checkin], key=lambda c: c.date)))
    if (new_plan != expected or doc is None or doc.data != expected_data
            or any(p.is_error for p in problems)):
        raise _refusal(None, "the edited plan would not read back as the old one plus the new check-in, "
                       "so it was left as it was", "add the check-in by hand")
