"""Browsing without JavaScript (issue 14, points 3 and 4): countries as ISO codes, country
and year pages, the ratings overview, and dates on every claim card.

The acceptance property: the country and year pages list exactly the claims the index
says, in its order, across every page of their pagination, for generated sites.
"""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import countries, plan
from generator.build import Cache, Options, load, render
from generator.i18n import Interface, load_translations
from generator.models import PartialDate
from generator.resolve import UNDATED
from generator.searchrefresh import refresh_search
from tests.conftest import MINIMAL, SITE_YAML, TEMPLATES
from tests.test_incremental import edit, reference, tree

# Countries: codes, names ------------------------------------------------------------------


def test_codes_are_two_letter_countries_only():
    assert {"IR", "RU", "UA", "TJ", "US", "XK"} <= countries.codes()
    assert not {"EU", "UN", "ZZ", "001", "419"} & countries.codes()
    assert countries.normal(" ir ") == "IR" and countries.normal("Iran") is None


@pytest.mark.parametrize("name, code", [("Iran", "IR"), ("United States", "US"),
                                        ("russia", "RU"), ("Россия", "RU"), ("ایران", "IR"),
                                        ("Ukriane", "UA"), ("USA", "US"), ("Atlantis", None)])
def test_a_written_name_gives_its_code(name, code):
    assert countries.code_for(name) == code


@pytest.mark.parametrize("language, name", [("en", "Tajikistan"), ("fa", "تاجیکستان"),
                                            ("ru", "Таджикистан"), ("uk", "Таджикистан"),
                                            ("ar", "طاجيكستان")])
def test_country_name_in_the_pages_language(language, name):
    ui = Interface(language, load_translations([TEMPLATES], language))
    assert ui.country_name("TJ") == name
    assert ui.country_name("QQ") == "QQ"  # unknown: the code, never an empty string


# Validation ---------------------------------------------------------------------------------


def test_codes_are_stored_upper_case_and_names_are_errors(site_factory):
    project = site_factory({
        "claims/uav-pilots.md": MINIMAL["claims/uav-pilots.md"].replace(
            "countries: [IR, RU]", "countries: [ir, Russia]"),
        "actors/nsc.md": MINIMAL["actors/nsc.md"].replace(
            "kind: organisation", "kind: organisation\n        country: us")})
    result = project.check()
    found = [(d.code, d.line, d.hint) for d in result.diagnostics if d.is_error]
    assert found == [("country-name", 12, "write countries: [IR, RU]")]
    fixed = project.write("claims/uav-pilots.md", textwrap.dedent(
        MINIMAL["claims/uav-pilots.md"]).replace("countries: [IR, RU]", "countries: [ir, RU, IR]"))
    assert fixed.exists()
    result = project.check()
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.index.get("claims", "uav-pilots").countries == ("IR", "RU")  # once each
    assert result.index.get("actors", "nsc").country == "US"


def test_the_shipped_case_writes_every_country_as_a_code():
    content = Path(__file__).resolve().parent.parent / "content"
    result = load(Options(content=content, templates=TEMPLATES, out=Path("unused")), Cache())
    assert result.ok, [d.format() for d in result.diagnostics]
    written = {c for claim in result.index.claims() for c in claim.countries}
    written |= {a.country for a in result.index.all("actors") if a.country}
    assert written == {"IR", "RU", "UA", "US", "TJ"}


# Pages --------------------------------------------------------------------------------------


def claim(slug: str, countries_: list[str], date: str | None, rating: str, reviewed: str,
          ) -> tuple[str, str]:
    dated = f"date: {date}\n" if date else "date_note: “last week”, says the source\n"
    return f"claims/{slug}.md", (
        f"---\ntitle: Claim {slug}\nstatement: Statement {slug}.\nclaimant: john-kirby\n"
        f"{dated}sources: [kirby-remarks]\nrating: {rating}\nrating_explanation: Why.\n"
        f"evidence: none\ncountries: [{', '.join(countries_)}]\nreviewed: {reviewed}\n---\n")


def listed(files: dict[str, bytes], url_path: str) -> list[str]:
    """The claim slugs a paginated list shows, following its "next" links."""
    slugs: list[str] = []
    path: str | None = url_path
    while path:
        soup = BeautifulSoup(files[f"{path}index.html"], "html.parser")
        slugs += [a["href"].rstrip("/").rsplit("/", 1)[1]
                  for a in soup.select("article.card .card-title a")]
        nxt = soup.select_one("nav.pager a[rel=next]")
        path = nxt["href"].lstrip("/") if nxt else None
    return slugs


