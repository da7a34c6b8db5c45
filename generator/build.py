"""Build: runs config → read → validate → resolve → render → write, timing each stage.

Owns the caches (see ``cache.py``): content files are read only when their stat changed and
parsed only when their bytes did; a page is rendered again only when its template, the
configuration, its planned context or one of the index answers its template used changed;
a file is written only when its bytes changed. When every input is as at the last good build
and the site is as it was written, nothing is done at all. The index and the plan are always
recomputed otherwise (cheap and never stale). CPU-bound work runs on every core.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator import drafts, lint, sharecards
from generator import incremental as quick_path
from generator import store as stored
from generator.body import Body
from generator.cache import Cache, FileState
from generator.config import parse_config
from generator.diagnostics import Diagnostic, error, sort_key, warning
from generator.editions import plan_languages
from generator.entryfile import ParseJob
from generator.fresh import (
    Seen,
    inputs_digest,
    known_digest,
    outside_bytes,
    outside_digest,
    recheck,
    site_intact,
    snapshot,
    snapshot_of_states,
)
from generator.i18n import untranslated
from generator.models import Entry, Organisation, SiteConfig
from generator.output import write_site
from generator.parallel import in_child, parse
from generator.read import Discovered, SourceFile, discover, display_path, read_site_yaml
from generator.references import References
from generator.render import make_environment, render_pages
from generator.resolve import Key, SiteIndex, resolve
from generator.search import plan_shards
from generator.searchrefresh import mark_stale
from generator.searchwrite import SearchError, index_files
from generator.state import Options, OutputFiles, Progress, Result, Stopwatch, failed
from generator.theme import Theme, static_bytes
from generator.tracking import Templates
from generator.translated import attach, is_translation, source_digest


def load_config(options: Options) -> tuple[SiteConfig | None, list[Diagnostic]]:
    raw, diagnostics = read_site_yaml(options.content)
    if raw is None and not diagnostics:
        diagnostics = [error(str(options.content / "site.yaml"), 1, "invalid-site-yaml",
                             "site.yaml is empty", "see docs/content.md for the fields")]
    if diagnostics:
        return None, diagnostics
    return parse_config(raw, display_path(options.content / "site.yaml"), options.base_url)




Found = dict[int, tuple[Entry | None, list[Diagnostic], Body | None]]
"""File number → its entry (None when it failed), its diagnostics and its body HTML."""


def load(options: Options, cache: Cache | None = None, timings: dict[str, float] | None = None,
         progress: Progress | None = None, discovered: Discovered | None = None,
         texts: Mapping[Path, bytes] | None = None) -> Result:
    """Everything up to the site index; no output is touched.

    ``texts`` (by ``SourceFile.path``) stand in for those files' bytes, uncached: ``factcheck
    publish`` checks entries as they will be before it writes them.
    """
    texts = texts or {}
    cache = cache if cache is not None else Cache()
    timings = timings if timings is not None else {}
    clock = Stopwatch(timings)
    if not options.content.is_dir():
        return Result([error(str(options.content), 0, "missing-content",
                             "content folder not found", "pass --content DIR")], timings=timings)
    config, diagnostics = load_config(options)
    diagnostics += sharecards.check(config)  # before any work: cards could not be drawn
    clock.lap("config")
    files, problems = discovered or discover(options.content)
    diagnostics += problems
    config_broken = config is None
    if config is None:  # still resolve references, so one run reports every mistake
        config = SiteConfig("", "", Organisation(""), ())
    found, partial, todo = from_cache(cache, files, texts, config)
    clock.lap("read")
    clock.apportion(parse_files(options, cache, files, todo, texts, config, found, partial,
                                progress))
    forget_deleted(cache, files)
    entries, failed_files, bodies, problems = collect(files, found)
    diagnostics += problems
    _prune(cache, files, entries)
    entries, translations = [e for e in entries if not is_translation(e)], \
        [e for e in entries if is_translation(e)]
    clock.restart()
    invalid = [(file.kind, file.slug) for file in failed_files]
    kept = [partial[n] for n in sorted(partial)]
    index, problems = resolve(entries, bodies, config, options.drafts, invalid, kept)
    if config_broken:  # without the ratings scale every rating would look unknown
        diagnostics += [d for d in problems if d.code != "unknown-rating"]
        return Result(sorted(set(diagnostics), key=sort_key), timings=timings)
    index, diagnostics = with_drafts(options, config, entries, bodies, failed_files, kept,
                                     index, diagnostics, problems + lint.lint(index))
    diagnostics += catalog_gaps(options.templates, config)
    if translations or len(config.editions) > 1:
        index, problems = with_translations(index, entries, translations)
        diagnostics += problems
    clock.lap("resolve")
    return Result(sorted(set(diagnostics), key=sort_key), timings=timings, index=index)


def from_cache(cache: Cache, files: list[SourceFile], texts: Mapping[Path, bytes],
               config: SiteConfig) -> tuple[Found, dict[int, References], list[int]]:
    """The files whose parsed entry and body the cache holds (a file's stat, or else its
    bytes, as when parsed), the references of invalid ones, and the numbers of the rest."""
    base_path, raw_html = config.base_path, config.allow_raw_html
    found: Found = {}
    partial: dict[int, References] = {}
    todo: list[int] = []
    for number, file in enumerate(files):
        if file.path in texts:
            todo.append(number)
            continue
        known = known_digest(cache, file)
        if known is None and file.display in cache.files:  # changed or recently written
            known = recheck(cache, file)
        cached = cache.entries.get((file.display, file.rel, known)) if known else None
        if cached is None:
            todo.append(number)
            continue
        entry, problems, refs = cached
        if refs is not None:
            partial[number] = refs
        body = None
        if entry is not None and base_path is not None:
            body = cache.bodies.get((entry.digest, entry.rel, base_path, raw_html))
            if body is None:
                todo.append(number)
                continue
        found[number] = (entry, problems, body)
    return found, partial, todo


def parse_files(options: Options, cache: Cache, files: list[SourceFile], todo: list[int],
                texts: Mapping[Path, bytes], config: SiteConfig, found: Found,
                partial: dict[int, References], progress: Progress | None = None
                ) -> dict[str, float]:
    """Read, validate and convert the files numbered ``todo`` on every core, into ``found``,
    ``partial`` and the cache; returns the seconds spent on each of those stages."""
    base_path, raw_html = config.base_path, config.allow_raw_html
    job = ParseJob([files[n] for n in todo], base_path, raw_html, texts)
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress:
            progress("parse", done[0], len(todo))

    spent = [0.0, 0.0, 0.0]
    cache.parsed = cache.parsed or bool(todo)
    for parsed in parse(job, options.workers, advance):
        spent = [a + b for a, b in zip(spent, parsed.spent, strict=True)]
        file = job.files[parsed.index]
        if parsed.state is not None:
            cache.files[file.display] = parsed.state
            cache.entries[(file.display, file.rel, parsed.state.digest)] = (
                parsed.entry, parsed.diagnostics, parsed.refs)
        if parsed.refs is not None:
            partial[todo[parsed.index]] = parsed.refs
        if parsed.entry is not None and parsed.body is not None:
            e = parsed.entry
            cache.bodies[(e.digest, e.rel, base_path, raw_html)] = parsed.body
        found[todo[parsed.index]] = (parsed.entry, parsed.diagnostics, parsed.body)
    return dict(zip(("read", "validate", "markdown"), spent, strict=True))


def forget_deleted(cache: Cache, files: list[SourceFile]) -> None:
    current = {f.display for f in files}
    for stale in [p for p in cache.files if p not in current]:
        del cache.files[stale]


def collect(files: list[SourceFile], found: Found
            ) -> tuple[list[Entry], list[SourceFile], dict[Key, Body], list[Diagnostic]]:
    """In file order: the valid entries, the files that failed, the bodies by entry and
    every file's diagnostics."""
    entries: list[Entry] = []
    failed_files: list[SourceFile] = []
    bodies: dict[Key, Body] = {}
    diagnostics: list[Diagnostic] = []
    for number in sorted(found):
        entry, problems, body = found[number]
        diagnostics += problems
        if entry is not None:
            entries.append(entry)
            if body is not None:
                bodies[(entry.kind, entry.slug)] = body
        else:
            failed_files.append(files[number])
    return entries, failed_files, bodies, diagnostics


