"""promo-packet: turn a dated, level-mapped record of wins into a promotion packet.

The domain core (everything here but :mod:`promo_packet.hosts.plugin`) never imports
MkDocs, so the ``promo`` CLI and other hosts can use it directly::

    from promo_packet import Sources, PacketSettings, assemble, render_pages
"""

from __future__ import annotations

from ._version import __version__
from .errors import InputError, Problem, PromoPacketError, RefusedError, RenderError, RequestError, Severity
from .hosts.build import SiteBuild, start
from .hosts.gen import generate
from .hosts.project import Assembly, Sources, assemble, read_config, settings_from_options
from .model.evidence import Corroboration, Evidence, EvidenceLoader, Link, Metric, Visibility, load_evidence
from .model.packet import (
    Audience,
    Coverage,
    Packet,
    PacketSettings,
    Status,
    Strength,
    build_packet,
    strength_of,
)
from .model.rubric import Behaviour, Dimension, Ladder, Level, load_rubric
from .options import OPTIONS, Option
from .render.narrative import clean_html
from .render.pages import GeneratedPage, Links, render_pages, site_nav
from .sharing.policy import content_security_policy, with_policy
from .sharing.seal import seal_site

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
