"""The ``promo`` command: the packet's core, without MkDocs.

Problems go to stderr one per line as ``path:line: field: message; hint``;
any error exits 1, never with a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..authoring.drafts import KEYWORDS_OPTION, find_drafts, keyword_map, suggest, write_drafts
from ..authoring.drafts import accept as accept_draft
from ..authoring.drafts import prune as prune_drafts
from ..authoring.plan_edit import add_checkin, write_atomically
from ..authoring.scaffold import init_packet, installed_requirement, new_entry
from ..errors import (
    InputError,
    OfflineError,
    PlanEditError,
    Problem,
    PromoPacketError,
    RequestError,
    ScaffoldError,
    Severity,
    plural,
    sort_problems,
)
from ..hosts.gen import generate
from ..hosts.gen import summary as gen_summary
from ..hosts.project import DEFAULT_CONFIG_FILE, Assembly, Options, assemble, read_config
from ..importers import FORMATS, TRACKS, Imported, import_rubric, tickets
from ..importers import github as github_import
from ..importers.exports import Found
from ..importers.git import read_repositories
from ..model.packet import Audience, epoch_problem, strength_counts
from ..model.packet import today as default_today
from ..model.plan import sponsor_of
from ..model.progress import PlanStatus, entries_between, plan_status
from ..model.rubric import Ladder, load_rubric
from ..model.since import changes_since, read_since
from ..reading.documents import DATE_RANGE_HINT, EARLIEST_DATE, LATEST_DATE, parse_date, shown_path
from ..render.pdf import render_pdf
from ..reports.brief import DEFAULT_DAYS, one_on_one_brief
from ..reports.calendar import calendar as ics_calendar
from ..reports.calendar import plan_events
from ..reports.review import Review, monthly_review, parse_month
from ..sharing.offline import PASSWORD_REFUSAL, build_offline_zip
from ..sharing.protect import encrypt_pdf
from ..sharing.publish import PUBLISH_SELF_VARIABLE
from ..sharing.seal import read_seal_settings, seal_site

CONFIG_OPTION = click.option(
    "-f", "--config-file", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_CONFIG_FILE, show_default=True,
    help="The packet's mkdocs.yml, where the promo-packet options live.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promo")
def main() -> None:
    """Keep a level-mapped record of your wins and build it into a promotion packet."""


FORMAT_OPTION = click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="Text for people, JSON for tools.")


class Day(click.DateTime):
    """A ``YYYY-MM-DD`` option, read as evidence dates are; a datetime at midnight, as click's."""

    name = "YYYY-MM-DD"

    def __init__(self) -> None:
        super().__init__(["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        # click's own shows the strptime format, "[%Y-%m-%d]", which means nothing to a reader.
        return self.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        day, problem = parse_date(str(value))
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            problem = f"{day.isoformat()} is out of range; {DATE_RANGE_HINT}"
        if day is None or problem:
            self.fail(problem or f"expected YYYY-MM-DD, got {value!r}", param, ctx)
        return dt.datetime.combine(day, dt.time())


DAY = Day()
AUDIENCE_OPTION = click.option(
    "--audience", type=click.Choice([a.value for a in Audience]), default=None,
    help="Count what this audience sees, as its build would.  [default: the audience option]")
TODAY_OPTION = click.option(
    "--today", type=DAY, default=None, hidden=True,
    help="Judge dates as of this day instead of today (for tests and reproducible runs).")


def options_of(config_file: Path) -> tuple[Options, list[Problem]]:
    if not config_file.is_file():
        raise click.ClickException(f"{config_file}: not found; run this in your packet's folder "
                                   "or pass --config-file")
    return read_config(config_file)


def load(config_file: Path, *, on: dt.date | None = None, recent: bool = False,
         audience: str | None = None) -> tuple[Options, Assembly | None, list[Problem]]:
    """Read the options and assemble the packet; settings problems stop before the inputs are read."""
    options, problems = options_of(config_file)
    if audience is not None:
        options = dataclasses.replace(
            options, packet=dataclasses.replace(options.packet, audience=Audience(audience)))
    if any(p.is_error for p in problems):
        return options, None, problems
    assembly = assemble(options.sources, options.packet,
                        on=on, recent=recent)
    return options, assembly, problems + assembly.problems


def load_or_exit(config_file: Path, *, on: dt.date | None = None,
                 audience: str | None = None) -> tuple[Options, Assembly]:
    """For commands that need a valid packet: print the errors and exit 1 if there are any.

    ``audience`` (a value of :class:`Audience`) stands in for the configured one.
    """
    options, assembly, problems = load(config_file, on=on, audience=audience)
    if assembly is None or assembly.packet is None or assembly.ladder is None:
        report([p for p in problems if p.is_error])
        click.echo("promo: fix the errors above first (promo check lists them all)", err=True)
        sys.exit(1)
    return options, assembly


def today_or_warn() -> dt.date:
    """Today, for commands that read no settings: they cannot stop on SOURCE_DATE_EPOCH, so they say."""
    problem = epoch_problem()
    if problem is not None:
        click.echo(f"promo: warning: {problem} (using today's date)", err=True)
    return default_today()


LABEL_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def ladder_or_exit(config_file: Path) -> tuple[Options, Ladder]:
    """The options and the rubric, for a command that writes an entry: it needs the dimensions."""
    options, problems = options_of(config_file)
    ladder, rubric_problems = load_rubric(options.sources.rubric, options.sources.root)
    if ladder is None:
        report([p for p in problems + rubric_problems if p.is_error])
        sys.exit(1)
    return options, ladder


def written(command: str, path: Path, ladder: Ladder, dimensions: Sequence[str], *, edit: bool) -> None:
    """Say which evidence file a command wrote, and what it still needs; open it with ``edit``."""
    click.echo(shown_path(path, Path.cwd()))
    if not dimensions and not edit:
        click.echo(f"{command}: fill in 'dimensions:' ({', '.join(ladder.dimension_ids)}) "
                   "before the next build", err=True)
    if edit:
        click.edit(filename=str(path))


def report(problems: list[Problem], *, in_order: bool = False) -> None:
    """Each problem on its own line of stderr, labelled ``error`` or ``tip``.

    The label is coloured; click drops the colour when stderr is not a terminal. ``in_order``
    keeps the order given, for problems located as ``file:row 10``, which sorting by path
    would put before ``file:row 2``.
    """
    for problem in problems if in_order else sort_problems(problems):
        if problem.severity is not Severity.NOTE:
            label = click.style(problem.severity.label, fg=LABEL_COLOURS[problem.severity], bold=True)
            click.echo(problem.text(label), err=True)


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 on tips too.")
@FORMAT_OPTION
@TODAY_OPTION
def check(config_file: Path, strict: bool, output: str, today: dt.datetime | None) -> None:
    """Validate the evidence and the rubric, and lint it; report every error and tip at once.

    Exits 1 on errors, and with --strict on tips too.
    """
    started = time.perf_counter()
    _, assembly, problems = load(config_file, on=today.date() if today else None, recent=True)
    shown = [p for p in sort_problems(problems) if p.severity is not Severity.NOTE]
    errors = sum(1 for p in shown if p.is_error)
    tips = len(shown) - errors
    files = assembly.evidence.files if assembly else 0
    # Of every entry read, whoever the build is for: it is the author who runs check.
    entries = assembly.evidence.entries if assembly else []
    drafts = sum(1 for entry in entries if entry.draft)
    strengths = ({s.value: n for s, n in strength_counts(e for e in entries if not e.draft).items()}
                 if assembly else None)
    if output == "json":
        click.echo(json.dumps({"files": files, "errors": errors, "tips": tips, "drafts": drafts,
                               "strength": strengths, "problems": [p.as_dict() for p in shown]}, indent=2))
    else:
        report(shown)
        ignored = [p.path for p in problems if p.severity is Severity.NOTE]
        others = (f" ({plural(len(ignored), 'other file')} ignored: {', '.join(ignored[:3])}"
                  f"{', ...' if len(ignored) > 3 else ''})") if ignored else ""
        strength = f"; {', '.join(f'{n} {name}' for name, n in strengths.items())}" if strengths else ""
        strength += f"; {plural(drafts, 'draft')}" if drafts else ""
        click.echo(f"promo check: {plural(files, 'evidence file')}{others}, {plural(errors, 'error')}, "
                   f"{plural(tips, 'tip')}{strength} ({time.perf_counter() - started:.2f} s)", err=True)
    if errors or (strict and tips):
        sys.exit(1)


@main.command()
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the PDF.  [default: the pdf_name option, in this folder]")
@click.option("--no-cache", is_flag=True, help="Render even if an identical PDF was rendered before.")
@click.option("--plaintext", is_flag=True,
              help="With a password configured: write the PDF unencrypted anyway (to keep to yourself).")
@click.option("--encrypt", is_flag=True,
              help="With a password configured: encrypt the PDF with it, to attach to an email "
                   "(weaker than the site's protection).")
def pdf(config_file: Path, output: Path | None, no_cache: bool, plaintext: bool, encrypt: bool) -> None:
    """Build the packet's PDF (no MkDocs needed)."""
    options, assembly = load_or_exit(config_file)
    assert assembly.packet is not None
    if options.password and not (plaintext or encrypt):
        raise click.ClickException(
            "a password is configured, so the PDF is not written in plaintext: pass --encrypt for a "
            "PDF that opens with the password, or --plaintext to write it unencrypted anyway")
    if encrypt and not options.password:
        raise click.ClickException("--encrypt needs the password option (set PROMO_PASSWORD)")
    if plaintext and encrypt:
        raise click.ClickException("--plaintext and --encrypt exclude each other")
    target = output or Path(options.pdf.name)
    cache = None if no_cache else options.pdf_cache
    password = options.password
    seal = (lambda data: encrypt_pdf(data, password)) if encrypt and password else None
    try:
        result = render_pdf(assembly.packet, target, options.pdf, cache_dir=cache, plan=assembly.status,
                            seal=seal, since=assembly.since)
    except PromoPacketError as exc:
        raise click.ClickException(str(exc)) from exc
    report(result.problems)
    click.echo(f"promo pdf: {result.summary()} -> {target}", err=True)
    if seal is not None:
        click.echo("promo pdf: encrypted with the password by the PDF's own AES-256, which a guesser "
                   "can attack far faster than the site: share it only with a strong password", err=True)


@main.command(name="zip")
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the zip.  [default: packet.zip, after the pdf_name option]")
def zip_(config_file: Path, output: Path | None) -> None:
    """Build the packet to be opened from disk, as a zip to send (no server needed)."""
    options, problems = options_of(config_file)
    if any(p.is_error for p in problems):
        report(problems)
        sys.exit(1)
    if options.password:
        raise click.ClickException(f"{PASSWORD_REFUSAL}; unset PROMO_PASSWORD to zip a packet without "
                                   "one, or publish the protected site and send its link instead")
    audience = options.packet.audience
    if audience.sees_private and os.environ.get(PUBLISH_SELF_VARIABLE) != "1":
        raise click.ClickException(
            "the audience is self, whose build holds private entries, and a zip is for sending: build "
            f"for sponsor or committee (PROMO_AUDIENCE=sponsor), or set {PUBLISH_SELF_VARIABLE}=1 to zip "
            "a self build anyway")
    target = output or Path(options.pdf.name).with_suffix(".zip")
    try:
        count = build_offline_zip(config_file, target)
    except OfflineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"promo zip: {audience.value} build, {plural(count, 'file')} -> {target}; unzip it and "
               f"open {target.stem or 'packet'}/index.html in a browser", err=True)


@main.command()
@CONFIG_OPTION
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def gen(config_file: Path, out: Path) -> None:
    """Write the packet as a plain docs folder with its own mkdocs.yml, for an engine that runs
    no plugin: cd OUT && zensical build (or mkdocs build)."""
    started = time.perf_counter()
    options_of(config_file)  # a missing mkdocs.yml is told here, as by every command
    try:
        done, problems = generate(config_file, out)
    except PromoPacketError as exc:
        raise click.ClickException(str(exc)) from exc
    report(problems)
    if done is None:
        sys.exit(1)
    click.echo(f"promo gen: {done.audience} audience; {gen_summary(done, time.perf_counter() - started)}",
               err=True)
    if Audience(done.audience).sees_private:
        click.echo("promo gen: this is your own build, with private entries and notes: generate for "
                   "your sponsor (PROMO_AUDIENCE=sponsor) before you publish it", err=True)


@main.command()
@click.argument("site", type=click.Path(path_type=Path))
@CONFIG_OPTION
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the sealed site into this folder and leave SITE as it is.  [default: seal SITE "
                   "in place]")
def seal(site: Path, config_file: Path, out: Path | None) -> None:
    """Password-protect a site that is already built, as a build with a password does.

    For a site built by an engine that runs no third-party plugin (Zensical): every page,
    the search index and the PDF are sealed with the password option of mkdocs.yml. Refuses,
    changing nothing, if any file of SITE might stay readable without the password.
    """
    settings, problems = read_seal_settings(config_file, *options_of(config_file))
    try:
        if settings is None:
            raise InputError(problems)
        sealed = seal_site(site, settings, out=out)
    except InputError as exc:
        report(exc.problems)
        click.echo(f"promo seal: nothing was sealed; {site} is as it was", err=True)
        sys.exit(1)
    click.echo(f"promo seal: {sealed.summary()} -> {out or site}", err=True)


@main.command()
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
    try:
        written = init_packet(folder, person=person, current=current, target=target,
                              today=today_or_warn(), rubric=rubric, requirement=requirement)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"  {path.relative_to(folder)}")
    click.echo(f"requirements.txt installs promo-packet as it is installed here: {requirement.line}")
    if requirement.local:
        click.echo("promo init: that is a path on this computer, which CI cannot reach: replace it with "
                   "a git URL or a released version before you push (see the README)", err=True)
    next_step = ("check rubric/ladder.yml against your ladder" if imported
                 else "edit rubric/ladder.yml to match your company's ladder (or: promo rubric import)")
    click.echo(f"promo init: {len(written)} files in {folder}. Next:\n"
               f"  cd {folder} && git init && mkdocs serve\n"
               f"  {next_step}, then: promo new \"...\"")


