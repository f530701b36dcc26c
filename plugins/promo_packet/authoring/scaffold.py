"""Starting points: a new packet repository, and a new evidence file.

``promo init`` lays out a repository a person can push to their own git host
and build at once; ``promo new`` writes one evidence file with every field
the format knows, so capturing a win takes seconds.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import itertools
import json
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .._version import __version__
from ..errors import ScaffoldError
from ..model.evidence import MARKDOWN_SUFFIXES, slug_for
from ..model.rubric import Ladder, Level, parse_rubric
from ..reading.documents import id_hint, text_slug
from ..render.pages import environment

# (template, destination, rendered with Jinja?)
SCAFFOLD: Sequence[tuple[str, str, bool]] = (
    ("mkdocs.yml.j2", "mkdocs.yml", True),
    ("requirements.txt.j2", "requirements.txt", True),
    ("README.md.j2", "README.md", True),
    ("gitignore", ".gitignore", False),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml", False),
    ("github-workflow.yml.j2", ".github/workflows/packet.yml", True),
    ("main.html", "overrides/main.html", False),
    ("search.html", "overrides/partials/search.html", False),
    ("about.md.j2", "docs/about.md", True),
    ("ladder.yml", "rubric/ladder.yml", False),
    ("example.md.j2", "evidence/{date}-example-flaky-tests.md", True),
)
DISTRIBUTION = "promo-packet"
SHOWN_BEHAVIOURS = 3
"""How many behaviour ids a new entry's commented ``shows:`` offers."""


@dataclass(frozen=True)
class Requirement:
    """Where to install promo-packet from: a ``name==version`` or a URL pip and pipx accept."""

    source: str
    editable: bool = False

    @property
    def line(self) -> str:
        """The line of a requirements file."""
        if self.editable:
            return f"-e {self.source}"
        return self.source if self.source.startswith(DISTRIBUTION) else f"{DISTRIBUTION} @ {self.source}"

    @property
    def pipx(self) -> str:
        """The argument(s) of ``pipx install``, quoted for a POSIX shell."""
        quoted = shlex.quote(str(self.path) if self.local else self.source)
        return f"--editable {quoted}" if self.editable else quoted

    @property
    def local(self) -> bool:
        """A path on this machine, which a CI runner or another computer cannot reach."""
        return urlsplit(self.source).scheme == "file"

    @property
    def path(self) -> Path:
        """The local path of a ``file:`` source."""
        return Path(unquote(urlsplit(self.source).path))


def requirement_from(direct_url: Mapping[str, Any] | None, version: str) -> Requirement:
    """The requirement for a distribution installed as PEP 610's ``direct_url.json`` says.

    No record means it came from an index, so the index's version is the one to pin.
    """
    url = str(direct_url.get("url", "")) if direct_url else ""
    if not direct_url or not url:
        return Requirement(f"{DISTRIBUTION}=={version}")
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, Mapping):
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        url = f"{vcs.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else "")
    subdirectory = direct_url.get("subdirectory")
    if subdirectory:
        url += f"#subdirectory={subdirectory}"
    dir_info = direct_url.get("dir_info")
    # An editable install is a working copy: the packet should follow its changes too.
    return Requirement(url, editable=isinstance(dir_info, Mapping) and dir_info.get("editable") is True)


def installed_requirement() -> Requirement:
    """How to install the promo-packet that is running now.

    Code running from a source tree (a clone, installed editable or put on ``PYTHONPATH``) is
    installed from that tree: metadata found there (an ``egg-info`` a build left) says nothing
    about where it came from. Otherwise the installed distribution's metadata says.
    """
    source = Path(__file__).resolve().parents[3]
    try:
        distribution: importlib.metadata.Distribution | None = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        distribution = None
    installed = requirement_from(_direct_url(distribution), distribution.version) if distribution else None
    if (source / "pyproject.toml").is_file():
        editable = installed is not None and installed.editable and installed.local and (
            installed.path.resolve() == source)
        return Requirement(source.as_uri(), editable=editable)
    return installed or requirement_from(None, __version__)


