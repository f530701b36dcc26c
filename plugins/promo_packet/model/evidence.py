"""Evidence: one Markdown file per win, with YAML front matter.

Format version 1 (the manual's evidence page documents every field)::

    ---
    title: Cut nightly settlement from 3 h to 40 min      # required
    date: 2026-02-12                                      # required, YYYY-MM-DD
    dimensions: [execution, scope]                        # required, rubric dimension ids
    level: staff                  # optional, default: the packet's target level
    outcome: Finance closes the day before 7am instead of 10am.
    metrics: [{name: Batch duration, before: 3 h, after: 40 min}]
    corroboration: [{name: Dana W., role: Finance lead, quote: "...", date: ..., link: ...}]
                    # a quote may carry signature: | (the armoured SSH signature, a block scalar)
    links: [https://..., {title: Design doc, url: https://...}]
    tags: [performance]
    highlight: true
    visibility: committee         # private | sponsor | committee (default)
    criteria: [cross-team-scope]  # optional: the plan's agreed criteria it shows
    shows: [owns-outcomes, scope.staff.2]   # optional: rubric behaviour ids it shows
    lint-ignore: [outcome-unquantified]   # silence lint rules for this entry
    draft: true                   # proposed by an importer: not evidence until accepted
    source: https://...           # where a draft came from (a URL or a stable id)
    ---
    The narrative: situation, what you did, result.

Evidence files are the person's data: this module only ever reads them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import Problem, Severity
from ..reading.fields import NOT_WRITTEN, FieldReader, written, yaml_keys
from ..reading.folders import bounds, shown_path, walk
from ..reading.front_matter import split_front_matter
from ..reading.ids import slug_of
from ..reading.located_yaml import field_name, parse_yaml
from .privacy import private_note_problems
from .privacy import strip_private_notes as strip_private_notes

MARKDOWN_SUFFIXES = (".md", ".markdown")
EVIDENCE_FOLDER = "evidence"
"""The evidence folder's name by default, and the folder of the site its entries are published in
(``evidence/<slug>/``) whatever the evidence folder is called."""


class Visibility(str, enum.Enum):
    """Who may see an entry: ``private`` (only you), ``sponsor``, or ``committee`` (everyone)."""

    PRIVATE = "private"
    SPONSOR = "sponsor"
    COMMITTEE = "committee"


@dataclass(frozen=True)
class Metric:
    name: str = field(metadata=written(hint="name what was measured"))
    before: str | None = None
    after: str | None = None


def _before_or_after(metric: Mapping[str, Any]) -> tuple[str, str] | None:
    if metric["before"] is None and metric["after"] is None:
        return "a metric needs a before or an after value", "e.g. before: 3 h, after: 40 min"
    return None


def _quoted_or_approval(item: Mapping[str, Any]) -> tuple[str, str] | None:
    if item["quote"] is None and not item["approval"]:
        return "needs a quote (only an approval goes without one)", "paste what they said or wrote"
    return None


SHORT_FINGERPRINT = len("SHA256:") + 12
"""How much of a key's fingerprint a verified mark shows."""


@dataclass(frozen=True)
class SignatureCheck:
    """What checking a quote's signature found (never read from a file: the build decides it)."""

    verified: bool
    message: str
    fingerprint: str | None = None
    """The signing key's ``SHA256:...`` fingerprint, when the signature could be read."""
    date: dt.date | None = None
    """The date of the signed statement (the entry's date)."""

    @property
    def short_fingerprint(self) -> str:
        """The fingerprint's first characters: enough to tell keys apart, short enough to print."""
        return (self.fingerprint or "")[:SHORT_FINGERPRINT]


@dataclass(frozen=True)
class Corroboration:
    """A colleague's words vouching for an entry."""

    quote: str | None = None
    """What they said or wrote; only an approval goes without one."""
    name: str | None = None
    role: str | None = None
    date: dt.date | None = None
    link: str | None = field(default=None, metadata=written(url=True))
    signature: str | None = None
    """The quoted person's SSH signature of the entry's statement (``-----BEGIN SSH SIGNATURE-----``)."""
    approval: bool = False
    """An approving review of the work (imported): a linked record, not a quote."""
    check: SignatureCheck | None = field(default=None, compare=False, metadata=NOT_WRITTEN)
    """Set by the build: whether ``signature`` holds for the entry as it is now."""

    @property
    def verified(self) -> bool:
        return self.check is not None and self.check.verified


@dataclass(frozen=True)
class Link:
    url: str = field(metadata=written(url=True))
    title: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, eq=False)
