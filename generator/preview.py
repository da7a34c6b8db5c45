"""Preview rebuilds: input snapshot → incremental build into a private folder → page or error.

Testable without a server. ``Preview.rebuild`` skips when the inputs' snapshot equals the
last build's (so a burst reported twice, or a touched file, costs nothing), rebuilds
incrementally otherwise, and keeps an error page in memory while the content is broken: the
server shows it in place of every page, and the output folder keeps the last good build
untouched until the content builds again.
"""

from __future__ import annotations

import html
import shutil
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from generator import parallel
from generator.build import build, load_config
from generator.cache import Cache
from generator.diagnostics import Diagnostic, error, plural, sort_key
from generator.read import display_path
from generator.searchrefresh import refresh_search
from generator.searchwrite import SearchError
from generator.state import Options, Result, failed
from generator.watch import Scanner, Snapshot, Stamp, changed_paths

if TYPE_CHECKING:
    from generator.builder import Builder


def error_page(diagnostics: list[Diagnostic]) -> bytes:
    """Every diagnostic as ``path:line: severity[code]: message (hint)``, errors first."""
    ordered = sorted(diagnostics, key=lambda d: (not d.is_error, sort_key(d)))
    errors = plural(sum(d.is_error for d in ordered), "error")
    items = "\n".join(f'<li class="{d.severity.value}">{html.escape(d.format())}</li>'
                      for d in ordered)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
ul{{font-family:monospace;white-space:pre-wrap;background:#fff0f0;border:1px solid #d99;
padding:1rem 1rem 1rem 2rem}} li.warning{{color:#735c00}}</style></head>
<body><h1 id="build-failed">Build failed</h1>
<p>{errors}. Fix the files below and save: this page reloads by itself.
Until then every page of the preview shows this list.</p>
<ul class="error-list">
{items}
</ul></body></html>
""".encode()


def url_prefix(base_path: str) -> tuple[str, ...] | None:
    """``/factcheck/`` → ``("factcheck",)``: the folders the preview puts the site under.

    ``None`` when a segment could escape the preview folder (``..``, a backslash).
    """
    parts = tuple(unquote(p) for p in base_path.strip("/").split("/") if p)
    if any(p in (".", "..") or "\\" in p or "\x00" in p or "/" in p for p in parts):
        return None
    return parts


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one call to ``Preview.rebuild`` did."""

    ran: bool
    """False when the inputs were unchanged since the last build, which was then skipped."""
    ok: bool
    diagnostics: tuple[Diagnostic, ...] = ()
    written: int = 0
    seconds: float = 0.0
    workers: int = 0
    """Worker processes the build forked (0: it ran in one process)."""


@dataclass
class Preview:
    """The preview site in ``root``: rebuilt on demand, an error page kept while broken."""

    options: Options
    root: Path
    """Private folder served as ``/``; the site sits in ``root/<base path>``."""
    cache: Cache = field(default_factory=Cache)
    fingerprint: Snapshot | None = None
    """Snapshot of the inputs the last build read: an equal snapshot needs no build."""
    prefix: tuple[str, ...] = ()
    error: bytes | None = None
    """The error page while the last build failed; ``None`` while the site is good."""
    builds: int = 0
    """Builds started: what tests count to prove a burst gave one build."""
    epoch: int = 0
    """Builds finished: a page served before the latest one is stale."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    idle: threading.Event = field(default_factory=threading.Event)
    """Cleared while a build runs, so the server can hold requests until it is done."""

    builder: Builder | None = None
    """The process that runs the builds (``serve``'s, forked before any thread); None: this
    process builds, in one process whenever another thread runs (``parallel.may_fork``)."""

    scanner: Scanner = field(init=False)

    def __post_init__(self) -> None:
        self.idle.set()
        self.scanner = Scanner(self.options.content, self.options.templates)

    @property
    def out(self) -> Path:
        return self.root.joinpath(*self.prefix)

    def take_snapshot(self) -> dict[str, Stamp]:
        return self.scanner()

    def rebuild(self, current: Snapshot | None = None, force: bool = False) -> Outcome:
        """Build if the inputs changed since the last build; idempotent otherwise."""
        with self.lock:
            current = self.take_snapshot() if current is None else current
            if not force and current == self.fingerprint:
                return Outcome(ran=False, ok=self.error is None)
            self.idle.clear()
            try:
                return self._build(current)
            finally:
                self.epoch += 1
                self.idle.set()

    def _build(self, current: Snapshot) -> Outcome:
        started = time.perf_counter()
        saved = None if self.fingerprint is None else changed_paths(self.fingerprint, current)
        self.fingerprint = current
        self.builds += 1
        before = parallel.forked
        try:
            if self.builder is not None:
                reply = self.builder.run(saved)
                self.prefix = reply.prefix
                diagnostics, written, workers = reply.diagnostics, reply.written, reply.workers
            else:
                diagnostics, written = self._run(saved)
                workers = parallel.forked - before
        except Exception as exc:  # a bug must not kill the preview: show it like an error
            self.cache.live = None  # the next build must not trust what this one left
            if self.builder is None:  # the builder printed its own
                traceback.print_exc()
            diagnostics = [error("factcheck", 0, "internal-error",
                                 f"{type(exc).__name__}: {exc}",
                                 "please report this; the traceback is in the terminal")]
            written = workers = 0
        ok = not failed(Result(diagnostics), self.options.strict)
        self.error = None if ok else error_page(diagnostics)
        return Outcome(True, ok, tuple(diagnostics), written, time.perf_counter() - started,
                       workers)

    def _run(self, saved: list[str] | None = None) -> tuple[list[Diagnostic], int]:
        """``saved``: the files changed since the last build, so that an edit of one entry
        re-renders only the pages that show it (build's quick path)."""
        config, problems = load_config(self.options)
        prefix = url_prefix(config.base_path) if config else self.prefix
        if prefix is None:
            return [*problems, error(display_path(self.options.content / "site.yaml"), 0,
                                     "invalid-base-url", "the base URL's path cannot be previewed",
                                     "use a plain path such as /factcheck/")], 0
        if prefix != self.prefix:
            self._clear()
            self.prefix = prefix
        changed = None if saved is None else [Path(path) for path in saved]
        result = build(replace(self.options, out=self.out), self.cache, incremental=True,
                       changed=changed)
        # A local preview needs no domain: that warning is for publishing builds.
        return [d for d in result.diagnostics if d.code != "no-domain"], result.written

    def refresh_search(self) -> int:
        """Re-index the search shards the last rebuilds changed (run after the browser was
        told to reload); returns the shards indexed. A failure leaves the index stale."""
        try:
            indexed = refresh_search(replace(self.options, out=self.out), self.cache)
        except (SearchError, OSError) as exc:
            print(f"search index not refreshed: {exc}", file=sys.stderr)
            return 0
        return indexed.shards if indexed else 0

    @property
    def search_stale(self) -> bool:
        return self.cache.live is not None and self.cache.live.search_stale

    def _clear(self) -> None:
        """The base path moved: the old tree would shadow nothing but must not linger."""
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
