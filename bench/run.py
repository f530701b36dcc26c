"""Benchmark the whole packet build against plain MkDocs and Material's blog plugin.

    python bench/run.py [--sizes 100 1000 5000] [--runs 5] [--json bench/out/run.json]
    python bench/run.py --quick     # small sizes, one run: checks the script, not the code
    python bench/run.py --only preview [--preview-size 200] [--runs 5]   # the preview stage alone

Every figure is a whole process (`mkdocs build`, `promo pdf`, `mkdocs serve`), timed
from the outside over several runs, medians shown; peak memory is the process's maximum
resident set. Build runs are interleaved (ours, floor, peer, ours, ...), each into a fresh
site/ (the previous one is removed untimed), and ratios between them are the median of the
run-by-run ratios.
The same synthetic entries (bench/synthetic.py) are laid out three ways:

ours    the promo-packet plugin over evidence/ (site only: the PDF is its own stage below);
floor   the same Markdown files as plain pages, same theme, plugins and extensions, not in the nav,
        beside hand-written pages in a navigation of the packet's shape (bench/synthetic.py);
peer    the entries as posts of Material's blog plugin (at the middle size only: it is slow).

Then the PDF stage alone (bench/pdf.py), the commands run after every edit (`promo check` and
`promo new` at the middle size, bench/quick.py), and the preview: under `mkdocs serve`, the time from
saving one entry's file to its new text showing in a tab open in headless Chromium, for our
packet and for the floor's site (what MkDocs' own serve costs), both servers up at once and
their edits interleaved, at 200 entries (``--preview-size``): at most half MkDocs' own, as our
serve rebuilds only the pages an edit changes.
It prints a table, checks the targets, writes JSON and exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from binder import binder_rows
from pdf import pdf_rows
from quick import quick_rows
from synthetic import entries, generate

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")
ENV = {**os.environ, "PROMO_PDF": "0", "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}
# Python's bytecode cache, as on a user's machine; some sandboxes turn it off, which would have
# every run compile the plugin's modules again (the installed packages come compiled).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
SERVE_TIMEOUT = 120.0
PREVIEW_SIZE = 200
PREVIEW_TARGET = 0.5
"""Save -> visible at most half MkDocs' own serve: ours rebuilds only what an edit changes."""
SERVE, SERVE_FLOOR = "serve", "serve-floor"


@dataclass
class Timing:
    """Several whole-process runs of one command."""

    name: str
    n: int
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        return max(self.seconds) - min(self.seconds)

    def row(self) -> dict[str, object]:
        return {**asdict(self), "median_s": round(self.median, 3), "spread_s": round(self.spread, 3),
                "peak_mb": round(max(self.peak_mb), 1) if self.peak_mb else None}


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def fresh(root: Path) -> None:
    """Remove ``root``'s site: each timed build writes a whole new one, and none pays for
    deleting the one before (MkDocs cleans it in place, our plugin swaps it out)."""
    shutil.rmtree(root / "site", ignore_errors=True)


def same_markdown(ours: Path, floor: Path) -> None:
    """Stop unless the floor's pages are our evidence files, byte for byte."""
    evidence = {p.relative_to(ours / "evidence"): p.read_bytes() for p in (ours / "evidence").rglob("*.md")}
    pages = {p.relative_to(floor / "docs" / "evidence"): p.read_bytes()
             for p in (floor / "docs" / "evidence").rglob("*.md")}
    if not evidence or evidence != pages:
        raise SystemExit(f"the floor at {floor} is not the Markdown of the packet at {ours}")


