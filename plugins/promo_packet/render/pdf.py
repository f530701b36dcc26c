"""The packet as a PDF for the calibration meeting.

Rendered once with WeasyPrint from our own print HTML and print CSS (never
from the site's pages: WeasyPrint drops Material's media queries and masks),
so its layout is ours: a cover, a table of contents with page numbers, a
one-page summary, one section per dimension with the curated entries, the
gaps, and a one-line-per-entry timeline.

The same packet and settings always give the same bytes: the build date comes
from ``SOURCE_DATE_EPOCH`` when set, and the PDF identifier from the content.
A rendered PDF is kept in a cache folder under the content's hash, so an
unchanged packet is copied instead of rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import Problem, RenderError, Severity, plural
from ..model.coverage import summary_sentence
from ..model.packet import Packet, today
from ..model.progress import PlanStatus
from ..model.rubric import Dimension
from ..model.settings import PdfSettings
from ..model.since import Changes
from .pages import environment

SUMMARY_OUTCOMES = 5
FACTS = ("pages", "budget_pages")
"""What a render tells of its PDF, kept beside it in the cache."""


@dataclass(frozen=True)
class PdfResult:
    """What was written, for the summary line and the page budget."""

    path: Path
    pages: int
    budget_pages: int
    entries: int
    seconds: float
    reused: bool = False
    problems: list[Problem] = field(default_factory=list)
    data: bytes = field(default=b"", repr=False)
    """The PDF itself, as rendered (before any sealing)."""

    def summary(self) -> str:
        how = "unchanged, reused" if self.reused else f"rendered in {self.seconds:.2f} s"
        return (f"PDF {self.path.name}: {plural(self.pages, 'page')} ({self.budget_pages} summary and "
                f"dimensions), {plural(self.entries, 'entry', 'entries')}, {how}")


def anchor(dimension: Dimension, slug: str) -> str:
    """The id of an entry printed in full under ``dimension`` (``slug`` is the entry's)."""
    return f"{dimension.slug}--{slug}"


def first_appearances(packet: Packet) -> dict[str, Dimension]:
    """The dimension under which each curated entry is shown in full (its first section)."""
    first: dict[str, Dimension] = {}
    for coverage in packet.coverage:
        for entry in packet.curated[coverage.dimension.id]:
            first.setdefault(entry.slug, coverage.dimension)
    return first


def print_html(packet: Packet, settings: PdfSettings, built: dt.date,
               plan: PlanStatus | None = None, since: Changes | None = None) -> str:
    """The print document: HTML for WeasyPrint, with its CSS inlined."""
    env = environment("print")
    css = env.get_template("print/packet.css.j2").render(paper=settings.paper)
    first = first_appearances(packet)
    # An entry curated under several dimensions is printed once, in full, under the
    # first; later sections and the summary link to that one place.
    anchors = {slug: anchor(dimension, slug) for slug, dimension in first.items()}
    return env.get_template("print/packet.html.j2").render(
        packet=packet, css=css, built=built, version=__version__, anchors=anchors, anchor=anchor,
        first_dimension={slug: dimension.name for slug, dimension in first.items()},
        strongest=packet.strongest(SUMMARY_OUTCOMES),
        summary_sentence=summary_sentence(packet.coverage, packet.target), plan=plan, since=since,
        site_url=settings.site_url,
    )


def render_pdf(packet: Packet, target: Path, settings: PdfSettings, *, cache_dir: Path | None = None,
               built: dt.date | None = None, plan: PlanStatus | None = None,
               seal: Callable[[bytes], bytes] | None = None, since: Changes | None = None,
               protected: bool = False) -> PdfResult:
    """Write the packet's PDF to ``target``; reuse the cached one when the print HTML is unchanged.

    With ``seal``, what is written is ``seal(pdf)``, and the PDF never touches the disk in
    plaintext; nor does a self build's, which holds private entries: neither is cached. A
    ``protected`` packet (it has a password, whatever is written now) is never cached either, and
    what an earlier run without the password left in the cache is removed.
    """
    started = time.perf_counter()
    html = print_html(packet, settings, built or today(), plan, since)
    key = hashlib.sha256(f"{__version__}\n{_weasyprint_version()}\n{html}".encode()).hexdigest()
    target.parent.mkdir(parents=True, exist_ok=True)
    if cache_dir is not None and (protected or seal is not None):
        try:
            _forget(cache_dir)
        except OSError as exc:  # a plaintext PDF left behind is what the password is there to prevent
            raise RenderError(f"cannot clear the PDF cache {cache_dir}: {exc.strerror or exc}; remove it "
                              "by hand") from exc
    if protected or seal is not None or packet.settings.audience.sees_private:
        cache_dir = None
    found = _read_cache(cache_dir, key) if cache_dir else None
    reused = found is not None
    if found is None:
        data, facts = render_html(html, key)
        if cache_dir is not None:
            _write_cache(cache_dir, key, data, facts)
    else:
        data, facts = found
    target.write_bytes(seal(data) if seal is not None else data)
    problems = []
    budget = settings.page_budget
    if budget is not None and facts["budget_pages"] > budget:
        problems.append(Problem(
            settings.name, None,
            f"the summary and dimension sections take {facts['budget_pages']} pages, over the "
            f"page budget of {budget}", field="page_budget", severity=Severity.WARNING,
            hint="lower packet_size, shorten outcomes, or raise page_budget", code="pdf-over-budget"))
    return PdfResult(path=target, pages=facts["pages"], budget_pages=facts["budget_pages"],
                     entries=len(packet.entries), seconds=time.perf_counter() - started,
                     reused=reused, problems=problems, data=data)


def _read_cache(cache_dir: Path, key: str) -> tuple[bytes, dict[str, Any]] | None:
    """The cached PDF and its facts, or None unless both are there and sound.

    The cache is a folder anyone (or a crash) may have changed: a record of the wrong shape, a
    truncated PDF or an unreadable folder means a fresh render, never a broken PDF in the site.
    """
    from pypdf import PdfReader

    try:
        record = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        data = (cache_dir / f"{key}.pdf").read_bytes()
        if not (isinstance(record, dict) and set(record) == {*FACTS, "digest"}
                and record["digest"] == _digest(key, data)):
            return None
        facts = {name: record[name] for name in FACTS}
        if not all(type(v) is int and v >= 0 for v in facts.values()):
            return None
        if len(PdfReader(io.BytesIO(data), strict=True).pages) != facts["pages"]:
            return None
    except Exception:  # whatever is wrong with it, the answer is a fresh render
        return None
    return data, facts


def _digest(key: str, data: bytes) -> str:
    """What binds a cached PDF to the inputs it was rendered from: a sound PDF of another packet,
    or of this one before it changed, put under this key does not match it."""
    return hashlib.sha256(key.encode() + b"\n" + data).hexdigest()


def _forget(cache_dir: Path, *, keep: str | None = None) -> None:
    """Remove every PDF the cache holds and its record, but the one under ``keep``."""
    if not cache_dir.is_dir():
        return
    for old in cache_dir.iterdir():
        if old.suffix in (".pdf", ".json") and old.stem != keep:
            old.unlink()


def _write_cache(cache_dir: Path, key: str, data: bytes, facts: dict[str, Any]) -> None:
    """Keep this PDF, and only this one: the cache holds what the last build needs."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _forget(cache_dir, keep=key)
        (cache_dir / f"{key}.pdf").write_bytes(data)
        (cache_dir / f"{key}.json").write_text(json.dumps({**facts, "digest": _digest(key, data)}),
                                               encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs the next build a render


def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def render_html(html: str, key: str) -> tuple[bytes, dict[str, Any]]:
    """Print HTML rendered to PDF bytes (``key`` its identifier), with its page count
    (``pages``) and the pages its budget counts (``budget_pages``)."""
    # Imported here: WeasyPrint takes a second to import and only this stage needs it.
    try:
        from weasyprint import HTML, URLFetcher
    except (ImportError, OSError) as exc:
        raise RenderError(f"cannot load WeasyPrint for the PDF: {exc}. Install Pango "
                          "(libpango-1.0-0 libpangoft2-1.0-0) or set pdf: false") from exc
    # The document is self-contained; refusing every scheme but data: guarantees
    # that rendering never reaches the network, whatever the evidence links to.
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=html, url_fetcher=fetcher).render()
    pages = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
    data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=key[:32].encode())
    # The gaps follow on the page the dimensions end on: the budget counts up to that page.
    end = pages.get("dimensions-end", len(document.pages) - 1) + 1
    return data, {"pages": len(document.pages), "budget_pages": end - pages.get("summary", 0)}
