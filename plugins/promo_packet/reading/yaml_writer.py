"""The one way the project writes YAML: values as scalars, documents, comments, and files.

Text written into a YAML file comes from people and from other tools (a ladder's titles, a pull
request's title, a dimension id), so none of it is spliced in as it is: a value goes through
:func:`scalar` or :func:`document`, a remark through :func:`comment`, and the result is read back
by :func:`write_checked` before it replaces anything.

Characters YAML cannot hold in a file (ESC and the other control characters but tab and line
breaks, lone surrogates, U+FFFE and U+FFFF) are replaced with U+FFFD, the replacement character:
such a character in a title is never meant, a person editing the file sees where it stood, and an
import of an otherwise good ladder is not refused for it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, RequestError, errors_in
from .front_matter import split_front_matter
from .located_yaml import parse_yaml

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

REPLACEMENT = "\ufffd"
"""What stands in for a character YAML cannot hold."""
# PyYAML's reader refuses every character outside these, in values and comments alike.
_NOT_STORABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
_WIDE = 1 << 30  # never wrap: a scalar stays on its line
_PLAIN_WORDS = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ()._-]*[A-Za-z0-9)._])?")
"""Text the emitter writes as it is, and YAML reads back so, unless it is one of :data:`_YAML_WORDS`."""
_YAML_WORDS = frozenset(form for word in ("yes", "no", "true", "false", "on", "off", "null", "y", "n")
                        for form in (word, word.capitalize(), word.upper()))
"""Words YAML reads as a boolean or null."""


def storable(text: str) -> str:
    """``text`` with every character YAML cannot hold replaced by :data:`REPLACEMENT`."""
    return _NOT_STORABLE.sub(REPLACEMENT, text)


def _storable_data(data: Any) -> Any:
    if isinstance(data, str):
        return storable(data)
    if isinstance(data, dict):
        return {_storable_data(key): _storable_data(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_storable_data(item) for item in data]
    return data


def scalar(value: object) -> str:
    """``value`` as a YAML scalar on one line that reads back as ``value`` (a string after
    :func:`storable`) after a key and in a flow list or mapping alike.

    Plain when that reads back the same in both (``staff``, ``https://example.com/pull/4``),
    quoted otherwise (``'a, b'``, ``'yes'``, ``'1.10'``, ``'#1 priority'``); a line break is
    written ``\\n``.
    """
    if type(value) is str and _PLAIN_WORDS.fullmatch(value) and value not in _YAML_WORDS:
        return value  # most titles and ids: asking the emitter costs more than a page's card
    data = _storable_data(value)
    style = '"' if isinstance(data, str) and _LINE_BREAKS.search(data) else None
    after_key = _dumped(data, style).removesuffix("\n...\n").removesuffix("\n")
    if _reads_back_in_a_flow(after_key, data):
        return after_key
    # As the item of a flow list, the emitter quotes what a flow context would split (`a, b`, `x]`).
    return _dumped([data], style).removesuffix("\n")[1:-1]


def _dumped(data: Any, style: str | None) -> str:
    text: str = yaml.safe_dump(data, default_flow_style=True, default_style=style, width=_WIDE,
                               allow_unicode=True)
    return text


def _reads_back_in_a_flow(text: str, data: Any) -> bool:
    try:
        return bool(yaml.load(f"[{text}]", Loader=_Loader) == [data])
    except yaml.YAMLError:
        return False


def flow_list(values: Iterable[object]) -> str:
    """``[a, b]``: each value a :func:`scalar`."""
    return "[" + ", ".join(scalar(value) for value in values) + "]"


def document(data: Any, indent: str = "") -> str:
    """``data`` as block YAML, every line after ``indent``; keys in the order given."""
    text: str = yaml.safe_dump(_storable_data(data), sort_keys=False, allow_unicode=True, width=100,
                               default_flow_style=False)
    return "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def comment(text: str) -> str:
    """``# text`` on one line: a line break would end the comment and start YAML."""
    return "# " + " ".join(storable(text).split())


def write_checked(path: Path, text: str, read_back: Callable[[str], Iterable[Problem]]) -> None:
    """Replace ``path`` with ``text`` once ``read_back(text)`` reports no error.

    ``read_back`` reads the text as the project will read the file (the rubric, an evidence file,
    the plan) and may compare it with what was meant. Raises :class:`RequestError` with its
    problems, ``path`` untouched, when it reports an error or the text cannot be stored as UTF-8.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # A lone surrogate, which no file can hold; the YAML of the file is the reader's to judge.
        raise RequestError(Problem(str(path), text.count("\n", 0, exc.start) + 1,
                                   f"would hold the character U+{ord(text[exc.start]):04X}, which UTF-8 "
                                   "cannot store", hint="nothing was written")) from None
    errors = errors_in(read_back(text))
    if errors:
        raise RequestError([*errors, Problem(str(path), None, "would not read back as written, so it was "
                                             "left as it was")])
    write_atomically(path, text)


def front_matter_reading(path: Path, **meant: object) -> Callable[[str], list[Problem]]:
    """How :func:`write_checked` reads back a Markdown file with front matter written at ``path``:
    the problems of its YAML, and one for each field of ``meant`` (``dimensions=["scope"]``;
    None for a field that must be absent) that would read as something else.

    Only what the writer meant is checked: an entry the person is still to complete (no
    dimensions yet) is written as such.
    """
    def read_back(text: str) -> list[Problem]:
        split = split_front_matter(text)
        if split.front_matter is None:
            return [Problem(str(path), 1, "would have no front matter")]
        doc, problems = parse_yaml(split.front_matter, str(path), first_line=split.front_matter_line)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        return problems + [Problem(str(path), doc.line(key) if doc else None,
                                   f"{key} would read as {data.get(key)!r}, not {value!r}", field=key)
                           for key, value in meant.items() if data.get(key) != value]
    return read_back


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old file or the new, never half."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
