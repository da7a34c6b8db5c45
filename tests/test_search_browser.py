"""Search in Chromium: the shipped site (its English and its Persian edition) and the Persian
fixture, built under ``/factcheck/`` and served by a real HTTP server, searched with the
keyboard only as a reader would.

Skipped only when Chromium, axe-core or Playwright is missing on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.state import Options
from tests import rtl_fixture
from tests.conftest import ROOT, TEMPLATES
from tests.test_validators import AXE, CHROMIUM, CHROMIUM_ARGS, serve

pytestmark = pytest.mark.browser
BASE = "https://example.org/factcheck/"


@dataclass(frozen=True)
class Case:
    """One site and the searches a reader makes on it."""

    content: Path | None
    """None: the Persian fixture, written into the test's folder."""
    title_word: str
    first: str
    """The claim that word must list first."""
    rating: str
    """A rating key to filter by."""
    quote_word: str
    denial: str
    """The denial that word (from its quote) must find."""
    direction: str
    edition: str = ""
    """The edition's folder below the site root (``fa/``): every result must be in it."""
    site: str = ""
    """The site built (a key of ``SITES``); the case's name by default."""


CASES = {
    "shipped": Case(ROOT / "content", "Tajikistan", "claims/tajikistan-drones-to-russia/",
                    "unsubstantiated", "provide", "denials/iran-foreign-ministry-denial/", "ltr"),
    # The shipped site's Persian edition: its own language index (Pagefind's per-language
    # index of the same bundles), reached from that edition's header.
    "shipped-fa": Case(ROOT / "content", "تاجیکستان", "claims/tajikistan-drones-to-russia/",
                       "unsubstantiated", "سلاحی", "denials/iran-foreign-ministry-denial/", "rtl",
                       edition="fa/", site="shipped"),
    "persian": Case(None, "کریمه", "claims/uav-pilots/", "unsubstantiated", "سلاحی",
                    "denials/iran-denial/", "rtl"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case built under /factcheck/; the folder to serve."""
    found = {}
    for name, case in CASES.items():
        if case.site:
            continue  # another edition of a site built here
        root = tmp_path_factory.mktemp(name)
        content = case.content or rtl_fixture.write(root / "content")
        result = build(Options(content=content, templates=TEMPLATES,
                               out=root / "serve" / "factcheck", base_url=BASE,
                               cache_dir=root / "cache"))
        assert result.ok, [d.format() for d in result.diagnostics]
        found[name] = root / "serve"
    return found


def rated(site: Path, key: str, edition: str = "") -> set[str]:
    """Claim pages of an edition with rating ``key``, read from the built pages (not from
    the index)."""
    found = set()
    for page in (site / "factcheck" / edition / "claims").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        label = soup.select_one(".verdict-head .verdict-label")
        if label is not None and f"ratings/{key}/" in label.get("href", ""):
            found.add(f"/factcheck/{edition}claims/{page.parent.name}/")
    return found


def results(page) -> list[tuple[str, str]]:
    """(path, badge text) of every result shown."""
    return page.eval_on_selector_all(
        "#search-results li", "items => items.map(li => [new URL(li.querySelector('a').href)"
        ".pathname, li.querySelector('.badge')?.textContent || ''])")


def searched(page) -> str:
    return page.eval_on_selector("#search", "f => f.dataset.searched || ''")


def wait_results(page, previous: str = "") -> None:
    """Until a search newer than ``previous`` (a ``searched`` value) is shown."""
    page.wait_for_function("(before) => { const f = document.getElementById('search');"
                           " return f.dataset.searched && f.dataset.searched !== before; }",
                           arg=previous)


def wait_settled(page) -> None:
    """Until the latest search asked for is the one shown: choosing an option with the
    arrow keys asks for a search at each option, and an earlier one may finish first."""
    page.wait_for_function("() => { const f = document.getElementById('search');"
                           " return f.dataset.asked && f.dataset.searched === f.dataset.asked; }")


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus: the keyboard is the only input used."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_searches_with_the_keyboard(sites, name):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    if not CHROMIUM.is_file() or not AXE.is_file():
        pytest.skip(f"needs {CHROMIUM} and {AXE} (bash .ci/install-publishing.sh)")
    case = CASES[name]
    site = sites[case.site or name]
    home = "/factcheck/" + case.edition
    problems: list[str] = []
    with serve(site) as origin, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)

        # From the home page's header field to the search page, keyboard only.
        page.goto(origin + home, wait_until="load")
        tab_to(page, "#site-search-q")
        page.keyboard.type(case.title_word)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{home}search/?q=*")
        wait_results(page)
        shown = results(page)
        assert shown and shown[0][0] == home + case.first, shown
        other = "/factcheck/fa/" if not case.edition else None
        assert all(path.startswith(home) and not (other and path.startswith(other))
                   for path, _ in shown), shown  # only this edition's pages
        excerpt = page.eval_on_selector("#search-results li .search-excerpt",
                                        "p => p.textContent")
        marked = page.eval_on_selector("#search-results li .search-excerpt mark",
                                       "m => m.textContent")
        at = excerpt.index(marked) + len(marked)  # the words around a mark keep their spaces
        assert excerpt[at] in " .,:;،'’", excerpt
        assert page.eval_on_selector("#search-results", "e => getComputedStyle(e).direction") \
            == case.direction

        # The rating filter alone: exactly the claims with that rating.
        before = searched(page)
        page.focus("#search-q")
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        wait_results(page, before)  # an empty search clears the results
        assert results(page) == []
        tab_to(page, "#search-rating")
        before = searched(page)
        label = page.eval_on_selector(f"#search-rating option[value='{case.rating}']",
                                      "o => o.textContent")
        while page.eval_on_selector("#search-rating", "s => s.value") != case.rating:
            page.keyboard.press("ArrowDown")
        wait_results(page, before)
        wait_settled(page)
        while not page.is_hidden("#search-more"):
            page.focus("#search-more")
            page.keyboard.press("Enter")
            page.wait_for_timeout(50)
        shown = results(page)
        assert {path for path, _ in shown} == rated(site, case.rating, case.edition)
        assert {badge for _, badge in shown} == {label}

        # A word of the denial's quote finds the denial.
        before = searched(page)
        page.select_option("#search-rating", "")
        wait_results(page, before)
        before = searched(page)
        page.focus("#search-q")
        page.keyboard.type(case.quote_word)
        wait_results(page, before)
        assert home + case.denial in {path for path, _ in results(page)}

        # Into a result with the keyboard, and axe-core on the page with results shown.
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        problems += [f"axe {v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
                     for v in found["violations"] if v["impact"] in ("serious", "critical")]
        tab_to(page, "#search-results a")
        target = page.evaluate("document.activeElement.href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == target and f"{home}search/" not in page.url
        browser.close()
    assert problems == []


def test_the_search_page_says_when_the_preview_index_is_stale(sites):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    if not CHROMIUM.is_file():
        pytest.skip(f"needs {CHROMIUM}")
    manifest = sites["shipped"] / "factcheck" / "pagefind" / "shards.json"
    fresh = manifest.read_bytes()
    with serve(sites["shipped"]) as origin, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(origin + "/factcheck/search/", wait_until="load")
        page.wait_for_selector("form[data-ready]", state="attached")
        assert page.is_hidden("#search-stale") and page.is_hidden("#search-nojs")
        manifest.write_bytes(fresh.replace(b'"stale": false', b'"stale": true'))
        try:
            page.reload(wait_until="load")
            page.wait_for_selector("form[data-ready]", state="attached")
            assert page.is_visible("#search-stale")
        finally:
            manifest.write_bytes(fresh)
        browser.close()
