"""Drafts of evidence from local git repositories: one per merged pull request, else one per day.

The same shape as the other importers: read (one ``git log`` per repository, never touching the
work tree) -> located records (:class:`Commit`, numbered in log order) -> our model
(:class:`~promo_packet.authoring.drafts.Draft`) -> problems naming the repository and the record.

The mainline is the first-parent chain from ``HEAD``. On it, a merge commit
``Merge pull request #123 from ...`` (GitHub), a body line ``See merge request group/repo!123``
(GitLab) and a subject ending in ``(#123)`` (a squash merge) are pull requests. A merged pull
request counts for an author who wrote any of its commits, not only for whoever pressed merge:
that is why the log walks the whole history rather than ``--first-parent`` alone, while
``--diff-merges=first-parent`` gives each merge the diff of the whole pull request. The
remaining commits of an author, on the mainline or on a branch merged without a pull request,
are grouped by day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..authoring.drafts import Draft
from ..errors import Problem
from ..reading.vcs import run_git
from ..render.pages import text
from .suggestions import LadderIndex, Suggestion
from .trivial import trivial_reason

FORGES = {"github.com": "{base}/pull/{number}", "gitlab.com": "{base}/-/merge_requests/{number}",
          "bitbucket.org": "{base}/pull-requests/{number}"}
"""Forges whose pull request and commit URLs can be derived from the remote alone."""
_COMMIT_URLS = {"github.com": "{base}/commit/{sha}", "gitlab.com": "{base}/-/commit/{sha}",
                "bitbucket.org": "{base}/commits/{sha}"}
PROGRESS_EVERY = 1000
MAIN_PATHS = 3

# Two logs, so that no text a person wrote can become a field. The shape of each commit (hashes,
# date, files changed) holds no free text: paths with control characters come quoted. Its
# messages come in a log of their own, NUL-separated (-z): git ends a message at its first NUL,
# so each commit gives exactly its four fields whatever the message holds.
_RECORD, _FIELD = "\x1e", "\x1f"
_SHAPE = _RECORD + _FIELD.join(("%H", "%P", "%cI")) + _FIELD
_TEXT = "%x00".join(("%H", "%ae", "%s", "%b"))
_TEXT_FIELDS = 4
_MERGE_PR = re.compile(r"^Merge pull request #(\d+) from ")
_GITLAB_MR = re.compile(r"^See merge request \S+!(\d+)\s*$", re.MULTILINE)
_SQUASH_PR = re.compile(r"\s*\(#(\d+)\)\s*$")
# https://host/owner/repo(.git), ssh://git@host(:port)/owner/repo(.git), git@host:owner/repo(.git)
_REMOTE = re.compile(r"^(?:[a-z+]+://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/"
                     r"|[^@/\s]+@(?P<scp>[^:/\s]+):/?)(?P<path>[^\s]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Commit:
    """One record of the log: a commit, with the first-parent diff of a merge."""

    record: int
    """Its position in the log, 1-based: where a problem with it is located."""
    sha: str
    parents: tuple[str, ...]
    email: str
    date: dt.date
    subject: str
    body: str
    added: int = 0
    deleted: int = 0
    paths: tuple[tuple[str, int], ...] = ()
    """(path, lines changed) of each file changed."""


@dataclass(frozen=True)
class Repository:
    """A repository read: its name, its forge URL if known, the mainline and every commit by sha."""

    path: Path
    name: str
    base_url: str | None
    host: str | None
    mainline: list[Commit]
    commits: dict[str, Commit]
    authors: frozenset[str]


@dataclass
class GitImport:
    """What :func:`read_repositories` found: the drafts of every repository, and the problems."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    repositories: int = 0
    records: int = 0


def forge(url: str) -> tuple[str, str] | None:
    """``(host, https base URL)`` of a remote on a known forge, in https or ssh form, else None."""
    match = _REMOTE.match(url.strip())
    if match is None:
        return None
    host = (match["host"] or match["scp"] or "").lower()
    if host not in FORGES:
        return None
    return host, f"https://{host}/{match['path'].strip('/')}"


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def parse_log(shape: str, text: str, on_record: Callable[[int], None] | None = None) -> list[Commit] | None:
    """The records of ``git log --format=<_SHAPE> --numstat`` (``shape``) and of ``git log -z
    --format=<_TEXT>`` (``text``), in log order; ``None`` if the two do not name the same commits."""
    records = shape.split(_RECORD)[1:]
    fields = text.split("\0")
    if fields and fields[-1] == "":
        fields.pop()
    if len(fields) != _TEXT_FIELDS * len(records):
        return None
    commits: list[Commit] = []
    for number, chunk in enumerate(records, start=1):
        parts = chunk.split(_FIELD)
        at = _TEXT_FIELDS * (number - 1)
        sha, email, subject, body = fields[at:at + _TEXT_FIELDS]
        if len(parts) != 4 or parts[0] != sha:
            return None
        _, parents, stamp, stats = parts
        added, deleted, paths = _numstat(stats)
        commits.append(Commit(number, sha, tuple(parents.split()), email.lower(),
                              dt.datetime.fromisoformat(stamp).date(), _subject(subject, body, sha),
                              body.strip(), added, deleted, paths))
        if on_record is not None and number % PROGRESS_EVERY == 0:
            on_record(number)
    return commits


