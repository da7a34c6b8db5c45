"""The preview's quick path: a save that edits entries without changing the site's structure.

When the preview knows which files were saved and each is an existing entry whose edit
leaves the index's shape alone (same slug, relations, order key, rating, tags, draft state,
body links), the index is patched in place of being rebuilt and only the pages that showed
those entries are rendered again. Anything else (a new, deleted or broken file, a template,
``site.yaml``) returns None and the caller runs the full incremental build, which is always
correct; the tests check that both give the same tree.
"""

from __future__ import annotations

import copy
import dataclasses
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import lint
from generator import store as stored
from generator.body import Body
from generator.cache import Cache
from generator.diagnostics import Diagnostic, has_errors, sort_key
from generator.entryfile import Parsed, parse_one
from generator.fresh import (
    Seen,
    known_digest,
    read_as_walked,
    snapshot_of_states,
    states_digest,
)
from generator.live import Live
from generator.models import Claim, Entry, Page
from generator.pagefile import RenderJob
from generator.parallel import render
from generator.plan import (
    PlannedPage,
    output_path,
    overflow,
    own_entry,
    plan_entry,
    plan_site,
)
from generator.read import KINDS, Discovered, SourceFile, entry_at, ignored
from generator.resolve import RELATIONS, SiteIndex, claim_order, year_key
from generator.searchrefresh import restage
from generator.searchwrite import Indexed, SearchError
from generator.state import Options, OutputFiles, Result, Stopwatch
from generator.tracking import PageRecord, Templates, reads_body
from generator.write import move_in, stage_folder

Key = tuple[str, str]


def signature(entry: Entry, body: Body | None) -> tuple[Any, ...]:
    """What of an entry shapes the index, the order of lists and other pages' plans."""
    relations = tuple(getattr(entry, name) for kind, name, _ in RELATIONS if kind == entry.kind)
    extra: tuple[Any, ...] = ()
    if isinstance(entry, Claim):
        # What files it under a facet page (rating, tag, country, year): pages that list
        # it elsewhere are known, a facet it joins is not.
        extra = (entry.rating, entry.tags, entry.countries, year_key(entry))
    elif isinstance(entry, Page):
        extra = (entry.menu, entry.title)
    links = tuple(sorted({(link.target, link.fragment) for link in body.links})) if body else ()
    ids = body.ids if body else ()  # what other bodies' x.md#part links are checked against
    return (type(entry), entry.slug, entry.draft, relations, extra, links, ids)


def _before(a: Entry, b: Entry) -> bool:
    """Whether ``a`` is listed before ``b`` (the order of ``resolve._sorted``)."""
    if isinstance(a, Claim) and isinstance(b, Claim):
        first, second = claim_order(a)[0], claim_order(b)[0]
        return first > second or (first == second and a.slug < b.slug)
    return (a.label.casefold(), a.slug) < (b.label.casefold(), b.slug)


def keeps_place(index: SiteIndex, new: Entry) -> bool:
    """Whether ``new`` sorts between the same neighbours as the version it replaces."""
    slugs = list(index.entries[new.kind])
    at = slugs.index(new.slug)
    found = index.entries[new.kind]
    if at > 0 and not _before(found[slugs[at - 1]], new):
        return False
    return at + 1 >= len(slugs) or _before(new, found[slugs[at + 1]])


def refresh(value: Any, index: SiteIndex) -> Any:
    """A planned context with every entry replaced by its current version in ``index``."""
    if isinstance(value, Entry):
        return index.entries[value.kind].get(value.slug, value)
    if isinstance(value, list):
        return [refresh(v, index) for v in value]
    if isinstance(value, tuple):
        return tuple(refresh(v, index) for v in value)
    if isinstance(value, dict):
        return {k: refresh(v, index) for k, v in value.items()}
    return value


def _lint_one(index: SiteIndex, entry: Entry) -> list[Diagnostic]:
    """Publisher warnings about one entry, from a one-entry view of the index."""
    entries: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    entries["pages"] = dict(index.entries["pages"])
    entries[entry.kind][entry.slug] = entry
    view = dataclasses.replace(index, entries=entries)
    return [d for d in lint.lint(view) if d.path == entry.path]