def imported_or_exit(source: Path, *, format: str | None = None, track: str | None = None) -> Imported:
    """Import ``source`` and print what was mapped; on errors print them all and exit 1."""
    imported = import_rubric(source, format=format, track=track, shown=shown_path(source, Path.cwd()))
    report(imported.problems)
    if imported.text is None or imported.ladder is None:
        click.echo("promo: nothing written; fix the problems above (or pick the format by hand: "
                   "promo rubric import --format)", err=True)
        sys.exit(1)
    for line in imported.summary():
        click.echo(line)
    return imported


@main.group()
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
        raise click.ClickException(f"{output} exists; pass --force to replace it, or -o for another file")
    imported = imported_or_exit(source, format=format_, track=track)
    assert imported.text is not None
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, imported.text)
    click.echo(f"Wrote {output}. Set current_level and target_level in mkdocs.yml to two of its "
               "level ids, then run promo check.")


@main.command()
@click.argument("title")
@CONFIG_OPTION
@click.option("-d", "--dimension", "dimensions", multiple=True,
              help="A rubric dimension id this win demonstrates (repeat for several).")
@click.option("--date", "day", type=DAY, default=None,
              help="When it landed.  [default: today]")
@click.option("--highlight", is_flag=True, help="Mark it as a candidate for the curated packet.")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
def new(title: str, config_file: Path, dimensions: tuple[str, ...], day: dt.datetime | None,
        highlight: bool, edit: bool) -> None:
    """Log a win: write evidence/<date>-<title>.md with every field to fill in."""
    options, ladder = ladder_or_exit(config_file)
    try:
        path = new_entry(options.sources.evidence_dir, title, ladder=ladder,
                         target=options.packet.target_level or "", dimensions=dimensions,
                         day=day.date() if day else today_or_warn(), highlight=highlight)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    written("promo new", path, ladder, dimensions, edit=edit)


