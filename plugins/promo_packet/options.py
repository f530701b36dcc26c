"""The plugin's options, declared once: name, type, default, what it means, what a wrong value is told.

The MkDocs plugin's ``Config`` is made from :data:`OPTIONS` (plugin.py), and every host reads
them through :func:`read_options` (project.py): the plugin, the ``promo`` command and ``promo
gen`` see the same defaults and the same problems, each naming ``promo-packet.<option>``. An
option that fills a field of the settings (``into``) takes that field's default, and
:func:`settings_of` fills the field from it; the options reference is :func:`options_reference`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .model.audience import Audience
from .model.evidence import EVIDENCE_FOLDER
from .model.packet import REDACTABLE, SETTING_LIMITS, PacketSettings
from .model.settings import PAPER_SIZES, Options, PdfSettings
from .reading.config import PLUGIN_NAME
from .reading.fields import describe

PDF_VARIABLE = "PROMO_PDF"
OFFLINE_VARIABLE = "PROMO_OFFLINE"
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def _as_written(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Option:
    """One option of ``plugins: - promo-packet:`` in mkdocs.yml."""

    name: str
    kind: type | tuple[type, ...]
    what: str
    """What a value must be, as a problem says it: ``expected a whole number, got 'three'``."""
    description: str
    """What the option does, in one line of the options reference."""
    default: Any = None
    """As written in mkdocs.yml; left out, the default of the settings field it fills (``into``)."""
    env: str | None = None
    """A yes/no environment variable that turns the option away from its default whatever the
    file says (``PROMO_PDF=0`` skips the PDF), never back to it: a CI job or ``promo zip`` can
    ask for less, or for a build opened from disk, without editing mkdocs.yml."""
    choices: tuple[str, ...] = ()
    within: tuple[int, int] | None = None
    items: tuple[str, ...] = ()
    """For a list: the values its items may take."""
    item_form: re.Pattern[str] | None = None
    """For a list: the form each item must have, and what the hint shows of it."""
    into: type | None = None
    """The settings dataclass whose field the option fills (see :func:`settings_of`); None for
    the paths and the password, which the host reads against the packet's folder."""
    field: str = ""
    """The field of ``into`` it fills, when not named as the option is."""
    convert: Callable[[Any], Any] = _as_written
    """The checked value as written -> the field's value (``"Sponsor"`` -> ``Audience.SPONSOR``)."""

    def __post_init__(self) -> None:
        if self.into is not None and self.default is None:
            object.__setattr__(self, "default", _written(_field_default(self.into, self.setting)))

    @property
    def setting(self) -> str:
        return self.field or self.name


def _field_default(settings: type, name: str) -> Any:
    found = next(f for f in dataclasses.fields(settings) if f.name == name)
    if found.default_factory is not dataclasses.MISSING:
        return found.default_factory()
    return found.default


def _written(value: Any) -> Any:
    """A setting's default as mkdocs.yml would write it: ``Audience.SPONSOR`` is ``sponsor``."""
    if isinstance(value, enum.Enum):
        return value.value
    return list(value) if isinstance(value, tuple) else value


def level_id(value: object) -> str | None:
    """A level option as the id it names: a number as its text, surrounding spaces dropped."""
    return None if value is None else str(value).strip()


LEVEL_ID = (str, int, float)
"""A level id may be written as a number: ``target_level: 5`` is the level id ``5``, as in the rubric."""
PAGE_BUDGET_LIMITS = (1, 1000)
_TEXT = "text"
SCRIPT_HASH = re.compile(r"'?sha256-[A-Za-z0-9+/]{43}='?")
"""An inline script named by its hash, as a page policy's ``script-src`` names it."""
_YES_NO = "true or false"

