"""Files the project writes read back as what was meant, whatever the text in them.

Ids, titles and names come from people and from other companies' ladders: every one that YAML or
Markdown could read as syntax goes through the one YAML writer or the one escaper, and a written
file is read back before it replaces anything.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TESTS, build_site, make_packet, q, run
from promo_packet.errors import RequestError
from promo_packet.importers import dump_rubric
from promo_packet.importers.draft import Draft
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.plan import parse_plan
from promo_packet.model.rubric import parse_rubric
from promo_packet.reading.yaml_writer import storable, write_checked
from promo_packet.render.pages import text

AWKWARD_IDS = ["#1 priority", "Tech: craft", "a, b", "x]", "- dash", "? q", "&anchor", "*star", "!bang",
               "%pct", "@at", "it's", "`tick`", "{b}", "[a]", "|p", ">f", "yes", "null", "1.10", "~ t",
               "\"quoted\""]
DRAFT = """---
title: A draft
date: 2026-03-02
dimensions: []   # suggested: scope
draft: true
source: https://example.com/pull/{n}
---

What the source said.
"""


def awkward_packet(base: Path) -> Path:
    """The fixture packet with a rubric whose dimension ids are :data:`AWKWARD_IDS`."""
    root = make_packet(base)
    dimensions = "".join(f"  - id: {q(ident)}\n    name: {q('Name ' + ident)}\n    expectations:\n"
                         f"      staff: {q(f'Does {ident} well.')}\n" for ident in AWKWARD_IDS)
    rubric = root / "rubric" / "ladder.yml"
    text = rubric.read_text("utf-8")
    rubric.write_text(text[:text.index("dimensions:")] + "dimensions:\n" + dimensions, "utf-8")
    ladder, problems = parse_rubric(rubric.read_text("utf-8"), "ladder.yml")
    assert ladder is not None and list(ladder.dimension_ids) == AWKWARD_IDS, problems
    return root


def read_back(path: Path) -> Any:
    entry, problems = parse_evidence(path.read_text("utf-8"), str(path), "entry")
    assert entry is not None and not [p for p in problems if p.is_error], problems
    return entry


@pytest.mark.parametrize("ident", AWKWARD_IDS)
def test_an_awkward_id_through_new_and_accept_reads_back_as_itself(tmp_path: Path, ident: str) -> None:
    root = awkward_packet(tmp_path)
    code, out, err = run("new", "A win", "-d", ident, "--date", "2026-06-20", cwd=root)
    assert code == 0, err
    assert read_back(root / out.strip()).dimensions == (ident,)
    drafts = root / "evidence" / "drafts"
    drafts.mkdir()
    (drafts / "2026-03-02-a-draft.md").write_text(DRAFT.format(n=1), "utf-8")
    code, out, err = run("accept", "evidence/drafts/2026-03-02-a-draft.md", "-d", ident, "-d", "yes",
                         cwd=root)
    assert code == 0, err
    accepted = read_back(root / out.strip())
    assert accepted.dimensions == (ident, "yes") and not accepted.draft


class _StarterLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's ``!ENV`` values as their tag, without looking at the environment."""


_StarterLoader.add_multi_constructor("!ENV", lambda loader, suffix, node: "!ENV")

HOSTILE_TITLE = "Staff\nextra_javascript: [https://evil.example/x.js]\ncopyright: '<script>x()</script>'"
FT_LADDER = {"name": "Ladder", "levels": [{"id": "senior", "name": "Senior"},
                                          {"id": "staff", "name": HOSTILE_TITLE}],
             "themes": [{"id": "craft", "name": "Craft", "summary": "Builds well."}],
             "competencies": [{"id": "c1", "level": "staff", "theme": "craft", "summary": "Leads."},
                              {"id": "c2", "level": "senior", "theme": "craft", "summary": "Ships."}]}


