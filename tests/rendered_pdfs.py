"""Each test process renders a given print HTML to PDF once, and hands out the same bytes after.

Rendering is most of a build with its PDF (about 0.5 s of 0.7 s for the fixture packet), and the
tests build the same packets again and again, for each password, audience or option whose effect
they check. ``render_html`` is a function of its arguments alone (the print HTML is
self-contained: the renderer fetches nothing), so its result is kept per process under a digest of
them. Everything around it still runs for each build: the print HTML, the cache of the project,
sealing, writing the file.

A test of the renderer itself (that the same input gives the same bytes, twice in a row) says
``@pytest.mark.renders_afresh``, on itself or its module: then every render runs, and keeps nothing.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Generator
from typing import Any

import pytest

KEPT = 48
"""PDFs kept per process, the latest used: enough for the packets a module builds again."""

_AFRESH = {"now": False}

Render = Callable[[str, str], tuple[bytes, dict[str, Any]]]


def remembered(render: Render) -> Render:
    """``render``, keeping its :data:`KEPT` latest results."""
    kept: OrderedDict[str, tuple[bytes, dict[str, Any]]] = OrderedDict()

    def render_html(html: str, key: str) -> tuple[bytes, dict[str, Any]]:
        if _AFRESH["now"]:
            return render(html, key)
        digest = hashlib.sha256(f"{key}\n{html}".encode()).hexdigest()
        if digest in kept:
            kept.move_to_end(digest)
        else:
            kept[digest] = render(html, key)
            if len(kept) > KEPT:
                kept.popitem(last=False)
        data, facts = kept[digest]
        return data, dict(facts)

    return render_html


def install() -> None:
    from promo_packet.render import binder, folio, pdf

    render = remembered(pdf.render_html)
    for module in (pdf, binder, folio):  # each imported the function by name
        module.render_html = render  # type: ignore[attr-defined]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "renders_afresh: every PDF render of this test runs; none is reused")
    install()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    # Set before the fixtures are: a module's fixture that renders is set up with its first test.
    _AFRESH["now"] = item.get_closest_marker("renders_afresh") is not None
    return (yield)
