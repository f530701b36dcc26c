"""The domain core on its own: no MkDocs, a stable public API, the model's rules."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import promo_packet
from conftest import FIXTURE, REPO, example_packet
from promo_packet import (
    Audience,
    EvidenceLoader,
    PacketSettings,
    Status,
    Strength,
    Visibility,
    build_packet,
    load_evidence,
    load_rubric,
    strength_of,
)
from promo_packet.errors import PromoPacketError, RequestError
from promo_packet.model.evidence import parse_evidence
from promo_packet.model.rubric import Behaviour, parse_rubric
from promo_packet.reading.ids import ID_HINT
from promo_packet.reports.review import parse_month


def test_core_imports_without_mkdocs() -> None:
    code = (
        "import sys, datetime, promo_packet, promo_packet.cli, promo_packet.render.pdf\n"
        "from promo_packet.hosts.project import read_config, assemble\n"
        "from pathlib import Path\n"
        f"options, problems = read_config(Path({str(FIXTURE / 'mkdocs.yml')!r}))\n"
        "assembly = assemble(options.sources, options.packet)\n"
        "assert assembly.ok, assembly.problems\n"
        "list(promo_packet.render_pages(assembly.packet))\n"
        "promo_packet.render.pdf.print_html(assembly.packet, options.pdf, datetime.date.today())\n"
        "loaded = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'material')))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


PACKAGE = REPO / "plugins" / "promo_packet"


def import_graph() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports, at module level or inside a
    function: ``from . import x`` names module ``x`` if there is one, else the package itself."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                imported |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                             for alias in node.names}
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


def first_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as the modules along it, first repeated last; None if there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            cycle = visit(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    return next((cycle for module in sorted(graph) if (cycle := visit(module, []))), None)


def test_the_package_imports_without_cycles() -> None:
    graph = import_graph()
    assert "promo_packet.model.plan" in graph["promo_packet.model.progress"]
    assert first_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    cycle = first_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_error_the_package_defines_is_in_its_tree() -> None:
    defined = {value for info in pkgutil.walk_packages(promo_packet.__path__, "promo_packet.")
               for name, value in vars(importlib.import_module(info.name)).items()
               if isinstance(value, type) and issubclass(value, Exception) and not name.startswith("_")
               and value.__module__ == info.name}
    assert RequestError in defined
    assert [error.__name__ for error in defined if not issubclass(error, PromoPacketError)] == []


@pytest.mark.parametrize("month", ["last spring", "1066-10"])
def test_a_month_that_cannot_be_read_is_a_request_error(month: str) -> None:
    with pytest.raises(RequestError):
        parse_month(month)


def entry(text: str, slug: str = "e") -> promo_packet.Evidence:
    found, problems = parse_evidence(text, f"{slug}.md", slug)
    assert found is not None, problems
    return found


LADDER = """
name: L
levels: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}]
dimensions:
  - {id: x, name: X, expectations: {b: Does B things., c: [Does C things, and more]}}
  - {id: y, name: Y}