class FullPath(Exception):
    """The saves change more than the quick path can patch: the caller builds in full."""


@dataclass(frozen=True, slots=True)
class Edit:
    """A saved entry file whose new version leaves the index's shape alone."""

    file: SourceFile
    parsed: Parsed
    old: Entry
    """The version in the live index, which ``entry`` replaces."""

    @property
    def entry(self) -> Entry:
        assert self.parsed.entry is not None
        return self.parsed.entry

    @property
    def body(self) -> Body:
        assert self.parsed.body is not None
        return self.parsed.body


Finish = Callable[[Path, dict[str, tuple[PlannedPage, PageRecord]], list[str]],
                  tuple[list[str], list[str]]]
"""Stages more files beside the rendered pages before they move in: (stage, results, staged
pages) → (more staged files, files to delete). The command line's search refresh."""


def quick_rebuild(options: Options, cache: Cache, changed: list[Path],
                  timings: dict[str, float], finish: Finish | None = None) -> Result | None:
    """Rebuild after edits to existing entries, or None when the full path is needed."""
    live = cache.live
    if live is None or cache.target != options.target or not changed:
        return None
    clock = Stopwatch(timings)
    paths = [*cache.page_states, *cache.static]
    try:
        edits = read_edits(options, cache, live, changed)
        clock.lap("read")
        if not edits:
            return Result(list(live.diagnostics), OutputFiles(options.out, paths), timings,
                          live.index, unchanged=len(paths), path="quick")
        index, diagnostics = patch_index(live, edits)
        if options.strict and diagnostics:
            raise FullPath
        clock.lap("resolve")
        pages = replan(affected_pages(cache, live, edits, index), live, index)
        results, staged = rerender(options, cache, live, index, pages, clock, finish)
    except FullPath:
        return None
    remember(cache, live, edits, results)
    live.index, live.diagnostics = index, diagnostics
    cache.diagnostics = list(diagnostics)
    cache.inputs = cache.snapshot = ""
    clock.lap("write")
    return Result(diagnostics, OutputFiles(options.out, paths), timings, index,
                  written=len(staged), unchanged=len(paths) - len(staged), path="quick")


def read_edits(options: Options, cache: Cache, live: Live, changed: list[Path]) -> list[Edit]:
    """The saved files that changed, each an edit the quick path can take (else FullPath)."""
    edits = []
    for path in dict.fromkeys(changed):
        if ignored(Path(path).name):
            continue  # editor swap and backup files: not content (``discover`` skips them)
        edit = read_edit(options, cache, live, entry_at(options.content, Path(path)))
        if edit is not None:
            edits.append(edit)
    return edits


def read_edit(options: Options, cache: Cache, live: Live, file: SourceFile | None
              ) -> Edit | None:
    """One saved file: None when its bytes are unchanged (a touched file), an ``Edit`` when
    it keeps the index's shape; FullPath for a new, deleted, broken or reshaping file."""
    if file is None or file.display not in cache.files or not file.path.exists():
        raise FullPath
    if known_digest(cache, file) is not None:  # stat as when last read: unchanged
        return None
    config = live.index.config
    parsed = parse_one(file, config.base_path, config.allow_raw_html)
    if parsed.state is not None and parsed.state.digest == cache.files[file.display].digest:
        cache.files[file.display] = parsed.state  # touched, not changed
        return None
    old = live.index.entries[file.kind].get(file.slug)
    if old is None or not keeps_shape(live.index, old, parsed) or multilingual(live.index):
        raise FullPath
    return Edit(file, parsed, old)


def multilingual(index: SiteIndex) -> bool:
    """A site in several languages takes the full (incremental) path: an entry's pages in
    the other editions are rendered with their own index, which the quick path keeps no
    copy of (its records still skip every page the edit leaves as it was)."""
    return len(index.config.editions) > 1 or bool(index.translations)


