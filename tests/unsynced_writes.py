"""In the test processes a file's write is not forced to the disk (``os.fsync`` returns at once).

The project syncs each file it writes before it renames it into place, so that a power cut leaves
the old file or the new. No test can cut the power: what they check (a reader sees the old file
or the new, never half; nothing is overwritten) does not depend on the sync, which only made
each write wait on the disk (3,000 drafts written in one test took 8 to 23 s of wall time for 2 s
of processor time), and slowed every other test process writing to the same disk meanwhile.
"""

from __future__ import annotations

import os

import pytest


def unsynced(fd: int) -> None:
    """What ``os.fsync`` does in the tests: nothing."""


def pytest_configure(config: pytest.Config) -> None:
    os.fsync = unsynced
