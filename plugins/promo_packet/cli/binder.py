"""The committee's view: ``promo export`` (one packet's bundle) and ``promo binder`` (many bound)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ..errors import Problem, RequestError, plural
from ..hosts.binder import PASSWORD_VARIABLE, PDF_NAME, SITE_NAME, bind
from ..hosts.export import export_packet
from .common import CONFIG_OPTION, echo, options_of


@click.command()
@CONFIG_OPTION
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def export(config_file: Path, out: Path) -> None:
    """Build the committee's packet (site, PDF and facts) as one reproducible zip, for a binder.

    The audience is the committee whatever mkdocs.yml says; the same commit gives the same bytes.
    """
    started = time.perf_counter()
    options_of(config_file)  # a missing mkdocs.yml is told here, as by every command
    done = export_packet(config_file, out)
    echo(f"promo export: committee bundle of {done.person}, {plural(done.files, 'file')} -> {out} "
         f"({time.perf_counter() - started:.2f} s)", err=True)


@click.command()
@click.argument("binder_file", metavar="BINDER.yml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the binder's site and PDF into.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="the number of cores",
              help="How many packets to export at once.")
@click.option("--skip-failed", is_flag=True,
              help="Bind the packets that pass and list the others on the index page, instead of stopping.")
def binder(binder_file: Path, out: Path, jobs: int, skip_failed: bool) -> None:
    """Bind committee bundles and packets into one site and one PDF for a calibration committee.

    BINDER.yml names a title, a cycle and the packets: bundles from promo export, packet folders,
    or {git: URL, ref: REF}; folders and repositories are exported into .promo-binder/ beside it.
    Any packet that cannot be bound stops the binder with nothing written, unless --skip-failed.
    With PROMO_BINDER_PASSWORD set, the whole binder is sealed under it: pages, search and PDFs.
    """
    started = time.perf_counter()
    if not binder_file.exists():
        raise RequestError(Problem(str(binder_file), None, "not found", hint="name the binder's YAML file"))
    done = bind(binder_file, out, jobs=jobs, skip_failed=skip_failed,
                password=os.environ.get(PASSWORD_VARIABLE) or None,
                say=lambda line: echo(f"promo binder: {line}", err=True))
    for skipped in done.skipped:
        echo(f"promo binder: skipped {skipped.where}: {skipped.reason}", err=True)
    sealed = (f"sealed with {PASSWORD_VARIABLE} ({PDF_NAME} encrypted on its own, which a password guess "
              "breaks far more cheaply than the site)" if done.sealed else "NOT password-protected")
    echo(f"promo binder: {plural(len(done.people), 'packet')}, {plural(done.pages, 'page')}, "
         f"{sealed} -> {out / SITE_NAME}, {out / PDF_NAME} ({time.perf_counter() - started:.2f} s)",
         err=True)
