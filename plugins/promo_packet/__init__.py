"""promo-packet: turn a dated, level-mapped record of wins into a promotion packet.

The domain core (everything here but :mod:`promo_packet.plugin`) never imports
MkDocs, so the ``promo`` CLI and other hosts can use it directly::

    from promo_packet import Sources, PacketSettings, assemble, render_pages
"""

from __future__ import annotations

from ._version import __version__
from .errors import InputError, Problem, PromoPacketError, RenderError, Severity
from .evidence import Corroboration, Evidence, EvidenceLoader, Link, Metric, Visibility, load_evidence
from .narrative import clean_html
from .packet import Audience, Coverage, Packet, PacketSettings, Status, build_packet
from .pages import GeneratedPage, render_pages, site_nav
from .policy import content_security_policy, with_policy
from .project import Assembly, Sources, assemble, read_config, settings_from_options
from .rubric import Dimension, Ladder, Level, load_rubric

__all__ = [
    "Assembly",
    "Audience",
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
    "Metric",
    "Packet",
    "PacketSettings",
    "Problem",
    "PromoPacketError",
    "RenderError",
    "Severity",
    "Sources",
    "Status",
    "Visibility",
    "__version__",
    "assemble",
    "build_packet",
    "clean_html",
    "content_security_policy",
    "load_evidence",
    "load_rubric",
    "read_config",
    "render_pages",
    "settings_from_options",
    "site_nav",
    "with_policy",
]
