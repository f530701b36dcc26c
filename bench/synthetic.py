"""Synthetic but realistic packets for benchmarks: N entries, a rubric, an mkdocs.yml.

Every entry uses every field of the evidence format, has a 150-300 word
narrative, and the entries spread over six dimensions and several years.
The same N and seed always give the same files.

The same entries can also be laid out for the sites we compare against:

``packet``  the promo-packet plugin over ``evidence/`` (the default);
``floor``   the entries as plain pages in ``docs/evidence/``, same theme, plugins and
            Markdown extensions, not in the navigation, beside a navigation of the packet's
            shape (overview, packet, a section of one page per dimension, gaps, timeline,
            about): what MkDocs costs anyway, drawing the same navigation on every page;
``blog``    the entries as Material blog posts in ``docs/blog/posts/``, dimensions as
            categories, an excerpt separator after the first section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

from promo_packet.hosts.build import REQUIRED_EXTENSIONS

DIMENSIONS = {
    "scope": "Scope and impact",
    "ambiguity": "Handling ambiguity",
    "influence": "Influence",
    "execution": "Execution and quality",
    "direction": "Technical direction",
    "mentorship": "Growing others",
}
LEVELS = [("engineer", "Engineer"), ("senior", "Senior Engineer"), ("staff", "Staff Engineer"),
          ("principal", "Principal Engineer")]
VERBS = ["Cut", "Shipped", "Replaced", "Designed", "Led", "Unblocked", "Automated", "Migrated",
         "Simplified", "Scoped", "Standardised", "Rebuilt"]
THINGS = ["the billing export", "nightly reconciliation", "the deploy pipeline", "on-call paging",
          "the search index", "carrier onboarding", "the payments ledger", "incident reviews",
          "the interview loop", "API versioning", "the data retention job", "quarterly planning"]
WORDS = [
    "the", "team", "service", "latency", "customers", "review", "design", "migration", "rollout",
    "metrics", "budget", "incident", "dashboard", "quarter", "stakeholders", "proposal",
    "trade-off", "backlog", "owner", "cost", "risk", "reliability", "plan", "handover", "baseline",
    "experiment", "outcome", "adoption", "partner", "audit",
]
PEOPLE = ["Ada Moreau", "Bilal Okafor", "Chen Wei", "Dana Kowalski", "Eli Brandt", "Farah Nasser",
          "Goran Petrov", "Hana Sato", "Ivo Lindgren", "Jo Mensah"]

LAYOUTS = ("packet", "floor", "blog")
# What the plugin adds to a packet's config (its required extensions and fenced code); the floor
# and the peer get the same, so that each page costs them what it costs the packet to convert.
MARKDOWN_EXTENSIONS = "markdown_extensions:\n" + "".join(
    f"  - {name}\n" for name in (*REQUIRED_EXTENSIONS, "fenced_code"))
SITE = ("site_name: Synthetic packet\nsite_url: https://bench.example.com/\n"
        "theme:\n  name: material\n")

RUBRIC = """name: Synthetic Ladder
levels:
{levels}
dimensions:
{dimensions}
"""


def rubric() -> str:
    levels = "\n".join(f"  - {{id: {i}, title: {t}}}" for i, t in LEVELS)
    dims = "\n".join(
        f"  - id: {i}\n    name: {n}\n    description: What {n.lower()} looks like here.\n"
        f"    expectations:\n      senior: Shows {n.lower()} within the team.\n"
        f"      staff:\n        - Shows {n.lower()} across teams.\n"
        f"        - Others change course because of it."
        for i, n in DIMENSIONS.items())
    return RUBRIC.format(levels=levels, dimensions=dims)


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return textwrap.fill(text[0].upper() + text[1:] + ".", 100)


@dataclass(frozen=True)
class Entry:
    """One synthetic win: front matter fields in file order, and the narrative's sections."""

    slug: str
    day: dt.date
    fields: dict[str, str]
    """Field name -> its YAML text, including the ``name:`` and any nested lines."""
    dimensions: list[str]
    links: list[tuple[str, str]]
    sections: list[tuple[str, str]]

    def text(self, fields: dict[str, str] | None = None, separator: str = "") -> str:
        front = "".join((fields or self.fields).values())
        body = "\n\n".join(f"## {heading}\n\n{text}" + (separator if i == 0 else "")
                           for i, (heading, text) in enumerate(self.sections))
        return f"---\n{front}---\n\n{body}\n"

    def evidence(self) -> str:
        """The evidence file, in promo-packet's format."""
        return self.text()

    def post(self) -> str:
        """The same entry as a Material blog post: dimensions become categories, links its
        ``links:`` (a nav-like list), and the first section the excerpt."""
        fields = dict(self.fields)
        fields["categories"] = "categories:\n" + "".join(f"  - {DIMENSIONS[d]}\n" for d in self.dimensions)
        fields["links"] = "links:\n" + "".join(f"  - {title}: {url}\n" for title, url in self.links)
        return self.text(fields, separator="\n\n<!-- more -->")


