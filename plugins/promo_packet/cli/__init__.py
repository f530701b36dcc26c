"""The ``promo`` command: the packet's core, without MkDocs.

Problems go to stderr as ``path:line: error: field: message``, the hint on the next line;
any error exits 1 (a usage mistake 2), never with a traceback: see :class:`.common.PromoGroup`.
Each group of commands is a module of its own.
"""

from __future__ import annotations

import click

from .._version import __version__
from . import authoring, binder, importers, packet, reports, signatures
from .common import PromoGroup


@click.group(cls=PromoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promo")
def main() -> None:
    """Keep a level-mapped record of your wins and build it into a promotion packet."""


for command in (packet.check, packet.pdf, packet.zip_, packet.gen, packet.seal,
                authoring.init, authoring.rubric, authoring.new, authoring.drafts, authoring.accept,
                authoring.checkin,
                reports.review, reports.gaps, reports.diff, reports.calendar_, reports.brief_,
                importers.import_group, signatures.ask, signatures.signers, binder.export, binder.binder):
    main.add_command(command)
