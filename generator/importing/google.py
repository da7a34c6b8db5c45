"""Google Fact Check Tools ``claims:search`` results → records.

A JSON object with ``claims[]`` (or a bare array of claims), each with ``text``,
``claimant``, ``claimDate`` and ``claimReview[]``. Every field may be missing; a claim may
have several reviews, which stay together in one record (one entry).
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostic
from generator.fields import Invalid
from generator.importing import clean
from generator.importing.problems import Place, controls_removed
from generator.importing.records import Record, RecordReview

FORMAT = "google-fact-check"
PREFIXES = {"object": "claims.item", "array": "item"}
"""Where ijson finds the claims, by the JSON value at the top of the file."""


def _site_url(site: str, removed: list[str]) -> str:
    if not site:
        return ""
    return clean.url(site if "://" in site else f"https://{site}/", removed)


def to_record(claim: Any, place: Place) -> tuple[Record | None, list[Diagnostic]]:
    """One element of ``claims[]`` → a record, or the reason it is skipped."""
    if not isinstance(claim, dict):
        return None, [place.error("not-a-record", "a claim is not a JSON object")]
    removed: list[str] = []
    try:
        text = clean.text(claim.get("text"), removed)
        if not text:
            return None, [place.error("missing-claim-text", "the claim has no text",
                                      "every record needs the claim it reviews")]
        reviews = []
        for review in claim.get("claimReview") or []:
            if not isinstance(review, dict):
                continue
            publisher = review.get("publisher") or {}
            publisher = publisher if isinstance(publisher, dict) else {"name": publisher}
            reviews.append(RecordReview(
                publisher=clean.line(publisher.get("name"), removed),
                publisher_url=_site_url(clean.line(publisher.get("site"), removed), removed),
                url=clean.url(review.get("url"), removed),
                title=clean.line(review.get("title"), removed),
                date=clean.date(review.get("reviewDate")),
                textual_rating=clean.line(review.get("textualRating"), removed),
                language=clean.language(review.get("languageCode"))))
        if not reviews:
            return None, [place.error("no-review", "the claim has no review (claimReview)",
                                      "only reviewed claims are imported")]
        record = Record(file=place.file, where=place.where, format=FORMAT, text=text,
                        claimant=clean.line(claim.get("claimant"), removed),
                        date=clean.date(claim.get("claimDate")),
                        language=next((r.language for r in reviews if r.language), ""))
        record.reviews = reviews
    except Invalid as exc:
        return None, [place.error(exc.code, exc.message, exc.hint)]
    return record, controls_removed(place, removed)
