"""The packet model rendered as the Markdown of each generated site page.

Pages are Markdown (with ``attr_list`` / ``md_in_html`` markup) so the host
site generator applies its theme, search and link checking; links between
pages point at the ``.md`` sources so they work with any URL style.

URLs are stable, a sponsor bookmarks them::

    index.md                 overview: coverage matrix, strongest and newest entries
    packet.md                the curated packet
    gaps.md                  thin and missing dimensions with their expectations
    timeline.md              every entry, newest first, by month
    dimensions/<id>.md       one rubric dimension and all its evidence
    evidence/<slug>.md       one entry: its fields as a card, then the narrative
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import yaml

from .evidence import Evidence, Metric
from .packet import Audience, Packet, Status
from .plan import Checkin, PlanStatus, entries_between

_SPACE = re.compile(r"\s+")
_MARKDOWN_LINK_BREAKERS = str.maketrans({"[": r"\[", "]": r"\]", "|": r"\|"})
OVERVIEW_COUNT = 5


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the site: its source URI (``.md``) and Markdown content."""

    uri: str
    content: str
    listed: bool = True
    """Whether the page belongs in the navigation (entries do not)."""


def inline(text: object) -> str:
    """User text as one line of Markdown that cannot break a link or a table cell."""
    return _SPACE.sub(" ", str(text)).strip().translate(_MARKDOWN_LINK_BREAKERS)


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def month(value: dt.date) -> str:
    return f"{value:%b %Y}"


def change(metric: Metric) -> str:
    """``3 h → 40 min``, or whichever side is known."""
    if metric.before and metric.after:
        return f"{inline(metric.before)} → {inline(metric.after)}"
    return inline(metric.after or metric.before or "")


def yaml_scalar(text: str) -> str:
    """``text`` as a one-line YAML scalar, quoted only when it must be."""
    dumped: str = yaml.safe_dump(text, default_flow_style=True, width=10_000, allow_unicode=True)
    return dumped.removesuffix("\n...\n").strip()


@cache
def environment(kind: str) -> jinja2.Environment:
    """The Jinja environment for ``site`` (Markdown), ``print`` (HTML) or ``text`` templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("promo_packet", "templates"),
        autoescape=kind == "print",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(inline=inline, day=day, month=month, change=change, yaml=yaml_scalar)
    return env


def summary_sentence(packet: Packet) -> str:
    """One sentence a sponsor can repeat: where the case stands per status."""
    groups = {status: [c.dimension.name for c in packet.coverage if c.status is status]
              for status in Status}
    parts = []
    if groups[Status.DEMONSTRATED]:
        parts.append(f"demonstrated on {len(groups[Status.DEMONSTRATED])} of "
                     f"{len(packet.coverage)} dimensions")
    for status in (Status.THIN, Status.GAP):
        if groups[status]:
            parts.append(f"{status.value} on {', '.join(groups[status])}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"At {packet.target.title} level the evidence is {text}."


def render_pages(packet: Packet, *, pdf_name: str | None = None,
                 plan: PlanStatus | None = None) -> Iterator[GeneratedPage]:
    """Every generated page of the site, overview first.

    With a plan, ``plan.md`` (criteria only for the committee) and, except for
    the committee, ``checkins.md``.
    """
    env = environment("site")
    common: dict[str, Any] = {"packet": packet}
    yield GeneratedPage("index.md", env.get_template("site/overview.md.j2").render(
        common, strongest=packet.strongest(OVERVIEW_COUNT), newest=packet.newest(OVERVIEW_COUNT),
        summary_sentence=summary_sentence(packet), pdf_name=pdf_name, plan_status=plan))
    if plan is not None:
        full = shows_checkins(packet)
        yield GeneratedPage("plan.md", env.get_template("site/plan.md.j2").render(
            common, status=plan, full=full))
        if full:
            yield GeneratedPage("checkins.md", env.get_template("site/checkins.md.j2").render(
                common, status=plan, checkins=checkin_log(plan, packet)))
    for name in ("packet", "gaps", "timeline"):
        yield GeneratedPage(f"{name}.md", env.get_template(f"site/{name}.md.j2").render(common))
    dimension = env.get_template("site/dimension.md.j2")
    levels = [(level, role) for level, role in ((packet.current, "current"), (packet.target, "target"))
              if level is not None]
    for coverage in packet.coverage:
        yield GeneratedPage(f"dimensions/{coverage.dimension.id}.md",
                            dimension.render(common, coverage=coverage, levels=levels))
    entry_template = env.get_template("site/entry.md.j2")
    for entry in packet.entries:
        yield GeneratedPage(entry_uri(entry), render_entry(entry_template, packet, entry), listed=False)


def render_entry(template: jinja2.Template, packet: Packet, entry: Evidence) -> str:
    return template.render(
        packet=packet, entry=entry, level=packet.level_of(entry),
        dimensions=packet.dimensions_of(entry),
        show_visibility=packet.settings.audience is not Audience.COMMITTEE,
    )


def entry_uri(entry: Evidence) -> str:
    return f"evidence/{entry.slug}.md"


def shows_checkins(packet: Packet) -> bool:
    """Check-in notes, stakeholders and blockers stay between the person and the sponsor."""
    return packet.settings.audience is not Audience.COMMITTEE


def checkin_log(status: PlanStatus, packet: Packet) -> list[tuple[Checkin, tuple[Evidence, ...]]]:
    """Check-ins newest first, each with the entries logged since the one before."""
    log = []
    previous: dt.date | None = None
    for checkin in status.plan.checkins:
        log.append((checkin, entries_between(packet.entries, previous, checkin.date)))
        previous = checkin.date
    return log[::-1]


def site_nav(packet: Packet, plan: PlanStatus | None = None) -> list[dict[str, Any]]:
    """The navigation: overview, packet, plan, dimensions, gaps, timeline; never every entry.

    Material renders the whole nav into every page, so listing each entry
    would make the build quadratic in the number of entries.
    """
    nav: list[dict[str, Any]] = [{"Overview": "index.md"}, {"Packet": "packet.md"}]
    if plan is not None:
        nav.append({"Plan": "plan.md"})
    nav += [
        {"Dimensions": [{c.dimension.name: f"dimensions/{c.dimension.id}.md"}
                        for c in packet.coverage]},
        {"Gaps": "gaps.md"},
        {"Timeline": "timeline.md"},
    ]
    if plan is not None and shows_checkins(packet):
        nav.append({"Check-ins": "checkins.md"})
    return nav
