"""Drafts of evidence, proposed from where the work happened (git, pull requests, tickets).

An importer turns its source into :class:`Draft` records; :func:`write_drafts` writes each as an
evidence file with ``draft: true`` and a ``source:`` (the URL or a stable id) under the drafts
folder. A source already present anywhere in the evidence folder, accepted or not, is skipped,
and no file is ever overwritten or deleted here: re-running an import adds only what is new.
A draft never invents an outcome or a number: it holds what the source says, and the person
turns it into evidence by writing the outcome and choosing the dimensions.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, RequestError, errors_in
from ..model.evidence import (
    MARKDOWN_SUFFIXES,
    Evidence,
    load_evidence,
    parse_evidence,
    parse_evidence_bytes,
    slug_for,
)
from ..model.rubric import Ladder
from ..reading.folders import bounds, read_named_text, walk
from ..reading.front_matter import split_front_matter
from ..reading.ids import id_hint, slug_of
from ..reading.located_yaml import INVALID, parse_yaml
from ..reading.yaml_writer import comment, flow_list, front_matter_reading, scalar, storable, write_checked

DRAFTS_DIR = "drafts"
"""Where drafts go, inside the evidence folder."""


@dataclass(frozen=True)
class Approval:
    """An approving review: who approved, where the review is, and when."""

    name: str
    link: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Draft:
    """What a source says about one piece of work: never an outcome, never a number."""

    title: str
    date: dt.date
    source: str
    """The URL of the pull request, commit or ticket, or a stable id (``git:<repo>@<sha>``)."""
    links: tuple[tuple[str, str], ...] = ()
    """(title, url) pairs worth keeping: the pull request, the ticket."""
    notes: tuple[str, ...] = ()
    """Lines for the body: the repository, the files changed, the ticket's summary; Markdown, each
    value from the source escaped by :func:`~promo_packet.render.pages.text`."""
    suggested: tuple[str, ...] = ()
    """Dimension ids suggested for it; written as a suggestion, not as ``dimensions``."""
    shows: tuple[str, ...] = ()
    """Behaviour ids suggested for it; written as a suggestion, not as ``shows``."""
    approvals: tuple[Approval, ...] = ()
    """Who approved the work where it was reviewed: written as corroboration marked ``approval``."""
    trivial: str = ""
    """Why the change is too small to be evidence (a typo fix, a release), or ``""``: an import
    writes a trivial draft only when asked to."""


def existing_sources(evidence_dir: Path, root: Path | None = None) -> set[str]:
    """The ``source:`` in the front matter of every file in the evidence folder, drafts and
    accepted entries alike.

    Read as a build reads the folder (the guarded walk, YAML within its budget), so a named pipe,
    a device or a link out of the packet is never opened, and text in a body is never a source.
    What cannot be read has no source here; ``promo check`` reports it.
    """
    found: set[str] = set()
    if not evidence_dir.is_dir():
        return found
    skipped: list[Problem] = []
    for path, relative in walk(evidence_dir, evidence_dir.name, bounds(root, evidence_dir), skipped,
                               MARKDOWN_SUFFIXES):
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        source = _front_matter_source(path, relative)
        if source is not None:
            found.add(source)
    return found


def _front_matter_source(path: Path, shown: str) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    front = split_front_matter(raw.decode("utf-8", errors="replace")).front_matter
    if front is None or "source" not in front:
        return None
    located, _ = parse_yaml(front, shown, first_line=2)
    data = located.data if located is not None else None
    source = data.get("source") if isinstance(data, dict) else None
    return None if source is None or source is INVALID or isinstance(source, (dict, list)) else str(source)


def render(draft: Draft) -> str:
    """The evidence file of a draft: front matter a person completes, then what the source said."""
    lines = ["---", f"title: {scalar(draft.title)}", f"date: {draft.date.isoformat()}",
             "dimensions: []" + _suggested(draft.suggested)]
    if draft.shows:
        lines.append("shows: []" + _suggested(draft.shows))
    lines += ["draft: true", f"source: {scalar(draft.source)}"]
    if draft.links:
        lines.append("links:")
        lines += [f"  - {{title: {scalar(title)}, url: {scalar(url)}}}" for title, url in draft.links]
    if draft.approvals:
        lines.append("corroboration:")
        lines += [f"  - {{name: {scalar(a.name)}, approval: true, link: {scalar(a.link)}"
                  + (f", date: {a.date.isoformat()}}}" if a.date else "}") for a in draft.approvals]
    # A note is a line the importer wrote, its values escaped there: a line break in one could
    # still start a block (a heading, HTML) of its own.
    lines += ["# outcome: what changed because of this, with a number if there is one", "---", "",
              *(" ".join(storable(note).split()) for note in draft.notes), ""]
    return "\n".join(lines)


SUGGESTED = "suggested: "
"""How a suggestion's comment starts: ``dimensions: []   # suggested: scope``."""


