"""Drafts of evidence: written once per source, never over a file, never inventing an outcome."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from promo_packet.authoring.drafts import Draft, existing_sources, render, write_drafts

DRAFT = Draft("Fix: retry <loop> & queue", dt.date(2026, 5, 1), "https://github.com/a/b/pull/12",
              (("PR #12", "https://github.com/a/b/pull/12"),), ("Repository: a/b",), ("execution",),
              ("execution.staff.1",))
T = TypeVar("T")


def test_a_source_is_written_once_and_nothing_is_overwritten(tmp_path: Path) -> None:
    first = write_drafts([DRAFT, DRAFT], tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in first.files] == [
        "drafts/2026-05-01-fix-retry-loop-queue.md"]
    assert first.known == 1
    again = write_drafts([DRAFT], tmp_path)
    assert again.files == [] and again.known == 1
    other = Draft("Fix: retry <loop> & queue", DRAFT.date, "https://github.com/a/b/pull/13")
    assert write_drafts([other], tmp_path).files[0].name == "2026-05-01-fix-retry-loop-queue-2.md"
    assert existing_sources(tmp_path) == {DRAFT.source, other.source}


def test_a_source_set_aside_is_not_drafted_again(tmp_path: Path) -> None:
    aside = tmp_path / "drafts-set-aside"
    aside.mkdir()
    (aside / "2026-05-01-old.md").write_text(render(DRAFT), "utf-8")
    other = Draft("Other", DRAFT.date, "https://github.com/a/b/pull/14")
    written = write_drafts([DRAFT, other], tmp_path / "evidence", set_aside_dir=aside)
    assert [path.name for path in written.files] == ["2026-05-01-other.md"]
    assert (written.known, written.set_aside) == (0, 1)


def test_a_draft_holds_what_the_source_says_and_suggests_without_deciding() -> None:
    text = render(DRAFT)
    assert "title: 'Fix: retry <loop> & queue'" in text and "draft: true" in text
    assert "dimensions: []   # suggested: execution\nshows: []   # suggested: execution.staff.1\n" in text
    assert "\noutcome:" not in text  # never invented
    assert "shows:" not in render(Draft("Quiet", DRAFT.date, "x"))


def _within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s answer, failing the test if it takes longer than ``seconds`` (a FIFO never ends)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(call)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            pytest.fail(f"still running after {seconds} s")
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def _release(pipe: Path) -> None:
    """Let a reader blocked on ``pipe`` go (it sees the end at once), so a failing test ends."""
    with contextlib.suppress(OSError):  # nobody is reading it
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    pipe.unlink()


def test_known_sources_are_read_through_the_guarded_walk(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    (evidence / "drafts").mkdir(parents=True)
    (evidence / "drafts" / "2026-05-01-kept.md").write_text(
        "---\ntitle: Kept\ndate: 2026-05-01\nsource: https://github.com/a/b/pull/1\n---\n"
        "source: https://github.com/a/b/pull/2\n", "utf-8")
    os.symlink("/dev/zero", evidence / "zero.md")
    os.symlink("/dev/urandom", evidence / "drafts" / "random.md")
    pipe = evidence / "drafts" / "pipe.md"
    os.mkfifo(pipe)
    try:
        known = _within(10, lambda: existing_sources(evidence))
    finally:
        _release(pipe)
    # The body's "source:" line is text, not front matter: pull request 2 stays new.
    assert known == {"https://github.com/a/b/pull/1"}


def test_an_alias_bomb_on_a_source_line_stays_within_the_budget(tmp_path: Path) -> None:
    # Each level ten aliases of the one before: 10**7 values once expanded, in one flow list.
    levels = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 8)]
    (tmp_path / "2026-05-01-bomb.md").write_text(
        "---\ntitle: Bomb\nsource: [" + ", ".join(levels) + "]\n---\n", "utf-8")
    started = time.perf_counter()
    assert _within(10, lambda: existing_sources(tmp_path)) == set()
    assert time.perf_counter() - started < 5


def test_many_drafts_of_one_date_and_title_are_written_in_linear_time(tmp_path: Path) -> None:
    drafts = [Draft("Weekly release", dt.date(2026, 5, 1), f"https://github.com/a/b/pull/{n}")
              for n in range(3000)]
    # Processor time, not wall time: other work on the machine must not fail the test.
    started = time.process_time()
    written = write_drafts(drafts, tmp_path)
    elapsed = time.process_time() - started
    names = {path.name for path in written.files}
    assert len(names) == 3000 and "2026-05-01-weekly-release-3000.md" in names
    assert elapsed < 8, f"{elapsed:.1f} s for 3,000 drafts"
