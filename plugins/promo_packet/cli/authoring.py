"""Writing the packet: ``promo init``, ``rubric import``, ``drafts``, ``accept`` and ``checkin``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..authoring.drafts import accept as accept_draft
from ..authoring.drafts import find_drafts
from ..authoring.drafts import prune as prune_drafts
from ..authoring.plan_edit import add_checkin
from ..authoring.scaffold import init_packet, installed_requirement
from ..errors import (
    InputError,
    Problem,
    RequestError,
    plural,
)
from ..importers import FORMATS, TRACKS, Imported, import_rubric
from ..model.packet import today as default_today
from ..model.plan import parse_plan, sponsor_of
from ..model.progress import entries_between
from ..model.rubric import parse_rubric
from ..reading.folders import read_named_text, shown_path
from ..reading.yaml_writer import write_checked
from .common import (
    CONFIG_OPTION,
    DAY,
    FORMAT_OPTION,
    echo,
    ladder_or_exit,
    load_or_exit,
    options_of,
    report,
    today_or_warn,
    written,
)
from .importers import _drafts_folder


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--person", default="", help="Your name, as the packet should show it.")
@click.option("--current", default=None, help="Your level today (a level id of the rubric, as written).")
@click.option("--target", default=None,
              help="The level you are going for.  [default: staff, with the starter ladder]")
@click.option("--rubric", "rubric_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Your company's ladder (any format `promo rubric import` reads) "
                                 "instead of the starter ladder.")
def init(folder: Path, person: str, current: str | None, target: str | None,
         rubric_file: Path | None) -> None:
    """Start a new packet repository in FOLDER (which must be new or empty)."""
    imported = imported_or_exit(rubric_file) if rubric_file is not None else None
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


def imported_or_exit(source: Path, *, format: str | None = None, track: str | None = None) -> Imported:
    """Import ``source`` and print what was mapped; its errors stop the command."""
    imported = import_rubric(source, format=format, track=track, shown=shown_path(source, Path.cwd()))
    if imported.text is None or imported.ladder is None:
        raise InputError(imported.problems, nothing_written=True)
    report(imported.problems)
    for line in imported.summary():
        echo(line)
    return imported


@click.group()
def rubric() -> None:
    """The rubric: bring in your company's existing ladder."""


@rubric.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("rubric/ladder.yml"), show_default=True, help="Where to write the rubric.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="The source's format.  [default: detected from its content]")
@click.option("--track", type=click.Choice(TRACKS), default=None,
              help="With parallel individual-contributor and people-manager levels at one rank: "
                   "keep one track, or both as separate levels.  [default: both]")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def import_(source: Path, output: Path, format_: str | None, track: str | None, force: bool) -> None:
    """Convert a ladder (CSV/TSV, FT YAML, Monzo or engineeringladders Markdown) into a rubric."""
    if output.exists() and not force:
        raise RequestError(Problem(str(output), None, "exists", hint="pass --force to replace it, or -o for "
                                                                     "another file"))
    imported = imported_or_exit(source, format=format_, track=track)
    assert imported.text is not None
    output.parent.mkdir(parents=True, exist_ok=True)
    write_checked(output, imported.text, lambda text: parse_rubric(text, str(output))[1])
    echo(f"Wrote {output}. Set current_level and target_level in mkdocs.yml to two of its "
         "level ids, then run promo check.")


@click.command()
@CONFIG_OPTION
@click.option("--prune", is_flag=True, help="Delete the drafts dated before --before (only drafts).")
@click.option("--before", type=DAY, default=None, help="With --prune: the day before which drafts go.")
@FORMAT_OPTION
def drafts(config_file: Path, prune: bool, before: dt.datetime | None, output: str) -> None:
    """List the drafts an import proposed (path, date, title, source); --prune deletes old ones."""
    options, _ = options_of(config_file)
    sources = options.sources
    if prune:
        if before is None:
            raise click.UsageError("--prune needs --before YYYY-MM-DD: only drafts older than that go")
        for path in prune_drafts(sources.evidence_dir, before.date(), _drafts_folder(options)):
            echo(f"deleted {shown_path(path, Path.cwd())}")
        return
    if before is not None:
        raise click.UsageError("--before goes with --prune")
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


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@CONFIG_OPTION
@click.option("-d", "--dimension", "dimensions", multiple=True,
              help="A rubric dimension id this win demonstrates (repeat for several).")
@click.option("--edit", is_flag=True, help="Open the accepted file in $EDITOR.")
def accept(file: Path, config_file: Path, dimensions: tuple[str, ...], edit: bool) -> None:
    """Turn a draft into evidence: out of the drafts folder, 'draft: true' removed, dimensions set."""
    options, ladder = ladder_or_exit(config_file)
    path = accept_draft(file, options.sources.evidence_dir, dimensions, ladder, _drafts_folder(options))
    written("promo accept", path, ladder, dimensions, edit=edit)


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