def keeps_shape(index: SiteIndex, old: Entry, parsed: Parsed) -> bool:
    """Whether a valid new version changes only what the pages showing the entry show: same
    file, signature (relations, links, ids…) and place in its list. A draft qualifies only
    while it is complete and has no problem at all (then it is shown like a published entry;
    otherwise its problems are marked and shown on its page, which the full path does)."""
    new = parsed.entry
    if new is None or parsed.body is None or parsed.state is None \
            or has_errors(parsed.diagnostics) or old.path != new.path:
        return False
    if (new.draft or old.draft) and (parsed.diagnostics or new.unfinished
                                     or (old.kind, old.slug) in index.notes):
        return False
    return signature(old, index.bodies[(old.kind, old.slug)]) == \
        signature(new, parsed.body) and keeps_place(index, new)


def patch_index(live: Live, edits: list[Edit]) -> tuple[SiteIndex, list[Diagnostic]]:
    """The live index with the edited entries and bodies swapped in, and the diagnostics
    with the edited files' own replaced (their read problems and lint warnings)."""
    edited = {edit.entry.kind for edit in edits}  # only their kinds are copied (250,000
    # entries at 100,000 claims); a stored index's kinds copy their keys, not their entries
    entries = {kind: copy.copy(found) if kind in edited else found
               for kind, found in live.index.entries.items()}
    bodies = Overlay.over(live.index.bodies)
    for edit in edits:
        entries[edit.entry.kind][edit.entry.slug] = edit.entry
        bodies[(edit.entry.kind, edit.entry.slug)] = edit.body
    index = dataclasses.replace(live.index, entries=entries, bodies=bodies)
    touched = {edit.entry.path for edit in edits}
    diagnostics = [d for d in live.diagnostics if d.path not in touched]
    for edit in edits:
        found = edit.parsed.diagnostics + _lint_one(index, edit.entry)
        if edit.entry.draft and found:  # a draft's problems go on its page: the full path
            raise FullPath
        diagnostics += found
    return index, sorted(set(diagnostics), key=sort_key)


def affected_pages(cache: Cache, live: Live, edits: list[Edit], index: SiteIndex
                   ) -> dict[str, PlannedPage | None]:
    """Output paths that can change, with their new plan when it is already known (files
    planned as ready bytes) or None (planned again from the page's old plan)."""
    if live.dependents is None:
        live.dependents = cache.dependents()
    affected: dict[str, PlannedPage | None] = {}
    for edit in edits:
        affected |= dict.fromkeys(live.dependents.get((edit.old.kind, edit.old.slug), set()))
    fields_same = all(_fields(edit.entry) == _fields(edit.old) for edit in edits)
    if fields_same:  # only bodies changed: the pages that merely list the entries are current
        keys = {(edit.old.kind, edit.old.slug) for edit in edits}
        own = {output_path(edit.old.url_path) for edit in edits}
        return {path: page for path, page in affected.items()
                if path in own or shows_body(cache.pages.get(path), keys)}
    if live.lazy:
        raise FullPath  # replanning the ready-made files takes the whole plan
    if any(getattr(page, "data", None) is not None for page in live.pages.values()):
        # Files planned as ready bytes (feeds, sitemap, exports) do not say which entries
        # they show: plan them again. They are made from entries' fields, never from bodies,
        # so a body edit leaves them alone (the tests compare with a full build).
        affected |= {page.path: page for page in plan_site(index)
                     if getattr(page, "data", None) is not None}
    return affected


def shows_body(record: PageRecord | None, keys: set[Key]) -> bool:
    """Whether a page other than the entries' own shows the body of one of ``keys``. A body
    reaches a page only as its own entry's (planned as ``body``) or through a tracked
    ``index.body`` call; every other mention of an entry is fingerprinted by its fields'
    digest, which a body edit keeps, so such a page would be rendered only to find its bytes
    unchanged. A page without a record is rendered anyway."""
    return record is None or reads_body(record.calls, keys)


