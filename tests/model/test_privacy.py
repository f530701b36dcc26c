"""Private notes: every way of writing one stays out of the sponsor and committee builds, and
anything that only looks like one stops the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import build_site, make_packet, site_text
from promo_packet.cli import main
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.privacy import private_note_problems, strip_private_notes

# name -> narrative; each hides CANARY-<name>-pn4 in a private note and keeps KEEP-<name>-pn4.
VARIANTS = {
    "title-case": "Before.\n\n!!! Private\n    CANARY-title-case-pn4\n\nKEEP-title-case-pn4\n",
    "upper-case": ('!!! PRIVATE "CANARY-upper-case-pn4 title"\n    CANARY-upper-case-pn4\n\n'
                   "KEEP-upper-case-pn4\n"),
    "no-space": "!!!private\n    CANARY-no-space-pn4\nKEEP-no-space-pn4\n",
    "wide-space": '!!!   Private "CANARY-wide-space-pn4"\n    CANARY-wide-space-pn4\n\nKEEP-wide-space-pn4\n',
    "details": '???+ private "Open"\n    CANARY-details-pn4\n\nKEEP-details-pn4\n',
    "in-list": ("- first point\n\n    !!! private\n        CANARY-in-list-pn4\n\n"
                "        still CANARY-in-list-pn4\n\n- KEEP-in-list-pn4\n"),
    "item-marker": "- !!! private\n      CANARY-item-marker-pn4\n- KEEP-item-marker-pn4\n",
    "in-quote": ("> Quoted.\n>\n> !!! private\n>     CANARY-in-quote-pn4\n>\n"
                 ">     CANARY-in-quote-pn4 again\n> KEEP-in-quote-pn4\n"),
    "lazy-quote": ("> !!! private\n>     CANARY-lazy-quote-pn4\n    CANARY-lazy-quote-pn4 lazily\n\n"
                   "KEEP-lazy-quote-pn4\n"),
    "list-in-quote": ("> - first\n>\n>     !!! private\n>         CANARY-list-in-quote-pn4\n>\n"
                      "> - KEEP-list-in-quote-pn4\n"),
    "tab": "Before.\n\n!!! private\n\tCANARY-tab-pn4\n\n\tCANARY-tab-pn4 again\n\nKEEP-tab-pn4\n",
    "crlf": "Before.\r\n\r\n!!! private\r\n    CANARY-crlf-pn4\r\n\r\nKEEP-crlf-pn4\r\n",
    "before-code": ("!!! private\n    CANARY-before-code-pn4\n\nAfter the note.\n\n"
                    "    KEEP-before-code-pn4 in an indented code block\n"),
    "at-end": "KEEP-at-end-pn4\n\n!!! private\n    CANARY-at-end-pn4",
}
FENCED = "Fenced:\n\n```\n!!! private\n    KEEP-fenced-pn4\n```\n\nAfter the fence.\n"


def canary(name: str) -> str:
    return f"CANARY-{name}-pn4"


def keep(name: str) -> str:
    return f"KEEP-{name}-pn4"


def entry(title: str, body: str, newline: str = "\n") -> str:
    front = ["---", f"title: {title}", "date: 2026-07-01", "dimensions: [scope]", "---", ""]
    return newline.join(front) + body


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture packet plus one committee-visible entry per variant."""
    root = make_packet(tmp_path_factory.mktemp("privacy"))
    for index, (name, body) in enumerate([*VARIANTS.items(), ("fenced", FENCED)]):
        newline = "\r\n" if name == "crlf" else "\n"
        (root / "evidence" / f"2026-07-{index + 1:02d}-note-{name}.md").write_bytes(
            entry(f"Note variant {name}", body, newline).encode())
    return root


