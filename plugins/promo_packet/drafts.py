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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import text_slug

DRAFTS_DIR = "drafts"
"""Where drafts go, inside the evidence folder."""
_SOURCE_LINE = re.compile(r"^source:\s*(.+?)\s*$", re.MULTILINE)


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
    """Lines for the body: the repository, the files changed, the ticket's summary."""
    suggested: tuple[str, ...] = ()
    """Dimension ids the keyword map suggests; written as a suggestion, not as ``dimensions``."""


def existing_sources(evidence_dir: Path) -> set[str]:
    """The ``source:`` of every file in the evidence folder, drafts and accepted entries alike."""
    found: set[str] = set()
    if not evidence_dir.is_dir():
        return found
    for path in evidence_dir.rglob("*.md"):
        try:
            head = path.read_text("utf-8", errors="replace")[:4000]
        except OSError:
            continue
        for match in _SOURCE_LINE.finditer(head):
            value = match.group(1)
            try:
                loaded = yaml.safe_load(value)
            except yaml.YAMLError:
                loaded = value
            found.add(str(loaded))
    return found


def suggest(text: str, keywords: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Dimension ids whose keywords appear in ``text`` (``{"execution": ["incident", "outage"]}``)."""
    words = text.lower()
    return tuple(dimension for dimension, terms in keywords.items()
                 if any(re.search(rf"\b{re.escape(term.lower())}\b", words) for term in terms))


def render(draft: Draft) -> str:
    """The evidence file of a draft: front matter a person completes, then what the source said."""
    def scalar(value: str) -> str:
        dumped: str = yaml.safe_dump(value, default_flow_style=True, width=10_000, allow_unicode=True)
        return dumped.removesuffix("\n...\n").strip()

    lines = ["---", f"title: {scalar(draft.title)}", f"date: {draft.date.isoformat()}",
             "dimensions: []" + (f"   # suggested: {', '.join(draft.suggested)}" if draft.suggested else ""),
             "draft: true", f"source: {scalar(draft.source)}"]
    if draft.links:
        lines.append("links:")
        lines += [f"  - {{title: {scalar(title)}, url: {scalar(url)}}}" for title, url in draft.links]
    lines += ["# outcome: what changed because of this, with a number if there is one", "---", "",
              *draft.notes, ""]
    return "\n".join(lines)


@dataclass
class Written:
    """What :func:`write_drafts` did: the files it wrote and the drafts it skipped as known."""

    files: list[Path] = field(default_factory=list)
    known: int = 0


def write_drafts(drafts: Iterable[Draft], evidence_dir: Path, folder: str = DRAFTS_DIR) -> Written:
    """Write each draft whose source is new as ``<evidence>/<folder>/<date>-<slug>.md``; a file
    name already taken gets ``-2``, ``-3``...; nothing is overwritten."""
    known = existing_sources(evidence_dir)
    target = evidence_dir / folder
    written = Written()
    for draft in drafts:
        if draft.source in known:
            written.known += 1
            continue
        known.add(draft.source)
        target.mkdir(parents=True, exist_ok=True)
        stem = f"{draft.date.isoformat()}-{text_slug(draft.title, 50) or 'draft'}"
        path, n = target / f"{stem}.md", 1
        while path.exists():
            n += 1
            path = target / f"{stem}-{n}.md"
        with path.open("x", encoding="utf-8") as file:  # never over a file that appeared meanwhile
            file.write(render(draft))
        written.files.append(path)
    return written


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
