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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from .._version import __version__
from ..errors import Problem, ScaffoldError
from ..model.evidence import MARKDOWN_SUFFIXES, slug_for
from ..model.rubric import Ladder, parse_rubric
from ..reading.config import config_from_text
from ..reading.ids import TITLE_SLUG_LENGTH, id_hint, slug_of
from ..reading.yaml_writer import comment, front_matter_reading, storable, write_checked
from ..render.pages import environment
from ..render.pages import text as html_text

# (template, destination, the Jinja environment that renders it, if any): Markdown a site shows
# renders with the site's, which escapes every value; YAML with ``text``, its values through ``yaml``.
SCAFFOLD: Sequence[tuple[str, str, str | None]] = (
    ("mkdocs.yml.j2", "mkdocs.yml", "text"),
    ("requirements.txt.j2", "requirements.txt", "text"),
    ("README.md.j2", "README.md", "site"),
    ("gitignore", ".gitignore", None),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml", None),
    ("github-workflow.yml.j2", ".github/workflows/packet.yml", "text"),
    ("main.html", "overrides/main.html", None),
    ("search.html", "overrides/partials/search.html", None),
    ("about.md.j2", "docs/about.md", "site"),
    ("ladder.yml", "rubric/ladder.yml", None),
    ("example.md.j2", "evidence/{date}-example-flaky-tests.md", "text"),
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


def _chosen_levels(ladder: Ladder, current: str | None, target: str | None, *,
                   imported: bool) -> tuple[str, str]:
    """The current and target level ids a new packet starts with, each a level of ``ladder``;
    the current one is the level below the target unless given."""
    levels = ladder.level_ids
    which = "the imported rubric" if imported else "the starter ladder"
    if imported and target is None:
        raise ScaffoldError("--target is needed with --rubric",
                            hint=f"the level you are going for, one of {which}'s: {', '.join(levels)}")
    target = target or "staff"
    for name, value in (("--current", current), ("--target", target)):
        if value is not None and ladder.level(value) is None:
            raise ScaffoldError(f"{name} {value!r} is not a level of {which}",
                                hint=id_hint(value, levels, "use one of"))
    target_level = ladder.level(target)
    assert target_level is not None
    return current or levels[max(target_level.rank - 1, 0)], target


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
        raise ScaffoldError(Problem(str(folder), None, "exists and is not empty", hint="choose a new folder"))
    ladder = rubric[0] if rubric else starter_ladder()
    current, target = _chosen_levels(ladder, current, target, imported=rubric is not None)
    target_level, current_level = ladder.level(target), ladder.level(current)
    assert target_level is not None
    requirement = requirement or installed_requirement()
    person = storable(person)
    titles = {"target_title": storable(target_level.title),
              "current_title": storable(current_level.title) if current_level else ""}
    # Material puts the description into a page's <meta> as it is: HTML, so escaped as such.
    description = str(html_text(f"Evidence for promotion to {titles['target_title']}"))
    context = {
        "person": person, "description": description, "current": current, "target": target,
        "requirement": requirement,
        **titles, "date": today, "example_dimensions": ladder.dimension_ids[:2],
        # Shell lines in the README's code blocks, where Markdown reads nothing: quoted for the
        # shell, as ids may hold spaces or quotes, and kept as they are.
        "pipx": Markup(requirement.pipx),
        "example_flags": Markup(" ".join(f"-d {shlex.quote(d)}" for d in ladder.dimension_ids[:2])),
    }
    read_backs = _read_backs({
        "site_name": f"{person}: promotion packet" if person else "Promotion packet",
        "site_description": description,
        "person": person, "current_level": current, "target_level": target})
    written = []
    for template, destination, kind in SCAFFOLD:
        path = folder / destination.format(date=today.isoformat())
        path.parent.mkdir(parents=True, exist_ok=True)
        if rubric and destination == "rubric/ladder.yml":
            text = rubric[1]
        elif kind:
            text = environment(kind).get_template(f"scaffold/{template}").render(context)
        else:
            text = (Path(__file__).parent.parent / "templates" / "scaffold" / template).read_text("utf-8")
        read_back = read_backs.get(destination) or (front_matter_reading(path) if destination.startswith(
            "evidence/") else None)
        if read_back:
            write_checked(path, text, read_back)
        else:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _read_backs(meant: Mapping[str, str]) -> dict[str, Callable[[str], list[Problem]]]:
    """How the starter's YAML files are read back: mkdocs.yml must hold the values ``meant``
    (the site's and the plugin's), so no value can have added a key or ended early."""
    def config(text: str) -> list[Problem]:
        data, options, problems = config_from_text(text, "mkdocs.yml")
        read = {**{key: data.get(key) for key in ("site_name", "site_description")}, **options}
        return problems + [Problem("mkdocs.yml", None, f"{key} would read as {read.get(key)!r}, "
                                   f"not {value!r}")
                           for key, value in meant.items() if read.get(key) != value]

    def ladder(text: str) -> list[Problem]:
        return parse_rubric(text, "rubric/ladder.yml")[1]

    return {"mkdocs.yml": config, "rubric/ladder.yml": ladder}


def _offered_behaviours(ladder: Ladder, target: str,
                        dimensions: Sequence[str]) -> tuple[list[str], list[str]]:
    """The ids a new entry's commented ``shows:`` offers (a few behaviours of the target level, of
    the entry's dimensions if it names any), and a comment line saying what each means: an id
    says where a behaviour stands, not what it is."""
    expected = [b for dim in ladder.dimensions if not dimensions or dim.id in dimensions
                for b in dim.expectation(target)]
    offered = expected[:SHOWN_BEHAVIOURS]
    meanings = [comment(f"- {b.id}: {b.text}") for b in offered]
    if len(expected) > len(offered):
        meanings.append(comment(f"... and {len(expected) - len(offered)} more: promo rubric show "
                                "lists every behaviour with its id"))
    return [b.id for b in offered], meanings


def new_entry(evidence_dir: Path, title: str, *, ladder: Ladder, target: str, day: dt.date,
              dimensions: Sequence[str] = (), highlight: bool = False) -> Path:
    """Write a new evidence file from the template; never overwrites (adds -2, -3, ...)."""
    unknown = [d for d in dimensions if ladder.dimension(d) is None]
    if unknown:
        raise ScaffoldError(f"unknown dimension {unknown[0]!r}",
                            hint=f"the rubric has: {', '.join(ladder.dimension_ids)}")
    if not title.strip():
        raise ScaffoldError("the title is empty", hint="say what was done, in a few words")
    behaviours, meanings = _offered_behaviours(ladder, target, dimensions)
    text = environment("text").get_template("entry.md.j2").render(
        title=title.strip(), date=day, dimensions=list(dimensions), highlight=highlight,
        target=target, known=ladder.dimension_ids, behaviours=behaviours, meanings=meanings)
    evidence_dir.mkdir(parents=True, exist_ok=True)
    # Slugs must be unique across subfolders too, or two entries would share a URL.
    taken = {slug_for(p) for p in evidence_dir.rglob("*") if p.suffix.lower() in MARKDOWN_SUFFIXES}
    stem = f"{day.isoformat()}-{slug_of(title, TITLE_SLUG_LENGTH) or 'win'}"
    candidates = (stem if n == 1 else f"{stem}-{n}" for n in itertools.count(1))
    for name in candidates:
        if name in taken:
            continue
        path = evidence_dir / f"{name}.md"
        try:
            path.open("x", encoding="utf-8").close()  # the name is ours: never over a file
        except FileExistsError:
            continue
        try:
            write_checked(path, text, front_matter_reading(path, title=storable(title.strip()),
                                                           dimensions=list(dimensions)))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise AssertionError("unreachable")
