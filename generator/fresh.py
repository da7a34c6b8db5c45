"""Fingerprints of a build's inputs and checks of its outputs: is there anything to do?

``inputs_digest`` hashes everything a build reads (content through the stat cache, so no
unchanged file is read; ``site.yaml``; templates; static files; options; today's date,
which lint's "stale review" warnings depend on). ``site_intact`` checks that every output
file is still as the last build wrote it. Both equal: the build has nothing to do.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Mapping
from pathlib import Path

from generator.cache import Cache, FileState
from generator.models import SiteConfig
from generator.read import Discovered, SourceFile, digest, discover
from generator.state import Options
from generator.theme import Theme
from generator.tracking import Templates, hash_text, still_written


def known_digest(cache: Cache, file: SourceFile) -> str | None:
    """The file's digest when its stat is as when last read; None when it must be read."""
    state = cache.files.get(file.display)
    if state is None:
        return None
    try:
        stat = os.stat(file.path)
    except OSError:
        return None
    if (stat.st_mtime_ns, stat.st_size, stat.st_ino) == (state.mtime_ns, state.size,
                                                           state.inode) and state.trusted():
        return state.digest
    return None


def recheck(cache: Cache, file: SourceFile) -> str | None:
    """Read a file whose stat cannot be trusted and record its digest; None if unreadable."""
    try:
        stat = os.stat(file.path)
        data = file.path.read_bytes()
    except OSError:
        return None
    found = digest(data)
    cache.files[file.display] = FileState(stat.st_mtime_ns, stat.st_size, stat.st_ino, found,
                                          time.time_ns())
    return found


def setting_digest(options: Options, config: SiteConfig, site_yaml: bytes) -> str:
    """What every page depends on besides its own inputs."""
    from generator import __version__

    return hash_text(__version__, repr(config), site_yaml.hex(), repr(options.base_url),
                     repr(options.drafts))


def outside_digest(options: Options, templates: Templates) -> str | None:
    """Every input besides the content files: ``site.yaml``, templates, static files,
    options, and today's date (lint's "stale review" warnings use it); None when unknown."""
    try:
        site_yaml = (options.content / "site.yaml").read_bytes()
        statics = [f"{rel}\x1e{digest(path.read_bytes())}"
                   for rel, path in Theme.of(options.templates).static_files().items()]
    except OSError:
        return None
    return hash_text(site_yaml.hex(), repr(sorted(templates.digests.items())),
                     repr(options.target), datetime.date.today().isoformat(), *statics)


def inputs_digest(options: Options, cache: Cache, templates: Templates,
                  discovered: Discovered | None = None, outside: str | None = None
                  ) -> str | None:
    """Every input of a build, by content (through the stat cache); None when unknown."""
    outside = outside or outside_digest(options, templates)
    if outside is None:
        return None
    files, problems = discovered or discover(options.content)
    if problems:
        return None
    parts = [outside]
    for file in files:
        known = known_digest(cache, file)
        if known is None:
            return None
        parts.append(f"{file.display}\x1e{file.rel}\x1e{known}")
    return hash_text(*parts)


def states_digest(outside: str, files: list[SourceFile], cache: Cache) -> str | None:
    """``inputs_digest`` from the file states just recorded (no stat): after a quick
    rebuild, which checked or read every file a moment ago."""
    parts = [outside]
    for file in files:
        state = cache.files.get(file.display)
        if state is None or not state.trusted():
            return None
        parts.append(f"{file.display}\x1e{file.rel}\x1e{state.digest}")
    return hash_text(*parts)


def site_intact(out: Path, states: Mapping[str, tuple[int, int]],
                static: Mapping[str, tuple[str, int, int]]) -> bool:
    """Whether every file of the last build is still in ``out`` as it was written."""
    if not states:
        return False
    expected = [(path, size, mtime) for path, (size, mtime) in states.items()]
    expected += [(path, size, mtime) for path, (_, size, mtime) in static.items()]
    root = os.fspath(out) + os.sep  # strings, not paths: 45,000 joins at 10k
    return all(still_written(root + path, size, mtime_ns) for path, size, mtime_ns in expected)
