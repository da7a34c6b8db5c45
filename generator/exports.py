"""Data exports: the site index → ``data/*.json`` and ``data/*.csv``, as streams of bytes.

For researchers who want the claims without scraping the pages. Every file is
deterministic: records sorted by id, keys in a fixed order, no build time, so two builds of
the same content give the same bytes. Fields are documented in docs/data.md. Pure.

Each file is made record by record while it is written: at 10,000 claims the files come to
about 50 MB, which a build should not hold in memory beside the site it plans.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from generator import casemap
from generator.jsonld import CONTEXT, absolute_url, claim_review, iso_date, third_party_review
from generator.models import Actor, Case, Claim, Denial, Entry, Review, Source
from generator.resolve import SiteIndex

LIST_SEPARATOR = ";"
ROWS_PER_CHUNK = 200
Stream = Iterator[bytes]


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
            **_where(index, denial), "language": denial.language or index.config.language}


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
        "reviews": [_review(index, r) for r in claim.reviews],
        "language": claim.language or index.config.language,
    }


def _review(index: SiteIndex, review: Review) -> dict[str, Any]:
    """Another publisher's review, attributed as it was imported."""
    rating = index.config.rating(review.rating)
    return {"publisher": _actor(index, review.publisher),
            "textual_rating": review.textual_rating or None,
            "rating": {"key": rating.key, "label": rating.label, "value": rating.value}
            if rating else None,
            "date": iso_date(review.date), "url": review.url or None,
            "title": review.title or None, "language": review.language or None,
            "licence": review.licence or None}


def _json(data: Any, records: Iterable[Any]) -> Stream:
    """``data`` as one line of JSON, with ``records`` streamed into its last key (a list):
    the same bytes as ``json.dumps`` of the whole, made one record at a time."""
    head = json.dumps(data, ensure_ascii=False)
    assert head.endswith("[]}"), "the streamed list must be the last key"
    yield head[:-2].encode("utf-8")
    separator = ""
    for record in records:
        yield (separator + json.dumps(record, ensure_ascii=False)).encode("utf-8")
        separator = ", "
    yield b"]}\n"


def claims_json(index: SiteIndex) -> Stream:
    config = index.config
    organisation = config.organisation
    return _json({
        "site": {"title": config.title, "description": config.description,
                 "url": absolute_url(config, ""), "language": config.language,
                 "organisation": {"name": organisation.name, "url": organisation.url or None}},
        "rating_scale": [{"key": r.key, "label": r.label, "description": r.description,
                          "value": r.value}
                         for r in sorted(config.ratings, key=lambda r: (r.value, r.key))],
        "claims": [],
    }, (_claim(index, c) for c in _public(index.claims())))


def claimreview_feed(index: SiteIndex) -> Stream:
    """Every ClaimReview as a schema.org ``DataFeed``, the bulk format fact-check tools read:
    ours, and other publishers' that carry a licence to pass them on (attributed to them)."""
    public: list[Claim] = _public(index.claims())
    claims = [c for c in public if not c.third_party]
    modified = [c.modified for c in claims if c.modified]
    feed = {
        "@context": CONTEXT, "@type": "DataFeed",
        "name": f"{index.config.title}: ClaimReview",
        "url": absolute_url(index.config, "data/claimreview.json"),
        "dateModified": max(modified).iso() if modified else None,
        "dataFeedElement": [],
    }
    return _json({k: v for k, v in feed.items() if v is not None}, _feed_items(index, public))


def _feed_items(index: SiteIndex, claims: list[Claim]) -> Iterator[dict[str, Any]]:
    actors = index.entries["actors"]
    for claim in claims:
        if not claim.third_party:
            yield {"@type": "DataFeedItem", "dateCreated": iso_date(claim.published),
                   "dateModified": iso_date(claim.modified),
                   "item": [claim_review(index, claim)]}
            continue
        for review in claim.reviews:
            found = third_party_review(claim, review, actors.get(review.publisher),
                                       actors.get(claim.claimant))
            if found is not None:
                created = iso_date(review.date)
                yield {"@type": "DataFeedItem", **({"dateCreated": created} if created else {}),
                       "item": [found]}