def _suggested(ids: Sequence[str]) -> str:
    return f"   {comment(SUGGESTED + ', '.join(ids))}" if ids else ""


@dataclass
class Written:
    """What :func:`write_drafts` did: the files it wrote, the drafts it skipped as known (in the
    evidence folder) and those it skipped as set aside."""

    files: list[Path] = field(default_factory=list)
    known: int = 0
    set_aside: int = 0


def write_drafts(drafts: Iterable[Draft], evidence_dir: Path, folder: str = DRAFTS_DIR,
                 root: Path | None = None, set_aside_dir: Path | None = None) -> Written:
    """Write each draft whose source is new as ``<evidence>/<folder>/<date>-<slug>.md``; a file
    name already taken gets ``-2``, ``-3``...; nothing is overwritten. A source in the evidence
    folder or in the ``set_aside_dir`` folder is not new.

    The folder is listed once and each name's next number remembered, so many drafts with one
    date and title cost one file each, not one look per earlier namesake.
    """
    known = existing_sources(evidence_dir, root)
    aside = existing_sources(set_aside_dir, root) - known if set_aside_dir is not None else set()
    target = evidence_dir / folder
    written = Written()
    taken: set[str] | None = None
    next_number: dict[str, int] = {}
    for draft in drafts:
        if draft.source in aside:
            written.set_aside += 1
            continue
        if draft.source in known:
            written.known += 1
            continue
        known.add(draft.source)
        if taken is None:
            target.mkdir(parents=True, exist_ok=True)
            taken = {entry.name for entry in os.scandir(target)}
        stem = f"{draft.date.isoformat()}-{slug_of(draft.title, 50) or 'draft'}"
        while True:
            path = _claim_name(target, stem, taken, next_number)
            try:
                path.open("x", encoding="utf-8").close()  # never over a file that appeared meanwhile
            except FileExistsError:
                continue
            break
        try:
            meant = front_matter_reading(path, draft=True, source=storable(draft.source))
            write_checked(path, render(draft), meant)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        written.files.append(path)
    return written


def _claim_name(target: Path, stem: str, taken: set[str], next_number: dict[str, int]) -> Path:
    n = next_number.get(stem, 1)
    name = f"{stem}.md" if n == 1 else f"{stem}-{n}.md"
    while name in taken:
        n += 1
        name = f"{stem}-{n}.md"
    taken.add(name)
    next_number[stem] = n + 1
    return target / name


def find_drafts(evidence_dir: Path, root: Path | None = None) -> list[Evidence]:
    """Every draft in the evidence folder (``draft: true``, wherever it is), newest first."""
    found = [entry for entry in load_evidence(evidence_dir, root).entries if entry.draft]
    return sorted(found, key=lambda entry: (entry.date, entry.path), reverse=True)


def _drafts_under(evidence_dir: Path, folder: str) -> Iterator[tuple[Path, bytes, Evidence]]:
    """Each draft (``draft: true``) under the drafts folder, read through the guarded walk; a
    link is never followed, so a move or a deletion only ever touches the drafts folder."""
    drafts = evidence_dir / folder
    found = walk(drafts, drafts.name, bounds(evidence_dir), [], MARKDOWN_SUFFIXES) if drafts.is_dir() else ()
    for path, _ in found:
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or path.is_symlink():
            continue
        raw = path.read_bytes()
        entry, _ = parse_evidence_bytes(raw, str(path), slug_for(path))
        if entry is not None and entry.draft:
            yield path, raw, entry


