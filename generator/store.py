"""The cache on disk: one SQLite file, ``.factcheck-cache/cache.sqlite``, read by key.

``Cache`` (in memory) ↔ tables. A command-line rebuild after a one-claim edit loads the
small tables (file states, output states, last diagnostics), the site index (one blob, plus
the entries patched since it was written) and then, by key, only what the edit touches: the
page records of the pages that show the entry (``shows``, indexed by entry), their plans,
the bodies those pages show. A full build loads every parsed entry and body, as before.
Keys are relative to the content folder (files) or the output folder (pages), so a build
typed from another folder reuses the cache. A store that cannot be read, or was written by
another version, is ignored: the build is then cold, never wrong.
"""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from generator import cache as layout
from generator.body import Body
from generator.cache import Cache, FileState
from generator.fresh import setting_digest
from generator.live import Live
from generator.models import Entry
from generator.plan import PlannedPage, own_entry
from generator.read import digest as digest_of
from generator.render import make_environment
from generator.resolve import SiteIndex
from generator.state import Options
from generator.tracking import PageRecord, Templates

NAME = "cache.sqlite"
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE files (rel TEXT PRIMARY KEY, display TEXT, mtime_ns INT, size INT, inode INT,
                    digest TEXT, seen_ns INT) WITHOUT ROWID;
CREATE TABLE entries (rel TEXT, digest TEXT, display TEXT, value BLOB,
                      PRIMARY KEY (rel, digest)) WITHOUT ROWID;
CREATE TABLE bodies (rel TEXT, digest TEXT, base TEXT, raw INT, value BLOB,
                     PRIMARY KEY (rel, digest, base, raw)) WITHOUT ROWID;
CREATE TABLE pages (path TEXT PRIMARY KEY, size INT, mtime_ns INT, record BLOB, plan BLOB)
                    WITHOUT ROWID;
CREATE TABLE shows (entry TEXT PRIMARY KEY, paths TEXT) WITHOUT ROWID;
CREATE TABLE patches (kind TEXT, slug TEXT, value BLOB, PRIMARY KEY (kind, slug))
                      WITHOUT ROWID;
