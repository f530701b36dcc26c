"""Drafts from other tools: ``promo import git``, ``github`` and ``csv``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from pathlib import Path

import click

from ..authoring.drafts import Draft, Written, write_drafts
from ..errors import (
    InputError,
    Problem,
    RequestError,
    plural,
)
from ..importers import github as github_import
from ..importers import tickets
from ..importers.exports import Found
from ..importers.git import read_repositories
from ..importers.suggestions import LadderIndex, keyword_option
from ..model.rubric import load_rubric
from ..model.settings import Options
from ..reading.folders import read_named_text, shown_path
from .common import CONFIG_OPTION, DAY, echo, options_or_stop, report


@click.group(name="import")
def import_group() -> None:
    """Drafts of evidence from where the work happened, written under evidence/drafts."""


def _ladder_index(options: Options) -> LadderIndex:
    # The rubric only names the dimensions and behaviours suggestions go to: a rubric that fails
    # to load means no suggestions, not a failed import.
    ladder, _ = load_rubric(options.sources.rubric, options.sources.root)
    return LadderIndex(ladder, keyword_option(dict(options.draft_keywords)), options.packet.target_level)


def _drafts_folder(options: Options) -> str:
    """The drafts folder, as write_drafts takes it: relative to the evidence folder."""
    assert options.drafts_dir is not None
    return options.drafts_dir.relative_to(options.sources.evidence_dir).as_posix()


TRIVIAL_OPTION = click.option("--include-trivial", is_flag=True,
                              help="Also draft trivial changes: typo fixes, formatting, version bumps "
                                   "and releases, lockfiles only, reverts of reverts, a few lines of "
                                   "tests or docs alone.")


def _write(drafts: list[Draft], options: Options, include_trivial: bool) -> tuple[Written, str]:
    """Write ``drafts`` (the trivial ones only when asked); what was written, and the summary's
    counts of what was skipped."""
    kept = drafts if include_trivial else [draft for draft in drafts if not draft.trivial]
    written = write_drafts(kept, options.sources.evidence_dir, _drafts_folder(options),
                           options.sources.root, options.set_aside_dir)
    skipped = [f"{written.known} already known"]
    if written.set_aside:
        skipped.append(f"{written.set_aside} set aside")
    if len(kept) < len(drafts):
        skipped.append(f"{len(drafts) - len(kept)} trivial skipped (--include-trivial writes them)")
    return written, ", ".join(skipped)


@import_group.command("git")
@click.argument("repos", nargs=-1, metavar="[REPO]...", type=click.Path(file_okay=False, path_type=Path))
@click.option("--author", "authors", multiple=True, metavar="EMAIL",
              help="Whose work to import (repeat for several).  [default: git config user.email]")
@click.option("--since", type=DAY, default=None, help="Only work merged on or after this day.")
@TRIVIAL_OPTION
@CONFIG_OPTION
def import_git(repos: tuple[Path, ...], authors: tuple[str, ...], since: dt.datetime | None,
               include_trivial: bool, config_file: Path) -> None:
    """Draft evidence from local git repositories: one per merged pull request, else one per day.

    REPO defaults to the repository holding mkdocs.yml. Sources already in the evidence folder
    or set aside are skipped, so running it again adds only what is new; so are trivial changes
    (typo fixes, releases...) unless --include-trivial.
    """
    started = time.perf_counter()
    options = options_or_stop(config_file)
    result = read_repositories(
        list(repos) or [config_file.parent], authors=authors, since=since.date() if since else None,
        index=_ladder_index(options),
        on_record=lambda number: echo(f"promo import git: read {number:,} commits so far", err=True))
    if any(problem.is_error for problem in result.problems):
        raise InputError(result.problems, nothing_written=True)
    report(result.problems)
    written, skipped = _write(result.drafts, options, include_trivial)
    echo(f"promo import git: {plural(len(written.files), 'draft')} written, {skipped}, "
         f"{plural(result.repositories, 'repository', 'repositories')}, "
         f"{time.perf_counter() - started:.1f} s")


def write_found(command: str, found: Found, config_file: Path, since: dt.date | None = None,
                include_trivial: bool = False) -> None:
    """Write the drafts an import found; its problems stop it before anything is written."""
    options = options_or_stop(config_file)
    if found.problems:
        raise InputError(found.problems, nothing_written=True)
    index = _ladder_index(options)
    drafts = [d if d.suggested else _suggested(d, index)
              for d in found.drafts if since is None or d.date >= since]
    written, skipped = _write(drafts, options, include_trivial)
    for path in written.files:
        echo(shown_path(path, Path.cwd()))
    passed = f", {plural(found.passed_over, 'row')} not done" if found.passed_over else ""
    echo(f"promo {command}: {plural(len(written.files), 'draft')} written, {skipped}{passed}", err=True)


def _suggested(draft: Draft, index: LadderIndex) -> Draft:
    suggestion = index.suggest(draft.title, " ".join(draft.notes))
    return dataclasses.replace(draft, suggested=suggestion.dimensions, shows=suggestion.behaviours)


@import_group.command(name="github")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@CONFIG_OPTION
@click.option("--api", is_flag=True, help="Ask GitHub's API instead of reading FILE (needs GITHUB_TOKEN).")
@click.option("--since", type=DAY, default=None, help="Only pull requests merged on or after this day.")
@TRIVIAL_OPTION
def github(file: Path | None, config_file: Path, api: bool, since: dt.datetime | None,
           include_trivial: bool) -> None:
    """Drafts from your merged pull requests: FILE as `gh pr list`/`gh search prs` write it
    (--json), or --api with GITHUB_TOKEN set. See the README for the gh commands."""
    if (file is None) == (not api):
        raise click.UsageError("pass either FILE (gh's JSON) or --api, not both or neither")
    if file is not None:
        found = github_import.read(text_of(file, "utf-8"), shown_path(file, Path.cwd()))
    else:
        token = os.environ.get("GITHUB_TOKEN", "").strip()
        if not token:
            raise RequestError("--api needs GITHUB_TOKEN",
                               hint="a token that can read your pull requests (gh auth token prints yours)")
        base = os.environ.get("GITHUB_API_URL", "").strip() or github_import.API_URL
        found = github_import.fetch(token, since=since.date() if since else None, base=base)
    write_found("import github", found, config_file, since.date() if since else None, include_trivial)


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
    text = text_of(file, "utf-8-sig")
    write_found("import csv", tickets.read(text, shown_path(file, Path.cwd()), columns), config_file)


def text_of(file: Path, encoding: str) -> str:
    """The text of an export to import; one that cannot be read stops the import."""
    shown = shown_path(file, Path.cwd())
    text, problem = read_named_text(file, shown, encoding)
    if text is None:
        raise InputError(problem or Problem(shown, None, "not found"), nothing_written=True)
    return text