@main.command()
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
            click.echo(f"deleted {shown_path(path, Path.cwd())}")
        return
    if before is not None:
        raise click.UsageError("--before goes with --prune")
    found = find_drafts(sources.evidence_dir, sources.root)
    if output == "json":
        click.echo(json.dumps([{"path": e.path, "date": e.date.isoformat(), "title": e.title,
                                "source": e.source} for e in found], indent=2))
        return
    for entry in found:
        click.echo(f"{entry.path}  {entry.date.isoformat()}  {entry.title}" +
                   (f"  {entry.source}" if entry.source else ""))
    click.echo(f"promo drafts: {plural(len(found), 'draft')}" +
               ("; accept one with: promo accept FILE -d DIMENSION" if found else ""), err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@CONFIG_OPTION
@click.option("-d", "--dimension", "dimensions", multiple=True,
              help="A rubric dimension id this win demonstrates (repeat for several).")
@click.option("--edit", is_flag=True, help="Open the accepted file in $EDITOR.")
def accept(file: Path, config_file: Path, dimensions: tuple[str, ...], edit: bool) -> None:
    """Turn a draft into evidence: out of the drafts folder, 'draft: true' removed, dimensions set."""
    options, ladder = ladder_or_exit(config_file)
    try:
        path = accept_draft(file, options.sources.evidence_dir, dimensions, ladder, _drafts_folder(options))
    except RequestError as exc:
        raise click.ClickException(str(exc)) from exc
    written("promo accept", path, ladder, dimensions, edit=edit)


@main.command()
@CONFIG_OPTION
@click.option("--month", default=None, help="The month to review, YYYY-MM.  [default: this month]")
@AUDIENCE_OPTION
@FORMAT_OPTION
@TODAY_OPTION
def review(config_file: Path, month: str | None, audience: str | None, output: str,
           today: dt.datetime | None) -> None:
    """The monthly review: what you logged, how coverage moved, what to seek next."""
    on = today.date() if today else default_today()
    try:
        wanted = parse_month(month) if month else (on.year, on.month)
    except RequestError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from exc
    options, assembly = load_or_exit(config_file, on=on, audience=audience)
    assert assembly.ladder is not None and assembly.packet is not None
    result = monthly_review(assembly.ladder, assembly.evidence.entries, options.packet, wanted, on)
    # A past month's review shows the plan as it stood at the end of that month.
    status = assembly.status if result.as_of == on else (
        plan_status(assembly.plan, assembly.packet, result.as_of) if assembly.plan else None)
    if output == "json":
        report = result.as_dict()
        report["plan"] = plan_report(status) if status else None
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(render_review(result))
        if status is not None:
            click.echo(render_plan(status))


def plan_report(status: PlanStatus) -> dict[str, object]:
    return {
        "criteria": [{"id": c.criterion.id, "status": c.state.value, "outcomes_met": len(c.met),
                      "outcomes": len(c.criterion.outcomes), "evidence": len(c.evidence)}
                     for c in status.criteria],
        "last_checkin": status.last_checkin.date.isoformat() if status.last_checkin else None,
        "next_checkin": status.next_checkin.isoformat() if status.next_checkin else None,
        "checkin_overdue": status.overdue,
        "days_to_review": status.days_to_review,
        "open_blockers": [b.text for b in status.open_blockers],
    }


def render_plan(status: PlanStatus) -> str:
    lines = ["", "Agreed criteria:"]
    rows = [f"  {c.state.value:<12} {c.criterion.id}: {len(c.met)} of {len(c.criterion.outcomes)} "
            f"outcomes met, {plural(len(c.evidence), 'entry', 'entries')}" for c in status.criteria]
    lines += rows or ["  (none written down)"]
    last, due = status.last_checkin, status.next_checkin
    if last is None or due is None:
        lines.append("Check-in: none yet; agree a monthly one with your sponsor (promo checkin).")
    else:
        late = " OVERDUE" if status.overdue else ""
        lines.append(f"Check-in: last {last.date.isoformat()}, next due {due.isoformat()}{late}")
    if status.days_to_review is not None:
        lines.append(f"Review in {status.days_to_review} days ({status.plan.review_date})")
    return "\n".join(lines)


def render_review(result: Review) -> str:
    lines = [f"Monthly review: {result.label} (as of {result.as_of.isoformat()}), "
             f"target {result.target.title}", f"Coverage {result.counted}", ""]
    lines.append(f"Logged this month: {len(result.logged)}")
    lines += [f"  {e.date.isoformat()}  {result.strengths[e].value:<9}  {e.title}"
              for e in result.logged] or ["  (nothing yet)"]
    width = max([len(t.dimension.name) for t in result.trends] + [9])
    lines += ["", f"  {'Dimension':<{width}}  before  after  status"]
    for t in result.trends:
        change = f" (was {t.status_before.value})" if t.status is not t.status_before else ""
        lines.append(f"  {t.dimension.name:<{width}}  {t.before:>6}  {t.after:>5}  {t.status.value}{change}")
    moved = [(t, behaviour, then, now) for t in result.trends for behaviour, then, now in t.moved]
    if moved:
        lines += ["", "Behaviours that moved this month:"]
        lines += [f"  {t.dimension.name}: {behaviour.text} ({then.value} -> {now.value})"
                  for t, behaviour, then, now in moved]
    lines.append("")
    if result.open:
        lines.append("Still thin or missing, the work to seek next month:")
        for t in result.open:
            expected = t.dimension.expectation(result.target.id)
            hint = f": {expected[0].text}" if expected else ""
            lines.append(f"  {t.dimension.name} ({t.status.value}){hint}")
    else:
        lines.append("Every dimension is demonstrated at the target level.")
    for label, entries in (("Missing an outcome", result.missing_outcome),
                           ("Missing corroboration", result.missing_corroboration)):
        lines += ["", f"{label}: {len(entries)}"]
        lines += [f"  {e.path}" for e in entries[:10]]
        if len(entries) > 10:
            lines.append(f"  ... and {len(entries) - 10} more (--format json lists all)")
    days = result.days_since_last
    lines += ["", "No entries yet." if days is None else f"Days since the last entry: {days}"]
    return "\n".join(lines)


@main.command()
@CONFIG_OPTION
@AUDIENCE_OPTION
def gaps(config_file: Path, audience: str | None) -> None:
    """The dimensions still thin or missing at the target level, with what the rubric expects."""
    _, assembly = load_or_exit(config_file, audience=audience)
    packet = assembly.packet
    assert packet is not None
    click.echo(f"Coverage {packet.counted}")
    if not packet.gaps:
        click.echo(f"No gaps: every dimension is demonstrated at {packet.target.title}.")
        return
    for coverage in packet.gaps:
        click.echo(f"{coverage.dimension.name} ({coverage.status.value}): {coverage.reason}")
        for shown in coverage.checklist:  # worst first: the to-do list
            entries = f" ({'; '.join(e.title for e in shown.entries)})" if shown.entries else ""
            click.echo(f"  - {shown.state.value}: {shown.behaviour.text}{entries}")


@main.command()
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
    text = path.read_bytes().decode("utf-8") if path.exists() else ""
    try:
        updated = add_checkin(text, on, who)
    except PlanEditError as exc:
        raise click.ClickException(f"{shown_path(path, Path.cwd())}: {exc}; the file is unchanged") from exc
    write_atomically(path, updated)
    last = plan.checkins[-1].date if plan and plan.checkins else None
    since = entries_between(packet.entries, last, on)
    click.echo(f"Added a check-in on {on.isoformat()} to {shown_path(path, Path.cwd())}; fill in what "
               "was discussed, decided and agreed as next steps.")
    heading = f"since the last one ({last.isoformat()})" if last else "so far"
    click.echo(f"\nEvidence logged {heading}: {len(since)}")
    for entry in since:
        click.echo(f"  {entry.date.isoformat()}  {entry.title}")


@main.command()
@click.argument("revision")
@CONFIG_OPTION
@AUDIENCE_OPTION
@FORMAT_OPTION
def diff(revision: str, config_file: Path, audience: str | None, output: str) -> None:
    """What changed in the packet since REVISION: a git tag, branch or commit, or a date (YYYY-MM-DD).

    New and updated entries, and the dimensions and behaviours whose status moved, for the
    audience; the packet as it was at REVISION is read from git, the folder is not touched.
    """
    since, problems = read_since(revision, "promo diff")
    options, assembly = (None, None) if since is None else load_or_exit(config_file, audience=audience)
    changes = None
    if since is not None and options is not None and assembly is not None and assembly.packet is not None:
        sources = options.sources
        changes, problems = changes_since(since, assembly.packet, assembly.evidence.entries,
                                          root=sources.root, evidence_dir=sources.evidence_dir,
                                          rubric=sources.rubric, where="promo diff")
    if changes is None or assembly is None or assembly.packet is None:
        raise click.ClickException("; ".join(filter(None, (problems[0].message, problems[0].hint))))
    report(problems)
    if output == "json":
        audience_seen = assembly.packet.settings.audience.value
        click.echo(json.dumps({"audience": audience_seen, **changes.report()}, indent=2))
    else:
        click.echo(f"{changes.text()}\n({assembly.packet.counted})")


@main.command(name="calendar")
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=Path("promo-calendar.ics"), show_default=True, help="Where to write it; - for stdout.")
@TODAY_OPTION
def calendar_(config_file: Path, output: Path, today: dt.datetime | None) -> None:
    """An iCalendar file of the plan's next check-ins, monthly reviews and review date."""
    on = today.date() if today else default_today()
    options, assembly = load_or_exit(config_file, on=on)
    if assembly.status is None:
        click.echo("promo calendar: no plan, so only the monthly reviews; write plan.yml for "
                   "check-ins and the review date", err=True)
    events = plan_events(assembly.status, options.packet, on)
    data = ics_calendar(events, options.packet, on)
    if str(output) == "-":
        click.echo(data, nl=False)
        return
    try:
        write_atomically(output, data.decode())
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from exc
    click.echo(f"promo calendar: {plural(len(events), 'event')} -> {output}")


