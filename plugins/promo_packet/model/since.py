"""What changed since a day or a git revision: the ``since`` option and ``promo diff``.

A sponsor or a committee that saw the packet at the last calibration reads what is new:
the entries added (and, against a revision, the entries whose file changed) and every
dimension and behaviour whose status moved, before and after. Both packets are built by
the same rules (packet.py) for the same audience, so nothing the audience cannot see
shows up here:

* ``since: 2026-06-30``: "before" is the packet of the entries dated before that day,
  against today's rubric;
* ``since: calibration-2026-h1`` (a tag, a branch, a commit): "before" is the evidence and
  the rubric as they were at that revision, read with ``git`` from the repository's
  objects (``git ls-tree``, ``git cat-file``); the work tree is never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Problem, Severity
from ..reading.fields import BUILD_DATE_RANGE_HINT, EARLIEST_DATE, LATEST_BUILD_DATE
from ..reading.vcs import run_git
from .coverage import Shown, Status
from .evidence import MARKDOWN_SUFFIXES, Evidence, Visibility, parse_evidence_bytes, slug_for
from .packet import Packet, build_packet, check_entries, keyed_slug
from .rubric import RUBRIC_SUFFIXES, Behaviour, Dimension, Ladder, parse_rubric

FIELD = "promo-packet.since"
HINT = "a date as YYYY-MM-DD, or a git revision of the packet's repository, such as a tag"
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_REVISION = re.compile(r"[^\s\x00-\x1f\x7f~^:?*\[\\]+(?:[~^]\d*)*")
"""What ``git check-ref-format`` allows in a name, then ``~``/``^`` steps back; never a leading ``-``."""

Since = dt.date | str
"""The option's value: a day, or a git revision."""


@dataclass(frozen=True)
class StatusChange:
    """A dimension whose status moved; ``before`` is None when the dimension is new."""

    dimension: Dimension
    before: Status | None
    after: Status


@dataclass(frozen=True)
class BehaviourChange:
    """A behaviour of the target level whose state moved; ``before`` is None when it is new."""

    dimension: Dimension
    behaviour: Behaviour
    before: Shown | None
    after: Shown


@dataclass(frozen=True)
class Changes:
    """What changed in the packet since a day or a revision, for the packet's audience."""

    since: Since
    added: tuple[Evidence, ...]
    """Entries the audience sees now and did not then, newest first."""
    changed: tuple[Evidence, ...]
    """Entries it saw then whose file changed since (against a revision only), newest first."""
    dimensions: tuple[StatusChange, ...]
    behaviours: tuple[BehaviourChange, ...]
    compared: bool = True
    """Whether the statuses were compared: False when the packet then could not be built."""
    removed: tuple[Evidence, ...] = ()
    """Entries the audience saw then and does not see now (against a revision only), newest first,
    as they were then."""

    @property
    def when(self) -> str:
        """``30 June 2026`` or the revision as written."""
        if isinstance(self.since, dt.date):
            return f"{self.since.day} {self.since:%B %Y}"
        return self.since

    @property
    def title(self) -> str:
        return f"Since {self.when}"

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.dimensions or self.behaviours)

    def text(self) -> str:
        """The changes as ``promo diff`` prints them: one line each, before -> now."""
        def state(value: Status | Shown | None) -> str:
            return "not in the rubric" if value is None else value.value

        lines = [self.title]
        if self.empty:
            lines.append("Nothing has changed.")
        if self.dimensions:
            lines.append("Dimensions whose status changed:")
            lines += [f"  {c.dimension.name}: {state(c.before)} -> {state(c.after)}" for c in self.dimensions]
        if self.behaviours:
            lines.append("Behaviours whose state changed:")
            lines += [f"  {c.dimension.name}: {c.behaviour.text}: {state(c.before)} -> {state(c.after)}"
                      for c in self.behaviours]
        if not self.compared:
            lines.append("The statuses could not be compared: the packet as it was then cannot be built.")
        for heading, entries in (("New entries", self.added), ("Updated entries", self.changed),
                                 ("Removed entries", self.removed)):
            if entries:
                lines.append(f"{heading}: {len(entries)}")
                lines += [f"  {e.date.isoformat()}  {e.title}" for e in entries]
        return "\n".join(lines)

    def report(self) -> dict[str, object]:
        """The changes as plain data, for ``promo diff --format json``."""
        def entry(e: Evidence) -> dict[str, object]:
            return {"slug": e.slug, "title": e.title, "date": e.date.isoformat(),
                    "dimensions": list(e.dimensions)}

        def state(value: Status | Shown | None) -> str | None:
            return None if value is None else value.value

        return {
            "since": self.since.isoformat() if isinstance(self.since, dt.date) else self.since,
            "added": [entry(e) for e in self.added],
            "changed": [entry(e) for e in self.changed],
            "removed": [entry(e) for e in self.removed],
            "dimensions": [{"dimension": c.dimension.id, "name": c.dimension.name,
                            "before": state(c.before), "after": state(c.after)} for c in self.dimensions],
            "behaviours": [{"dimension": c.dimension.id, "behaviour": c.behaviour.id,
                            "text": c.behaviour.text, "before": state(c.before), "after": state(c.after)}
                           for c in self.behaviours],
            "compared": self.compared,
        }


