"""schema.org ClaimReview JSON-LD → records.

Accepted: one ClaimReview, an array, an ``@graph``, a ``DataFeed`` whose
``dataFeedElement[]`` hold ``item[]`` ClaimReviews (our own ``data/claimreview.json``), or an
HTML page's ``<script type="application/ld+json">`` blocks. One ClaimReview is one record;
the planner joins reviews of the same claim text into one entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from generator.diagnostics import Diagnostic
from generator.fields import Invalid
from generator.importing import clean
from generator.importing.problems import Place, controls_removed
from generator.importing.records import Appearance, Record, RecordReview

FORMAT = "claimreview"
PERSON_KINDS = {"Person": "person", "Organization": "organisation",
                "GovernmentOrganization": "government", "NewsMediaOrganization": "outlet"}


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", ())
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def claim_reviews(node: Any) -> Iterator[Any]:
    """Every ClaimReview inside ``node``: arrays, ``@graph``, DataFeed and DataFeedItem."""
    if isinstance(node, list):
        for item in node:
            yield from claim_reviews(item)
        return
    if not isinstance(node, dict):
        yield node  # reported by to_record
        return
    kinds = _types(node)
    if "ClaimReview" in kinds:
        yield node
    elif "@graph" in node:
        yield from claim_reviews(node["@graph"])
    elif "dataFeedElement" in node:
        yield from claim_reviews(node["dataFeedElement"])
    elif "DataFeedItem" in kinds or ("item" in node and not kinds):
        yield from claim_reviews(node.get("item") or [])
    else:
        yield node


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _person(value: Any, removed: list[str]) -> tuple[str, str, str]:
    """(name, kind, url) of an ``author``."""
    value = _first(value)
    if isinstance(value, str):
        return clean.line(value, removed), "", ""
    if not isinstance(value, dict):
        return "", "", ""
    kind = next((PERSON_KINDS[k] for k in _types(value) if k in PERSON_KINDS), "")
    return clean.line(value.get("name"), removed), kind, clean.url(value.get("url"), removed)


def _appearances(item: dict[str, Any], removed: list[str]) -> list[Appearance]:
    found: dict[str, Appearance] = {}
    nodes = [item.get("firstAppearance")]
    appearance = item.get("appearance")
    nodes += appearance if isinstance(appearance, list) else [appearance]
    for node in nodes:
        if node is None:
            continue
        if isinstance(node, str):
            node = {"url": node}
        if not isinstance(node, dict):
            continue
        address = clean.url(node.get("url") or node.get("@id"), removed)
        if address and address not in found:
            found[address] = Appearance(
                address, clean.line(node.get("name") or node.get("headline"), removed),
                clean.date(node.get("datePublished")))
    return list(found.values())


def to_record(node: Any, place: Place, own: set[str] | None = None
              ) -> tuple[Record | None, list[Diagnostic]]:
    """One ClaimReview → a record; ``own`` holds our organisation's name (``rule_key``)."""
    from generator.config import rule_key
    from generator.importing.records import OwnReview

    if not isinstance(node, dict) or "ClaimReview" not in _types(node):
        return None, [place.error("not-a-record", "not a ClaimReview (@type)",
                                  "only ClaimReview items are imported")]
    removed: list[str] = []
    try:
        text = clean.text(node.get("claimReviewed"), removed)
        if not text:
            return None, [place.error("missing-claim-text", "the ClaimReview has no "
                                      "claimReviewed", "every record needs the claim text")]
        item = _first(node.get("itemReviewed")) or {}
        item = item if isinstance(item, dict) else {}
        claimant, kind, _ = _person(item.get("author"), removed)
        publisher, _, publisher_url = _person(node.get("author"), removed)
        rating = _first(node.get("reviewRating")) or {}
        rating = rating if isinstance(rating, dict) else {}
        textual = clean.line(rating.get("alternateName") or rating.get("name"), removed)
        language = clean.language(node.get("inLanguage"))
        review = RecordReview(
            publisher=publisher, publisher_url=publisher_url,
            url=clean.url(node.get("url"), removed),
            title=clean.line(node.get("headline") or node.get("name"), removed),
            date=clean.date(node.get("datePublished")), textual_rating=textual,
            language=language, licence=clean.line(node.get("sdLicense"), removed))
        record = Record(file=place.file, where=place.where, format=FORMAT, text=text,
                        claimant=claimant, claimant_kind=kind,
                        date=clean.date(item.get("datePublished")),
                        appearances=_appearances(item, removed), reviews=[review],
                        language=language)
        if own and rule_key(publisher) in own:  # our own review, e.g. our claimreview.json
            modified = clean.date(node.get("dateModified"))
            record.own = OwnReview(
                rating=textual, explanation=clean.line(rating.get("ratingExplanation"),
                                                       removed),
                reviewed=modified or review.date, published=review.date)
    except Invalid as exc:
        return None, [place.error(exc.code, exc.message, exc.hint)]
    return record, controls_removed(place, removed)


class _Scripts(HTMLParser):
    """The text of each ``<script type="application/ld+json">`` with its line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._open: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._open = (self.getpos()[0], [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.blocks.append((self._open[0], "".join(self._open[1])))
            self._open = None


def html_nodes(text: str, file: str) -> Iterator[tuple[Any, Diagnostic | None]]:
    """The JSON-LD of an HTML page, block by block; a block that is not JSON is reported."""
    parser = _Scripts()
    parser.feed(text)
    parser.close()
    for line, block in parser.blocks:
        try:
            yield json.loads(block), None
        except json.JSONDecodeError as exc:
            from generator.diagnostics import error

            yield None, error(file, line + exc.lineno - 1, "invalid-json",
                              f"JSON-LD script block is not valid JSON: {exc.msg}",
                              "fix the block or remove it")
