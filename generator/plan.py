"""Plan: the site index → the list of pages to produce (output path, template, context).

Files made without a template (feeds, sitemap, robots.txt, data exports: see feeds.py,
exports.py) are planned too, as ready bytes or (the large exports) as a function that
streams them, so everything the site contains is listed here.

Pure and cheap, so it is recomputed on every build; the expensive part (rendering) can then
be cached or parallelised page by page. Lists are paginated so no page grows with the site.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator import casemap, countries, exports, feeds, sharecards
from generator.i18n import N_, Country, Message, babel_locale
from generator.jsonld import byline, claim_review_script
from generator.models import (
    Actor,
    Case,
    Claim,
    Denial,
    DraftNote,
    Entry,
    Page,
    PartialDate,
    Review,
    Source,
)
from generator.resolve import UNDATED, SiteIndex

PER_PAGE = 50
HOME_CLAIMS = 10
RATING_LATEST = 3
"""Claims the ratings overview shows under each rating; its own page lists them all."""
ENTRY_LIST = 50
"""Most items an entry page lists under one heading; the rest are on paginated pages."""
# Interface text is planned as a ``Message`` (msgid marked with N_ for extraction) and
# translated by the template in the page's language: one plan serves every language.
LIST_TITLES = {"claims": N_("%(owner)s: claims"), "denials": N_("%(owner)s: denials"),
               "sources": N_("%(owner)s: sources"),
               "members": N_("%(owner)s: affiliated actors"),
               "mentions": N_("%(owner)s: entries mentioning it"),
               "reviews": N_("%(owner)s: claims reviewed")}
TITLES = {"claims": N_("Claims"), "denials": N_("Denials"), "sources": N_("Sources"),
          "actors": N_("Actors"), "cases": N_("Cases")}
INTROS = {
    "claims": N_("Every allegation we checked, newest first, with our rating."),
    "denials": N_("Rebuttals issued by the parties, each linked to the claims it answers."),
    "sources": N_("The documents and statements behind the claims and denials."),
    "actors": N_("People, governments, organisations and outlets who made or denied claims."),
    "cases": N_("Stories: who alleged what and when, who denied it, and on what evidence."),
}


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    prev: str = ""
    next: str = ""


@dataclass(frozen=True, slots=True)
class PlannedPage:
    path: str
    """Output file below the site root, e.g. ``claims/x/index.html``."""
    template: str
    context: dict[str, Any] = field(hash=False)
    url_path: str = ""
    """The page's URL below the site root (``claims/x/``), for canonical links and sitemaps."""
    data: bytes | Callable[[], Iterator[bytes]] | None = None
    """Bytes made without a template (feeds, sitemap), written as they are; or a function
    that makes them piece by piece (data exports), called where the file is written."""
    lastmod: PartialDate | None = None
    """When the page's content last changed, when known: the sitemap's ``lastmod``."""
    language: str = ""
    """The edition the page belongs to on a multilingual site (editions.py); empty for the
    default language, rendered with the build's own environment and index."""
    deferred: bool = False
    """An entry's page planned with only what the build itself reads (its entry, whether
    it is indexed); the rest (title, description, body, lists, graphs, ClaimReview) is
    added by ``expanded`` where the page is rendered, so a build never holds every page's
    whole context at once (124 MB of a 10,000-claim plan)."""


def output_path(url_path: str) -> str:
    """The file a page's URL is written to: a folder's ``index.html``, or the file it names."""
    return f"{url_path}index.html" if url_path.endswith("/") or not url_path else url_path


def own_entry(page: PlannedPage) -> Entry | None:
    """The entry whose own page this is (``plan_entry``: it shows the entry's body); None
    for a page that only lists entries."""
    entry = page.context.get("entry")
    return entry if isinstance(entry, Entry) and page.path == output_path(entry.url_path) \
        else None


def expanded(page: PlannedPage, index: SiteIndex) -> PlannedPage:
    """The page with its whole context: what its template and its fingerprint see. What
    was planned stays as planned (an edition's switcher, its ``indexed``)."""
    if not page.deferred:
        return page
    whole = whole_entry_page(index, page.context["entry"]).context
    context = {**whole, **page.context, "page": {**whole["page"], **page.context["page"]}}
    return dataclasses.replace(page, context=context, deferred=False)


def _file(path: str, data: bytes | Callable[[], Iterator[bytes]]) -> PlannedPage:
    return PlannedPage(path, "", {}, data=data)


