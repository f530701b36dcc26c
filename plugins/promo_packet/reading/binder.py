"""A binder's inputs: ``BINDER.yml``, and the committee bundles it binds.

``BINDER.yml`` names a title, a cycle and the packets, each a bundle zip or a packet folder
(relative to ``BINDER.yml``) or ``{git: URL, ref: REF}``. A bundle is what ``promo export``
writes: ``facts.json`` (:data:`BUNDLE_FORMAT`), the committee PDF and the committee site under
``site/``. Everything read here is someone else's file: every key is known, every path exists,
every zip entry stays inside its folder and the whole expands within :data:`MAX_BUNDLE_BYTES`,
or it is a located problem.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from ..errors import Problem
from .fields import FieldReader, describe
from .folders import read_named_text
from .located_yaml import parse_yaml

BUNDLE_FORMAT = 1
"""The version of ``facts.json`` this package writes and reads; a newer one is refused."""
FACTS = "facts.json"
SITE = "site"
COMMITTEE = "committee"
BINDER_KEYS = ("title", "cycle", "packets")
GIT_KEYS = ("git", "ref")
MAX_BUNDLE_BYTES = 512 * 1024 * 1024
"""What one bundle may expand to: a packet's site and PDF take a few megabytes."""
MAX_ENTRY_RATIO = 200
"""How many times its compressed size one entry may expand to; text compresses about tenfold."""
RATIO_FLOOR = 1024 * 1024
"""Entries smaller than this are not judged by their ratio: a page of repeated markup may be tiny."""
MAX_FACTS_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class PacketSource:
    """One item of ``packets:``: a bundle, a folder, or a git repository at a ref."""

    index: int
    line: int | None
    path: Path | None = None
    git: str | None = None
    ref: str | None = None
    written: str = ""
    """The path as BINDER.yml writes it, as problems show it."""

    @property
    def is_bundle(self) -> bool:
        return self.path is not None and self.path.is_file()

    @property
    def shown(self) -> str:
        return f"{self.git}@{self.ref}" if self.git else self.written


@dataclass(frozen=True)
class Binder:
    title: str
    cycle: str
    packets: tuple[PacketSource, ...]
    path: Path
    """``BINDER.yml`` itself; paths of packets are relative to its folder."""

    @property
    def shown(self) -> str:
        return self.path.name

    def where(self, source: PacketSource) -> tuple[str, int | None, str]:
        """A problem's place for ``source``: file, line and ``packets[N]``."""
        return self.shown, source.line, f"packets[{source.index}]"

    def problem(self, source: PacketSource, message: str, hint: str | None = None) -> Problem:
        path, line, name = self.where(source)
        return Problem(path, line, message, field=name, hint=hint)


def read_binder(path: Path) -> tuple[Binder | None, list[Problem]]:
    """``BINDER.yml`` as a :class:`Binder`, or None and every problem found in it."""
    shown = path.name
    text, problem = read_named_text(path, shown)
    if text is None:
        return None, [problem or Problem(shown, None, "not found")]
    doc, problems = parse_yaml(text, shown)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [*problems, Problem(shown, 1, f"expected a mapping of fields, got {describe(doc.data)}",
                                         hint="write title:, cycle: and packets:")]
    read = FieldReader(doc, shown, problems)
    _unknown(read, doc.data, (), BINDER_KEYS)
    title = read.text(doc.data, ("title",), required=True) or ""
    cycle = read.text(doc.data, ("cycle",), required=True) or ""
    value = doc.data.get("packets")
    if not isinstance(value, list) or not value:
        read.report(("packets",), f"expected a list of packets, got {describe(value)}",
                    "one item per packet: a bundle zip, a packet folder, or {git: URL, ref: REF}")
        return None, problems
    packets = []
    for index, item in enumerate(value):
        source = _source(read, path.parent, index, item)
        if source is not None:
            packets.append(source)
    if any(p.is_error for p in problems):
        return None, problems
    return Binder(title, cycle, tuple(packets), path), problems


def _unknown(read: FieldReader, mapping: dict[str, Any], key: tuple[str | int, ...],
             known: tuple[str, ...]) -> None:
    # Fail closed: a misspelt key would otherwise bind something other than what was meant.
    for name in mapping:
        if name not in known:
            read.report((*key, name), "unknown key", f"known keys: {', '.join(known)}")


