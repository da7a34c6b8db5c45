"""Data exports: the site index → ``data/*.json`` and ``data/*.csv`` as bytes.

For researchers who want the claims without scraping the pages. Every file is
deterministic: records sorted by id, keys in a fixed order, no build time, so two builds of
the same content give the same bytes. Fields are documented in docs/data.md. Pure.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from generator.jsonld import CONTEXT, absolute_url, claim_review, iso_date
from generator.models import Actor, Claim, Denial, Entry, Source
from generator.resolve import SiteIndex

LIST_SEPARATOR = ";"


def _public(entries: Iterable[Entry]) -> list[Any]:
    """Published entries sorted by id: drafts (``--drafts`` builds) are never exported."""
    return sorted((e for e in entries if not e.draft), key=lambda e: e.slug)


def _where(index: SiteIndex, entry: Entry) -> dict[str, str | None]:
    return {"page_url": absolute_url(index.config, entry.url_path),
            "page_path": index.config.base_path + entry.url_path}


def _actor(index: SiteIndex, slug: str) -> dict[str, Any] | None:
    actor = index.entries["actors"].get(slug)
    if not isinstance(actor, Actor):
        return None
    return {"id": actor.slug, "name": actor.name, "kind": actor.actor_kind,
            "role": actor.role or None, "country": actor.country or None, **_where(index, actor)}


def _source(index: SiteIndex, source: Source) -> dict[str, Any]:
    return {"id": source.slug, "title": source.title, "kind": source.source_kind,
            "publisher": _actor(index, source.publisher) if source.publisher else None,
            "date": iso_date(source.date), "date_note": source.date_note or None,
            "url": source.url or None, "archive_url": source.archive_url or None,
            "language": source.language or None, **_where(index, source)}


def _denial(index: SiteIndex, denial: Denial) -> dict[str, Any]:
    return {"id": denial.slug, "title": denial.title, "actor": _actor(index, denial.actor),
            "date": iso_date(denial.date), "date_note": denial.date_note or None,
            "quote": denial.quote, "quote_language": denial.quote_language or None,
            "answers": sorted(denial.answers), "sources": list(denial.sources),
            **_where(index, denial)}


def _claim(index: SiteIndex, claim: Claim) -> dict[str, Any]:
    rating = index.config.rating(claim.rating)
    return {
        "id": claim.slug, **_where(index, claim),
        "title": claim.title, "statement": claim.statement,
        "statement_verbatim": claim.verbatim,
        "claimant": _actor(index, claim.claimant),
        "date": iso_date(claim.date), "date_note": claim.date_note or None,
        "rating": {"key": claim.rating, "label": rating.label if rating else None,
                   "value": rating.value if rating else None,
                   "explanation": claim.rating_explanation or None},
        "evidence": claim.evidence, "tags": list(claim.tags),
        "countries": list(claim.countries),
        "related": [c.slug for c in _public(index.related_claims(claim))],
        "sources": [_source(index, s) for s in index.refs(claim, "sources")
                    if isinstance(s, Source) and not s.draft],
        "denials": [_denial(index, d) for d in _public(index.denials_of(claim))],
        "published": iso_date(claim.published), "modified": iso_date(claim.modified),
        "reviewed": iso_date(claim.reviewed),
        "updates": [{"date": u.date.iso(), "note": u.note} for u in claim.updates],
    }


def _json(data: Any) -> bytes:
    """Compact JSON, one file per line: the C encoder, so exports stay cheap on big sites."""
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def claims_json(index: SiteIndex, records: list[dict[str, Any]]) -> bytes:
    config = index.config
    organisation = config.organisation
    return _json({
        "site": {"title": config.title, "description": config.description,
                 "url": absolute_url(config, ""), "language": config.language,
                 "organisation": {"name": organisation.name, "url": organisation.url or None}},
        "rating_scale": [{"key": r.key, "label": r.label, "description": r.description,
                          "value": r.value}
                         for r in sorted(config.ratings, key=lambda r: (r.value, r.key))],
        "claims": records,
    })


def claimreview_feed(index: SiteIndex) -> bytes:
    """Every ClaimReview as a schema.org ``DataFeed``, the bulk format fact-check tools read."""
    claims: list[Claim] = _public(index.claims())
    modified = [c.modified for c in claims if c.modified]
    feed = {
        "@context": CONTEXT, "@type": "DataFeed",
        "name": f"{index.config.title}: ClaimReview",
        "url": absolute_url(index.config, "data/claimreview.json"),
        "dateModified": max(modified).iso() if modified else None,
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": iso_date(c.published),
             "dateModified": iso_date(c.modified), "item": [claim_review(index, c)]}
            for c in claims],
    }
    return _json({k: v for k, v in feed.items() if v is not None})


def _cell(value: Any) -> Any:
    """Quoted propaganda must not become a spreadsheet formula when a researcher opens the
    CSV (OWASP's CSV injection advice): such cells get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def claims_csv(records: list[dict[str, Any]]) -> bytes:
    header = ("id", "page_url", "page_path", "title", "statement", "claimant_id",
              "claimant_name", "claimant_kind", "date", "date_note", "rating", "rating_label",
              "rating_value", "rating_explanation", "evidence", "tags", "countries", "related",
              "sources", "denials", "published", "modified", "reviewed")
    rows = []
    for c in records:
        claimant = c["claimant"] or {}
        rows.append((c["id"], c["page_url"], c["page_path"], c["title"], c["statement"],
                     claimant.get("id"), claimant.get("name"), claimant.get("kind"), c["date"],
                     c["date_note"], c["rating"]["key"], c["rating"]["label"],
                     c["rating"]["value"], c["rating"]["explanation"], c["evidence"],
                     _joined(c["tags"]), _joined(c["countries"]), _joined(c["related"]),
                     _joined(s["id"] for s in c["sources"]),
                     _joined(d["id"] for d in c["denials"]),
                     c["published"], c["modified"], c["reviewed"]))
    return _csv(header, rows)


def denials_csv(index: SiteIndex) -> bytes:
    header = ("id", "page_url", "page_path", "title", "actor_id", "actor_name", "date",
              "date_note", "quote", "quote_language", "answers", "sources")
    rows = []
    for denial in _public(index.all("denials")):
        d = _denial(index, denial)
        actor = d["actor"] or {}
        rows.append((d["id"], d["page_url"], d["page_path"], d["title"], actor.get("id"),
                     actor.get("name"), d["date"], d["date_note"], d["quote"],
                     d["quote_language"], _joined(d["answers"]), _joined(d["sources"])))
    return _csv(header, rows)


def sources_csv(index: SiteIndex) -> bytes:
    header = ("id", "page_url", "page_path", "title", "kind", "publisher_id", "publisher_name",
              "date", "date_note", "url", "archive_url", "language", "cited_by_claims",
              "cited_by_denials")
    rows = []
    for source in _public(index.all("sources")):
        s = _source(index, source)
        publisher = s["publisher"] or {}
        claims = _public(index.referrers(source, "claims", "sources"))
        denials = _public(index.referrers(source, "denials", "sources"))
        rows.append((s["id"], s["page_url"], s["page_path"], s["title"], s["kind"],
                     publisher.get("id"), publisher.get("name"), s["date"], s["date_note"],
                     s["url"], s["archive_url"], s["language"],
                     _joined(c.slug for c in claims), _joined(d.slug for d in denials)))
    return _csv(header, rows)


def exports(index: SiteIndex) -> dict[str, bytes]:
    """Every data file, keyed by its output path."""
    records = [_claim(index, c) for c in _public(index.claims())]  # shared by JSON and CSV
    return {
        "data/claims.json": claims_json(index, records),
        "data/claimreview.json": claimreview_feed(index),
        "data/claims.csv": claims_csv(records),
        "data/denials.csv": denials_csv(index),
        "data/sources.csv": sources_csv(index),
    }