def test_a_ladder_title_with_line_breaks_and_yaml_stays_a_title(tmp_path: Path) -> None:
    (tmp_path / "ft.yml").write_text(yaml.safe_dump(FT_LADDER), "utf-8")
    code, _, err = run("init", str(tmp_path / "starter"), "--target", "staff")
    assert code == 0, err
    code, _, err = run("init", str(tmp_path / "mine"), "--rubric", str(tmp_path / "ft.yml"), "--target",
                       "staff")
    assert code == 0, err
    config = yaml.load((tmp_path / "mine" / "mkdocs.yml").read_text("utf-8"), _StarterLoader)
    starter = yaml.load((tmp_path / "starter" / "mkdocs.yml").read_text("utf-8"), _StarterLoader)
    assert list(config) == list(starter)
    assert config["site_description"] == str(text(f"Evidence for promotion to {HOSTILE_TITLE}"))
    about = (tmp_path / "mine" / "docs" / "about.md").read_text("utf-8")
    assert "<script>" not in about and "\ncopyright:" not in about and "\nextra_javascript" not in about
    assert "promotion from Senior to Staff extra_javascript&#58; " in about
    site = build_site(tmp_path / "mine", tmp_path / "site")
    pages = [page.read_text("utf-8") for page in site.rglob("*.html")]
    assert pages and not [page for page in pages if "evil.example/x.js\"" in page or "<script>x()" in page]


def test_esc_in_a_ladder_never_reaches_ladder_yml(tmp_path: Path) -> None:
    levels = [{"id": "senior", "name": "Sen\x1bior"}, {"id": "staff", "name": "Staff"}]
    ladder = {**FT_LADDER, "levels": levels}
    # A file name is written into a comment, where YAML allows no escape at all.
    source = tmp_path / "ft\x1b[31m.yml"
    source.write_text(yaml.safe_dump(ladder), "utf-8")
    code, _, err = run("rubric", "import", source.name, "-o", "ladder.yml", cwd=tmp_path)
    assert code == 0, err
    written = (tmp_path / "ladder.yml").read_text("utf-8")
    assert "\x1b" not in written and "\\e" not in written
    read, problems = parse_rubric(written, "ladder.yml")
    assert read is not None and read.level("senior") is not None, problems
    assert read.level("senior").title == "Sen\ufffdior"  # type: ignore[union-attr]


def test_a_lone_surrogate_in_a_ladder_is_replaced_not_written() -> None:
    draft = Draft("ladder.csv", "a CSV spreadsheet", name="Odd \ud800 ladder")
    draft.add_level("senior", "Sen\udc80ior")
    draft.dimension("Cra\ud83dft").expect("senior", ["Ships \ud800 work."])
    written = dump_rubric(draft)
    written.encode("utf-8")
    read, problems = parse_rubric(written, "ladder.yml")
    assert read is not None, problems
    assert read.name == "Odd \ufffd ladder" and read.level_ids == ("senior",)
    assert read.dimensions[0].name == "Cra\ufffdft"
    assert read.level("senior").title == "Sen\ufffdior"  # type: ignore[union-attr]


PULLS = [
    {"number": 2, "title": "A: b, [c]", "url": "https://github.com/acme/site/pull/2",
     "mergedAt": "2026-04-03T09:15:00Z", "body": "# Not a heading\n<script>x()</script>",
     "repository": {"nameWithOwner": "acme/site"}},
    {"number": 3, "title": "- [x] ! & * | > '\"", "url": "https://github.com/acme/site/pull/3",
     "mergedAt": "2026-04-04T09:15:00Z", "body": "---\nx: 1\n---"},
]
UNSTORABLE = [
    {"number": 1, "title": "Lone \ud800 surrogate", "url": "https://github.com/acme/site/pull/1",
     "mergedAt": "2026-04-02T09:15:00Z", "repository": {"nameWithOwner": "acme/site\n---\nx: 1"}},
]


