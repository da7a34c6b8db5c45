"""Build cache: per-file work keyed by content, and what each output page was built from.

Lives in memory for the preview and on disk between command-line builds, in
``.factcheck-cache/cache.sqlite`` beside the content folder (``Options.cache_dir`` moves it;
``store.py`` reads and writes it by key). A cache that cannot be read, or was written by
another version, is ignored: the build is then cold, never wrong.
"""

from __future__ import annotations

import copyreg
import dataclasses
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from generator import __version__
from generator.body import Body, Link
from generator.diagnostics import Diagnostic
from generator.live import Live
from generator.models import Actor, Case, Claim, Denial, Entry, Page, PartialDate, Source, Update
from generator.references import Reference, References
from generator.tracking import Key, PageRecord

FORMAT = f"factcheck-cache-13/{__version__}/{sys.version_info[:2]}"
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
    outside: str = ""
    """Digest of the inputs besides content files (``fresh.outside_digest``): equal lets a
    command-line build take the quick path for the content files that changed."""
    snapshot: str = ""
    """``inputs`` as a walk and a few reads see them, nothing parsed (``fresh.snapshot``):
    equal lets a command-line build with nothing to do stop before discovering content."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of the last good build, reported again when nothing changed."""
    live: Live | None = None
    """In-memory state of the last build (index, plan), for the preview's quick path."""
    loaded: bool = False
    parsed: bool = False
    """Entries or bodies changed since the cache was loaded: the stored ones are stale."""
    plans: dict[str, bytes] = field(default_factory=dict)
    """Output path → how to plan the page again (``store.plan_ref``), saved with the pages."""
    search: tuple[list[Any], dict[str, str]] | None = None
    """The search shards of a command-line build and the output digest of each page they
    index: what a command-line quick rebuild needs to re-index only the shards it changed."""
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


def _pickle_by_fields(cls: type) -> None:
    """Pickle a frozen, slotted dataclass as a call of its constructor. Python's default for
    such classes looks up the dataclass fields for every object it saves and sets each
    attribute one by one when loading: for the 43,000 entries, bodies and links of a
    10,000-claim site that took seconds, in the cache and between processes alike."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    assert all(f.init for f in dataclasses.fields(cls)), cls
    if cls in ENTRIES:
        _REPEATED[cls] = tuple(at for at, name in enumerate(names) if name in REPEATED)
    make: Any = _shared if cls in ENTRIES else cls
    extra: tuple[Any, ...] = (cls,) if cls in ENTRIES else ()
    copyreg.pickle(cls, lambda obj: (make, (*extra, *(getattr(obj, n) for n in names))))


ENTRIES = (Claim, Denial, Source, Actor, Page, Case)
REPEATED = frozenset({
    "kind", "slug", "language", "translated_from", "unfinished", "claimant", "sources",
    "rating", "evidence", "tags", "countries", "related", "author", "reviewed_by",
    "statement_language", "actor", "answers", "quote_language", "publisher", "source_kind",
    "actor_kind", "country", "affiliation", "name_language", "claims"})
"""Fields whose values recur across entries: kinds, the slugs entries refer to each other
by, ratings, tags, countries, language codes. Their strings (alone or in tuples, up to
``SHORT`` characters) are shared between loaded entries: each entry is pickled alone, so its
copies are not shared by the pickle's memo, and the index of 43,000 entries held 37 MB of
duplicates at 10,000 claims. An entry's own texts (title, path, digest) are left alone:
interning them saved nothing and cost 2 s of loading at 100,000 claims."""
SHORT = 64
_REPEATED: dict[type, tuple[int, ...]] = {}


def _shared(cls: type, *values: Any) -> Any:
    """An entry rebuilt with its recurring strings interned."""
    fields = list(values)
    for at in _REPEATED[cls]:
        value = fields[at]
        if type(value) is str:
            if len(value) <= SHORT:
                fields[at] = sys.intern(value)
        elif type(value) is tuple:
            fields[at] = tuple([sys.intern(x) if type(x) is str and len(x) <= SHORT else x
                                for x in value])
    return cls(*fields)


PICKLED = (Claim, Denial, Source, Actor, Page, Case, PartialDate, Update, Body, Link,
           Diagnostic, FileState, PageRecord, Reference, References)
for _cls in PICKLED:
    _pickle_by_fields(_cls)
FORMAT += "/" + ",".join(f"{c.__name__}({' '.join(f.name for f in dataclasses.fields(c))})"
                         for c in PICKLED)
