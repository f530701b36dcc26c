"""Typed reads of located YAML: each misfit a problem on its line, every read a usable value.

What a file writes is declared by the dataclass it fills (:func:`yaml_keys`), so a reader of
a document and anything that writes one agree on the keys without a second list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..errors import Problem, Severity, quoted
from .ids import ID_HINT, id_problem, slug_of
from .located_yaml import INVALID, Key, LocatedYaml, field_name
from .urls import URL_HINT, url_problem

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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



EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""Dates outside these are typing slips, and date arithmetic near year 9999 overflows."""
DATE_RANGE_HINT = f"write a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
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
