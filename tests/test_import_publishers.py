"""A publisher's page lists the claims it reviewed (imported reviews): its verdict as it
wrote it and a link to its review, cross-linked with the claim pages, and kept current by
incremental builds."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from generator.build import Cache, Options, build, load, render
from generator.searchrefresh import refresh_search
from tests.importing_helpers import DATA, do_import, project

SCRIPT_CLAIM = "script-alert-x-script-drones-gnikam-are-made-in-b-dushanbe-b"
IRAN_CLAIM = "iran-is-supplying-russia-with-hundreds-of-attack-drones"


@pytest.fixture
def imported(tmp_path):
    root = project(tmp_path)
    do_import(root, DATA / "google.json", DATA / "claimreview.html", DATA / "scraped.csv")
    return root, Options(content=root / "content", out=tmp_path / "out",
                         base_url="https://example.org/", drafts=True,
                         cache_dir=tmp_path / "cache", jobs=1)


def _page(out, path):
    return BeautifulSoup((out / path / "index.html").read_text("utf-8"), "html.parser")


def _reviewed(out, actor):
    """(claim link, rating text, review link) for each item of the publisher's list."""
    section = _page(out, f"actors/{actor}").find("section", attrs={"aria-labelledby":
                                                                  "reviewed"})
    assert section is not None, actor
    rows = []
    for item in section.select("ul.reviewed > li"):
        links = item.find_all("a")
        ratings = [r.get_text() for r in item.select(".verdict-label")]
        rows.append((links[0]["href"], ratings, [a["href"] for a in links[1:]]))
    return rows


def test_a_publishers_page_lists_its_reviews_with_rating_and_link(imported):
    _root, options = imported
    assert build(options).ok
    rows = dict((href, (ratings, reviews)) for href, ratings, reviews
                in _reviewed(options.out, "politifact"))
    # its own verdicts only: Full Fact's "Correct" on the same claim is not PolitiFact's
    assert rows[f"/claims/{IRAN_CLAIM}/"] == (
        ["Mostly TRUE"], ["https://www.politifact.com/factchecks/2022/oct/21/iran-drones/"])
    assert rows[f"/claims/{SCRIPT_CLAIM}/"] == (
        ["Pants on Fire!"], ["https://www.politifact.com/factchecks/2022/nov/02/dushanbe/"])
    assert _reviewed(options.out, "full-fact") == [
        (f"/claims/{IRAN_CLAIM}/", ["Correct"], ["https://fullfact.org/online/iran-drones-russia/"])]
    # a verdict in Arabic is marked as Arabic, right to left
    misbar = _page(options.out, "actors/misbar").select_one("ul.reviewed .verdict-label")
    assert (misbar.get_text(), misbar["lang"], misbar["dir"]) == ("مضلل", "ar", "rtl")
    # and the other way: the claim page links to the publisher's page
    claim = _page(options.out, f"claims/{IRAN_CLAIM}")
    publishers = {a["href"] for a in claim.select(".review-card h3 a")}
    assert publishers == {"/actors/politifact/", "/actors/full-fact/", "/actors/example-checks/"}


def test_an_actor_who_reviewed_nothing_has_no_such_list(imported):
    _root, options = imported
    assert build(options).ok
    page = _page(options.out, "actors/ukrainian-officials")
    assert page.find("section", attrs={"aria-labelledby": "reviewed"}) is None


def test_a_long_list_is_cut_with_a_link_to_all_of_it(imported, monkeypatch):
    from generator import plan

    monkeypatch.setattr(plan, "ENTRY_LIST", 1)
    _root, options = imported
    assert build(options).ok
    section = _page(options.out, "actors/politifact").find(
        "section", attrs={"aria-labelledby": "reviewed"})
    assert len(section.select("ul.reviewed > li")) == 1
    more = section.select_one("p.more a")["href"]
    assert more == "/actors/politifact/reviews/"
    listed = _page(options.out, "actors/politifact/reviews")
    assert listed.find("a", href=f"/claims/{SCRIPT_CLAIM}/") is not None
    assert "PolitiFact: claims reviewed" in listed.title.get_text()


@pytest.mark.parametrize("quick", [True, False], ids=["preview-quick-path", "warm-build"])
def test_an_edited_review_updates_the_publishers_page_incrementally(imported, quick):
    root, options = imported
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    path = root / "content" / "claims" / f"{SCRIPT_CLAIM}.md"
    text = path.read_text("utf-8")
    assert "textual_rating: Pants on Fire!" in text
    path.write_text(text.replace("textual_rating: Pants on Fire!", "textual_rating: 'False'")
                    .replace("title: <script>", "title: Edited <script>"), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    result = build(options, cache, incremental=True, changed=[path] if quick else None)
    assert result.ok, [d.format() for d in result.diagnostics]
    rows = {href: ratings for href, ratings, _ in _reviewed(options.out, "politifact")}
    assert rows[f"/claims/{SCRIPT_CLAIM}/"] == ["False"]
    link = _page(options.out, "actors/politifact").find("a", href=f"/claims/{SCRIPT_CLAIM}/")
    assert link.get_text().startswith("Edited <script>")
    if cache.live is not None and cache.live.search_stale:
        assert refresh_search(options, cache) is not None  # as the preview does after the reload
    full = dict(render(options, load(options, Cache())).files)
    written = {p.relative_to(options.out).as_posix(): p.read_bytes()
               for p in options.out.rglob("*") if p.is_file()}
    assert written == full
