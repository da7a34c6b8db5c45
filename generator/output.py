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

from generator import parallel
from generator.cache import Cache
from generator.diagnostics import error, sort_key
from generator.fresh import setting_digest
from generator.live import Live
from generator.pagefile import Rendered, RenderJob
from generator.plan import plan_site
from generator.read import digest
from generator.render import make_environment
from generator.state import Options, OutputFiles, Progress, Result, Stopwatch, failed
from generator.theme import Theme, static_bytes
from generator.tracking import Templates, output_current
from generator.write import (
    UnsafeOutput,
    check_output_folder,
    move_in,
    stage_file,
    stage_folder,
    strays,
    swap_in,
)


def write_site(options: Options, cache: Cache, result: Result, templates: Templates,
               incremental: bool, on_page: Callable[[], None] | None = None,
               progress: Progress | None = None, keep_live: bool = True) -> None:
    assert result.index is not None
    clock = Stopwatch(result.timings)
    index = result.index
    try:
        check_output_folder(options.out, [options.content, options.templates])
        env = make_environment(options.templates, index.config)
        setting = setting_digest(options, index.config,
                                 (options.content / "site.yaml").read_bytes())
        statics = static_bytes(options.templates)
    except (UnsafeOutput, OSError) as exc:
        result.diagnostics.append(error(str(options.out), 0, "output", str(exc)))
        return
    result.diagnostics = sorted(result.diagnostics + Theme.of(options.templates).check(),
                                key=sort_key)
    if failed(result, options.strict):  # before anything is written
        return
    planned = {page.path: page for page in plan_site(index)}
    pages = list(planned.values())
    total = len(pages)
    if not keep_live:
        planned = {}
    fresh = not options.out.is_dir() or not any(options.out.iterdir())
    previous = {} if fresh else cache.pages
    whole = fresh and not incremental  # a first build: swap the whole tree in atomically
    stage = stage_folder(options.out)
    try:
        job = RenderJob(env, index, pages, templates, options.templates, setting,
                                 stage, options.out, previous, compare=not fresh)
        done = [0]

        def advance(count: int) -> None:
            done[0] += count
            if progress:
                progress("render", done[0], total)
            if on_page:
                for _ in range(count):
                    on_page()

        records, problems, staged = {}, {}, []
        spent = {"render": 0.0, "write": 0.0}
        # Once the workers are forked they hold the plan; a one-shot build frees its copy.
        release = None if keep_live else pages.clear
        canonical = {(e.kind, e.slug): (e.kind, e.slug)
                     for found in index.entries.values() for e in found.values()}
        for rendered in parallel.render(job, options.workers, advance, on_fork=release):
            if rendered.record is not None:  # one key tuple per entry, not one per page
                rendered = shared_keys(rendered, canonical)
            spent["render"] += rendered.spent[0]
            spent["write"] += rendered.spent[1]
            if rendered.problem is not None:
                p = rendered.problem
                problems.setdefault((p.path, p.line, p.code), p)  # once per template spot
            elif rendered.record is not None:
                records[rendered.path] = rendered.record
                if rendered.staged:
                    staged.append(rendered.path)
        statics_kept = {}
        for rel, data in statics.items():
            found = digest(data)
            kept = output_current(options.out / rel, found,
                                  None if whole else cache.static.get(rel), data,
                                  compare=not fresh)
            if kept is not None:
                statics_kept[rel] = (found, *kept)
                continue
            stat = stage_file(stage, rel, data)
            statics_kept[rel] = (found, stat.st_size, stat.st_mtime_ns)
            staged.append(rel)
        clock.apportion(spent)
        if problems:
            result.diagnostics = sorted(result.diagnostics + list(problems.values()),
                                        key=sort_key)
            return
        wanted = set(records) | set(statics_kept)
        if whole:
            swap_in(options.out, stage)
            deleted: list[str] = []
        else:
            obsolete = [p for p in [*previous, *cache.static] if p not in wanted]
            if not previous:
                obsolete += strays(options.out, wanted)
            deleted = move_in(options.out, stage, staged, obsolete)
    except (UnsafeOutput, OSError) as exc:
        result.diagnostics.append(error(str(options.out), 0, "output", str(exc)))
        return
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    cache.pages = records
    cache.static = statics_kept
    cache.page_states = {p: (r.size, r.mtime_ns) for p, r in records.items()}
    if keep_live:  # the preview's quick path needs the plan; a one-shot build frees it
        cache.live = Live(index, planned, env, templates, setting, list(result.diagnostics))
    result.files = OutputFiles(options.out, wanted)
    result.written = len(staged)
    result.unchanged = len(wanted) - len(staged)
    result.deleted = len(deleted)
    clock.lap("write")


def shared_keys(rendered: Rendered, canonical: dict[tuple[str, str], tuple[str, str]]
                ) -> Rendered:
    """The record with its entry keys replaced by the index's own tuples (saves memory)."""
    record = rendered.record
    assert record is not None
    keys = frozenset(canonical.get(key, key) for key in record.keys)
    return dataclasses.replace(rendered, record=dataclasses.replace(record, keys=keys))




