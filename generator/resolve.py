"""Resolve stage: validated entries → the site index (lookups by slug and every backlink).

Relations are declared once, in ``RELATIONS``; the reverse direction is computed here, once,
so a claim page finds its denials and a source page every entry citing it. Dangling or
wrong-kind references, duplicate slugs, URL collisions and broken body links are errors.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.anchors import check_anchor
from generator.body import Body, Link
from generator.diagnostics import Diagnostic, closest, did_you_mean, error, warning
from generator.models import (
    Actor,
    Case,
    Claim,
    Denial,
    DraftNote,
    Entry,
    Page,
    SiteConfig,
    Source,
)
from generator.read import KINDS
from generator.references import References
from generator.sitechecks import affiliation_cycles, duplicate_labels, unknown_rating

SINGULAR = {"claims": "claim", "denials": "denial", "sources": "source", "actors": "actor",
            "pages": "page", "cases": "case"}
RELATIONS: tuple[tuple[str, str, str], ...] = (
    # (kind, field, kind of the entries it names)
    ("claims", "claimant", "actors"),
    ("claims", "sources", "sources"),
    ("claims", "related", "claims"),
    ("claims", "review_publishers", "actors"),
    ("denials", "actor", "actors"),
    ("denials", "answers", "claims"),
    ("denials", "sources", "sources"),
    ("sources", "publisher", "actors"),
    ("actors", "affiliation", "actors"),
    ("cases", "claims", "claims"),
)
RESERVED = {"claims", "denials", "sources", "actors", "cases", "ratings", "tags", "static",
            "data", "countries", "years",
            "feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.html", "search",
            "feeds"}

Key = tuple[str, str]


def _names(entry: Entry, name: str) -> tuple[str, ...]:
    value = getattr(entry, name)
    if isinstance(value, tuple):
        return value
    return (value,) if value else ()


@dataclass(frozen=True, slots=True)
class SiteIndex:
    """Everything render needs to know about the site as a whole."""

    config: SiteConfig
    entries: Mapping[str, Mapping[str, Entry]]
    """kind → slug → entry, each sorted for deterministic output."""
    bodies: Mapping[Key, Body]
    incoming: Mapping[Key, Mapping[tuple[str, str], tuple[str, ...]]] = field(repr=False)
    """(kind, slug) → (kind of the referrer, field) → slugs of referrers, sorted."""
    mentions: Mapping[Key, tuple[Key, ...]] = field(repr=False)
    """(kind, slug) → entries whose body links to it."""
    translations: Mapping[Key, Mapping[str, Entry]] = field(default_factory=dict, repr=False)
    """(kind, slug) of an original → language → its translation (``translated.attach``)."""
    notes: Mapping[Key, DraftNote] = field(default_factory=dict, repr=False)
    """In the preview: drafts with problems or undecided fields. Those not in ``entries``
    (unfinished or broken) get a page of their own listing what is missing, and only it."""

    def get(self, kind: str, slug: str) -> Entry:
        return self.entries[kind][slug]

    def all(self, kind: str) -> list[Entry]:
        return list(self.entries[kind].values())

    def refs(self, entry: Entry, name: str) -> list[Entry]:
        """Entries named by one of ``entry``'s fields, in the order written."""
        kind = next(k for (src, f, k) in RELATIONS if src == entry.kind and f == name)
        return [self.entries[kind][s] for s in _names(entry, name) if s in self.entries[kind]]

    def referrers(self, entry: Entry, kind: str, name: str) -> list[Entry]:
        """Entries of ``kind`` whose field ``name`` names ``entry``."""
        slugs = self.incoming.get((entry.kind, entry.slug), {}).get((kind, name), ())
        return [self.entries[kind][s] for s in slugs]

    def mentioned_by(self, entry: Entry) -> list[Entry]:
        return [self.entries[k][s] for k, s in self.mentions.get((entry.kind, entry.slug), ())]

    def body(self, entry: Entry) -> Body:
        """Packed: the page that shows it unpacks it (``.html``) when it is rendered."""
        return self.bodies[(entry.kind, entry.slug)]

    # Named views, so templates read like the product.
    def claims(self) -> list[Claim]:
        return self.all("claims")  # type: ignore[return-value]

    def denials_of(self, claim: Claim) -> list[Denial]:
        return self.referrers(claim, "denials", "answers")  # type: ignore[return-value]

    def related_claims(self, claim: Claim) -> list[Claim]:
        """Related both ways: declared on either claim."""
        seen = {c.slug: c for c in self.refs(claim, "related")}
        for other in self.referrers(claim, "claims", "related"):
            seen.setdefault(other.slug, other)
        return [c for s, c in sorted(seen.items()) if s != claim.slug]  # type: ignore[misc]

    def citing(self, source: Source) -> list[Entry]:
        return self.referrers(source, "claims", "sources") + \
            self.referrers(source, "denials", "sources")

    def reviews_by(self, actor: Actor) -> list[Claim]:
        """Claims this publisher reviewed (imported third-party reviews)."""
        return self.referrers(actor, "claims", "review_publishers")  # type: ignore[return-value]

    def claims_by(self, actor: Actor) -> list[Claim]:
        return self.referrers(actor, "claims", "claimant")  # type: ignore[return-value]

    def denials_by(self, actor: Actor) -> list[Denial]:
        return self.referrers(actor, "denials", "actor")  # type: ignore[return-value]

    def sources_by(self, actor: Actor) -> list[Source]:
        return self.referrers(actor, "sources", "publisher")  # type: ignore[return-value]

    def cases(self) -> list[Case]:
        return self.all("cases")  # type: ignore[return-value]

    def cases_of(self, claim: Claim) -> list[Case]:
        return self.referrers(claim, "cases", "claims")  # type: ignore[return-value]

    def members(self, actor: Actor) -> list[Actor]:
        return self.referrers(actor, "actors", "affiliation")  # type: ignore[return-value]

    def tags(self) -> dict[str, list[Claim]]:
        result: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims():
            for tag in claim.tags:
                result[tag].append(claim)
        return dict(sorted(result.items()))

    def person(self, name: str) -> Actor | None:
        """The actor a byline names by slug, or None when it is a plain name."""
        found = self.entries["actors"].get(name)
        return found if isinstance(found, Actor) else None

    def countries(self) -> dict[str, list[Claim]]:
        """Country code → the claims concerning it, each list in the claims' order."""
        result: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims():
            for code in claim.countries:
                result[code].append(claim)
        return dict(sorted(result.items()))

    def years(self) -> dict[str, list[Claim]]:
        """``"2022"`` → the claims made that year, newest year first; ``UNDATED`` → the
        claims without a date (a date note at most), last."""
        result: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims():
            result[year_key(claim)].append(claim)
        years = sorted((k for k in result if k != UNDATED), reverse=True)
        return {key: result[key] for key in years + ([UNDATED] if UNDATED in result else [])}

    def menu(self) -> list[Page]:
        pages = [p for p in self.all("pages") if isinstance(p, Page) and p.menu is not None]
        return sorted(pages, key=lambda p: (p.menu, p.slug))