class Since(click.ParamType["dt.date | str"]):
    """``--since``: a ``YYYY-MM-DD`` day, or ``last-checkin``."""

    name = "DATE|last-checkin"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "last-checkin" or isinstance(value, dt.date):
            return value
        return DAY.convert(value, param, ctx).date()


@main.command(name="brief")
@CONFIG_OPTION
@click.option("--since", type=Since(), default=None,
              help=f"Wins logged after this day.  [default: the last check-in, else {DEFAULT_DAYS} days ago]")
@AUDIENCE_OPTION
@FORMAT_OPTION
@TODAY_OPTION
def brief_(config_file: Path, since: dt.date | str | None, audience: str | None, output: str,
           today: dt.datetime | None) -> None:
    """A short Markdown update for a 1:1: the wins since the last check-in, and what is still thin."""
    on = today.date() if today else default_today()
    _, assembly = load_or_exit(config_file, on=on, audience=audience)
    assert assembly.packet is not None
    last = assembly.status.last_checkin if assembly.status else None
    if since == "last-checkin" and last is None:
        raise click.BadParameter("the plan has no check-in yet; pass a day (YYYY-MM-DD)",
                                 param_hint="--since")
    if isinstance(since, dt.date):
        start, basis = since, "date"
    elif last is not None:
        start, basis = last.date, "last-checkin"
    else:
        start, basis = on - dt.timedelta(days=DEFAULT_DAYS), "default"
    result = one_on_one_brief(assembly.packet, start, basis, on)
    if output == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(result.markdown(), nl=False)