class Evidence:
    """One win, validated; ``lines`` maps field names to their line in the file."""

    slug: str = field(metadata=NOT_WRITTEN)
    path: str = field(metadata=NOT_WRITTEN)
    title: str = field(metadata=written(hint="say what was done, in a few words"))
    date: dt.date = field(metadata=written(hint="write the day it landed as YYYY-MM-DD"))
    dimensions: tuple[str, ...] = field(metadata=written(hint="list the rubric dimension ids this win "
                                                                "demonstrates"))
    body: str = field(default="", metadata=NOT_WRITTEN)
    level: str | None = None
    outcome: str | None = None
    metrics: tuple[Metric, ...] = field(default=(), metadata=written(
        hint="each metric is {name, before, after}", rule=_before_or_after))
    corroboration: tuple[Corroboration, ...] = field(default=(), metadata=written(
        hint="each item is {name, role, quote}", rule=_quoted_or_approval))
    links: tuple[Link, ...] = field(default=(), metadata=written(hint="each link is a URL or {title, url}",
                                                                 bare="url"))
    tags: tuple[str, ...] = ()
    highlight: bool = False
    # Fail closed: a visibility that cannot be read must never widen who sees the entry.
    visibility: Visibility = field(default=Visibility.COMMITTEE,
                                   metadata=written(unreadable=Visibility.PRIVATE))
    lint_ignore: tuple[str, ...] = field(default=(), metadata=written("lint-ignore"))
    criteria: tuple[str, ...] = ()
    """Ids of the plan's agreed criteria this entry is evidence for."""
    shows: tuple[str, ...] = ()
    """Ids of the rubric's behaviours this entry shows, each of a dimension in ``dimensions``."""
    draft: bool = False
    """Proposed by an importer and not accepted yet: no dimension or outcome needed, and never
    in a packet (only the author's own build lists it, on its Drafts page)."""
    source: str | None = None
    """Where the work happened: the URL of a pull request or ticket, or a stable id."""
    redacted: frozenset[str] = field(default=frozenset(), metadata=NOT_WRITTEN)
    """Fields replaced by a marker for this build's audience (never set when parsing)."""
    extra: Mapping[str, Any] = field(default_factory=dict, metadata=NOT_WRITTEN)
    lines: Mapping[str, int] = field(default_factory=dict, metadata=NOT_WRITTEN)
    body_line: int = field(default=1, metadata=NOT_WRITTEN)
    """The line of the file on which ``body`` starts."""

    def line(self, name: str) -> int | None:
        """The line on which front-matter field ``name`` (e.g. ``dimensions[1]``) was written."""
        return self.lines.get(name) or self.lines.get(name.split("[")[0])

    @cached_property  # read by every ranking and every listing line
    def names(self) -> tuple[str, ...]:
        """Names of the people who corroborate the entry, in the order written."""
        return tuple(c.name for c in self.corroboration if c.name)

    @cached_property  # read by the card, the summaries and the listings
    def verified_quotes(self) -> int:
        """How many of the entry's quotes carry a signature the build verified."""
        return sum(1 for c in self.corroboration if c.verified)

    @cached_property
    def quotes(self) -> int:
        """How many quotes the entry carries (an imported approval is a record, not a quote)."""
        return sum(1 for c in self.corroboration if not c.approval)


KNOWN_FIELDS = yaml_keys(Evidence)
"""The front-matter fields of an evidence file."""


def slug_for(file: Path) -> str:
    """The URL slug of an evidence file: its name without suffix (see :func:`ids.slug_of`)."""
    return slug_of(file.stem) or "entry"


def parse_evidence(text: str, path: str, slug: str) -> tuple[Evidence | None, list[Problem]]:
    """Validate one evidence file's text; returns the entry (None on errors) and every problem."""
    problems: list[Problem] = []
    if not text.strip():
        problems.append(Problem(path, 1, "the file is empty",
                                hint="start it with front matter: ---, title:, date:, dimensions:, ---"))
        return None, problems
    source = split_front_matter(text)
    if source.front_matter is None:
        problems.append(Problem(path, 1, "no front matter",
                                hint="start the file with a '---' line, the fields, and a closing '---'"))
        return None, problems
    doc, problems = parse_yaml(source.front_matter, path, first_line=source.front_matter_line)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        problems.append(Problem(path, source.front_matter_line,
                                "front matter must be fields (title:, date:, dimensions:, ...)"))
        return None, problems
    read = FieldReader(doc, path, problems)
    data: dict[str, Any] = doc.data
    unknown = read.unknown_fields(data, (), KNOWN_FIELDS)
    # A draft is what a source said: choosing its dimensions is what accepting it means.
    values = read.record(data, (), Evidence, relaxed=("dimensions",) if data.get("draft") is True else ())
    problems.extend(private_note_problems(source.body, path, source.body_line))
    if any(problem.is_error for problem in problems) or values["title"] is None or values["date"] is None:
        return None, problems
    lines = {field_name(*key): line for key, line in doc.lines.items() if key}
    entry = Evidence(slug=slug, path=path, body=source.body, extra={name: data[name] for name in unknown},
                     lines=lines, body_line=source.body_line, **values)
    return entry, problems