UNDATED = "undated"
"""The year archive of claims without a date: ``/years/undated/`` (no year is a word)."""


def year_key(claim: Claim) -> str:
    """Which year archive lists a claim: the year of its date, or ``UNDATED``."""
    return f"{claim.date.year:04d}" if claim.date else UNDATED


def claim_order(claim: Claim) -> tuple[str, str]:
    published = claim.published.iso() if claim.published else ""
    return (published, claim.slug)


def _sorted(kind: str, entries: Iterable[Entry]) -> dict[str, Entry]:
    if kind == "claims":  # newest first, then by slug: stable whatever the file order
        ordered = sorted(entries, key=lambda e: e.slug)
        ordered.sort(key=lambda e: claim_order(e)[0], reverse=True)  # type: ignore[arg-type]
    else:
        ordered = sorted(entries, key=lambda e: (e.label.casefold(), e.slug))
    return {e.slug: e for e in ordered}


def resolve(entries: Iterable[Entry], bodies: Mapping[Key, Body], config: SiteConfig,
            include_drafts: bool = False, invalid: Iterable[Key] = (),
            partial: Iterable[References] = ()) -> tuple[SiteIndex, list[Diagnostic]]:
    """Build the index; ``invalid`` names files that exist but failed to read or validate.

    References to those are not reported again: their own file already carries the error,
    and "create content/actors/x.md" would be wrong advice for a file that exists.
    ``partial``: the references of entries that failed validation, checked all the same.
    """
    broken = set(invalid)
    by_kind, drafts, diagnostics = by_slug(entries, include_drafts)
    diagnostics += reserved_urls(by_kind)
    incoming, problems = backlinks(by_kind, drafts, broken)
    diagnostics += problems
    diagnostics += check_partial(partial, by_kind, drafts, broken, config)
    diagnostics += unknown_ratings(by_kind, config)
    mentions, problems = body_links(by_kind, bodies, drafts, broken)
    diagnostics += problems
    index = SiteIndex(
        config=config,
        entries={kind: _sorted(kind, by_kind[kind].values()) for kind in KINDS},
        bodies=bodies,
        incoming={key: {rel: tuple(sorted(slugs)) for rel, slugs in sorted(value.items())}
                  for key, value in incoming.items()},
        mentions={key: tuple(sorted(value)) for key, value in mentions.items()},
    )
    return index, [*diagnostics, *check_self_references(index),
                   *duplicate_labels(index.entries), *affiliation_cycles(index.all("actors"))]


