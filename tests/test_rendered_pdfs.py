"""PDFs rendered once per test process (tests/rendered_pdfs.py): one render per input, none kept
for a test marked ``renders_afresh``."""

from __future__ import annotations

from typing import Any

import pytest

import rendered_pdfs


def counted() -> tuple[list[str], rendered_pdfs.Render]:
    calls: list[str] = []

    def render(html: str, key: str) -> tuple[bytes, dict[str, Any]]:
        calls.append(html)
        return f"{len(calls)}".encode(), {"pages": len(calls)}

    return calls, rendered_pdfs.remembered(render)


def test_an_input_is_rendered_once_and_its_facts_are_the_caller_s_own() -> None:
    calls, render = counted()
    first = render("<p>a</p>", "k")
    first[1]["pages"] = 99
    assert render("<p>a</p>", "k") == (b"1", {"pages": 1})
    assert render("<p>a</p>", "other key") == (b"2", {"pages": 2})
    assert render("<p>b</p>", "k") == (b"3", {"pages": 3})
    assert calls == ["<p>a</p>", "<p>a</p>", "<p>b</p>"]


@pytest.mark.renders_afresh
def test_a_test_marked_renders_afresh_renders_every_time() -> None:
    calls, render = counted()
    assert [render("<p>a</p>", "k") for _ in range(2)] == [(b"1", {"pages": 1}), (b"2", {"pages": 2})]
    assert len(calls) == 2
