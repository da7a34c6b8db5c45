"""A cache written by a build whose models had other fields is ignored, never misread.

Cached entries are pickled as constructor calls with positional values (cache.py), so a
field added to a model would shift every value after it: ``related`` would receive the
review date. The cache format therefore names every pickled class's fields."""

from __future__ import annotations

import dataclasses

from generator import cache, store
from generator.models import Claim


def test_the_format_names_every_pickled_field():
    for cls in cache.PICKLED:
        names = " ".join(f.name for f in dataclasses.fields(cls))
        assert f"{cls.__name__}({names})" in cache.FORMAT


def test_a_cache_of_another_layout_is_not_read(site_factory, monkeypatch):
    project = site_factory()
    assert project.build().ok
    folder = project.options().cache_folder
    assert store.load_manifest(cache.Cache(), folder)
    older = cache.FORMAT.replace("Claim(kind slug", "Claim(slug kind")  # as if reordered
    assert older != cache.FORMAT and "Claim(" in older
    monkeypatch.setattr(cache, "FORMAT", older)
    assert not store.load_manifest(cache.Cache(), folder)
    assert [f.name for f in dataclasses.fields(Claim)][:2] == ["kind", "slug"]


def test_loaded_entries_share_their_recurring_strings_only():
    """Each entry is pickled alone: kinds, the slugs entries refer to, ratings and tags are
    shared between loaded entries, their own texts are not interned, and nothing changes."""
    import pickle
    import sys

    def fresh(text: str) -> str:  # an equal string that is not the same object
        return "".join([text[:1], text[1:]])

    def claim(slug: str) -> Claim:
        return Claim(kind=fresh("claims"), slug=slug, path=f"content/claims/{slug}.md",
                     rel=f"claims/{slug}.md", body="", body_line=5, digest=fresh("ab" * 32),
                     draft=False, lines={"title": 2}, title=fresh("Iran supplied drones"),
                     claimant=fresh("tasnim"), rating=fresh("unsubstantiated"),
                     tags=(fresh("drones"), fresh("uav")), sources=(fresh("rferl"),))

    first, second = (pickle.loads(pickle.dumps(claim(slug))) for slug in ("one", "two"))
    assert first == claim("one") and second == claim("two")
    assert first.claimant is second.claimant and first.rating is second.rating
    assert first.kind is second.kind and first.tags[1] is second.tags[1]
    assert first.sources[0] is second.sources[0]
    assert first.title is not second.title and first.digest is not second.digest
    assert sys.intern(fresh(first.digest)) is not first.digest


def test_a_large_value_is_stored_a_megabyte_a_row_and_read_back_whole(tmp_path):
    """The index is pickled straight into rows of ``parts``, never held whole in memory."""
    import io
    import pickle

    from generator import store

    db = store.Store.create(tmp_path).db
    value = {"numbers": list(range(400_000)), "text": "é" * 300_000}  # about 3 MB pickled
    with store._PartsWriter(db, "index") as parts:
        pickle.Pickler(parts, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    sizes = [size for (size,) in db.execute(
        "SELECT length(value) FROM parts WHERE name='index' ORDER BY part")]
    assert len(sizes) >= 3 and set(sizes[:-1]) == {store.PART} and 0 < sizes[-1] <= store.PART
    reader = io.BufferedReader(store._PartsReader(db, "index"), store.PART)
    assert pickle.Unpickler(reader).load() == value
    with store._PartsWriter(db, "index") as parts:  # written again: the old rows go
        parts.write(b"short")
    assert db.execute("SELECT count(*) FROM parts WHERE name='index'").fetchone() == (1,)


def test_entries_share_where_their_fields_are_and_keep_only_their_line_numbers():
    """``Entry.lines`` is held for every entry of a build: entries with the same fields
    share the names, pickled or not, and answer like the dict they were made from."""
    import pickle

    from generator.models import Lines

    def claim(lines: dict[str, int]) -> Claim:
        return Claim(kind="claims", slug="a", path="a.md", rel="claims/a.md", body="",
                     body_line=9, digest="", draft=False, lines=lines, title="A")

    first, second = claim({"title": 2, "tags[0]": 3}), claim({"title": 4, "tags[0]": 5})
    assert isinstance(first.lines, Lines) and first.lines == {"title": 2, "tags[0]": 3}
    assert first.line_of("tags[0]") == 3 and first.line_of("tags[7]") == 1
    assert second.line_of("title") == 4 and first.lines._at is second.lines._at
    again = pickle.loads(pickle.dumps(second))
    assert again.lines == second.lines and again.lines._at is first.lines._at
    assert dataclasses.replace(first, slug="b").lines is first.lines
    assert claim({}).line_of("title") == 1


def test_a_store_with_other_tables_is_not_opened_and_the_next_build_replaces_it(
        site_factory):
    """A store written before a table was added says the same class layout; opened, every
    save into it would fail (quietly: a cache is only speed) and every build stay slow."""
    import sqlite3

    from tests.test_incremental import age

    project = site_factory()
    age(project.content)  # stats old enough to trust: a build with nothing to do does nothing
    assert project.build().ok
    folder = project.options().cache_folder
    db = sqlite3.connect(folder / store.NAME)
    db.execute("DROP TABLE parts")  # as a store of the commit before ``parts`` was
    db.execute("UPDATE meta SET value=? WHERE name='format'", (cache.FORMAT.encode(),))
    db.commit()
    db.close()
    assert store.Store.open(folder) is None
    assert project.build().ok
    assert store.Store.open(folder) is not None
    assert project.build().path == "unchanged"


def test_a_part_that_cannot_be_written_is_not_written_again_after_the_rollback(tmp_path):
    """A failed last row closes the writer all the same: collected later, it writes
    nothing outside the transaction that was rolled back."""
    import gc

    import pytest

    from generator import store

    class Failing:
        def __init__(self):
            self.calls: list[str] = []

        def execute(self, sql: str, *args: object) -> None:
            self.calls.append(sql.split()[0])
            if sql.startswith("INSERT"):
                raise OSError("disk full")

    db = Failing()
    parts = store._PartsWriter(db, "index")  # type: ignore[arg-type]
    parts.write(b"the last part")
    with pytest.raises(OSError):
        parts.close()
    del parts
    gc.collect()
    assert db.calls == ["DELETE", "INSERT"]


def test_the_stored_index_reads_back_as_built(site_factory):
    """The index is stored a few fields a pickle (each with a memo of its own), its bodies
    left out: read back, every field equals the built index's, and each entry's body is the
    one its row names. A field added to ``SiteIndex`` must be stored or left out on purpose."""
    from generator.resolve import SiteIndex
    from tests import bilingual_fixture

    stored = {name for names in store.INDEX_PIECES for name in names}
    assert stored | {"bodies"} == {f.name for f in dataclasses.fields(SiteIndex)}
    assert len(stored) == sum(len(names) for names in store.INDEX_PIECES)
    project = site_factory(base=bilingual_fixture.FILES)
    result = project.build()
    built = result.index
    assert result.ok and built.translations and built.mentions and built.incoming
    loaded = store.Store.open(project.options().cache_folder).load_index()
    assert loaded is not None
    for name in stored - {"entries"}:
        assert getattr(loaded, name) == getattr(built, name), name
    assert {kind: dict(found) for kind, found in loaded.entries.items()} == {
        kind: dict(found) for kind, found in built.entries.items()}
    keys = {(e.kind, e.slug) for found in built.entries.values() for e in found.values()}
    assert set(loaded.bodies) == keys  # a translation's body: the full path reads it
    assert all(loaded.bodies[key].html == built.bodies[key].html for key in keys)