def with_drafts(options: Options, config: SiteConfig, entries: list[Entry],
                bodies: dict[Key, Body], failed_files: list[SourceFile],
                kept: list[References], index: SiteIndex, read_problems: list[Diagnostic],
                problems: list[Diagnostic]) -> tuple[SiteIndex, list[Diagnostic]]:
    """The index and diagnostics with drafts told apart: left out, what ``--drafts`` would
    say of them; shown, an unfinished one only on its own page."""
    diagnostics = read_problems + problems
    paths = drafts.draft_paths(entries, failed_files)
    invalid = [(file.kind, file.slug) for file in failed_files]
    if paths and not options.drafts:
        diagnostics = drafts.mark(diagnostics, paths) + \
            drafts.as_drafts_build(entries, bodies, config, invalid, kept, paths)
    elif paths:
        index, diagnostics = drafts.hold_unready(
            entries, bodies, config, failed_files, index, read_problems, diagnostics, kept,
            paths, marked=paths if options.preview else set())
    return index, diagnostics


def catalog_gaps(templates: Path, config: SiteConfig) -> list[Diagnostic]:
    """A warning per published language whose catalog lacks interface strings (they show in
    English): ``check --strict`` fails on it."""
    found = []
    for language in config.editions:
        catalog, missing = untranslated(Theme.of(templates).layers, language)
        if missing:
            found.append(warning(display_path(catalog) if catalog else language, 0,
                                 "untranslated-string",
                                 f"{len(missing)} interface strings have no '{language}' "
                                 f"translation (first: '{missing[0]}'); pages show them in "
                                 "English", "translate them, then pybabel compile "
                                 "(docs/templates.md)"))
    return found


