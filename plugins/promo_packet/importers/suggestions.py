"""Which dimensions, and which behaviours, a draft may show: judged from the packet's own ladder.

A draft's words (its title, then the body and the paths changed, which count for less) are
compared with each dimension's words (its id and name, which count for more, then its
description, behaviours and examples). Words are compared by stem (:func:`stem`), so
``mentoring``, ``mentored`` and ``mentors`` are one word. A word shared by every dimension says
little about any one: each counts by how few dimensions hold it (:func:`LadderIndex.suggest`).
Nothing is fetched and no model is loaded; the same draft and ladder always give the same
suggestion.

The ``draft_keywords`` option wins for the dimensions it names: such a dimension is suggested
when one of its words appears in the draft, whatever the ladder's text says.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model.rubric import Dimension, Ladder

KEYWORDS_OPTION = "draft_keywords"
"""The plugin option mapping dimension ids to the words that suggest them."""
BUILT_IN_KEYWORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("execution", "operations", "delivery", "reliability"):
        ("incident", "outage", "on-call", "oncall", "postmortem", "rollback", "hotfix", "sla", "slo"),
    ("technical", "craft", "quality", "architecture"):
        ("refactor", "migration", "performance", "latency", "architecture", "tests", "flaky"),
    ("influence", "communication", "collaboration"):
        ("rfc", "design doc", "proposal", "documentation", "docs", "announce"),
    ("mentorship", "mentoring", "people", "growth"):
        ("mentor", "onboarding", "pairing", "interview", "guide"),
}
"""Words a ladder's text rarely holds, by the fragments of a dimension id or name they belong to:
a dimension whose id or name holds ``execution`` also reads as saying incident, outage and so
on. They join the dimension's own words; they decide nothing alone."""

