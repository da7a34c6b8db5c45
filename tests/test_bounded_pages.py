"""No page grows with the site: an actor's or source's long lists are cut, the rest paginated."""

from __future__ import annotations

from generator.build import Cache, build
from generator.plan import ENTRY_LIST, PER_PAGE
from generator.searchrefresh import refresh_search
from tests.test_build_e2e import soup
from tests.test_incremental import edit, reference, tree

CLAIM = """\
    ---
    title: Claim number {n}
    statement: Statement {n}.
    claimant: john-kirby
    sources: [kirby-remarks]
    rating: unsubstantiated
    rating_explanation: No evidence.
    evidence: none
    reviewed: 2026-11-2{d}
    ---
    """


def test_prolific_actor_page_is_bounded(site_factory):
    count = ENTRY_LIST + PER_PAGE + 5
    files = {f"claims/c{n:03d}.md": CLAIM.format(n=n, d=n % 8) for n in range(count)}
    project = site_factory(files)
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    page = soup(project.page("actors/john-kirby/"))
    made = page.find("section", attrs={"aria-labelledby": "made"})
    assert len(made.find_all("li")) == ENTRY_LIST
    more = made.find("p", class_="more").a
    assert more["href"] == "/actors/john-kirby/claims/"
    assert str(count + 2) in more.text  # the fixture's two claims are Kirby's too
    first = soup(project.page("actors/john-kirby/claims/"))
    assert len(first.find_all("article", class_="card")) == PER_PAGE
    third = soup(project.page("actors/john-kirby/claims/page/3/"))
    assert len(third.find_all("article", class_="card")) == count + 2 - 2 * PER_PAGE
    source = soup(project.page("sources/kirby-remarks/"))
    cited = source.find("section", attrs={"aria-labelledby": "cited-claims"})
    assert len(cited.find_all("li")) == ENTRY_LIST and cited.find("p", class_="more")


def test_short_lists_have_no_overflow_pages(site_factory):
    project = site_factory()
    assert project.build().ok
    assert not (project.out / "actors" / "john-kirby" / "claims").exists()
    assert soup(project.page("actors/john-kirby/")).find("p", class_="more") is None


def test_renaming_a_prolific_actor_updates_its_full_lists_incrementally(site_factory):
    """The full lists' titles name the actor: the quick path must plan them again."""
    files = {f"claims/c{n:03d}.md": CLAIM.format(n=n, d=n % 8) for n in range(ENTRY_LIST + 3)}
    project = site_factory(files)
    options = project.options(use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    saved = edit(project, "actors/john-kirby.md", "name: John Kirby", "name: John F. Kirby")
    result = build(options, cache, incremental=True, changed=[saved])
    assert result.ok and result.path == "quick"
    assert "John F. Kirby: claims" in project.page("actors/john-kirby/claims/")
    assert refresh_search(options, cache) is not None  # as the preview does after the reload
    assert tree(project.out) == reference(options)