def test_country_year_and_rating_pages(site_factory):
    project = site_factory(dict([
        claim("2022", ["UA"], "2022-03", "unsubstantiated", "2026-11-20"),
        claim("old", ["UA", "TJ"], "2021", '"true"', "2026-11-10"),
    ]))
    result = project.build(base_url="https://example.org/factcheck/")
    assert result.ok, [d.format() for d in result.diagnostics]
    files = result.files
    # A claim slug like 2022 and the year 2022 live apart: /claims/2022/ and /years/2022/.
    assert "claims/2022/index.html" in files and "years/2022/index.html" in files
    assert listed(files, "years/2022/") == ["2022", "uav-pilots"]
    assert listed(files, "years/2021/") == ["old"]
    assert listed(files, f"years/{UNDATED}/") == ["second-claim"]
    assert listed(files, "countries/ua/") == ["2022", "old"]
    assert listed(files, "countries/ir/") == ["uav-pilots"]
    index = BeautifulSoup(files["countries/index.html"], "html.parser")
    names = [a.get_text() for a in index.select(".facet-list a")]
    assert names == ["Iran", "Russia", "Tajikistan", "Ukraine"]  # by name, not by code
    years = BeautifulSoup(files["years/index.html"], "html.parser")
    assert [a.get_text() for a in years.select(".facet-list a")] == [
        "2022", "2021", "Without a date"]
    sitemap = files["sitemap.xml"].decode()
    for path in ("countries/", "countries/tj/", "years/", "years/2021/", "years/undated/"):
        assert f"<loc>https://example.org/factcheck/{path}</loc>" in sitemap
    # Reached by links: the claims list leads to every facet index.
    claims = BeautifulSoup(files["claims/index.html"], "html.parser")
    browse = {a["href"] for a in claims.select("nav.browse a")}
    assert {"/factcheck/countries/", "/factcheck/years/", "/factcheck/ratings/"} <= browse
    # The claim page links its countries' pages, named in the page's language.
    page = BeautifulSoup(files["claims/old/index.html"], "html.parser")
    assert [(a.get_text(), a["href"]) for a in page.select("dd a[href*='/countries/']")] == [
        ("Ukraine", "/factcheck/countries/ua/"), ("Tajikistan", "/factcheck/countries/tj/")]
    # The ratings overview shows each rating's latest claims.
    ratings = BeautifulSoup(files["ratings/index.html"], "html.parser")
    latest = [a["href"] for a in ratings.select(".rating-latest li > a:first-child")]
    assert latest == ["/factcheck/claims/second-claim/", "/factcheck/claims/2022/",
                      "/factcheck/claims/uav-pilots/", "/factcheck/claims/old/"]


@pytest.mark.parametrize("slug", ["years", "countries"])
def test_a_page_cannot_take_a_facets_url(site_factory, slug):
    project = site_factory({f"pages/{slug}.md": "---\ntitle: Mine\n---\n"})
    result = project.check()
    assert [d.code for d in result.diagnostics if d.is_error] == ["url-collision"]


def test_facet_pages_are_paginated(site_factory, monkeypatch):
    monkeypatch.setattr(plan, "PER_PAGE", 2)
    many = dict(claim(f"c{n}", ["TJ"], "2020", "unsubstantiated", f"2026-11-{n + 10:02d}")
                for n in range(5))
    result = site_factory(many).build()
    assert result.ok
    assert "countries/tj/page/3/index.html" in result.files
    assert "years/2020/page/3/index.html" in result.files
    assert listed(result.files, "countries/tj/") == [f"c{n}" for n in range(4, -1, -1)]


# Dates on every card ------------------------------------------------------------------------


