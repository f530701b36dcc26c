"""What the options say about the PDF: declared here, below rendering, so the option schema
reads its defaults without loading a PDF library."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .packet import PacketSettings

PAPER_SIZES = ("a4", "letter")
CACHE_DIR = ".cache/promo-packet"
"""The project's cache, beside mkdocs.yml (never in the docs or evidence folder): rendered PDFs
by content hash."""


@dataclass(frozen=True)
class PdfSettings:
    """What the options say about the PDF."""

    enabled: bool = True
    name: str = "packet.pdf"
    paper: str = "a4"
    page_budget: int | None = None
    """Pages the summary plus the dimension sections may take; over it, a warning."""
    on_serve: bool = False
    email: bool = False
    """In a password build, also write a PDF encrypted on its own, to attach to an email."""
    site_url: str = ""
    """MkDocs' ``site_url``: the cover links to the site, when it is a safe address."""


@dataclass(frozen=True)
class Sources:
    """The packet's folder and the absolute paths of its inputs."""

    root: Path
    evidence_dir: Path
    rubric: Path
    plan: Path | None = None
    allowed_signers: Path | None = None
    """The ``allowed_signers`` file: the keys trusted to sign quotes."""
    docs_dir: Path | None = None
    """The site's own pages (MkDocs' ``docs_dir``), checked for the starter's placeholder text."""


@dataclass(frozen=True)
class Options:
    """Everything the options say: where the inputs are, the packet settings, the PDF settings."""

    sources: Sources
    packet: PacketSettings
    pdf: PdfSettings
    password: str | None = None
    """Encrypt the site and the PDF with it (set it from the environment, never in a file)."""
    cache: bool = True
    """Keep rendered PDFs in the project's cache folder, so an unchanged packet is not rendered again."""
    offline: bool = False
    """Build the site to be opened from disk (``file://``), as a zip sent to someone is."""
    drafts_dir: Path | None = None
    """Where imports write drafts (inside the evidence folder)."""
    set_aside_dir: Path | None = None
    """Where drafts set aside go (in the packet, outside the evidence folder): never built, and
    their sources never drafted again."""
    draft_keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Words that suggest a dimension for a draft: ``{"execution": ("incident", "outage")}``."""
    allowed_scripts: tuple[str, ...] = ()
    """Inline scripts of the person's own docs pages the page policy lets run (``sha256-...``)."""

    @property
    def pdf_cache(self) -> Path | None:
        """Where rendered PDFs are kept between runs, if they are."""
        return self.sources.root / CACHE_DIR if self.cache else None
