"""Signed corroboration: ``promo ask`` for a statement to sign, ``promo signers add`` for the keys."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

import click

from ..authoring.plan_edit import write_atomically
from ..errors import InputError, Problem, RequestError
from ..model.evidence import Evidence
from ..model.statement import corroboration_by, statement
from ..reading.allowed_signers import (
    DEFAULT_FILE,
    NAMESPACE,
    keys_from_github,
    keys_from_pub,
    read_allowed_signers,
    with_signer,
)
from ..reading.folders import read_named_text, shown_path
from ..reading.ids import TITLE_SLUG_LENGTH, slug_of
from .common import CONFIG_OPTION, echo, load_or_exit, options_of

SIGN_COMMAND = f"ssh-keygen -Y sign -n {NAMESPACE} -f ~/.ssh/id_ed25519"


@click.command()
@click.argument("entry")
@click.option("--from", "name", required=True, metavar="NAME",
              help="Who is quoted: their name as the entry's corroboration writes it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the statement.  [default: SLUG-NAME.txt here]")
@CONFIG_OPTION
def ask(entry: str, name: str, output: Path | None, config_file: Path) -> None:
    """Ask NAME to sign their quote: write the statement they sign for ENTRY (a file or its slug)."""
    # As its author sees it: a signature the change broke must not stop asking for a new one.
    options, assembly = load_or_exit(config_file, audience="self")
    found = find_entry(assembly.evidence.entries, entry, options.sources.root)
    item = corroboration_by(found, name)
    if item is None:
        names = ", ".join(repr(n) for n in found.names) or "no one by name"
        raise RequestError(Problem(found.path, None, f"no corroboration by {name!r}", field="corroboration",
                                   hint=f"it quotes {names}; give the name as the entry writes it"))
    person = options.packet.person.strip()
    if not person:
        raise RequestError(Problem(options.packet.source, None, "no person: the statement names whose packet "
                                   "it is", field="promo-packet.person", hint="set 'person:' in the options"))
    target = output or Path(f"{found.slug}-{slug_of(name, TITLE_SLUG_LENGTH) or 'statement'}.txt")
    try:
        target.write_bytes(statement(found, item[1], person))
    except OSError as exc:
        raise RequestError(Problem(str(target), None, f"cannot write: {exc.strerror}")) from exc
    shown = shown_path(target, Path.cwd())
    echo(f"{shown}: the statement {name} signs for {found.title!r}")
    echo(f"Send it to {name} and ask them to run:\n\n    {SIGN_COMMAND} {shlex.quote(shown)}\n")
    echo(f"and to send back {shown}.sig, with their public key (~/.ssh/id_ed25519.pub) if "
         "the packet does not have it yet.")
    file = options.sources.allowed_signers or options.sources.root / DEFAULT_FILE
    allowed, problems = read_allowed_signers(file, shown_path(file, Path.cwd()))
    if not problems and name not in allowed.principals:
        echo(f"promo ask: {allowed.path} has no key for {name} yet: promo signers add "
             f"{shlex.quote(name)} --key THEIR_KEY.pub (or --github-keys)", err=True)


def find_entry(entries: Sequence[Evidence], wanted: str, root: Path) -> Evidence:
    """The entry whose file is ``wanted`` (a path) or whose slug it is."""
    path = Path(wanted).resolve()
    for entry in entries:
        if entry.slug == wanted or (root / entry.path).resolve() == path:
            return entry
    raise RequestError(Problem(wanted, None, "no evidence entry by this path or slug",
                               hint="give an evidence file's path or its slug (its file name without .md)"))


@click.group()
def signers() -> None:
    """The keys the packet trusts to sign corroborations: the allowed_signers file."""


@signers.command("add")
@click.argument("name")
@click.option("--github-keys", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="What `gh api users/LOGIN/ssh_signing_keys` prints, saved to a file.")
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, metavar="FILE.pub", help="Their public key file (FILE.pub).")
@CONFIG_OPTION
def add(name: str, github_keys: Path | None, key_file: Path | None, config_file: Path) -> None:
    """Trust NAME's keys to sign corroborations: add them to allowed_signers."""
    if (github_keys is None) == (key_file is None):
        raise click.UsageError("pass one of --github-keys FILE and --key FILE.pub")
    source = github_keys or key_file
    assert source is not None
    text, problem = read_named_text(source, shown_path(source, Path.cwd()))
    if text is None:
        raise RequestError(problem or Problem(str(source), None, "not found"))
    read_keys = keys_from_github if github_keys is not None else keys_from_pub
    keys, problems = read_keys(text, shown_path(source, Path.cwd()))
    options, _ = options_of(config_file)
    file = options.sources.allowed_signers or options.sources.root / DEFAULT_FILE
    shown = shown_path(file, Path.cwd())
    problems += read_allowed_signers(file, shown)[1]
    if any(problem.is_error for problem in problems):
        raise InputError(problems, nothing_written=True)
    current, problem = read_named_text(file, shown)
    if problem is not None:
        raise InputError(problem, nothing_written=True)
    updated, added = with_signer(current or "", name, keys, shown)
    if added:
        write_atomically(file, updated)
    for key in keys:
        done = "added" if key in added else "already listed"
        echo(f"{shown}: {name}: {key.type} {key.fingerprint} {done}")