def by_slug(entries: Iterable[Entry], include_drafts: bool
            ) -> tuple[dict[str, dict[str, Entry]], dict[Key, Entry], list[Diagnostic]]:
    """Entries by kind and slug, drafts apart unless included; a second file whose slug
    differs only in case is an error (they would share a URL)."""
    diagnostics: list[Diagnostic] = []
    by_kind: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    folded: dict[tuple[str, str], Entry] = {}
    drafts: dict[Key, Entry] = {}
    for entry in sorted(entries, key=lambda e: (e.kind, e.slug, e.path)):
        twin = folded.get((entry.kind, entry.slug.casefold()))
        if twin is not None:
            diagnostics.append(error(entry.path, 0, "duplicate-slug",
                                     f"slug '{entry.slug}' is already used by {twin.path}",
                                     "rename one of the files"))
            continue
        folded[(entry.kind, entry.slug.casefold())] = entry
        if entry.draft and not include_drafts:
            drafts[(entry.kind, entry.slug)] = entry
            continue
        by_kind[entry.kind][entry.slug] = entry
    return by_kind, drafts, diagnostics


def reserved_urls(by_kind: Mapping[str, Mapping[str, Entry]]) -> list[Diagnostic]:
    """Pages whose URL would be one of the site's own folders or files."""
    return [error(page.path, 0, "url-collision",
                  f"page URL /{page.slug}/ collides with the site's own /{page.slug}/",
                  "rename the page")
            for page in by_kind["pages"].values() if page.slug.casefold() in RESERVED]


