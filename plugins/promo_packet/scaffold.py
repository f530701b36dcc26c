"""Starting points: a new packet repository, and a new evidence file.

``promo init`` lays out a repository a person can push to their own git host
and build at once; ``promo new`` writes one evidence file with every field
the format knows, so capturing a win takes seconds.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .documents import id_hint
from .evidence import MARKDOWN_SUFFIXES, slug_for
from .pages import environment
from .rubric import Ladder, parse_rubric

# (template, destination, rendered with Jinja?)
SCAFFOLD: Sequence[tuple[str, str, bool]] = (
    ("mkdocs.yml.j2", "mkdocs.yml", True),
    ("requirements.txt.j2", "requirements.txt", True),
    ("README.md.j2", "README.md", True),
    ("gitignore", ".gitignore", False),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml", False),
    ("github-workflow.yml.j2", ".github/workflows/packet.yml", True),
    ("main.html", "overrides/main.html", False),
    ("about.md.j2", "docs/about.md", True),
    ("ladder.yml", "rubric/ladder.yml", False),
    ("example.md.j2", "evidence/{date}-example-flaky-tests.md", True),
)
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def starter_ladder() -> Ladder:
    text = (Path(__file__).parent / "templates" / "scaffold" / "ladder.yml").read_text("utf-8")
    ladder, problems = parse_rubric(text, "ladder.yml")
    assert ladder is not None, problems
    return ladder


class ScaffoldError(ValueError):
    """The request cannot be met; the message says why and what to do."""


def init_packet(folder: Path, *, person: str = "", current: str | None = None,
                target: str | None = None, today: dt.date,
                rubric: tuple[Ladder, str] | None = None) -> list[Path]:
    """Write a new packet repository into ``folder`` (absent or empty); returns the files written.

    ``rubric`` is a ladder and its rubric text (as imported) to start from instead of the
    starter ladder; ``target`` is then required, as no level name is a safe guess.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not empty; choose a new folder")
    ladder = rubric[0] if rubric else starter_ladder()
    levels = ladder.level_ids
    which = "the imported rubric" if rubric else "the starter ladder"
    if rubric and target is None:
        raise ScaffoldError(f"--target is needed with --rubric: the level you are going for, one of "
                            f"{which}'s: {', '.join(levels)}")
    target = target or "staff"
    for name, value in (("--current", current), ("--target", target)):
        if value is not None and ladder.level(value) is None:
            raise ScaffoldError(f"{name} {value!r} is not a level of {which}; "
                                f"{id_hint(value, levels, 'use one of')}")
    target_level = ladder.level(target)
    assert target_level is not None
    if current is None:
        current = levels[max(target_level.rank - 1, 0)]
    current_level = ladder.level(current)
    env = environment("text")
    context = {
        "person": person, "current": current, "target": target, "version": __version__,
        "target_title": target_level.title,
        "current_title": current_level.title if current_level else "", "date": today,
        "example_dimensions": ladder.dimension_ids[:2],
    }
    written = []
    for template, destination, render in SCAFFOLD:
        path = folder / destination.format(date=today.isoformat())
        path.parent.mkdir(parents=True, exist_ok=True)
        if rubric and destination == "rubric/ladder.yml":
            text = rubric[1]
        elif render:
            text = env.get_template(f"scaffold/{template}").render(context)
        else:
            text = (Path(__file__).parent / "templates" / "scaffold" / template).read_text("utf-8")
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def slugify(title: str, limit: int = 60) -> str:
    """``"Cut CI time: 40 -> 12 min!"`` -> ``"cut-ci-time-40-12-min"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _SLUG_DROP.sub("-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-") or "win"


def new_entry(evidence_dir: Path, title: str, *, ladder: Ladder, target: str, day: dt.date,
              dimensions: Sequence[str] = (), highlight: bool = False) -> Path:
    """Write a new evidence file from the template; never overwrites (adds -2, -3, ...)."""
    unknown = [d for d in dimensions if ladder.dimension(d) is None]
    if unknown:
        raise ScaffoldError(f"unknown dimension {unknown[0]!r}; the rubric has: "
                            f"{', '.join(ladder.dimension_ids)}")
    if not title.strip():
        raise ScaffoldError("the title is empty; say what was done, in a few words")
    text = environment("text").get_template("entry.md.j2").render(
        title=title.strip(), date=day, dimensions=list(dimensions), highlight=highlight,
        target=target, known=ladder.dimension_ids)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    # Slugs must be unique across subfolders too, or two entries would share a URL.
    taken = {slug_for(p) for p in evidence_dir.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES}
    stem = f"{day.isoformat()}-{slugify(title)}"
    candidates = (stem if n == 1 else f"{stem}-{n}" for n in itertools.count(1))
    for name in candidates:
        if name in taken:
            continue
        try:
            with (evidence_dir / f"{name}.md").open("x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return evidence_dir / f"{name}.md"
    raise AssertionError("unreachable")
