"""The preview's memory of its last good build: what the quick path patches instead of
rebuilding (``incremental.py``). Held in ``Cache.live``; never saved to disk."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from generator.diagnostics import Diagnostic
from generator.plan import PlannedPage
from generator.resolve import SiteIndex
from generator.tracking import Templates


@dataclass
class Live:
    """The last good build, kept in memory by the preview for one-entry rebuilds."""

    index: SiteIndex
    pages: dict[str, PlannedPage]
    env: jinja2.Environment
    templates: Templates
    setting: str
    diagnostics: list[Diagnostic]
    dependents: dict[tuple[str, str], set[str]] | None = None
    """Entry → output paths showing it; computed on the first quick rebuild."""
    lazy: bool = False
    """Read from the store by a command-line build: pages and records are read by key, so
    an edit that needs the whole plan (an entry's fields changed) takes the full path."""
    search_stale: bool = False
    """Pages changed since the search index was made: the preview refreshes it after the
    browser reloaded (``searchrefresh.py``)."""
