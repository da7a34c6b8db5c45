"""Search index: which pages are indexed, how they are sharded, and how the index is written
(staged with the site, stable bytes, one shard re-indexed per edit, a missing engine reported).

The browser side is tests/test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

from bs4 import BeautifulSoup

from generator import search, searchwrite
from generator.build import Cache, build
from generator.plan import PlannedPage
from generator.search import bucket, plan_shards, shard_count
from generator.searchrefresh import refresh_search, search_mirror
from generator.searchstable import decode, encode
from tests import rtl_fixture
from tests.test_incremental import NEW_CLAIM, age, edit, mtimes, reference, tree


def planned(template: str, path: str, indexed: bool = True, **context: object) -> PlannedPage:
    return PlannedPage(path, template, {"page": {"indexed": indexed}, **context})


def claim_page(slug: str) -> PlannedPage:
    return planned("claim.html", f"claims/{slug}/index.html", claim=SimpleNamespace(slug=slug))


def fragments(out: Path) -> dict[str, dict]:
    """Every page the published index holds: URL → Pagefind's record of it."""
    manifest = json.loads((out / "pagefind" / "shards.json").read_bytes())
    found = {}
    for bundle in manifest["bundles"]:
        for path in (out / "pagefind" / bundle / "fragment").glob("*.pf_fragment"):
            record = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
            assert record["url"] not in found, record["url"]
            found[record["url"]] = record
    return found


# --- the plan (pure) -----------------------------------------------------------------------

def test_shard_count_doubles_only_when_the_site_does():
    assert [shard_count(n, 1000) for n in (0, 1, 1000, 1001, 2000, 2001, 10_000, 100_000)] \
        == [1, 1, 1, 2, 2, 4, 16, 128]


def test_shards_stay_near_their_bound_at_10k_and_100k():
    for claims in (10_000, 100_000):
        shards = plan_shards(claim_page(f"claim-{n}") for n in range(claims))
        sizes = [len(s.paths) for s in shards[1:]]
        assert sum(sizes) == claims
        assert max(sizes) <= search.SHARD_PAGES * 1.1, max(sizes)


def test_a_page_keeps_its_shard_and_a_denial_goes_with_its_claim():
    pages = [claim_page(f"c{n}") for n in range(50)]
    denial = planned("denial.html", "denials/d/index.html",
                     denial=SimpleNamespace(slug="d", answers=("c7", "c3")))
    first = plan_shards([*pages, denial], size=10)
    again = plan_shards([*reversed(pages), denial], size=10)
    assert first == again  # independent of the order pages are planned in
    home = next(s for s in first if "denials/d/index.html" in s.paths)
    assert "claims/c3/index.html" in home.paths  # the first claim it answers
    assert bucket("c3", 8) == bucket("c3", 8) and 0 <= bucket("c3", 8) < 8


def test_only_published_claims_denials_and_site_pages_are_searchable():
    pages = [claim_page("a"), planned("claim.html", "claims/b/index.html", indexed=False,
                                      claim=SimpleNamespace(slug="b")),
             planned("page.html", "about/index.html"),
             planned("ratings.html", "ratings/index.html"),
             planned("actor.html", "actors/x/index.html"),
             planned("list.html", "claims/index.html"),
             planned("source.html", "sources/s/index.html"),
             planned("search.html", "search/index.html")]
    shards = plan_shards(pages)
    assert shards[0].name == "site"
    assert shards[0].paths == ("about/index.html", "ratings/index.html")
    assert [s.paths for s in shards[1:]] == [("claims/a/index.html",)]


def test_cbor_round_trip_of_what_pagefind_writes():
    value = ["1.5.2", [["en_abc", 621], ["x", 0]], [], [["kind", "en_1"]], [],
             [True, False, None, -3, 2**40, b"\x00\x01", "فارسی", "x" * 300]]
    assert decode(encode(value)) == (value, len(encode(value)))


