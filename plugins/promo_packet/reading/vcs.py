"""Reading a git repository without touching its work tree: the one way the package runs git."""

from __future__ import annotations

import subprocess
from pathlib import Path


def run_git(repo: Path, *args: str, given: bytes | None = None) -> subprocess.CompletedProcess[bytes] | None:
    """``git -C repo ARGS`` with ``given`` on its input; None when git cannot be run at all.

    Paths come as written (``core.quotePath=false``, not octal escapes), never through a pager.
    """
    try:
        return subprocess.run(["git", "-C", str(repo), "-c", "core.quotePath=false", "--no-pager", *args],
                              input=given, capture_output=True, check=False)
    except OSError:
        return None