def build(sites: dict[str, Path], n: int, runs: int) -> list[Timing]:
    """Time `mkdocs build` of each site, runs interleaved so drift in the machine hits all alike."""
    commands = {name: [str(MKDOCS), "build", "--quiet", "-f", str(root / "mkdocs.yml"),
                       "-d", str(root / "site")] for name, root in sites.items()}
    timings = {name: Timing(name, n) for name in sites}
    for name, command in commands.items():
        measure(command, sites[name])  # warm the file cache and Python's bytecode; not counted
    for _ in range(runs):
        for name, command in commands.items():
            fresh(sites[name])
            seconds, peak = measure(command, sites[name])
            timings[name].seconds.append(seconds)
            timings[name].peak_mb.append(peak)
    for timing in timings.values():
        print(f"  {timing.name:5} N={n:<5} median {timing.median:7.2f} s  spread {timing.spread:5.2f} s  "
              f"peak {max(timing.peak_mb):6.0f} MB", flush=True)
    return list(timings.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, ready: Callable[[str], bool], deadline: float) -> float:
    """Poll ``url`` until its body satisfies ``ready``; the moment it did."""
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {url}")


@contextlib.contextmanager
def serving(root: Path, page: str) -> Iterator[str]:
    """`mkdocs serve` of ``root`` on a free port; yields the URL of ``page`` once it answers."""
    address = f"127.0.0.1:{free_port()}"
    url = f"http://{address}/{page}"
    command = [str(MKDOCS), "serve", "-f", str(root / "mkdocs.yml"), "-a", address]
    server = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(url, lambda body: "<title>" in body, time.perf_counter() + SERVE_TIMEOUT)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # stuck in a rebuild: nothing of it is needed any more
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


SHOWS = "marker => document.body !== null && document.body.innerText.includes(marker)"
"""True once the tab shows ``marker``: polled in the page every 10 ms, so the time is the reload's."""


def serve_rebuilds(sites: dict[str, Path], n: int, runs: int) -> list[Timing]:
    """Seconds from saving one entry's file to its new title showing in an open browser tab.

    ``sites`` maps ``serve`` to our packet and ``serve-floor`` to the same entries as plain
    pages. Both servers run at once, each page open in its own tab of one headless Chromium,
    reloaded by the engine's own live reload (nothing here reloads it), and the edits alternate
    between them, as build runs do.
    """
    from playwright.sync_api import sync_playwright

    item = next(e for e in entries(n) if "visibility: committee" in e.fields["visibility"])
    pages = {SERVE: f"evidence/{item.slug}/", SERVE_FLOOR: f"evidence/{item.day.year}/{item.slug}/"}
    sources = {name: next(root.rglob(f"evidence/**/{item.slug}.md")) for name, root in sites.items()}
    originals = {name: source.read_text() for name, source in sources.items()}
    timings = {name: Timing(name, n) for name in sites}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(serving(root, pages[name])) for name, root in sites.items()}

        @stack.callback
        def restore() -> None:
            for name, source in sources.items():
                source.write_text(originals[name])

        browser = stack.enter_context(sync_playwright()).chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        tabs = {}
        for name, url in urls.items():
            tabs[name] = browser.new_page()
            tabs[name].goto(url, wait_until="load")
        for run in range(runs):
            for name, source in sources.items():
                marker = f"Rebuilt{run}x"
                time.sleep(1.5)  # let the watcher settle on the current state of the folder
                written = time.perf_counter()
                source.write_text(originals[name].replace("title: ", f"title: {marker} ", 1))
                tabs[name].wait_for_function(SHOWS, arg=marker, timeout=SERVE_TIMEOUT * 1000, polling=10)
                timings[name].seconds.append(time.perf_counter() - written)
    for timing in timings.values():
        print(f"  {timing.name:11} N={n:<5} median {timing.median:7.2f} s  spread {timing.spread:5.2f} s",
              flush=True)
    return list(timings.values())


def preview(tmp: Path, n: int, runs: int) -> list[Timing]:
    """The preview stage at ``n`` entries, on the sites the build stage made at that size if any."""
    sites = {SERVE: tmp / f"ours-{n}", SERVE_FLOOR: tmp / f"floor-{n}"}
    for root, layout in zip(sites.values(), ("packet", "floor"), strict=True):
        if not root.is_dir():
            generate(root, n, layout=layout)
    same_markdown(sites[SERVE], sites[SERVE_FLOOR])
    print(f"preview: save one entry -> its new title visible in an open browser tab ({runs} edits each):",
          flush=True)
    return serve_rebuilds(sites, n, runs)