def _cell(value: Any) -> Any:
    """Quoted propaganda must not become a spreadsheet formula when a researcher opens the
    CSV (OWASP's CSV injection advice): such cells get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Stream:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow([_cell(v) for v in row])
        if number % ROWS_PER_CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def claims_csv(index: SiteIndex) -> Stream:
    header = ("id", "page_url", "page_path", "title", "statement", "claimant_id",
              "claimant_name", "claimant_kind", "date", "date_note", "rating", "rating_label",
              "rating_value", "rating_explanation", "evidence", "tags", "countries", "related",
              "sources", "denials", "published", "modified", "reviewed", "language")
    return _csv(header, _claim_rows(index))


def _claim_rows(index: SiteIndex) -> Iterator[tuple[Any, ...]]:
    for claim in _public(index.claims()):
        c = _claim(index, claim)
        claimant = c["claimant"] or {}
        yield (c["id"], c["page_url"], c["page_path"], c["title"], c["statement"],
               claimant.get("id"), claimant.get("name"), claimant.get("kind"), c["date"],
               c["date_note"], c["rating"]["key"], c["rating"]["label"],
               c["rating"]["value"], c["rating"]["explanation"], c["evidence"],
               _joined(c["tags"]), _joined(c["countries"]), _joined(c["related"]),
               _joined(s["id"] for s in c["sources"]),
               _joined(d["id"] for d in c["denials"]),
               c["published"], c["modified"], c["reviewed"], c["language"])


def denials_csv(index: SiteIndex) -> Stream:
    header = ("id", "page_url", "page_path", "title", "actor_id", "actor_name", "date",
              "date_note", "quote", "quote_language", "answers", "sources", "language")
    return _csv(header, _denial_rows(index))


def _denial_rows(index: SiteIndex) -> Iterator[tuple[Any, ...]]:
    for denial in _public(index.all("denials")):
        d = _denial(index, denial)
        actor = d["actor"] or {}
        yield (d["id"], d["page_url"], d["page_path"], d["title"], actor.get("id"),
               actor.get("name"), d["date"], d["date_note"], d["quote"],
               d["quote_language"], _joined(d["answers"]), _joined(d["sources"]),
               d["language"])


def sources_csv(index: SiteIndex) -> Stream:
    header = ("id", "page_url", "page_path", "title", "kind", "publisher_id", "publisher_name",
              "date", "date_note", "url", "archive_url", "language", "cited_by_claims",
              "cited_by_denials")
    return _csv(header, _source_rows(index))


def _source_rows(index: SiteIndex) -> Iterator[tuple[Any, ...]]:
    for source in _public(index.all("sources")):
        s = _source(index, source)
        publisher = s["publisher"] or {}
        claims = _public(index.referrers(source, "claims", "sources"))
        denials = _public(index.referrers(source, "denials", "sources"))
        yield (s["id"], s["page_url"], s["page_path"], s["title"], s["kind"],
               publisher.get("id"), publisher.get("name"), s["date"], s["date_note"],
               s["url"], s["archive_url"], s["language"],
               _joined(c.slug for c in claims), _joined(d.slug for d in denials))


def exports(index: SiteIndex) -> dict[str, Callable[[], Stream]]:
    """Every data file, keyed by its output path, made only when called (by the worker
    that writes it). The JSON and the CSV of the claims each build their records as they
    go rather than share a list of them all: holding that list costs more than making it."""
    return {path: functools.partial(make, index) for path, make in (
        ("data/claims.json", claims_json), ("data/claimreview.json", claimreview_feed),
        ("data/claims.csv", claims_csv), ("data/denials.csv", denials_csv),
        ("data/sources.csv", sources_csv))}


CASE_GRAPH_FORMAT = "factcheck-case-graph/1"


def case_graphs(index: SiteIndex) -> dict[str, Callable[[], Stream]]:
    """Each case's graph file, made by the worker that writes it: a graph lists every
    claim of its case, and the 50 cases of a 10,000-claim site hold 21 MB of JSON."""
    return {f"data/cases/{case.slug}.json": functools.partial(_case_graph_stream, index, case)
            for case in index.cases()}


def _case_graph_stream(index: SiteIndex, case: Case) -> Stream:
    yield case_graph(index, case)


def case_graph(index: SiteIndex, case: Case) -> bytes:
    """One case's relation graph for newsrooms' own visualisations (shape in docs/data.md):
    every node and edge, not only the ones the page draws."""
    claims = [c for c in index.refs(case, "claims") if isinstance(c, Claim)]
    graph = casemap.graph(index, claims, limit=0)
    nodes = []
    for entry in graph.nodes:
        node: dict[str, Any] = {"id": f"{entry.kind}/{entry.slug}", "type": entry.kind[:-1],
                                "label": entry.label, **_where(index, entry)}
        if isinstance(entry, Claim):
            node["rating"] = entry.rating or None
        if hasattr(entry, "date"):
            node["date"] = iso_date(entry.date)  # type: ignore[attr-defined]
            node["date_note"] = entry.date_note or None  # type: ignore[attr-defined]
        nodes.append(node)
    edges = [{"source": "/".join(e.source), "target": "/".join(e.target),
              "relation": e.relation} for e in graph.edges]
    data = {"format": CASE_GRAPH_FORMAT, "id": case.slug, "title": case.title,
            **_where(index, case), "nodes": nodes, "edges": edges}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