def read_since(value: object, source: str) -> tuple[Since | None, list[Problem]]:
    """The ``since`` option as a day or a revision; a wrong date or a name git would read as an
    option is a problem."""
    if value is None:
        return None, []
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _build_date(value, source)
    text = str(value).strip()
    if _DATE_LIKE.fullmatch(text):
        try:
            day = dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            return None, [Problem(source, None, f"not a date: {text!r}", field=FIELD, hint=HINT)]
        return _build_date(day, source)
    if not text or text.startswith("-") or not _REVISION.fullmatch(text):
        return None, [Problem(source, None, f"not a date or a git revision: {text!r}", field=FIELD,
                              hint=HINT)]
    return text, []


def _build_date(day: dt.date, source: str) -> tuple[dt.date | None, list[Problem]]:
    if EARLIEST_DATE <= day <= LATEST_BUILD_DATE:
        return day, []
    return None, [Problem(source, None, f"{day.isoformat()} is out of range", field=FIELD,
                          hint=BUILD_DATE_RANGE_HINT)]


def changes_since(since: Since, packet: Packet, entries: Sequence[Evidence], *, root: Path,
                  evidence_dir: Path, rubric: Path, where: str) -> tuple[Changes | None, list[Problem]]:
    """What changed in ``packet`` (built from ``entries``, every entry as parsed) since ``since``.

    ``where`` names the option in problems (``mkdocs.yml:12``). An unknown revision, or one
    asked of a folder outside any git repository, is an error.
    """
    if isinstance(since, dt.date):
        before = [e for e in entries if e.date < since]
        added = {e.slug for e in entries if e.date >= since}
        return _compare(since, packet, packet.ladder, before, added, set()), []
    then, problems = _at_revision(since, root, evidence_dir, rubric, where)
    if then is None:
        return None, problems
    ladder = then.ladder
    if ladder is None:
        problems.append(Problem(where, None, f"the rubric at {since} cannot be read: statuses are compared "
                                "against today's", field=FIELD, severity=Severity.WARNING))
        ladder = packet.ladder
    # An entry that no longer fits the rubric then is left out of then's packet, as a build would stop.
    old = [e for e in then.entries if not any(p.is_error for p in check_entries([e], ladder))]
    allows = packet.settings.audience.allows
    seen = {e.slug for e in old if allows(e.visibility)}
    added = {e.slug for e in entries if e.slug not in seen}
    changed = {e.slug for e in entries if e.slug in seen and then.files.get(e.slug) != _bytes(root / e.path)}
    changes = _compare(since, packet, ladder, old, added, changed)
    return dataclasses.replace(changes, removed=_removed(old, seen, entries, allows)), problems


def _removed(old: Sequence[Evidence], seen: set[str], entries: Sequence[Evidence],
             allows: Callable[[Visibility], bool]) -> tuple[Evidence, ...]:
    """The entries of ``old`` the audience saw (``seen``) and no longer sees, newest first."""
    now = {e.slug for e in entries if allows(e.visibility)}
    return tuple(sorted((e for e in old if e.slug in seen and e.slug not in now), key=lambda e: e.date,
                        reverse=True))


@dataclass(frozen=True)
class _Then:
    entries: Sequence[Evidence]
    ladder: Ladder | None
    files: Mapping[str, bytes]
    """Each evidence file's content then, by slug."""


