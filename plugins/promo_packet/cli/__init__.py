"""The ``promo`` command: the packet's core, without MkDocs.

Problems go to stderr as ``path:line: error: field: message``, the hint on the next line;
any error exits 1 (a usage mistake 2), never with a traceback: see :class:`.group.PromoGroup`.
Each group of commands is a module of its own, imported only when one of its commands runs,
so ``promo new`` and ``promo check`` load neither the renderer nor MkDocs.
"""

from __future__ import annotations

import click

from .._version import __version__
from .group import LazyCommand, PromoGroup

COMMANDS = {
    "check": LazyCommand("check", "check", "Validate the evidence and the rubric, and lint it; report "
                                            "every error and tip at once."),
    "pdf": LazyCommand("packet", "pdf", "Build the packet's PDF (no MkDocs needed)."),
    "zip": LazyCommand("packet", "zip_", "Build the packet to be opened from disk, as a zip to send "
                                         "(no server needed)."),
    "gen": LazyCommand("packet", "gen", "Write the packet as a plain docs folder with its own mkdocs.yml, "
                                        "for an engine that runs no plugin."),
    "seal": LazyCommand("packet", "seal", "Password-protect a site that is already built, as a build with "
                                          "a password does."),
    "init": LazyCommand("authoring", "init", "Start a new packet repository in FOLDER (which must be new "
                                             "or empty)."),
    "rubric": LazyCommand("authoring", "rubric", "The rubric: bring in your company's existing ladder."),
    "new": LazyCommand("new", "new", "Log a win: write evidence/<date>-<title>.md with every field "
                                           "to fill in."),
    "drafts": LazyCommand("authoring", "drafts", "List the drafts an import proposed; --set-aside moves "
                                                 "some out of the way, --prune deletes old ones."),
    "accept": LazyCommand("authoring", "accept", "Turn a draft into evidence: out of the drafts folder, "
                                                 "'draft: true' removed, dimensions set."),
    "checkin": LazyCommand("authoring", "checkin", "Add a dated check-in to the plan and list the evidence "
                                                   "to bring to it."),
    "review": LazyCommand("reports", "review", "The monthly review: what you logged, how coverage moved, "
                                               "what to seek next."),
    "gaps": LazyCommand("reports", "gaps", "The dimensions still thin or missing at the target level, with "
                                           "what the rubric expects."),
    "diff": LazyCommand("reports", "diff", "What changed in the packet since REVISION: a git tag, branch "
                                           "or commit, or a date (YYYY-MM-DD)."),
    "calendar": LazyCommand("reports", "calendar_", "An iCalendar file of the plan's next check-ins, "
                                                    "monthly reviews and review date."),
    "brief": LazyCommand("reports", "brief_", "A short Markdown update for a 1:1: the wins since the last "
                                              "check-in, and what is still thin."),
    "import": LazyCommand("importers", "import_group", "Drafts of evidence from where the work happened, "
                                                       "written under evidence/drafts."),
    "ask": LazyCommand("signatures", "ask", "Ask NAME to sign their quote: write the statement they sign "
                                            "for ENTRY (a file or its slug)."),
    "signers": LazyCommand("signatures", "signers", "The keys the packet trusts to sign corroborations: "
                                                    "the allowed_signers file."),
    "export": LazyCommand("binder", "export", "Build the committee's packet (site, PDF and facts) as one "
                                              "reproducible zip, for a binder."),
    "binder": LazyCommand("binder", "binder", "Bind committee bundles and packets into one site and one "
                                              "PDF for a calibration committee."),
}
"""Every ``promo`` command by name: where it is defined, and its short help for ``promo --help``."""


@click.group(cls=PromoGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promo")
def main() -> None:
    """Keep a level-mapped record of your wins and build it into a promotion packet."""