def _source(read: FieldReader, folder: Path, index: int, item: object) -> PacketSource | None:
    key: tuple[str | int, ...] = ("packets", index)
    line = read.doc.line(*key)
    if isinstance(item, dict):
        _unknown(read, item, key, GIT_KEYS)
        url = read.text(item, (*key, "git"), required=True)
        ref = read.text(item, (*key, "ref"), required=True)
        if url is None or ref is None:
            return None
        if url.startswith("-") or ref.startswith("-"):
            read.report(key, "a git URL or ref cannot start with '-'")
            return None
        return PacketSource(index, line, git=url, ref=ref)
    if not isinstance(item, str) or not item.strip():
        read.report(key, f"expected a path or {{git: URL, ref: REF}}, got {describe(item)}")
        return None
    path = folder / item.strip()
    if not path.exists():
        read.report(key, f"{item.strip()!r} does not exist", "paths are relative to the binder's folder")
        return None
    if path.is_dir() and not (path / "mkdocs.yml").is_file():
        read.report(key, f"{item.strip()!r} is a folder without mkdocs.yml", "name a packet's folder")
        return None
    if path.is_file() and path.suffix.lower() != ".zip":
        read.report(key, f"{item.strip()!r} is not a bundle (.zip) or a packet folder")
        return None
    return PacketSource(index, line, path=path, written=item.strip())


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    status: str
    reason: str


@dataclass(frozen=True)
class Facts:
    """What a bundle says of its packet: the index row and the grid's column of one person."""

    person: str
    current_level: str | None
    target_level: str
    target_title: str
    ladder: str
    levels: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    pdf: str
    built: str
    verified_quotes: int | None = None
    commit: str | None = None


def bundle_members(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], list[str]]:
    """The files of a bundle, or why it cannot be opened safely: an entry outside its folder, an
    absolute path, a link, or more than it may expand to (in all, or by its ratio)."""
    files, reasons, total = [], [], 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if info.filename.startswith(("/", "\\")) or "\\" in info.filename or ":" in name.parts[0] \
                or ".." in name.parts:
            reasons.append(f"the entry {info.filename!r} would be written outside the bundle's folder")
            continue
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            reasons.append(f"the entry {info.filename!r} is a symbolic link")
            continue
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_ENTRY_RATIO:
            reasons.append(f"the entry {info.filename!r} expands {ratio} times (more than "
                           f"{MAX_ENTRY_RATIO}): a zip bomb")
        files.append(info)
    if total > MAX_BUNDLE_BYTES:
        reasons.append(f"it expands to {total:,} bytes, over the limit of {MAX_BUNDLE_BYTES:,}: a zip bomb")
    return files, reasons


