"""What every reader yields: one reviewed claim, whatever the format it came from.

Plain values, already cleaned (``clean``): the planner never sees a format's own shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.models import PartialDate


@dataclass(slots=True)
class Appearance:
    """Where the claim was made or seen."""

    url: str
    title: str = ""
    date: PartialDate | None = None


@dataclass(slots=True)
class RecordReview:
    """One publisher's review of the claim, as the file gives it."""

    publisher: str = ""
    """The publisher's name; empty when the file does not say."""
    publisher_url: str = ""
    url: str = ""
    title: str = ""
    date: PartialDate | None = None
    textual_rating: str = ""
    language: str = ""
    licence: str = ""


@dataclass(slots=True)
class OwnReview:
    """What our own exports carry besides the review (``claims.csv``, our ClaimReview)."""

    rating: str = ""
    """A key of our scale, or a label of it (mapped by the planner)."""
    explanation: str = ""
    evidence: str = ""
    reviewed: PartialDate | None = None
    published: PartialDate | None = None
    statement: str = ""
    verbatim: bool = False
    countries: tuple[str, ...] = ()
    date_note: str = ""


@dataclass(slots=True)
class Record:
    """One reviewed claim: its text, who made it and when, and its reviews."""

    file: str
    """The file as shown in messages."""
    where: str
    """``record 3`` or ``line 12``: how messages name the record."""
    format: str
    text: str
    claimant: str = ""
    claimant_kind: str = ""
    date: PartialDate | None = None
    appearances: list[Appearance] = field(default_factory=list)
    reviews: list[RecordReview] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str = ""
    record_id: str = ""
    """The record's own id, when it has one (our ``claims.csv``): the slug and the key."""
    own: OwnReview | None = None
    """Set when the review is ours (our own exports, or authored by our organisation)."""

    @property
    def key(self) -> str:
        """How a re-import finds the entry this record made: its first review URL."""
        for review in self.reviews:
            if review.url:
                return review.url
        return f"id:{self.record_id}" if self.record_id else ""
