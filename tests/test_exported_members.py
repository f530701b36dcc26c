"""``promo_packet.__all__`` is the public core API: exactly the names the package exposes,
each imported on first use."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import promo_packet


def test_all_public_names_are_exported() -> None:
    public = [name for name in dir(promo_packet) if not name.startswith("_")
              and name not in {"annotations", "importlib", "TYPE_CHECKING", "Any"}
              and not isinstance(getattr(promo_packet, name), types.ModuleType)]  # there once imported
    assert sorted(promo_packet.__all__) == sorted([*public, "__version__"])
    assert len(set(promo_packet.__all__)) == len(promo_packet.__all__)


def test_every_exported_name_is_defined() -> None:
    assert [name for name in promo_packet.__all__ if getattr(promo_packet, name, None) is None] == []


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        promo_packet.no_such_name  # noqa: B018


def loaded_by(statement: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after ``statement``."""
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(out.split())


@pytest.mark.parametrize("statement", ["import promo_packet", "import promo_packet.options",
                                       "import promo_packet.errors"])
def test_importing_a_light_module_loads_no_heavy_library(statement: str) -> None:
    heavy = {"cryptography", "weasyprint", "markdown", "ruamel", "jinja2", "mkdocs", "click", "pypdf"}
    assert loaded_by(statement) & heavy == set()


def test_the_model_loads_no_engine_and_no_renderer() -> None:
    loaded = loaded_by("import promo_packet.model.packet, promo_packet.model.evidence, "
                       "promo_packet.reports.review")
    assert loaded & {"mkdocs", "material", "jinja2", "weasyprint", "click"} == set()
