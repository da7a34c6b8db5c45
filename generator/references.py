"""References of an entry that failed validation: what resolve can still check.

An entry with a field error is left out of the index (no half-valid entry is rendered), but
its other fields may name missing entries too; reporting those only once the first error is
fixed would give the writer errors in two waves. So each reference field that reads as slugs
is kept, with its lines, and resolve checks it like a valid entry's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator import fields as f
from generator.read import RawEntry


@dataclass(frozen=True, slots=True)
class Reference:
    field: str
    slug: str
    line: int


@dataclass(frozen=True, slots=True)
class References:
    """The readable references of one invalid entry."""

    kind: str
    slug: str
    path: str
    refs: tuple[Reference, ...]
    rating: Reference | None = None
    """A claim's rating, checked against the site's scale."""


def _slug(value: object) -> str | None:
    try:
        return f.slug(value)
    except f.Invalid:
        return None  # its own field error is already reported


def read_references(raw: RawEntry, names: Iterable[str]) -> References | None:
    """The slugs each field of ``names`` holds, as far as they read; None for a draft,
    whose references are checked only once it is published."""
    front = raw.front
    if front.get("draft") is True:
        return None
    lines = getattr(front, "lines", {})
    refs: list[Reference] = []
    for name in names:
        value = front.get(name)
        items = value if isinstance(value, list) else [value] if value is not None else []
        item_lines = getattr(value, "lines", [])
        for index, item in enumerate(items):
            slug = _slug(item)
            if slug is not None:
                line = item_lines[index] if index < len(item_lines) else lines.get(name, 0)
                refs.append(Reference(name, slug, line))
    rating = None
    if raw.kind == "claims" and isinstance(front.get("rating"), str) and front["rating"].strip():
        rating = Reference("rating", front["rating"].strip(), lines.get("rating", 0))
    return References(raw.kind, raw.slug, raw.path, tuple(refs), rating)