OPTIONS: tuple[Option, ...] = (
    Option("evidence_dir", str, "a folder", "the evidence files, relative to `mkdocs.yml`; never inside "
           "`docs_dir` (nor `docs_dir` inside it): MkDocs would publish every entry as written",
           EVIDENCE_FOLDER),
    Option("rubric", str, "a file or folder", "the rubric: a YAML file, or a folder holding exactly one",
           "rubric"),
    Option("plan", str, "a file", "the promotion plan (a packet without one builds)", "plan.yml"),
    Option("allowed_signers", str, "a file", "the OpenSSH `allowed_signers` file of the keys trusted to sign "
           "quotes (`promo signers add` writes it); a signed quote whose key it does not list for that "
           "name is an error", "allowed_signers"),
    Option("person", str, _TEXT, "the name shown on the packet", into=PacketSettings),
    Option("current_level", LEVEL_ID, "a level id", "your level today (default: the level below the target)",
           into=PacketSettings, convert=level_id),
    Option("target_level", LEVEL_ID, "a level id", "the level you are going for (required)",
           into=PacketSettings, convert=level_id),
    Option("audience", str, "self, sponsor or committee", "who the build is for: `self` (private entries "
           "too, never published), `sponsor` or `committee`; the starter reads it from `PROMO_AUDIENCE`",
           choices=tuple(a.value for a in Audience), into=PacketSettings,
           convert=lambda value: Audience(value.lower())),
    Option("demonstrated_at", int, "a whole number", "proof entries (strong or supported) at or above "
           "the target level that make a dimension demonstrated",
           within=SETTING_LIMITS["demonstrated_at"], into=PacketSettings),
    Option("consistent_quarters", int, "a whole number of quarters", "distinct quarters of proof that "
           "make a behaviour shown consistently and a dimension demonstrated (1 judges on counts alone)",
           within=SETTING_LIMITS["consistent_quarters"], into=PacketSettings),
    Option("packet_size", int, "a whole number", "entries per dimension in the curated packet",
           within=SETTING_LIMITS["packet_size"], into=PacketSettings),
    Option("stale_weeks", int, "a whole number of weeks", "the longest stretch without an entry before "
           "lint gives a tip", within=SETTING_LIMITS["stale_weeks"], into=PacketSettings),
    Option("redact", list, "a list of field names", "fields shown as `[redacted]` in the committee build",
           items=REDACTABLE, into=PacketSettings, convert=lambda value: tuple(str(f) for f in value)),
    Option("review_cycle", (str, int), _TEXT, "shown on the PDF's cover, such as `H1 2027 calibration`",
           into=PacketSettings, convert=str),
    Option("sponsor", str, _TEXT, "shown on the PDF's cover: who presents the case", into=PacketSettings),
    Option("since", (str, dt.date), "a date (YYYY-MM-DD) or a git revision", "adds a page and a PDF "
           "section: what changed since that day, or since a git revision such as a tag",
           into=PacketSettings),
    Option("pdf", bool, _YES_NO, "write the PDF; `PROMO_PDF=0` skips it whatever the file says",
           env=PDF_VARIABLE, into=PdfSettings, field="enabled"),
    Option("pdf_name", str, "a file name", "the PDF's file name in the site folder: a plain name ending "
           "in `.pdf`", into=PdfSettings, field="name"),
    Option("paper", str, "a4 or letter", "the PDF's paper size", choices=PAPER_SIZES, into=PdfSettings,
           convert=str.lower),
    Option("page_budget", int, "a whole number of pages", "pages the summary and dimension sections "
           "may take; over it, the build warns", within=PAGE_BUDGET_LIMITS, into=PdfSettings),
    Option("pdf_on_serve", bool, _YES_NO, "also write the PDF under `mkdocs serve` (off, so live reload "
           "stays fast)", into=PdfSettings, field="on_serve"),
    Option("pdf_email", bool, _YES_NO, "in a password build, also write a PDF encrypted on its own, to "
           "attach to an email (weaker)", into=PdfSettings, field="email"),
    # Any scalar: the characters as written are read from the file (see project.password_text).
    Option("password", (str, int, float, bool, dt.date, dt.datetime), _TEXT, "encrypt the site, its "
           "search index and the PDF; set it with `!ENV PROMO_PASSWORD`, never in the file"),
    Option("cache", bool, _YES_NO, "keep rendered PDFs in `.cache/promo-packet/` beside `mkdocs.yml`, so an "
           "unchanged packet is not rendered again", into=Options),
    Option("drafts_dir", str, "a folder inside the evidence folder", "where imports write drafts of "
           "evidence", "drafts", into=Options),
    Option("set_aside_dir", str, "a folder beside the evidence folder", "where `promo drafts --set-aside` "
           "moves drafts you will not accept; imports skip their sources, and builds never read it",
           "drafts-set-aside", into=Options),
    Option("draft_keywords", dict, "a mapping of dimension ids to lists of words", "words that suggest "
           "a dimension for a draft, instead of its ladder's text: `{execution: [incident, outage]}`",
           into=Options,
           convert=lambda value: {str(key): tuple(words) for key, words in value.items()}),
    Option("offline", bool, _YES_NO, "build to be opened from disk (`file://`): `.html` links, search "
           "without a server; `PROMO_OFFLINE=1` turns it on whatever the file says", env=OFFLINE_VARIABLE,
           into=Options),
    Option("allowed_scripts", list, "a list of script hashes (sha256-...)", "inline scripts of your own "
           "docs pages that may run, each by the SHA-256 of its text as the browser reports it "
           "(`sha256-...`); any other inline script is blocked by the page policy",
           into=Options, item_form=SCRIPT_HASH,
           convert=lambda value: tuple(str(item).strip("'") for item in value)),
)
DEFAULTS: Mapping[str, Any] = {option.name: option.default for option in OPTIONS}


