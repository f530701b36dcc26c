"""Benchmark `promo import git` as a whole process on a synthetic repository.

    python bench/import_git.py [--prs 1000] [--direct 1000] [--runs 1]

The repository is written with `git fast-import` in about a second: ``--prs`` pull requests of
three commits each merged with a merge commit, and ``--direct`` commits straight on main
(5,000 commits and 1,000 pull requests by default), by two authors, with a GitHub remote.
Target (2-core machine): the import, drafts written, under 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "packet"
AUTHORS = ("me@example.com", "other@example.com")
TARGET = 10.0


def stream(prs: int, direct: int) -> bytes:
    """A fast-import stream: each round a direct commit on main, then a pull request merged."""
    out: list[str] = []
    mark, main, stamp = 0, 0, 1_700_000_000

    def commit(ref: str, message: str, parent: int, author: str, merge: int = 0) -> int:
        nonlocal mark, stamp
        mark, stamp = mark + 1, stamp + 600
        who = f"{author.split('@')[0]} <{author}> {stamp} +0000"
        data = message.encode()
        out.append(f"commit {ref}\nmark :{mark}\nauthor {who}\ncommitter {who}\n"
                   f"data {len(data)}\n{message}\n")
        if parent:
            out.append(f"from :{parent}\n")
        if merge:
            out.append(f"merge :{merge}\n")
        body = f"{message}\n" * 5
        out.append(f"M 644 inline src/area{mark % 37}/file{mark % 400}.py\ndata {len(body)}\n{body}\n")
        return mark

    for n in range(max(prs, direct)):
        if n < direct:
            main = commit("refs/heads/main", f"Direct change {n}", main, AUTHORS[n % 2])
        if n < prs:
            tip = main
            for step in range(3):
                tip = commit(f"refs/heads/pr{n % 50}", f"Work {n}.{step} on the incident tooling",
                             tip, AUTHORS[(n + step) % 2])
            main = commit("refs/heads/main", f"Merge pull request #{n + 1} from acme/pr{n}\n\n"
                          f"Pull request {n + 1}: faster checkout", main, AUTHORS[1], merge=tip)
    out.append("done\n")
    return "".join(out).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prs", type=int, default=1000)
    parser.add_argument("--direct", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "PYTHONPATH": str(REPO / "plugins")}
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "shop"
        started = time.perf_counter()
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], env=env, check=True)
        subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=repo, env=env, check=True,
                       input=stream(args.prs, args.direct))
        for setting in (["config", "user.email", AUTHORS[0]],
                        ["remote", "add", "origin", "git@github.com:acme/shop.git"]):
            subprocess.run(["git", *setting], cwd=repo, env=env, check=True)
        count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, env=env, check=True,
                               capture_output=True, text=True).stdout.strip()
        print(f"repository: {count} commits, {args.prs} pull requests, "
              f"{time.perf_counter() - started:.1f} s to build")
        for run in range(args.runs):
            packet = Path(tmp) / f"packet{run}"
            shutil.copytree(FIXTURE, packet)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "promo_packet", "import", "git", str(repo)],
                                  cwd=packet, env=env, capture_output=True, text=True, check=True)
            took = time.perf_counter() - started
            again = subprocess.run([sys.executable, "-m", "promo_packet", "import", "git", str(repo)],
                                   cwd=packet, env=env, capture_output=True, text=True, check=True)
            print(f"run {run + 1}: {took:.2f} s (target {TARGET:.0f} s): {done.stdout.strip()}")
            print(f"  again: {again.stdout.strip()}")
            print(f"  progress: {' | '.join(done.stderr.strip().splitlines())}")


if __name__ == "__main__":
    main()
