"""The preview's quick path: a save that edits entries without changing the site's structure.

When the preview knows which files were saved and each is an existing entry whose edit
leaves the index's shape alone (same slug, relations, order key, rating, tags, draft state,
body links), the index is patched in place of being rebuilt and only the pages that showed
those entries are rendered again. Anything else (a new, deleted or broken file, a template,
``site.yaml``) returns None and the caller runs the full incremental build, which is always
correct; the tests check that both give the same tree.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from generator import lint
from generator.body import Body
from generator.cache import Cache
from generator.diagnostics import Diagnostic, has_errors, sort_key
from generator.entryfile import Parsed, parse_one
from generator.fresh import known_digest
from generator.models import Claim, Entry, Page
from generator.pagefile import RenderJob
from generator.parallel import render
from generator.plan import PlannedPage, overflow, plan_entry, plan_site
from generator.read import KINDS, SourceFile, entry_at, ignored
from generator.resolve import RELATIONS, SiteIndex, claim_order
from generator.state import Options, OutputFiles, Result, Stopwatch
from generator.write import move_in, stage_folder

Key = tuple[str, str]


def signature(entry: Entry, body: Body | None) -> tuple[Any, ...]:
    """What of an entry shapes the index, the order of lists and other pages' plans."""
    relations = tuple(getattr(entry, name) for kind, name, _ in RELATIONS if kind == entry.kind)
    extra: tuple[Any, ...] = ()
    if isinstance(entry, Claim):
        extra = (entry.rating, entry.tags)
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


def quick_rebuild(options: Options, cache: Cache, changed: list[Path],
                  timings: dict[str, float]) -> Result | None:
    """Rebuild after edits to existing entries, or None when the full path is needed."""
    live = cache.live
    if live is None or cache.target != options.target or not changed:
        return None
    clock = Stopwatch(timings)
    base_path, raw_html = live.index.config.base_path, live.index.config.allow_raw_html
    edits: list[tuple[SourceFile, Parsed, Entry]] = []
    for path in dict.fromkeys(changed):
        if ignored(Path(path).name):
            continue  # editor swap and backup files: not content (``discover`` skips them)
        file = entry_at(options.content, Path(path))
        if file is None or file.display not in cache.files:
            return None
        state = cache.files[file.display]
        if not file.path.exists():
            return None
        if known_digest(cache, file) is not None:  # stat as when last read: unchanged
            continue
        parsed = parse_one(file, base_path, raw_html)
        if parsed.state is not None and parsed.state.digest == state.digest:
            cache.files[file.display] = parsed.state  # touched, not changed
            continue
        new = parsed.entry
        old = live.index.entries[file.kind].get(file.slug)
        if new is None or old is None or new.draft or old.draft or parsed.state is None \
                or has_errors(parsed.diagnostics) \
                or parsed.body is None or old.path != new.path \
                or signature(old, live.index.bodies[(old.kind, old.slug)]) != \
                signature(new, parsed.body) or not keeps_place(live.index, new):
            return None
        edits.append((file, parsed, old))
    clock.lap("read")
    paths = [*cache.page_states, *cache.static]
    if not edits:
        return Result(list(live.diagnostics), OutputFiles(options.out, paths), timings,
                      live.index, unchanged=len(paths), path="quick")

    entries = {kind: dict(found) for kind, found in live.index.entries.items()}
    bodies = dict(live.index.bodies)
    for _file, parsed, _old in edits:
        entry = parsed.entry
        assert entry is not None and parsed.body is not None
        entries[entry.kind][entry.slug] = entry
        bodies[(entry.kind, entry.slug)] = parsed.body
    index = dataclasses.replace(live.index, entries=entries, bodies=bodies)
    touched = {p.entry.path for _, p, _ in edits if p.entry is not None}
    diagnostics = [d for d in live.diagnostics if d.path not in touched]
    for _file, parsed, _old in edits:
        assert parsed.entry is not None
        diagnostics += parsed.diagnostics + _lint_one(index, parsed.entry)
    diagnostics = sorted(set(diagnostics), key=sort_key)
    if options.strict and diagnostics:
        return None
    clock.lap("resolve")

    if live.dependents is None:
        live.dependents = cache.dependents()
    affected: set[str] = set()
    for _file, _parsed, old in edits:
        affected |= live.dependents.get((old.kind, old.slug), set())
    replanned: dict[str, PlannedPage] = {}
    fields_same = all(_fields(p.entry) == _fields(old) for _, p, old in edits
                      if p.entry is not None)
    if not fields_same and any(getattr(page, "data", None) is not None
                               for page in live.pages.values()):
        # Files planned as ready bytes (feeds, sitemap, exports) do not say which entries
        # they show: plan them again. They are made from entries' fields, never from bodies,
        # so a body edit leaves them alone (the tests compare with a full build).
        replanned = {page.path: page for page in plan_site(index)
                     if getattr(page, "data", None) is not None}
        affected |= set(replanned)
    stage = stage_folder(options.out)
    try:
        maybe = [replanned.get(path) or _replan(live.pages[path], index)
                 for path in sorted(affected)]
        pages = [page for page in maybe if page is not None]
        if len(pages) != len(maybe):
            return None
        job = RenderJob(live.env, index, pages, live.templates, options.templates,
                        live.setting, stage, options.out, cache.pages)
        planned = {page.path: page for page in pages}
        results, staged = {}, []
        for rendered in render(job, options.workers):  # many pages (a renamed actor): all cores
            if rendered.problem is not None or rendered.record is None:
                return None
            results[rendered.path] = (planned[rendered.path], rendered.record)
            if rendered.staged:
                staged.append(rendered.path)
        clock.lap("render")
        move_in(options.out, stage, staged, [])
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    for path, (page, record) in results.items():
        previous = cache.pages.get(path)
        for key in (previous.keys if previous else frozenset()) - record.keys:
            live.dependents[key].discard(path)
        for key in record.keys:
            live.dependents.setdefault(key, set()).add(path)
        cache.pages[path] = record
        cache.page_states[path] = (record.size, record.mtime_ns)
        live.pages[path] = page
    for file, parsed, _old in edits:
        assert parsed.state is not None and parsed.entry is not None and parsed.body
        entry = parsed.entry
        cache.files[file.display] = parsed.state
        cache.entries[(file.display, file.rel, parsed.state.digest)] = (
            entry, parsed.diagnostics, None)
        cache.bodies[(entry.digest, entry.rel, base_path, raw_html)] = parsed.body
        cache.parsed = True
    live.index, live.diagnostics = index, diagnostics
    cache.diagnostics = list(diagnostics)
    cache.inputs = ""
    clock.lap("write")
    return Result(diagnostics, OutputFiles(options.out, paths), timings, index,
                  written=len(staged), unchanged=len(paths) - len(staged), path="quick")


def _fields(entry: Entry) -> Entry:
    """The entry without its body (and what only locates the body): its fields."""
    return dataclasses.replace(entry, body="", digest="", body_line=0)


def _replan(page: PlannedPage, index: SiteIndex) -> PlannedPage | None:
    """The page planned again on the patched index; None when that takes a full plan."""
    entry = page.context.get("entry")
    if isinstance(entry, Entry) and page.path == f"{entry.url_path}index.html":
        return plan_entry(index, index.entries[entry.kind][entry.slug])
    owner = page.context.get("owner")
    if isinstance(owner, Entry):  # an entry's full list: its title names the entry
        current = index.entries[owner.kind][owner.slug]
        return next((p for p in overflow(index, current) if p.path == page.path), None)
    return dataclasses.replace(page, context=refresh(page.context, index))

