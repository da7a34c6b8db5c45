"""Search page facets: site index → the choices its filters offer, rendered into the page.

Rendered by the server rather than read from Pagefind's filter files, so the filters work
and are labelled before any script runs, and a first query downloads no filter data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.models import Actor, Claim, Denial, Rating, SiteConfig

CLAIMANTS_SHOWN = 200
"""Claimants offered by name (the most prolific first): a long tail stays reachable by
typing the name, and the page stays small at 100,000 claims."""


@dataclass(frozen=True, slots=True)
class Facets:
    """The values of each search filter, as the pages' Pagefind attributes spell them."""

    ratings: tuple[Rating, ...]
    years: tuple[int, ...]
    """Newest first."""
    languages: tuple[str, ...]
    """Language codes of statements and denials' quotes."""
    countries: tuple[str, ...]
    tags: tuple[str, ...]
    claimants: tuple[tuple[str, str], ...]
    """(actor slug, name) of the most prolific claimants, by name."""
    kinds: tuple[str, ...] = ("claim", "denial")


def search_facets(index: Any, config: SiteConfig) -> Facets:
    """What the published claims and denials offer to filter by.

    Called by the search page's template with the index it is given, and asks it only
    through its methods, so the page is rendered again exactly when an answer changes."""
    claims = [c for c in index.claims() if isinstance(c, Claim) and not c.draft]
    denials = [d for d in index.all("denials") if isinstance(d, Denial) and not d.draft]
    years = {e.date.year for e in [*claims, *denials] if e.date}
    languages = {c.statement_language or config.language for c in claims} | \
        {d.quote_language or config.language for d in denials}
    made = Counter(c.claimant for c in claims if c.claimant)
    prolific = sorted(made.items(), key=lambda item: (-item[1], item[0]))[:CLAIMANTS_SHOWN]
    claimants = [(slug, actor.label) for slug, _ in prolific
                 if isinstance(actor := index.get("actors", slug), Actor)]
    return Facets(
        ratings=tuple(sorted(config.ratings, key=lambda r: r.value)),
        years=tuple(sorted(years, reverse=True)),
        languages=tuple(sorted(languages)),
        countries=tuple(sorted({country for c in claims for country in c.countries})),
        tags=tuple(sorted({tag for c in claims for tag in c.tags})),
        claimants=tuple(sorted(claimants, key=lambda pair: pair[1].casefold())),
    )


__all__ = ["CLAIMANTS_SHOWN", "Facets", "search_facets"]
