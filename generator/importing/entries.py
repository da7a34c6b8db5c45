"""Records → planned entries: claims (records of one claim joined), actors and sources
deduplicated, slugs chosen; pure apart from what ``Existing`` says content/ holds.

Slugs are readable (``new.make_slug``: Cyrillic transliterated, Arabic and Persian kept)
and stable: an imported claim keeps the slug it was given (found by its key), and a
collision takes the next free ``-2``, ``-3`` … in record order, so the same input gives
the same slugs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostic
from generator.importing.existing import Existing, name_key, url_key
from generator.importing.mapping import RatingMap
from generator.importing.problems import Place
from generator.importing.records import OwnReview, Record, RecordReview
from generator.models import PartialDate
from generator.new import make_slug

ACTOR_KINDS = {"person", "government", "ministry", "organisation", "outlet", "group"}


@dataclass(slots=True)
class NewActor:
    slug: str
    name: str
    kind: str
    url: str = ""


@dataclass(slots=True)
class NewSource:
    slug: str
    title: str
    kind: str
    url: str
    publisher: str = ""
    date: PartialDate | None = None


@dataclass(slots=True)
class PlannedReview:
    publisher: str
    """Actor slug."""
    review: RecordReview
    rating: str
    """Mapped key, or "" when unmapped."""


@dataclass(slots=True)
class PlannedClaim:
    slug: str
    key: str
    format: str
    file: str
    text: str
    claimant: str = ""
    date: PartialDate | None = None
    language: str = ""
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    reviews: list[PlannedReview] = field(default_factory=list)
    own: OwnReview | None = None
    own_rating: str = ""
    own_text: str = ""
    """Our own review's rating as the file wrote it."""
    own_url: str = ""
    own_licence: str = ""
    record_id: str = ""
    force_draft: bool = False
    """``--as-draft``: every claim imported as a draft, for a writer to look over first."""

    @property
    def draft(self) -> bool:
        """Unmapped ratings, or a review of ours missing what a published claim needs."""
        if self.force_draft:
            return True
        if self.own is not None:
            return not (self.own_rating and self.own.evidence and self.claimant
                        and self.own.reviewed and self.own.reviewed.day)
        return any(not r.rating for r in self.reviews)


@dataclass(slots=True)
class Unmapped:
    count: int
    example: str
    """Where it was first seen: ``file record 3``."""


