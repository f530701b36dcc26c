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
import itertools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
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
    """Dimension ids the keyword map suggests; written as a suggestion, not as ``dimensions``."""
    approvals: tuple[Approval, ...] = ()
    """Who approved the work where it was reviewed: written as corroboration marked ``approval``."""


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


def suggest(text: str, keywords: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Dimension ids whose keywords appear in ``text`` (``{"execution": ["incident", "outage"]}``)."""
    words = text.lower()
    return tuple(dimension for dimension, terms in keywords.items()
                 if any(re.search(rf"\b{re.escape(term.lower())}\b", words) for term in terms))


def render(draft: Draft) -> str:
    """The evidence file of a draft: front matter a person completes, then what the source said."""
    lines = ["---", f"title: {scalar(draft.title)}", f"date: {draft.date.isoformat()}",
             "dimensions: []" + (f"   {comment('suggested: ' + ', '.join(draft.suggested))}"
                                 if draft.suggested else ""),
             "draft: true", f"source: {scalar(draft.source)}"]
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


@dataclass
class Written:
    """What :func:`write_drafts` did: the files it wrote and the drafts it skipped as known."""

    files: list[Path] = field(default_factory=list)
    known: int = 0


def write_drafts(drafts: Iterable[Draft], evidence_dir: Path, folder: str = DRAFTS_DIR,
                 root: Path | None = None) -> Written:
    """Write each draft whose source is new as ``<evidence>/<folder>/<date>-<slug>.md``; a file
    name already taken gets ``-2``, ``-3``...; nothing is overwritten.

    The folder is listed once and each name's next number remembered, so many drafts with one
    date and title cost one file each, not one look per earlier namesake.
    """
    known = existing_sources(evidence_dir, root)
    target = evidence_dir / folder
    written = Written()
    taken: set[str] | None = None
    next_number: dict[str, int] = {}
    for draft in drafts:
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


KEYWORDS_OPTION = "draft_keywords"
"""The plugin option mapping dimension ids to the words that suggest them."""
BUILT_IN_KEYWORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("execution", "operations", "delivery", "reliability"):
        ("incident", "outage", "on-call", "oncall", "postmortem", "rollback", "hotfix", "sla", "slo"),
    ("technical", "craft", "quality", "architecture"):
        ("refactor", "migration", "performance", "latency", "architecture", "tests", "flaky"),
    ("influence", "communication", "collaboration"):
        ("rfc", "design doc", "proposal", "documentation", "docs", "announce"),
    ("mentorship", "mentoring", "people", "growth"):
        ("mentor", "onboarding", "pairing", "interview", "guide"),
}
"""Words by the fragments of a dimension id or name they suggest: a dimension whose id or name
holds ``execution`` or ``operations`` gets the incident words, and so on. Only for rubrics
without the ``draft_keywords`` option, and only for dimensions that match a fragment."""


def keyword_map(options: Mapping[str, object], dimensions: Iterable[tuple[str, str]]
                ) -> dict[str, tuple[str, ...]]:
    """The words that suggest each dimension: the ``draft_keywords`` option when it is a mapping
    of dimension id to words (read defensively: anything else in it is ignored), else the
    :data:`BUILT_IN_KEYWORDS` of the ``(id, name)`` dimensions that match a fragment."""
    given = options.get(KEYWORDS_OPTION)
    if isinstance(given, Mapping):
        return {str(ident): tuple(str(w) for w in ([words] if isinstance(words, str) else words))
                for ident, words in given.items() if isinstance(words, (str, list, tuple))}
    found: dict[str, tuple[str, ...]] = {}
    for ident, name in dimensions:
        label = f"{ident} {name}".lower()
        for fragments, words in BUILT_IN_KEYWORDS.items():
            if any(fragment in label for fragment in fragments):
                found[ident] = found.get(ident, ()) + words
    return found


def find_drafts(evidence_dir: Path, root: Path | None = None) -> list[Evidence]:
    """Every draft in the evidence folder (``draft: true``, wherever it is), newest first."""
    found = [entry for entry in load_evidence(evidence_dir, root).entries if entry.draft]
    return sorted(found, key=lambda entry: (entry.date, entry.path), reverse=True)


def prune(evidence_dir: Path, before: dt.date, folder: str = DRAFTS_DIR) -> list[Path]:
    """Delete the drafts under the drafts folder dated before ``before``; the files deleted.

    Only a file that parses as a draft (``draft: true``) is deleted: an accepted entry left in
    the folder, or one that cannot be read, stays.
    """
    drafts = evidence_dir / folder
    deleted = []
    found = walk(drafts, drafts.name, bounds(evidence_dir), [], MARKDOWN_SUFFIXES) if drafts.is_dir() else ()
    for path, _ in found:
        if path.suffix.lower() not in MARKDOWN_SUFFIXES or path.is_symlink():
            continue
        entry, _ = parse_evidence_bytes(path.read_bytes(), str(path), slug_for(path))
        if entry is not None and entry.draft and entry.date < before:
            path.unlink()
            deleted.append(path)
    return deleted


def accept(path: Path, evidence_dir: Path, dimensions: Sequence[str], ladder: Ladder,
           folder: str = DRAFTS_DIR) -> Path:
    """Turn the draft at ``path`` into evidence: its ``draft: true`` line removed, ``dimensions``
    set, every other line kept as written; out of the drafts folder into the evidence folder.

    Returns the new file; never writes over a file (a name taken gets ``-2``, ``-3``...).
    Raises :class:`RequestError`, with nothing written, for an unknown dimension or a file that
    is not a draft.
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
    accepted = _accepted_text(text, entry, dimensions)
    drafts = (evidence_dir / folder).resolve()
    target_dir = evidence_dir if path.resolve().parent.is_relative_to(drafts) else path.parent
    target = _claim(target_dir, path.stem, path.suffix)
    try:
        write_checked(target, accepted, front_matter_reading(target, dimensions=list(dimensions), draft=None))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    path.unlink()
    return target


def _accepted_text(text: str, entry: Evidence, dimensions: Sequence[str]) -> str:
    """The draft's text with the ``draft:`` line out and ``dimensions:`` set: only those lines change."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if text.endswith("\r\n") or "\r\n" in text[:200] else "\n"
    chosen = f"dimensions: {flow_list(dimensions)}"
    draft_line = entry.line("draft")
    dims_line = entry.line("dimensions")
    drop = {draft_line - 1} if draft_line else set()
    if dims_line:
        index = dims_line - 1
        comment = re.search(r"\s+#.*$", lines[index].rstrip("\r\n"))
        lines[index] = chosen + (comment.group(0) if comment else "") + newline
        # A block list (`dimensions:` then `- id` lines) goes with it.
        follow = index + 1
        while follow < len(lines) and re.match(r"^\s*-\s", lines[follow]):
            drop.add(follow)
            follow += 1
    else:
        after = (entry.line("date") or entry.line("title") or 1) - 1
        lines[after] = lines[after] + chosen + newline
    return "".join(line for index, line in enumerate(lines) if index not in drop)


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
