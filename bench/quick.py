"""Benchmark the commands run after every edit, `promo check` and `promo new`, as whole processes.

    python bench/quick.py [--n 1000] [--runs 5] [--json bench/out/quick-commands.json]

Targets (2-core machine), on a synthetic packet of 1,000 entries: `promo check` at most 1 s,
`promo new` at most 0.3 s. Each figure is the median of the runs after one untimed warm-up;
the user CPU time is shown beside it, since on a shared machine the wall time measures the
neighbours as much as the command. `promo new` writes its entry into the packet, and the entry
is removed, untimed, before the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

PROMO = Path(sys.executable).with_name("promo")
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}
# Python's bytecode cache, as on a user's machine (see bench/run.py).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
TARGETS = {"check": 1.0, "new": 0.3}
NEW_ENTRY = ("new", "Cut the release checklist", "-d", "scope", "--date", "2026-11-30")
NEW_FILE = "2026-11-30-cut-the-release-checklist.md"


def timed(args: tuple[str, ...], root: Path) -> tuple[float, float]:
    """Wall and user CPU seconds of one ``promo ARGS`` run in ``root``; it must exit 0."""
    started = time.perf_counter()
    process = subprocess.Popen([str(PROMO), *args], cwd=root, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"promo {' '.join(args)} failed in {root}:\n{errors.decode(errors='replace')}")
    return seconds, usage.ru_utime


def quick_rows(tmp: Path, n: int, runs: int) -> list[dict[str, object]]:
    """Time `promo check` and `promo new` on a packet of ``n`` synthetic entries written under ``tmp``,
    runs interleaved so drift in the machine hits both alike."""
    root = generate(tmp / f"quick-{n}", n)
    commands = {"check": ("check",), "new": NEW_ENTRY}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for run in range(runs + 1):
        for name, args in commands.items():
            sample = timed(args, root)
            (root / "evidence" / NEW_FILE).unlink(missing_ok=True)
            if run:  # the first runs warm the file cache and Python's bytecode
                samples[name].append(sample)
    rows: list[dict[str, object]] = []
    for name, found in samples.items():
        wall, user = (statistics.median(s[i] for s in found) for i in (0, 1))
        rows.append({"case": f"promo {name}", "n": n, "median_s": round(wall, 3), "user_s": round(user, 3),
                     "spread_s": round(max(s[0] for s in found) - min(s[0] for s in found), 3),
                     "target_s": TARGETS[name]})
        print(f"  promo {name:5} N={n:<5} median {wall:5.2f} s  user {user:5.2f} s  "
              f"(target {TARGETS[name]:.1f} s)", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=Path(__file__).parent / "out" / "quick-commands.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="promo-quick-") as scratch:
        rows = quick_rows(Path(scratch), args.n, args.runs)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": args.runs, "rows": rows}, indent=2))
    sys.exit(0 if all(float(str(r["median_s"])) <= float(str(r["target_s"])) for r in rows) else 1)


if __name__ == "__main__":
    main()
