"""Who a build is for, and what each audience sees of the packet."""

from __future__ import annotations

import enum

from ..errors import plural
from .evidence import Visibility


class Audience(str, enum.Enum):
    """Who a build is for. Each sees the entries whose visibility allows it."""

    SELF = "self"
    SPONSOR = "sponsor"
    COMMITTEE = "committee"

    def counted(self, entries: int, left_out: int) -> str:
        """Which audience a count is for, said by every report that counts: the CLI's and the build's."""
        text = f"counted for the {self.value} audience: {plural(entries, 'entry', 'entries')}"
        if left_out:
            text += f", {left_out} left out by {'its' if left_out == 1 else 'their'} visibility"
        return text

    def allows(self, visibility: Visibility) -> bool:
        """Whether an entry of this visibility is in the build."""
        if self is Audience.SELF:
            return True
        if self is Audience.SPONSOR:
            return visibility is not Visibility.PRIVATE
        return visibility is Visibility.COMMITTEE

    @property
    def reader(self) -> str:
        """Who reads this build, in words: the PDF's cover says it is "prepared for" them."""
        return {Audience.SELF: "yourself (private)", Audience.SPONSOR: "the sponsor",
                Audience.COMMITTEE: "the promotion committee"}[self]

    @property
    def sees_private(self) -> bool:
        """Private notes and private entries: only the person's own build holds them, and it
        is never published (``promo zip``, ``gh-deploy``) unless asked for by name."""
        return self is Audience.SELF

    @property
    def sees_drafts(self) -> bool:
        """Drafts (``draft: true``, proposed by an importer): listed in the person's own build
        only, to be accepted or deleted; never counted, never in anyone else's build or a PDF."""
        return self is Audience.SELF

    @property
    def sees_process(self) -> bool:
        """The plan's check-ins, stakeholders and blockers, and each entry's visibility: what
        stays between the person and the sponsor. The committee sees outcomes only."""
        return self is not Audience.COMMITTEE

    @property
    def is_author(self) -> bool:
        """Whether the build is for the person writing the packet: only theirs says how to improve
        it (what more would demonstrate a dimension, which field to add) or shows internal labels
        (highlight, visibility). A sponsor's or a committee's says what the evidence shows."""
        return self is Audience.SELF

    @property
    def redacts(self) -> bool:
        """Whether the ``redact`` option applies: it is for the committee's build."""
        return self is Audience.COMMITTEE
