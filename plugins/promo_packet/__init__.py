"""promo-packet: turn a dated, level-mapped record of wins into a promotion packet.

The domain core (everything here but :mod:`promo_packet.hosts.plugin`) never imports
MkDocs, so the ``promo`` CLI and other hosts can use it directly::

    from promo_packet import Sources, PacketSettings, assemble, render_pages

Each name is imported on first use, so ``import promo_packet.options`` (or any one layer)
loads only what that layer needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_HOMES = {
    "InputError": "errors",
    "Problem": "errors",
    "PromoPacketError": "errors",
    "RefusedError": "errors",
    "RenderError": "errors",
    "RequestError": "errors",
    "Severity": "errors",
    "SiteBuild": "hosts.build",
    "start": "hosts.build",
    "generate": "hosts.gen",
    "Assembly": "hosts.project",
    "assemble": "hosts.project",
    "read_config": "hosts.project",
    "settings_from_options": "hosts.project",
    "Corroboration": "model.evidence",
    "Evidence": "model.evidence",
    "EvidenceLoader": "model.evidence",
    "Link": "model.evidence",
    "Metric": "model.evidence",
    "Visibility": "model.evidence",
    "load_evidence": "model.evidence",
    "Audience": "model.audience",
    "Coverage": "model.coverage",
    "Packet": "model.packet",
    "PacketSettings": "model.packet",
    "Status": "model.coverage",
    "Strength": "model.strength",
    "build_packet": "model.packet",
    "strength_of": "model.strength",
    "Behaviour": "model.rubric",
    "Dimension": "model.rubric",
    "Ladder": "model.rubric",
    "Level": "model.rubric",
    "load_rubric": "model.rubric",
    "Sources": "model.settings",
    "OPTIONS": "options",
    "Option": "options",
    "clean_html": "render.narrative",
    "GeneratedPage": "render.pages",
    "Links": "render.pages",
    "render_pages": "render.pages",
    "site_nav": "render.pages",
    "content_security_policy": "sharing.policy",
    "with_policy": "sharing.policy",
    "seal_site": "sharing.seal",
}
"""Where each public name is declared."""

__all__ = [
    "OPTIONS",
    "Assembly",
    "Audience",
    "Behaviour",
    "Corroboration",
    "Coverage",
    "Dimension",
    "Evidence",
    "EvidenceLoader",
    "GeneratedPage",
    "InputError",
    "Ladder",
    "Level",
    "Link",
    "Links",
    "Metric",
    "Option",
    "Packet",
    "PacketSettings",
    "Problem",
    "PromoPacketError",
    "RefusedError",
    "RenderError",
    "RequestError",
    "Severity",
    "SiteBuild",
    "Sources",
    "Status",
    "Strength",
    "Visibility",
    "__version__",
    "assemble",
    "build_packet",
    "clean_html",
    "content_security_policy",
    "generate",
    "load_evidence",
    "load_rubric",
    "read_config",
    "render_pages",
    "seal_site",
    "settings_from_options",
    "site_nav",
    "start",
    "strength_of",
    "with_policy",
]


if TYPE_CHECKING:
    from .errors import (
        InputError,
        Problem,
        PromoPacketError,
        RefusedError,
        RenderError,
        RequestError,
        Severity,
    )
    from .hosts.build import SiteBuild, start
    from .hosts.gen import generate
    from .hosts.project import Assembly, assemble, read_config, settings_from_options
    from .model.audience import Audience
    from .model.coverage import Coverage, Status
    from .model.evidence import (
        Corroboration,
        Evidence,
        EvidenceLoader,
        Link,
        Metric,
        Visibility,
        load_evidence,
    )
    from .model.packet import Packet, PacketSettings, build_packet
    from .model.rubric import Behaviour, Dimension, Ladder, Level, load_rubric
    from .model.settings import Sources
    from .model.strength import Strength, strength_of
    from .options import OPTIONS, Option
    from .render.narrative import clean_html
    from .render.pages import GeneratedPage, Links, render_pages, site_nav
    from .sharing.policy import content_security_policy, with_policy
    from .sharing.seal import seal_site


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
