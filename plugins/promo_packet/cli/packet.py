"""Printing and sharing a packet: ``promo pdf``, ``zip``, ``gen`` and ``seal``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ..errors import InputError, RefusedError, plural
from ..hosts.gen import generate
from ..hosts.gen import summary as gen_summary
from ..model.audience import Audience
from ..render.pdf import render_pdf
from ..sharing.names import PASSWORD_REFUSAL
from ..sharing.offline import build_offline_zip
from ..sharing.protect import encrypt_pdf
from ..sharing.publish import PUBLISH_SELF_VARIABLE
from ..sharing.seal import read_seal_settings, seal_site
from .common import CONFIG_OPTION, echo, load_or_exit, options_of, options_or_stop, report


@click.command()
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
        raise RefusedError("a password is configured, so the PDF is not written in plaintext",
                           hint="pass --encrypt for a PDF that opens with the password, or --plaintext "
                                "to write it unencrypted anyway")
    if encrypt and not options.password:
        raise click.UsageError("--encrypt needs the password option (set PROMO_PASSWORD)")
    if plaintext and encrypt:
        raise click.UsageError("--plaintext and --encrypt exclude each other")
    target = output or Path(options.pdf.name)
    cache = None if no_cache else options.pdf_cache
    password = options.password
    seal = (lambda data: encrypt_pdf(data, password)) if encrypt and password else None
    result = render_pdf(assembly.packet, target, options.pdf, cache_dir=cache, plan=assembly.status,
                        seal=seal, since=assembly.since, protected=password is not None)
    report(result.problems)
    echo(f"promo pdf: {result.summary()} -> {target}", err=True)
    if seal is not None:
        echo("promo pdf: encrypted with the password by the PDF's own AES-256, which a guesser "
             "can attack far faster than the site: share it only with a strong password", err=True)


@click.command(name="zip")
@CONFIG_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the zip.  [default: packet.zip, after the pdf_name option]")
def zip_(config_file: Path, output: Path | None) -> None:
    """Build the packet to be opened from disk, as a zip to send (no server needed)."""
    options = options_or_stop(config_file)
    if options.password:
        raise RefusedError(PASSWORD_REFUSAL, hint="unset PROMO_PASSWORD to zip a packet without one, or "
                                                  "publish the protected site and send its link instead")
    audience = options.packet.audience
    if audience.sees_private and os.environ.get(PUBLISH_SELF_VARIABLE) != "1":
        raise RefusedError(
            "the audience is self, whose build holds private entries, and a zip is for sending",
            hint=f"build for sponsor or committee (PROMO_AUDIENCE=sponsor), or set {PUBLISH_SELF_VARIABLE}=1 "
                 "to zip a self build anyway")
    target = output or Path(options.pdf.name).with_suffix(".zip")
    count = build_offline_zip(config_file, target)
    echo(f"promo zip: {audience.value} build, {plural(count, 'file')} -> {target}; unzip it and "
         f"open {target.stem or 'packet'}/index.html in a browser", err=True)


@click.command()
@CONFIG_OPTION
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def gen(config_file: Path, out: Path) -> None:
    """Write the packet as a plain docs folder with its own mkdocs.yml, for an engine that runs
    no plugin: cd OUT && zensical build (or mkdocs build)."""
    started = time.perf_counter()
    options_of(config_file)  # a missing mkdocs.yml is told here, as by every command
    done, problems = generate(config_file, out)
    if done is None:
        raise InputError(problems, nothing_written=True)
    report(problems)
    echo(f"promo gen: {done.audience} audience; {gen_summary(done, time.perf_counter() - started)}",
         err=True)
    if Audience(done.audience).sees_private:
        echo("promo gen: this is your own build, with private entries and notes: generate for "
             "your sponsor (PROMO_AUDIENCE=sponsor) before you publish it", err=True)


@click.command()
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
    if settings is None:
        raise InputError(problems, nothing_written=True)
    try:
        sealed = seal_site(site, settings, out=out)
    except InputError as exc:
        raise InputError(exc.problems, nothing_written=True) from exc
    echo(f"promo seal: {sealed.summary()} -> {out or site}", err=True)