SUFFIXES = ("izations", "ization", "ations", "ation", "ments", "ment", "ness", "ships", "ship",
            "ities", "ity", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")
"""Stripped by :func:`stem`, the first that fits, longest first."""
MIN_STEM = 3
STOP_WORDS = frozenset((
    "the", "and", "for", "with", "from", "into", "onto", "that", "this", "these", "those", "their",
    "them", "they", "its", "our", "your", "you", "are", "was", "were", "has", "have", "had", "not",
    "but", "all", "any", "can", "when", "what", "which", "who", "how", "out", "off", "per", "via",
    "than", "then", "also", "more", "most", "other", "own", "each", "such", "about", "above", "after",
    "again", "against", "before", "between", "both", "during", "only", "over", "same", "some",
    "under", "until", "very", "where", "while", "will", "would", "should", "could", "there", "here",
    "just", "been", "being", "does", "doing", "because", "through", "without", "within", "upon",
    "now", "new", "one", "two", "use", "make", "made", "get", "set"))
TITLE_WEIGHT, TEXT_WEIGHT = 1.0, 0.5
"""A word of the title counts fully; one only in the body or a path, half."""
NAME_WEIGHT = 3.0
"""A word of a dimension's id or name counts three times one of its behaviours' text."""
MIN_SCORE = 1.0
"""The least score suggested: about one title word that one dimension of two holds alone."""
MAX_DIMENSIONS, MAX_BEHAVIOURS = 2, 2
_WORD = re.compile(r"[^\W\d_]+|\d+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """``word`` lowercased, without its ending: the first of :data:`SUFFIXES` that leaves at
    least three letters (``ies``/``ied`` become ``y``; ``s`` stays after ``s``, ``u`` or ``i``,
    as in *process*, *status*, *analysis*), then a doubled last consonant undoubled (*shipped*
    -> *ship*, but *install*) and a final ``e`` dropped (*release*, *released* -> *releas*)."""
    word = word.lower()
    if not word.isalpha():
        return word
    for suffix in SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < MIN_STEM:
            continue
        if suffix == "s" and word[-2] in "sui":
            continue
        word = word[:-len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
        if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeioulsfz":
            word = word[:-1]
        break
    return word[:-1] if len(word) > MIN_STEM and word.endswith("e") else word


def stems(text: str) -> set[str]:
    """The stems of ``text``'s words of three letters or more, but the commonest English ones.
    ``camelCase``, ``snake_case`` and ``a/path.py`` split into their words."""
    words = (part for word in _WORD.findall(text) for part in _CAMEL.split(word))
    return {stem(word) for word in words
            if len(word) >= MIN_STEM and not word.isdigit() and word.lower() not in STOP_WORDS}


@dataclass(frozen=True)
class Suggestion:
    """Dimension ids and behaviour ids a draft may show; a person decides."""

    dimensions: tuple[str, ...] = ()
    behaviours: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Terms:
    """A dimension's or behaviour's stems, each with its weight."""

    owner: str
    weights: Mapping[str, float]
    rank: int = 0
    """For a behaviour: its level's rank, to prefer the behaviours nearest the target level."""


def _dimension_terms(dimension: Dimension) -> _Terms:
    label = f"{dimension.id} {dimension.name}"
    built_in = [word for fragments, words in BUILT_IN_KEYWORDS.items()
                if any(fragment in label.lower() for fragment in fragments) for word in words]
    texts = [dimension.description, *built_in,
             *(behaviour.text for listed in dimension.expectations.values() for behaviour in listed),
             *(text for listed in dimension.examples.values() for text in listed)]
    return _Terms(dimension.id, dict.fromkeys(stems(" ".join(texts)), 1.0)
                  | dict.fromkeys(stems(label), NAME_WEIGHT))


class LadderIndex:
    """The ladder's words, read once for every draft of an import."""

    def __init__(self, ladder: Ladder | None, keywords: Mapping[str, Sequence[str]] | None = None,
                 target: str | None = None) -> None:
        self.keywords = {ident: tuple(words) for ident, words in (keywords or {}).items()}
        dimensions = ladder.dimensions if ladder else ()
        ranks = {level.id: level.rank for level in ladder.levels} if ladder else {}
        self.dimensions = [_dimension_terms(dimension) for dimension in dimensions]
        self.behaviours = {dimension.id: [_Terms(behaviour.id, dict.fromkeys(stems(behaviour.text), 1.0),
                                                 ranks.get(level, 0))
                                          for level, listed in dimension.expectations.items()
                                          for behaviour in listed]
                           for dimension in dimensions}
        self.rarity = _rarity(self.dimensions)
        self.behaviour_rarity = _rarity([terms for listed in self.behaviours.values() for terms in listed])
        self.target_rank = ranks.get(target) if target is not None else None

    def suggest(self, title: str, body: str = "", paths: Iterable[str] = ()) -> Suggestion:
        """The dimensions and behaviours the draft titled ``title`` may show.

        Each dimension scores the sum, over the stems it shares with the draft, of the stem's
        weight in the draft (:data:`TITLE_WEIGHT` or :data:`TEXT_WEIGHT`), its weight in the
        dimension (:data:`NAME_WEIGHT` or 1) and its rarity ``ln((N + 1) / n)``, ``N`` being the
        number of dimensions and ``n`` how many hold it. The best :data:`MAX_DIMENSIONS` scoring
        at least :data:`MIN_SCORE` and half the best are suggested, after any the keywords
        name. Behaviours of the suggested dimensions score the same way among all behaviours
        (no name weight); the best :data:`MAX_BEHAVIOURS` at the target level are suggested, or,
        when none of those matches, the best of any level, nearest the target first on a tie.
        """
        words = dict.fromkeys(stems(" ".join([body, *paths])), TEXT_WEIGHT) | dict.fromkeys(stems(title),
                                                                                          TITLE_WEIGHT)
        raw = " ".join([title, body, *paths]).lower()
        chosen = [ident for ident, terms in self.keywords.items()
                  if any(re.search(rf"\b{re.escape(term.lower())}\b", raw) for term in terms)]
        scored = _best([terms for terms in self.dimensions if terms.owner not in self.keywords],
                       words, self.rarity, MAX_DIMENSIONS)
        chosen += scored
        candidates = [terms for ident in chosen for terms in self.behaviours.get(ident, ())]
        target = self.target_rank
        # A packet shows the target level's behaviours: another level's are offered only when none
        # of the target's matches.
        at_target = [terms for terms in candidates if terms.rank == target]
        shown = _best(at_target, words, self.behaviour_rarity, MAX_BEHAVIOURS) if at_target else []
        if not shown:
            candidates.sort(key=lambda terms: abs(terms.rank - target) if target is not None else 0)
            shown = _best(candidates, words, self.behaviour_rarity, MAX_BEHAVIOURS)
        return Suggestion(tuple(chosen), tuple(shown))


def _rarity(owners: Sequence[_Terms]) -> dict[str, float]:
    held: dict[str, int] = {}
    for terms in owners:
        for word in terms.weights:
            held[word] = held.get(word, 0) + 1
    return {word: math.log((len(owners) + 1) / count) for word, count in held.items()}


def _best(owners: Sequence[_Terms], words: Mapping[str, float], rarity: Mapping[str, float],
          most: int) -> list[str]:
    """The owners scoring at least :data:`MIN_SCORE` and half the best, best first (a stable
    sort: on a tie, the order given)."""
    scores = [(sum(weight * terms.weights[word] * rarity[word] for word, weight in words.items()
                   if word in terms.weights), terms.owner) for terms in owners]
    ranked = sorted((item for item in scores if item[0] >= MIN_SCORE), key=lambda item: -item[0])
    return [owner for score, owner in ranked[:most] if score >= ranked[0][0] / 2]


def keyword_option(given: object) -> dict[str, tuple[str, ...]]:
    """The ``draft_keywords`` option as dimension id -> words, read defensively: anything that is
    not a word or a list of words is ignored."""
    if not isinstance(given, Mapping):
        return {}
    return {str(ident): tuple(str(w) for w in ([words] if isinstance(words, str) else words))
            for ident, words in given.items() if isinstance(words, (str, list, tuple))}
