"""Benchmark ``promo binder`` from bundles: 40 bundles of 50 entries each, under 60 s.

    python bench/binder.py [--people 10 40] [--entries 50] [--json bench/out/binder.json]

One synthetic packet (bench/synthetic.py) of ``--entries`` entries is exported once with
``promo export``; each person's bundle is a copy of it under their own name (in its facts and its
PDF's metadata, which the binder checks against each other), so what is timed is the binding
alone. Each binder runs as a process of its own; its peak memory is the largest resident size of
it and its children, for each number of people. Pages, search and the PDF are written one person
at a time, so the peak should grow only with the index (guide/docs/performance.md): bench/run.py
holds the ratio of 40 people's peak to 10 people's to 1.2 at most.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from synthetic import generate

PROMO = Path(sys.executable).with_name("promo")
TARGET_SECONDS = 60.0
MEASURE = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")


def renamed(bundle: Path, target: Path, person: str) -> None:
    """A copy of ``bundle`` for ``person``: the facts and the PDF's author say their name."""
    from pypdf import PdfReader, PdfWriter

    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        facts = json.loads(source.read("facts.json"))
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "facts.json":
                facts["person"]["name"] = person
                data = json.dumps(facts).encode()
            elif info.filename == facts["pdf"]:
                writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
                writer.add_metadata({"/Author": person})
                buffer = io.BytesIO()
                writer.write(buffer)
                data = buffer.getvalue()
            out.writestr(info, data)


def bind(folder: Path, people: int, bundle: Path) -> dict[str, float]:
    folder.mkdir()
    lines = []
    for index in range(people):
        renamed(bundle, folder / f"p{index}.zip", f"Person {index:03d}")
        lines.append(f"  - p{index}.zip\n")
    (folder / "BINDER.yml").write_text(f"title: Bench\ncycle: 2026 H2\npackets:\n{''.join(lines)}")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, str(PROMO), "binder", str(folder / "BINDER.yml"),
                           "-o", str(folder / "out")], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak_mb = int(done.stdout.split()[-1]) / 1024
    return {"people": people, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}


def binder_rows(scratch: Path, people: list[int], entries: int) -> tuple[float, list[dict[str, float]]]:
    """Export one synthetic packet of ``entries`` entries, then bind it for each number of
    ``people``: the export's seconds, and each binder's seconds and peak memory."""
    root = generate(scratch / "packet", entries)
    bundle = scratch / "bundle.zip"
    started = time.perf_counter()
    subprocess.run([str(PROMO), "export", "-f", str(root / "mkdocs.yml"), str(bundle)], check=True,
                   capture_output=True)
    export = time.perf_counter() - started
    return export, [bind(scratch / f"binder-{n}", n, bundle) for n in people]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, nargs="+", default=[10, 40])
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="promo-bench-binder-") as scratch:
        export, runs = binder_rows(Path(scratch), args.people, args.entries)
    result = {"machine": f"{platform.machine()}, {platform.python_version()}", "entries": args.entries,
              "export_seconds": round(export, 2), "runs": runs, "target_seconds": TARGET_SECONDS}
    for run in runs:
        verdict = "ok" if run["seconds"] < TARGET_SECONDS else "OVER"
        print(f"{run['people']:>3} people x {args.entries} entries: {run['seconds']:.1f} s "
              f"(target {TARGET_SECONDS:.0f} s, {verdict}), peak {run['peak_mb']:.0f} MB")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
