"""Reading the packet: ``promo review``, ``gaps``, ``diff``, ``calendar`` and ``brief``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..authoring.plan_edit import write_atomically
from ..errors import (
    InputError,
    Problem,
    RequestError,
    plural,
)
from ..model.coverage import next_report
from ..model.packet import Packet
from ..model.packet import today as default_today
from ..model.progress import PlanStatus, plan_status
from ..model.since import changes_since, read_since
from ..reports.brief import DEFAULT_DAYS, one_on_one_brief
from ..reports.calendar import calendar as ics_calendar
from ..reports.calendar import plan_events
from ..reports.review import Review, monthly_review
from .common import (
    AUDIENCE_OPTION,
    CONFIG_OPTION,
    FORMAT_OPTION,
    MONTH,
    TODAY_OPTION,
    Since,
    echo,
    load_or_exit,
    report,
)


@click.command()
@CONFIG_OPTION
@click.option("--month", type=MONTH, default=None,
              help="The month to review, YYYY-MM.  [default: this month]")
@AUDIENCE_OPTION
@FORMAT_OPTION
@TODAY_OPTION
def review(config_file: Path, month: tuple[int, int] | None, audience: str | None, output: str,
           today: dt.datetime | None) -> None:
    """The monthly review: what you logged, how coverage moved, what to seek next."""
    on = today.date() if today else default_today()
    wanted = month or (on.year, on.month)
    options, assembly = load_or_exit(config_file, on=on, audience=audience)
    assert assembly.ladder is not None and assembly.packet is not None
    result = monthly_review(assembly.ladder, assembly.evidence.entries, options.packet, wanted, on)
    # A past month's review shows the plan as it stood at the end of that month.
    status = assembly.status if result.as_of == on else (
        plan_status(assembly.plan, assembly.packet, result.as_of) if assembly.plan else None)
    if output == "json":
        report = result.as_dict()
        report["plan"] = plan_report(status) if status else None
        echo(json.dumps(report, indent=2))
    else:
        echo(render_review(result))
        if status is not None:
            echo(render_plan(status))


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
        change = (f" (was {t.status_before.value})"
                  if t.status is not t.status_before and not t.alternative else "")
        lines.append(f"  {t.dimension.name:<{width}}  {t.before:>6}  {t.after:>5}  {t.standing}{change}")
    moved = [(t, behaviour, then, now) for t in result.trends for behaviour, then, now in t.moved]
    if moved:
        lines += ["", "Behaviours that moved this month:"]
        lines += [f"  {t.dimension.name}: {behaviour.text} ({then.value} -> {now.value})"
                  for t, behaviour, then, now in moved]
    lines.append("")
    if result.next_steps:
        lines.append("Still thin or missing, the work to seek next month:")
        for step in result.next_steps:
            hint = f": {step.behaviours[0].text}" if step.behaviours else ""
            lines.append(f"  {step.name} ({step.status.value}){hint}")
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


@click.command()
@CONFIG_OPTION
@AUDIENCE_OPTION
@FORMAT_OPTION
def gaps(config_file: Path, audience: str | None, output: str) -> None:
    """The dimensions still thin or missing at the target level, with what the rubric expects."""
    _, assembly = load_or_exit(config_file, audience=audience)
    packet = assembly.packet
    assert packet is not None
    if output == "json":
        echo(json.dumps(gaps_report(packet), indent=2))
        return
    echo(f"Coverage {packet.counted}")
    if not packet.next_steps:
        carried = f" ({'; '.join(packet.carried)})" if packet.carried else ""
        echo(f"No gaps: every {'requirement' if carried else 'dimension'} is demonstrated at "
             f"{packet.target.title}{carried}.")
        return
    for step in packet.next_steps:
        echo(f"{step.name} ({step.status.value}): {step.reason}")
        for shown in step.coverage.checklist:  # worst first: the to-do list
            entries = f" ({'; '.join(e.title for e in shown.entries)})" if shown.entries else ""
            echo(f"  - {shown.state.value}: {shown.behaviour.id}  {shown.behaviour.text}{entries}")


def gaps_report(packet: Packet) -> dict[str, object]:
    """``promo gaps --format json``: each open dimension with its checklist, and what next."""
    return {
        "audience": packet.settings.audience.value,
        "target_level": packet.target.id,
        "entries": len(packet.entries),
        "left_out": packet.left_out,
        "gaps": [{"dimension": step.dimension.id, "name": step.name, "status": step.status.value,
                  "reason": step.reason,
                  "behaviours": [{"id": b.behaviour.id, "text": b.behaviour.text, "state": b.state.value,
                                  "entries": [e.path for e in b.entries]}
                                 for b in step.coverage.checklist]}
                 for step in packet.next_steps],
        "next": next_report(packet.next_steps),
    }


@click.command()
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
        raise InputError(problems)
    report(problems)
    if output == "json":
        audience_seen = assembly.packet.settings.audience.value
        echo(json.dumps({"audience": audience_seen, **changes.report()}, indent=2))
    else:
        echo(f"{changes.text()}\n({assembly.packet.counted})")


@click.command(name="calendar")
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=Path("promo-calendar.ics"), show_default=True, help="Where to write it; - for stdout.")
@TODAY_OPTION
def calendar_(config_file: Path, output: Path, today: dt.datetime | None) -> None:
    """An iCalendar file of the plan's next check-ins, monthly reviews and review date."""
    on = today.date() if today else default_today()
    options, assembly = load_or_exit(config_file, on=on)
    if assembly.status is None:
        echo("promo calendar: no plan, so only the monthly reviews; write plan.yml for "
             "check-ins and the review date", err=True)
    events = plan_events(assembly.status, options.packet, on)
    data = ics_calendar(events, options.packet, on)
    if str(output) == "-":
        click.echo(data, nl=False)  # the file itself: its TEXT values hold no control character (RFC 5545)
        return
    try:
        write_atomically(output, data.decode())
    except OSError as exc:
        raise RequestError(Problem(str(output), None, f"cannot write it: {exc.strerror or exc}")) from exc
    echo(f"promo calendar: {plural(len(events), 'event')} -> {output}")


@click.command(name="brief")
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
        echo(json.dumps(result.as_dict(), indent=2))
    else:
        echo(result.markdown(), nl=False)