def card_dates(html: bytes, selector: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for card in soup.select(selector):
        made = card.select_one(".claim-date")
        reviewed = card.select_one(".review-date time")
        found.append((made.get_text(" ", strip=True) if made else "",
                      reviewed["datetime"] if reviewed else ""))
    return found


def test_every_card_shows_the_claim_date_and_the_review_date(site_factory):
    result = site_factory().build()
    files = result.files
    expected = [("Claim made: Date not known", "2026-11-21"),  # newest published first
                ("Claim made: 20 October 2022", "2026-11-27")]
    assert card_dates(files["index.html"], "article.card") == expected
    assert card_dates(files["claims/index.html"], "article.card") == expected
    assert card_dates(files["countries/ir/index.html"], "article.card") == expected[1:]
    assert card_dates(files["actors/john-kirby/index.html"], "#made ~ ul li") == expected
    # A denial in a list shows its date (here its note).
    actor = BeautifulSoup(files["actors/iran-fm/index.html"], "html.parser")
    assert "mid-October" in actor.select_one("#issued ~ ul li").get_text()


def test_a_date_note_and_a_month_precision_date_on_a_card(site_factory):
    result = site_factory(dict([claim("noted", ["IR"], None, '"true"', "2026-11-25"),
                                claim("month", ["IR"], "2024-05", '"true"', "2026-11-24")])
                          ).build()
    cards = dict(zip(["noted", "month"], card_dates(result.files["ratings/true/index.html"],
                                                    "article.card"), strict=True))
    assert cards["noted"] == ("Claim made: “last week”, says the source", "2026-11-25")
    assert cards["month"] == ("Claim made: May 2024", "2026-11-24")


def test_card_dates_are_localised(site_factory):
    project = site_factory({"site.yaml": SITE_YAML + "language: fa\n"})
    result = project.build()
    assert result.ok
    ui = Interface("fa", load_translations([TEMPLATES], "fa"))
    made, reviewed = card_dates(result.files["index.html"], "article.card")[1]
    assert ui.date(PartialDate(2022, 10, 20)) in made
    assert reviewed == "2026-11-27"
    soup = BeautifulSoup(result.files["index.html"], "html.parser")
    shown = soup.select("article.card .review-date")[1].get_text()
    assert ui.date(PartialDate(2026, 11, 27)) in shown and "November" not in shown
    country = BeautifulSoup(result.files["countries/index.html"], "html.parser")
    assert "ایران" in [a.get_text() for a in country.select(".facet-list a")]


# The acceptance property: facet pages list exactly what the index says ---------------------

CODES = ["IR", "RU", "UA", "TJ", "US"]
generated_claim = st.fixed_dictionaries({
    "countries": st.lists(st.sampled_from(CODES), unique=True, max_size=3),
    "date": st.one_of(st.none(), st.sampled_from(["2020", "2021-06", "2022-02-03", "2022"])),
    "rating": st.sampled_from(["unsubstantiated", '"true"', '"false"']),
    "reviewed": st.integers(min_value=1, max_value=28).map(lambda d: f"2026-11-{d:02d}"),
})


@settings(max_examples=20, deadline=None)
@given(st.lists(generated_claim, min_size=1, max_size=9))
def test_country_and_year_pages_list_exactly_what_the_index_says(generated):
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan, "PER_PAGE", 2)  # several pages per facet
        root = Path(folder)
        files = {**MINIMAL, **dict(claim(f"g{n}", spec["countries"], spec["date"], spec["rating"],
                                          spec["reviewed"]) for n, spec in enumerate(generated))}
        for rel, text in files.items():
            (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / rel).write_text(textwrap.dedent(text), encoding="utf-8")
        options = Options(content=root / "content", templates=TEMPLATES, out=root / "site")
        loaded = load(options, Cache())
        assert loaded.ok, [d.format() for d in loaded.diagnostics]
        index = loaded.index
        out = dict(render(options, loaded).files)
        by_country, by_year = index.countries(), index.years()
        # The index itself agrees with what was written.
        for n, spec in enumerate(generated):
            for code in CODES:
                assert (f"g{n}" in [c.slug for c in by_country.get(code, [])]) == \
                    (code in spec["countries"])
            year = spec["date"][:4] if spec["date"] else UNDATED
            assert f"g{n}" in [c.slug for c in by_year[year]]
        # Every facet page lists exactly its claims, in the index's order.
        for code, concerned in by_country.items():
            assert listed(out, countries.url_path(code)) == [c.slug for c in concerned]
        for year, made in by_year.items():
            assert listed(out, f"years/{year}/") == [c.slug for c in made]
        pages = {p.split("/")[1] for p in out if p.startswith(("countries/", "years/"))
                 and p.count("/") >= 2} - {"page"}  # the indexes' own pagination
        assert pages == {c.lower() for c in by_country} | set(by_year)


# Incremental builds: an edit that moves a claim between facets -----------------------------


@pytest.fixture
def editable(site_factory, tmp_path):
    import shutil

    project = site_factory()
    project.templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, project.templates)
    return project


@pytest.mark.parametrize("name, old, new, pages, path", [
    ("country", "countries: [IR, RU]", "countries: [IR, TJ]",
     {"countries/tj/index.html"}, "full"),
    ("year", "date: 2022-10-20", "date: 2021-10-20", {"years/2021/index.html"}, "full"),
    ("rating", "rating: unsubstantiated", 'rating: "true"', {"ratings/true/index.html"},
     "full"),
    ("same year", "date: 2022-10-20", "date: 2022-10-21", set(), "quick"),
])
def test_a_facet_edit_updates_the_right_pages(editable, name, old, new, pages, path):
    from generator.build import build

    options = editable.options(use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    before = tree(editable.out)
    saved = edit(editable, "claims/uav-pilots.md", old, new)
    result = build(options, cache, incremental=True, changed=[saved])
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.path == path, name
    if cache.live is not None and cache.live.search_stale:
        assert refresh_search(options, cache) is not None  # as the preview does after the reload
    after = tree(editable.out)
    assert after == reference(options), name  # the quick or incremental build = a full one
    for page in pages:
        assert b"/claims/uav-pilots/" in after[page]
    if name == "same year":
        assert after["years/2022/index.html"] != before["years/2022/index.html"]  # its card
