"""A record is read from its dataclass alone: each field by its declared type, with its line."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from promo_packet.errors import Problem
from promo_packet.reading.fields import NOT_WRITTEN, FieldReader, written, yaml_keys
from promo_packet.reading.located_yaml import parse_yaml


class Kind(str, enum.Enum):
    TALK = "talk"
    WORKSHOP = "workshop"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Speaker:
    name: str
    role: str | None = None


def _named(speaker: Mapping[str, Any]) -> tuple[str, str] | None:
    return ("a speaker cannot be 'TBD'", "name them") if speaker["name"] == "TBD" else None


@dataclass(frozen=True)
class Talk:
    line: int = field(metadata=NOT_WRITTEN)
    title: str = field(metadata=written(hint="name the talk"))
    given: dt.date = field(metadata=written("given-on"))
    venue: str | None = None
    slides: str | None = field(default=None, metadata=written(url=True))
    recorded: bool = False
    kind: Kind = field(default=Kind.TALK, metadata=written(unreadable=Kind.INTERNAL))
    tags: tuple[str, ...] = ()
    speakers: tuple[Speaker, ...] = field(default=(), metadata=written(bare="name", rule=_named))


def read(text: str) -> tuple[dict[str, Any], list[str]]:
    doc, problems = parse_yaml(text, "talk.yml")
    assert doc is not None, problems
    values = FieldReader(doc, "talk.yml", problems).record(doc.data, (), Talk)
    return values, [str(p) for p in problems]


def test_the_keys_are_the_written_fields() -> None:
    assert yaml_keys(Talk) == ("title", "given-on", "venue", "slides", "recorded", "kind", "tags", "speakers")


def test_each_field_is_read_as_its_type_declares() -> None:
    values, problems = read(
        "title: '  Parsing with lines '\ngiven-on: 2026-03-04\nslides: https://example.com/s\n"
        "recorded: true\n"
        "kind: Workshop\ntags: [yaml, '', errors]\nspeakers:\n  - Ada\n  - {name: Bo, role: host}\n")
    assert problems == []
    assert values == {
        "title": "Parsing with lines", "given": dt.date(2026, 3, 4), "venue": None,
        "slides": "https://example.com/s", "recorded": True, "kind": Kind.WORKSHOP,
        "tags": ("yaml", "errors"), "speakers": (Speaker("Ada"), Speaker("Bo", "host"))}
    Talk(line=1, **values)


def test_what_is_left_out_takes_the_field_default_and_a_required_field_is_a_problem() -> None:
    values, problems = read("venue: Leeds\n")
    assert values["venue"] == "Leeds" and values["title"] is None and values["given"] is None
    left_out = (values["recorded"], values["kind"], values["tags"], values["speakers"])
    assert left_out == (False, Kind.TALK, (), ())
    assert problems == ["talk.yml:1: title: is required but missing; name the talk",
                        "talk.yml:1: given-on: is required but missing; write the day as YYYY-MM-DD"]


def test_every_misfit_is_a_problem_on_its_line() -> None:
    values, problems = read(
        "title: [a, list]\ngiven-on: last spring\nslides: javascript:alert(1)\nrecorded: maybe\n"
        "kind: keynote\nspeakers:\n  - TBD\n  - {role: host}\n  - 3\n  - {name: Cy, pronouns: they}\n")
    assert values["kind"] is Kind.INTERNAL, "an unreadable choice reads as the field says"
    assert values["speakers"] == (Speaker("TBD"), Speaker("Cy"))
    shown = sorted(problems, key=lambda p: int(p.split(":")[1]))
    assert [p.split(": ")[0:2] for p in shown] == [
        ["talk.yml:1", "title"], ["talk.yml:2", "given-on"], ["talk.yml:3", "slides"],
        ["talk.yml:4", "recorded"], ["talk.yml:5", "kind"], ["talk.yml:7", "speakers[0]"],
        ["talk.yml:8", "speakers[1].name"], ["talk.yml:9", "speakers[2]"],
        ["talk.yml:10", "speakers[3].pronouns"]]
    assert "talk.yml:5: kind: unknown kind 'keynote'; use one of: talk, workshop, internal" in problems
    assert "talk.yml:7: speakers[0]: a speaker cannot be 'TBD'; name them" in problems


def test_a_problem_carries_the_located_field() -> None:
    doc, problems = parse_yaml("title: T\ngiven-on: 2026-01-01\nspeakers: 3\n", "talk.yml")
    assert doc is not None
    FieldReader(doc, "talk.yml", problems).record(doc.data, (), Talk)
    assert problems == [Problem("talk.yml", 3, "expected a list, got the number 3", field="speakers")]


def test_a_bare_text_is_a_one_item_list_of_records() -> None:
    values, problems = read("title: T\ngiven-on: 2026-01-01\nspeakers: Ada\n")
    assert (values["speakers"], problems) == ((Speaker("Ada"),), [])