# --- the index of a built site -------------------------------------------------------------

def test_the_index_holds_exactly_the_pages_marked_for_search(site_factory):
    project = site_factory()
    assert project.build().ok
    marked = set()
    for page in project.out.rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("[data-pagefind-body]") is not None:
            marked.add("/" + page.parent.relative_to(project.out).as_posix() + "/")
    assert marked and all(url.startswith(("/claims/", "/denials/", "/methodology/",
                                          "/corrections/", "/ratings/")) for url in marked)
    assert "/ratings/" in marked and not any(u.startswith(("/actors/", "/sources/", "/tags/"))
                                             for u in marked)
    assert "/claims/" not in marked  # lists are not searched
    index = fragments(project.out)
    assert set(index) == marked
    claim = index["/claims/uav-pilots/"]
    assert claim["filters"]["rating"] == ["unsubstantiated"]
    assert claim["filters"]["kind"] == ["claim"]
    assert claim["meta"]["who"] == "John Kirby" and claim["meta"]["rating_label"]
    denial = index["/denials/iran-denial/"]
    assert denial["filters"]["kind"] == ["denial"] and "rating" not in denial["filters"]


def test_two_cold_builds_write_identical_search_files(site_factory, tmp_path):
    project = site_factory()
    assert project.build().ok
    other = project.options(out=tmp_path / "other", use_cache=False)
    assert build(other).ok
    ours = {p: b for p, b in tree(project.out).items() if p.startswith("pagefind/")}
    assert len(ours) > 10 and ours == {p: b for p, b in tree(tmp_path / "other").items()
                                       if p.startswith("pagefind/")}


def test_a_persian_site_gets_a_persian_index_and_urls_below_its_base(site_factory, tmp_path):
    content = rtl_fixture.write(tmp_path / "fa-content")
    project = site_factory()
    options = project.options(content=content, base_url="https://example.org/factcheck/")
    assert build(options).ok
    manifest = json.loads((project.out / "pagefind" / "shards.json").read_bytes())
    entry = json.loads((project.out / "pagefind" / manifest["bundles"][1] /
                        "pagefind-entry.json").read_bytes())
    assert list(entry["languages"]) == ["fa"]
    assert all(url.startswith("/") and not url.startswith("/factcheck/")
               for url in fragments(project.out))  # the page prefixes its base path
    form = BeautifulSoup(project.page("search"), "html.parser").select_one("form#search")
    assert form["data-root"] == "/factcheck/" and form["data-bundles"] == "/factcheck/pagefind/"


def test_one_claim_edit_reindexes_only_its_shard(site_factory, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 1)  # about a shard per claim
    project = site_factory()
    for n in range(8):
        project.write(f"claims/more-{n}.md", NEW_CLAIM.replace("Tajikistan", f"Claim {n}"))
    assert project.build().ok
    before = json.loads((project.out / "pagefind" / "shards.json").read_bytes())["bundles"]
    stamps = mtimes(project.out)
    edit(project, "claims/uav-pilots.md", "said so.", "said so, with zebrafish.")
    again = project.build()  # a body edit: the command line's quick path, from the store
    assert again.ok and again.path == "quick"
    after = json.loads((project.out / "pagefind" / "shards.json").read_bytes())["bundles"]
    assert len(before) == len(after) > 3
    assert len(set(after) - set(before)) == 1  # one shard re-indexed, every other kept
    kept = [p for p in stamps if p.startswith("pagefind/") and p.split("/")[1] + "/" in after]
    assert kept and all(os.stat(project.out / p).st_mtime_ns == stamps[p] for p in kept)
    assert any("zebrafish" in r["content"] for r in fragments(project.out).values())
    folders = {p.split("/")[1] + "/" for p in tree(project.out)
               if p.startswith("pagefind/") and p.count("/") > 1}
    assert folders == set(after)  # the old folder is gone


