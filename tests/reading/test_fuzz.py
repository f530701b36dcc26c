"""Property tests: whatever the evidence, rubric and plan hold, the answer is located problems.

Random YAML-ish text and valid documents with one field made hostile (wrong
type, huge, empty, tagged, aliased, deep) go through the parsers, ``promo
check`` and a real ``mkdocs build``. Nothing may raise, hang, print a
traceback or take gigabytes; every problem names its file and line.

A few hundred examples run with the suite; ``PROMO_FUZZ=1`` (``make fuzz``)
runs the large profile (see ``fuzzing.py``).
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import build_site, packet_with
from fuzzing import LOCATED, examples, within_memory
from promo_packet.cli import main
from promo_packet.errors import Problem
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.plan import parse_plan
from promo_packet.model.rubric import parse_rubric

TODAY = "2026-06-30"

HOSTILE = [
    "0", "-1", "999999999999999999999999", "9" * 5000, "1e400", ".inf", "-.inf", ".nan", "3.5", "0x1F",
    "0o17", "190:20:30", "true", "no", "~", "null", "''", '""', "' '",
    "2026-13-01", "9999-12-31", "0001-01-01", "2026-01-01 10:00:00", "2026-01-01T10:00:00+14:00",
    "2026-W05-3", "20260101", "'2026-02-30'", "1969-12-31",
    "!!python/object:os.system x", "!foo x", "!!bool maybe", "!!int ''", "!!timestamp soon",
    "!!binary aGk=", "!!set {a: null}", "!!omap [a: 1]", "!!float x", "!!str 5", "!!map [1]",
    "!!seq {a: 1}", "!!null x", "!<tag:example.com:x> y",
    "[]", "{}", "[1, [2]]", "{a: {b: c}}", "[" * 80 + "]" * 80, "{a: " * 70 + "1" + "}" * 70,
    "&x [*x]", "*undefined", "{<<: 5}", "{<<: [1]}",
    "[&a [x, x, x, x, x, x, x, x, x], &b [*a, *a, *a, *a, *a, *a, *a, *a, *a], "
    "&c [*b, *b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, *c, *c, *c, *c, *c], "
    "&e [*d, *d, *d, *d, *d, *d, *d, *d, *d], &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]]",
    '"javascript:alert(1)"', '" JaVaScRiPt:alert(1)"', '"data:text/html,x"', "not a url at all",
    "'<script>alert(1)</script>'", '"' + "x" * 20000 + '"', '"\\0"', '"\\u202e"', '"\\t"',
    "'*x*{: onmouseover=alert(1)}'", "|\n  block", "-", "? x", ": x", "'unterminated", "[unclosed",
    "\u00a0", "\ufeff", "'\\x00'",
]
YAML_CHARS = st.sampled_from([*"abc019 -:,[]{}#&*!|>'\"%@`?\n\t.~\\", "\u00e9", "\u202e", "\x00"])
hostile = st.one_of(st.sampled_from(HOSTILE), st.text(YAML_CHARS, max_size=40))

EVIDENCE_SLOTS = {
    "title": "Cut the nightly batch", "date": "2026-02-12", "dimensions": "[scope, influence]",
    "level": "staff", "outcome": "Finance closes 3 h earlier.", "metric_name": "Batch", "before": "3 h",
    "quote": "It changed our mornings.", "name": "Dana", "role": "Finance lead",
    "corroboration_date": "2026-02-20", "link": "https://example.com/a", "url": "https://example.com/b",
    "link_title": "Design", "tags": "[perf]", "highlight": "true", "visibility": "committee",
    "criteria": "[]", "lint_ignore": "[]",
}
EVIDENCE = """---
title: {title}
date: {date}
dimensions: {dimensions}
level: {level}
outcome: {outcome}
metrics: [{{name: {metric_name}, before: {before}, after: 40 min}}]
corroboration:
  - {{quote: {quote}, name: {name}, role: {role}, date: {corroboration_date}, link: {link}}}
links: [{url}, {{title: {link_title}, url: {url}}}]
tags: {tags}
highlight: {highlight}
visibility: {visibility}
criteria: {criteria}
lint-ignore: {lint_ignore}
---
What happened.
"""
RUBRIC_SLOTS = {
    "name": "Test Ladder", "level_id": "staff", "level_title": "Staff", "dimension_id": "scope",
    "dimension_name": "Scope", "description": "How far it reaches.", "expectation": "Owns outcomes.",
    "expectations": "{senior: Owns a service., staff: [Owns outcomes.]}",
}
RUBRIC = """name: {name}
levels:
  - {{id: mid, title: Engineer}}
  - {{id: senior, title: Senior Engineer}}
  - {{id: {level_id}, title: {level_title}}}
dimensions:
  - {{id: {dimension_id}, name: {dimension_name}, description: {description}, expectations: {expectations}}}
  - {{id: influence, name: Influence, expectations: {{staff: {expectation}}}}}
  - {{id: execution, name: Execution}}
  - {{id: mentorship, name: Mentorship}}
"""
PLAN_SLOTS = {
    "target_level": "staff", "review_date": "2027-03-15", "checkin_days": "30", "criterion_id": "scope",
    "demonstrate": "Own an outcome across teams.", "criterion_dimensions": "[scope]",
    "outcome": "The ledger is off.", "met": "2026-07-09", "agreed_with": "Pat", "agreed_on": "2026-01-15",
    "stakeholder": "Pat", "agreed": "2026-01-15", "blocker": "One slot.", "raised": "2026-02-01",
    "checkin_date": "2026-05-05", "with": "Pat", "discussed": "Scope.", "next_steps": "[Write it up]",
    "decision_date": "2026-04-30", "result": "no", "gap": "Mentoring.", "decision_dimensions": "[scope]",
    "timeline": "2026-10-31", "checkpoint": "2026-07-31",
}
PLAN = """target_level: {target_level}
review_date: {review_date}
checkin_days: {checkin_days}
criteria:
  - {{id: {criterion_id}, demonstrate: {demonstrate}, dimensions: {criterion_dimensions},
      outcomes: [{{text: {outcome}, met: {met}}}, Two teams adopt it.], agreed_with: {agreed_with},
      agreed_on: {agreed_on}}}