"""


def make(*entries: promo_packet.Evidence, audience: Audience = Audience.SPONSOR,
         threshold: int = 2, quarters: int = 1) -> promo_packet.Packet:
    ladder, problems = parse_rubric(LADDER, "rubric.yml")
    assert ladder is not None, problems
    packet, problems = build_packet(ladder, list(entries), PacketSettings(
        current_level="a", target_level="b", audience=audience, demonstrated_at=threshold,
        consistent_quarters=quarters))
    assert packet is not None, problems
    return packet


def win(slug: str, *, level: str | None = None, dims: str = "[x]", extra: str = "") -> promo_packet.Evidence:
    level_line = f"level: {level}\n" if level else ""
    return entry(f"---\ntitle: {slug}\ndate: 2026-01-0{len(slug)}\ndimensions: {dims}\n"
                 f"{level_line}{extra}---\nbody\n", slug)


def test_coverage_counts_entries_at_or_above_target() -> None:
    proof = "outcome: Cut it from 3 days to 1\n"
    packet = make(win("one", extra=proof), win("two", level="c", extra=proof), win("three", level="a"))
    x = packet.coverage_of("x")
    assert x.status is Status.DEMONSTRATED
    assert dict(x.by_level) == {"a": 1, "b": 1, "c": 1}
    assert [e.slug for e in x.counting] == ["two", "one"]
    assert x.reason == ("2 entries at B level or above with a figure or a named corroborator, "
                        "over one quarter (2026 Q1).")
    assert packet.coverage_of("y").status is Status.GAP


def test_thin_and_gap_explain_what_is_missing() -> None:
    thin = make(win("one", extra="outcome: Cut it from 3 days to 1\n")).coverage_of("x")
    assert thin.status is Status.THIN
    assert thin.reason == ("1 entry at B level or above with a figure or a named corroborator; "
                           "1 more would make it demonstrated.")
    assert thin.finding == "1 entry at B level or above, 1 with a figure or a named corroborator, " \
                           "over one quarter (2026 Q1)."
    claimed = make(win("one"), win("two")).coverage_of("x")  # the author's own account counts for nothing
    assert claimed.status is Status.THIN
    assert claimed.reason.endswith("(2 without either); 2 more would make it demonstrated.")
    below = make(win("low", level="a")).coverage_of("x")
    assert below.status is Status.GAP
    assert below.reason == ("No entry at B level or above yet (1 below it); 2 at B level or above with a "
                            "figure or a named corroborator, over 1 quarter, would make it demonstrated.")


def test_gaps_put_missing_before_thin() -> None:
    packet = make(win("one"), threshold=2)
    assert [(c.dimension.id, c.status) for c in packet.gaps] == [("y", Status.GAP), ("x", Status.THIN)]


FIGURE = "outcome: Cut it from 3 days to 1\n"
NAMED = "corroboration: [{name: Q, quote: yes}]\n"


def test_strength_needs_a_figure_and_a_named_corroboration() -> None:
    assert strength_of(win("metric", extra="metrics: [{name: m, after: '2'}]\n" + NAMED)) is Strength.STRONG
    assert strength_of(win("figure", extra=FIGURE)) is Strength.SUPPORTED
    assert strength_of(win("named", extra=NAMED)) is Strength.SUPPORTED
    unnamed = "outcome: Made it better\ncorroboration: [{quote: yes}]\n"
    assert strength_of(win("claim", extra=unnamed)) is Strength.CLAIMED


def test_redaction_does_not_lower_strength() -> None:
    ladder, _ = parse_rubric(LADDER, "rubric.yml")
    assert ladder is not None
    packet, problems = build_packet(ladder, [win("strong", extra=FIGURE + NAMED)], PacketSettings(
        target_level="b", audience=Audience.COMMITTEE, redact=("outcome", "corroboration.name")))
    assert packet is not None, problems
    [shown] = packet.entries
    assert shown.outcome == "[redacted]"
    assert strength_of(shown) is Strength.SUPPORTED  # the figure is hidden from the committee...
    assert packet.strength_of(shown) is Strength.STRONG  # ...but was written
    assert not packet.own_account(shown)


def test_rank_puts_strength_first_then_highlight_then_level_then_corroboration() -> None:
    packet = make(
        win("plain", extra=FIGURE),
        win("quoted", extra=FIGURE + NAMED),
        win("lower", level="a", extra=FIGURE + "highlight: true\n"),
        win("star", extra=FIGURE + "highlight: true\n"),
        win("claim", extra="highlight: true\n"),
        threshold=9,
    )
    assert [e.slug for e in packet.coverage_of("x").entries] == ["quoted", "star", "lower", "plain", "claim"]
    assert [e.slug for e in packet.curated["x"]] == ["quoted", "star", "lower"]


def test_claimed_entries_are_curated_only_when_nothing_is_stronger() -> None:
    packet = make(
        win("proven", extra=FIGURE),
        win("boast", extra="highlight: true\n"),
        win("alone", dims="[y]", extra="highlight: true\n"),
        win("also", dims="[y]"),
    )
    assert [e.slug for e in packet.curated["x"]] == ["proven"]
    assert [e.slug for e in packet.curated["y"]] == ["alone", "also"]
    assert [packet.own_account(e) for e in packet.curated["y"]] == [True, True]
    assert not packet.own_account(packet.curated["x"][0])
    assert [e.slug for e in packet.strongest(5)] == ["proven"]
    only_claims = make(win("boast", extra="highlight: true\n"), win("also"))
    assert [e.slug for e in only_claims.strongest(5)] == ["boast", "also"]


def test_audience_filter() -> None:
    entries = [win("pub"), win("spon", extra="visibility: sponsor\n"),
               win("priv", extra="visibility: private\n")]
    seen = {aud: sorted(e.slug for e in make(*entries, audience=aud).entries) for aud in Audience}
    assert seen == {Audience.SELF: ["priv", "pub", "spon"], Audience.SPONSOR: ["pub", "spon"],
                    Audience.COMMITTEE: ["pub"]}
    assert make(*entries, audience=Audience.COMMITTEE).left_out == 2


def test_timeline_groups_by_month_newest_first() -> None:
    old = entry("---\ntitle: t\ndate: 2025-12-31\ndimensions: [x]\n---\n", "old")
    packet = make(win("a"), win("bb"), old)
    assert [(m.label, [e.slug for e in m.entries]) for m in packet.timeline] == [
        ("January 2026", ["bb", "a"]), ("December 2025", ["old"])]


def test_evidence_fields_are_read() -> None:
    found = entry("""---
