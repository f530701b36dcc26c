"""How well an entry is proven, decided on the entry as written (:func:`strength_of`).

* **strong**: quantified (metrics, or an outcome with a number) and corroborated
  by a named person;
* **supported**: one of the two;
* **claimed**: neither, the author's own account.

Of strong entries, one whose quote carries a signature the build verified is the strongest
proof there is (:func:`is_strongest`): a figure, and the person quoted standing behind the words.
The curated packet prefers it.

A committee build that redacts names or outcomes does not lower an entry's strength: the
packet decides it before redacting (:attr:`.packet.Packet.strengths`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from .evidence import Evidence

PROOFS = ("a figure (metrics, or a number in the outcome)", "a named corroboration")
"""What makes an entry strong, as its author is told what it lacks (:func:`proofs_missing`)."""
OWN_ACCOUNT = "the author's own account: no figure or named corroboration"
"""How the packet marks a claimed entry it shows (:meth:`.packet.Packet.own_account`): a fact."""
# "in one meeting instead of the usual three rounds" is as measurable as "in 1 instead of 3".
_NUMBER = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|halved|twice|thrice|doubled|"
    r"tripled|quadrupled|tenfold)\b",
    re.IGNORECASE)


class Strength(str, enum.Enum):
    """How well an entry is proven (:func:`strength_of`); shown to its author only."""

    STRONG = "strong"
    SUPPORTED = "supported"
    CLAIMED = "claimed"

    @property
    def proofs(self) -> int:
        """How many of the two proofs (a figure, a named corroboration) the entry has."""
        return _BY_PROOFS.index(self)


_BY_PROOFS = (Strength.CLAIMED, Strength.SUPPORTED, Strength.STRONG)


def is_quantified(entry: Evidence) -> bool:
    """An entry shows a measurable result: metrics, or an outcome with a number (or number word) in it."""
    return bool(entry.metrics) or bool(entry.outcome and _NUMBER.search(entry.outcome))


def strength_of(entry: Evidence) -> Strength:
    """Strong when quantified and corroborated by a named person, supported with one of the
    two, claimed with neither (see the module docstring).

    Read the entry as written: in a committee build the redacted marker stands in for a
    name, which still counts, but an outcome's figure is hidden, so the packet decides each
    entry's strength before redacting it (:attr:`.packet.Packet.strengths`).
    """
    return _BY_PROOFS[len(PROOFS) - len(proofs_missing(entry))]


def proofs_missing(entry: Evidence) -> tuple[str, ...]:
    """What the entry lacks to be strong, of :data:`PROOFS`, in words for its author."""
    found = (is_quantified(entry), bool(entry.names))
    return tuple(proof for proof, has in zip(PROOFS, found, strict=True) if not has)


def strength_counts(entries: Iterable[Evidence]) -> dict[Strength, int]:
    """How many entries are of each strength, strong first, every strength named."""
    counts = dict.fromkeys(Strength, 0)
    for entry in entries:
        counts[strength_of(entry)] += 1
    return counts


def is_strongest(entry: Evidence, strength: Strength) -> bool:
    """A strong entry (``strength``, decided as written) with a verified quote: a figure plus a
    signed quote, the strongest proof an entry can carry."""
    return strength is Strength.STRONG and entry.verified_quotes > 0