def backlinks(by_kind: Mapping[str, Mapping[str, Entry]], drafts: Mapping[Key, Entry],
              broken: set[Key]
              ) -> tuple[dict[Key, dict[tuple[str, str], list[str]]], list[Diagnostic]]:
    """Every relation's reverse direction, and its references to no published entry."""
    diagnostics: list[Diagnostic] = []
    incoming: dict[Key, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for kind, name, target_kind in RELATIONS:
        for entry in by_kind[kind].values():
            for index, slug in enumerate(_names(entry, name)):
                if slug in by_kind[target_kind]:
                    incoming[(target_kind, slug)][(kind, name)].append(entry.slug)
                elif (target_kind, slug) not in broken:
                    line = entry.line_of(f"{name}[{index}]")
                    diagnostics.append(_dangling(entry, name, slug, target_kind, line,
                                                 by_kind, drafts))
    return incoming, diagnostics


def unknown_ratings(by_kind: Mapping[str, Mapping[str, Entry]], config: SiteConfig
                    ) -> list[Diagnostic]:
    """Claims rated outside the site's scale (an empty rating is a draft's undecided one,
    which validate allows only there)."""
    found = [unknown_rating(claim.path, claim.line_of("rating"), claim.rating, config)
             for claim in by_kind["claims"].values()
             if isinstance(claim, Claim) and claim.rating
             and config.rating(claim.rating) is None]
    for claim in by_kind["claims"].values():  # imported reviews mapped onto our scale
        for number, review in enumerate(getattr(claim, "reviews", ())):
            if review.rating and config.rating(review.rating) is None:
                found.append(unknown_rating(claim.path, claim.line_of(f"reviews[{number}]"),
                                            review.rating, config))
    return found


def body_links(by_kind: Mapping[str, Mapping[str, Entry]], bodies: Mapping[Key, Body],
               drafts: Mapping[Key, Entry], broken: set[Key]
               ) -> tuple[dict[Key, set[Key]], list[Diagnostic]]:
    """Which entries each body mentions, and its unsafe, broken or mis-anchored links."""
    diagnostics: list[Diagnostic] = []
    mentions: dict[Key, set[Key]] = defaultdict(set)
    by_rel = {e.rel: e for kind in KINDS for e in by_kind[kind].values()}
    draft_rels = {e.rel for e in drafts.values()}
    broken_rels = {f"{kind}/{slug}.md" for kind, slug in broken}
    for kind in KINDS:
        for entry in by_kind[kind].values():
            body = bodies[(kind, entry.slug)]
            diagnostics += [_unsafe_link(entry, link) for link in body.removed]
            for link in body.links:
                target = by_rel.get(link.target)
                if target is None:
                    if link.target not in broken_rels:
                        diagnostics.append(_broken_link(entry, link, by_rel, draft_rels))
                    continue
                if link.fragment:
                    problem = check_anchor(entry.path, link.line, link.written, target.kind,
                                           link.fragment, bodies[(target.kind, target.slug)].ids)
                    if problem is not None:
                        diagnostics.append(problem)
                if target is not entry:
                    mentions[(target.kind, target.slug)].add((kind, entry.slug))
    return mentions, diagnostics


def _unsafe_link(entry: Entry, link: Link) -> Diagnostic:
    shown = link.target if len(link.target) <= 60 else link.target[:57] + "..."
    return warning(entry.path, link.line, "unsafe-link",
                   f"link to '{shown}' removed: only http(s), mailto and relative links "
                   "are published", "link to the page itself, with https://")


def _broken_link(entry: Entry, link: Link, by_rel: Mapping[str, Entry], draft_rels: set[str]
                 ) -> Diagnostic:
    reason = "is a draft, so it is not published" if link.target in draft_rels else \
        "is not an entry file, so it would be a broken link on the site" \
        if not link.target.endswith(".md") or link.target.startswith("/") \
        else "does not exist"
    return error(entry.path, link.line, "broken-link",
                 f"link to '{link.written or link.target}': {reason}",
                 link_hint(entry.rel, link, by_rel))


def check_partial(partial: Iterable[References], by_kind: Mapping[str, Mapping[str, Entry]],
                  drafts: Mapping[Key, Entry], broken: set[Key], config: SiteConfig
                  ) -> list[Diagnostic]:
    """The references of entries that failed validation, checked as a valid entry's are,
    so every error arrives in one run."""
    found: list[Diagnostic] = []
    targets = {(kind, name): target for kind, name, target in RELATIONS}
    for refs in partial:
        for ref in refs.refs:
            target_kind = targets[(refs.kind, ref.field)]
            if ref.slug not in by_kind[target_kind] and (target_kind, ref.slug) not in broken:
                found.append(_dangling(refs, ref.field, ref.slug, target_kind, ref.line,
                                       by_kind, drafts))
        rating = refs.rating
        if rating is not None and config.rating(rating.slug) is None:
            found.append(unknown_rating(refs.path, rating.line, rating.slug, config))
    return found


def _dangling(entry: Entry | References, name: str, slug: str, target_kind: str, line: int,
              by_kind: Mapping[str, Mapping[str, Entry]], drafts: Mapping[Key, Entry]
              ) -> Diagnostic:
    wanted = SINGULAR[target_kind]
    draft = drafts.get((target_kind, slug))
    if draft is not None:
        return error(entry.path, line, "draft-reference",
                     f"{name}: {wanted} '{slug}' is a draft ({draft.path}), so it is not "
                     "published", f"publish it first: factcheck publish {draft.path}")
    for other in KINDS:
        if slug in by_kind[other]:
            return error(entry.path, line, "wrong-kind",
                         f"{name}: '{slug}' is {_a(SINGULAR[other])}, not {_a(wanted)}",
                         f"name {_a(wanted)} here")
    hint = did_you_mean(slug, by_kind[target_kind]) or \
        f"create content/{target_kind}/{slug}.md (factcheck new {wanted} ...)"
    return error(entry.path, line, "unknown-reference", f"{name}: no {wanted} '{slug}'", hint)


def link_hint(rel: str, link: Link, by_rel: Mapping[str, Entry]) -> str:
    """The link to paste: written relative to the linking file, as every body link is.

    A path written from the content folder (``actors/x.md`` in a claim) is the usual
    mistake: the suggestion is the same file seen from the writer's folder (``../actors/x.md``).
    """
    here = posixpath.dirname(rel)
    written = link.written.split("#", 1)[0] if link.written else link.target
    from_root = posixpath.normpath(written)
    close = from_root if from_root in by_rel else closest(link.target, by_rel)
    if not close:
        return "link to an entry relative to this file, as ../<kind>/<slug>.md, " \
            "or to a full https:// address"
    fragment = f"#{link.fragment}" if link.fragment else ""
    relative = posixpath.relpath(close, here or ".") + fragment
    why = "links are relative to this file: " if close == from_root else ""
    return f"{why}did you mean '{relative}'?"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def check_self_references(index: SiteIndex) -> list[Diagnostic]:
    return [warning(c.path, c.line_of("related"), "self-reference", "a claim is related to itself")
            for c in index.claims() if c.slug in c.related]