def test_private_note_variants_reach_only_the_self_build(variants: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fenced = f"evidence/2026-07-{len(VARIANTS) + 1:02d}-note-fenced/index.html"
    for audience in ("self", "sponsor", "committee"):
        monkeypatch.setenv("PROMO_AUDIENCE", audience)
        site = build_site(variants, tmp_path / audience, pdf=audience == "committee")
        everything = site_text(site)
        assert "search/search_index.json" in everything
        for name in VARIANTS:
            assert keep(name) in everything, (audience, name)
            assert (canary(name) in everything) is (audience == "self"), (audience, name)
        assert "<code>!!! private\n    KEEP-fenced-pn4\n</code>" in (site / fenced).read_text(), audience
    pdf = tmp_path / "committee" / "packet.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Note variant title-case" in text
    assert "CANARY-" not in text and b"CANARY-" not in pdf.read_bytes()


def test_the_stripper_removes_each_variant_whole() -> None:
    for name, body in VARIANTS.items():
        stripped = strip_private_notes(body)
        assert canary(name) not in stripped and keep(name) in stripped, name
        assert "private" not in stripped.lower(), name
        assert set(stripped.splitlines()) <= set(body.splitlines()), name


STRUCTURE = [
    ("A\n\n!!! private\n    x\n\n    y\nB\n", "A\n\nB\n"),
    ("A\n\n!!! private\n    x\n\nB\n", "A\n\n\nB\n"),  # blank lines after a note are not the note's
    ("A\r\n!!! private\r\n    x\r\nB\r\n", "A\r\nB\r\n"),
    ("- a\n    !!! private\n        x\n    b\n- c\n", "- a\n    b\n- c\n"),
    ("> !!! private\n>     x\n> > nested\n", "> > nested\n"),
    ("> !!! private\n>     x\n\n>     y\n", ""),  # quotes apart by a blank line are one quote
    ("> !!! private\n>     x\n\n    y\n", "\n    y\n"),
    ("```\n!!! private\n    x\n```\n", "```\n!!! private\n    x\n```\n"),
    ("~~~~python\n!!! private\n~~~~\n", "~~~~python\n!!! private\n~~~~\n"),
    # Fences that Markdown engines may not all read as code do not protect a marker.
    ("```\n!!! private\n    x\n````\n", "```\n````\n"),
    ("```\n!!! private\n    x\n", "```\n"),
    ("  ```\n!!! private\n    x\n  ```\n", "  ```\n"),
    ("> ```\n> !!! private\n>     x\n> ```\n", "> ```\n> ```\n"),
    ("Text\n```\n!!! private\n    x\n```\n", "Text\n```\n```\n"),  # a fence straight after text
    ("> !!! private\n>     x\n>     \n    y\n", ""),  # a quoted empty line is not a blank line
    ("> !!! private\n        > x\n", ""),  # four spaces before '>': a lazy line to Python-Markdown
    ("- > !!! private\n    > x\n- y\n", "- y\n"),
    ("Text\n!!! private\n    x\n", "Text\n"),
    ("!!! private warning\n    x\n", ""),
    ("!!! note private\n    x\n", ""),
    ('!!! note "private matters"\n    public\n', '!!! note "private matters"\n    public\n'),
    ("Nothing private here.\n", "Nothing private here.\n"),
]


def test_the_stripper_follows_the_block_structure() -> None:
    wrong = [(body, strip_private_notes(body), expected) for body, expected in STRUCTURE
             if strip_private_notes(body) != expected]
    assert not wrong


LOOK_ALIKES = ["!!! privat", "!!! private-note", "!! private", '<div class="private" markdown>', ":::private",
               "::: private", "!!!! private", "??? Privat", "!!! private: the budget",
               '!!! private "unclosed', "- !!! priv", "> !!! Privately", "A paragraph {: .private }",
               '<p class="note private">x</p>', "{: class='private' }"]


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_a_look_alike_is_an_error_on_its_line(line: str) -> None:
    body = f"Narrative.\n\n{line}\n    the text\n"
    problems = private_note_problems(body, "evidence/x.md", 7)
    assert [(p.line, p.is_error) for p in problems] == [(9, True)], problems
    assert "looks like a private note but is not one" in problems[0].message and problems[0].hint


@pytest.mark.parametrize("body", [
    "```\n!! private\n<div class=\"private\">\n```\n",
    "Write `<div class=\"private\">` to style it.\n",
    '!!! note "Private matters"\n    public\n',
    "!!! private\n    <div class=\"private\">inside the note, never published</div>\n",
    "The deprivation of sleep.\n",
])
def test_only_look_alikes_are_errors(body: str) -> None:
    problems = private_note_problems(f"{body}\n!! private\n", "x.md", 1)
    assert [p.line for p in problems] == [len(body.splitlines()) + 2], problems


def test_markdown_has_the_last_word_on_where_a_note_ends() -> None:
    body = "!!! private\n    <div markdown>\n\nPublic after the note?\n"
    problems = private_note_problems(body, "evidence/x.md", 6)
    assert [(p.line, p.is_error) for p in problems] == [(9, True)], problems
    assert "Markdown reads this line into the private note above it" in problems[0].message
    assert private_note_problems("!!! private\n    <div markdown>secret</div>\n\nPublic.\n", "x.md", 1) == []


def test_parse_evidence_reports_every_look_alike_with_its_file_line() -> None:
    text = entry("T", "Intro.\n\n!!! privat\n    x\n\nMore.\n\n<div class=\"PRIVATE\">\n</div>\n")
    found, problems = parse_evidence(text, "evidence/t.md", "t")
    assert found is None
    assert [(p.path, p.line) for p in problems] == [("evidence/t.md", 8), ("evidence/t.md", 13)]


def test_a_look_alike_stops_the_build_and_promo_check(tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path)
    slip = entry("Slip", "Public.\n\n!! private\n    SECRET\n")
    (root / "evidence" / "2026-07-01-slip.md").write_text(slip)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    assert not (tmp_path / "site" / "evidence" / "2026-07-01-slip").exists()
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1
    expected = "evidence/2026-07-01-slip.md:8: error: looks like a private note but is not one: '!! private'"
    assert expected in result.stderr


CONFUSABLES = {
    "cyrillic-er": "!!! \u0440rivate",
    "cyrillic-a": "!!! priv\u0430te",
    "greek-rho": '!!! \u03c1rivate "Mine"',
    "zero-width-space": "!!! pri\u200bvate",
    "zero-width-before": "\u200b!!! private",
    "soft-hyphen": "> !!! pri\u00advate",
    "dotted-capital-i": "!!! PR\u0130VATE",
    "dotless-i": "!!! pr\u0131vate",
    "fullwidth-marks": "\uff01\uff01\uff01 private",
    "fullwidth-word": "!!! \uff50\uff52\uff49\uff56\uff41\uff54\uff45",
    "double-exclamation": "\u203c! private",
    "fullwidth-question": "\uff1f\uff1f\uff1f+ private",
    "in-list": "- !!! priv\u0430te",
    "class": '<div class="\u0440rivate" markdown>',
}
"""Spellings of ``!!! private`` that look the same to the author but are not the note to Markdown."""


@pytest.mark.parametrize("line", CONFUSABLES.values(), ids=CONFUSABLES.keys())
def test_a_confusable_spelling_is_a_look_alike_error(line: str) -> None:
    body = f"Narrative.\n\n{line}\n    CANARY-confusable-pn4\n"
    problems = private_note_problems(body, "evidence/x.md", 7)
    assert [(p.line, p.is_error) for p in problems] == [(9, True)], problems
    assert "looks like a private note but is not one" in problems[0].message and problems[0].hint
    assert "(it holds U+" in problems[0].message


def test_a_look_alike_names_the_characters_that_are_not_what_they_seem() -> None:
    (problem,) = private_note_problems("!!! pri\u200bvate\n    x\n", "x.md", 1)
    assert problem.message == ("looks like a private note but is not one: '!!! pri\\u200bvate' "
                               "(it holds U+200B ZERO WIDTH SPACE)")


@pytest.mark.parametrize("body", [
    '!!! note "\u041f\u0440\u0438\u0432\u0435\u0442"\n    \u0442\u0435\u043a\u0441\u0442\n',
    "Caf\u00e9, na\u00efve, \u0440\u0430\u0431\u043e\u0442\u0430 "
    "\u043f\u0440\u0438\u0432\u0430\u0442\u043d\u043e.\n",
    '!!! private "Zo\u00eb\u2019s note"\n    \u0440\u0438\u0432\u0435\u0442\n',
    "```\n\uff01\uff01\uff01 private\n```\n",
])
def test_other_scripts_and_accents_are_not_look_alikes(body: str) -> None:
    assert private_note_problems(body, "x.md", 1) == []


def test_a_confusable_note_stops_the_build(tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    root = make_packet(tmp_path)
    for index, (name, line) in enumerate(CONFUSABLES.items()):
        (root / "evidence" / f"2026-07-{index + 1:02d}-{name}.md").write_text(
            entry(name, f"Public.\n\n{line}\n    CANARY-{name}-pn4\n"), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site")
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert result.exit_code == 1
    for index, name in enumerate(CONFUSABLES):
        where = f"evidence/2026-07-{index + 1:02d}-{name}.md:8: error: looks like a private note"
        assert where in result.stderr, name


FOOTNOTED = ("A public claim[^source].\n\n!!! private \"Why I believe it\"\n"
             "    CANARY-footnote-note-pn4[^mine].\n\n"
             "    [^mine]: <https://example.com/CANARY-footnote-mine-pn4>\n"
             "    [^source]: <https://example.com/CANARY-footnote-source-pn4>\n\nKEEP-footnote-pn4\n")


def test_a_footnote_inside_a_private_note_stays_in_the_self_build_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "2026-07-01-footnoted.md").write_text(entry("Footnoted", FOOTNOTED))
    assert private_note_problems(FOOTNOTED, "x.md", 1) == []
    for audience in ("self", "sponsor"):
        monkeypatch.setenv("PROMO_AUDIENCE", audience)
        site = build_site(root, tmp_path / audience)
        page = (site / "evidence" / "2026-07-01-footnoted" / "index.html").read_text("utf-8")
        assert "KEEP-footnote-pn4" in page
        if audience == "self":
            footnotes = page[page.index('<div class="footnote">'):]
            for name in ("mine", "source"):
                assert f">https://example.com/CANARY-footnote-{name}-pn4</a>" in footnotes, name
        else:
            assert "CANARY-footnote" not in site_text(site)


@pytest.mark.parametrize(("body", "lines"), [
    ("!!! private\n    Secret[^s].\n\n[^s]: CANARY the source\n", [4]),
    ("!!! private\n    Secret[^s][^t].\n\n> [^s]: one\n\n- [^t]: two\n", [4, 6]),
    ("!!! private\n    Secret[^s].\n\n    [^s]: in the note\n", []),
    ("Public[^s].\n\n!!! private\n    Secret[^s].\n\n[^s]: referenced from both\n", []),
    ("Public[^p].\n\n[^p]: no note refers to it\n\n!!! private\n    Secret.\n", []),
])
def test_a_footnote_of_a_private_note_defined_outside_it_is_an_error(body: str, lines: list[int]) -> None:
    problems = private_note_problems(body, "x.md", 1)
    assert [p.line for p in problems] == lines, problems
    assert all("referenced only from a private note" in p.message for p in problems)