def _subject(subject: str, body: str, sha: str) -> str:
    """A commit's subject, never blank: a draft's title comes from it, and a title must say something."""
    return (subject.strip() or next((line.strip() for line in body.splitlines() if line.strip()), "")
            or f"Commit {sha[:10]}")


def _numstat(stats: str) -> tuple[int, int, tuple[tuple[str, int], ...]]:
    added = deleted = 0
    paths: list[tuple[str, int]] = []
    for line in stats.splitlines():
        numbers = line.split("\t", 2)
        if len(numbers) != 3:
            continue
        plus, minus = (int(n) if n.isascii() and n.isdigit() else 0 for n in numbers[:2])
        added, deleted = added + plus, deleted + minus
        paths.append((numbers[2], plus + minus))
    return added, deleted, tuple(paths)


def read_repository(path: Path, on_record: Callable[[int], None] | None = None
                    ) -> tuple[Repository | None, list[Problem]]:
    """The repository holding ``path``, read with one ``git log``; or the problem that stops it."""
    shown = str(path)
    if not path.is_dir():
        return None, [Problem(shown, None, "is not a folder")]
    top = run_git(path, "rev-parse", "--show-toplevel")
    if top is None:
        return None, [Problem(shown, None, "cannot run git", hint="install git")]
    if top.returncode != 0:
        return None, [Problem(shown, None, "is not in a git repository",
                              hint="pass the folder of a git clone, or run this in one")]
    root = Path(_text(top.stdout).strip())
    log = run_git(root, "log", "--no-color", "--no-decorate", "--no-show-signature", f"--format={_SHAPE}",
                  "--numstat", "--diff-merges=first-parent", "HEAD", "--")
    messages = run_git(root, "log", "-z", "--no-color", "--no-decorate", "--no-show-signature",
                       f"--format={_TEXT}", "HEAD", "--")
    for result in (log, messages):
        if result is None or result.returncode != 0:
            message = " ".join(_text(result.stderr).split()) if result is not None else ""
            return None, [Problem(shown, None, f"cannot read its history: {message or 'git log failed'}")]
    assert log is not None and messages is not None
    commits = parse_log(_text(log.stdout), _text(messages.stdout), on_record)
    if commits is None:
        return None, [Problem(shown, None, "cannot read its history: two reads of the log disagree",
                              hint="run the import again once nothing is committing to it")]
    by_sha = {commit.sha: commit for commit in commits}
    mainline: list[Commit] = []
    current = by_sha.get(commits[0].sha) if commits else None
    while current is not None:
        mainline.append(current)
        current = by_sha.get(current.parents[0]) if current.parents else None
    remote = run_git(root, "remote", "get-url", "origin")
    found = forge(_text(remote.stdout)) if remote and remote.returncode == 0 else None
    host, base = found if found else (None, None)
    name = base.split("/", 3)[3] if base else root.name
    return Repository(root, name, base, host, mainline, by_sha,
                      frozenset(c.email for c in commits)), []


def default_author(path: Path) -> str | None:
    """``git config user.email`` as the repository at ``path`` sees it."""
    result = run_git(path, "config", "user.email")
    email = _text(result.stdout).strip().lower() if result and result.returncode == 0 else ""
    return email or None


def pull_request(commit: Commit) -> tuple[int, str] | None:
    """``(number, title)`` if ``commit`` merged a pull request, as a merge or as a squash."""
    merge = _MERGE_PR.match(commit.subject)
    if merge and len(commit.parents) > 1:
        title = next((line.strip() for line in commit.body.splitlines() if line.strip()), commit.subject)
        return int(merge[1]), title
    gitlab = _GITLAB_MR.search(commit.body)
    if gitlab and len(commit.parents) > 1:
        title = next((line.strip() for line in commit.body.splitlines() if line.strip()), commit.subject)
        return int(gitlab[1]), title if not _GITLAB_MR.match(title) else commit.subject
    squash = _SQUASH_PR.search(commit.subject)
    if squash:
        return int(squash[1]), commit.subject[:squash.start()].strip() or commit.subject
    return None


def _branch(repo: Repository, merge: Commit, mainline: set[str]) -> list[Commit]:
    # The merged branch's own commits: its first-parent chain back to where it left the mainline.
    commits: list[Commit] = []
    current = repo.commits.get(merge.parents[1]) if len(merge.parents) > 1 else None
    while current is not None and current.sha not in mainline:
        commits.append(current)
        current = repo.commits.get(current.parents[0]) if current.parents else None
    return commits


