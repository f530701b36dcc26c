"""Problems found in what a person gave us, and the exceptions that carry them.

Validation never stops at the first problem: the core collects every
:class:`Problem` it finds and returns them. A caller that must stop raises one of
the errors below with the whole list, so the person fixes everything in one pass.
Every error carries :attr:`PromoPacketError.problems`, each located as an editor
numbers lines; an error about no file in particular is located at ``promo``. One
method, :meth:`Problem.show`, writes a problem for a person, on the command line and in
the build's log alike::

    evidence/2026-02-04-dates.md:3: error: date: expected YYYY-MM-DD, got 'last spring'
      hint: e.g. 2026-03-14

Hierarchy::

    PromoPacketError          every error raised on purpose; .problems says what and where
    ├── InputError            problems in the evidence, rubric, plan, settings or an imported file
    ├── RequestError          what was asked cannot be done as asked; nothing was written
    │   ├── ScaffoldError     promo init / promo new: a folder in use, an unknown level or dimension
    │   └── PlanEditError     promo checkin: the plan cannot be edited without losing what was written
    ├── RenderError           a stage (page rendering, PDF) could not produce its output
    │   └── OfflineError      the build for opening from disk, or its zip
    └── RefusedError          sharing that cannot be proved safe (a self build published, a
                              password build where no plugin runs): refused, never done
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                               "\u202a-\u202e\u2066-\u2069]")
"""What a terminal acts on rather than shows: C0 and C1 controls (ESC starts a sequence that can
rewrite the screen or the title, set a link, answer back), and the bidirectional marks that make
text read in another order than it runs. Newline and tab are layout, and kept."""


def terminal_text(text: str) -> str:
    """``text`` safe to print to a terminal: each control character shown as its escape (``\\x1b``).

    Evidence, tickets and imported history are other people's words; every line the command
    line prints and every line the build logs passes through here, so none of it can drive the
    terminal it is read in.
    """
    return TERMINAL_CONTROLS.sub(lambda found: _escape(found.group()), text)


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Severity(str, enum.Enum):
    """How bad a problem is: errors stop a build; warnings are tips, which never do (only
    ``promo check --strict`` fails on them); notes say what was skipped."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def label(self) -> str:
        """The word a person reads before the problem: ``error``, ``tip`` or ``note``."""
        return "tip" if self is Severity.WARNING else self.value


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as an editor would number it.

    ``path`` is shown as given (the core passes paths relative to the packet
    root), ``line`` is 1-based or ``None`` for file-level problems, ``field`` is
    the front-matter or rubric field concerned, ``hint`` says how to fix it and
    ``code`` names the rule for warnings that can be silenced.
    """

    path: str
    line: int | None
    message: str
    field: str | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    code: str | None = None

    def __str__(self) -> str:
        return self.text()

    def show(self, label: str | None = None) -> str:
        """The problem as a person reads it: ``path:line: error: field: message``, then the hint
        on a line of its own. ``label`` stands in for the severity's word (the CLI colours it)."""
        first = self._located(label or self.severity.label)
        first += f" [{self.code}]" if self.code else ""
        return f"{first}\n  hint: {terminal_text(self.hint)}" if self.hint else first

    def text(self, label: str | None = None) -> str:
        """The problem on one line, the hint after a semicolon: for logs and tests that compare
        lines. ``label`` (``error``, ``tip``) goes after the location, where compilers put it."""
        text = self._located(label)
        text += f"; {terminal_text(self.hint)}" if self.hint else ""
        return f"{text} [{self.code}]" if self.code else text

    def _located(self, label: str | None) -> str:
        # The label is ours (the CLI colours it); every other part may come from what was read.
        path, message = terminal_text(self.path), terminal_text(self.message)
        where = path if self.line is None else f"{path}:{self.line}"
        if label:
            where = f"{where}: {label}"
        return f"{where}: {terminal_text(self.field)}: {message}" if self.field else f"{where}: {message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form, for ``promo check --format json``."""
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "severity": self.severity.value,
            "label": self.severity.label,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def quoted(value: str, limit: int = 80) -> str:
    """``value`` as a problem message quotes it: ``repr``, cut short so a problem stays one readable line."""
    return repr(value) if len(value) <= limit else f"{value[:limit]!r}..."


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 entry``, ``2 entries``: ``nouns`` when the plural is not ``noun`` + s."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file then line, the order an editor walks them."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


UNLOCATED = "promo"
"""Where a problem is said to be when it is about no file: the command, as compilers name themselves."""


def show_all(problems: Iterable[Problem]) -> str:
    """Each problem as :meth:`Problem.show` writes it, one after the other."""
    return "\n".join(problem.show() for problem in problems)


class PromoPacketError(Exception):
    """Base class of every error this package raises on purpose.

    It carries :attr:`problems`, located; one given as a message alone is located at
    :data:`UNLOCATED`. :attr:`nothing_written` says that the command stopped before writing
    anything, for the command line to say once.
    """

    nothing_written = False

    def __init__(self, problems: str | Problem | Sequence[Problem], *, hint: str | None = None,
                 nothing_written: bool | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(UNLOCATED, None, problems, hint=hint)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = sort_problems(problems)
        if nothing_written is not None:
            self.nothing_written = nothing_written
        super().__init__(self.describe())

    def describe(self) -> str:
        """The message: a lone problem that names no place as its text, else every problem shown."""
        if len(self.problems) == 1 and self.problems[0].path == UNLOCATED and self.problems[0].line is None:
            return self.problems[0].text().removeprefix(f"{UNLOCATED}: ")
        return show_all(self.problems)


class InputError(PromoPacketError):
    """The inputs have problems; :attr:`problems` lists every one of them."""

    def describe(self) -> str:
        errors = errors_in(self.problems)
        lines = [f"promo-packet found {plural(len(errors), 'problem')} in the packet's inputs:"]
        lines += ["  " + problem.show().replace("\n", "\n  ") for problem in errors]
        return "\n".join(lines)


class RenderError(PromoPacketError):
    """A rendering stage failed for a reason that is not the person's input."""


class RequestError(PromoPacketError):
    """What was asked (a command-line value, a file to create or edit) cannot be done as asked;
    the message says why and what to do, and nothing was written."""

    nothing_written = True


class ScaffoldError(RequestError):
    """A new packet or entry cannot be written as asked."""


class PlanEditError(RequestError):
    """The plan cannot be edited safely; the message says why, the file was not changed."""


class OfflineError(RenderError):
    """The offline build or its zip could not be made; the message says why."""


class RefusedError(PromoPacketError):
    """Something would publish what it must not; the message says why and what to do instead."""

    nothing_written = True
