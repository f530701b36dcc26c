"""The order xdist hands out units of tests in (tests/scheduling.py): the longest first."""

from __future__ import annotations

from scheduling import SECONDS, longest_to_shortest, scope_of

SERVE = "tests/hosts/test_serve.py"


def units(*nodeids: str) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for nodeid in nodeids:
        grouped.setdefault(scope_of(nodeid), []).append(nodeid)
    return grouped


def test_the_serve_tests_are_units_of_their_own_and_other_modules_one_each() -> None:
    found = units(f"{SERVE}::test_a", f"{SERVE}::test_b[x-y]", "tests/x/test_y.py::test_a",
                  "tests/x/test_y.py::test_b[1]", "tests/x/test_y.py::Group::test_c")
    assert found == {f"{SERVE}::test_a": [f"{SERVE}::test_a"],
                     f"{SERVE}::test_b[x-y]": [f"{SERVE}::test_b[x-y]"],
                     "tests/x/test_y.py": ["tests/x/test_y.py::test_a", "tests/x/test_y.py::test_b[1]"],
                     "tests/x/test_y.py::Group": ["tests/x/test_y.py::Group::test_c"]}


def test_slow_modules_go_first_by_their_seconds_then_others_by_their_number_of_tests() -> None:
    many = [f"tests/x/test_many.py::test_{n}" for n in range(30)]
    order = longest_to_shortest(units(
        "tests/x/test_one.py::test_a", *many, "tests/render/test_pdf.py::test_a",
        "tests/sharing/test_sharing.py::test_a", f"{SERVE}::test_a", f"{SERVE}::test_b"))
    assert SECONDS["tests/sharing/test_sharing.py"] > SECONDS["tests/render/test_pdf.py"]
    assert order == ["tests/sharing/test_sharing.py", "tests/render/test_pdf.py", f"{SERVE}::test_a",
                     f"{SERVE}::test_b", "tests/x/test_many.py", "tests/x/test_one.py"]