def with_translations(index: SiteIndex, entries: list[Entry], translations: list[Entry]
                      ) -> tuple[SiteIndex, list[Diagnostic]]:
    """The index with each translation filed under its original (drafts included, so a
    draft's translation is no orphan)."""
    originals: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        originals.setdefault(entry.kind, {})[entry.slug] = entry

    def digest_of(entry: Entry) -> str:
        body = index.bodies.get((entry.kind, entry.slug))
        return source_digest(entry, body.html if body is not None else "")

    found, problems = attach(originals, translations, index.config.editions, digest_of)
    return dataclasses.replace(index, translations=found), problems


def _prune(cache: Cache, files: list[SourceFile], entries: list[Entry]) -> None:
    """Forget parsed versions of files that no longer exist or have changed since."""
    keep = {(f.display, f.rel, cache.files[f.display].digest) for f in files
            if f.display in cache.files}
    for key in [k for k in cache.entries if k not in keep]:
        del cache.entries[key]
        cache.parsed = True
    live = {(e.digest, e.rel) for e in entries}
    for key in [k for k in cache.bodies if (k[0], k[1]) not in live]:
        del cache.bodies[key]
        cache.parsed = True


def render(options: Options, result: Result,
           on_page: Callable[[], None] | None = None) -> Result:
    """Plan and render every page of a loaded site into ``result.files``, in memory, in this
    process: the simple reference the cached, parallel build is tested against."""
    assert result.index is not None
    clock = Stopwatch(result.timings)
    index = result.index
    try:
        env = make_environment(options.templates, index.config)
        pages, editions = plan_languages(index)
        files, problems = render_pages(env, [p for p in pages if p.language not in editions],
                                       index, options.templates, on_page)
        for language, shown in editions.items():  # a multilingual site's other languages
            more, found = render_pages(
                make_environment(options.templates, shown.config, language),
                [p for p in pages if p.language == language], shown, options.templates,
                on_page)
            files.update(more)
            problems += found
        problems += Theme.of(options.templates).check()
        files.update(static_bytes(options.templates))
        if not problems:
            files.update(index_files(files, plan_shards(pages)))
    except OSError as exc:
        problems, files = [error(str(options.templates), 0, "templates",
                                 f"cannot read templates: {exc}")], {}
    except SearchError as exc:
        problems = [error(str(options.out), 0, "search-index", f"cannot index the site: {exc}")]
    result.diagnostics = sorted(result.diagnostics + problems, key=sort_key)
    result.files = files
    clock.lap("render")
    return result


class _Collector:
    """The cycle collector, paused while a command-line build reads its state (the store,
    the content folder's walk, a quick rebuild): that allocates millions of objects that
    live until the process ends and hold no cycles (250,000 file states, the index and
    386,996 output states at 100,000 claims), and collecting while they come only walks
    them again: 11 full collections, 1–3 s of a 13 s one-edit rebuild. ``resume`` turns it
    back on before the full path parses and renders, and when the build returns.

    Those objects are set aside (``gc.freeze``) before the collector is back: they were
    made while it was off, so its first collection would walk every one of them (0.5 s at
    100k). ``close`` hands them back, as old objects, when the build returns."""

    def __init__(self, pause: bool):
        self.paused = pause and gc.isenabled()
        self.frozen = False
        if self.paused:
            gc.disable()

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            gc.freeze()
            self.frozen = True
            gc.enable()

    def close(self) -> None:
        self.resume()
        if self.frozen:
            self.frozen = False
            gc.unfreeze()


def build(options: Options, cache: Cache | None = None, incremental: bool = False,
          on_page: Callable[[], None] | None = None, progress: Progress | None = None,
          changed: Iterable[Path] | None = None) -> Result:
    """Build the site into ``options.out``; writes only when there is no error.

    Without ``cache``, the cache saved beside the content is used and updated (unless
    ``options.use_cache`` is off, which starts cold). With ``cache`` (the preview keeps one
    in memory), that cache is used; ``changed`` (paths saved since the last build) lets a
    one-entry edit skip scanning the whole content folder. ``incremental`` never swaps the
    whole output folder: it updates changed files in place.
    """
    collector = _Collector(pause=cache is None)
    try:
        return _build(options, cache, incremental, on_page, progress, changed, collector)
    finally:
        collector.close()


