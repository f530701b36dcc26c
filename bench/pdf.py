"""Benchmark the PDF stage: `promo pdf` as a whole process on synthetic packets.

    python bench/pdf.py [--runs 3] [--json bench/out/pdf.json]

Targets (2-core machine): 200 entries' full PDF under 15 s; the example
packet (20 entries in the sponsor build) and a 25-entry synthetic packet under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

REPO = Path(__file__).resolve().parent.parent
PROMO = Path(sys.executable).with_name("promo")
TARGETS = {"example": 3.0, "synthetic-25": 3.0, "synthetic-200": 15.0}


def timed(config: Path, out: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(PROMO), "pdf", "--no-cache", "-f", str(config), "-o", str(out)],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stderr.strip().splitlines()[-1]


def pdf_rows(tmp: Path, runs: int) -> list[dict[str, object]]:
    """Time `promo pdf` on the example and on synthetic packets written under ``tmp``."""
    rows: list[dict[str, object]] = []
    cases = {"example": REPO / "mkdocs.yml"}
    for n in (25, 200):
        cases[f"synthetic-{n}"] = generate(tmp / f"pdf-{n}", n) / "mkdocs.yml"
    for name, config in cases.items():
        times, line = [], ""
        for _ in range(runs):
            seconds, line = timed(config, tmp / f"{name}.pdf")
            times.append(seconds)
        row = {"case": name, "median_s": round(statistics.median(times), 3),
               "min_s": round(min(times), 3), "max_s": round(max(times), 3),
               "target_s": TARGETS[name], "ok": statistics.median(times) < TARGETS[name],
               "summary": line}
        rows.append(row)
        print(f"  {name:15} median {row['median_s']:6.2f} s  (min {row['min_s']:.2f}, "
              f"max {row['max_s']:.2f})  target < {row['target_s']:.0f} s  "
              f"{'ok' if row['ok'] else 'MISSED'}\n  {'':15} {line}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "out" / "pdf.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        rows = pdf_rows(Path(scratch), args.runs)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
               "system": platform.platform()}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": machine, "runs": args.runs, "rows": rows}, indent=2))
    print(f"wrote {args.json}")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    main()