def test_a_damaged_index_file_of_another_shard_is_rebuilt_by_the_next_edit(site_factory,
                                                                         monkeypatch):
    """The quick path trusts the search files its first check found intact, so a damaged
    one must send the build the full way, which writes it again."""
    monkeypatch.setattr(search, "SHARD_PAGES", 1)
    project = site_factory()
    for n in range(4):
        project.write(f"claims/more-{n}.md", NEW_CLAIM.replace("Tajikistan", f"Claim {n}"))
    assert project.build().ok
    bundles = json.loads((project.out / "pagefind" / "shards.json").read_bytes())["bundles"]
    other = sorted(p for p in tree(project.out) if p.startswith(f"pagefind/{bundles[-1]}")
                   and p.endswith(".pf_meta"))[0]
    good = (project.out / other).read_bytes()
    (project.out / other).write_bytes(b"damaged")
    edit(project, "claims/uav-pilots.md", "said so.", "said so, with zebrafish.")
    again = project.build()
    assert again.ok and again.path == "full"
    assert (project.out / other).read_bytes() == good
    assert tree(project.out) == reference(project.options())


def test_a_shards_pages_stay_linked_between_builds_and_only_new_files_are_relinked(
        tmp_path, monkeypatch):
    out, stage, pages = tmp_path / "site", tmp_path / "stage", tmp_path / "mirror" / "c0"
    paths = [f"claims/c{n}/index.html" for n in range(4)]
    for rel in [*paths, "claims/gone/index.html"]:
        (out / rel).parent.mkdir(parents=True)
        (out / rel).write_text(rel)
    shard = search.Shard("c0", (*paths, "claims/gone/index.html"))
    searchwrite.link_pages(pages, shard, out, stage, set())
    links, real_link = [], os.link

    def counted(source, target):
        links.append(Path(target))
        real_link(source, target)

    monkeypatch.setattr(searchwrite.os, "link", counted)
    # The next build: one page written again (a new file), one staged, one gone.
    replaced = out / paths[0]
    replaced.with_name("new").write_text("new bytes")
    os.replace(replaced.with_name("new"), replaced)
    (stage / paths[1]).parent.mkdir(parents=True)
    (stage / paths[1]).write_text("staged bytes")
    shard = search.Shard("c0", tuple(paths))
    searchwrite.link_pages(pages, shard, out, stage, {paths[1]})
    assert sorted(links) == [pages / paths[0], pages / paths[1]]  # the other two kept
    found = {p.relative_to(pages).as_posix(): p.read_text()
             for p in pages.rglob("*") if p.is_file()}
    assert found == {paths[0]: "new bytes", paths[1]: "staged bytes",
                     paths[2]: paths[2], paths[3]: paths[3]}
    assert not (pages / "claims" / "gone").exists()
    assert all(os.stat(pages / rel).st_ino == os.stat(out / rel).st_ino for rel in paths[2:])


def test_kept_links_serve_one_build_at_a_time(tmp_path):
    """A preview and a build of the same target at once: the second links its pages into
    a folder of its own rather than relinking them under the first one's Pagefind."""
    mirror, stage = tmp_path / "cache" / "search-pages" / "t", tmp_path / "stage"
    stage.mkdir()
    with searchwrite.held(mirror, stage) as first:
        assert first == mirror
        with searchwrite.held(mirror, stage) as second:
            assert second is None
    with searchwrite.held(mirror, stage) as again:
        assert again == mirror  # released with the first build
    with searchwrite.held(None, stage) as none:
        assert none is None  # no cache: no kept links


def test_the_kept_links_index_as_a_fresh_folder_does(site_factory, monkeypatch):
    """After edits, the search files of a command-line build (its shards' pages linked in
    the cache folder since the first build) equal a cold build's, byte for byte."""
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    project = site_factory()
    for n in range(6):
        project.write(f"claims/more-{n}.md", NEW_CLAIM.replace("Tajikistan", f"Claim {n}"))
    options = project.options()
    assert build(options).ok
    mirror = search_mirror(options)
    assert mirror is not None and sorted(p.name for p in mirror.iterdir())
    edit(project, "claims/uav-pilots.md", "said so.", "said so, with zebrafish.")
    assert build(options).path == "quick"
    (project.content / "claims" / "more-3.md").unlink()  # a page leaves its shard
    assert build(options).ok
    assert tree(project.out) == reference(options)