def _notes(repo: Repository, commits: Sequence[Commit]) -> list[str]:
    changed: dict[str, int] = {}
    for commit in commits:
        for path, lines in commit.paths:
            changed[path] = changed.get(path, 0) + lines
    added, deleted = sum(c.added for c in commits), sum(c.deleted for c in commits)
    files = f"{len(changed)} file changed" if len(changed) == 1 else f"{len(changed)} files changed"
    notes = [f"Repository: {text(repo.name)}", f"{files}, +{added} -{deleted}"]
    main = sorted(changed, key=lambda path: (-changed[path], path))[:MAIN_PATHS]
    if main:
        notes.append("Main paths: " + ", ".join(text(path) for path in main))
    return notes


def _commit_url(repo: Repository, sha: str) -> str | None:
    return _COMMIT_URLS[repo.host].format(base=repo.base_url, sha=sha) if repo.host else None


def repository_drafts(repo: Repository, authors: Iterable[str], since: dt.date | None = None,
                      index: LadderIndex | None = None) -> list[Draft]:
    """One draft per pull request on the mainline that one of ``authors`` worked on, and one per
    day for their other mainline commits; nothing dated before ``since``."""
    wanted = {author.lower() for author in authors}
    on_mainline = {commit.sha for commit in repo.mainline}
    drafts: list[Draft] = []
    days: dict[dt.date, list[Commit]] = {}
    for commit in repo.mainline:
        if since is not None and commit.date < since:
            continue
        found = pull_request(commit)
        if found is None:
            # A branch merged without a pull request: its commits count as the day's, not the merge.
            for own in [commit] if len(commit.parents) < 2 else _branch(repo, commit, on_mainline):
                if own.email in wanted and (since is None or own.date >= since):
                    days.setdefault(own.date, []).append(own)
        elif wanted & {commit.email, *(own.email for own in _branch(repo, commit, on_mainline))}:
            drafts.append(_pull_request_draft(repo, commit, found, index or _NO_LADDER))
    drafts += [_day_draft(repo, date, commits, index or _NO_LADDER) for date, commits in days.items()]
    return sorted(drafts, key=lambda draft: (draft.date, draft.source))


_NO_LADDER = LadderIndex(None)


def _suggestion(index: LadderIndex, title: str, commits: Sequence[Commit]) -> Suggestion:
    return index.suggest(title, " ".join(f"{c.subject} {c.body}" for c in commits),
                         [path for c in commits for path, _ in c.paths])


def _pull_request_draft(repo: Repository, merge: Commit, found: tuple[int, str], index: LadderIndex) -> Draft:
    number, title = found
    url = FORGES[repo.host].format(base=repo.base_url, number=number) if repo.host else None
    suggestion = _suggestion(index, title, [merge])
    return Draft(title, merge.date, url or f"git:{repo.name}@{merge.sha}",
                 ((f"Pull request #{number}", url),) if url else (), tuple(_notes(repo, [merge])),
                 suggestion.dimensions, suggestion.behaviours, trivial=trivial_reason(title, merge.paths))


def _day_draft(repo: Repository, date: dt.date, commits: list[Commit], index: LadderIndex) -> Draft:
    # In the order it went: the log is newest first.
    commits = sorted(commits, key=lambda commit: -commit.record)
    reasons = [trivial_reason(commit.subject, commit.paths) for commit in commits]
    # Titled by the day's first real change; its source stays the first commit, as before, so a
    # day drafted once is known again whatever is judged trivial.
    titled = commits[reasons.index("")] if "" in reasons else commits[0]
    first = commits[0]
    url = _commit_url(repo, first.sha)
    others = [f"- {text(commit.subject)}" for commit in commits if commit is not titled]
    notes = _notes(repo, commits) + (["", "Also that day:", *others] if others else [])
    suggestion = _suggestion(index, titled.subject, commits)
    return Draft(titled.subject, date, url or f"git:{repo.name}@{first.sha}",
                 ((f"Commit {first.sha[:10]}", url),) if url else (), tuple(notes),
                 suggestion.dimensions, suggestion.behaviours,
                 trivial="" if "" in reasons else reasons[0])


def read_repositories(paths: Sequence[Path], *, authors: Sequence[str] = (), since: dt.date | None = None,
                      index: LadderIndex | None = None,
                      on_record: Callable[[int], None] | None = None) -> GitImport:
    """The drafts of every repository in ``paths`` (the work of ``authors``, default each
    repository's ``user.email``), with a problem for each repository that cannot be read."""
    result = GitImport()
    for path in paths:
        done = result.records

        def progress(number: int, done: int = done) -> None:
            if on_record is not None:
                on_record(done + number)

        repo, problems = read_repository(path, progress)
        result.problems += problems
        if repo is None:
            continue
        result.repositories += 1
        result.records += len(repo.commits)
        who = list(authors) or [email for email in [default_author(repo.path)] if email]
        if not who:
            result.problems.append(Problem(str(path), None, "no author to import: git config user.email "
                                           "is not set", hint="pass --author EMAIL"))
            continue
        result.drafts += repository_drafts(repo, who, since, index)
    return result