def settings_of(into: type, values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of the settings dataclass ``into`` that the options fill, from checked ``values``."""
    return {option.setting: option.convert(values[option.name]) for option in OPTIONS if option.into is into}


def options_reference() -> str:
    """The options reference as Markdown made from :data:`OPTIONS`: a section per option (so each
    has its own anchor and place in the page's table of contents), what it does, then what it
    takes, its default and its environment variable on one line."""
    sections = []
    for option in OPTIONS:
        facts = [f"**Takes** {_takes(option)}"]
        if default := _shown_default(option.default):
            facts.append(f"**default** {default}")
        if option.env:
            facts.append(f"**environment** `{option.env}`")
        what = option.description[:1].upper() + option.description[1:].rstrip(".") + "."
        sections.append(f"## `{option.name}`\n\n{what}\n\n{' · '.join(facts)}\n")
    return "\n".join(sections)


def _takes(option: Option) -> str:
    takes = option.what
    if option.within is not None:
        takes += f", from {option.within[0]} to {option.within[1]}"
    if option.items:
        takes += f": any of {', '.join(option.items)}"
    return takes


def _shown_default(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"`{str(value).lower()}`" if isinstance(value, bool) else f"`{value}`"


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
    return {option.name: _overridden(option, values[option.name]) for option in OPTIONS}, problems


def _overridden(option: Option, value: Any) -> Any:
    """``value``, unless the option's environment variable turns it away from its default."""
    said = os.environ.get(option.env, "").strip().lower() if option.env else ""
    turned = True if said in _YES else False if said in _NO else None
    return value if turned is None or turned == option.default else turned


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
    return _content_problem(option, value)


def _content_problem(option: Option, value: Any) -> tuple[str, str | None] | None:
    """What is wrong with what a mapping or a list holds; None if nothing is."""
    if isinstance(value, dict):
        bad = [key for key, words in value.items()
               if not isinstance(words, list) or not all(isinstance(w, str) for w in words)]
        if bad:
            return (f"expected a list of words for {describe(str(bad[0]))}, got {describe(value[bad[0]])}",
                    "write each dimension id with its words: {execution: [incident, outage]}")
    if option.item_form is not None:
        odd = [item for item in value if not isinstance(item, str) or not option.item_form.fullmatch(item)]
        if odd:
            return f"expected {option.what}, got {describe(odd[0])}", ("copy the hash the browser console "
                                                                       "reports for the blocked script")
    wrong = [item for item in value if str(item) not in option.items] if option.items else []
    if wrong:
        # The list's name is a verb: `redact: [salary]` is told "cannot redact 'salary'".
        return f"cannot {option.name} {describe(wrong[0])}", f"use any of {', '.join(option.items)}"
    return None


def _kinds(option: Option) -> tuple[type, ...]:
    return option.kind if isinstance(option.kind, tuple) else (option.kind,)
