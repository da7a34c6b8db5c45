"""Render and write stages of a build: plan → pages rendered (in parallel) → output folder.

Pages are rendered into a staging folder beside the site; nothing in the site changes until
every page rendered without error. A cold build then swaps the staged tree in whole
(``write.swap_in``); a warm or incremental one moves in only the files whose bytes changed
and deletes the pages no longer planned, so unchanged files keep their bytes and mtimes.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator import parallel
from generator.cache import Cache
from generator.diagnostics import Diagnostic, error, sort_key
from generator.editions import plan_languages
from generator.fresh import setting_digest
from generator.live import Live
from generator.models import SiteConfig
from generator.pagefile import RenderJob
from generator.read import digest
from generator.render import make_environment
from generator.resolve import SiteIndex
from generator.search import plan_shards
from generator.searchrefresh import search_mirror
from generator.searchwrite import SearchError, stage_search
from generator.state import Options, OutputFiles, Progress, Result, Stopwatch, failed
from generator.store import plan_ref
from generator.theme import Theme, static_bytes
from generator.tracking import Call, PageRecord, Templates, Written, output_current
from generator.write import (
    UnsafeOutput,
    check_output_folder,
    move_in,
    stage_file,
    stage_folder,
    strays,
    swap_in,
)


def write_site(options: Options, cache: Cache, loaded: Result, templates: Templates,
               incremental: bool = False, progress: Progress | None = None,
               keep_live: bool = True) -> Result:
    """Render ``loaded``'s index into the output folder, or nothing when a page fails.

    ``loaded`` is left as it is: the result returned adds the write's diagnostics, files
    and counts (its stages' seconds go to the same ``timings``).
    """
    assert loaded.index is not None
    index = loaded.index
    clock = Stopwatch(loaded.timings)
    try:
        env, setting, statics = prepare(options, index.config)
    except (UnsafeOutput, OSError) as exc:
        return dataclasses.replace(loaded, diagnostics=[*loaded.diagnostics,
                                                        output_error(options, exc)])
    result = dataclasses.replace(loaded, diagnostics=sorted(
        loaded.diagnostics + Theme.of(options.templates).check(), key=sort_key))
    if failed(result, options.strict):  # before anything is written
        return result
    planned_pages, editions = plan_languages(index)
    planned = {page.path: page for page in planned_pages}
    del planned_pages  # ``pages`` alone holds the plan: ``release`` must free it
    pages = list(planned.values())
    shards = plan_shards(pages)  # before a one-shot build lets the plan go
    if not keep_live:  # a command-line build: what its next quick rebuild needs, by page
        cache.plans = {page.path: plan_ref(page) for page in pages if page.data is None}
        planned = {}
    fresh = not options.out.is_dir() or not any(options.out.iterdir())
    previous = {} if fresh else cache.pages
    whole = fresh and not incremental  # a first build: swap the whole tree in atomically
    stage = stage_folder(options.out)
    try:
        job = RenderJob(env, index, pages, templates, options.templates, setting,
                        stage, options.out, previous, compare=not fresh,
                        cards=card_cache(options),
                        editions=edition_environments(options, editions))
        # Once the workers are forked they hold the plan; a one-shot build frees its copy.
        rendering = render_pages(job, options.workers, progress,
                                 release=None if keep_live else pages.clear, warm=keep_live)
        statics_kept, staged = stage_statics(options.out, stage, statics,
                                             {} if whole else cache.static, fresh)
        staged = rendering.staged + staged
        clock.apportion(rendering.spent)
        if rendering.problems:
            return dataclasses.replace(result, diagnostics=sorted(
                result.diagnostics + list(rendering.problems.values()), key=sort_key))
        indexed = stage_search(options.out, stage, shards,
                               {path: r.output for path, r in rendering.records.items()},
                               set(rendering.staged), {} if whole else cache.static,
                               options.workers, compare=not fresh,
                               defer=options.preview and keep_live,
                               mirror=search_mirror(options))
        clock.lap("search")
        if not keep_live:
            indexed_paths = {path for shard in shards for path in shard.paths}
            cache.search = (shards, {path: r.output for path, r in rendering.records.items()
                                     if path in indexed_paths})
        statics_kept.update(indexed.kept)
        staged += indexed.staged
        wanted = set(rendering.records) | set(statics_kept)
        if whole:
            swap_in(options.out, stage)
            deleted: list[str] = []
        else:
            deleted = move_in(options.out, stage, staged,
                              obsolete(options.out, previous, cache.static, wanted))
    except (UnsafeOutput, OSError) as exc:
        return dataclasses.replace(result, diagnostics=[*result.diagnostics,
                                                        output_error(options, exc)])
    except SearchError as exc:
        return dataclasses.replace(result, diagnostics=[*result.diagnostics,
                                                        search_error(options, exc)])
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    cache.pages = rendering.records
    cache.static = statics_kept
    cache.page_states = {p: (r.size, r.mtime_ns) for p, r in rendering.records.items()}
    if keep_live:  # the preview's quick path needs the plan; a one-shot build frees it
        cache.live = Live(index, planned, env, templates, setting, list(result.diagnostics),
                          search_stale=indexed.stale)
    clock.lap("write")
    return dataclasses.replace(result, files=OutputFiles(options.out, wanted),
                               written=len(staged), unchanged=len(wanted) - len(staged),
                               deleted=len(deleted), search_shards=indexed.shards,
                               search_peak_kb=indexed.peak_kb)


def prepare(options: Options, config: SiteConfig
            ) -> tuple[jinja2.Environment, str, dict[str, bytes]]:
    """What every page needs, checked before anything is rendered: a safe output folder,
    the template environment, the settings' digest and the static files."""
    check_output_folder(options.out, [options.content, options.templates])
    env = make_environment(options.templates, config)
    setting = setting_digest(options, config, (options.content / "site.yaml").read_bytes())
    return env, setting, static_bytes(options.templates)


def card_cache(options: Options) -> Path | None:
    """Share images kept by content beside the build cache (none with ``--no-cache``)."""
    return options.cache_folder / "cards" if options.use_cache else None
def edition_environments(options: Options, editions: dict[str, SiteIndex]
                         ) -> dict[str, tuple[jinja2.Environment, SiteIndex]]:
    """Each other language's environment (its catalog, its URL tree) with its index."""
    return {language: (make_environment(options.templates, shown.config, language), shown)
            for language, shown in editions.items()}


def output_error(options: Options, exc: Exception) -> Diagnostic:
    return error(str(options.out), 0, "output", str(exc))


def search_error(options: Options, exc: Exception) -> Diagnostic:
    return error(str(options.out), 0, "search-index", f"cannot index the site: {exc}",
                 "pip install 'pagefind[bin]>=1.5,<2' (or set PAGEFIND_BINARY_PATH)")


@dataclass
class Rendering:
    """The plan rendered into the staging folder."""

    records: dict[str, PageRecord] = field(default_factory=dict)
    """Output path → what the page was built from, for every page that rendered."""
    problems: dict[tuple[str, int, str], Diagnostic] = field(default_factory=dict)
    """Template errors, once per template spot."""
    staged: list[str] = field(default_factory=list)
    """Pages whose new bytes wait in the staging folder."""
    spent: dict[str, float] = field(default_factory=lambda: {"render": 0.0, "write": 0.0})
    """Seconds the workers report, for ``Stopwatch.apportion``."""


def render_pages(job: RenderJob, workers: int, progress: Progress | None = None,
                 release: Callable[[], None] | None = None, warm: bool = False) -> Rendering:
    """Every planned page rendered (or found current) and staged, on ``workers`` cores;
    ``warm``: this process renders later edits itself (``parallel.render``)."""
    total, done = len(job.pages), [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress:
            progress("render", done[0], total)

    found = Rendering()
    shared = Shared({(e.kind, e.slug): (e.kind, e.slug)
                     for entries in job.index.entries.values() for e in entries.values()})
    for rendered in parallel.render(job, workers, advance, on_fork=release, warm_first=warm):
        if rendered.record is not None:  # each key and call held once, not once per page
            rendered = dataclasses.replace(rendered, record=shared.record(rendered.record))
        found.spent["render"] += rendered.spent[0]
        found.spent["write"] += rendered.spent[1]
        if rendered.problem is not None:
            p = rendered.problem
            found.problems.setdefault((p.path, p.line, p.code), p)
        elif rendered.record is not None:
            found.records[rendered.path] = rendered.record
            if rendered.staged:
                found.staged.append(rendered.path)
    return found


def stage_statics(out: Path, stage: Path, statics: dict[str, bytes],
                  before: dict[str, Written], fresh: bool
                  ) -> tuple[dict[str, Written], list[str]]:
    """Static files: each staged unless the site holds its bytes already (``before``: as
    the last build wrote them; ``fresh``: an empty site, nothing to compare with)."""
    kept: dict[str, Written] = {}
    staged: list[str] = []
    for rel, data in statics.items():
        found = digest(data)
        current = output_current(out / rel, found, before.get(rel), data, compare=not fresh)
        if current is not None:
            kept[rel] = (found, *current)
            continue
        stat = stage_file(stage, rel, data)
        kept[rel] = (found, stat.st_size, stat.st_mtime_ns)
        staged.append(rel)
    return kept, staged


def obsolete(out: Path, previous: dict[str, PageRecord], static: dict[str, Written],
             wanted: set[str]) -> list[str]:
    """Files of the last build no longer planned; without records, every unplanned file."""
    found = [p for p in [*previous, *static] if p not in wanted]
    if not previous:
        found += strays(out, wanted)
    return found


@dataclass
class Shared:
    """One object for each entry key and each index call a page record holds. Records come
    back from the workers unpickled, each with its own copies; most pages make the same few
    calls (``menu()``, ``get`` of a claimant): 239,481 calls, 29,023 different, 45 MB as
    copies, in the 46,180 records of a 10,000-claim build."""

    keys: dict[tuple[str, str], tuple[str, str]]
    """The index's own key tuples."""
    calls: dict[Call, Call] = field(default_factory=dict)

    def record(self, record: PageRecord) -> PageRecord:
        keys = tuple(self.keys.get(key, key) for key in record.keys)
        calls = tuple(self.calls.setdefault(call, call) for call in record.calls)
        return dataclasses.replace(record, keys=keys, calls=calls)
