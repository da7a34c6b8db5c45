"""Build cache: per-file work keyed by content, and what each output page was built from.

Lives in memory for the preview and on disk between command-line builds, in
``.factcheck-cache/`` beside the content folder (``Options.cache_dir`` moves it). Two files:
``manifest.pickle`` (small: input file states, output file states, last diagnostics) is
enough to see that nothing changed; ``entries.pickle`` (parsed entries, body HTML; rewritten
only when a file was parsed) and ``pages.pickle`` (per-page dependency records) are loaded
only when something did. A cache that cannot be read, or
was written by another version, is ignored: the build is then cold, never wrong.
"""

from __future__ import annotations

import copyreg
import dataclasses
import os
import pickle
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import __version__
from generator.body import Body, Link
from generator.diagnostics import Diagnostic
from generator.live import Live
from generator.models import Actor, Case, Claim, Denial, Entry, Page, PartialDate, Source, Update
from generator.references import Reference, References
from generator.tracking import Key, PageRecord

FORMAT = f"factcheck-cache-7/{__version__}/{sys.version_info[:2]}"
"""Completed below with the field layout of every class pickled by its fields: a cache
written before a model gained a field must be ignored, never read with shifted values."""
RACY_NS = 2_000_000_000
"""Two seconds: coarser than any filesystem's timestamps we expect (FAT has two)."""


@dataclass(frozen=True, slots=True)
class FileState:
    """What a content file looked like when last read: stat, so unchanged files are not read."""

    mtime_ns: int
    size: int
    inode: int
    digest: str
    seen_ns: int = 0
    """When the file was read. A file read within ``RACY_NS`` of its mtime could change again
    without its mtime changing (timestamps are coarse): its stat is not trusted."""

    def trusted(self) -> bool:
        return self.seen_ns - self.mtime_ns > RACY_NS


@dataclass
class Cache:
    """Everything a rebuild can reuse. Safe to share between builds of the same project."""

    entries: dict[tuple[str, str, str],
                  tuple[Entry | None, list[Diagnostic], References | None]] = field(
        default_factory=dict)
    """(display path, rel, digest) → validated entry and its diagnostics, or for an
    invalid entry the references it still holds."""
    bodies: dict[tuple[str, str, str, bool], Body] = field(default_factory=dict)
    """(digest, rel, base path, raw HTML allowed) → body HTML and links."""
    files: dict[str, FileState] = field(default_factory=dict)
    """Content file path → state when last read."""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    """Output path → record; valid only for ``target``."""
    static: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    """Static output path → (digest, size, mtime_ns)."""
    target: tuple[Any, ...] = ()
    """The options the page records belong to (content, templates, out, base URL, drafts)."""
    inputs: str = ""
    """Digest of every input of the last good build: equal means nothing to do."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of the last good build, reported again when nothing changed."""
    live: Live | None = None
    """In-memory state of the last build (index, plan), for the preview's quick path."""
    loaded: bool = False
    parsed: bool = False
    """Entries or bodies changed since the cache was loaded: ``entries.pickle`` is stale."""
    page_states: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output path → (size, mtime_ns), from the manifest: checks the site is still as built."""

    def dependents(self) -> dict[Key, set[str]]:
        """Entry → output paths that show it."""
        result: dict[Key, set[str]] = defaultdict(set)
        for path, record in self.pages.items():
            for key in record.keys:
                result[key].add(path)
        return result

    def forget_outputs(self) -> None:
        self.pages.clear()
        self.static.clear()
        self.inputs = ""
        self.live = None

    # Persistence -------------------------------------------------------------------------

    def load_manifest(self, folder: Path) -> bool:
        data = _read(folder / "manifest.pickle")
        if data is None:
            return False
        self.files, self.target, self.inputs = data["files"], data["target"], data["inputs"]
        self.diagnostics, self.static = data["diagnostics"], data["static"]
        self.page_states = data["pages"]
        return True

    def load_work(self, folder: Path) -> None:
        """Entries, bodies and page records (valid for ``target`` only)."""
        if self.loaded:
            return
        self.loaded = True
        data = _read(folder / "entries.pickle", ("entries", "bodies"))
        pages = _read(folder / "pages.pickle", ("pages",))
        if data is not None:
            self.entries.update(data["entries"])
            self.bodies.update(data["bodies"])
        if data is None or pages is None:
            self.forget_outputs()
            return
        self.pages = pages["pages"]

    def seed(self, folder: Path) -> None:
        """Parsed entries and bodies only (a preview reuses the last build's parsing work)."""
        if self.load_manifest(folder):
            self.load_work(folder)
        self.forget_outputs()
        self.page_states, self.target, self.diagnostics = {}, (), []

    def save(self, folder: Path) -> None:
        """Write both files atomically; a cache that cannot be written is only a slower build."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if self.parsed or not (folder / "entries.pickle").exists():
                _write(folder / "entries.pickle", {"entries": self.entries,
                                                   "bodies": self.bodies}, ("entries", "bodies"))
                self.parsed = False
            _write(folder / "pages.pickle", {"pages": self.pages}, ("pages",))
            _write(folder / "manifest.pickle", {
                "files": self.files, "target": self.target, "inputs": self.inputs,
                "diagnostics": self.diagnostics, "static": self.static,
                "pages": {p: (r.size, r.mtime_ns) for p, r in self.pages.items()}})
        except OSError:
            pass



CHUNK = 4096
"""Items per pickle: the pickler's memo (an entry for every object written) stays small."""


def _read(path: Path, parts: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A cache file: the format tag, then one mapping, or for each name in ``parts`` a count
    of chunks followed by that many pickled mappings."""
    try:
        with open(path, "rb") as handle:
            if pickle.load(handle) != FORMAT:
                return None
            if not parts:
                data = pickle.load(handle)
                return data if isinstance(data, dict) else None
            result: dict[str, Any] = {}
            for name in parts:
                merged: dict[Any, Any] = {}
                for _ in range(int(pickle.load(handle))):
                    merged.update(pickle.load(handle))
                result[name] = merged
            return result
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
            IndexError, TypeError, ValueError, MemoryError):
        return None


def _write(path: Path, data: dict[str, Any], parts: tuple[str, ...] = ()) -> None:
    """Written beside ``path`` and renamed over it, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as handle:
        pickle.dump(FORMAT, handle, protocol=pickle.HIGHEST_PROTOCOL)
        if not parts:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for name in parts:
            items = list(data[name].items())
            chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
            pickle.dump(len(chunks), handle, protocol=pickle.HIGHEST_PROTOCOL)
            for chunk in chunks:
                pickle.dump(dict(chunk), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _pickle_by_fields(cls: type) -> None:
    """Pickle a frozen, slotted dataclass as a call of its constructor. Python's default for
    such classes looks up the dataclass fields for every object it saves and sets each
    attribute one by one when loading: for the 43,000 entries, bodies and links of a
    10,000-claim site that took seconds, in the cache and between processes alike."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    assert all(f.init for f in dataclasses.fields(cls)), cls
    copyreg.pickle(cls, lambda obj: (cls, tuple(getattr(obj, name) for name in names)))


PICKLED = (Claim, Denial, Source, Actor, Page, Case, PartialDate, Update, Body, Link,
           Diagnostic, FileState, PageRecord, Reference, References)
for _cls in PICKLED:
    _pickle_by_fields(_cls)
FORMAT += "/" + ",".join(f"{c.__name__}({' '.join(f.name for f in dataclasses.fields(c))})"
                         for c in PICKLED)
