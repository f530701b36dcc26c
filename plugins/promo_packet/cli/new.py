"""``promo new``: log a win as an evidence file with every field to fill in.

Run whenever something lands, so it loads the options, the rubric and the entry's template,
and nothing of the build, the reports or the importers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..authoring.scaffold import new_entry
from .common import CONFIG_OPTION, DAY, ladder_or_exit, today_or_warn, written


@click.command()
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
    path = new_entry(options.sources.evidence_dir, title, ladder=ladder,
                     target=options.packet.target_level or "", dimensions=dimensions,
                     day=day.date() if day else today_or_warn(), highlight=highlight)
    written("promo new", path, ladder, dimensions, edit=edit)
