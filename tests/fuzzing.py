"""What the property tests share: the Hypothesis profiles, the example counts, and the shape of
an answer that is located problems.

A few hundred examples run with the suite; ``PROMO_FUZZ=1`` (``make fuzz``) loads the large
profile. Every module of property tests imports this one, so the profile is the same whichever
module a test process collects first.
"""

from __future__ import annotations

import os
import re
import resource
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

settings.register_profile("suite", deadline=2000, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", deadline=5000, max_examples=3000,
                          suppress_health_check=[HealthCheck.too_slow])
LARGE = os.environ.get("PROMO_FUZZ") == "1"
settings.load_profile("fuzz" if LARGE else "suite")


def examples(suite: int, *, large: int | None = None,
             deadline: int | None = 2000) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``suite`` examples in the normal run, ``large`` (default: the profile's) under PROMO_FUZZ=1.

    Tests that build a whole packet bound their own time: the first build
    imports MkDocs and its theme, far slower than any later one.
    """
    if LARGE:
        return settings(deadline=deadline and 5 * deadline, **({"max_examples": large} if large else {}))
    return settings(max_examples=suite, deadline=deadline)


def within_memory() -> bool:
    """The process has never held more than 1.5 GB (an alias bomb used to take several)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_500_000  # kilobytes on Linux


LOCATED = re.compile(r"^(?P<path>[^:]+)(:(?P<line>\d+))?: ")
"""The start of a problem as ``promo`` prints it: ``path:line: `` or ``path: ``."""

ODD_CHARACTERS = [
    "\x1e", "\x1f", "\x00", "\n", "\r", "\r\n", "\t", "\x1b", "\x1b[31m", "\x7f", "\u0085", "\u2028",
    "\u202e", "\u2066", "\u200f", "\ufeff", "\ufffd", "\ud800", "\udfff", "\U0001f600", "e\u0301",
    "\u0663", "\uff11", "\u00a0", '"', "'", "`", "\\", "<", ">", "&", "#", ":", ",", ";", "|", "*",
    "_", "[", "]", "{", "}", "(", ")", "!", "%", "@", "=", " ", "-", "javascript:", "(#12)",
]
"""Characters and short runs that split records, end lines, turn text around or end a quote."""
odd_text = st.lists(st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(codec="utf-8"),
                             st.sampled_from("abcXYZ019 ")), max_size=30).map("".join)
"""Text made mostly of :data:`ODD_CHARACTERS`, lone surrogates included."""


def answered(*args: str, cwd: Path) -> tuple[int, str, str]:
    """``promo ARGS`` run in ``cwd`` as :func:`conftest.run` runs it, asserting that it raised
    nothing but the exit the one error handler makes."""
    from click.testing import CliRunner

    from promo_packet.cli import main

    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"promo {' '.join(args[:2])} raised") from result.exception
    return result.exit_code, result.stdout, result.stderr


def exited(code: int) -> int:
    """``code``, counted in Hypothesis' statistics (``--hypothesis-show-statistics``): a property
    whose inputs all stop at the first check would show no ``exit 0``."""
    if currently_in_test_context():
        event(f"exit {code}")
    return code


def printed_problems(stderr: str, exists: Callable[[str], bool]) -> None:
    """Every line ``promo`` wrote on stderr is a located problem whose path ``exists``, its hint,
    or the one closing line; never a traceback."""
    assert "Traceback" not in stderr
    for line in stderr.splitlines():
        if line.startswith("  hint: ") or line.startswith("promo"):
            continue
        match = LOCATED.match(line)
        assert match is not None and exists(match["path"]), line


def every_file(folder: Path) -> set[str]:
    """The paths of every file under ``folder``, relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