def _build(options: Options, cache: Cache | None, incremental: bool,
           on_page: Callable[[], None] | None, progress: Progress | None,
           changed: Iterable[Path] | None, collector: _Collector) -> Result:
    persistent = cache is None
    manifest = False
    timings: dict[str, float] = {}
    clock = Stopwatch(timings)
    if cache is None:
        cache = Cache()
        if options.use_cache:
            manifest = stored.load_manifest(cache, options.cache_folder, files=False)
    elif options.use_cache and not cache.loaded and not cache.entries:
        stored.seed(cache, options.cache_folder)  # entries and bodies from the last CLI build
    clock.lap("cache")

    target = options.target
    check = functools.partial(site_intact, options.out, cache.page_states, cache.static)
    intact = in_child(check) if manifest and cache.page_states and options.workers > 1 \
        else check  # in a child beside the walk, unless one process was asked for
    bytes_now = outside_bytes(options) if persistent and options.use_cache else None
    seen: Seen = {}
    walk = snapshot(bytes_now, options.content, seen) \
        if bytes_now and cache.snapshot and cache.target == target else None
    if walk and walk == cache.snapshot and intact():  # known before anything is discovered
        clock.lap("read")
        return unchanged(options, cache, timings)
    if persistent and options.use_cache and manifest:
        stored.load_files(cache, options.cache_folder)

    if changed is not None and cache.live is not None:
        quick = quick_path.quick_rebuild(options, cache, list(changed), timings)
        if quick is not None:
            if quick.written:
                mark_stale(options, cache)  # the preview re-indexes after the reload
            return quick

    try:
        templates = Templates.scan(options.templates)
    except OSError:
        templates = Templates({"*": ""})
    discovered = discover(options.content) if options.content.is_dir() else None
    outside = outside_digest(options, templates)
    now = inputs_digest(options, cache, templates, discovered, outside, seen) \
        if cache.files and outside else None
    if now is not None and now == cache.inputs and cache.target == target and intact():
        clock.lap("read")
        if bytes_now and not cache.snapshot:  # a store older than snapshots: one now
            cache.snapshot = snapshot_of_states(bytes_now, discovered, cache)
            stored.save_meta(cache, options.cache_folder, "snapshot")
        return unchanged(options, cache, timings)
    clock.lap("read")
    if persistent and options.use_cache and cache.target == target and discovered:
        quick = quick_path.quick_from_store(options, cache, templates, discovered, outside,
                                            timings, intact, bytes_now, seen, walk)
        if quick is not None:
            clock.lap("cache")
            return quick
    if intact is not check:  # a child, done by now: reaped before the full path forks
        intact()
    if persistent and options.use_cache:
        stored.load_work(cache, options.cache_folder)
    cache.loaded = True
    if cache.target != target:
        cache.forget_outputs()
    clock.lap("cache")

    collector.resume()
    result = load(options, cache, timings, progress, discovered)
    if failed(result, options.strict) or result.index is None:
        cache.live, cache.inputs, cache.snapshot = None, "", ""
        return result
    result = write_site(options, cache, result, templates, incremental,
                        with_pages(progress, on_page), keep_live=not persistent)
    if failed(result, options.strict):
        cache.live, cache.inputs, cache.snapshot = None, "", ""
        return result
    clock.restart()
    cache.target = target
    cache.diagnostics = list(result.diagnostics)
    cache.inputs = now or inputs_digest(options, cache, templates, discovered, outside) or ""
    cache.outside = outside or ""
    cache.snapshot = snapshot_of_states(bytes_now, discovered, cache)
    if persistent:
        stored.save(cache, options.cache_folder, result.index, cache.plans)
        cache.plans = {}
    clock.lap("cache")
    return result


def unchanged(options: Options, cache: Cache, timings: dict[str, float]) -> Result:
    """The last build's result, for a build with nothing to do."""
    paths = [*cache.page_states, *cache.static]
    return Result(list(cache.diagnostics), OutputFiles(options.out, paths), timings,
                  cache.live.index if cache.live else None, unchanged=len(paths),
                  path="unchanged")


def with_pages(progress: Progress | None, on_page: Callable[[], None] | None
               ) -> Progress | None:
    """``progress`` that also calls ``on_page`` once per page rendered."""
    if on_page is None:
        return progress
    shown = [0]

    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)
        if stage == "render":
            for _ in range(done - shown[0]):
                on_page()
            shown[0] = done

    return report


__all__ = ["Cache", "FileState", "Options", "Result", "build", "failed", "load", "load_config",
           "render"]
