"""The named phases of the build machinery, each on its own: resolve's, load's, the write
stage's and the quick path's (the end-to-end tests cover them together)."""

from __future__ import annotations

import dataclasses

import pytest

from generator import incremental, output, resolve
from generator.body import Body, Link
from generator.build import collect, from_cache
from generator.cache import Cache
from generator.entryfile import parse_one
from generator.read import discover, entry_at
from generator.state import Options


def site(project):
    result = project.check()
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.index


def by_kind(index):
    return {kind: dict(found) for kind, found in index.entries.items()}


def test_by_slug_sets_drafts_apart_and_reports_a_case_twin(site_factory):
    index = site(site_factory())
    kirby = index.get("actors", "john-kirby")
    twin = dataclasses.replace(kirby, slug="John-Kirby", path="content/actors/John-Kirby.md")
    draft = dataclasses.replace(index.get("actors", "nsc"), draft=True)
    found, drafts, problems = resolve.by_slug([kirby, twin, draft], include_drafts=False)
    assert list(found["actors"]) == ["John-Kirby"]  # sorted first, so kept
    assert list(drafts) == [("actors", "nsc")]
    assert [(d.path, d.code) for d in problems] == [(kirby.path, "duplicate-slug")]
    assert list(resolve.by_slug([draft], include_drafts=True)[0]["actors"]) == ["nsc"]


def test_reserved_urls_and_backlinks(site_factory):
    index = site(site_factory())
    entries = by_kind(index)
    entries["pages"] = {"tags": dataclasses.replace(index.get("actors", "nsc"), slug="tags")}
    assert [d.code for d in resolve.reserved_urls(entries)] == ["url-collision"]
    incoming, problems = resolve.backlinks(by_kind(index), {}, set())
    assert problems == []
    assert incoming[("claims", "uav-pilots")][("denials", "answers")] == ["iran-denial"]
    entries = by_kind(index)
    del entries["actors"]["iran-fm"]
    _, problems = resolve.backlinks(entries, {}, set())
    assert {d.code for d in problems} == {"unknown-reference"}
    _, problems = resolve.backlinks(entries, {}, {("actors", "iran-fm")})
    assert problems == []  # the broken file carries the error already


def test_body_links_record_mentions_and_report_broken_links(site_factory):
    index = site(site_factory())
    entries = by_kind(index)
    bodies = dict(index.bodies)
    claim = index.get("claims", "second-claim")
    bodies[("claims", claim.slug)] = Body.of("<p>x</p>", (
        Link("actors/nsc.md", 7), Link("actors/nobody.md", 8)))
    mentions, problems = resolve.body_links(entries, bodies, {}, set())
    assert ("claims", "second-claim") in mentions[("actors", "nsc")]
    assert [(d.line, d.code) for d in problems] == [(8, "broken-link")]


def test_load_phases_from_cache_and_collect(site_factory):
    project = site_factory()
    files, _ = discover(project.content)
    config = site(project).config
    found, partial, todo = from_cache(Cache(), files, {}, config)
    assert (found, partial, todo) == ({}, {}, list(range(len(files))))
    parsed = {n: parse_one(f, config.base_path, config.allow_raw_html)
              for n, f in enumerate(files)}
    found = {n: (p.entry, p.diagnostics, p.body) for n, p in parsed.items()}
    found[0] = (None, [], None)
    entries, failed, bodies, _ = collect(files, found)
    assert failed == [files[0]] and len(entries) == len(files) - 1
    assert set(bodies) == {(e.kind, e.slug) for e in entries}


def test_stage_statics_and_obsolete(tmp_path):
    out, stage = tmp_path / "site", tmp_path / "stage"
    out.mkdir()
    (out / "style.css").write_bytes(b"kept")
    (out / "old.html").write_bytes(b"gone")
    kept, staged = output.stage_statics(out, stage, {"style.css": b"kept", "new.js": b"new"},
                                        {}, fresh=False)
    assert staged == ["new.js"] and (stage / "new.js").read_bytes() == b"new"
    assert set(kept) == {"style.css", "new.js"}
    assert output.obsolete(out, {}, {}, set(kept)) == ["old.html"]


def test_quick_path_phases(site_factory):
    project = site_factory()
    options: Options = project.options()
    cache = Cache()
    from generator.build import build

    assert build(options, cache, incremental=True).ok
    live = cache.live
    assert live is not None
    path = project.content / "claims/uav-pilots.md"
    file = entry_at(project.content, path)
    assert file is not None
    assert incremental.read_edit(options, cache, live, file) is None  # unchanged
    with pytest.raises(incremental.FullPath):  # not a content entry
        incremental.read_edit(options, cache, live, None)
    path.write_text(path.read_text(encoding="utf-8").replace("said so.", "said so, twice."),
                    encoding="utf-8")
    parsed = parse_one(file, live.index.config.base_path, live.index.config.allow_raw_html)
    old = live.index.get("claims", "uav-pilots")
    assert incremental.keeps_shape(live.index, old, parsed)
    renamed = dataclasses.replace(parsed, entry=dataclasses.replace(parsed.entry, draft=True))
    assert not incremental.keeps_shape(live.index, old, renamed)
    edit = incremental.Edit(file, parsed, old)
    index, _ = incremental.patch_index(live, [edit])
    assert index.get("claims", "uav-pilots") is parsed.entry
    affected = incremental.affected_pages(cache, live, [edit], index)
    assert "claims/uav-pilots/index.html" in affected
    pages = incremental.replan(affected, live, index)
    assert [p.path for p in pages] == sorted(affected)
