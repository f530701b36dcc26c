"""Parsed evidence kept on disk between runs, so a build re-parses only the files that changed.

Parsing and validating front matter is most of what the packet itself costs
to build (about 0.3 ms a file); reading a file and hashing it costs a tenth
of that. The cache is one JSON file under ``.cache/promo-packet/`` in the
project: for each evidence file, the digest of its bytes, the entry parsed
from it and the problems found in it, so a file with errors reports them
again on every run. JSON rather than pickle: a cache that a cloned
repository might ship must never be able to run code.

An entry is trusted only if the file's bytes still have the same digest
and the cache was written by the same parser (a digest of the modules that
parse); anything unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from .documents import shown_path
from .errors import Problem, Severity
from .evidence import Corroboration, Evidence, Link, Metric, Visibility

log = logging.getLogger(__name__)

FORMAT = 1
CACHE_DIR = ".cache/promo-packet"
"""The project's cache, beside mkdocs.yml (never in the docs or evidence folder): parsed
evidence, and rendered PDFs by content hash."""
_PARSER_MODULES = ("documents.py", "errors.py", "evidence.py", "cache.py")

Parsed = tuple[Evidence | None, list[Problem]]


def parser_digest() -> str:
    """Changes whenever the code that parses evidence changes, which invalidates the cache."""
    digest = hashlib.blake2b(f"{FORMAT}".encode(), digest_size=16)
    here = Path(__file__).parent
    for name in _PARSER_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def cache_file(root: Path, evidence_dir: Path) -> Path:
    """Where the cache of ``evidence_dir`` lives: one file per folder, under the project's cache.

    Named by the folder's path within the project, so a moved or cloned project keeps its cache.
    """
    folder = hashlib.blake2b(shown_path(evidence_dir, root).encode(), digest_size=6).hexdigest()
    return root / CACHE_DIR / f"evidence-{folder}.json"


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class EvidenceCache:
    """The cache file of one evidence folder: read once, written back only if it changed."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._records: dict[str, dict[str, Any]] | None = None
        self._parser = parser_digest()
        self._changed = False

    def get(self, shown: str, raw: bytes) -> Parsed | None:
        """What the file ``shown`` parsed to when it held these bytes, or None."""
        record = self._load().get(shown)
        if record is None or record.get("digest") != content_digest(raw):
            return None
        try:
            return _decode(record)
        except (KeyError, TypeError, ValueError) as exc:
            log.debug("ignoring the cached entry of %s: %s", shown, exc)
            return None

    def put(self, shown: str, raw: bytes, parsed: Parsed) -> None:
        record = _encode(content_digest(raw), parsed)
        records = self._load()
        if record is None:
            self._changed |= records.pop(shown, None) is not None
        else:
            records[shown] = record
            self._changed = True

    def save(self, keep: Collection[str]) -> None:
        """Write the cache back if it changed, with the records of the files in ``keep`` only."""
        records = self._load()
        gone = set(records).difference(keep)
        for shown in gone:
            del records[shown]
        changed, self._changed = self._changed or bool(gone), False
        if not changed:
            return
        text = json.dumps({"format": FORMAT, "parser": self._parser, "files": records},
                          ensure_ascii=False, separators=(",", ":"))
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            # Whole or not at all: a build interrupted mid-write must not leave half a cache.
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".evidence-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.file)
        except OSError as exc:
            log.debug("cannot write the evidence cache %s: %s", self.file, exc)

    def close(self) -> None:
        """Let go of the records read from the file (they are read again if needed)."""
        self._records = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._records is None:
            self._records = {}
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return self._records
            if (isinstance(data, dict) and data.get("format") == FORMAT and data.get("parser") == self._parser
                    and isinstance(data.get("files"), dict)):
                self._records = data["files"]
        return self._records


def _encode(digest: str, parsed: Parsed) -> dict[str, Any] | None:
    """The JSON record of one file, or None when the entry holds values JSON cannot keep."""
    entry, problems = parsed
    record: dict[str, Any] = {"digest": digest, "problems": [_problem(p) for p in problems]}
    if entry is not None:
        extra = dict(entry.extra)
        try:
            if json.loads(json.dumps(extra)) != extra:  # e.g. a date in an unknown field
                return None
        except (TypeError, ValueError):
            return None
        record["entry"] = {
            "slug": entry.slug, "path": entry.path, "title": entry.title, "date": entry.date.isoformat(),
            "dimensions": entry.dimensions, "body": entry.body, "level": entry.level,
            "outcome": entry.outcome,
            "metrics": [[m.name, m.before, m.after] for m in entry.metrics],
            "corroboration": [[c.quote, c.name, c.role, c.date.isoformat() if c.date else None, c.link]
                              for c in entry.corroboration],
            "links": [[link.url, link.title] for link in entry.links],
            "tags": entry.tags, "highlight": entry.highlight, "visibility": entry.visibility.value,
            "lint_ignore": entry.lint_ignore, "criteria": entry.criteria, "extra": extra,
            "lines": dict(entry.lines),
        }
    return record


def _decode(record: Mapping[str, Any]) -> Parsed:
    problems = [Problem(path, line, message, field=field, hint=hint, severity=Severity(severity), code=code)
                for path, line, message, field, hint, severity, code in record["problems"]]
    data = record.get("entry")
    if data is None:
        return None, problems
    entry = Evidence(
        slug=data["slug"], path=data["path"], title=data["title"], date=dt.date.fromisoformat(data["date"]),
        dimensions=tuple(data["dimensions"]), body=data["body"], level=data["level"], outcome=data["outcome"],
        metrics=tuple(Metric(name, before, after) for name, before, after in data["metrics"]),
        corroboration=tuple(Corroboration(quote, name, role, _day(day), link)
                            for quote, name, role, day, link in data["corroboration"]),
        links=tuple(Link(url, title) for url, title in data["links"]),
        tags=tuple(data["tags"]), highlight=data["highlight"], visibility=Visibility(data["visibility"]),
        lint_ignore=tuple(data["lint_ignore"]), criteria=tuple(data["criteria"]), extra=data["extra"],
        lines=data["lines"],
    )
    return entry, problems


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _problem(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.message, problem.field, problem.hint, problem.severity.value,
            problem.code]
