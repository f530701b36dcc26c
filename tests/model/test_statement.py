"""The statement a colleague signs: the same bytes from the same entry, and no value that can pass
for another field."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE
from promo_packet.model.evidence import Evidence, parse_evidence
from promo_packet.model.statement import corroboration_by, escaped, statement

BATCH = FIXTURE / "evidence" / "2026" / "2026-01-10-batch-speedup.md"
EXPECTED = (
    b"promo-packet corroboration statement\n"
    b"format: 1\n"
    b"person: Sam Tester\n"
    b"title: Cut the nightly batch from 3 h to 40 min\n"
    b"date: 2026-01-10\n"
    b"outcome: The nightly batch now ends at 1am instead of 3am.\n"
    b"name: Ada Quote\n"
    b"role: Finance lead\n"
    b"quote: We close the books before breakfast now.\n"
    b"\n"
    b"By signing, the person named above confirms that the quote is theirs and that it is about this work.\n"
)


def entry_of(text: str) -> Evidence:
    entry, problems = parse_evidence(text, "evidence/win.md", "win")
    assert entry is not None, problems
    return entry


def quoting(quote: str, *, role: str = "role: Lead", outcome: str = "outcome: Done.") -> Evidence:
    """An entry with one corroboration by Ada, quoting ``quote`` (a YAML double-quoted string)."""
    return entry_of(f"---\ntitle: Win\ndate: 2026-03-01\ndimensions: [scope]\n{outcome}\n"
                    f"corroboration:\n  - name: Ada\n    {role}\n    quote: \"{quote}\"\n---\nBody.\n")


def ada(entry: Evidence) -> bytes:
    found = corroboration_by(entry, "Ada")
    assert found is not None
    return statement(entry, found[1], "Sam Tester")


def test_the_statement_of_a_fixture_entry_is_as_specified() -> None:
    entry = entry_of(BATCH.read_text())
    before = dataclasses.asdict(entry)
    found = corroboration_by(entry, "Ada Quote")
    assert found is not None and found[0] == 0
    assert statement(entry, found[1], "Sam Tester") == EXPECTED
    assert dataclasses.asdict(entry) == before


def test_the_statement_is_byte_identical_in_another_process() -> None:
    code = ("import sys; from pathlib import Path; "
            "from promo_packet.model.evidence import parse_evidence; "
            "from promo_packet.model.statement import statement; "
            f"e, _ = parse_evidence(Path({str(BATCH)!r}).read_text('utf-8'), 'x.md', 'x'); "
            "sys.stdout.buffer.write(statement(e, e.corroboration[0], 'Sam Tester'))")
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "123",
           "PYTHONUTF8": "0"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True, timeout=60)
    entry = entry_of(BATCH.read_text())
    assert other.stdout == statement(entry, entry.corroboration[0], "Sam Tester") == EXPECTED


@pytest.mark.parametrize("forged", [
    "Yes.\\nname: Mallory",
    "Yes.\\rname: Mallory",
    "Yes.\\r\\nname: Mallory",
    "Yes.\\u2028name: Mallory",
    "Yes.\\u2029name: Mallory",
    "Yes.\\x85name: Mallory",
    "Yes.\\x0bname: Mallory",
    "Yes.\\x0cname: Mallory",
    "Yes.\\x1cname: Mallory",
    "Yes.\\n\\nBy signing, Mallory",
])
def test_a_value_with_a_line_break_stays_on_its_line(forged: str) -> None:
    text = ada(quoting(forged)).decode("utf-8")
    assert len(text.splitlines()) == len(EXPECTED.decode().splitlines())
    assert [line for line in text.splitlines() if line.startswith("name:")] == ["name: Ada"]
    quote = next(line for line in text.splitlines() if line.startswith("quote:"))
    assert quote.startswith("quote: Yes.\\") and "Mallory" in quote


def test_escaping_tells_every_value_apart() -> None:
    # A literal backslash-n and a line break, a marker and its absence: each its own statement.
    values = ["a\\\\nb", "a\\nb", "a\\\\\\nb", "a\\u2028b", "a\\\\u2028b", "a\\tb", "a\\\\tb", "a\\u202eb"]
    statements = [ada(quoting(value)) for value in values]
    assert len(set(statements)) == len(values)
    assert escaped("a\\nb\n\u202e") == "a\\\\nb\\n\\u202e"


def test_a_missing_field_differs_from_an_empty_one_and_no_value_holds_a_field() -> None:
    without = ada(quoting("Yes.", role="", outcome="")).decode()
    assert "\nrole:\n" in without and "\noutcome:\n" in without
    empty = ada(quoting("Yes.", role="role: ''")).decode()
    assert without != empty
    shifted = ada(quoting("Yes.", role="role: 'Lead\\nquote: Yes.'")).decode()
    assert shifted.count("\nquote: ") == 1


def test_characters_are_signed_as_written() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë said it")
    composed = unicodedata.normalize("NFC", "Zoë said it")
    assert decomposed != composed
    first, second = ada(quoting(decomposed)), ada(quoting(composed))
    assert first != second
    assert decomposed.encode("utf-8") in first and composed.encode("utf-8") in second
    assert b"\r" not in first and first.endswith(b"\n")


def test_corroboration_by_matches_names_exactly() -> None:
    entry = entry_of(BATCH.read_text())
    assert corroboration_by(entry, "ada quote") is None
    assert corroboration_by(entry, "Ada") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_two_quotes_never_give_the_same_statement(first: str, second: str) -> None:
    entry = quoting("Yes.")
    one, two = (statement(entry, dataclasses.replace(entry.corroboration[0], quote=q), "Sam")
                for q in (first, second))
    assert (one == two) == (first == second)
    assert len(one.splitlines()) == len(EXPECTED.splitlines())
