"""ClaimReview: one claim and the site index → a schema.org ``ClaimReview`` mapping.

Fact-check aggregators (Google Fact Check Explorer, Data Commons) read this, so it states
only what the claim page shows: absent values are left out, never invented. ``script_json``
serialises it for an inline ``<script type="application/ld+json">`` so that no content can
end the element. Pure: no I/O, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.models import Actor, Claim, Entry, PartialDate, Review, SiteConfig, Source
from generator.resolve import SiteIndex

CONTEXT = "https://schema.org"
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


def absolute_url(config: SiteConfig, url_path: str) -> str | None:
    """The public URL of a page below the site root, or None when the site has no domain."""
    if not config.is_absolute:
        return None
    return config.base_url + url_path.lstrip("/")


def script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\uXXXX``.

    The characters only ever occur inside JSON strings, where the escape means the same.
    Compact: machines read it, and indenting cost every claim page about a kilobyte.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def iso_date(value: PartialDate | None) -> str | None:
    """ISO 8601 with the precision known (``2022``, ``2022-10``), or None when unknown."""
    return value.iso() if value else None


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values, so that nothing unknown is published as empty."""
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def actor_node(actor: Actor) -> dict[str, Any]:
    """A claimant as ``Person`` (with ``jobTitle``) or, for any other kind, ``Organization``."""
    if actor.actor_kind == "person":
        return _clean({"@type": "Person", "name": actor.name, "jobTitle": actor.role})
    return _clean({"@type": "Organization", "name": actor.name})


def creative_work(source: Source) -> dict[str, Any]:
    """Where a claim appeared: the source's title, link and date when each is known."""
    return _clean({"@type": "CreativeWork", "name": source.title, "url": source.url or None,
                   "datePublished": iso_date(source.date)})


@dataclass(frozen=True, slots=True)
class ClaimReviewScript:
    """A claim page's JSON-LD, planned as what it is made of and made where the page is
    rendered (a worker): at 10,000 claims the finished scripts are ~20 MB that the main
    process would otherwise hold while it plans. Its entries are in the page's fingerprint."""

    claim: Claim
    claimant: Entry | None
    sources: tuple[Source, ...]
    people: Byline = ((), ())

    def script(self, config: SiteConfig) -> str:
        return script_json(review(config, self.claim, self.claimant, self.sources,
                                  self.people))


Person = Actor | str
"""A byline: the newsroom member's actor entry when named by slug, else the name."""
Byline = tuple[tuple[Person, ...], tuple[Person, ...]]
"""The claim's authors and its reviewers."""


def byline(index: SiteIndex, claim: Claim) -> Byline:
    def people(names: tuple[str, ...]) -> tuple[Person, ...]:
        return tuple(index.person(name) or name for name in names)

    return people(claim.author), people(claim.reviewed_by)


def claim_review_script(index: SiteIndex, claim: Claim) -> ClaimReviewScript:
    sources = tuple(s for s in index.refs(claim, "sources") if isinstance(s, Source))
    return ClaimReviewScript(claim, index.entries["actors"].get(claim.claimant), sources,
                             byline(index, claim))


def claim_review(index: SiteIndex, claim: Claim) -> dict[str, Any]:
    """The ClaimReview of one claim page (see docs/data.md for the mapping)."""
    found = claim_review_script(index, claim)
    return review(index.config, claim, found.claimant, found.sources, found.people)


def person_node(config: SiteConfig, person: Person) -> dict[str, Any]:
    """A byline as schema.org: a ``Person`` by name, or the actor (with its page's URL)."""
    if isinstance(person, str):
        return {"@type": "Person", "name": person}
    return _clean({**actor_node(person), "url": absolute_url(config, person.url_path)})


def review(config: SiteConfig, claim: Claim, claimant: Entry | None,
           sources: Sequence[Source], people: Byline = ((), ())) -> dict[str, Any]:
    rating = config.rating(claim.rating)
    item = _clean({
        "@type": "Claim",
        "author": actor_node(claimant) if isinstance(claimant, Actor) else None,
        "datePublished": iso_date(claim.date),
        "appearance": [creative_work(s) for s in sources],
        "firstAppearance": creative_work(sources[0]) if sources else None,
    })
    review_rating = _clean({
        "@type": "Rating",
        "ratingValue": rating.value if rating else None,
        "bestRating": config.best_rating,
        "worstRating": config.worst_rating,
        "alternateName": rating.label if rating else claim.rating,
        "name": rating.label if rating else claim.rating,
        "ratingExplanation": claim.rating_explanation,
    })
    organisation = config.organisation
    return _clean({
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": absolute_url(config, claim.url_path),
        "claimReviewed": claim.title,
        "inLanguage": claim.language or config.language,
        "datePublished": iso_date(claim.published),
        "dateModified": iso_date(claim.modified),
        "author": _clean({"@type": "Organization", "name": organisation.name,
                          "url": organisation.url or absolute_url(config, "")}),
        # The organisation stays the author (Google's ClaimReview guidance); its people
        # are the review's contributors (who wrote it) and editors (who reviewed it).
        "contributor": [person_node(config, p) for p in people[0]],
        "editor": [person_node(config, p) for p in people[1]],
        "reviewRating": review_rating,
        "itemReviewed": item,
    })


def third_party_review(claim: Claim, found: Review, publisher: Entry | None,
                       claimant: Entry | None) -> dict[str, Any] | None:
    """Another publisher's review as that publisher published it: its URL, its author, its
    licence. Only for ``data/claimreview.json``, never on our pages, and only with a licence
    (``sdLicense``) that lets us pass it on; None otherwise."""
    if not (found.licence and found.url and isinstance(publisher, Actor)):
        return None
    return _clean({
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": found.url,
        "claimReviewed": claim.title,
        "datePublished": iso_date(found.date),
        "inLanguage": found.language,
        "author": {"@type": "Organization", "name": publisher.name},
        "sdLicense": found.licence,
        "reviewRating": _clean({"@type": "Rating", "alternateName": found.textual_rating,
                                "name": found.textual_rating}),
        "itemReviewed": _clean({
            "@type": "Claim",
            "author": actor_node(claimant) if isinstance(claimant, Actor) else None,
            "datePublished": iso_date(claim.date)}),
    })