CREATE TABLE parts (name TEXT, part INT, value BLOB, PRIMARY KEY (name, part));
"""
"""``shows``: entry (``kind/slug``) → the output paths that show it, one per line (one row
per entry, not per page and entry: ten times fewer rows to write). ``patches``: entries changed
by quick rebuilds since the index blob was written, applied when it is loaded. ``parts``:
the index blob, a megabyte a row (``_PartsWriter``)."""

PART = 1 << 20

_SCHEMA = digest_of(SCHEMA.encode())[:12]


def store_format() -> str:
    """What a store must say it is to be opened: the pickled classes' fields and the tables.
    A store with other tables is not opened (a build that could not save into it would stay
    on the full path, build after build)."""
    return f"{layout.FORMAT}/schema-{_SCHEMA}"

_OPEN: dict[str, tuple[int, sqlite3.Connection]] = {}


def connect(path: Path) -> sqlite3.Connection:
    """One connection per file and process: a forked worker opens its own."""
    known = _OPEN.get(str(path))
    if known is not None and known[0] == os.getpid():
        return known[1]
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # A rollback journal, not a WAL: a process that exits without closing would leave the
    # next one a 200 MB log to replay (10,000 claims). No fsync, as with the pickles before:
    # a crash of the process leaves the last commit or the one before, never half of one.
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA synchronous=OFF")
    _OPEN[str(path)] = (os.getpid(), connection)
    return connection


def _dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _key(kind: str, slug: str) -> str:
    return f"{kind}/{slug}"


class _Refs(pickle.Pickler):
    """Pickles a plan with every entry as its key: loaded against the current index."""

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, Entry):
            return (obj.kind, obj.slug)
        return None


class _ByRow(pickle.Pickler):
    """Pickles the index with each parsed entry as its row in ``entries``: stored once, and
    without a memo entry for every field of 43,000 entries (80 MB at 10,000 claims)."""

    def __init__(self, buffer: io.RawIOBase, rows: dict[int, tuple[str, str]]):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.rows = rows

    def persistent_id(self, obj: Any) -> Any:
        return self.rows.get(id(obj)) if isinstance(obj, Entry) else None


INDEX_PIECES = (("config", "entries", "translations", "notes"), ("incoming",), ("mentions",))
"""The stored index's fields, in pickles of their own: a pickler's memo holds every object
it wrote (24 MB at 10,000 claims for the index in one piece, 13 MB in these). The fields
that can share an entry stay together. ``bodies`` is not stored: an entry's body is read by
the key its entry is read by."""


def _dump_index(parts: io.RawIOBase, index: SiteIndex, rows: dict[int, tuple[str, str]]
                ) -> None:
    for names in INDEX_PIECES:
        _ByRow(parts, rows).dump({name: getattr(index, name) for name in names})


def _load_index(parts: io.BufferedReader) -> SiteIndex | None:
    """The index ``_dump_index`` wrote, its entries left as their rows (``_Pending``) and its
    bodies as those rows; None when it is not one."""
    fields: dict[str, Any] = {}
    for names in INDEX_PIECES:
        piece = _Deferred(parts).load()  # one unpickler a piece, as each had its own memo
        if not isinstance(piece, dict) or set(piece) != set(names):
            return None
        fields.update(piece)
    bodies = {(kind, slug): entry.row if isinstance(entry, _Pending) else (entry.rel, entry.digest)
              for kind, found in fields["entries"].items() for slug, entry in found.items()}
    return SiteIndex(bodies=bodies, **fields)


class _PartsWriter(io.RawIOBase):
    """A value written as rows of ``parts``, a megabyte each, as it is pickled: in one
    piece, the index of 100,000 claims (55 MB) was held twice over, in the pickler's buffer
    and in the copy given to SQLite."""

    def __init__(self, db: sqlite3.Connection, name: str):
        super().__init__()
        self.db, self.name, self.pending, self.count = db, name, bytearray(), 0
        db.execute("DELETE FROM parts WHERE name=?", (name,))

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.pending += data
        while len(self.pending) >= PART:
            self._part(PART)
        return len(data)

    def close(self) -> None:
        try:
            if not self.closed and self.pending:
                self._part(len(self.pending))
        finally:  # closed even when the last row failed: never written again after a rollback
            super().close()

    def _part(self, size: int) -> None:
        self.db.execute("INSERT INTO parts VALUES (?, ?, ?)",
                        (self.name, self.count, bytes(self.pending[:size])))
        del self.pending[:size]
        self.count += 1


class _PartsReader(io.RawIOBase):
    """The value ``_PartsWriter`` wrote, read a row at a time."""

    def __init__(self, db: sqlite3.Connection, name: str):
        super().__init__()
        self.db, self.name, self.count = db, name, 0
        self.part = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.part:
            row = self.db.execute("SELECT value FROM parts WHERE name=? AND part=?",
                                  (self.name, self.count)).fetchone()
            if row is None:
                return 0
            self.part, self.count = memoryview(row[0]), self.count + 1
        size = min(len(buffer), len(self.part))
        buffer[:size] = self.part[:size]
        self.part = self.part[size:]
        return size


class _Pending:
    """An entry of the stored index not read yet: the key of its row in ``entries``."""

    __slots__ = ("row",)

    def __init__(self, row: tuple[str, str]):
        self.row = row


class _Deferred(pickle.Unpickler):
    """Loads the index with each entry left as its row's key (``LazyEntries`` reads it)."""

    def persistent_load(self, pid: Any) -> Any:
        return _Pending(tuple(pid))


def _read_entry(path: Path, pending: _Pending) -> Entry:
    row = connect(path).execute("SELECT value FROM entries WHERE rel=? AND digest=?",
                                pending.row).fetchone()
    if row is None:  # a damaged store: the caller takes the full path (READ_ERRORS)
        raise LookupError(f"no stored entry {pending.row}")
    return pickle.loads(row[0])[0]


class LazyEntries(Mapping[str, Entry]):
    """One kind's entries in the index's order, each read from the store when first asked
    for: a one-claim edit reads the few entries its pages show, not all 250,000 of an
    archive. Membership, order and length need no entry read."""

    def __init__(self, path: Path, found: dict[str, Any]):
        self.path, self.found = path, found

    def __getitem__(self, slug: str) -> Entry:
        value = self.found[slug]
        if isinstance(value, _Pending):
            value = self.found[slug] = _read_entry(self.path, value)
        return value

    def __setitem__(self, slug: str, entry: Entry) -> None:
        self.found[slug] = entry

    def __contains__(self, slug: object) -> bool:
        return slug in self.found

    def __iter__(self) -> Iterator[str]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def __copy__(self) -> LazyEntries:
        """A copy to patch (``incremental.patch_index``), sharing what was read so far."""
        return LazyEntries(self.path, dict(self.found))


