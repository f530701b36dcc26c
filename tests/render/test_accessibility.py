"""The packet as everyone reads it: axe-core, in Debian's chromium, finds no violation on the
pages a sponsor and a committee open, light and dark, at a desktop's width and a phone's, in the
author's build and the sponsor's.

axe-core comes with axe-playwright-python (a dev dependency: its package ships axe's script, so
nothing is downloaded). Where chromium is missing the test is skipped, except under CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM, build_site, chromium_page, example_packet, serve

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is required in CI: `make test` installs Debian's chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

PAGES = ["", "packet/", "dimensions/scope/", "evidence/2026-02-18-idempotency-key-rfc/", "gaps/",
         "timeline/", "plan/"]


@pytest.fixture(scope="module", params=["sponsor", "self"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp(f"a11y-{request.param}")
    root = example_packet(base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROMO_AUDIENCE", request.param)
        site = build_site(root, base / "site")
    with serve(site) as url:
        yield url


COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The rules that read the palette. The pages are the same markup in either scheme (Material sets
it on the body), so the dark runs ask only these; the light runs ask every rule."""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(served: str, scheme: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    options = {"resultTypes": ["violations"]}
    if scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}  # type: ignore[assignment]
    # The palette follows the reader's preference; a phone scrolls tables and charts sideways.
    with chromium_page(color_scheme=scheme, viewport={"width": width, "height": 900}) as page:
        for path in PAGES:
            page.goto(served + path)
            assert page.evaluate("document.body.dataset.mdColorScheme") == (
                "slate" if scheme == "dark" else "default")
            for violation in axe.run(page, options=options).response["violations"]:
                found += [f"{width} px, {path or '/'}: {violation['id']} at {node['target']}"
                          for node in violation["nodes"]]
    assert found == []
