"""The ``promo`` command: the packet's core, without MkDocs.

Problems go to stderr one per line as ``path:line: field: message; hint``;
any error exits 1, never with a traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import Problem, Severity, sort_problems
from .project import DEFAULT_CONFIG_FILE, Assembly, assemble, read_config

CONFIG_OPTION = click.option(
    "-f", "--config-file", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_CONFIG_FILE, show_default=True,
    help="The packet's mkdocs.yml, where the promo-packet options live.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promo")
def main() -> None:
    """Keep a level-mapped record of your wins and build it into a promotion packet."""


def load(config_file: Path) -> tuple[Assembly | None, list[Problem]]:
    """Read the options and assemble the packet; settings problems stop before the inputs are read."""
    if not config_file.is_file():
        raise click.ClickException(f"{config_file}: not found; run this in your packet's folder "
                                   "or pass --config-file")
    sources, settings, problems = read_config(config_file)
    if any(p.is_error for p in problems):
        return None, problems
    assembly = assemble(sources, settings)
    return assembly, problems + assembly.problems


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def check(config_file: Path, strict: bool, output: str) -> None:
    """Validate the evidence and the rubric; report every problem at once."""
    started = time.perf_counter()
    assembly, problems = load(config_file)
    shown = [p for p in sort_problems(problems) if p.severity is not Severity.NOTE]
    errors = sum(1 for p in shown if p.is_error)
    warnings = len(shown) - errors
    files = assembly.evidence.files if assembly else 0
    if output == "json":
        click.echo(json.dumps({"files": files, "errors": errors, "warnings": warnings,
                               "problems": [p.as_dict() for p in shown]}, indent=2))
    else:
        for problem in shown:
            click.echo(str(problem), err=True)
        click.echo(f"promo check: {plural(files, 'evidence file')}, {plural(errors, 'error')}, "
                   f"{plural(warnings, 'warning')} ({time.perf_counter() - started:.2f} s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)
