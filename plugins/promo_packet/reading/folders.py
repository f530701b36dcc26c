"""Which files of the packet's folders are read: regular files inside the packet, nothing else.

The evidence and rubric folders are walked on every build and whatever is
read may be published. So a symbolic link is followed only while it stays
inside the packet's folder (each folder once, so a loop ends), and what is not
a regular file is never opened: reading a named pipe (FIFO) blocks forever, a
device may never end. Each file skipped for one of these reasons is a
problem on its path; a file the person meant as input (``*.md`` evidence,
``*.yml`` rubric) is an error, anything else a note.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Collection, Iterator
from pathlib import Path

from ..errors import Problem, Severity

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def real(path: Path) -> Path:
    """``path`` with every link resolved; unlike ``Path.resolve``, never raises on a loop of links."""
    return Path(os.path.realpath(path))


def bounds(*folders: Path | None) -> tuple[Path, ...]:
    """The resolved folders a file must lie in: the packet's folder and the input's own."""
    return tuple(real(folder) for folder in folders if folder is not None)


def file_problem(path: Path, shown: str, inside: Collection[Path], *, wanted: bool) -> Problem | None:
    """Why ``path`` must not be read, if it must not: a link to nothing, a link leaving
    ``inside`` (when given), or something other than a regular file or folder."""
    severity = Severity.ERROR if wanted else Severity.NOTE
    try:
        if path.is_symlink():
            try:
                os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return Problem(shown, None, "a symbolic link in a loop of links: it never reaches a file",
                                   hint="remove the link", severity=severity)
                return Problem(shown, None, f"a symbolic link to {os.readlink(path)!r}, which does not exist",
                               hint="remove the link, or restore what it points to", severity=severity)
            if inside and not any(real(path).is_relative_to(folder) for folder in inside):
                return Problem(shown, None, "not read: a symbolic link to outside the packet's folder",
                               hint="copy what it points to into the packet if it belongs in it",
                               severity=severity)
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None  # missing: each caller says what it expected there
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = getattr(exc, "strerror", None) or exc
        return Problem(shown, None, f"cannot read: {reason}", severity=severity)
    for test, kind in _KINDS:
        if test(mode):
            return Problem(shown, None, f"not read: {kind}, not a regular file",
                           hint="move it out of the packet's folders", severity=severity)
    return None


MAX_FILE_BYTES = 16 * 1024 * 1024
"""The largest single file read: a packet's files are text a person wrote, far smaller."""


def read_named(path: Path, shown: str, *, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, Problem | None]:
    """The bytes of a file a person named (an option, an argument), read under the walk's rules:
    a named pipe, a socket, a device or a dangling link is refused rather than opened (it would
    block the read, or never end it), and no more than ``limit`` bytes are read. A missing file
    gives neither bytes nor a problem: each caller says what it expected there."""
    problem = file_problem(path, shown, (), wanted=True)
    if problem is not None:
        return None, problem
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, Problem(shown, None, f"cannot read: {exc.strerror or exc}")
    if len(raw) > limit:
        return None, Problem(shown, None, f"larger than {limit:,} bytes", hint="name the file it should be")
    return raw, None


def read_named_text(path: Path, shown: str, encoding: str = "utf-8") -> tuple[str | None, Problem | None]:
    """:func:`read_named` as text in ``encoding``; text that is not is a problem."""
    raw, problem = read_named(path, shown)
    if raw is None:
        return None, problem
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError:
        return None, Problem(shown, None, f"cannot read: not {encoding.removesuffix('-sig')} text")


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def walk(folder: Path, base: str, inside: Collection[Path], problems: list[Problem],
         wanted: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Regular files under ``folder`` and their paths relative to it, in a stable order,
    skipping hidden files and folders; what is skipped for another reason goes to ``problems``.

    ``base`` is how ``folder`` is shown in problems, ``wanted`` the suffixes of
    the files the person means as input.
    """
    seen = {real(folder): base}
    stack = [(folder, "", base)]
    while stack:
        current, prefix, where = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(where, None, f"cannot read the folder: {exc.strerror}"))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            shown = relative if base == "." else f"{base}/{relative}"
            path = Path(entry.path)
            # d_type answers these without a system call; only links and oddities cost more.
            if entry.is_file(follow_symlinks=False):
                yield path, relative
                continue
            if entry.is_dir(follow_symlinks=False) and not entry.is_symlink():
                folders.append((path, relative, shown))
                continue
            is_dir = _is_dir(path)
            problem = file_problem(path, shown, inside, wanted=is_dir or path.suffix.lower() in wanted)
            if problem is not None:
                problems.append(problem)
            elif is_dir:
                folders.append((path, relative, shown))
            else:
                yield path, relative
        # Real folders claim their place before links to them do.
        folders.sort(key=lambda item: item[0].is_symlink())
        followed = []
        for path, relative, shown in folders:
            resolved = real(path)
            if resolved in seen:
                problems.append(Problem(shown, None, f"ignored: the same folder as {seen[resolved]}",
                                        severity=Severity.NOTE))
                continue
            seen[resolved] = shown
            followed.append((path, relative + "/", shown))
        stack.extend(sorted(followed, reverse=True))


def shown_path(path: Path, root: Path | None) -> str:
    """``path`` relative to the packet root when inside it, as problems show it."""
    if root is not None:
        try:
            # realpath, not resolve(): a loop of links must not raise here.
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()
        except ValueError:
            pass
    return str(path)
