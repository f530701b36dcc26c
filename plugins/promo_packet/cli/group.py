"""The ``promo`` group: its commands by name, each module imported when its command runs, and the
one error handler.

A command never prints an error itself nor turns it into click's: it raises a
:class:`~promo_packet.errors.PromoPacketError`, and :class:`PromoGroup` prints its problems
as ``path:line: error: field: message`` (the hint on the next line), says once that nothing
was written where that is so, and exits 1. click's own usage mistakes exit 2, as click has them.

This module is light on purpose: ``promo --help`` and every command load it, so it imports
click and the error tree and nothing of the packet.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

from ..errors import Problem, PromoPacketError, Severity, sort_problems, terminal_text


@dataclass(frozen=True)
class LazyCommand:
    """A command as the group lists it: the module of :mod:`promo_packet.cli` that defines it,
    the name it has there, and the short help ``promo --help`` shows for it.

    The short help is declared here, not read from the command, so that listing the commands
    imports none of them; the command gets it when it is loaded.
    """

    module: str
    attribute: str
    short_help: str


class PromoGroup(click.Group):
    """The ``promo`` command: runs a subcommand and is the one place its errors are printed.

    Its commands are :class:`LazyCommand` entries: the module of one is imported only when that
    command runs or is asked for its help, so a quick command does not pay for the others'
    libraries. ``commands`` holds only those added eagerly (:meth:`add_command`), so a reader of
    the group that finds it empty (mkdocs-click) asks :meth:`get_command` for each name.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, LazyCommand] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self._loaded: dict[str, click.Command] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return self.commands.get(cmd_name)
        command = self._loaded.get(cmd_name)
        if command is None:
            listed = self.lazy[cmd_name]
            module = importlib.import_module(f"{__package__}.{listed.module}")
            command = getattr(module, listed.attribute)
            if not isinstance(command, click.Command) or command.name != cmd_name:
                raise TypeError(f"promo_packet.cli.{listed.module}.{listed.attribute} is not the "
                                f"command {cmd_name!r}")
            command.short_help = listed.short_help
            self._loaded[cmd_name] = command
        return command

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as exc:
            # click suggests names from `commands`, which holds none of the lazy ones.
            raise click.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                      ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the table alone: listing the commands must not import them. A stand-in command
        # shortens each short help exactly as click shortens a command's own.
        rows = {name: click.Command(name, help=listed.short_help) for name, listed in self.lazy.items()}
        rows.update((name, command) for name, command in self.commands.items() if not command.hidden)
        if rows:
            limit = formatter.width - 6 - max(map(len, rows))
            with formatter.section("Commands"):
                formatter.write_dl([(name, rows[name].get_short_help_str(limit)) for name in sorted(rows)])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PromoPacketError as exc:
            report(exc.problems)
            if exc.nothing_written:
                echo("promo: nothing was written", err=True)
            ctx.exit(1)


def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line the way every command prints one: with no control character a terminal acts on
    (see :func:`~promo_packet.errors.terminal_text`), since most lines carry what was read."""
    click.echo(terminal_text(message), err=err, nl=nl)


LABEL_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def report(problems: Sequence[Problem]) -> None:
    """Each problem on stderr as :meth:`Problem.show` writes it, labelled ``error`` or ``tip``,
    in the order an editor walks them; notes are left out.

    The label is coloured; click drops the colour when stderr is not a terminal.
    """
    for problem in sort_problems(problems):
        if problem.severity is not Severity.NOTE:
            label = click.style(problem.severity.label, fg=LABEL_COLOURS[problem.severity], bold=True)
            click.echo(problem.show(label), err=True)  # show() makes what was read safe; the label is ours