@dataclass(slots=True)
class Planner:
    """Takes records one by one; holds only what dedup and joining need."""

    existing: Existing
    ratings: RatingMap
    own_names: set[str]
    actors: dict[str, NewActor] = field(default_factory=dict)
    sources: dict[str, NewSource] = field(default_factory=dict)
    claims: dict[str, PlannedClaim] = field(default_factory=dict)
    """key → claim, in record order"""
    by_text: dict[str, str] = field(default_factory=dict)
    """normalised claim text → key: reviews of one claim from several records join."""
    unmapped: dict[tuple[str, str], Unmapped] = field(default_factory=dict)
    """(publisher, textual rating) → count and example"""
    joined: int = 0

    def _slug(self, kind: str, title: str, fallback: str) -> str:
        taken = self.existing.slugs.setdefault(kind, set())
        base = make_slug(title) or make_slug(fallback) or kind.rstrip("s")
        slug, number = base, 1
        while slug.casefold() in taken:
            number += 1
            slug = f"{base[:55]}-{number}"
        taken.add(slug.casefold())
        return slug

    def actor(self, name: str, kind: str = "", url: str = "") -> str:
        key = name_key(name)
        if key in self.existing.actors:
            return self.existing.actors[key]
        slug = self._slug("actors", name, "actor")
        self.existing.actors[key] = slug
        self.actors[slug] = NewActor(slug, name, kind if kind in ACTOR_KINDS else "unknown",
                                     url)
        return slug

    def source(self, url: str, title: str, kind: str, publisher: str = "",
               date: PartialDate | None = None) -> str:
        key = url_key(url)
        if key in self.existing.sources:
            return self.existing.sources[key]
        parts = urlsplit(url)
        slug = self._slug("sources", title, f"{parts.hostname or ''} {parts.path}")
        self.existing.sources[key] = slug
        self.sources[slug] = NewSource(slug, title or url, kind, url, publisher, date)
        return slug

    def add(self, record: Record, place: Place) -> list[Diagnostic]:
        """Plan one record; its problems (a review nobody published is left out)."""
        problems: list[Diagnostic] = []
        reviews = [r for r in record.reviews if r.publisher or record.own is not None]
        if len(reviews) < len(record.reviews):
            problems.append(place.warning("no-publisher", "a review without a publisher is "
                                          "left out: it cannot be attributed",
                                          "add the publisher's name to the record"))
        own_review = record.own
        if own_review is None and any(name_key(r.publisher) in self.own_names for r in reviews):
            own_review = OwnReview(rating=reviews[0].textual_rating,
                                   reviewed=reviews[0].date, published=reviews[0].date)
        if not reviews:
            return [place.error("no-review", "no review with a publisher: nothing to import",
                                "add the publisher's name to the record")]
        key = record.key
        if not key:
            return [place.error("no-review-url", "no review URL: the review cannot be linked "
                                "or found again by a later import",
                                "add the review's URL (claimReview url)")]
        text_key = name_key(record.text)
        if own_review is None and key not in self.claims and text_key in self.by_text:
            claim = self.claims[self.by_text[text_key]]  # another review of the same claim
            if claim.own is None:
                self.joined += 1
                known = {r.review.url for r in claim.reviews}
                claim.reviews += [self._review(r, place) for r in reviews if r.url not in known]
                claim.sources += [s for s in self._review_sources(claim.reviews)
                                  if s not in claim.sources]
                return problems
        claim = self.claims.get(key)
        if claim is not None:
            return [*problems, place.warning("duplicate-record", f"the review {key} is "
                                             "already imported from an earlier record",
                                             "the earlier record is kept")]
        found = self.existing.claims.get(key)
        slug = found.slug if found else (
            record.record_id if record.record_id and _free_id(record.record_id, self.existing)
            else self._slug("claims", record.text, "claim"))
        claim = PlannedClaim(slug=slug, key=key, format=record.format,
                             file=PurePath(record.file).name,
                             text=record.text, date=record.date, language=record.language,
                             tags=list(dict.fromkeys(t for t in map(make_slug, record.tags)
                                                     if t)),
                             record_id=record.record_id if key.startswith("id:") else "")
        if record.claimant:
            claim.claimant = self.actor(record.claimant, record.claimant_kind)
        claim.sources = [self.source(a.url, a.title, "other", date=a.date)
                         for a in record.appearances]
        if own_review is not None:
            claim.own, claim.own_text = own_review, own_review.rating
            claim.own_rating = self.ratings.ours(own_review.rating)
            claim.own_url = next((r.url for r in reviews if r.url), "")
            claim.own_licence = next((r.licence for r in reviews if r.licence), "")
            if own_review.rating and not claim.own_rating:
                self._unmapped(self.ratings.organisation, own_review.rating, place)
        else:
            claim.reviews = [self._review(r, place) for r in reviews]
            claim.sources += [s for s in self._review_sources(claim.reviews)
                              if s not in claim.sources]
        self.claims[key] = claim
        self.by_text.setdefault(text_key, key)
        return problems

    def _review(self, review: RecordReview, place: Place) -> PlannedReview:
        publisher = self.actor(review.publisher, "outlet", review.publisher_url)
        rating = self.ratings.theirs(review.publisher, review.textual_rating)
        if not rating:
            self._unmapped(review.publisher, review.textual_rating, place)
        return PlannedReview(publisher, review, rating)

    def _review_sources(self, reviews: list[PlannedReview]) -> list[str]:
        return [self.source(r.review.url, r.review.title, "article", r.publisher,
                            r.review.date) for r in reviews if r.review.url]

    def _unmapped(self, publisher: str, textual: str, place: Place) -> None:
        found = self.unmapped.get((publisher, textual))
        if found is None:
            self.unmapped[(publisher, textual)] = Unmapped(1, f"{place.file} {place.where}")
        else:
            found.count += 1


def _free_id(slug: str, existing: Existing) -> bool:
    from generator.fields import SLUG_RE

    taken = existing.slugs.setdefault("claims", set())
    if not SLUG_RE.match(slug) or slug != slug.lower() or slug.casefold() in taken:
        return False
    taken.add(slug.casefold())
    return True