def read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, never more than it declares nor than ``limit``: a header may lie."""
    with archive.open(info) as stream:
        data = stream.read(min(info.file_size, limit) + 1)
    if len(data) > min(info.file_size, limit):
        raise zipfile.BadZipFile(f"the entry {info.filename!r} holds more than it declares")
    return data


def extract_site(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], dest: Path, *,
                 leave: Collection[str] = (), place: Callable[[str], str] = str) -> int:
    """Write the bundle's site (``site/...``) into ``dest``, but the files named in ``leave``
    (relative to the site), each where ``place`` puts it (relative to ``dest``, at the same depth);
    returns the bytes written."""
    written = 0
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if len(parts) < 2 or parts[0] != SITE or "/".join(parts[1:]) in leave:
            continue
        moved = PurePosixPath(place("/".join(parts[1:]))).parts
        if len(moved) != len(parts) - 1 or ".." in moved:
            raise ValueError(f"{info.filename!r} cannot be placed at {'/'.join(moved)!r}")
        target = dest.joinpath(*moved)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as stream, target.open("wb") as out:
            shutil.copyfileobj(_bounded(stream, info.file_size, info.filename), out)
        written += info.file_size
    return written


class _bounded:
    """A stream that refuses to give more than its entry declared."""

    def __init__(self, stream: Any, size: int, name: str) -> None:
        self.stream, self.left, self.name = stream, size, name

    def read(self, n: int = -1) -> bytes:
        data: bytes = self.stream.read(self.left + 1 if n < 0 else min(n, self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise zipfile.BadZipFile(f"the entry {self.name!r} holds more than it declares")
        return data


def read_facts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> tuple[Facts | None, str | None]:
    """The bundle's facts, or why it is not a committee bundle this package can bind."""
    info = next((m for m in members if m.filename == FACTS), None)
    if info is None:
        return None, f"not a committee bundle: no {FACTS} (write one with promo export)"
    try:
        data = json.loads(read_limited(archive, info, MAX_FACTS_BYTES).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile) as exc:
        return None, f"its {FACTS} cannot be read: {exc}"
    if not isinstance(data, dict):
        return None, f"its {FACTS} is not a mapping"
    version = data.get("format")
    if type(version) is not int:
        return None, f"its {FACTS} has no format version"
    if version > BUNDLE_FORMAT:
        return None, (f"a bundle of format {version}, newer than this promo-packet reads ({BUNDLE_FORMAT}): "
                      "upgrade promo-packet")
    if data.get("audience") != COMMITTEE:
        return None, f"not a committee bundle: built for {describe(data.get('audience'))}"
    try:
        facts = _facts(data)
    except _Misshapen as exc:
        return None, f"its {FACTS} is not as promo export writes it: {exc}"
    names = {m.filename for m in members}
    if facts.pdf not in names:
        return None, f"its PDF {facts.pdf!r} is missing"
    if f"{SITE}/index.html" not in names:
        return None, f"its site has no {SITE}/index.html"
    return facts, None


class _Misshapen(ValueError):
    """A field of the facts that is missing, or of another kind than promo export writes."""


def _facts(data: dict[str, Any]) -> Facts:
    current = data.get("current_level")
    dimensions = _at(data, "dimensions", list)
    levels = _at(data, "ladder.levels", list)
    counts = data.get("counts")
    quotes = counts.get("verified_quotes") if isinstance(counts, dict) else None
    pdf = _at(data, "pdf", str)
    if PurePosixPath(pdf).parts[:1] != (SITE,) or ".." in PurePosixPath(pdf).parts:
        raise _Misshapen(f"the PDF {pdf!r} is not in the site")
    return Facts(
        person=_at(data, "person.name", str),
        current_level=None if current is None else _at(data, "current_level.id", str),
        target_level=_at(data, "target_level.id", str), target_title=_at(data, "target_level.title", str),
        ladder=_at(data, "ladder.name", str),
        levels=tuple(_at(levels, f"[{n}]", str, within="ladder.levels") for n in range(len(levels))),
        dimensions=tuple(Dimension(*(_at(dimensions, f"[{n}].{key}", str, within="dimensions")
                                     for key in ("id", "name", "status", "reason")))
                         for n in range(len(dimensions))),
        pdf=pdf, built=_at(data, "built", str),
        verified_quotes=quotes if type(quotes) is int else None,
        commit=data.get("commit") if isinstance(data.get("commit"), str) else None)


_T = TypeVar("_T")
_KINDS: dict[type, str] = {str: "text", list: "a list", dict: "a mapping of fields"}
_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def _at(data: object, path: str, kind: type[_T], *, within: str = "") -> _T:
    """The value at ``path`` (``person.name``, ``[2].id``) of ``data``, if it is of ``kind``;
    a field missing or of another kind is named, from the top of the facts (``within``)."""
    value, walked = data, within
    for index, key in _STEP.findall(path):
        step: int | str = int(index) if index else key
        expected = list if index else dict
        if not isinstance(value, expected):
            raise _Misshapen(f"{walked!r} should be {_KINDS[expected]}, not {describe(value)}")
        walked += f"[{index}]" if index else f"{'.' if walked else ''}{key}"
        if isinstance(value, dict) and step not in value:
            raise _Misshapen(f"{walked!r} is missing")
        value = value[step]  # type: ignore[index]
    if not isinstance(value, kind):
        raise _Misshapen(f"{walked!r} should be {_KINDS[kind]}, not {describe(value)}")
    return value