def parse_evidence_bytes(raw: bytes, shown: str, slug: str) -> tuple[Evidence | None, list[Problem]]:
    """:func:`parse_evidence` of a file's bytes, which must be UTF-8 text."""
    if b"\0" in raw:
        return None, [Problem(shown, None, "not a text file (it contains binary data)",
                              hint="evidence files are Markdown; move other files out of the folder")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "not valid UTF-8 text", hint="save the file as UTF-8")]
    return parse_evidence(text, shown, slug)


@dataclass
class EvidenceSet:
    """Every entry read from an evidence folder, and every problem met reading it."""

    entries: list[Evidence]
    problems: list[Problem]
    files: int = 0
    parsed: int = 0
    """How many of the files were parsed; the others were unchanged since the loader's last load."""


class EvidenceLoader:
    """Loads an evidence folder, re-reading only files that changed since the last load.

    ``mkdocs serve`` rebuilds on every save; keeping one loader across rebuilds
    turns a rebuild's evidence stage into one ``stat`` per file plus one parse
    per changed file. ``parses`` counts the files actually parsed.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], Evidence | None, list[Problem]]] = {}
        self.parses = 0

    def load(self, folder: Path, root: Path | None = None) -> EvidenceSet:
        entries: list[Evidence] = []
        problems: list[Problem] = []
        seen: set[Path] = set()
        # From the file names, so a clash shows even while one of the files has errors.
        slugs: list[tuple[str, str]] = []
        files = 0
        parses = self.parses
        # Resolved once: resolving each file's path costs more than parsing its YAML.
        base = shown_path(folder, root)
        inside = bounds(root, folder)
        for file, relative in walk(folder, base, inside, problems, MARKDOWN_SUFFIXES):
            shown = relative if base == "." else f"{base}/{relative}"
            if file.suffix.lower() not in MARKDOWN_SUFFIXES:
                problems.append(Problem(shown, None, "ignored: not a Markdown file", severity=Severity.NOTE))
                continue
            files += 1
            seen.add(file)
            slugs.append((slug_for(file), shown))
            entry, found = self._read(file, shown)
            problems.extend(found)
            if entry is not None:
                entries.append(entry)
        for gone in set(self._cache) - seen:
            del self._cache[gone]
        problems.extend(duplicate_slugs(slugs))
        return EvidenceSet(entries=entries, problems=problems, files=files, parsed=self.parses - parses)

    def _read(self, file: Path, shown: str) -> tuple[Evidence | None, list[Problem]]:
        try:
            stat = file.stat()
        except OSError as exc:
            return None, [Problem(shown, None, f"cannot read the file: {exc.strerror}")]
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(file)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        try:
            raw = file.read_bytes()
        except OSError as exc:
            return None, [Problem(shown, None, f"cannot read the file: {exc.strerror}")]
        self.parses += 1
        found = parse_evidence_bytes(raw, shown, slug_for(file))
        self._cache[file] = (stamp, *found)
        return found


def duplicate_slugs(files: Iterable[tuple[str, str]]) -> list[Problem]:
    """Two files (``(slug, path)`` pairs) whose names give the same URL: one would hide the other."""
    by_slug: dict[str, list[str]] = {}
    for slug, path in files:
        by_slug.setdefault(slug, []).append(path)
    problems = []
    for slug, group in by_slug.items():
        if len(group) > 1:
            others = ", ".join(group)
            for path in group:
                problems.append(Problem(path, None, f"duplicate slug {slug!r}: {others} "
                                        f"would all be published at /{EVIDENCE_FOLDER}/{slug}/",
                                        hint="rename one of the files"))
    return problems


def load_evidence(folder: Path, root: Path | None = None) -> EvidenceSet:
    """Read every evidence file under ``folder`` once."""
    return EvidenceLoader().load(folder, root)
