"""Fingerprints of a build's inputs and checks of its outputs: is there anything to do?

``inputs_digest`` hashes everything a build reads (content through the stat cache, so no
unchanged file is read; ``site.yaml``; templates; static files; options; today's date,
which lint's "stale review" warnings depend on). ``site_intact`` checks that every output
file is still as the last build wrote it. Both equal: the build has nothing to do.

``snapshot`` says the same of the inputs sooner, for a command-line build with nothing to
do: the content folder's walk (each file's stat, as the last build read it) and the bytes of
every other input, with no entry discovered and no template parsed (10k claims: 0.15 s
against the 0.6 s of discovering, scanning templates and stating through the cache).
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Mapping
from pathlib import Path

from generator.cache import Cache, FileState
from generator.i18n import catalog_files
from generator.models import SiteConfig
from generator.read import (
    SITE_FILE,
    Discovered,
    SourceFile,
    digest,
    discover,
    ignored,
    read_with_stat,
)
from generator.state import Options
from generator.theme import Theme
from generator.tracking import Templates, hash_text, still_written

Seen = dict[str, tuple[int, int, int]]
"""Content files as a walk found them a moment ago (``snapshot``): ``walked(file)`` → (mtime_ns,
size, inode), so that the same build need not stat 250,000 files twice."""


def walked(file: SourceFile) -> str:
    """A content file as ``snapshot``'s walk names it: its folder and name as on disk.
    That is ``rel`` unless normalising changed the name (``location`` ends with its name as
    on disk, after the last separator): a test, not a split, for 500,000 calls at 100k."""
    rel, location = file.rel, file.location
    if location == rel or (location.endswith(rel) and location[-len(rel) - 1] == os.sep):
        return rel
    return f"{file.kind}/{os.path.basename(location)}"


def known_digest(cache: Cache, file: SourceFile, seen: Seen | None = None) -> str | None:
    """The file's digest when its stat (``seen``'s when it has the file) is as when last
    read; None when it must be read."""
    state = cache.files.get(file.display)
    if state is None:
        return None
    found = seen.get(walked(file)) if seen else None
    if found is None:
        try:
            stat = os.stat(file.location)
        except OSError:
            return None
        found = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if found == (state.mtime_ns, state.size, state.inode) and state.trusted():
        return state.digest
    return None


def recheck(cache: Cache, file: SourceFile) -> str | None:
    """Read a file whose stat cannot be trusted and record its digest; None if unreadable."""
    try:
        stat, data = read_with_stat(file.location)
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


def _settings(options: Options, theme: Theme) -> list[str]:
    """``site.yaml``, the static files, the target and today's date (lint's "stale review"
    warnings use it), by digest; raises ``OSError``."""
    return [digest((options.content / SITE_FILE).read_bytes()), repr(options.target),
            datetime.date.today().isoformat(),
            *(f"{rel}\x1e{digest(path.read_bytes())}"
              for rel, path in theme.static_files().items())]


def outside_digest(options: Options, templates: Templates) -> str | None:
    """Every input besides the content files: ``_settings`` and the templates (through
    their scan); None when unknown."""
    try:
        settings = _settings(options, Theme.of(options.templates))
    except OSError:
        return None
    return hash_text(repr(sorted(templates.digests.items())), *settings)


def inputs_digest(options: Options, cache: Cache, templates: Templates,
                  discovered: Discovered | None = None, outside: str | None = None,
                  seen: Seen | None = None) -> str | None:
    """Every input of a build, by content (through the stat cache); None when unknown."""
    outside = outside or outside_digest(options, templates)
    if outside is None:
        return None
    files, problems = discovered or discover(options.content)
    if problems:
        return None
    parts = [outside]
    for file in files:
        known = known_digest(cache, file, seen)
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


def outside_bytes(options: Options) -> str | None:
    """What ``outside_digest`` covers, from the files' bytes (no template parsed): the
    theme's templates and catalogs besides ``_settings``."""
    try:
        theme = Theme.of(options.templates)
        return hash_text(*_settings(options, theme),
                         *(f"{name}\x1e{path}\x1e{digest(path.read_bytes())}"
                           for name, path in sorted(theme.files().items())),
                         *(f"{path}\x1e{digest(path.read_bytes())}"
                           for path in catalog_files(theme.layers)))
    except OSError:
        return None


