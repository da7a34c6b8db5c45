"""The preview's search refresh: pages changed by a quick rebuild → their shards re-indexed.

A preview rebuild reloads the page as fast as before: it only marks the search index stale
(the manifest says so, and the search page shows it). The refresh then runs in the preview's
builder between two rebuilds, through the same staging folder and atomic moves as a build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from generator.cache import Cache
from generator.read import digest
from generator.search import FOLDER, MANIFEST, MIRROR, Shard, plan_shards
from generator.searchwrite import Indexed, stage_search
from generator.state import Options
from generator.tracking import Written, hash_text
from generator.write import move_in, stage_file, stage_folder


def mark_stale(options: Options, cache: Cache) -> None:
    """Say in the manifest that the index lags behind the pages (after a quick rebuild)."""
    if cache.live is None or cache.live.search_stale:
        return
    cache.live.search_stale = True
    try:
        found = json.loads((options.out / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return  # no index to mark: the next full build makes one
    data = (json.dumps({**found, "stale": True}, indent=1) + "\n").encode()
    stage = stage_folder(options.out)
    try:
        stat = stage_file(stage, MANIFEST, data)
        move_in(options.out, stage, [MANIFEST], [])
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    cache.static[MANIFEST] = (digest(data), stat.st_size, stat.st_mtime_ns)


def refresh_search(options: Options, cache: Cache) -> Indexed | None:
    """Re-index the shards whose pages changed; None when nothing is stale. Raises
    ``searchwrite.SearchError`` (the site keeps its stale index)."""
    live = cache.live
    if live is None or not live.search_stale:
        return None
    shards = plan_shards(live.pages.values())
    outputs = {path: record.output for path, record in cache.pages.items()}
    stage = stage_folder(options.out)
    try:
        indexed, obsolete, static = restage(options, cache, stage, shards, outputs, set())
        move_in(options.out, stage, indexed.staged, obsolete)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    cache.static = static
    live.search_stale = False
    return indexed


def search_mirror(options: Options) -> Path | None:
    """Where the shards' pages stay linked between builds (``searchwrite.link_pages``): in
    the cache folder, one folder per target (a preview with drafts and a build of the same
    project index other pages); nowhere when the build keeps no cache."""
    if not options.use_cache:
        return None
    return options.cache_folder / MIRROR / hash_text(*options.target)[:16]


def restage(options: Options, cache: Cache, stage: Path, shards: list[Shard],
            outputs: Mapping[str, str], staged_pages: set[str], intact: bool = False
            ) -> tuple[Indexed, list[str], dict[str, Written]]:
    """Index the shards whose pages changed into ``stage``: the files to move in, the
    search files to delete, and the static files the site holds once they are moved
    (``intact``: see ``stage_search``)."""
    indexed = stage_search(options.out, stage, shards, outputs, staged_pages, cache.static,
                           options.workers, compare=True, mirror=search_mirror(options),
                           intact=intact)
    obsolete = [rel for rel in cache.static
                if rel.startswith(f"{FOLDER}/") and rel not in indexed.kept]
    static = {rel: w for rel, w in cache.static.items()
              if not rel.startswith(f"{FOLDER}/")} | indexed.kept
    return indexed, obsolete, static


__all__ = ["mark_stale", "refresh_search", "restage", "search_mirror"]