def preview_check(ours: Timing, floor: Timing) -> tuple[str, float, float]:
    return (f"save -> visible in the browser / MkDocs' own serve of the floor at N={ours.n}",
            paired(ours, floor), PREVIEW_TARGET)


def preview_only(args: argparse.Namespace) -> None:
    """``--only preview``: the preview stage, its check and its JSON."""
    with tempfile.TemporaryDirectory(prefix="promo-bench-") as scratch:
        ours, floor = preview(Path(scratch), args.preview_size, args.runs)
    name, value, target = preview_check(ours, floor)
    print(f"\n| check | value | target | |\n|---|---:|---:|---|\n"
          f"| {name} | {value:.2f} | <= {target:.2f} | {'ok' if value <= target else 'MISSED'} |")
    for timing in (ours, floor):
        print(f"  {timing.name:11} runs: {', '.join(f'{s:.2f}' for s in timing.seconds)} s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "machine": machine_info(), "runs": args.runs, "timings": [ours.row(), floor.row()],
        "checks": [{"check": name, "value": value, "target": target, "ok": value <= target}],
    }, indent=2))
    print(f"wrote {args.json}")
    sys.exit(0 if args.quick or value <= target else 1)


def ratio(a: float, b: float) -> float:
    return round(a / b, 3)


