"""Checks of the resolved site as a whole: the rating scale, duplicate titles and names,
circular affiliations. Index (and config) → diagnostics; pure, called by resolve."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.diagnostics import Diagnostic, closest, error, warning
from generator.models import Entry, SiteConfig

DUPLICATE_FIELD = {"claims": "title", "actors": "name"}
"""What a reader tells entries apart by: two claims with one title are two identical cards
(and two ClaimReviews with one ``claimReviewed``); two actors with one name, two people."""


def unknown_rating(path: str, line: int, rating: str, config: SiteConfig) -> Diagnostic:
    """A rating not in the scale; the scale's keys with their labels, and the key meant
    when the writer gave a label (``rating: Mostly false`` → ``rating: mostly-false``)."""
    scale = ", ".join(f"{r.key} ({r.label})" for r in config.ratings)
    by_label = {r.label.casefold(): r.key for r in config.ratings}
    by_key = {r.key.casefold(): r.key for r in config.ratings}
    meant = by_label.get(rating.casefold()) or by_key.get(rating.casefold())
    if meant:
        what = "the label" if rating.casefold() in by_label else "written in capitals"
        return error(path, line, "unknown-rating",
                     f"rating '{rating}' is {what}: a claim names the rating's key",
                     f"write rating: {meant} (the scale: {scale})")
    close = closest(rating, [*by_key.values(), *(r.label for r in config.ratings)])
    close = by_label.get(close.casefold(), close) if close else None
    guess = f"did you mean '{close}'? " if close else ""
    return error(path, line, "unknown-rating", f"rating '{rating}' is not in the site's scale",
                 f"{guess}use one of the keys: {scale}")


def duplicate_labels(entries: Mapping[str, Mapping[str, Entry]]) -> list[Diagnostic]:
    """A warning on each later entry whose title (claims) or name (actors) repeats one."""
    found: list[Diagnostic] = []
    for kind, name in DUPLICATE_FIELD.items():
        first: dict[str, Entry] = {}
        for entry in sorted(entries.get(kind, {}).values(), key=lambda e: e.path):
            label = " ".join(str(getattr(entry, name)).split()).casefold()
            other = first.setdefault(label, entry)
            if other is not entry:
                found.append(warning(
                    entry.path, entry.line_of(name), f"duplicate-{name}",
                    f"{name} '{getattr(entry, name)}' is also the {name} of {other.path}",
                    f"readers cannot tell them apart: make the {name}s differ, or merge "
                    "the two files"))
    return found


def affiliation_cycles(actors: Iterable[Entry]) -> list[Diagnostic]:
    """An error for each circle of ``affiliation`` (a → b → a), on each actor in it: an
    actor cannot belong, through others, to itself."""
    by_slug = {a.slug: a for a in actors}
    parent = {slug: getattr(a, "affiliation", "") for slug, a in by_slug.items()}
    in_cycle: dict[str, list[str]] = {}
    for start in sorted(parent):
        path, slug = [], start
        while slug in parent and slug not in path and slug not in in_cycle:
            path.append(slug)
            slug = parent[slug]
        if slug in path:
            cycle = path[path.index(slug):]
            for member in cycle:
                in_cycle[member] = cycle
    found = []
    for slug, cycle in sorted(in_cycle.items()):
        at = cycle.index(slug)
        loop = " → ".join([*cycle[at:], *cycle[:at], slug])
        actor = by_slug[slug]
        found.append(error(actor.path, actor.line_of("affiliation"), "circular-affiliation",
                           f"affiliation goes round in a circle: {loop}",
                           "an actor belongs to a larger body: remove the affiliation "
                           "that points back"))
    return found
