"""``promo check``: every problem of the evidence, the rubric and the plan, at once.

Run after every edit, so it loads only the reading, the model and the lint: nothing that renders.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..errors import Problem, Severity, plural, sort_problems
from ..hosts.project import Assembly
from ..model.strength import strength_counts
from .common import CONFIG_OPTION, FORMAT_OPTION, TODAY_OPTION, echo, load, report


@click.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 on tips too.")
@FORMAT_OPTION
@TODAY_OPTION
def check(config_file: Path, strict: bool, output: str, today: dt.datetime | None) -> None:
    """Validate the evidence and the rubric, and lint it; report every error and tip at once.

    Exits 1 on errors, and with --strict on tips too.
    """
    started = time.perf_counter()
    _, assembly, problems = load(config_file, on=today.date() if today else None, recent=True)
    shown = [p for p in sort_problems(problems) if p.severity is not Severity.NOTE]
    counts = check_counts(assembly, shown)
    if output == "json":
        echo(json.dumps({**counts, "problems": [p.as_dict() for p in shown]}, indent=2))
    else:
        report(shown)
        ignored = [p.path for p in problems if p.severity is Severity.NOTE]
        echo(f"promo check: {check_summary(counts, ignored)} ({time.perf_counter() - started:.2f} s)",
             err=True)
    if counts["errors"] or (strict and counts["tips"]):
        sys.exit(1)


def check_counts(assembly: Assembly | None, shown: list[Problem]) -> dict[str, Any]:
    """What ``promo check`` counts, for its last line and its JSON."""
    errors = sum(1 for p in shown if p.is_error)
    # Of every entry read, whoever the build is for: it is the author who runs check.
    entries = assembly.evidence.entries if assembly else []
    strengths = strength_counts(e for e in entries if not e.draft)
    return {"files": assembly.evidence.files if assembly else 0, "errors": errors,
            "tips": len(shown) - errors,
            "drafts": sum(1 for entry in entries if entry.draft),
            "strength": {s.value: n for s, n in strengths.items()} if assembly else None}


def check_summary(counts: dict[str, Any], ignored: list[str]) -> str:
    """``12 evidence files, 0 errors, 1 tip; 3 strong, ...; 1 draft``, as ``promo check`` ends."""
    others = (f" ({plural(len(ignored), 'other file')} ignored: {', '.join(ignored[:3])}"
              f"{', ...' if len(ignored) > 3 else ''})") if ignored else ""
    strengths, drafts = counts["strength"], counts["drafts"]
    strength = f"; {', '.join(f'{n} {name}' for name, n in strengths.items())}" if strengths else ""
    strength += f"; {plural(drafts, 'draft')}" if drafts else ""
    return (f"{plural(counts['files'], 'evidence file')}{others}, {plural(counts['errors'], 'error')}, "
            f"{plural(counts['tips'], 'tip')}{strength}")
