"""Golden models: each valid input under ``tests/golden/<kind>/`` parses, without a problem, to
the model written in the YAML file beside it (``<name>.model.yml``): the parsed dataclass as
``dataclasses.asdict`` gives it, dates as ISO text, enums as their values.

A change to a parser or a model fails here until the expected files say the same. When the
change is meant, rewrite them, then read their diff before committing it::

    PROMO_UPDATE_GOLDEN=1 pytest tests/test_golden.py
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
from promo_packet.evidence import parse_evidence, slug_for
from promo_packet.plan import parse_plan
from promo_packet.rubric import parse_rubric

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
