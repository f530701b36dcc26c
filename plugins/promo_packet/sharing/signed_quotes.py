"""Checking every signed quote of a packet, fail closed.

A quote's ``signature:`` is checked against the statement rebuilt from its entry as the file
says now (:func:`.statement.statement`), before any audience's redaction, and against the keys
the packet's ``allowed_signers`` file lists for the name the quote gives. A signature that holds
marks its quote verified; one that does not is a located problem: an error that stops a build
for a sponsor or a committee, and a warning in the author's own build, which shows it on the
entry. A quote without a signature stays as it always was: quoted by the author.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, Severity
from ..model.audience import Audience
from ..model.evidence import Corroboration, Evidence, SignatureCheck, parse_evidence_bytes
from ..model.statement import statement, statement_fields
from ..reading.allowed_signers import AllowedSigners, read_allowed_signers
from ..reading.folders import shown_path
from ..reading.vcs import run_git
from .signatures import Reason, verify

HISTORY_DEPTH = 50
"""How many of an entry's commits are searched for the version its quote was signed on."""
SIGNED_FIELDS = "title, date, outcome, name, role or quote"
"""The parts of an entry its statement holds: changing any of them breaks the signature."""


def check_signed_quotes(entries: Sequence[Evidence], allowed_file: Path, root: Path, person: str,
                        audience: Audience) -> tuple[list[Evidence], list[Problem]]:
    """``entries`` with each signed quote's :class:`SignatureCheck`, and a problem for each
    signature that does not hold. The ``allowed_signers`` file is read only when a quote is signed."""
    if not any(c.signature for entry in entries for c in entry.corroboration):
        return list(entries), []
    allowed, problems = read_allowed_signers(allowed_file, shown_path(allowed_file, root))
    severity = Severity.WARNING if audience is Audience.SELF else Severity.ERROR
    checked = []
    for entry in entries:
        items = [_checked(entry, index, item, allowed, person.strip(), severity, problems, root)
                 for index, item in enumerate(entry.corroboration)]
        changed = any(item.check is not None for item in items)
        checked.append(dataclasses.replace(entry, corroboration=tuple(items)) if changed else entry)
    return checked, problems


def _checked(entry: Evidence, index: int, item: Corroboration, allowed: AllowedSigners, person: str,
             severity: Severity, problems: list[Problem], root: Path) -> Corroboration:
    if not item.signature:
        return item
    name = f"corroboration[{index}].signature"
    if not item.name:
        message = "a signed quote needs the name of who signed it"
        hint = "write their name as allowed_signers lists it"
        check = SignatureCheck(False, message)
    else:
        verdict = verify(item.signature, statement(entry, item, person), item.name, allowed)
        message = verdict.message
        hint = None
        if verdict.reason is Reason.MISMATCH:
            changed = what_changed(entry, index, item, allowed, person, root)
            message = (f"does not match the entry as it is now: {changed} since it was signed" if changed
                       else f"does not match the entry as it is now: its {SIGNED_FIELDS} (or the packet's "
                            "person) changed since it was signed, or another text was signed")
            hint = f"undo the change, or ask {item.name} to sign again (promo ask)"
        check = SignatureCheck(verdict.verified, message, verdict.fingerprint, entry.date)
    if not check.verified:
        problems.append(Problem(entry.path, entry.line(name), message, field=name, hint=hint,
                                severity=severity))
    return dataclasses.replace(item, check=check)


def what_changed(entry: Evidence, index: int, item: Corroboration, allowed: AllowedSigners, person: str,
                 root: Path) -> str | None:
    """Which of the statement's fields changed since ``item`` was signed, as ``the title ('was')``:
    found by rebuilding the statement from the entry's committed versions, newest first, until one
    the signature holds for. None when the packet is not in git or no committed version was signed."""
    head = run_git(root, "rev-parse", "HEAD")
    if head is None or head.returncode != 0:
        return None
    then = _signed_version(root, head.stdout.strip(), entry.path, entry.slug, index, item.name or "",
                           item.signature or "", person, allowed)
    if then is None:
        return None
    # The statement is its fields: the version that verifies differs from now in one at least.
    now = dict(statement_fields(entry, item, person))
    differ = [f"the {field} (signed as {was!r})" for field, was in then if was != now[field]]
    return ", ".join(differ) + " changed"


@functools.lru_cache(maxsize=256)
def _signed_version(root: Path, head: bytes, path: str, slug: str, index: int, name: str, signature: str,
                    person: str, allowed: AllowedSigners) -> tuple[tuple[str, str | None], ...] | None:
    """The statement's fields of the newest committed version of ``path`` (as of commit ``head``)
    that ``signature`` holds for. Kept per process: a live preview rebuilds on every save, and
    walking the history is dozens of git runs."""
    listed = run_git(root, "log", f"-{HISTORY_DEPTH}", "--format=%H", head.decode("ascii", "replace"),
                     "--", path)
    if listed is None or listed.returncode != 0:
        return None
    for commit in listed.stdout.decode("ascii", "replace").split():
        shown = run_git(root, "show", f"{commit}:./{path}")
        if shown is None or shown.returncode != 0:
            continue
        old, _ = parse_evidence_bytes(shown.stdout, path, slug)
        if old is None or index >= len(old.corroboration):
            continue
        signed = old.corroboration[index]
        if verify(signature, statement(old, signed, person), name, allowed).verified:
            return tuple(statement_fields(old, signed, person))
    return None
