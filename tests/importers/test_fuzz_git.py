"""Property tests of `promo import git`: real repositories, written with `git fast-import`, whose
author names, emails and messages hold record separators, NULs, line breaks, ESC, bidi
characters and lone surrogates (as the bytes git stores for them).

Whatever the history holds, the import writes drafts or stops with located problems, never a
traceback; a draft is only ever of a commit by the author asked for; every draft written passes
`promo check`.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import make_packet
from fuzzing import answered, examples, exited, odd_text, printed_problems, within_memory

TODAY = "2026-06-30"
START, END = 946_684_800, 1_782_777_600
"""2000-01-01 and the day the checks run: commits a packet can hold."""


@dataclass(frozen=True)
class Author:
    name: bytes
    email: bytes

    @property
    def asked_as(self) -> str:
        """The email as ``--author`` is given it: git's bytes read as the importer reads them."""
        return self.email.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Commit:
    author: int
    message: bytes
    stamp: int
    zone: str


def git_bytes(text: str) -> bytes:
    # A lone surrogate becomes the three bytes that encode it: invalid UTF-8 that git stores as is.
    return text.encode("utf-8", errors="surrogatepass")


def ident(text: str) -> bytes:
    # fast-import ends a name at '<' and an email at '>'; a line break or NUL ends the header.
    return git_bytes(re.sub(r"[<>\n\x00]", "", text))


def history(text: st.SearchStrategy[str], subject: str = "Fix ") -> st.SearchStrategy[
        tuple[list[Author], list[Commit]]]:
    """Up to three authors and six commits on main, their names, emails and messages of ``text``;
    each subject starts with ``subject``."""
    authors = st.lists(st.builds(Author, text.map(ident), text.map(ident)), min_size=1, max_size=3)
    messages = st.one_of(
        text.map(lambda body: git_bytes(subject + body)),
        st.tuples(text, text, st.sampled_from(["", " (#7)", "\n\nSee merge request g/r!3", "\n"])).map(
            lambda parts: git_bytes(f"{subject}{parts[0]}{parts[2]}\n\n{parts[1]}")),
        st.binary(max_size=40).filter(lambda data: b"\x1e" not in data and b"\x1f" not in data).map(
            lambda data: subject.encode() + data),
    )
    commits = st.lists(st.builds(Commit, st.integers(0, 2), messages, st.integers(START, END),
                                 st.sampled_from(["+0000", "-1200", "+1400", "+0530", "-0000"])),
                       min_size=1, max_size=6)
    return st.tuples(authors, commits)


SEPARATORS = re.compile("[\x1e\x1f]")
without_separators = odd_text.map(lambda text: SEPARATORS.sub("", text))
with_separators = st.builds(lambda before, separator, after: before + separator + after,
                            odd_text, st.sampled_from(["\x1e", "\x1f"]), odd_text)


def fast_import(repo: Path, people: list[Author], history: list[Commit]) -> dict[str, Author]:
    """``history`` on main, oldest first, each commit changing one file; each sha's author."""
    out = b""
    for mark, commit in enumerate(history, start=1):
        who = people[commit.author % len(people)]
        line = b"%s <%s> %d %s" % (who.name, who.email, commit.stamp, commit.zone.encode())
        out += b"commit refs/heads/main\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n" % (
            mark, line, line, len(commit.message), commit.message)
        out += b"from :%d\n" % (mark - 1) if mark > 1 else b""
        out += b"M 644 inline file%d.txt\ndata 2\n%d\n\n" % (mark % 3, mark % 10)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    marks = repo / ".git" / "fuzz-marks"
    subprocess.run(["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"], cwd=repo,
                   input=out + b"done\n", check=True, capture_output=True)
    shas = dict(line.split() for line in marks.read_text().splitlines())
    return {shas[f":{mark}"]: people[commit.author % len(people)]
            for mark, commit in enumerate(history, start=1)}


@pytest.fixture(scope="module", autouse=True)
def _no_user_git_config() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        patch.setenv("GIT_CEILING_DIRECTORIES", tempfile.gettempdir())
        yield


SOURCE = re.compile(r"^source: git:shop@([0-9a-f]{40})$", re.MULTILINE)


def check_import(people: list[Author], history: list[Commit]) -> int:
    """Import ``history`` for the first of ``people``; how many drafts it wrote."""
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "shop"
        by_sha = fast_import(repo, people, history)
        root = make_packet(Path(folder))
        wanted = people[0].asked_as
        started = time.perf_counter()
        code, _, err = answered("import", "git", str(repo), "--author", wanted, cwd=root)
        assert time.perf_counter() - started < 10
        assert within_memory()
        assert exited(code) in (0, 1), err
        printed_problems(err, lambda path: (root / path).exists())
        drafts = sorted((root / "evidence" / "drafts").glob("*.md"))
        if code == 1:
            assert not drafts and "promo: nothing was written" in err
            return 0
        for draft in drafts:
            shas = SOURCE.findall(draft.read_text(encoding="utf-8"))
            assert len(shas) == 1, draft.read_text(encoding="utf-8")
            assert by_sha[shas[0]].asked_as.lower() == wanted.lower(), draft.name
        if drafts:
            code, _, err = answered("check", "--today", TODAY, cwd=root)
            assert code == 0, err
        return len(drafts)


PLAIN = Author(b"Me", b"me@example.com")
AT_NOON = Commit(0, b"Fix the alarm", 1_772_445_600, "+0000")


def test_a_plain_history_gives_a_draft_a_day_and_one_a_pull_request() -> None:
    other = Author(b"Other", b"other@example.com")
    assert check_import([PLAIN, other], [AT_NOON, Commit(0, b"Tidy (#3)", 1_772_532_000, "+0000"),
                                         Commit(1, b"Not mine", 1_772_618_400, "+0000")]) == 2


@examples(8, large=1000, deadline=None)
@given(history(without_separators))
def test_any_history_gives_drafts_of_the_author_or_located_problems(
        repo: tuple[list[Author], list[Commit]]) -> None:
    check_import(*repo)


@examples(4, large=1000, deadline=None)
@given(history(with_separators))
@example(([Author(b"Me", b"me@example.com\x1f")], [AT_NOON]))
def test_record_separators_in_a_history_give_drafts_of_the_author_or_located_problems(
        repo: tuple[list[Author], list[Commit]]) -> None:
    check_import(*repo)


@examples(4, large=300, deadline=None)
@given(history(without_separators, subject=""))
@example(([PLAIN], [Commit(0, b"", 1_772_445_600, "+0000")]))
def test_blank_subjects_give_drafts_that_pass_check_or_located_problems(
        repo: tuple[list[Author], list[Commit]]) -> None:
    check_import(*repo)
