"""The option schema: the reference made from it, the settings it fills, the variables it reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from promo_packet.hosts.project import read_config
from promo_packet.model.packet import Audience
from promo_packet.model.settings import Options
from promo_packet.options import OPTIONS, options_reference

CONFIG = """site_name: Options
plugins:
  - promo-packet:
{options}
"""


def config_with(root: Path, *lines: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "evidence").mkdir(exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.format(options="\n".join(f"      {line}" for line in lines)), encoding="utf-8")
    return config


def reference_sections() -> dict[str, tuple[str, dict[str, str]]]:
    """Each option's section of the reference: its description and its facts line, by word."""
    sections = {}
    for section in options_reference().split("## `")[1:]:
        name, what, facts = section.strip().split("\n\n")
        words = dict(fact.removeprefix("**").split("** ", 1) for fact in facts.split(" · "))
        sections[name.rstrip("`")] = (what, {word.lower(): value for word, value in words.items()})
    return sections


def test_the_reference_lists_every_option_with_its_description() -> None:
    sections = reference_sections()
    assert list(sections) == [option.name for option in OPTIONS]
    for option in OPTIONS:
        what, _ = sections[option.name]
        assert what.lower() == option.description.lower().rstrip(".") + "."


def test_no_option_lacks_a_one_line_description() -> None:
    lacking = [o.name for o in OPTIONS if not o.description.strip() or "\n" in o.description]
    assert lacking == []


def test_the_reference_shows_defaults_ranges_and_variables() -> None:
    facts = {name: words for name, (_, words) in reference_sections().items()}
    assert facts["evidence_dir"]["default"] == "`evidence`"
    assert facts["audience"]["default"] == f"`{Audience.SPONSOR.value}`"
    assert (facts["pdf"]["default"], facts["pdf"]["environment"]) == ("`true`", "`PROMO_PDF`")
    assert (facts["offline"]["default"], facts["offline"]["environment"]) == ("`false`", "`PROMO_OFFLINE`")
    assert facts["packet_size"]["takes"] == "a whole number, from 1 to 100"
    assert facts["redact"]["takes"].startswith("a list of field names: any of outcome, metrics")
    assert "default" not in facts["target_level"] and "default" not in facts["person"]


SCRIPT = "sha256-" + "A" * 43 + "="


def test_every_option_reaches_the_setting_it_fills(tmp_path: Path) -> None:
    given = {
        "person": ("Ada Lovelace", "packet.person", "Ada Lovelace"),
        "current_level": (4, "packet.current_level", "4"),
        "target_level": ("' 5 '", "packet.target_level", "5"),
        "audience": ("Committee", "packet.audience", Audience.COMMITTEE),
        "demonstrated_at": (4, "packet.demonstrated_at", 4),
        "consistent_quarters": (3, "packet.consistent_quarters", 3),
        "packet_size": (5, "packet.packet_size", 5),
        "stale_weeks": (9, "packet.stale_weeks", 9),
        "redact": ("[outcome, tags]", "packet.redact", ("outcome", "tags")),
        "review_cycle": (2027, "packet.review_cycle", "2027"),
        "sponsor": ("Bo", "packet.sponsor", "Bo"),
        "since": ("2026-01-31", "packet.since", dt.date(2026, 1, 31)),
        "pdf": ("false", "pdf.enabled", False),
        "pdf_name": ("mine.pdf", "pdf.name", "mine.pdf"),
        "paper": ("Letter", "pdf.paper", "letter"),
        "page_budget": (7, "pdf.page_budget", 7),
        "pdf_on_serve": ("true", "pdf.on_serve", True),
        "pdf_email": ("true", "pdf.email", True),
        "cache": ("false", "cache", False),
        "drafts_dir": ("inbox", "drafts_dir", tmp_path / "p" / "evidence" / "inbox"),
        "set_aside_dir": ("aside", "set_aside_dir", tmp_path / "p" / "aside"),
        "draft_keywords": ("{scope: [migration]}", "draft_keywords", {"scope": ("migration",)}),
        "offline": ("true", "offline", True),
        "allowed_scripts": (f"['{SCRIPT}']", "allowed_scripts", (SCRIPT,)),
    }
    assert set(given) == {o.name for o in OPTIONS if o.into is not None}
    options, problems = read_config(config_with(tmp_path / "p", *(f"{k}: {v[0]}" for k, v in given.items())))
    assert problems == []
    for name, (_, where, expected) in given.items():
        found: object = options
        for part in where.split("."):
            found = getattr(found, part)
        assert found == expected, name


def test_every_setting_left_out_takes_its_default(tmp_path: Path) -> None:
    options, problems = read_config(config_with(tmp_path / "p", "target_level: staff"))
    assert problems == []
    packet, pdf = options.packet, options.pdf
    assert (packet.audience, packet.packet_size, packet.person) == (Audience.SPONSOR, 3, "")
    assert (pdf.enabled, pdf.name, options.cache, options.offline) == (True, "packet.pdf", True, False)
    assert options.drafts_dir == tmp_path / "p" / "evidence" / "drafts"
    assert options.set_aside_dir == tmp_path / "p" / "drafts-set-aside"
    assert isinstance(options, Options) and options.draft_keywords == {}


@pytest.mark.parametrize(("variable", "said", "written", "name", "expected"), [
    ("PROMO_PDF", "0", "true", "pdf", False),
    ("PROMO_PDF", "off", None, "pdf", False),
    ("PROMO_PDF", "1", "false", "pdf", False),  # never back to the default: the file asked for none
    ("PROMO_PDF", "maybe", "true", "pdf", True),
    ("PROMO_OFFLINE", "1", "false", "offline", True),
    ("PROMO_OFFLINE", " Yes ", None, "offline", True),
    ("PROMO_OFFLINE", "0", "true", "offline", True),
])
def test_an_environment_variable_turns_its_option_away_from_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, said: str, written: str | None,
        name: str, expected: bool) -> None:
    monkeypatch.setenv(variable, said)
    lines = ["target_level: staff", *([f"{name}: {written}"] if written else [])]
    options, problems = read_config(config_with(tmp_path / "p", *lines))
    assert problems == []
    assert (options.pdf.enabled if name == "pdf" else options.offline) is expected


def test_only_yes_no_options_have_a_variable() -> None:
    assert {o.name: o.env for o in OPTIONS if o.env} == {"pdf": "PROMO_PDF", "offline": "PROMO_OFFLINE"}
    assert all(o.kind is bool for o in OPTIONS if o.env)