def _compare(since: Since, packet: Packet, ladder: Ladder, old: Sequence[Evidence], added: set[str],
             changed: set[str]) -> Changes:
    settings = packet.settings
    before, _ = build_packet(ladder, old, settings)

    def published(slugs: set[str]) -> set[str]:
        return {keyed_slug(settings.url_key, s) for s in slugs} if settings.url_key else slugs

    # packet.entries are the audience's: the filter by visibility is already done.
    shown_added, shown_changed = published(added), published(changed)
    dimensions: list[StatusChange] = []
    behaviours: list[BehaviourChange] = []
    if before is not None:
        then = {c.dimension.id: c for c in before.coverage}
        for coverage in packet.coverage:
            was = then.get(coverage.dimension.id)
            if was is None or was.status is not coverage.status:
                before_status = was.status if was else None
                dimensions.append(StatusChange(coverage.dimension, before_status, coverage.status))
            states = {b.behaviour.id: b.state for b in (was.behaviours if was else ())}
            for b in coverage.behaviours:
                if states.get(b.behaviour.id) is not b.state:
                    behaviours.append(BehaviourChange(coverage.dimension, b.behaviour,
                                                      states.get(b.behaviour.id), b.state))
    return Changes(since=since, added=tuple(e for e in packet.entries if e.slug in shown_added),
                   changed=tuple(e for e in packet.entries if e.slug in shown_changed),
                   dimensions=tuple(dimensions), behaviours=tuple(behaviours), compared=before is not None)


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _at_revision(revision: str, root: Path, evidence_dir: Path, rubric: Path,
                 where: str) -> tuple[_Then | None, list[Problem]]:
    """The evidence and the rubric as committed at ``revision``, parsed as the folder's are."""
    found = run_git(root, "rev-parse", "--show-toplevel")
    if found is None or found.returncode != 0:
        why = "git is not installed" if found is None else "the packet's folder is not in a git repository"
        return None, [Problem(where, None, f"cannot read revision {revision!r}: {why}", field=FIELD,
                              hint="use a date (YYYY-MM-DD) instead, or run git init and commit the packet")]
    top = Path(found.stdout.decode().strip())
    commit = run_git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if commit is None or commit.returncode != 0:
        return None, [Problem(where, None, f"unknown git revision {revision!r}", field=FIELD,
                              hint="name a tag, branch or commit of the repository (git tag lists the tags), "
                                   "or use a date (YYYY-MM-DD)")]
    folder, rubric_at, shown_root = (_within(path, top) for path in (evidence_dir, rubric, root))
    if folder is None or shown_root is None:
        folder = shown_root = PurePosixPath("/")  # outside the repository: nothing of it was committed
    return _parsed_at(top, commit.stdout.decode().strip(), folder, rubric_at, shown_root), []


@functools.lru_cache(maxsize=4)
def _parsed_at(top: Path, sha: str, folder: PurePosixPath, rubric_at: PurePosixPath | None,
               shown_root: PurePosixPath) -> _Then:
    """The evidence and the rubric of commit ``sha``, parsed. A commit never changes, so a live
    preview reads and parses it once, not on every rebuild."""
    listed = run_git(top, "ls-tree", "-r", "-z", "--name-only", sha)
    # A name with a line break cannot be asked of cat-file's batch: such a file is not compared.
    tree = listed.stdout.decode("utf-8", "replace").split("\0") if listed else []
    names = [PurePosixPath(n) for n in tree if n and "\n" not in n]
    evidence = [n for n in names if n.is_relative_to(folder) and n.suffix.lower() in MARKDOWN_SUFFIXES
                and not any(part.startswith(".") for part in n.relative_to(folder).parts)]
    rubrics = [n for n in names if n == rubric_at] or [
        n for n in names if n.parent == rubric_at and n.suffix in RUBRIC_SUFFIXES]
    contents = _blobs(top, sha, [*evidence, *rubrics[:1]])
    entries: list[Evidence] = []
    files: dict[str, bytes] = {}
    for name in evidence:
        raw = contents.get(name)
        if raw is None:
            continue
        slug = slug_for(Path(name.name))
        files[slug] = raw
        entry, _ = parse_evidence_bytes(raw, _shown(name, shown_root), slug)
        if entry is not None:
            entries.append(entry)
    return _Then(tuple(entries), _ladder_in(contents, rubrics, shown_root), files)


def _ladder_in(contents: Mapping[PurePosixPath, bytes], rubrics: Sequence[PurePosixPath],
               shown_root: PurePosixPath) -> Ladder | None:
    """The rubric of the commit, when it has exactly one and it parses."""
    if len(rubrics) != 1 or rubrics[0] not in contents:
        return None
    try:
        ladder, _ = parse_rubric(contents[rubrics[0]].decode("utf-8"), _shown(rubrics[0], shown_root))
    except UnicodeDecodeError:
        return None
    return ladder


def _within(path: Path, top: Path) -> PurePosixPath | None:
    """``path`` as a name in the repository's tree ('.' for its top), None outside it."""
    real, base = path.resolve(), top.resolve()
    return PurePosixPath(real.relative_to(base).as_posix()) if real.is_relative_to(base) else None


def _shown(name: PurePosixPath, root: PurePosixPath | None) -> str:
    """A name of the tree as problems show paths: relative to the packet's folder."""
    return name.relative_to(root).as_posix() if root and name.is_relative_to(root) else name.as_posix()


def _blobs(top: Path, sha: str, names: Sequence[PurePosixPath]) -> dict[PurePosixPath, bytes]:
    """The content of each file at ``sha``, in one ``git cat-file --batch``."""
    if not names:
        return {}
    batch = "".join(f"{sha}:{n.as_posix()}\n" for n in names).encode()
    found = run_git(top, "cat-file", "--batch", given=batch)
    if found is None or found.returncode != 0:
        return {}
    out, at, contents = found.stdout, 0, {}
    for name in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        contents[name] = out[at:at + size]
        at += size + 1
    return contents
