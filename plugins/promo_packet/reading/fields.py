"""Typed reads of located YAML: each misfit a problem on its line, every read a usable value.

What a file writes is declared by the dataclass it fills (:func:`yaml_keys`), so a reader of
a document and anything that writes one agree on the keys without a second list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import MISSING, dataclass, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, Union, get_args, get_origin, get_type_hints

from ..errors import Problem, Severity, quoted
from .ids import ID_HINT, id_problem, slug_of
from .located_yaml import INVALID, Key, LocatedYaml, field_name
from .urls import URL_HINT, url_problem

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Choice = TypeVar("Choice", bound=enum.Enum)
NOT_WRITTEN: Mapping[str, Any] = MappingProxyType({"key": None})
"""``field(metadata=NOT_WRITTEN)``: a field of the model no file writes (a slug, a line number)."""


Rule = Callable[[Mapping[str, Any]], tuple[str, str] | None]
"""What is wrong with one record as read (its fields' values), as a message and a hint."""


def written(key: str | None = None, *, hint: str | None = None, url: bool = False, bare: str | None = None,
            rule: Rule | None = None, unreadable: Any = None) -> Mapping[str, Any]:
    """``field(metadata=written(...))``: how a file writes the field, beyond its name and type.

    ``key``: the key it is written under, when not the field's name (``lint-ignore``); ``hint``:
    what a problem with it suggests; ``url``: text that must be a link a page may carry; for a
    list of records, ``bare``: the field an item written as plain text stands for (a link as its
    URL) and ``rule``: what each record must hold beyond its fields; for a choice,
    ``unreadable``: what a value that is none of the choices reads as.
    """
    found = {"key": key, "hint": hint, "url": url or None, "bare": bare, "rule": rule,
             "unreadable": unreadable}
    return MappingProxyType({name: value for name, value in found.items() if value is not None})


@dataclass(frozen=True)
class WrittenField:
    """One field of a dataclass as a file writes it: its key, declared type and whether it is required."""

    name: str
    key: str
    kind: Any
    required: bool
    default: Any
    about: Mapping[str, Any]


@functools.cache
def written_fields(model: type[DataclassInstance]) -> tuple[WrittenField, ...]:
    """The fields a file writes the dataclass ``model`` with, in field order.

    A field's key is its name without a trailing underscore (``with_`` is ``with``, a Python
    keyword), unless :func:`written` names another; fields marked :data:`NOT_WRITTEN` and
    fields computed after ``__init__`` are not written. A field without a default is required.
    """
    kinds = get_type_hints(model)
    found = []
    for f in fields(model):
        key = f.metadata.get("key", f.name.removesuffix("_"))
        if not f.init or key is None:
            continue
        default = f.default_factory() if f.default_factory is not MISSING else f.default
        found.append(WrittenField(f.name, key, kinds[f.name], default is MISSING, default, f.metadata))
    return tuple(found)


def yaml_keys(model: type[DataclassInstance]) -> tuple[str, ...]:
    """The keys a file writes the dataclass ``model`` with, in field order (:func:`written_fields`)."""
    return tuple(written.key for written in written_fields(model))


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
        slug = slug_of(ident)
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

    def record(self, mapping: dict[str, Any], key: Key, model: type[DataclassInstance], *,
               relaxed: Collection[str] = ()) -> dict[str, Any]:
        """Every written field of the dataclass ``model``, read from ``mapping`` as its type declares.

        A field without a default is required, unless named in ``relaxed``. What cannot be read is
        a problem and reads as None, or as the field's default when it has one.
        """
        values: dict[str, Any] = {}
        for written in written_fields(model):
            value = self._typed(mapping, (*key, written.key), written, written.required
                                and written.name not in relaxed)
            values[written.name] = written.default if value is None and not written.required else value
        return values

    def records(self, mapping: dict[str, Any], key: Key, model: type[DataclassInstance],
                about: Mapping[str, Any]) -> list[Any]:
        """The list at ``key`` of records of the dataclass ``model``; an item missing a required
        field is a problem and left out. ``about`` is the list field's metadata (:func:`written`)."""
        hint, bare, rule = about.get("hint"), about.get("bare"), about.get("rule")
        value = self._get(mapping, key)
        if value is None or value is INVALID:
            return []
        if bare and isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.report(key, f"expected a list, got {describe(value)}", hint)
            return []
        found = []
        for index, item in enumerate(value):
            item_key = (*key, index)
            if bare and isinstance(item, str) and item.strip():
                values = self._bare(item, item_key, model, bare)
            elif isinstance(item, dict):
                self.unknown_fields(item, item_key, yaml_keys(model))
                values = self.record(item, item_key, model)
            else:
                if item is not INVALID:
                    self.report(item_key, f"expected a mapping of fields, got {describe(item)}", hint)
                continue
            problem = rule(values) if rule is not None else None
            if problem is not None:
                self.report(item_key, *problem)
            if all(values[w.name] is not None for w in written_fields(model) if w.required):
                found.append(model(**values))
        return found

    def _bare(self, item: str, key: Key, model: type[DataclassInstance], bare: str) -> dict[str, Any]:
        """A record written as the text of its field ``bare`` alone; a problem with it is the item's."""
        values = {w.name: w.default for w in written_fields(model) if not w.required}
        written = next(w for w in written_fields(model) if w.name == bare)
        values[bare] = self._typed({str(key[-1]): item}, key, written, True)
        return values

    def choice(self, mapping: dict[str, Any], key: Key, kind: type[Choice], *, default: Choice,
               unreadable: Choice) -> Choice:
        """One of the values of the enum ``kind``, written in any case; ``unreadable`` if it is none."""
        value = self.text(mapping, key)
        if value is None:
            return default
        try:
            return kind(value.lower())
        except ValueError:
            choices = ", ".join(str(c.value) for c in kind)
            self.report(key, f"unknown {key[-1]} {value!r}", f"use one of: {choices}")
            return unreadable

    def _typed(self, mapping: dict[str, Any], key: Key, written: WrittenField, required: bool) -> Any:
        """The value at ``key`` read as ``written`` declares it (text, a day, yes/no, a choice, a list)."""
        kind, hint = _not_none(written.kind), written.about.get("hint")
        if kind is str:
            text = self.text(mapping, key, required=required, hint=hint)
            return self.checked_url(key, text) if written.about.get("url") else text
        if kind is dt.date:
            return self.date(mapping, key, required=required, **({"hint": hint} if hint else {}))
        if kind is bool:
            return self.boolean(mapping, key, default=written.default)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return self.choice(mapping, key, kind, default=written.default,
                               unreadable=written.about.get("unreadable", written.default))
        item = get_args(kind)[0] if get_origin(kind) is tuple else None
        if item is str:
            # A required list keeps an empty item, for the check of what it names to report.
            listed = self.text_list(mapping, key, required=required, hint=hint)
            return tuple(text for _, text in listed if text or required)
        if isinstance(item, type):
            return tuple(self.records(mapping, key, item, written.about))
        raise TypeError(f"no reader for {written.name}: {written.kind!r}")

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


def _not_none(kind: Any) -> Any:
    """``str | None`` -> ``str``: an optional field is read as its type, and None when absent."""
    if get_origin(kind) in (Union, types.UnionType):
        rest = [arg for arg in get_args(kind) if arg is not type(None)]
        return rest[0] if len(rest) == 1 else kind
    return kind
