"""Changes too small to be evidence: an import passes them over unless asked for them.

A change is trivial, for the reason :func:`trivial_reason` gives, when its title says it fixes
a typo, only reformats, bumps a version or cuts a release, or reverts a revert; or when what it
changed (where known) is only dependency lockfiles, or only tests or docs in fewer than
:data:`FEW_LINES` lines. Judged from the title and the files alone: a long commit message does
not make a typo fix more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

FEW_LINES = 10
"""Tests or docs changed in fewer lines than this are a touch-up, not work to show."""
LOCKFILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
    "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "cargo.lock", "go.sum", "gemfile.lock",
    "composer.lock", "podfile.lock", "mix.lock", "pubspec.lock", "packages.lock.json", "flake.lock",
})
_TITLES = (
    ("a typo fix", re.compile(r"\b(typos?|spelling|misspell\w*)\b", re.IGNORECASE)),
    ("formatting", re.compile(r"^style(\([^)]*\))?:|\b(lint|linter|linting|whitespace|indentation|"
                              r"formatting)\b|^(re)?format(ted)?(\s+(code|files?|sources?|everything|all|"
                              r"with|using)\b|\s*$)", re.IGNORECASE)),
    ("formatting", re.compile(r"\b(run|apply|ran|applied)\s+(black|prettier|rustfmt|gofmt|ruff format|"
                              r"clang-format|the formatter)\b", re.IGNORECASE)),
    ("a version bump or release", re.compile(
        r"^(\w+(\([^)]*\))?:\s*)?(bump(ed|s)?\b.*(\d|version)|(prepare\s+|cut\s+)?release\s+v?\d|"
        r"v?\d+\.\d+(\.\d+)?\s*$|(update|set)\s+version\b)|^chore\(release\)", re.IGNORECASE)),
    ("a revert of a revert", re.compile(r'^(Revert|Reapply)\s+"(Revert|Reapply)\b', re.IGNORECASE)),
)
_TESTS = re.compile(r"(^|/)(tests?|spec|__tests__)(/|$)|(^|/)test_[^/]*$|_test\.\w+$|\.(test|spec)\.\w+$")
_DOCS = re.compile(r"(^|/)docs?(/|$)|\.(md|markdown|rst|adoc)$|(^|/)(README|CHANGELOG|CHANGES|AUTHORS)[^/]*$",
                   re.IGNORECASE)


def trivial_reason(title: str, paths: Sequence[tuple[str, int]] | None = None) -> str:
    """Why the change titled ``title`` that changed ``paths`` (path, lines changed; ``None``
    when the source does not say) is trivial, or ``""`` when it is not."""
    for reason, pattern in _TITLES:
        if pattern.search(title.strip()):
            return reason
    if not paths:
        return ""
    if all(PurePosixPath(path).name.lower() in LOCKFILES for path, _ in paths):
        return "dependency lockfiles only"
    lines = sum(changed for _, changed in paths)
    if lines < FEW_LINES and all(_TESTS.search(path) or _DOCS.search(path) for path, _ in paths):
        return f"tests or docs alone, {lines} lines"
    return ""
