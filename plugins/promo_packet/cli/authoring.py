"""Writing the packet: ``promo init``, ``rubric import`` (and ``show``), ``drafts``, ``accept`` and
``checkin``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import click

from ..authoring.drafts import accept as accept_draft
from ..authoring.drafts import find_drafts
from ..authoring.drafts import prune as prune_drafts
from ..authoring.drafts import set_aside as set_aside_drafts
from ..authoring.plan_edit import add_checkin
from ..authoring.scaffold import init_packet, installed_requirement
from ..errors import (
    InputError,
    Problem,
    RequestError,
    plural,
)
from ..importers import FORMATS, TRACKS, Imported, import_rubric
from ..importers.selection import Alternatives, alternatives, dimension_ids
from ..model.packet import today as default_today
from ..model.plan import parse_plan, sponsor_of
from ..model.progress import entries_between
from ..model.rubric import Dimension, Ladder, parse_rubric
from ..model.settings import Options
from ..reading.folders import read_named_text, shown_path
from ..reading.ids import id_hint
from ..reading.yaml_writer import flow_list, write_checked
from .common import (
    CONFIG_OPTION,
    DAY,
    FORMAT_OPTION,
    echo,
    ladder_or_exit,
    load_or_exit,
    options_of,
    options_or_stop,
    report,
    today_or_warn,
    written,
)
from .importers import _drafts_folder


def _one_of_groups(context: click.Context, parameter: click.Parameter,
                   values: tuple[str, ...]) -> tuple[Alternatives, ...]:
    groups = tuple(alternatives(value) for value in values)
    wrong = [value for value, group in zip(values, groups, strict=True) if group is None]
    if wrong:
        raise click.BadParameter(f"{wrong[0]!r}: write NAME=DIM,DIM (e.g. 'Mastery specialism=science,"
                                 "analytics')", context, parameter)
    return tuple(group for group in groups if group is not None)


def dimension_choice(command: Callable[..., None]) -> Callable[..., None]:
    """``--only``, ``--drop`` and ``--one-of``: which of an imported ladder's dimensions to keep,
    and which are alternatives."""
    for option in reversed((
            click.option("--only", "only", multiple=True, metavar="DIM,...",
                         help="Keep only these dimensions (ids as the import lists them).  [default: all]"),
            click.option("--drop", "drop", multiple=True, metavar="DIM,...",
                         help="Leave these dimensions out, e.g. a specialism you did not choose."),
            click.option("--one-of", "one_of", multiple=True, metavar="NAME=DIM,DIM,...",
                         callback=_one_of_groups, help="Group alternatives of which the target level "
                                                       "asks for one (repeat for several groups)."))):
        command = option(command)
    return command


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--person", default="", help="Your name, as the packet should show it.")
@click.option("--current", default=None, help="Your level today (a level id of the rubric, as written).")
@click.option("--target", default=None,
              help="The level you are going for.  [default: staff, with the starter ladder]")
@click.option("--rubric", "rubric_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Your company's ladder (any format `promo rubric import` reads) "
                                 "instead of the starter ladder.")
@dimension_choice
def init(folder: Path, person: str, current: str | None, target: str | None,
         rubric_file: Path | None, only: tuple[str, ...], drop: tuple[str, ...],
         one_of: tuple[Alternatives, ...]) -> None:
    """Start a new packet repository in FOLDER (which must be new or empty); with --rubric,
    --only, --drop and --one-of choose among its dimensions as `promo rubric import` does."""
    if rubric_file is None and (only or drop or one_of):
        raise click.UsageError("--only, --drop and --one-of choose among the dimensions of --rubric FILE")
    imported = (imported_or_exit(rubric_file, only=only, drop=drop, one_of=one_of)
                if rubric_file is not None else None)
    rubric = None
    if imported is not None:
        assert imported.ladder is not None and imported.text is not None
        rubric = (imported.ladder, imported.text)
    requirement = installed_requirement()
    written = init_packet(folder, person=person, current=current, target=target,
                          today=today_or_warn(), rubric=rubric, requirement=requirement)
    for path in written:
        echo(f"  {path.relative_to(folder)}")
    echo(f"requirements.txt installs promo-packet as it is installed here: {requirement.line}")
    if requirement.local:
        echo("promo init: that is a path on this computer, which CI cannot reach: replace it with "
             "a git URL or a released version before you push (see the README)", err=True)
    next_step = ("check rubric/ladder.yml against your ladder" if imported
                 else "edit rubric/ladder.yml to match your company's ladder (or: promo rubric import)")
    echo(f"promo init: {len(written)} files in {folder}. Next:\n"
         f"  cd {folder} && git init && mkdocs serve\n"
         f"  {next_step}, then: promo new \"...\"")


def imported_or_exit(source: Path, *, format: str | None = None, track: str | None = None,
                     only: tuple[str, ...] = (), drop: tuple[str, ...] = (),
                     one_of: tuple[Alternatives, ...] = ()) -> Imported:
    """Import ``source`` and print what was mapped, and how to choose among its dimensions when
    nothing was chosen; its errors stop the command. ``only`` and ``drop`` as the options give
    them (``DIM,DIM``, repeated or not)."""
    if only and drop:
        raise click.UsageError("--only and --drop: give one or the other (--only keeps the "
                               "dimensions it names, --drop keeps all but those)")
    imported = import_rubric(source, format=format, track=track, shown=shown_path(source, Path.cwd()),
                             only=dimension_ids(*only), drop=dimension_ids(*drop), one_of=one_of)
    if imported.text is None or imported.ladder is None:
        raise InputError(imported.problems, nothing_written=True)
    report(imported.problems)
    for line in imported.summary():
        echo(line)
    if not (only or drop or one_of) and len(imported.draft.dimensions) > 1:
        echo("Not judged on all of them? --drop DIM,... leaves some out, --only DIM,... keeps some, "
             "--one-of NAME=DIM,DIM groups alternatives of which one is enough.")
    return imported


@click.group()
def rubric() -> None:
    """The rubric: bring in your company's existing ladder, list its behaviours' ids."""


@rubric.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("rubric/ladder.yml"), show_default=True, help="Where to write the rubric.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="The source's format.  [default: detected from its content]")
@click.option("--track", type=click.Choice(TRACKS), default=None,
              help="With parallel individual-contributor and people-manager levels at one rank: "
                   "keep one track, or both as separate levels.  [default: both]")
@dimension_choice
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def import_(source: Path, output: Path, format_: str | None, track: str | None, only: tuple[str, ...],
            drop: tuple[str, ...], one_of: tuple[Alternatives, ...], force: bool) -> None:
    """Convert a ladder (CSV/TSV, FT YAML, Monzo or engineeringladders Markdown) into a rubric.

    It lists the dimensions it found with their ids: --only or --drop then chooses among them, and
    --one-of groups alternatives (specialisms) of which one is enough.
    """
    if output.exists() and not force:
        raise RequestError(Problem(str(output), None, "exists", hint="pass --force to replace it, or -o for "
                                                                     "another file"))
    imported = imported_or_exit(source, format=format_, track=track, only=only, drop=drop, one_of=one_of)
    assert imported.text is not None
    output.parent.mkdir(parents=True, exist_ok=True)
    write_checked(output, imported.text, lambda text: parse_rubric(text, str(output))[1])
    echo(f"Wrote {output}. Set current_level and target_level in mkdocs.yml to two of its "
         "level ids, then run promo check.")


@rubric.command("show")
@click.argument("dimension", required=False)
@CONFIG_OPTION
@FORMAT_OPTION
def show(dimension: str | None, config_file: Path, output: str) -> None:
    """List the rubric's behaviours with their ids, the names an entry's `shows:` gives them:
    each dimension (or only DIMENSION), level by level, lowest first."""
    _, ladder = ladder_or_exit(config_file)
    dimensions = ladder.dimensions
    if dimension is not None:
        found = ladder.dimension(dimension)
        if found is None:
            raise RequestError(f"unknown dimension {dimension!r}",
                               hint=id_hint(dimension, ladder.dimension_ids), nothing_written=False)
        dimensions = (found,)
    if output == "json":
        echo(json.dumps([rubric_listing(ladder, d) for d in dimensions], indent=2, ensure_ascii=False))
        return
    echo("\n\n".join(render_listing(ladder, d) for d in dimensions))


def rubric_listing(ladder: Ladder, dimension: Dimension) -> dict[str, object]:
    """One dimension of ``promo rubric show --format json``: its levels, lowest first, each with
    its behaviours (id, text, examples) and the examples given for the level as a whole."""
    return {"id": dimension.id, "name": dimension.name, "description": dimension.description,
            "levels": [{"id": level.id, "title": level.title,
                        "behaviours": [{"id": b.id, "text": b.text, "examples": list(b.examples)}
                                       for b in dimension.expectation(level.id)],
                        "examples": list(dimension.examples.get(level.id, ()))}
                       for level in ladder.levels
                       if dimension.expectation(level.id) or dimension.examples.get(level.id)]}


def render_listing(ladder: Ladder, dimension: Dimension) -> str:
    """One dimension as ``promo rubric show`` prints it: ``id  text`` per behaviour, ids aligned."""
    width = max((len(b.id) for behaviours in dimension.expectations.values() for b in behaviours),
                default=0)
    lines = [f"{dimension.id}: {dimension.name}"]
    for level in ladder.levels:
        behaviours, examples = dimension.expectation(level.id), dimension.examples.get(level.id, ())
        if not behaviours and not examples:
            continue
        lines.append(f"  {level.id}" + (f" ({level.title})" if level.title != level.id else ""))
        for behaviour in behaviours:
            lines.append(f"    {behaviour.id:<{width}}  {_one_line(behaviour.text)}")
            lines += [f"    {'':<{width}}    e.g. {_one_line(example)}" for example in behaviour.examples]
        lines += [f"    e.g. {_one_line(example)}" for example in examples]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    # A text written over several lines would break the columns.
    return " ".join(text.split())


@click.command()
@CONFIG_OPTION
@click.option("--set-aside", "pattern", is_flag=False, flag_value="", default=None, metavar="[PATTERN]",
              help="Move the drafts whose title holds PATTERN (or whose title or file name matches it, "
                   "with * ? [ ]), or with --before the older ones, to the set-aside folder: imports "
                   "skip them from then on.")
@click.option("--prune", is_flag=True, help="Delete the drafts dated before --before (only drafts).")
@click.option("--before", type=DAY, default=None,
              help="With --prune or --set-aside: the day before which drafts go.")
@FORMAT_OPTION
def drafts(config_file: Path, pattern: str | None, prune: bool, before: dt.datetime | None,
           output: str) -> None:
    """List the drafts an import proposed (path, date, title, source); --set-aside moves some out
    of the way, --prune deletes old ones."""
    options, _ = options_of(config_file)
    sources = options.sources
    if prune and pattern is not None:
        raise click.UsageError("--prune and --set-aside: one or the other")
    if pattern is not None:
        _set_aside(options_or_stop(config_file), pattern or None, before)
        return
    if prune:
        if before is None:
            raise click.UsageError("--prune needs --before YYYY-MM-DD: only drafts older than that go")
        for path in prune_drafts(sources.evidence_dir, before.date(), _drafts_folder(options)):
            echo(f"deleted {shown_path(path, Path.cwd())}")
        return
    if before is not None:
        raise click.UsageError("--before goes with --prune or --set-aside")
    found = find_drafts(sources.evidence_dir, sources.root)
    if output == "json":
        echo(json.dumps([{"path": e.path, "date": e.date.isoformat(), "title": e.title,
                                "source": e.source} for e in found], indent=2))
        return
    for entry in found:
        echo(f"{entry.path}  {entry.date.isoformat()}  {entry.title}" +
             (f"  {entry.source}" if entry.source else ""))
    echo(f"promo drafts: {plural(len(found), 'draft')}" +
         ("; accept one with: promo accept FILE -d DIMENSION" if found else ""), err=True)


def _set_aside(options: Options, pattern: str | None, before: dt.datetime | None) -> None:
    if pattern is None and before is None:
        # Never every draft by accident: all of them is asked for as '*'.
        raise click.UsageError("--set-aside needs a PATTERN or --before YYYY-MM-DD "
                               "('*' sets every draft aside)")
    assert options.set_aside_dir is not None
    moved = set_aside_drafts(options.sources.evidence_dir, options.set_aside_dir, pattern=pattern,
                             before=before.date() if before else None, folder=_drafts_folder(options))
    for origin, destination in moved:
        echo(f"{shown_path(origin, Path.cwd())} -> {shown_path(destination, Path.cwd())}")
    echo(f"promo drafts: {plural(len(moved), 'draft')} set aside in "
         f"{shown_path(options.set_aside_dir, Path.cwd())}; imports skip their sources from now on", err=True)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@CONFIG_OPTION
@click.option("-d", "--dimension", "dimensions", multiple=True,
              help="A rubric dimension id this win demonstrates (repeat for several).")
@click.option("--edit", is_flag=True, help="Open the accepted file in $EDITOR.")
def accept(file: Path, config_file: Path, dimensions: tuple[str, ...], edit: bool) -> None:
    """Turn a draft into evidence: out of the drafts folder, 'draft: true' and the suggestions'
    comments removed, dimensions set (without -d, the suggested ones), an empty 'shows:' set to
    the suggested behaviours of those dimensions."""
    options, ladder = ladder_or_exit(config_file)
    accepted = accept_draft(file, options.sources.evidence_dir, dimensions, ladder, _drafts_folder(options))
    if accepted.suggested:
        fields = [f"{name}: {flow_list(ids)}" for name, ids in
                  (("dimensions", accepted.dimensions), ("shows", accepted.shows)) if ids]
        echo(f"promo accept: set {' and '.join(fields)}; {', '.join(accepted.suggested)} "
             f"{'was' if len(accepted.suggested) == 1 else 'were'} suggested by the import: check them",
             err=True)
    written("promo accept", accepted.path, ladder, accepted.dimensions, edit=edit)


@click.command()
@CONFIG_OPTION
@click.option("--date", "day", type=DAY, default=None,
              help="The day of the check-in.  [default: today]")
@click.option("--with", "with_", default=None,
              help="Who you met.  [default: your sponsor: the plan's stakeholder whose role says "
                   "sponsor, else the sponsor option, else the first stakeholder]")
def checkin(config_file: Path, day: dt.datetime | None, with_: str | None) -> None:
    """Add a dated check-in to the plan and list the evidence to bring to it."""
    options, assembly = load_or_exit(config_file)
    packet = assembly.packet
    assert packet is not None and options.sources.plan is not None
    path = options.sources.plan
    on = day.date() if day else default_today()
    plan = assembly.plan
    who = with_ if with_ is not None else sponsor_of(plan, options.packet.sponsor)
    shown = shown_path(path, Path.cwd())
    current, problem = read_named_text(path, shown)
    if problem is not None:
        raise InputError(problem, nothing_written=True)
    text = current or ""
    updated = add_checkin(text, on, who, source=shown)
    write_checked(path, updated, lambda text: parse_plan(text, shown)[1])
    last = plan.checkins[-1].date if plan and plan.checkins else None
    since = entries_between(packet.entries, last, on)
    echo(f"Added a check-in on {on.isoformat()} to {shown}; fill in what "
         "was discussed, decided and agreed as next steps.")
    heading = f"since the last one ({last.isoformat()})" if last else "so far"
    echo(f"\nEvidence logged {heading}: {len(since)}")
    for entry in since:
        echo(f"  {entry.date.isoformat()}  {entry.title}")
