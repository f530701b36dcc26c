"""Golden models: each valid input under ``tests/golden/<kind>/`` parses, without a problem, to
the model written in the YAML file beside it (``<name>.model.yml``): the parsed dataclass as
``dataclasses.asdict`` gives it, dates as ISO text, enums as their values.

A change to a parser or a model fails here until the expected files say the same. When the
change is meant, rewrite them, then read their diff before committing it::

    PROMO_UPDATE_GOLDEN=1 pytest tests/model/test_golden.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TESTS
from promo_packet.errors import Problem
from promo_packet.model.evidence import parse_evidence, slug_for
from promo_packet.model.plan import parse_plan
from promo_packet.model.rubric import parse_rubric

GOLDEN = TESTS / "golden"
UPDATE_VARIABLE = "PROMO_UPDATE_GOLDEN"
MODEL_SUFFIX = ".model.yml"

PARSERS: dict[str, Callable[[str, str], tuple[Any, list[Problem]]]] = {
    "evidence": lambda text, path: parse_evidence(text, path, slug_for(Path(path))),
    "rubric": parse_rubric,
    "plan": parse_plan,
}


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, so a body reads in the model as in its file."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def plain(value: Any) -> Any:
    """``value`` (after ``dataclasses.asdict``) as YAML's own types: text, numbers, lists, maps."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(plain(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def model_of(parsed: Any) -> Any:
    # A leading underscore marks an index the model builds from its other fields.
    return plain(dataclasses.asdict(parsed, dict_factory=lambda pairs: {
        key: value for key, value in pairs if not key.startswith("_")}))


CASES = sorted(path for kind in PARSERS for path in (GOLDEN / kind).iterdir()
               if not path.name.endswith(MODEL_SUFFIX))


@pytest.mark.parametrize("source", CASES, ids=lambda path: path.relative_to(GOLDEN).as_posix())
def test_a_valid_input_parses_to_its_golden_model(source: Path) -> None:
    shown = source.relative_to(GOLDEN).as_posix()
    parsed, problems = PARSERS[source.parent.name](source.read_text(encoding="utf-8"), shown)
    assert parsed is not None and [str(p) for p in problems] == []
    model = model_of(parsed)
    expected_file = source.with_name(source.name.split(".")[0] + MODEL_SUFFIX)
    if os.environ.get(UPDATE_VARIABLE) == "1":
        expected_file.write_text(yaml.dump(model, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                           width=100), encoding="utf-8")
    assert expected_file.is_file(), f"no {expected_file.name}: run with {UPDATE_VARIABLE}=1 to write it"
    assert model == yaml.safe_load(expected_file.read_text(encoding="utf-8"))


def test_every_kind_has_a_case() -> None:
    assert sorted({path.parent.name for path in CASES}) == sorted(PARSERS)


PAGES = GOLDEN / "pages"
"""One generated page of each kind, rendered from the golden inputs above, as a site generator
is handed it (``<uri with / as __>``): headings, final links and escapes included."""
AS_OF = dt.date(2026, 7, 1)


def golden_pages() -> dict[str, str]:
    from promo_packet.model.audience import Audience
    from promo_packet.model.packet import PacketSettings, build_packet
    from promo_packet.model.progress import plan_status
    from promo_packet.render.pages import Links, render_pages

    source = next((GOLDEN / "evidence").glob("*.md"))
    entry, _ = parse_evidence(source.read_text(encoding="utf-8"), source.name, slug_for(source))
    ladder, _ = parse_rubric((GOLDEN / "rubric" / "ladder.yml").read_text(encoding="utf-8"), "ladder.yml")
    plan, _ = parse_plan((GOLDEN / "plan" / "plan.yml").read_text(encoding="utf-8"), "plan.yml")
    assert entry is not None and ladder is not None and plan is not None
    settings = PacketSettings(person="Ilse <Ops> & Co", target_level="lead", audience=Audience.SPONSOR)
    packet, problems = build_packet(ladder, [entry], settings)
    assert packet is not None, problems
    status = plan_status(plan, packet, AS_OF)
    return {page.uri: page.content for page in render_pages(packet, pdf_name="packet.pdf", plan=status,
                                                             links=Links(directory=True))}


def test_each_kind_of_page_renders_to_its_golden_page() -> None:
    pages = golden_pages()
    kinds = {uri.split("/")[0] if "/" in uri else uri for uri in pages}
    assert kinds == {"index.md", "plan.md", "checkins.md", "packet.md", "gaps.md", "timeline.md",
                     "dimensions", "evidence"}
    entry = next(uri for uri in pages if uri.startswith("evidence/"))
    chosen = {uri: content for uri, content in pages.items()
              if "/" not in uri or uri in ("dimensions/reach.md", entry)}
    for uri, content in chosen.items():
        expected = PAGES / uri.replace("/", "__")
        if os.environ.get(UPDATE_VARIABLE) == "1":
            PAGES.mkdir(exist_ok=True)
            expected.write_text(content, encoding="utf-8")
        assert expected.is_file(), f"no {expected.name}: run with {UPDATE_VARIABLE}=1 to write it"
        assert content == expected.read_text(encoding="utf-8"), uri
    assert sorted(p.name for p in PAGES.iterdir()) == sorted(uri.replace("/", "__") for uri in chosen)