def entry(rng: random.Random, index: int, day: dt.date) -> Entry:
    verb, thing = rng.choice(VERBS), rng.choice(THINGS)
    before, after = rng.randint(20, 90), rng.randint(2, 19)
    dims = rng.sample(list(DIMENSIONS), rng.randint(1, 3))
    quote_by = rng.sample(PEOPLE, rng.randint(0, 2))
    slug = f"{day.isoformat()}-{verb.lower()}-{index:05d}"
    corroboration = "".join(
        f"  - name: {name}\n    role: Engineer\n    quote: {paragraph(rng, 14).replace(chr(10), ' ')}\n"
        f"    date: {day.isoformat()}\n"
        for name in quote_by)
    links = [("Pull request", f"https://git.example.com/pr/{index}"),
             ("Design doc", f"https://docs.example.com/{index}")]
    fields = {
        "title": f"title: {verb} {thing} ({index})\n",
        "date": f"date: {day.isoformat()}\n",
        "dimensions": f"dimensions: [{', '.join(dims)}]\n",
        "level": f"level: {rng.choice(['senior', 'staff', 'staff', 'principal'])}\n",
        "outcome": f"outcome: {thing.capitalize()} went from {before} to {after} minutes a day.\n",
        "metrics": f"metrics:\n  - name: Minutes a day\n    before: {before}\n    after: {after}\n",
        "corroboration": f"corroboration:{' []' if not quote_by else ''}\n{corroboration}",
        "links": f"links:\n  - {links[0][1]}\n  - title: {links[1][0]}\n    url: {links[1][1]}\n",
        "tags": f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n",
        "highlight": f"highlight: {'true' if rng.random() < 0.15 else 'false'}\n",
        "visibility": f"visibility: {rng.choice(['committee'] * 8 + ['sponsor', 'private'])}\n",
    }
    sections = [("Situation", paragraph(rng, rng.randint(40, 90))),
                ("What I did", paragraph(rng, rng.randint(60, 130))),
                ("Result", paragraph(rng, rng.randint(40, 70)))]
    return Entry(slug, day, fields, dims, links, sections)


def entries(count: int, seed: int = 7) -> list[Entry]:
    """``count`` entries spread evenly from January 2020 to October 2026."""
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    span = (dt.date(2026, 10, 31) - start).days
    return [entry(rng, index, start + dt.timedelta(days=span * index // max(count, 1)))
            for index in range(count)]


def generate(root: Path, count: int, *, seed: int = 7, plugin: bool = True, extra_yaml: str = "",
             layout: str = "packet") -> Path:
    """Write ``count`` entries into ``root`` (created) in one of :data:`LAYOUTS`; returns root.

    ``plugin=False`` writes a packet whose mkdocs.yml leaves the plugin out;
    ``extra_yaml`` is appended to the plugin's options.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "about.md").write_text("# About\n\nA synthetic packet.\n")
    for item in entries(count, seed):
        if layout == "packet":
            folder, text = root / "evidence" / str(item.day.year), item.evidence()
        elif layout == "floor":
            folder, text = docs / "evidence" / str(item.day.year), item.evidence()
        else:
            folder, text = docs / "blog" / "posts" / str(item.day.year), item.post()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{item.slug}.md").write_text(text)
    if layout == "packet":
        (root / "rubric").mkdir(exist_ok=True)
        (root / "rubric" / "ladder.yml").write_text(rubric())
        options = ("  - promo-packet:\n      person: Bench Person\n      current_level: senior\n"
                   "      target_level: staff\n" + extra_yaml) if plugin else ""
        config = f"{SITE}plugins:\n  - search\n{options}"
    elif layout == "floor":
        nav = floor_pages(docs)
        config = f"{SITE}plugins:\n  - search\n{MARKDOWN_EXTENSIONS}{nav}not_in_nav: |\n  /evidence/\n"
    else:
        (docs / "blog" / "index.md").write_text("# Blog\n")
        config = f"{SITE}plugins:\n  - search\n  - blog\n{MARKDOWN_EXTENSIONS}"
    (root / "mkdocs.yml").write_text(config)
    return root


def floor_pages(docs: Path) -> str:
    """The floor's own pages, in a navigation of the packet's shape; returns its ``nav:``."""
    pages = {"index.md": "Synthetic packet", "packet.md": "Packet", "gaps.md": "Gaps",
             "timeline.md": "Timeline"}
    pages.update({f"dimensions/{key}.md": name for key, name in DIMENSIONS.items()})
    (docs / "dimensions").mkdir(exist_ok=True)
    for name, title in pages.items():
        (docs / name).write_text(f"# {title}\n\nA page of the packet's navigation, written by hand.\n")
    dimensions = "".join(f"      - dimensions/{key}.md\n" for key in DIMENSIONS)
    return ("nav:\n  - index.md\n  - packet.md\n  - Dimensions:\n" + dimensions +
            "  - gaps.md\n  - timeline.md\n  - about.md\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("-n", "--count", type=int, default=100)
    parser.add_argument("--layout", choices=LAYOUTS, default="packet")
    args = parser.parse_args()
    generate(args.root, args.count, layout=args.layout)
    print(f"wrote {args.count} entries to {args.root} as a {args.layout} site")


if __name__ == "__main__":
    main()
