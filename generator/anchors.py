"""Anchors of entry links: ``x.md#part`` → the id the target page really has, or a diagnostic.

Body headings get ids prefixed ``s-`` (``## Why it matters`` → ``s-why-it-matters``) so they
cannot clash with the page's own sections (``id="sources"``). Writers see the heading, not the
prefix, so a link may name the heading's plain slug (``x.md#why-it-matters``) or the id as the
browser shows it (``x.md#s-why-it-matters``); both lead to the heading. The page's own
sections (``x.md#denials``) are kept as written.
"""

from __future__ import annotations

import re

from generator.diagnostics import Diagnostic, closest, error

HEADING_PREFIX = "s-"
PAGE_IDS: dict[str, frozenset[str]] = {
    "claims": frozenset({"main", "statement", "denials", "sources", "analysis", "map",
                         "related", "updates"}),
    "denials": frozenset({"main", "answers", "sources", "notes"}),
    "sources": frozenset({"main", "about", "cited-claims", "cited-denials"}),
    "actors": frozenset({"main", "about", "made", "issued", "published", "members",
                         "timeline", "mentions"}),
    "pages": frozenset({"main"}),
    "cases": frozenset({"main", "story", "claims", "timeline", "graph", "matrix",
                        "matrix-caption"}),
}
"""Sections each kind's template gives its page (tests/test_anchors.py keeps this in step
with the templates). Some appear only when they have content (``denials``): a link to one
is accepted without knowing whether the target has it."""

_ID = re.compile(r'\sid="([^"]+)"')


def ids_in(html: str) -> tuple[str, ...]:
    """Every element id of a body's HTML, in order."""
    return tuple(_ID.findall(html))


def anchor_id(kind: str, fragment: str) -> str:
    """The id a link's ``#fragment`` leads to on a page of ``kind``."""
    if not fragment or fragment.startswith(HEADING_PREFIX) or fragment in PAGE_IDS.get(kind, ()):
        return fragment
    return HEADING_PREFIX + fragment


def check_anchor(path: str, line: int, written: str, kind: str, fragment: str,
                 body_ids: tuple[str, ...]) -> Diagnostic | None:
    """A ``broken-anchor`` error when the target page has no such id."""
    wanted = anchor_id(kind, fragment)
    if wanted in body_ids or wanted in PAGE_IDS.get(kind, ()):
        return None
    headings = [i.removeprefix(HEADING_PREFIX) for i in body_ids if i.startswith(HEADING_PREFIX)]
    link = written.split("#", 1)[0]
    close = closest(fragment.removeprefix(HEADING_PREFIX), headings)
    if close:
        hint = f"did you mean '{link}#{close}'?"
    elif headings:
        hint = "its headings: " + ", ".join(f"#{h}" for h in headings[:8])
    else:
        hint = "the page has no headings: link to the page itself, or add the heading"
    return error(path, line, "broken-anchor",
                 f"link to '{written}': the page has no heading or section '#{fragment}'", hint)
