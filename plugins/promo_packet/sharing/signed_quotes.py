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
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, Severity
from ..model.audience import Audience
from ..model.evidence import Corroboration, Evidence, SignatureCheck
from ..model.statement import statement
from ..reading.allowed_signers import AllowedSigners, read_allowed_signers
from ..reading.folders import shown_path
from .signatures import Reason, verify

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
        items = [_checked(entry, index, item, allowed, person.strip(), severity, problems)
                 for index, item in enumerate(entry.corroboration)]
        changed = any(item.check is not None for item in items)
        checked.append(dataclasses.replace(entry, corroboration=tuple(items)) if changed else entry)
    return checked, problems


def _checked(entry: Evidence, index: int, item: Corroboration, allowed: AllowedSigners, person: str,
             severity: Severity, problems: list[Problem]) -> Corroboration:
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
            message = (f"does not match the entry as it is now: its {SIGNED_FIELDS} (or the packet's "
                       "person) changed since it was signed, or another text was signed")
            hint = f"undo the change, or ask {item.name} to sign again (promo ask)"
        check = SignatureCheck(verdict.verified, message, verdict.fingerprint, entry.date)
    if not check.verified:
        problems.append(Problem(entry.path, entry.line(name), message, field=name, hint=hint,
                                severity=severity))
    return dataclasses.replace(item, check=check)
