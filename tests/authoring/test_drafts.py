"""Drafts of evidence: written once per source, never over a file, never inventing an outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from promo_packet.authoring.drafts import Draft, existing_sources, render, suggest, write_drafts

DRAFT = Draft("Fix: retry <loop> & queue", dt.date(2026, 5, 1), "https://github.com/a/b/pull/12",
              (("PR #12", "https://github.com/a/b/pull/12"),), ("Repository: a/b",), ("execution",))


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


def test_a_draft_holds_what_the_source_says_and_suggests_without_deciding() -> None:
    text = render(DRAFT)
    assert "title: 'Fix: retry <loop> & queue'" in text and "draft: true" in text
    assert "dimensions: []   # suggested: execution" in text
    assert "\noutcome:" not in text  # never invented
    assert suggest("Fixed the incident review", {"execution": ["incident"], "influence": ["rfc"]}) == (
        "execution",)
