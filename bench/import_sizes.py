"""Benchmark the importers on sources far larger than real ones: each must finish, or stop with
a located "too large" problem, within the target.

    python bench/import_sizes.py

Cases: a rubric sheet of 100,000 rows and one of 50,000 columns (`promo rubric import`), the
largest sheets still read (9,999 rows of 199 dimensions, 999 level columns), and a
ticket export of 100,000 done rows and one of 50,000 columns (`promo import csv`, read only:
nothing is written). Target (2-core machine): each under 10 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from promo_packet.importers import import_rubric, tickets

TARGET = 10.0
ROWS, COLUMNS = 100_000, 50_000


def rubric(text: str) -> Callable[[Path], str]:
    def run(folder: Path) -> str:
        source = folder / "ladder.csv"
        source.write_text(text, "utf-8")
        result = import_rubric(source, shown="ladder.csv")
        return str(result.problems[0]) if result.problems else f"{len(result.draft.dimensions)} dimensions"
    return run


def ticket_export(text: str) -> Callable[[Path], str]:
    def run(folder: Path) -> str:
        found = tickets.read(text, "export.csv", tickets.PRESETS["linear"])
        return str(found.problems[0]) if found.problems else f"{len(found.drafts):,} drafts"
    return run


CASES = {
    f"rubric, {ROWS:,} rows": rubric("Dimension,Level,Behaviour\n" + "Craft,L1,Ships\n" * ROWS),
    f"rubric, {COLUMNS:,} columns": rubric("Dimension," + ",".join(f"L{n}" for n in range(COLUMNS))
                                           + "\nCraft,Ships\n"),
    # The largest sheets still read: the most rows and dimensions, the most level columns.
    "rubric, 9,999 rows, 199 dimensions": rubric(
        "Dimension,Level,Behaviour\n"
        + "".join(f"Area {n % 199},L{n % 50},Ships {n}\n" for n in range(9_999))),
    "rubric, 999 level columns": rubric("Dimension," + ",".join(f"L{n}" for n in range(999))
                                          + "\nCraft," + ",".join(["Ships"] * 999) + "\n"),
    f"tickets, {ROWS:,} rows": ticket_export(
        "ID,Title,Status,Completed,URL\n"
        + "".join(f"ENG-{n},Change {n},Done,2026-04-20,https://linear.app/acme/issue/ENG-{n}\n"
                  for n in range(ROWS))),
    f"tickets, {COLUMNS:,} columns": ticket_export(
        "ID,Title,Status,Completed,URL," + ",".join(f"C{n}" for n in range(COLUMNS)) + "\n"
        + "ENG-1,Change,Done,2026-04-20,https://linear.app/acme/issue/ENG-1," + "x," * (COLUMNS - 1) + "x\n"),
}


def main() -> int:
    slow = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, case in CASES.items():
            started = time.perf_counter()
            outcome = case(Path(folder))
            took = time.perf_counter() - started
            slow += took > TARGET
            print(f"{name}: {took:.2f} s ({'over' if took > TARGET else 'within'} {TARGET:.0f} s): {outcome}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