class _Resolve(pickle.Unpickler):
    def __init__(self, data: bytes, index: SiteIndex):
        super().__init__(io.BytesIO(data))
        self.index = index

    def persistent_load(self, pid: Any) -> Any:
        kind, slug = pid
        return self.index.entries[kind][slug]


def plan_ref(page: PlannedPage) -> bytes:
    """What a quick rebuild needs to plan the page again: an entry's page or full list is
    planned anew from the index (its key is enough); any other page keeps its context."""
    entry = own_entry(page)
    if entry is not None:
        return _dump(("entry", entry.kind, entry.slug, page.template))
    owner = page.context.get("owner")
    if isinstance(owner, Entry):
        return _dump(("owner", owner.kind, owner.slug, page.template))
    buffer = io.BytesIO()
    _Refs(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(("page", page))
    return buffer.getvalue()


class Store:
    """The SQLite file; every method is one transaction."""

    def __init__(self, path: Path):
        self.path = path

    @property
    def db(self) -> sqlite3.Connection:
        return connect(self.path)

    @classmethod
    def open(cls, folder: Path) -> Store | None:
        """The store in ``folder`` when it exists and is of this version."""
        path = folder / NAME
        if not path.is_file():
            return None
        store = cls(path)
        try:
            row = store.db.execute("SELECT value FROM meta WHERE name='format'").fetchone()
        except sqlite3.Error:
            return None
        return store if row is not None and row[0] == store_format().encode() else None

    @classmethod
    def create(cls, folder: Path) -> Store:
        """A new, empty store (any old one is replaced when it is committed)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / NAME
        for stale in (path, path.with_name(NAME + "-journal"), path.with_name(NAME + "-wal"),
                      path.with_name(NAME + "-shm")):
            known = _OPEN.pop(str(stale), None)
            if known is not None:
                known[1].close()
            stale.unlink(missing_ok=True)
        for legacy in ("manifest.pickle", "entries.pickle", "pages.pickle"):  # before SQLite
            (folder / legacy).unlink(missing_ok=True)
        store = cls(path)
        store.db.executescript(SCHEMA)
        return store

    def meta(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    # Loading -----------------------------------------------------------------------------

    def load_manifest(self, cache: Cache, files: bool = True) -> None:
        """What tells whether anything changed: file and output states, options, diagnostics
        (``files``: the content files' states too, which a snapshot's check does without)."""
        db = self.db
        cache.target, cache.inputs = self.meta("target"), self.meta("inputs")
        cache.diagnostics, cache.static = self.meta("diagnostics"), self.meta("static")
        cache.outside = self.meta("outside") or ""
        cache.snapshot = self.meta("snapshot") or ""
        cache.search = self.meta("search")
        if files:
            self.load_files(cache)
        cache.page_states = {path: (size, mtime) for path, size, mtime in db.execute(
            "SELECT path, size, mtime_ns FROM pages")}

    def load_files(self, cache: Cache) -> None:
        cache.files = {display: FileState(*state) for display, *state in self.db.execute(
            "SELECT display, mtime_ns, size, inode, digest, seen_ns FROM files")}

    def load_work(self, cache: Cache) -> None:
        """Every parsed entry, body and page record: what a full rebuild reuses."""
        db = self.db
        for display, rel, digest, value in db.execute(
                "SELECT display, rel, digest, value FROM entries"):
            cache.entries[(display, rel, digest)] = pickle.loads(value)
        for rel, digest, base, raw, value in db.execute(
                "SELECT rel, digest, base, raw, value FROM bodies"):
            cache.bodies[(digest, rel, base, bool(raw))] = pickle.loads(value)
        cache.pages = {path: pickle.loads(record) for path, record in db.execute(
            "SELECT path, record FROM pages")}

    def load_index(self) -> SiteIndex | None:
        """The last full build's index with the quick rebuilds' patches, bodies read lazily."""
        if self.db.execute("SELECT 1 FROM parts WHERE name='index'").fetchone() is None:
            return None
        index = _load_index(io.BufferedReader(_PartsReader(self.db, "index"), PART))
        if index is None:
            return None
        refs = cast(dict[tuple[str, str], tuple[str, str]], index.bodies)  # ours: just built
        entries = {kind: LazyEntries(self.path, found)  # fresh dicts, unpickled just now
                   for kind, found in index.entries.items()}
        for kind, slug, value in self.db.execute("SELECT kind, slug, value FROM patches"):
            entry, ref = pickle.loads(value)
            entries[kind][slug] = entry
            refs[(kind, slug)] = ref
        translations = {key: {language: _read_entry(self.path, e)
                              if isinstance(e, _Pending) else e
                              for language, e in found.items()}
                        for key, found in index.translations.items()}
        config = index.config
        bodies = LazyBodies(self.path, refs, config.base_path or "", config.allow_raw_html)
        return dataclasses.replace(index, entries=entries, bodies=bodies,
                                   translations=translations)

    # Saving ------------------------------------------------------------------------------

    def save_full(self, cache: Cache, rels: Mapping[str, str], index: SiteIndex | None,
                  plans: Mapping[str, bytes]) -> None:
        """Everything, after a full build (``rels``: display path → path in the content)."""
        db = self.db
        db.execute("BEGIN")
        try:
            self._save_files(cache, rels, cache.files)
            if cache.parsed:
                db.execute("DELETE FROM entries")
                db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", (
                    (rel, digest, display, _dump(value))
                    for (display, rel, digest), value in cache.entries.items()))
                db.execute("DELETE FROM bodies")
                db.executemany("INSERT INTO bodies VALUES (?, ?, ?, ?, ?)", (
                    (rel, digest, base, int(raw), _dump(body))
                    for (digest, rel, base, raw), body in cache.bodies.items()))
            db.execute("DELETE FROM pages")
            db.execute("DELETE FROM shows")
            db.execute("DELETE FROM patches")
            self._save_pages(cache.pages, plans)
            if index is not None:
                stored = {id(value[0]): (rel, digest) for (_, rel, digest), value
                          in cache.entries.items() if value[0] is not None}
                with _PartsWriter(db, "index") as parts:
                    _dump_index(parts, index, stored)
            else:
                db.execute("DELETE FROM parts WHERE name='index'")
            self._save_meta(cache)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def save_quick(self, cache: Cache, rels: Mapping[str, str], files: Mapping[str, FileState],
                   edited: list[Entry], pages: Mapping[str, PageRecord],
                   shown: Mapping[str, frozenset[tuple[str, str]]]) -> None:
        """The rows a quick rebuild changed: files, the edited entries, the pages rendered
        (``shown``: the entries each of those pages showed before)."""
        db = self.db
        db.execute("BEGIN")
        try:
            self._save_files(cache, rels, files)
            for entry in edited:
                db.execute("DELETE FROM entries WHERE rel=?", (entry.rel,))
                db.execute("DELETE FROM bodies WHERE rel=?", (entry.rel,))
                key = (entry.kind, entry.slug)
                db.execute("INSERT OR REPLACE INTO patches VALUES (?, ?, ?)",
                           (*key, _dump((entry, (entry.rel, entry.digest)))))
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", (
                (rel, digest, display, _dump(value))
                for (display, rel, digest), value in cache.entries.items()))
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?, ?)", (
                (rel, digest, base, int(raw), _dump(body))
                for (digest, rel, base, raw), body in cache.bodies.items()))
            self._save_pages(pages, None)
            self._move_shows(pages, shown)
            self._save_meta(cache)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _save_files(self, cache: Cache, rels: Mapping[str, str],
                    files: Mapping[str, FileState]) -> None:
        if files is cache.files:
            self.db.execute("DELETE FROM files")
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (rels[display], display, s.mtime_ns, s.size, s.inode, s.digest, s.seen_ns)
            for display, s in files.items() if display in rels))

    def _save_pages(self, pages: Mapping[str, PageRecord], plans: Mapping[str, bytes] | None
                    ) -> None:
        db = self.db
        if plans is None:  # a quick rebuild: the pages keep their plans
            db.executemany("UPDATE pages SET size=?, mtime_ns=?, record=? WHERE path=?", (
                (r.size, r.mtime_ns, _dump(r), path) for path, r in pages.items()))
        else:
            db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?)", (
                (path, r.size, r.mtime_ns, _dump(r), plans.get(path))
                for path, r in pages.items()))
        if plans is not None:
            showing: dict[tuple[str, str], list[str]] = {}
            for path, record in pages.items():
                for key in record.keys:
                    showing.setdefault(key, []).append(path)
            db.executemany("INSERT INTO shows VALUES (?, ?)", (
                (_key(*key), "\n".join(paths)) for key, paths in showing.items()))

    def _move_shows(self, pages: Mapping[str, PageRecord],
                    shown: Mapping[str, frozenset[tuple[str, str]]]) -> None:
        """Rows of the entries that pages stopped or started showing."""
        changed: dict[tuple[str, str], set[str]] = {}
        for path, record in pages.items():
            before = shown.get(path, frozenset())
            for key in before ^ frozenset(record.keys):
                paths = changed[key] if key in changed else self.showing(key)
                changed[key] = paths - {path} if key in before else paths | {path}
        self.db.executemany("INSERT OR REPLACE INTO shows VALUES (?, ?)", (
            (_key(*key), "\n".join(sorted(paths))) for key, paths in changed.items()))

    def _save_meta(self, cache: Cache) -> None:
        self._set("format", store_format().encode(), raw=True)
        for name in ("target", "inputs", "outside", "snapshot", "diagnostics", "static",
                     "search"):
            self._set(name, getattr(cache, name))

    def _set(self, name: str, value: Any, raw: bool = False) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        (name, value if raw else _dump(value)))

    # Lookups by key, for a quick rebuild -------------------------------------------------

    def showing(self, key: tuple[str, str]) -> set[str]:
        row = self.db.execute("SELECT paths FROM shows WHERE entry=?", (_key(*key),)
                              ).fetchone()
        return set(row[0].split("\n")) if row and row[0] else set()

    def record(self, path: str) -> PageRecord | None:
        row = self.db.execute("SELECT record FROM pages WHERE path=?", (path,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def plan(self, path: str, index: SiteIndex) -> PlannedPage | None:
        """The page as ``incremental._replan`` takes it (an entry's page: a stand-in)."""
        row = self.db.execute("SELECT plan FROM pages WHERE path=?", (path,)).fetchone()
        if row is None or row[0] is None:
            return None
        ref = _Resolve(row[0], index).load()
        if ref[0] == "page":
            return ref[1]
        kind, slug, template = ref[1:]
        entry = index.entries[kind].get(slug)
        if entry is None:
            return None
        name = "entry" if ref[0] == "entry" else "owner"
        return PlannedPage(path, template, {name: entry})


READ_ERRORS = (sqlite3.Error, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
               LookupError, TypeError, ValueError, MemoryError)
"""What reading a damaged or foreign store can raise: the build is then cold."""


def load_manifest(cache: Cache, folder: Path, files: bool = True) -> bool:
    """File and output states, options and diagnostics into ``cache``; False when there is
    no readable store (then nothing was loaded). ``files=False``: ``load_files`` later."""
    store = Store.open(folder)
    if store is None:
        return False
    try:
        store.load_manifest(cache, files)
    except READ_ERRORS:
        cache.files, cache.target, cache.inputs, cache.outside = {}, (), "", ""
        cache.snapshot = ""
        cache.diagnostics, cache.static, cache.page_states = [], {}, {}
        return False
    return True


def load_files(cache: Cache, folder: Path) -> None:
    """The content files' states, after ``load_manifest(…, files=False)``; none when the
    store cannot be read (every file is then read again)."""
    store = Store.open(folder)
    try:
        if store is not None:
            store.load_files(cache)
    except READ_ERRORS:
        cache.files = {}


def load_work(cache: Cache, folder: Path) -> None:
    """Entries, bodies and page records into ``cache`` (valid for ``cache.target`` only)."""
    if cache.loaded:
        return
    cache.loaded = True
    store = Store.open(folder)
    try:
        if store is None:
            raise ValueError("no store")
        store.load_work(cache)
    except READ_ERRORS:
        cache.entries.clear()
        cache.bodies.clear()
        cache.forget_outputs()


def seed(cache: Cache, folder: Path) -> None:
    """Parsed entries and bodies only (a preview reuses the last build's parsing work)."""
    if load_manifest(cache, folder):
        load_work(cache, folder)
    cache.forget_outputs()
    cache.page_states, cache.target, cache.diagnostics = {}, (), []


def save(cache: Cache, folder: Path, index: SiteIndex | None = None,
         plans: Mapping[str, bytes] | None = None) -> None:
    """Replace the store's contents in one transaction; a cache that cannot be written is
    only a slower build. Without ``plans`` (``factcheck check``) the next build takes the
    full path: the saved index would no longer match the saved file states."""
    rels = {display: rel for display, rel, _ in cache.entries}
    try:
        store = Store.open(folder) if cache.loaded else None
        if store is None:
            store, cache.parsed = Store.create(folder), True
        store.save_full(cache, rels, index if plans is not None else None, plans or {})
        cache.parsed = False
    except (OSError, *READ_ERRORS):
        pass


def save_meta(cache: Cache, folder: Path, name: str) -> None:
    """One of the manifest's values (``Cache.snapshot``), alone; a failure only costs time."""
    try:
        store = Store.open(folder)
        if store is not None:
            with store.db:
                store._set(name, getattr(cache, name))
    except (OSError, *READ_ERRORS):
        pass


class LazyBodies(Mapping[tuple[str, str], Body]):
    """An index's bodies, each read from the store when a page asks for it."""

    def __init__(self, path: Path, refs: dict[tuple[str, str], tuple[str, str]], base: str,
                 raw: bool):
        self.path, self.refs, self.base, self.raw = path, refs, base, raw

    def __getitem__(self, key: tuple[str, str]) -> Body:
        rel, digest = self.refs[key]
        row = connect(self.path).execute(
            "SELECT value FROM bodies WHERE rel=? AND digest=? AND base=? AND raw=?",
            (rel, digest, self.base, int(self.raw))).fetchone()
        if row is None:
            raise KeyError(key)
        return pickle.loads(row[0])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)


class LazyRecords(dict):  # type: ignore[type-arg]
    """Page records read by path when first asked for (``Cache.pages`` in a quick rebuild)."""

    def __init__(self, store: Store):
        super().__init__()
        self.store = store
        self.missing: set[str] = set()
        self.written: set[str] = set()
        """Paths given a new record: the rows to save."""
        self.shown: dict[str, frozenset[tuple[str, str]]] = {}
        """Path → the entries its record as read showed (the ``shows`` rows to replace)."""

    def __setitem__(self, path: str, record: PageRecord) -> None:
        self.written.add(path)
        dict.__setitem__(self, path, record)

    def get(self, path: str, default: Any = None) -> Any:
        if dict.__contains__(self, path):
            return dict.__getitem__(self, path)
        if path in self.missing:
            return default
        record = self.store.record(path)
        if record is None:
            self.missing.add(path)
            return default
        dict.__setitem__(self, path, record)
        self.shown.setdefault(path, frozenset(record.keys))
        return record


class LazyDependents(dict):  # type: ignore[type-arg]
    """Entry → the output paths that show it, one indexed query per entry asked for."""

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def __missing__(self, key: tuple[str, str]) -> set[str]:
        found = self.store.showing(key)
        self[key] = found
        return found

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        return self[key]

    def setdefault(self, key: tuple[str, str], default: Any = None) -> Any:
        return self[key]


class LazyPlans(dict):  # type: ignore[type-arg]
    """Planned pages by path, read from the store when a quick rebuild replans them."""

    def __init__(self, store: Store, index: SiteIndex):
        super().__init__()
        self.store, self.index = store, index

    def __missing__(self, path: str) -> PlannedPage:
        page = self.store.plan(path, self.index)
        if page is None:
            raise KeyError(path)
        return page


def live_state(store: Store, cache: Cache, options: Options, templates: Templates
               ) -> Live | None:
    """The preview's in-memory state, rebuilt from the store for a command-line quick path."""
    index = store.load_index()
    if index is None:
        return None
    setting = setting_digest(options, index.config, (options.content / "site.yaml").read_bytes())
    env = make_environment(options.templates, index.config)
    cache.pages = LazyRecords(store)
    return Live(index, LazyPlans(store, index), env, templates, setting,
                list(cache.diagnostics), LazyDependents(store), lazy=True)


__all__ = ["LazyBodies", "LazyDependents", "LazyPlans", "LazyRecords", "Store", "live_state",
           "load_files", "load_manifest", "load_work", "plan_ref", "save", "save_meta", "seed"]
