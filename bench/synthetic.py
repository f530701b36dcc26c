"""Synthetic but realistic packets for benchmarks: N entries, a rubric, an mkdocs.yml.

Every entry uses every field of the evidence format, has a 150-300 word
narrative, and the entries spread over six dimensions and several years.
The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import textwrap
from pathlib import Path

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


def entry(rng: random.Random, index: int, day: dt.date) -> tuple[str, str]:
    verb, thing = rng.choice(VERBS), rng.choice(THINGS)
    before, after = rng.randint(20, 90), rng.randint(2, 19)
    dims = rng.sample(list(DIMENSIONS), rng.randint(1, 3))
    quote_by = rng.sample(PEOPLE, rng.randint(0, 2))
    slug = f"{day.isoformat()}-{verb.lower()}-{index:05d}"
    corroboration = "".join(
        f"  - name: {name}\n    role: Engineer\n    quote: {paragraph(rng, 14).replace(chr(10), ' ')}\n"
        f"    date: {day.isoformat()}\n"
        for name in quote_by)
    front = (
        f"---\ntitle: {verb} {thing} ({index})\ndate: {day.isoformat()}\n"
        f"dimensions: [{', '.join(dims)}]\nlevel: {rng.choice(['senior', 'staff', 'staff', 'principal'])}\n"
        f"outcome: {thing.capitalize()} went from {before} to {after} minutes a day.\n"
        f"metrics:\n  - name: Minutes a day\n    before: {before}\n    after: {after}\n"
        f"corroboration:{' []' if not quote_by else ''}\n{corroboration}"
        f"links:\n  - https://git.example.com/pr/{index}\n  - title: Design doc\n"
        f"    url: https://docs.example.com/{index}\n"
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
        f"highlight: {'true' if rng.random() < 0.15 else 'false'}\n"
        f"visibility: {rng.choice(['committee'] * 8 + ['sponsor', 'private'])}\n---\n"
    )
    body = (f"## Situation\n\n{paragraph(rng, rng.randint(40, 90))}\n\n"
            f"## What I did\n\n{paragraph(rng, rng.randint(60, 130))}\n\n"
            f"## Result\n\n{paragraph(rng, rng.randint(40, 70))}\n")
    return slug, front + "\n" + body


def generate(root: Path, count: int, *, seed: int = 7, plugin: bool = True, extra_yaml: str = "") -> Path:
    """Write a packet of ``count`` entries into ``root`` (created); returns root."""
    rng = random.Random(seed)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "rubric").mkdir(exist_ok=True)
    (root / "rubric" / "ladder.yml").write_text(rubric())
    start = dt.date(2020, 1, 1)
    span = (dt.date(2026, 10, 31) - start).days
    for index in range(count):
        day = start + dt.timedelta(days=span * index // max(count, 1))
        slug, text = entry(rng, index, day)
        folder = root / "evidence" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(text)
    (root / "docs" / "about.md").write_text("# About\n\nA synthetic packet.\n")
    plugins = ("  - promo-packet:\n      person: Bench Person\n      current_level: senior\n"
               "      target_level: staff\n" + extra_yaml) if plugin else ""
    (root / "mkdocs.yml").write_text(
        f"site_name: Synthetic packet\nsite_url: https://bench.example.com/\ntheme:\n  name: material\n"
        f"plugins:\n  - search\n{plugins}")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("-n", "--count", type=int, default=100)
    args = parser.parse_args()
    generate(args.root, args.count)
    print(f"wrote {args.count} entries to {args.root}")


if __name__ == "__main__":
    main()