def prune(evidence_dir: Path, before: dt.date, folder: str = DRAFTS_DIR) -> list[Path]:
    """Delete the drafts under the drafts folder dated before ``before``; the files deleted.

    Only a file that parses as a draft (``draft: true``) is deleted: an accepted entry left in
    the folder, or one that cannot be read, stays.
    """
    deleted = []
    for path, _, entry in list(_drafts_under(evidence_dir, folder)):
        if entry.date < before:
            path.unlink()
            deleted.append(path)
    return deleted


def matches(entry: Evidence, path: Path, pattern: str) -> bool:
    """Whether the draft ``entry`` at ``path`` answers to ``pattern``, case aside: a pattern with
    ``*``, ``?`` or ``[`` matches the whole title or file name, any other is found in the title."""
    pattern, title = pattern.lower(), entry.title.lower()
    if any(mark in pattern for mark in "*?["):
        return fnmatch.fnmatchcase(title, pattern) or fnmatch.fnmatchcase(path.name.lower(), pattern)
    return pattern in title


def set_aside(evidence_dir: Path, target: Path, *, pattern: str | None = None,
              before: dt.date | None = None, folder: str = DRAFTS_DIR) -> list[tuple[Path, Path]]:
    """Move the drafts under the drafts folder that match ``pattern`` (see :func:`matches`) and
    are dated before ``before`` (each when given) into ``target``; ``(from, to)`` of each.

    The file moves as it is, its ``source:`` with it: an import that is given ``target`` skips
    that source from then on. A name taken in ``target`` gets ``-2``, ``-3``...; nothing is
    overwritten.
    """
    moved = []
    for path, raw, entry in list(_drafts_under(evidence_dir, folder)):
        if (pattern is not None and not matches(entry, path, pattern)) or (
                before is not None and entry.date >= before):
            continue
        destination = _claim(target, path.stem, path.suffix)
        try:
            destination.write_bytes(raw)
        except BaseException:
            destination.unlink(missing_ok=True)
            raise
        path.unlink()
        moved.append((path, destination))
    return moved


@dataclass(frozen=True)
class Accepted:
    """What :func:`accept` wrote: the new file, the dimensions and behaviours it holds, and which
    of those came from an import's suggestions (for the person to check)."""

    path: Path
    dimensions: tuple[str, ...]
    shows: tuple[str, ...] = ()
    suggested: tuple[str, ...] = ()


def accept(path: Path, evidence_dir: Path, dimensions: Sequence[str], ladder: Ladder,
           folder: str = DRAFTS_DIR) -> Accepted:
    """Turn the draft at ``path`` into evidence: its ``draft: true`` line removed, ``dimensions``
    set, the comments of what was suggested removed, every other line kept as written; out of
    the drafts folder into the evidence folder.

    Without ``dimensions``, those the draft holds, else those the import suggested, are taken.
    An empty ``shows:`` takes the suggested behaviours of the dimensions set. Returns what was
    written; never writes over a file (a name taken gets ``-2``, ``-3``...). Raises
    :class:`RequestError`, with nothing written, for an unknown dimension or a file that is not
    a draft.
    """
    for dimension in dimensions:
        if ladder.dimension(dimension) is None:
            raise RequestError(f"unknown dimension {dimension!r}",
                               hint=id_hint(dimension, ladder.dimension_ids))
    text, problem = read_named_text(path, str(path))
    if text is None:
        raise RequestError(problem or Problem(str(path), None, "not found"))
    entry, problems = parse_evidence(text, str(path), slug_for(path))
    if entry is None:
        raise RequestError(errors_in(problems) or Problem(str(path), None, "cannot be read as evidence",
                                                          hint="it has no front matter"))
    if not entry.draft:
        raise RequestError(Problem(str(path), None, "is not a draft (no 'draft: true')",
                                   hint="it is evidence already"))
    chosen = _chosen(text, entry, tuple(dimensions), ladder)
    accepted = _accepted_text(text, entry, chosen.dimensions, chosen.shows if not entry.shows else None)
    drafts = (evidence_dir / folder).resolve()
    target_dir = evidence_dir if path.resolve().parent.is_relative_to(drafts) else path.parent
    target = _claim(target_dir, path.stem, path.suffix)
    meant: dict[str, object] = {"dimensions": list(chosen.dimensions), "draft": None}
    if chosen.shows and not entry.shows:
        meant["shows"] = list(chosen.shows)
    try:
        write_checked(target, accepted, front_matter_reading(target, **meant))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    path.unlink()
    return Accepted(target, chosen.dimensions, chosen.shows, chosen.suggested)


