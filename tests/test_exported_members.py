"""``promo_packet.__all__`` is the public core API: exactly the names the package exposes."""

from __future__ import annotations

import types

import promo_packet


def test_all_public_names_are_exported() -> None:
    public = [name for name, value in vars(promo_packet).items()
              if not name.startswith("_")
              and not isinstance(value, types.ModuleType)  # submodules, there once imported
              and value is not annotations]  # the __future__ feature, here as in the package
    # In ruff's order (RUF022: constants, classes, functions), each name once.
    assert sorted(promo_packet.__all__) == sorted([*public, "__version__"])
    assert len(set(promo_packet.__all__)) == len(promo_packet.__all__)


def test_every_exported_name_is_defined() -> None:
    assert [name for name in promo_packet.__all__ if getattr(promo_packet, name, None) is None] == []