def test_github_text_that_yaml_or_markdown_would_read_as_syntax_gives_drafts_check_accepts(
        tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "prs.json").write_text(json.dumps(PULLS), "utf-8")
    code, _, err = run("import", "github", "prs.json", cwd=root)
    assert code == 0, err
    written = sorted((root / "evidence" / "drafts").glob("*.md"))
    assert len(written) == 2
    titles = {read_back(path).title for path in written}
    assert titles == {"A: b, [c]", "- [x] ! & * | > '\""}
    body = "".join(path.read_text("utf-8") for path in written)
    assert "<script>" not in body and "\n---\nx: 1" not in body
    code, _, err = run("check", cwd=root)
    assert code == 0, err


def test_github_text_no_draft_could_hold_is_a_located_problem_and_nothing_is_written(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "prs.json").write_text(json.dumps(UNSTORABLE), "utf-8")
    code, _, err = run("import", "github", "prs.json", cwd=root)
    assert code == 1
    assert "prs.json:1: error: [0].title: holds U+D800" in err
    assert "prs.json:1: error: [0].repository.nameWithOwner: holds the control character U+000A" in err
    assert not (root / "evidence" / "drafts").exists()


@pytest.mark.parametrize("url", ["https://github.com/acme/site/pull/3 x", "https://github.com/acme/\nsite"])
def test_a_pull_request_url_that_is_no_url_is_refused_with_its_place(tmp_path: Path, url: str) -> None:
    root = make_packet(tmp_path)
    pulls = [{"number": 3, "title": "Odd", "url": url, "mergedAt": "2026-04-02T09:15:00Z"}]
    (root / "prs.json").write_text(json.dumps(pulls), "utf-8")
    code, _, err = run("import", "github", "prs.json", cwd=root)
    assert code == 1
    assert "prs.json" in err and "[0].url" in err and "is not a URL" in err
    assert not (root / "evidence" / "drafts").exists()


def test_a_pull_request_url_with_a_quote_is_written_as_it_is_and_checks(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    url = "https://github.com/acme/site/pull/3?q=\"x'"
    pulls = [{"number": 3, "title": "Odd", "url": url, "mergedAt": "2026-04-02T09:15:00Z"}]
    (root / "prs.json").write_text(json.dumps(pulls), "utf-8")
    code, _, err = run("import", "github", "prs.json", cwd=root)
    assert code == 0, err
    (written,) = (root / "evidence" / "drafts").glob("*.md")
    entry = read_back(written)
    assert entry.source == url and [link.url for link in entry.links] == [url]
    code, _, err = run("check", cwd=root)
    assert code == 0, err


@pytest.mark.parametrize("who", ["Ana\x1b[31mB", "Ana\ud800B"])
def test_a_check_in_with_a_character_yaml_cannot_hold_is_written_with_a_stand_in(
        tmp_path: Path, who: str) -> None:
    root = make_packet(tmp_path)
    shutil.copy(TESTS / "fixtures" / "plan.yml", root / "plan.yml")
    code, _, err = run("checkin", "--date", "2026-09-01", "--with", who, cwd=root)
    assert code == 0, err
    text = (root / "plan.yml").read_text("utf-8")
    assert "\x1b" not in text and "\\e" not in text and "\\ud800" not in text.lower()
    plan, problems = parse_plan(text, "plan.yml")
    assert plan is not None and plan.checkins[-1].with_ == storable(who) != who, problems


def test_a_file_that_would_not_read_back_is_never_written(tmp_path: Path) -> None:
    target = tmp_path / "ladder.yml"
    target.write_text("kept\n", "utf-8")
    for written, line in (("name: [unclosed\n", 2), ("levels: []\nname: a\ud800b\n", 2)):
        with pytest.raises(RequestError) as caught:
            write_checked(target, written, lambda text: parse_rubric(text, "ladder.yml")[1])
        assert line in [problem.line for problem in caught.value.problems]
    assert target.read_text("utf-8") == "kept\n" and [p.name for p in tmp_path.iterdir()] == ["ladder.yml"]
