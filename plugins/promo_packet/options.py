"""The plugin's options, declared once: name, type, default, what a wrong value is told.

The MkDocs plugin's ``Config`` is made from :data:`OPTIONS` (plugin.py), and every host reads
them through :func:`read_options` (project.py): the plugin, the ``promo`` command and ``promo
gen`` see the same defaults and the same problems, each naming ``promo-packet.<option>``.
Defaults of settings the packet or the PDF use are those of their dataclasses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .model.packet import REDACTABLE, SETTING_LIMITS, Audience, PacketSettings
from .model.settings import PAPER_SIZES, PdfSettings
from .reading.config import PLUGIN_NAME
from .reading.fields import describe


def _default(settings: type[Any], name: str) -> Any:
    found = next(f for f in dataclasses.fields(settings) if f.name == name)
    return found.default


@dataclass(frozen=True)
class Option:
    """One option of ``plugins: - promo-packet:`` in mkdocs.yml."""

    name: str
    kind: type | tuple[type, ...]
    what: str
    """What a value must be, as a problem says it: ``expected a whole number, got 'three'``."""
    default: Any = None
    choices: tuple[str, ...] = ()
    within: tuple[int, int] | None = None
    items: tuple[str, ...] = ()
    """For a list: the values its items may take."""


LEVEL_ID = (str, int, float)
"""A level id may be written as a number: ``target_level: 5`` is the level id ``5``, as in the rubric."""
PAGE_BUDGET_LIMITS = (1, 1000)

OPTIONS: tuple[Option, ...] = (
    Option("evidence_dir", str, "a folder", "evidence"),
    Option("rubric", str, "a file or folder", "rubric"),
    Option("plan", str, "a file", "plan.yml"),
    Option("person", str, "text", _default(PacketSettings, "person")),
    Option("current_level", LEVEL_ID, "a level id"),
    Option("target_level", LEVEL_ID, "a level id"),
    Option("audience", str, "self, sponsor or committee", _default(PacketSettings, "audience").value,
           choices=tuple(a.value for a in Audience)),
    Option("demonstrated_at", int, "a whole number", _default(PacketSettings, "demonstrated_at"),
           within=SETTING_LIMITS["demonstrated_at"]),
    Option("consistent_quarters", int, "a whole number of quarters",
           _default(PacketSettings, "consistent_quarters"), within=SETTING_LIMITS["consistent_quarters"]),
    Option("packet_size", int, "a whole number", _default(PacketSettings, "packet_size"),
           within=SETTING_LIMITS["packet_size"]),
    Option("stale_weeks", int, "a whole number of weeks", _default(PacketSettings, "stale_weeks"),
           within=SETTING_LIMITS["stale_weeks"]),
    Option("redact", list, "a list of field names", [], items=REDACTABLE),
    Option("review_cycle", (str, int), "text", _default(PacketSettings, "review_cycle")),
    Option("sponsor", str, "text", _default(PacketSettings, "sponsor")),
    Option("since", (str, dt.date), "a date (YYYY-MM-DD) or a git revision"),
    Option("pdf", bool, "true or false", _default(PdfSettings, "enabled")),
    Option("pdf_name", str, "a file name", _default(PdfSettings, "name")),
    Option("paper", str, "a4 or letter", _default(PdfSettings, "paper"), choices=PAPER_SIZES),
    Option("page_budget", int, "a whole number of pages", _default(PdfSettings, "page_budget"),
           within=PAGE_BUDGET_LIMITS),
    Option("pdf_on_serve", bool, "true or false", _default(PdfSettings, "on_serve")),
    Option("pdf_email", bool, "true or false", _default(PdfSettings, "email")),
    # Any scalar: the characters as written are read from the file (see project.password_text).
    Option("password", (str, int, float, bool, dt.date, dt.datetime), "text"),
    Option("cache", bool, "true or false", True),
    Option("drafts_dir", str, "a folder inside the evidence folder", "drafts"),
    Option("draft_keywords", dict, "a mapping of dimension ids to lists of words", {}),
    Option("offline", bool, "true or false", False),
)
DEFAULTS: Mapping[str, Any] = {option.name: option.default for option in OPTIONS}


def read_options(given: Mapping[str, Any], source: str) -> tuple[dict[str, Any], list[Problem]]:
    """Every option's value, checked: a wrong one is a problem and reads as its default.

    Unknown options are problems too (a misspelt ``target_levle`` would otherwise be ignored).
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for option in OPTIONS:
        value = given.get(option.name)
        found = None if value is None else _problem(option, value)
        if found is not None:
            message, hint = found
            problems.append(Problem(source, None, message, field=f"{PLUGIN_NAME}.{option.name}", hint=hint))
        values[option.name] = option.default if value is None or found is not None else value
    for name in sorted(set(given) - set(DEFAULTS)):
        problems.append(Problem(source, None, "unknown option", field=f"{PLUGIN_NAME}.{name}",
                                hint=f"the options are {', '.join(DEFAULTS)}"))
    return values, problems


def _problem(option: Option, given: object) -> tuple[str, str | None] | None:
    """What is wrong with ``given``, and a hint; None if nothing is."""
    bool_mismatch = isinstance(given, bool) and option.kind is not bool and bool not in _kinds(option)
    if not isinstance(given, option.kind) or bool_mismatch:
        return f"expected {option.what}, got {describe(given)}", None
    value: Any = given
    if isinstance(value, str) and "\0" in value:
        return "holds a NUL character (\\0)", "remove it"
    if option.within is not None and not option.within[0] <= value <= option.within[1]:
        return f"must be from {option.within[0]} to {option.within[1]}, got {value}", None
    if option.choices and str(value).lower() not in option.choices:
        return f"unknown {option.name} {value!r}", f"use {' or '.join(option.choices)}"
    if isinstance(value, dict):
        bad = [key for key, words in value.items()
               if not isinstance(words, list) or not all(isinstance(w, str) for w in words)]
        if bad:
            return (f"expected a list of words for {describe(str(bad[0]))}, got {describe(value[bad[0]])}",
                    "write each dimension id with its words: {execution: [incident, outage]}")
    wrong = [item for item in value if str(item) not in option.items] if option.items else []
    if wrong:
        # The list's name is a verb: `redact: [salary]` is told "cannot redact 'salary'".
        return f"cannot {option.name} {describe(wrong[0])}", f"use any of {', '.join(option.items)}"
    return None


def _kinds(option: Option) -> tuple[type, ...]:
    return option.kind if isinstance(option.kind, tuple) else (option.kind,)