title: "Cut costs: 40%"
date: 2026-02-03
dimensions: scope
metrics: [{name: Cost, before: 10, after: 6}]
corroboration: [{name: Ann, role: Lead, quote: Great, date: 2026-02-10, link: https://x}]
links: [https://a, {title: B, url: https://b}]
tags: [t1, t2]
highlight: true
visibility: Sponsor
custom: kept
---
Body text.
""")
    assert found.title == "Cut costs: 40%"
    assert found.date == dt.date(2026, 2, 3)
    assert found.dimensions == ("scope",)
    assert found.metrics[0].before == "10"
    assert found.corroboration[0].date == dt.date(2026, 2, 10)
    assert [link.label for link in found.links] == ["https://a", "B"]
    assert found.visibility is Visibility.SPONSOR
    assert found.extra == {"custom": "kept"}
    assert found.body == "Body text.\n"
    assert found.line("corroboration") == 6


def test_loader_reparses_only_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    for n in range(3):
        (folder / f"2026-01-0{n + 1}-e{n}.md").write_text(
            f"---\ntitle: E{n}\ndate: 2026-01-0{n + 1}\ndimensions: [x]\n---\n")
    loader = EvidenceLoader()
    assert len(loader.load(folder).entries) == 3
    assert loader.parses == 3
    assert loader.load(folder).parsed == 0
    assert loader.parses == 3
    changed = folder / "2026-01-01-e0.md"
    changed.write_text(changed.read_text().replace("E0", "E zero"))
    os.utime(changed, ns=(1, 1))
    reloaded = loader.load(folder)
    titles = sorted(e.title for e in reloaded.entries)
    assert (reloaded.parsed, reloaded.files, loader.parses) == (1, 3, 4)
    assert titles == ["E zero", "E1", "E2"]
    (folder / "2026-01-02-e1.md").unlink()
    assert len(loader.load(folder).entries) == 2


def test_example_packet_is_believable() -> None:
    ladder, problems = load_rubric(REPO / "rubric", REPO)
    assert ladder is not None and not problems
    assert 4 <= len(ladder.levels) <= 5 and len(ladder.dimensions) >= 5
    evidence = load_evidence(REPO / "evidence", REPO)
    assert not [p for p in evidence.problems if p.is_error]
    entries = evidence.entries
    assert 15 <= len(entries) <= 25
    span = max(e.date for e in entries) - min(e.date for e in entries)
    assert span.days >= 300
    assert sum(e.visibility is Visibility.PRIVATE for e in entries) == 1
    assert any(e.highlight for e in entries) and any(e.corroboration for e in entries)
    packet, problems = build_packet(ladder, entries, PacketSettings(
        current_level="senior", target_level="staff", audience=Audience.SELF))
    assert packet is not None, problems
    assert any(c.status is Status.THIN for c in packet.coverage)
    assert len({d for e in entries for d in e.dimensions}) >= 5


def test_example_builds_strict_with_mkdocs(tmp_path: Path) -> None:
    # A copy: the build keeps its PDF in the packet's cache folder, which is no place for a test.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=example_packet(tmp_path), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert re.search(r"promo-packet: counted for the sponsor audience: 20 entries, 1 left out by its "
                     r"visibility; 6 dimensions, NOT password-protected; 21 of 21 evidence files parsed",
                     result.stderr)
    assert (tmp_path / "site" / "dimensions" / "mentorship" / "index.html").is_file()
    assert "Private build" not in (tmp_path / "site" / "index.html").read_text()


def test_a_self_build_says_it_is_private(tmp_path: Path) -> None:
    env = {**os.environ, "PROMO_AUDIENCE": "self", "PROMO_PDF": "0"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                   cwd=example_packet(tmp_path), env=env, check=True, capture_output=True)
    assert "Private build: it includes entries only you should see." in (
        tmp_path / "site" / "timeline" / "index.html").read_text()


def test_serve_watches_evidence_and_rubric(packet: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(packet / "mkdocs.yml"))
    plugin = config.plugins["promo-packet"]
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)
    assert watched == [str(packet / "evidence"), str(packet / "rubric")]


@pytest.mark.parametrize("value", ["2026-03-14", "'2026-03-14'"])
def test_dates_may_be_quoted(value: str) -> None:
    assert entry(f"---\ntitle: t\ndate: {value}\ndimensions: [x]\n---\n").date == dt.date(2026, 3, 14)


def test_rubric_examples_are_read_per_level_and_checked_like_expectations() -> None:
    rubric = ("name: x\nlevels: [{id: senior, title: Senior}]\ndimensions:\n"
              "  - id: scope\n    name: Scope\n    expectations: {senior: Owns a system.}\n"
              "    examples:\n      senior: [Ran the migration., Wrote the plan.]\n      staf: Oops.\n")
    ladder, problems = parse_rubric(rubric, "ladder.yml")
    assert ladder is None
    assert [str(p) for p in problems] == [
        "ladder.yml:9: dimensions[0].examples.staf: unknown level 'staf'; known levels: senior"]
    ladder, problems = parse_rubric(rubric.replace("      staf: Oops.\n", ""), "ladder.yml")
    assert problems == [] and ladder is not None
    assert ladder.dimensions[0].examples == {"senior": ("Ran the migration.", "Wrote the plan.")}


BEHAVIOUR_RUBRIC = """name: x
levels: [{id: senior, title: Senior}, {id: staff, title: Staff}]
dimensions:
  - id: scope
    name: Scope
    expectations:
      senior: Owns a system.
      staff:
        - {id: owns-outcomes, text: Owns outcomes across teams.}
        - Finds the costly problems.
  - id: reach
    name: Reach
    expectations: {staff: [{text: Changes how teams work.}]}
"""


def test_a_behaviour_has_the_id_written_or_the_one_its_place_gives() -> None:
    ladder, problems = parse_rubric(BEHAVIOUR_RUBRIC, "ladder.yml")
    assert problems == [] and ladder is not None
    scope = ladder.dimensions[0]
    assert [(b.id, str(b)) for b in scope.expectation("staff")] == [
        ("owns-outcomes", "Owns outcomes across teams."), ("scope.staff.2", "Finds the costly problems.")]
    assert ladder.behaviour_ids == ("scope.senior.1", "owns-outcomes", "scope.staff.2", "reach.staff.1")
    assert ladder.behaviour("scope.senior.1") == Behaviour("scope.senior.1", "Owns a system.")
    place = ladder.behaviour_place("owns-outcomes")
    assert place is not None and (place[0].id, place[1].id) == ("scope", "staff")
    assert ladder.behaviour("scope.staff.1") is None and ladder.behaviour_place("nope") is None


def test_behaviour_ids_are_unique_in_the_ladder_and_readable_as_ids() -> None:
    rubric = (BEHAVIOUR_RUBRIC.replace("- Finds the costly problems.", "- {id: owns-outcomes, text: Again.}")
              .replace("{text: Changes how teams work.}",
                       "{id: scope.senior.3, text: Changes., colour: red}, {text: Also.}")
              .replace("senior: Owns a system.",
                       "senior: [{id: '', text: Owns.}, {id: reach.staff.2, text: [x]}, 5, null]"))
    ladder, problems = parse_rubric(rubric, "ladder.yml")
    assert ladder is None
    assert [str(p) for p in problems] == [
        "ladder.yml:7: dimensions[0].expectations.senior[0].id: is empty; " + ID_HINT,
        "ladder.yml:7: dimensions[0].expectations.senior[1].text: expected text, got a list; "
        "write a behaviour as text, or as {id: a-name, text: What is expected.}",
        "ladder.yml:7: dimensions[0].expectations.senior[3]: expected text, got nothing; "
        "write a behaviour as text, or as {id: a-name, text: What is expected.}",
        "ladder.yml:10: dimensions[0].expectations.staff[1].id: duplicate id 'owns-outcomes' "
        "(also on line 9); every behaviour id must be unique",
        "ladder.yml:13: dimensions[1].expectations.staff[0].colour: unknown field (kept, but not used); "
        "known fields: id, text, examples [unknown-field]",
        "ladder.yml:13: dimensions[1].expectations.staff[0].id: duplicate id 'scope.senior.3' "
        "(also on line 7); every behaviour id must be unique",
        "ladder.yml:13: dimensions[1].expectations.staff[1]: its id 'reach.staff.2' (derived from where "
        "it stands) is already the id of the behaviour on line 7; write an id of its own on one of them",
    ]