@main.group(name="import")
def import_group() -> None:
    """Drafts of evidence from where the work happened, written under evidence/drafts."""


def _keywords(options: Options) -> dict[str, tuple[str, ...]]:
    # The rubric only names the dimensions suggestions go to: a rubric that fails to load means
    # no suggestions, not a failed import.
    ladder, _ = load_rubric(options.sources.rubric, options.sources.root)
    given = {KEYWORDS_OPTION: dict(options.draft_keywords)} if options.draft_keywords else {}
    return keyword_map(given, [(d.id, d.name) for d in ladder.dimensions] if ladder else [])


def _drafts_folder(options: Options) -> str:
    """The drafts folder, as write_drafts takes it: relative to the evidence folder."""
    assert options.drafts_dir is not None
    return options.drafts_dir.relative_to(options.sources.evidence_dir).as_posix()


@import_group.command("git")
@click.argument("repos", nargs=-1, metavar="[REPO]...", type=click.Path(file_okay=False, path_type=Path))
@click.option("--author", "authors", multiple=True, metavar="EMAIL",
              help="Whose work to import (repeat for several).  [default: git config user.email]")
@click.option("--since", type=DAY, default=None, help="Only work merged on or after this day.")
@CONFIG_OPTION
def import_git(repos: tuple[Path, ...], authors: tuple[str, ...], since: dt.datetime | None,
               config_file: Path) -> None:
    """Draft evidence from local git repositories: one per merged pull request, else one per day.

    REPO defaults to the repository holding mkdocs.yml. Sources already in the evidence folder
    are skipped, so running it again adds only what is new.
    """
    started = time.perf_counter()
    options, problems = options_of(config_file)
    if any(p.is_error for p in problems):
        report(problems)
        sys.exit(1)
    result = read_repositories(
        list(repos) or [config_file.parent], authors=authors, since=since.date() if since else None,
        keywords=_keywords(options),
        on_record=lambda number: click.echo(f"promo import git: {number:,} commits read", err=True))
    report(result.problems)
    if any(problem.is_error for problem in result.problems):
        click.echo("promo import git: nothing written; fix the problems above", err=True)
        sys.exit(1)
    written = write_drafts(result.drafts, options.sources.evidence_dir, _drafts_folder(options))
    click.echo(f"promo import git: {plural(len(written.files), 'draft')} written, {written.known} already "
               f"known, {plural(result.repositories, 'repository', 'repositories')}, "
               f"{time.perf_counter() - started:.1f} s")