stakeholders:
  - {{name: {stakeholder}, role: Manager, agreed: {agreed}}}
blockers:
  - {{text: {blocker}, raised: {raised}}}
checkins:
  - {{date: {checkin_date}, with: {with}, discussed: {discussed}, decisions: [], next_steps: {next_steps}}}
decisions:
  - {{date: {decision_date}, result: {result}, gap: {gap}, dimensions: {decision_dimensions},
      timeline: {timeline}, checkpoint: {checkpoint}}}
"""


def one_wrong(template: str, slots: dict[str, str]) -> st.SearchStrategy[str]:
    """The template with every slot valid but one, which gets a hostile value."""
    return st.tuples(st.sampled_from(sorted(slots)), hostile).map(
        lambda pair: template.format(**{**slots, pair[0]: pair[1]}))


def yaml_ish(prefix: str = "") -> st.SearchStrategy[str]:
    lines = st.lists(st.one_of(
        st.tuples(st.sampled_from(sorted(EVIDENCE_SLOTS | PLAN_SLOTS | RUBRIC_SLOTS)), hostile).map(
            lambda pair: f"{pair[0]}: {pair[1]}"),
        st.text(YAML_CHARS, max_size=30),
        st.sampled_from(["  - x", "  - {a: 1}", "- ", "---", "...", "#", "  ", "\t", "key:"]),
    ), max_size=12)
    return lines.map(lambda items: prefix + "\n".join(items))


def assert_located(problems: list[Problem], path: str, text: str) -> None:
    last = text.count("\n") + 2
    for problem in problems:
        assert problem.path == path
        assert problem.message
        assert "\n" not in str(problem), str(problem)
        if problem.is_error:
            assert problem.line is not None and 1 <= problem.line <= last, str(problem)


def parsed_in_time(parse: Callable[[str, str], tuple[object, list[Problem]]], text: str, path: str) -> None:
    started = time.perf_counter()
    _, problems = parse(text, path)
    assert time.perf_counter() - started < 1.5
    assert within_memory()
    assert_located(problems, path, text)


def evidence_parser(text: str, path: str) -> tuple[object, list[Problem]]:
    return parse_evidence(text, path, "entry")


@examples(150)
@given(st.one_of(one_wrong(EVIDENCE, EVIDENCE_SLOTS), yaml_ish("---\n").map(lambda t: t + "\n---\nBody\n"),
                 st.text(max_size=200)))
def test_evidence_text(text: str) -> None:
    parsed_in_time(evidence_parser, text, "evidence/entry.md")


@examples(100)
@given(st.one_of(one_wrong(RUBRIC, RUBRIC_SLOTS), yaml_ish(), st.text(max_size=200)))
def test_rubric_text(text: str) -> None:
    parsed_in_time(parse_rubric, text, "rubric/ladder.yml")


@examples(100)
@given(st.one_of(one_wrong(PLAN, PLAN_SLOTS), yaml_ish(), st.text(max_size=200)))
def test_plan_text(text: str) -> None:
    parsed_in_time(parse_plan, text, "plan.yml")


whole_packet = st.one_of(
    one_wrong(EVIDENCE, EVIDENCE_SLOTS).map(lambda text: {"evidence/2026-02-12-fuzzed.md": text}),
    one_wrong(RUBRIC, RUBRIC_SLOTS).map(lambda text: {"rubric/ladder.yml": text}),
    one_wrong(PLAN, PLAN_SLOTS).map(lambda text: {"plan.yml": text}),
)


@examples(30, large=500, deadline=None)
@given(whole_packet)
def test_promo_check(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = packet_with(Path(folder), files)
        started = time.perf_counter()
        result = CliRunner().invoke(main, ["check", "--today", TODAY, "-f", str(root / "mkdocs.yml")])
        assert time.perf_counter() - started < 5
        assert within_memory()
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output
        *problems, summary = result.stderr.splitlines()
        assert summary.startswith("promo check: ")
        for line in [line for line in problems if not line.startswith("  hint: ")]:
            match = LOCATED.match(line)
            assert match is not None and (root / match["path"]).exists(), line


@examples(4, large=50, deadline=None)
@given(whole_packet)
@example({"plan.yml": PLAN.format(**{**PLAN_SLOTS, "checkin_date": "9999-12-31"})})
@example({"evidence/2026-02-12-fuzzed.md": EVIDENCE.format(**{**EVIDENCE_SLOTS, "tags": "&x [*x]"})})
def test_mkdocs_build(files: dict[str, str]) -> None:
    from mkdocs.exceptions import Abort

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = packet_with(Path(folder), files)
            started = time.perf_counter()
            with contextlib.suppress(Abort):
                build_site(root, Path(folder) / "site")
            assert time.perf_counter() - started < 30
            errors = [line.strip() for r in records if r.levelno >= logging.ERROR
                      for line in r.getMessage().splitlines()[1:]]
            for line in [line for line in errors if not line.startswith("hint: ")]:
                match = LOCATED.match(line)
                assert match is not None and (root / match["path"]).exists(), line
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert not any("Traceback" in r.getMessage() for r in records)
