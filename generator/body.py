"""A body's value once converted: its HTML (packed) and the entry links it makes.

Made by the Markdown stage (``markdown.py``), read by the index (``resolve.py``), the
cache and the templates; here, beside the models, so the index knows no renderer.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from generator.anchors import ids_in


@dataclass(frozen=True, slots=True)
class Link:
    """A link from a body to another entry's file."""

    target: str
    """Path of the target file relative to ``content/``, e.g. ``actors/john-kirby.md``."""
    line: int
    """File line of the link, for a broken-link diagnostic."""
    written: str = ""
    """The link as the writer wrote it, for messages and hints."""
    fragment: str = ""
    """The ``#part`` of the link as written (without ``#``), checked against the target."""


@dataclass(frozen=True, slots=True)
class Body:
    packed: bytes
    """The HTML, UTF-8 and zlib-compressed (see ``html``)."""
    links: tuple[Link, ...] = field(default=())
    removed: tuple[Link, ...] = field(default=())
    """Links and images dropped for an unsafe scheme (``javascript:``, ``data:`` …);
    ``target`` holds the URL as written, so resolve can warn about each."""
    ids: tuple[str, ...] = field(default=())
    """Element ids in the HTML (headings, footnotes): what ``x.md#part`` links may name."""

    @classmethod
    def of(cls, html: str, links: tuple[Link, ...] = (), removed: tuple[Link, ...] = ()
           ) -> Body:
        return cls(zlib.compress(html.encode("utf-8"), 1), links, removed, ids_in(html))

    def __html__(self) -> str:
        """Sanitised HTML: a template that prints ``index.body(entry)`` gets it unescaped."""
        return self.html

    @property
    def html(self) -> str:
        """Bodies are held for the whole build and in its cache, but each is read once or
        twice: packed, the ~70 MB of HTML of a 10,000-claim site take about a quarter of
        that, for microseconds of unpacking per page."""
        return zlib.decompress(self.packed).decode("utf-8")