def replan(affected: dict[str, PlannedPage | None], live: Live, index: SiteIndex
           ) -> list[PlannedPage]:
    """The affected pages planned on the patched index, by path (FullPath if one cannot be)."""
    pages = []
    for path in sorted(affected):
        page = affected[path] or _replan(live.pages[path], index)
        if page is None:
            raise FullPath
        pages.append(page)
    return pages


def rerender(options: Options, cache: Cache, live: Live, index: SiteIndex,
             pages: list[PlannedPage], clock: Stopwatch, finish: Finish | None = None
             ) -> tuple[dict[str, tuple[PlannedPage, PageRecord]], list[str]]:
    """Render the pages (each skipped when current) and move the changed ones in."""
    stage = stage_folder(options.out)
    try:
        job = RenderJob(live.env, index, pages, live.templates, options.templates,
                        live.setting, stage, options.out, cache.pages)
        planned = {page.path: page for page in pages}
        results, staged = {}, []
        for rendered in render(job, options.workers):  # many pages (a renamed actor): all cores
            if rendered.problem is not None or rendered.record is None:
                raise FullPath
            results[rendered.path] = (planned[rendered.path], rendered.record)
            if rendered.staged:
                staged.append(rendered.path)
        clock.lap("render")
        more, obsolete = finish(stage, results, staged) if finish else ([], [])
        staged += more
        move_in(options.out, stage, staged, obsolete)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return results, staged


def remember(cache: Cache, live: Live, edits: list[Edit],
             results: dict[str, tuple[PlannedPage, PageRecord]]) -> None:
    """Record the new pages and files in the cache and the live state, for the next save."""
    assert live.dependents is not None
    for path, (page, record) in results.items():
        previous = cache.pages.get(path)
        if not live.lazy:  # a command-line build's store moves its ``shows`` rows itself
            for key in frozenset(previous.keys if previous else ()) - frozenset(record.keys):
                live.dependents[key].discard(path)
            for key in record.keys:
                live.dependents.setdefault(key, set()).add(path)
        cache.pages[path] = record
        cache.page_states[path] = (record.size, record.mtime_ns)
        live.pages[path] = page
    config = live.index.config
    for edit in edits:
        state = edit.parsed.state
        assert state is not None
        cache.files[edit.file.display] = state
        cache.entries[(edit.file.display, edit.file.rel, state.digest)] = (
            edit.entry, edit.parsed.diagnostics, None)
        cache.bodies[(edit.entry.digest, edit.entry.rel, config.base_path,
                      config.allow_raw_html)] = edit.body
        cache.parsed = True


class Overlay(Mapping[Key, Body]):
    """Bodies: the edited ones over the last build's, which the store may read lazily
    (copying them would read every body)."""

    def __init__(self, base: Mapping[Key, Body], top: dict[Key, Body]):
        self.base, self.top = base, top

    @classmethod
    def over(cls, bodies: Mapping[Key, Body]) -> Overlay:
        if isinstance(bodies, Overlay):  # one level, however many quick rebuilds ran
            return cls(bodies.base, dict(bodies.top))
        return cls(bodies, {})

    def __setitem__(self, key: Key, body: Body) -> None:
        self.top[key] = body

    def __getitem__(self, key: Key) -> Body:
        found = self.top.get(key)
        return found if found is not None else self.base[key]

    def __iter__(self) -> Iterator[Key]:
        yield from self.top
        yield from (key for key in self.base if key not in self.top)

    def __len__(self) -> int:
        return len(self.base) + sum(key not in self.base for key in self.top)


def _fields(entry: Entry) -> Entry:
    """The entry without its body (and what only locates the body): its fields."""
    return dataclasses.replace(entry, body="", digest="", body_line=0)