def _state_line(rel: str, mtime_ns: int, size: int, inode: int) -> str:
    """One file in a snapshot: the same line from a walk and from the states recorded."""
    return f"{rel}\x1e{mtime_ns}\x1e{size}\x1e{inode}"


def snapshot(outside: str, content: Path, seen: Seen | None = None) -> str | None:
    """The inputs as found now: ``outside_bytes`` and the stat of every file a walk of the
    content folder finds (the names ``discover`` would look at); None when unreadable.
    ``seen`` collects those stats."""
    lines: list[str] = []
    folders = [("", os.fspath(content))]
    try:
        while folders:
            prefix, folder = folders.pop()
            with os.scandir(folder) as listing:
                for item in listing:
                    if item.is_dir(follow_symlinks=False):
                        if not ignored(item.name, folder=True):
                            folders.append((f"{prefix}{item.name}/", item.path))
                        continue
                    rel = prefix + item.name
                    if ignored(item.name) or rel == SITE_FILE:
                        continue
                    if item.is_symlink():
                        return None  # where it points is checked by ``discover`` only
                    stat = item.stat()
                    lines.append(_state_line(rel, stat.st_mtime_ns, stat.st_size, stat.st_ino))
                    if seen is not None:
                        seen[rel] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        return None
    lines.sort()
    return hash_text(outside, *lines)


def read_as_walked(cache: Cache, files: list[SourceFile], read: list[SourceFile], seen: Seen
                   ) -> bool:
    """Whether the walk saw exactly ``files`` (those ``discover`` found a moment later) and
    each of ``read``, read again since, was read as the walk found it (a stat old enough to
    trust). Every other file kept the state the walk matched, so the walk's snapshot is then
    the build's: ``snapshot_of_states`` without 250,000 lines made, sorted and hashed."""
    if len(seen) != len(files) or not all(walked(file) in seen for file in files):
        return False  # a file moved away during the walk, or back before ``discover``
    for file in read:
        state = cache.files.get(file.display)
        if state is None or not state.trusted() \
                or seen.get(walked(file)) != (state.mtime_ns, state.size, state.inode):
            return False
    return True


def snapshot_of_states(outside: str | None, discovered: Discovered | None, cache: Cache
                       ) -> str:
    """``snapshot`` as the build just made saw its inputs: each content file's stat when it
    was read (not now: a file saved during the build must not look built). Empty when it
    cannot stand for ``inputs``: a problem found walking the folder, or a stat too recent to
    trust (then the next build checks the slower way)."""
    if outside is None or discovered is None or discovered[1]:
        return ""
    lines: list[str] = []
    for file in discovered[0]:
        state = cache.files.get(file.display)
        if state is None or not state.trusted():
            return ""
        lines.append(_state_line(walked(file), state.mtime_ns, state.size, state.inode))
    lines.sort()
    return hash_text(outside, *lines)


def site_intact(out: Path, states: Mapping[str, tuple[int, int]],
                static: Mapping[str, tuple[str, int, int]]) -> bool:
    """Whether every file of the last build is still in ``out`` as it was written."""
    if not states:
        return False
    expected = [(path, size, mtime) for path, (size, mtime) in states.items()]
    expected += [(path, size, mtime) for path, (_, size, mtime) in static.items()]
    root = os.fspath(out) + os.sep  # strings, not paths: 45,000 joins at 10k
    return all(still_written(root + path, size, mtime_ns) for path, size, mtime_ns in expected)