def _page(url_path: str, template: str, title: str | Message, description: str | Message,
          section: str = "", lastmod: PartialDate | None = None, **context: Any
          ) -> PlannedPage:
    path = output_path(url_path)
    context.setdefault("draft", False)
    context.setdefault("note", None)
    context.setdefault("jsonld", "")
    context.setdefault("feeds", [])
    indexed = not context["draft"] and url_path != "404.html"
    context["page"] = {"title": title, "description": description, "url_path": url_path,
                       "indexed": indexed, "og_type": "article" if section in TITLES
                       and template != "list.html" else "website"}
    context["section"] = section
    return PlannedPage(path, template, context, url_path, lastmod=lastmod)


def _paginated(url_path: str, title: str | Message, items: list[Any], **context: Any
               ) -> list[PlannedPage]:
    chunks = [items[i:i + PER_PAGE] for i in range(0, len(items), PER_PAGE)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        path = url_path if number == 1 else f"{url_path}page/{number}/"
        prev = "" if number == 1 else (url_path if number == 2 else f"{url_path}page/{number - 1}/")
        nxt = f"{url_path}page/{number + 1}/" if number < len(chunks) else ""
        shown = title if number == 1 else Message.of(N_("%(title)s (page %(number)s)"),
                                                     title=title, number=number)
        pages.append(_page(path, "list.html", shown, context.get("intro") or title,
                           items=chunk, pagination=Pagination(number, len(chunks), prev, nxt),
                           **context))
    return pages


def _summary(text: str, limit: int = 155) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def backlinks(index: SiteIndex, entry: Entry) -> dict[str, list[Entry]]:
    """The lists an actor or source page shows, in full."""
    if isinstance(entry, Source):
        return {"claims": index.referrers(entry, "claims", "sources"),
                "denials": index.referrers(entry, "denials", "sources")}
    if isinstance(entry, Actor):
        return {"claims": index.claims_by(entry), "denials": index.denials_by(entry),
                "sources": index.sources_by(entry), "members": index.members(entry),
                "mentions": index.mentioned_by(entry), "reviews": index.reviews_by(entry)}
    return {}


def _bounded(entry: Entry, lists: dict[str, list[Entry]]) -> dict[str, Any]:
    """Each list cut to ``ENTRY_LIST`` items, with where to see all of a longer one."""
    context: dict[str, Any] = {name: items[:ENTRY_LIST] for name, items in lists.items()}
    context["more"] = {name: {"url": f"{entry.url_path}{name}/", "total": len(items)}
                       if len(items) > ENTRY_LIST else None for name, items in lists.items()}
    return context


def overflow(index: SiteIndex, entry: Entry) -> list[PlannedPage]:
    """Paginated full lists for an entry page's lists that were cut (``owner`` in their
    context: their titles show its name)."""
    pages = []
    for name, items in backlinks(index, entry).items():
        if len(items) > ENTRY_LIST:
            kind = name if name in ("claims", "denials") else \
                "claims" if name == "reviews" else "entries"
            title = Message.of(LIST_TITLES[name], owner=entry.label)
            pages += _paginated(f"{entry.url_path}{name}/", title, items, kind=kind, intro="",
                                section=entry.kind, owner=entry)
    return pages


SHOWN_AS = {"claims": "claim", "denials": "denial", "sources": "source", "actors": "actor",
            "cases": "case", "pages": ""}
"""The name an entry's own template knows it by (a page's is ``entry`` alone)."""


PLANNED_PAGE = {flag: MappingProxyType({"indexed": flag}) for flag in (True, False)}
"""An entry page's planned ``page``, one read-only copy shared by every page."""


def plan_entry(index: SiteIndex, entry: Entry) -> PlannedPage:
    """The page of one entry, holding what the build reads before rendering (the entry,
    whether the page is indexed); ``expanded`` completes it where it is rendered."""
    context: dict[str, Any] = {"entry": entry, "draft": entry.draft,
                               "page": PLANNED_PAGE[not entry.draft]}
    if SHOWN_AS[entry.kind]:
        context[SHOWN_AS[entry.kind]] = entry
    return PlannedPage(output_path(entry.url_path), f"{SHOWN_AS[entry.kind] or 'page'}.html",
                       context, entry.url_path,
                       lastmod=entry.modified if isinstance(entry, Claim) else None,
                       deferred=True)


def whole_entry_page(index: SiteIndex, entry: Entry) -> PlannedPage:
    """The page of one entry with everything its template shows."""
    common = {"body": index.body(entry), "draft": entry.draft, "entry": entry,
              "note": index.notes.get((entry.kind, entry.slug))}
    if isinstance(entry, Claim):
        rating = index.config.rating(entry.rating)
        label = rating.label if rating else entry.rating
        why = f"{label}: {entry.rating_explanation}" if entry.rating_explanation else label
        if entry.third_party:
            why = review_summary(index, entry)
        # A third-party review's page carries no ClaimReview: the markup belongs on the
        # reviewer's own page (Google's guidance).
        return _page(entry.url_path, "claim.html", entry.title, _summary(why), "claims",
                     lastmod=entry.modified, claim=entry, cases=index.cases_of(entry),
                     claim_graph=casemap.graph(index, [entry]),
                     jsonld="" if entry.third_party else claim_review_script(index, entry),
                     byline=byline(index, entry),
                     reviews=[(index.entries["actors"].get(r.publisher), r)
                              for r in entry.reviews],
                     claimant=index.entries["actors"].get(entry.claimant),
                     denials=index.denials_of(entry), sources=index.refs(entry, "sources"),
                     related=index.related_claims(entry),
                     share_image=sharecards.share_image(index.config, entry), **common)
    if isinstance(entry, Denial):
        return _page(entry.url_path, "denial.html", entry.title, _summary(entry.quote), "denials",
                     denial=entry, actor=index.get("actors", entry.actor),
                     claims=index.refs(entry, "answers"), sources=index.refs(entry, "sources"),
                     **common)
    if isinstance(entry, Source):
        publisher = index.refs(entry, "publisher")
        lists = _bounded(entry, backlinks(index, entry))
        description = Message.of(N_("Source: %(title)s"), title=_summary(entry.title, 147))
        return _page(entry.url_path, "source.html", entry.title, description, "sources",
                     source=entry, publisher=publisher[0] if publisher else None,
                     **lists, **common)
    if isinstance(entry, Actor):
        affiliation = index.refs(entry, "affiliation")
        description = entry.name + (f", {entry.role}" if entry.role else "")
        lists = _bounded(entry, backlinks(index, entry))
        dated = index.claims_by(entry) + index.denials_by(entry) + index.sources_by(entry)
        return _page(entry.url_path, "actor.html", entry.name, _summary(description), "actors",
                     actor=entry, affiliation=affiliation[0] if affiliation else None,
                     actor_timeline=casemap.timeline(dated, ENTRY_LIST),
                     reviewed=reviews_of(entry, lists["reviews"]), **lists, **common)
    if isinstance(entry, Case):
        return _page(entry.url_path, "case.html", entry.title,
                     _summary(entry.summary or entry.title), "cases", case=entry,
                     map=casemap.case_map(index, entry), **common)
    assert isinstance(entry, Page)
    return _page(entry.url_path, "page.html", entry.title, _summary(entry.title),
                 f"page-{entry.slug}", **common)


def reviews_of(publisher: Actor, claims: list[Claim]) -> list[tuple[Claim, list[Review]]]:
    """Each claim a publisher reviewed with that publisher's own reviews of it: its page
    shows their verdicts, not the other publishers' (the claim page shows all)."""
    return [(claim, [r for r in claim.reviews if r.publisher == publisher.slug])
            for claim in claims]


def review_summary(index: SiteIndex, claim: Claim) -> str:
    """"Review by X: their rating" for each review: what a third-party claim page says."""
    parts = []
    for review in claim.reviews:
        publisher = index.entries["actors"].get(review.publisher)
        name = publisher.label if publisher else review.publisher
        parts.append(f"Review by {name}: {review.textual_rating or 'rating not given'}")
    return "; ".join(parts)


def plan_draft(note: DraftNote) -> PlannedPage:
    """The preview's page for a draft that cannot be shown yet: what it still needs."""
    return _page(note.url_path, "draft.html", note.title,
                 Message(N_("A draft, not published yet.")), note.kind, draft=True, note=note)


def plan_site(index: SiteIndex) -> list[PlannedPage]:
    config = index.config
    claims = index.claims()
    pages = [_page("", "home.html", config.title, config.description, "home",
                   claims=claims[:HOME_CLAIMS])]
    for kind, title in TITLES.items():
        pages += _paginated(f"{kind}/", Message(title), index.all(kind), kind=kind,
                            intro=Message(INTROS[kind]))
        pages += [plan_entry(index, e) for e in index.all(kind)]
        if kind in ("sources", "actors"):
            for entry in index.all(kind):
                pages += overflow(index, entry)
    pages += [plan_entry(index, e) for e in index.all("pages")]
    pages += [plan_draft(note) for key, note in index.notes.items()
              if key[1] not in index.entries[key[0]]]

    counts = Counter(key for c in claims for key in c.rating_keys)
    scale = sorted(config.ratings, key=lambda r: r.value)
    rated_by = {r.key: [c for c in claims if r.key in c.rating_keys] for r in scale}
    pages.append(_page("ratings/", "ratings.html", Message(N_("Our ratings")),
                       Message(N_("The scale we rate claims on, and what each rating means.")),
                       "ratings",
                       scale=scale, counts={r.key: counts[r.key] for r in scale},
                       latest={key: rated[:RATING_LATEST] for key, rated in rated_by.items()}))
    for r in scale:
        rated = rated_by[r.key]
        pages += _paginated(f"ratings/{r.key}/", Message.of(N_("Rated: %(rating)s"),
                                                            rating=r.label), rated, kind="claims",
                            intro=r.description, section="ratings")
    pages += plan_facets(index)
    tags = index.tags()
    pages += _paginated("tags/", Message(N_("Tags")), list(tags.items()), kind="tags",
                        intro=Message(N_("Topics, with the number of claims on each.")))
    for tag, tagged in tags.items():
        feed = [{"title": f"{config.title}: {tag}", "path": f"tags/{tag}/feed.xml"}] \
            if config.is_absolute and any(not c.draft and not c.third_party
                                          for c in tagged) else []
        pages += _paginated(f"tags/{tag}/", Message.of(N_("Tag: %(tag)s"), tag=tag), tagged,
                            kind="claims", intro=Message.of(N_("Claims tagged “%(tag)s”."),
                                                            tag=tag), feeds=feed)
    pages.append(_page("search/", "search.html", Message(N_("Search")),
                       Message(N_("Find a claim or a denial by its words, rating, claimant, "
                                  "country, tag, year or language.")),
                       "search"))
    pages.append(_page("404.html", "404.html", Message(N_("Page not found")),
                       Message(N_("There is no page at this address."))))
    pages += plan_cards(index)
    return pages + plan_files(index, pages, tags)


def plan_facets(index: SiteIndex) -> list[PlannedPage]:
    """Browsing without JavaScript: a page per country and per year (``undated`` for claims
    without a date), each paginated, and an index of each. Countries are listed by their
    name in the site's language; a page shows names in its own."""
    by_country = index.countries()
    locale = babel_locale(index.config.language)
    named = sorted(by_country.items(),
                   key=lambda item: (countries.country_name(item[0], locale).casefold(), item[0]))
    pages = _paginated("countries/", Message(N_("Countries")), named, kind="countries",
                       intro=Message(N_("The countries our claims concern, with the number "
                                        "of claims on each.")), section="claims")
    for code, concerned in by_country.items():
        pages += _paginated(countries.url_path(code),
                            Message.of(N_("Country: %(country)s"), country=Country(code)),
                            concerned, kind="claims", section="claims",
                            intro=Message.of(N_("Claims concerning %(country)s."),
                                             country=Country(code)))
    by_year = index.years()
    pages += _paginated("years/", Message(N_("Years")), list(by_year.items()), kind="years",
                        intro=Message(N_("Claims by the year they were made, newest first.")),
                        section="claims")
    for year, made in by_year.items():
        if year == UNDATED:
            title = Message(N_("Claims without a date"))
            intro = Message(N_("Claims whose date is not known, each with what the source "
                               "says about when it was made."))
        else:
            title = Message.of(N_("Claims from %(year)s"), year=year)
            intro = Message.of(N_("Claims made in %(year)s, newest first."), year=year)
        pages += _paginated(f"years/{year}/", title, made, kind="claims", intro=intro,
                            section="claims")
    return pages
def plan_cards(index: SiteIndex) -> list[PlannedPage]:
    """The share images claim pages name (see sharecards.py): drawn where they are written,
    from a context that holds their claim, so they are redrawn when it changes."""
    return [PlannedPage(path, "", context)
            for path, context in sharecards.card_contexts(index.config, index.claims())]


def plan_files(index: SiteIndex, pages: list[PlannedPage], tags: dict[str, list[Claim]]
               ) -> list[PlannedPage]:
    """Feeds, sitemap, robots.txt and data exports, for the pages planned so far."""
    config = index.config
    # Feeds carry our own reviews: a third-party review has no publication date of ours.
    claims = [c for c in index.claims() if not c.draft and not c.third_party]
    files: dict[str, bytes | Callable[[], Iterator[bytes]]] = dict(exports.exports(index))
    files.update(exports.case_graphs(index))
    site_feed = feeds.atom_feed(index, claims, "feed.xml", config.title)
    if site_feed is not None:
        files["feed.xml"] = site_feed
    for tag, tagged in tags.items():
        public = [c for c in tagged if not c.draft and not c.third_party]
        if not public:
            continue
        tag_feed = feeds.atom_feed(index, public, f"tags/{tag}/feed.xml",
                                   f"{config.title}: {tag}")
        if tag_feed is not None:
            files[f"tags/{tag}/feed.xml"] = tag_feed
    listed = [(p.url_path, p.lastmod) for p in pages
              if p.template and p.path.endswith(".html") and p.context["page"]["indexed"]]
    files.update(feeds.sitemap(config, listed))
    files["robots.txt"] = feeds.robots_txt(config)
    return [_file(path, data) for path, data in files.items()]
