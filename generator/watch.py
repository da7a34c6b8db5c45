"""Watching the preview's inputs: folders → snapshots → one batch of changes per burst of saves.

A snapshot maps every input file to its ``(mtime_ns, size, inode)``; two equal snapshots mean
nothing a build reads has changed. The ``Debouncer`` turns a stream of snapshots into batches:
a change is only handed on once the files have stopped moving for one poll, so an editor
writing several files or a ``git checkout`` gives one rebuild, not one per file. We poll from
our own thread instead of livereload's watcher because the latter runs builds on the server's
event loop, fires once per poll even in the middle of a burst, and drops reloads that come
less than three seconds after the previous one (a quick fix after a broken save would then
leave the error page on screen).
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from generator.cache import RACY_NS
from generator.read import digest, ignored
from generator.theme import Theme

Stamp = tuple[int, int, int, str]
"""``(mtime_ns, size, inode, content digest)``; the digest only for files saved lately."""
Snapshot = Mapping[str, Stamp]
# RACY_NS (cache.py): a file modified this recently may change again within the same
# timestamp tick with the same size, invisible to ``stat``: its content is hashed too.


def _walk(folder: Path, found: dict[str, tuple[int, int, int]], skip_hidden: bool) -> None:
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        if skip_hidden:
            dirnames[:] = [d for d in dirnames if not ignored(d, folder=True)]
        for name in filenames:
            if skip_hidden and ignored(name):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)


def _hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return ""


class Scanner:
    """Snapshots of every file a build can read: ``content/`` (with site.yaml), the site's
    ``templates/`` and the built-in theme (``theme.Theme``: edited in a checkout).

    Hidden and backup files are left out of ``content/`` by the reader's own rule
    (``read.ignored``); in ``templates/`` every file counts, because static files are
    copied whatever their name. The digest of a recently saved file is remembered once the
    file has aged, so its stamp does not change when it stops being "racy".
    """

    def __init__(self, content: Path, templates: Path, clock: Callable[[], int] = time.time_ns):
        self.content = content
        self.templates = templates
        self.clock = clock
        self.digests: dict[str, tuple[tuple[int, int, int], str, bool]] = {}
        """Path → (stat, digest, settled): a digest taken while the file was racy is taken
        once more at the first scan after it aged (a same-tick save in between is seen even
        when that scan comes late, after a long build)."""

    def __call__(self) -> dict[str, Stamp]:
        stats: dict[str, tuple[int, int, int]] = {}
        _walk(self.content, stats, skip_hidden=True)
        for layer in Theme.of(self.templates).layers:
            _walk(layer, stats, skip_hidden=False)
        now = self.clock()
        result: dict[str, Stamp] = {}
        for path, stat in stats.items():
            known = self.digests.get(path)
            if abs(now - stat[0]) < RACY_NS:
                digest = _hash(path)
                self.digests[path] = (stat, digest, False)
            elif known is not None and known[0] == stat:
                digest = known[1] if known[2] else _hash(path)
                self.digests[path] = (stat, digest, True)
            else:
                digest = ""
                self.digests.pop(path, None)
            result[path] = (*stat, digest)
        for gone in self.digests.keys() - stats.keys():
            del self.digests[gone]
        return result


def snapshot(content: Path, templates: Path) -> dict[str, Stamp]:
    """A one-off snapshot (a ``Scanner`` keeps digests stable across calls)."""
    return Scanner(content, templates)()


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, modified or removed between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Debouncer:
    """Feed it one snapshot per poll; it answers with a batch once a burst has settled."""

    def __init__(self, settled: Snapshot):
        self.settled: Snapshot = settled
        self.pending: Snapshot | None = None

    def poll(self, current: Snapshot) -> list[str] | None:
        """The changed paths when ``current`` equals the previous poll's and differs from the
        last batch; ``None`` while nothing changed or files are still being written."""
        if self.pending is None:
            if current != self.settled:
                self.pending = current
            return None
        if current != self.pending:
            self.pending = current
            return None
        changes = changed_paths(self.settled, current)
        self.settled, self.pending = current, None
        return changes or None


class Watcher(threading.Thread):
    """Polls ``take()`` every ``interval`` seconds and calls ``on_change`` once per burst."""

    def __init__(self, take: Callable[[], Snapshot],
                 on_change: Callable[[list[str], Snapshot], None],
                 settled: Snapshot, interval: float = 0.25):
        super().__init__(name="factcheck-watcher", daemon=True)
        self.take = take
        self.on_change = on_change
        self.debouncer = Debouncer(settled)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                current = self.take()
                changes = self.debouncer.poll(current)
                if changes:
                    self.on_change(changes, current)
            except Exception:  # a bug must not silently end the writer's live preview
                traceback.print_exc()

    def stop(self) -> None:
        self.stopped.set()


def describe(changes: Iterable[str], limit: int = 3) -> str:
    """``a.md, b.md and 4 more``: what the terminal says triggered a rebuild."""
    items = list(changes)
    shown = ", ".join(os.path.relpath(p) if os.path.isabs(p) else p for p in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
