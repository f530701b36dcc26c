"""The order in which ``--dist loadscope`` hands modules to the workers: the longest first.

A run lasts as long as its busiest worker. xdist hands out modules in order of their number of
tests, so a module of a few long tests (a ``mkdocs serve`` waiting on a save, axe in chromium)
came last and ran alone at the end while the other workers sat idle. Handed out longest first,
the short modules fill in the gaps at the end instead (longest-processing-time scheduling).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sized
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from xdist.remote import Producer
    from xdist.scheduler import LoadScopeScheduling

SECONDS = {
    "tests/sharing/test_sharing.py": 95,
    "tests/sharing/test_secrets.py": 72,
    "tests/sharing/test_browser.py": 66,
    "tests/hosts/test_engines.py": 60,
    "tests/render/test_accessibility.py": 60,
    "tests/render/test_pdf.py": 45,
    "tests/sharing/test_seal.py": 44,
    "tests/hosts/test_serve.py": 43,
    "tests/hosts/test_binder.py": 37,
    "tests/render/test_injection.py": 27,
    "tests/hosts/test_sealed_binder.py": 22,
    "tests/hosts/test_export.py": 22,
    "tests/render/test_layout.py": 19,
    "tests/cli/test_cli.py": 19,
    "tests/hosts/test_signed_quotes.py": 16,
    "tests/sharing/test_publish_guard.py": 13,
    "tests/model/test_core.py": 13,
    "tests/cli/test_errors.py": 12,
    "tests/hosts/test_scaling.py": 11,
    "tests/authoring/test_drafts_flow.py": 9,
    "tests/model/test_audience.py": 9,
    "tests/reading/test_hostile_input.py": 8,
}
"""The summed wall time of each slow module's tests in a run of three workers on two cores, in
seconds, roughly: only the order matters. Every other module is estimated from its number of
tests."""
SECONDS_PER_TEST = 0.1

ONE_BY_ONE = {"tests/hosts/test_serve.py"}
"""Modules whose tests share no fixture and spend their time waiting on a process of their own:
each test is a unit of its own, so they spread over the workers instead of queueing on one."""


def scope_of(nodeid: str) -> str:
    """The unit ``nodeid`` is handed out in: its module (or class), or itself in :data:`ONE_BY_ONE`."""
    if nodeid.split("::", 1)[0] in ONE_BY_ONE:
        return nodeid
    return nodeid.rsplit("::", 1)[0]


def longest_to_shortest(units: Mapping[str, Sized]) -> list[str]:
    """The units (scope: its tests) by their estimated seconds, longest first; a slow module cut
    into several units shares its seconds out equally."""
    shares = Counter(scope.split("::", 1)[0] for scope in units)

    def seconds(scope: str) -> float:
        module = scope.split("::", 1)[0]
        if module in SECONDS:
            return SECONDS[module] / shares[module]
        return len(units[scope]) * SECONDS_PER_TEST

    return sorted(units, key=seconds, reverse=True)


def longest_first(config: pytest.Config, log: Producer) -> LoadScopeScheduling:
    from xdist.scheduler import LoadScopeScheduling

    class LongestFirst(LoadScopeScheduling):
        sorted = False

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

        def _assign_work_unit(self, node: object) -> None:
            # The queue is whole by the first assignment: order it once, then xdist pops from its head.
            if not self.sorted:
                for scope in longest_to_shortest(self.workqueue):
                    self.workqueue.move_to_end(scope)
                self.sorted = True
            super()._assign_work_unit(node)  # type: ignore[arg-type]

    return LongestFirst(config, log)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # a hook of xdist's: none without it
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    if config.getvalue("dist") != "loadscope":
        return None
    return longest_first(config, log)