def _replan(page: PlannedPage, index: SiteIndex) -> PlannedPage | None:
    """The page planned again on the patched index; None when that takes a full plan."""
    entry = own_entry(page)
    if entry is not None:
        return plan_entry(index, index.entries[entry.kind][entry.slug])
    owner = page.context.get("owner")
    if isinstance(owner, Entry):  # an entry's full list: its title names the entry
        current = index.entries[owner.kind][owner.slug]
        return next((p for p in overflow(index, current) if p.path == page.path), None)
    return dataclasses.replace(page, context=refresh(page.context, index))



def quick_from_store(options: Options, cache: Cache, templates: Templates,
                     discovered: Discovered, outside: str | None,
                     timings: dict[str, float], intact: Callable[[], bool],
                     outside_now: str | None = None, seen: Seen | None = None,
                     walk: str | None = None) -> Result | None:
    """A command-line rebuild by the preview's quick path, its state read from the store:
    only when the content files are the same set, every other input is as at the last
    build, the site is as written, and the edits leave the index's shape alone. None: the
    caller takes the full path (with ``cache`` as loaded: the manifest only).
    ``intact``: ``fresh.site_intact``'s answer (found beside, ``parallel.in_child``);
    ``outside_now``: ``fresh.outside_bytes`` at the start of the build, for its snapshot;
    ``seen`` and ``walk``: the content files' stats its walk found and its snapshot
    (``fresh.snapshot``)."""
    files, problems = discovered
    if problems or outside is None or outside != cache.outside \
            or len(files) != len(cache.files) \
            or any(f.display not in cache.files for f in files) \
            or not intact():
        return None
    changed = [f for f in files if known_digest(cache, f, seen) is None]
    store = stored.Store.open(options.cache_folder)
    if not changed or store is None:
        return None
    try:
        cache.live = stored.live_state(store, cache, options, templates)
        searched: list[Indexed] = []
        result = quick_rebuild(options, cache, [f.path for f in changed], timings,
                               search_finish(options, cache, timings, searched)) \
            if cache.live else None
        if result is not None:
            if searched:
                result = dataclasses.replace(result, search_shards=searched[0].shards,
                                             search_peak_kb=searched[0].peak_kb)
            cache.inputs = states_digest(outside, files, cache) or ""
            cache.snapshot = walk if walk and seen and read_as_walked(cache, files, changed,
                                                                      seen) \
                else snapshot_of_states(outside_now, discovered, cache)
            edited = [value[0] for value in cache.entries.values() if value[0] is not None]
            rels = {f.display: f.rel for f in files}
            states = {f.display: cache.files[f.display] for f in changed}  # only they were read
            records = cache.pages
            assert isinstance(records, stored.LazyRecords)
            store.save_quick(cache, rels, states, edited,
                             {path: records[path] for path in records.written},
                             records.shown)
    except (OSError, SearchError, *stored.READ_ERRORS):
        result = None  # the full path does it again and reports what failed
    if result is None:  # back to the manifest as loaded: the full path loads the rest
        cache.live, cache.pages = None, {}
        cache.entries.clear()
        cache.bodies.clear()
    return result


def search_finish(options: Options, cache: Cache, timings: dict[str, float],
                  searched: list[Indexed]) -> Finish:
    """The command line's search refresh: the shards holding a page the quick rebuild wrote
    are indexed into the same staging folder, so pages and index move in together (or
    neither, when Pagefind fails: the full path then reports it). The shard plan is the one
    the last full build saved: an edit that keeps the index's shape keeps every page in
    its shard. ``searched`` receives what was indexed, for the build's result."""
    def finish(stage: Path, results: dict[str, tuple[PlannedPage, PageRecord]],
               staged: list[str]) -> tuple[list[str], list[str]]:
        if cache.search is None:
            return [], []
        shards, outputs = cache.search
        written = [path for path in results if path in outputs]
        if not written:
            return [], []
        clock = Stopwatch(timings)
        outputs = {**outputs, **{path: results[path][1].output for path in written}}
        indexed, obsolete, cache.static = restage(options, cache, stage, shards, outputs,
                                                  set(staged), intact=True)
        cache.search = (shards, outputs)
        searched.append(indexed)
        clock.lap("search")
        return indexed.staged, obsolete
    return finish