def write_found(command: str, found: Found, config_file: Path, since: dt.date | None = None) -> None:
    """Write the drafts an import found, or report its problems and exit 1 having written nothing."""
    options, problems = options_of(config_file)
    if any(p.is_error for p in problems):
        report(problems)
        sys.exit(1)
    if found.problems:
        report(found.problems, in_order=True)
        click.echo(f"promo {command}: nothing was written; fix the {plural(len(found.problems), 'problem')} "
                   "above and run it again", err=True)
        sys.exit(1)
    keywords = _keywords(options)
    drafts = [d if d.suggested else dataclasses.replace(d, suggested=suggest(f"{d.title} {' '.join(d.notes)}",
                                                                              keywords))
              for d in found.drafts if since is None or d.date >= since]
    written = write_drafts(drafts, options.sources.evidence_dir, _drafts_folder(options))
    for path in written.files:
        click.echo(shown_path(path, Path.cwd()))
    skipped = f", {plural(found.passed_over, 'row')} not done" if found.passed_over else ""
    click.echo(f"promo {command}: {plural(len(written.files), 'draft')} written, "
               f"{written.known} already known{skipped}", err=True)


@import_group.command(name="github")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@CONFIG_OPTION
@click.option("--api", is_flag=True, help="Ask GitHub's API instead of reading FILE (needs GITHUB_TOKEN).")
@click.option("--since", type=DAY, default=None, help="Only pull requests merged on or after this day.")
def github(file: Path | None, config_file: Path, api: bool, since: dt.datetime | None) -> None:
    """Drafts from your merged pull requests: FILE as `gh pr list`/`gh search prs` write it
    (--json), or --api with GITHUB_TOKEN set. See the README for the gh commands."""
    if (file is None) == (not api):
        raise click.UsageError("pass either FILE (gh's JSON) or --api, not both or neither")
    if file is not None:
        try:
            text = file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{file}: cannot read: {exc}") from exc
        found = github_import.read(text, shown_path(file, Path.cwd()))
    else:
        token = os.environ.get("GITHUB_TOKEN", "").strip()
        if not token:
            raise click.ClickException("--api needs GITHUB_TOKEN: a token that can read your pull "
                                       "requests (gh auth token prints yours)")
        base = os.environ.get("GITHUB_API_URL", "").strip() or github_import.API_URL
        try:
            found = github_import.fetch(token, since=since.date() if since else None, base=base)
        except RequestError as exc:
            raise click.ClickException(str(exc)) from exc
    write_found("import github", found, config_file, since.date() if since else None)


@import_group.command(name="csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@CONFIG_OPTION
@click.option("--preset", type=click.Choice(sorted(tickets.PRESETS)), default=None,
              help="The export's columns: Jira's or Linear's CSV export.")
@click.option("--map", "mapping", default=None, metavar="ROLE=COLUMN,...",
              help="Which column holds each of title, date, source (and link, status, resolution), "
                   "e.g. title=Summary,date=Resolved,source=Issue key; overrides the preset's.")
def csv_(file: Path, config_file: Path, preset: str | None, mapping: str | None) -> None:
    """Drafts from the resolved or done tickets of a CSV export (Jira, Linear, or --map)."""
    overrides, problem = tickets.parse_map(mapping or "")
    if problem:
        raise click.BadParameter(problem, param_hint="--map")
    if preset is None and not all(role in overrides for role in tickets.REQUIRED):
        raise click.UsageError("pass --preset jira|linear, or --map naming at least the title, date "
                               "and source columns")
    columns = (tickets.PRESETS[preset] if preset else tickets.Columns()).mapped(overrides)
    try:
        text = file.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: cannot read: {exc}") from exc
    write_found("import csv", tickets.read(text, shown_path(file, Path.cwd()), columns), config_file)