def paired(a: Timing, b: Timing) -> float:
    """The median of run-by-run ratios: runs were interleaved, so each pair met the same machine.

    On a shared machine the speed drifts by tens of percent within a minute; a ratio of
    medians taken minutes apart measures the drift as much as the code.
    """
    return round(statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True)), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=3, default=[100, 1000, 5000], metavar="N",
                        help="small, middle (peer) and large packet sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="default: bench/out/run.json")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 20 50 100, one run, JSON to bench/out/quick.json, exit 0: a check "
                             "that the script runs (under a minute); the ratios mean nothing at these sizes")
    parser.add_argument("--preview-size", type=int, default=PREVIEW_SIZE, metavar="N",
                        help=f"entries in the preview stage's packet (default {PREVIEW_SIZE})")
    parser.add_argument("--only", choices=["preview"], default=None,
                        help="run this stage alone (its JSON to bench/out/preview.json)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs, args.preview_size = [20, 50, 100], 1, 50
    kind = "quick" if args.quick else args.only or "run"
    args.json = args.json or REPO / "bench" / "out" / f"{kind}.json"
    if args.only == "preview":
        preview_only(args)
        return
    _, middle, large = args.sizes
    shown = args.preview_size
    started = time.perf_counter()
    timings: dict[tuple[str, int], Timing] = {}
    with tempfile.TemporaryDirectory(prefix="promo-bench-") as scratch:
        tmp = Path(scratch)
        print(f"site builds ({args.runs} runs each, after one warm-up run):", flush=True)
        for n in args.sizes:
            sites = {name: generate(tmp / f"{name}-{n}", n, layout=layout)
                     for name, layout in (("ours", "packet"), ("floor", "floor"), ("peer", "blog"))
                     if name != "peer" or n == middle}
            same_markdown(sites["ours"], sites["floor"])
            for timing in build(sites, n, args.runs):
                timings[timing.name, n] = timing
        for timing in preview(tmp, shown, args.runs):
            timings[timing.name, shown] = timing
        print("PDF stage (promo pdf):", flush=True)
        pdf = pdf_rows(tmp, args.runs)
        print(f"quick commands (promo check and promo new, N={middle}):", flush=True)
        quick = quick_rows(tmp, middle, args.runs)
        people = [2, 4] if args.quick else [10, 40]
        print(f"binder (promo binder from bundles of 50 entries, {people[0]} and {people[1]} people):",
              flush=True)
        binder_dir = tmp / "binder"
        binder_dir.mkdir()
        _, binders = binder_rows(binder_dir, people, 50)
        for row in binders:
            print(f"  {row['people']:>3.0f} people  {row['seconds']:7.2f} s  peak {row['peak_mb']:6.0f} MB",
                  flush=True)

    def median(name: str, n: int) -> float:
        return timings[name, n].median

    def peak(name: str, n: int) -> float:
        return max(timings[name, n].peak_mb)

    def pair(name: str, other: str, n: int) -> float:
        return paired(timings[name, n], timings[other, n])

    checks: list[tuple[str, float, float]] = [
        (f"ours / floor at N={middle}", pair("ours", "floor", middle), 1.15),
        (f"ours / floor at N={large}", pair("ours", "floor", large), 1.25),
        (f"ours N={large} / ours N={middle}", ratio(median("ours", large), median("ours", middle)),
         1.1 * large / middle),
        (f"ours / peer at N={middle}", pair("ours", "peer", middle), 0.5),
        preview_check(timings[SERVE, shown], timings[SERVE_FLOOR, shown]),
        (f"peak memory ours / floor at N={large}", ratio(peak("ours", large), peak("floor", large)), 2.0),
    ] + [(f"PDF {row['case']} (s)", float(str(row["median_s"])), float(str(row["target_s"])))
         for row in pdf] + [
        (f"{row['case']} at N={row['n']} (s)", float(str(row["median_s"])), float(str(row["target_s"])))
         for row in quick] + [
        (f"binder of {people[1]} bundles of 50 entries (s)", binders[-1]["seconds"], 60.0),
        # People are streamed when the peak does not grow with them beyond the index's own rows.
        (f"binder peak memory, {people[1]} people / {people[0]} people",
         ratio(binders[-1]["peak_mb"], binders[0]["peak_mb"]), 1.2),
    ]
    print("\n| N | ours (s) | floor (s) | peer (s) | ours / floor | peak MB ours / floor |"
          "\n|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        peer_s = f"{median('peer', n):.2f}" if ("peer", n) in timings else "-"
        print(f"| {n} | {median('ours', n):.2f} | {median('floor', n):.2f} | "
              f"{peer_s} | {pair('ours', 'floor', n):.2f} | {peak('ours', n):.0f} / {peak('floor', n):.0f} |")
    print("\n| check | value | target | |\n|---|---:|---:|---|")
    for name, value, target in checks:
        print(f"| {name} | {value:.2f} | <= {target:.2f} | {'ok' if value <= target else 'MISSED'} |")
    reference = [(f"serve rebuild / floor build at N={shown}",
                  ratio(median(SERVE, shown), median("floor", shown)))] if ("floor", shown) in timings else []
    for name, value in reference:
        print(f"| {name} | {value:.2f} | (reference) | |")
    machine = machine_info()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "machine": machine, "runs": args.runs,
        "timings": [t.row() for t in timings.values()], "pdf": pdf, "quick": quick, "binder": binders,
        "checks": [{"check": name, "value": value, "target": target, "ok": value <= target}
                   for name, value, target in checks],
        "reference": [{"check": name, "value": value} for name, value in reference],
    }, indent=2))
    print(f"\nmachine: {machine['cpus']} CPUs, {machine['processor']}, Python {machine['python']}")
    print(f"wrote {args.json} in {time.perf_counter() - started:.0f} s")
    if args.quick:
        print("--quick: start-up dominates at these sizes, so the checks above test nothing")
        sys.exit(0)
    sys.exit(0 if all(value <= target for _, value, target in checks) else 1)


def machine_info() -> dict[str, object]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "system": platform.platform(), "processor": cpu_name()}


def cpu_name() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor()
    found = re.search(r"^model name\s*:\s*(.+)$", info, re.MULTILINE)
    return found.group(1) if found else platform.processor()


if __name__ == "__main__":
    main()
