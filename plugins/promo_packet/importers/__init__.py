"""Bring a company's existing ladder in: other formats -> our rubric YAML.

One small module per source format, each the same shape: read the text into located records,
build a :class:`~.draft.Draft` of our model, and record a problem with ``file:line`` for each
record it cannot place. :func:`import_rubric` detects the format from the content, runs the
importer and writes the draft with :mod:`.writer`; the written text is then read back with
:func:`promo_packet.model.rubric.parse_rubric`, so what it returns is exactly what a build will read.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..model.rubric import Ladder, parse_rubric
from ..reading.front_matter import split_front_matter
from . import ft, ladders, monzo, spreadsheet
from .draft import Draft
from .selection import Alternatives, choose_dimensions
from .writer import dump_rubric

FORMATS = ("csv", "tsv", "ft", "monzo", "ladders")
TRACKS = ft.TRACKS
MAX_BYTES = 20 * 1024 * 1024
"""A ladder is a few hundred behaviours; a file this large is not one."""

_READERS: dict[str, Callable[[str, str, str | None], Draft]] = {
    "csv": lambda text, source, _: spreadsheet.read(text, source, delimiter=","),
    "tsv": lambda text, source, _: spreadsheet.read(text, source, delimiter="\t"),
    "ft": lambda text, source, track: ft.read(text, source, track=track),
    "monzo": lambda text, source, _: monzo.read(text, source),
    "ladders": lambda text, source, _: ladders.read(text, source),
}
_LADDER_LEVEL = re.compile(r"^##\s+\S+\s+[-\u2013\u2014]\s+\S", re.MULTILINE)
_LADDER_AXIS = re.compile(r"^\s*[*+-]\s+\*\*[^*]+\*\*", re.MULTILINE)
_TOP_KEY = r"^{}\s*:"


@dataclass(frozen=True)
class Imported:
    """The outcome of an import: the rubric text and ladder, or the problems that stopped it."""

    format: str
    draft: Draft
    text: str | None = None
    ladder: Ladder | None = None
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> list[str]:
        """What was mapped, for a person to check against the source."""
        draft, ladder = self.draft, self.ladder
        if ladder is None:
            return []
        lines = [f"Read {draft.source} as {draft.form}.",
                 f"Levels, lowest first ({len(ladder.levels)}): "
                 + ", ".join(level.id if level.id == level.title else f"{level.id} ({level.title})"
                             for level in ladder.levels),
                 f"Dimensions ({len(ladder.dimensions)}):"]
        for dimension in ladder.dimensions:
            count = sum(len(behaviours) for behaviours in dimension.expectations.values())
            examples = (sum(len(texts) for texts in dimension.examples.values())
                        + sum(len(b.examples) for behaviours in dimension.expectations.values()
                              for b in behaviours))
            extra = f", {_count(examples, 'example')}" if examples else ""
            lines.append(f"  {dimension.id}: {dimension.name} ({_count(count, 'behaviour')}{extra})")
        examples = draft.examples()
        lines.append(f"Behaviours: {draft.behaviours()}"
                     + (f", with {_count(examples, 'example')} kept under 'examples'" if examples else ""))
        if ladder.behaviour_ids:
            lines.append(f"Each behaviour has an id for an entry's 'shows:', such as "
                         f"{ladder.behaviour_ids[0]}; promo rubric show lists them.")
        return lines + draft.notes


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def detect(text: str) -> str | None:
    """The format of ``text`` judged from its content, or ``None`` when it is none we read."""
    text = text.removeprefix("\ufeff")
    front = split_front_matter(text).front_matter
    if front is not None and re.search(_TOP_KEY.format("topics"), front, re.MULTILINE):
        return "monzo"
    if _LADDER_LEVEL.search(text) and _LADDER_AXIS.search(text):
        return "ladders"
    if all(re.search(_TOP_KEY.format(key), text, re.MULTILINE) for key in ("levels", "competencies")):
        return "ft"
    head = "\n".join(text.splitlines()[:20])
    if head.count("\t") > head.count(","):
        return "tsv"
    if "," in head:
        return "csv"
    return None


def decode(data: bytes) -> str | None:
    """Spreadsheet exports come as UTF-8 (with or without a BOM) or, as "Unicode text", UTF-16."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_draft(text: str, source: str, *, format: str, track: str | None = None) -> Draft:
    """``text`` read as ``format`` into a draft of the rubric, with its problems and notes."""
    draft = _READERS[format](text, source, track)
    if track is not None and format != "ft":
        draft.notes.append(f"--track {track}: only FT job families have parallel tracks; ignored")
    return draft


def _ladder_text(path: Path, source: str) -> tuple[str | None, Problem | None]:
    """The text of the ladder file, or the problem that stops it being read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block the read, or never end.
            return None, Problem(source, None, "is not a regular file")
        if info.st_size > MAX_BYTES:
            return None, Problem(source, None, f"is {info.st_size:,} bytes; a ladder is far smaller",
                                 hint="is this the right file?")
        text = decode(path.read_bytes())
    except OSError as exc:
        return None, Problem(source, None, f"cannot read it: {exc.strerror}")
    if text is None:
        return None, Problem(source, None, "is not UTF-8 text",
                             hint="export it again as 'CSV UTF-8' (or UTF-8 text)")
    return text, None


def import_rubric(path: Path, *, format: str | None = None, track: str | None = None,
                  shown: str | None = None, only: Sequence[str] = (), drop: Sequence[str] = (),
                  one_of: Sequence[Alternatives] = ()) -> Imported:
    """Read the ladder at ``path`` (``format`` detected when ``None``) as our rubric.

    ``shown`` is the name problems and comments give the file (default: ``path`` as given);
    ``only`` and ``drop`` choose the dimensions by id and ``one_of`` groups alternatives among
    those kept (:func:`.selection.choose_dimensions`).
    """
    source = shown or str(path)
    draft = Draft(source, "")
    text, problem = _ladder_text(path, source)
    if text is None:
        return Imported(format or "", draft, problems=[problem] if problem else [])
    found = format or detect(text)
    if found is None:
        return Imported("", draft, problems=[Problem(
            source, None, "cannot tell its format",
            hint=f"pass --format, one of: {', '.join(FORMATS)}")])
    draft = read_draft(text, source, format=found, track=track)
    if any(problem.is_error for problem in draft.problems):
        return Imported(found, draft, problems=draft.problems)
    if not draft.levels or not any(d.expectations for d in draft.dimensions):
        draft.problem(None, f"no levels with behaviours found in it, read as {found}",
                      hint=f"pass --format if it is another of: {', '.join(FORMATS)}")
        return Imported(found, draft, problems=draft.problems)
    empty = [d.name for d in draft.dimensions if not d.expectations]
    if empty:
        draft.notes.append(f"Left out, as no level lists a behaviour for them: {', '.join(empty)}.")
    draft.dimensions = [d for d in draft.dimensions if d.expectations]
    groups, chosen = choose_dimensions(draft, only=only, drop=drop, one_of=one_of)
    if chosen:
        return Imported(found, draft, problems=draft.problems + chosen)
    rubric = dump_rubric(draft) + groups
    # Read back as a build will; its problems locate lines of the text written, not of the source.
    ladder, problems = parse_rubric(rubric, f"{source} (as imported)")
    return Imported(found, draft, rubric if ladder else None, ladder, draft.problems + problems)


__all__ = ["FORMATS", "TRACKS", "Imported", "detect", "dump_rubric", "import_rubric", "read_draft"]
