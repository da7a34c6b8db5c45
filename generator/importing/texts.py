"""Planned entries → the text of their files (pure).

Front matter is written as PyYAML writes it (``frontmatter.dump``: quoted wherever YAML
would misread a value, ``"false"``, ``"no"``, dates as text), fields in the order of
docs/content.md. An imported claim carries
its provenance in ``imported:``, and its ``digest`` is the SHA-256 of the file's text
without the digest line: a re-import compares it to tell an upstream change (the file is
as imported: update it) from a writer's edit (leave it, report a conflict).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from generator import countries
from generator.importing import frontmatter
from generator.importing.entries import NewActor, NewSource, PlannedClaim
from generator.models import PartialDate

DIGEST_LINE = re.compile(r"^  digest: .*\n", re.M)
FIRST_NOTE = "First published."


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], False)}


def _document(front: dict[str, Any], body: str = "") -> str:
    return f"---\n{frontmatter.dump(front)}---\n{body}"


def digest(text: str) -> str:
    """Of an entry's text, its digest line left out (so the digest can live in the file)."""
    return "sha256:" + hashlib.sha256(DIGEST_LINE.sub("", text, count=1).encode("utf-8")
                                      ).hexdigest()


def claim_text(claim: PlannedClaim) -> str:
    own = claim.own
    front: dict[str, Any] = {
        "title": " ".join(claim.text.split()),
        "statement": (own.statement if own and own.statement else claim.text),
        "verbatim": own.verbatim if own else False,
        "statement_language": claim.language,
        "claimant": claim.claimant,
        "date": _date(claim.date),
        "date_note": own.date_note if own else "",
        "sources": claim.sources,
    }
    if own is not None:
        updates = [{"date": own.published.iso(), "note": FIRST_NOTE}] \
            if own.published and own.published.day else []
        front.update({
            "rating": claim.own_rating, "rating_explanation": own.explanation,
            "evidence": own.evidence, "tags": claim.tags,
            "countries": [countries.normal(c) or countries.code_for(c) or c
                          for c in own.countries],
            "updates": updates,
            "reviewed": _date(own.reviewed) if own.reviewed and own.reviewed.day else None})
    else:
        front["tags"] = claim.tags
        front["reviews"] = [_clean({
            "publisher": r.publisher, "textual_rating": r.review.textual_rating,
            "rating": r.rating, "date": _date(r.review.date), "url": r.review.url,
            "title": r.review.title, "language": r.review.language,
            "licence": r.review.licence}) for r in claim.reviews]
    front = _clean(front)
    front["imported"] = _clean({
        "format": claim.format, "file": claim.file,
        "review_url": claim.key if not claim.key.startswith("id:") else "",
        "record_id": claim.record_id, "rating_text": claim.own_text,
        "licence": claim.own_licence})
    if claim.draft:
        front["draft"] = True
    text = _document(front)
    # ``imported`` is the last mapping (before ``draft``): its digest line, written last in
    # it, goes just there; the same text as dumping again with the digest, in half the time.
    tail = ("draft: true\n" if claim.draft else "") + "---\n"
    cut = len(text) - len(tail)
    return f"{text[:cut]}  digest: {digest(text)}\n{text[cut:]}"


def actor_text(actor: NewActor) -> str:
    return _document(_clean({"name": actor.name, "kind": actor.kind}))


def source_text(source: NewSource) -> str:
    return _document(_clean({"title": source.title, "publisher": source.publisher,
                             "kind": source.kind, "date": _date(source.date),
                             "url": source.url}))