def test_a_rebuild_with_no_change_does_nothing_search_included(site_factory):
    project = site_factory()
    age(project.content)  # a file saved this very second is read again, to be sure
    cache = Cache()
    options = project.options(use_cache=False)
    assert build(options, cache, incremental=True).ok
    again = build(options, cache, incremental=True)
    assert again.path == "unchanged" and again.written == 0


def test_a_missing_search_engine_is_a_message_and_the_site_stays(site_factory, monkeypatch):
    project = site_factory()
    assert project.build().ok
    before = tree(project.out)
    edit(project, "claims/uav-pilots.md", "said so.", "said so, again.")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project.root / "no-pagefind"))
    result = project.build()
    assert [d.code for d in result.diagnostics if d.is_error] == ["search-index"]
    assert "pagefind[bin]" in result.diagnostics[-1].hint
    assert tree(project.out) == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".site.")]
    cli = project.cli("build", "--out", str(project.out))
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert "error[search-index]" in cli.stderr and "pip install" in cli.stderr


def test_timings_report_indexing_on_its_own(site_factory):
    """With the shards indexed and the largest Pagefind process's peak memory (what bounds
    indexing memory at any size): a cold build indexes every shard, an edit one."""
    project = site_factory()
    run = project.cli("build", "--out", str(project.out), "--timings")
    assert run.returncode == 0, run.stderr
    assert " search=" in run.stdout + run.stderr
    cold = re.search(r"^search: (\d+) shards? indexed, largest Pagefind process (\d+) MB$",
                     run.stderr, re.M)
    assert cold and int(cold[1]) == len(json.loads(
        (project.out / "pagefind" / "shards.json").read_bytes())["bundles"])
    assert int(cold[2]) < 500  # sampled every 20 ms: a run this small can show a few MB
    edit(project, "claims/uav-pilots.md", "said so.", "said so, again.")
    again = project.cli("build", "--out", str(project.out), "--timings")
    assert again.returncode == 0, again.stderr
    assert re.search(r"^search: 1 shard indexed, largest Pagefind process \d+ MB$",
                     again.stderr, re.M), again.stderr
    unchanged = project.cli("build", "--out", str(project.out), "--timings")
    assert "search:" not in unchanged.stderr


def test_the_preview_defers_indexing_then_refreshes_in_the_background(site_factory):
    """A full preview rebuild keeps each changed shard's old bundle and marks the index
    stale; the refresh (run by the preview's builder after the reload) brings it up to date."""
    project = site_factory()
    options = project.options(preview=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    manifest = project.out / "pagefind" / "shards.json"
    before = json.loads(manifest.read_bytes())
    assert before["stale"] is False
    edit(project, "claims/uav-pilots.md", "said so.", "said so, with zebrafish.")
    again = build(options, cache, incremental=True)  # no saved paths: the full path
    assert again.ok and again.path == "full"
    stale = json.loads(manifest.read_bytes())
    assert stale["stale"] is True and stale["bundles"] == before["bundles"]
    assert not any("zebrafish" in r["content"] for r in fragments(project.out).values())
    indexed = refresh_search(options, cache)
    assert indexed is not None and indexed.shards == 1
    fresh = json.loads(manifest.read_bytes())
    assert fresh["stale"] is False and fresh["bundles"] != before["bundles"]
    assert any("zebrafish" in r["content"] for r in fragments(project.out).values())
    assert tree(project.out) == reference(options)
    assert refresh_search(options, cache) is None  # nothing stale any more
