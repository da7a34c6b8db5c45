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
