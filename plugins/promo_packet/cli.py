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
from .errors import Problem, PromoPacketError, Severity, sort_problems
from .pdf import render_pdf
from .project import CACHE_DIR, DEFAULT_CONFIG_FILE, Assembly, assemble, read_config

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
    options, problems = read_config(config_file)
    if any(p.is_error for p in problems):
        return None, problems
    assembly = assemble(options.sources, options.packet)
    return assembly, problems + assembly.problems


def report(problems: list[Problem]) -> None:
    for problem in sort_problems(problems):
        if problem.severity is not Severity.NOTE:
            click.echo(str(problem), err=True)


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
        report(shown)
        click.echo(f"promo check: {plural(files, 'evidence file')}, {plural(errors, 'error')}, "
                   f"{plural(warnings, 'warning')} ({time.perf_counter() - started:.2f} s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the PDF.  [default: the pdf_name option, in this folder]")
@click.option("--no-cache", is_flag=True, help="Render even if an identical PDF was rendered before.")
def pdf(config_file: Path, output: Path | None, no_cache: bool) -> None:
    """Build the packet's PDF (no MkDocs needed)."""
    assembly, problems = load(config_file)
    options, _ = read_config(config_file)
    report(problems)
    if assembly is None or assembly.packet is None:
        sys.exit(1)
    target = output or Path(options.pdf.name)
    cache = None if no_cache else options.sources.root / CACHE_DIR
    try:
        result = render_pdf(assembly.packet, target, options.pdf, cache_dir=cache)
    except PromoPacketError as exc:
        raise click.ClickException(str(exc)) from exc
    report(result.problems)
    click.echo(f"promo pdf: {result.summary()} -> {target}", err=True)