def _chosen(text: str, entry: Evidence, given: tuple[str, ...], ladder: Ladder) -> Accepted:
    """The dimensions and behaviours an accepted draft holds (its path aside): those given, else
    those written, else the suggested ones the ladder knows; behaviours only when none are
    written, the suggested ones of the chosen dimensions."""
    lines = text.splitlines()
    suggested_dimensions = [ident for ident in _suggestion(lines, entry.line("dimensions"))
                            if ladder.dimension(ident) is not None]
    dimensions = given or entry.dimensions or tuple(suggested_dimensions)
    from_suggestion = [] if given or entry.dimensions else list(dimensions)
    shows = entry.shows
    if not shows:
        places = ((ident, ladder.behaviour_place(ident)) for ident in _suggestion(lines, entry.line("shows")))
        shows = tuple(ident for ident, place in places if place is not None and place[0].id in dimensions)
        from_suggestion += shows
    return Accepted(Path(), dimensions, shows, tuple(from_suggestion))


def _suggestion(lines: Sequence[str], number: int | None) -> list[str]:
    """The ids of the suggestion's comment on line ``number`` (``# suggested: a, b``), if any."""
    if not number or number > len(lines):
        return []
    found = _comment_of(lines[number - 1]).strip().removeprefix("#").strip()
    if not found.startswith(SUGGESTED):
        return []
    return [ident.strip() for ident in found.removeprefix(SUGGESTED).split(",") if ident.strip()]


def _accepted_text(text: str, entry: Evidence, dimensions: Sequence[str], shows: Sequence[str] | None) -> str:
    """The draft's text with the ``draft:`` line out, ``dimensions:`` (and ``shows:``, unless
    None) set and the suggestions' comments gone: only those lines change."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.endswith("\r\n") or "\r\n" in text[:200] else "\n"
    draft_line = entry.line("draft")
    drop = {draft_line - 1} if draft_line else set()
    dims_line = entry.line("dimensions")
    if dims_line:
        drop |= _set_list(lines, dims_line - 1, "dimensions", dimensions, newline)
    else:
        after = (entry.line("date") or entry.line("title") or 1) - 1
        lines[after] = lines[after] + f"dimensions: {flow_list(dimensions)}" + newline
    shows_line = entry.line("shows")
    line = lines[shows_line - 1].rstrip("\r\n") if shows_line else ""
    if shows_line and shows:
        drop |= _set_list(lines, shows_line - 1, "shows", shows, newline)
    elif shows_line and _comment_of(line) and not _kept_comment(line):
        # Only the suggestion's comment goes: any ids the person wrote there stay.
        lines[shows_line - 1] = line[:len(line) - len(_comment_of(line))] + newline
    return "".join(line for index, line in enumerate(lines) if index not in drop)


def _set_list(lines: list[str], index: int, key: str, ids: Sequence[str], newline: str) -> set[int]:
    """Line ``index`` set to ``key: [ids]``, its own comment kept; the indices of the block
    list's ``- id`` lines after it, which go with it."""
    lines[index] = f"{key}: {flow_list(ids)}" + _kept_comment(lines[index]) + newline
    follow = index + 1
    while follow < len(lines) and re.match(r"^\s*-\s", lines[follow]):
        follow += 1
    return set(range(index + 1, follow))


def _comment_of(line: str) -> str:
    found = re.search(r"\s+#.*$", line.rstrip("\r\n"))
    return found.group(0) if found else ""


def _kept_comment(line: str) -> str:
    """The comment at the end of ``line``, unless it is a suggestion an import wrote."""
    found = _comment_of(line)
    return "" if found.strip().removeprefix("#").strip().startswith(SUGGESTED) else found


def _claim(folder: Path, stem: str, suffix: str) -> Path:
    """A new empty file in ``folder`` named after ``stem``, ``-2``, ``-3``...: the name is ours."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in itertools.count(1):
        target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            target.open("x", encoding="utf-8").close()
        except FileExistsError:
            continue
        return target
    raise AssertionError("unreachable")