def _direct_url(distribution: importlib.metadata.Distribution) -> Mapping[str, Any] | None:
    text = distribution.read_text("direct_url.json")
    try:
        record = json.loads(text) if text else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def starter_ladder() -> Ladder:
    text = (Path(__file__).parent.parent / "templates" / "scaffold" / "ladder.yml").read_text("utf-8")
    ladder, problems = parse_rubric(text, "ladder.yml")
    assert ladder is not None, problems
    return ladder


def init_packet(folder: Path, *, person: str = "", current: str | None = None,
                target: str | None = None, today: dt.date,
                rubric: tuple[Ladder, str] | None = None,
                requirement: Requirement | None = None) -> list[Path]:
    """Write a new packet repository into ``folder`` (absent or empty); returns the files written.

    ``rubric`` is a ladder and its rubric text (as imported) to start from instead of the
    starter ladder; ``target`` is then required, as no level name is a safe guess.
    ``requirement`` is how its requirements.txt installs promo-packet (default: as installed here).
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} exists and is not empty; choose a new folder")
    ladder = rubric[0] if rubric else starter_ladder()
    current_level, target_level = _chosen_levels(ladder, current, target, imported=rubric is not None)
    env = environment("text")
    context = {
        "person": person, "current": current_level.id, "target": target_level.id,
        "requirement": requirement or installed_requirement(), "target_title": target_level.title,
        "current_title": current_level.title, "date": today,
        "example_dimensions": ladder.dimension_ids[:2],
        # As a shell line in the README: ids may hold spaces or quotes.
        "example_flags": " ".join(f"-d {shlex.quote(d)}" for d in ladder.dimension_ids[:2]),
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
            text = (Path(__file__).parent.parent / "templates" / "scaffold" / template).read_text("utf-8")
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _chosen_levels(ladder: Ladder, current: str | None, target: str | None, *,
                   imported: bool) -> tuple[Level, Level]:
    """The current and target levels asked for, checked against ``ladder``.

    Without a target the starter ladder's staff is the goal; an ``imported`` rubric has no
    safe guess. Without a current level it is the one below the target.
    """
    levels = ladder.level_ids
    which = "the imported rubric" if imported else "the starter ladder"
    if target is None and imported:
        raise ScaffoldError(f"--target is needed with --rubric: the level you are going for, one of "
                            f"{which}'s: {', '.join(levels)}")
    target = target or "staff"
    for name, value in (("--current", current), ("--target", target)):
        if value is not None and ladder.level(value) is None:
            raise ScaffoldError(f"{name} {value!r} is not a level of {which}; "
                                f"{id_hint(value, levels, 'use one of')}")
    target_level = ladder.level(target)
    assert target_level is not None
    below = ladder.levels[max(target_level.rank - 1, 0)]
    current_level = below if current is None else ladder.level(current)
    assert current_level is not None
    return current_level, target_level


def new_entry(evidence_dir: Path, title: str, *, ladder: Ladder, target: str, day: dt.date,
              dimensions: Sequence[str] = (), highlight: bool = False) -> Path:
    """Write a new evidence file from the template; never overwrites (adds -2, -3, ...)."""
    unknown = [d for d in dimensions if ladder.dimension(d) is None]
    if unknown:
        raise ScaffoldError(f"unknown dimension {unknown[0]!r}; the rubric has: "
                            f"{', '.join(ladder.dimension_ids)}")
    if not title.strip():
        raise ScaffoldError("the title is empty; say what was done, in a few words")
    # A few behaviours of the target level to start from: of the entry's dimensions, if it names any.
    behaviours = [b.id for dim in ladder.dimensions if not dimensions or dim.id in dimensions
                  for b in dim.expectation(target)][:SHOWN_BEHAVIOURS]
    text = environment("text").get_template("entry.md.j2").render(
        title=title.strip(), date=day, dimensions=list(dimensions), highlight=highlight,
        target=target, known=ladder.dimension_ids, behaviours=behaviours)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    # Slugs must be unique across subfolders too, or two entries would share a URL.
    taken = {slug_for(p) for p in evidence_dir.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES}
    stem = f"{day.isoformat()}-{text_slug(title) or 'win'}"
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
