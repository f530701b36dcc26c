"""What every ``promo`` command shares: the options, loading the packet, and (from
:mod:`.group`) printing lines and problems the one way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import InputError, Problem, RequestError, errors_in
from ..hosts.project import Assembly, assemble, read_config
from ..model.audience import Audience
from ..model.packet import epoch_problem
from ..model.packet import today as default_today
from ..model.rubric import Ladder, load_rubric
from ..model.settings import Options
from ..reading.config import DEFAULT_CONFIG_FILE
from ..reading.fields import DATE_RANGE_HINT, EARLIEST_DATE, LATEST_DATE, parse_date
from ..reading.folders import shown_path
from ..reports.review import parse_month
from .group import echo as echo
from .group import report as report

CONFIG_OPTION = click.option(
    "-f", "--config-file", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_CONFIG_FILE, show_default=True,
    help="The packet's mkdocs.yml, where the promo-packet options live.",
)


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
    if not config_file.exists():
        raise InputError(Problem(str(config_file), None, "not found",
                                 hint="run this in your packet's folder or pass --config-file"))
    return read_config(config_file)


def options_or_stop(config_file: Path) -> Options:
    """The options, for a command that writes: an error in them stops it before anything is written."""
    options, problems = options_of(config_file)
    if errors_in(problems):
        raise InputError(problems, nothing_written=True)
    return options


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
    """For commands that need a valid packet: its errors, if it has any, stop the command.

    ``audience`` (a value of :class:`Audience`) stands in for the configured one.
    """
    options, assembly, problems = load(config_file, on=on, audience=audience)
    if assembly is None or assembly.packet is None or assembly.ladder is None:
        raise InputError(errors_in(problems))
    return options, assembly


def today_or_warn() -> dt.date:
    """Today, for commands that read no settings: they cannot stop on SOURCE_DATE_EPOCH, so they say."""
    problem = epoch_problem()
    if problem is not None:
        echo(f"promo: warning: {problem} (using today's date)", err=True)
    return default_today()


def ladder_or_exit(config_file: Path) -> tuple[Options, Ladder]:
    """The options and the rubric, for a command that writes an entry: it needs the dimensions."""
    options, problems = options_of(config_file)
    ladder, rubric_problems = load_rubric(options.sources.rubric, options.sources.root)
    if ladder is None:
        raise InputError(errors_in(problems + rubric_problems), nothing_written=True)
    return options, ladder


def written(command: str, path: Path, ladder: Ladder, dimensions: Sequence[str], *, edit: bool) -> None:
    """Say which evidence file a command wrote, and what it still needs; open it with ``edit``."""
    echo(shown_path(path, Path.cwd()))
    if not dimensions and not edit:
        echo(f"{command}: fill in 'dimensions:' ({', '.join(ladder.dimension_ids)}) "
             "before the next build", err=True)
    if edit:
        click.edit(filename=str(path))


class Month(click.ParamType["tuple[int, int]"]):
    """``--month``: ``YYYY-MM``, as ``(year, month)``; a wrong one is a usage mistake."""

    name = "YYYY-MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        try:
            return parse_month(str(value))
        except RequestError as exc:
            self.fail(exc.problems[0].message, param, ctx)


MONTH = Month()


class Since(click.ParamType["dt.date | str"]):
    """``--since``: a ``YYYY-MM-DD`` day, or ``last-checkin``."""

    name = "DATE|last-checkin"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "last-checkin" or isinstance(value, dt.date):
            return value
        return DAY.convert(value, param, ctx).date()
