"""The shipped Iran–Russia case: it builds cleanly, shows the key facts on the right pages,
and every quotation traces verbatim to the seed article (kept in tests/data)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from generator.build import Options, build
from tests.conftest import ROOT, TEMPLATES
from tests.sitecheck import broken_links

ARTICLE = (ROOT / "tests" / "data" / "case-iran-russia-weapons.txt").read_text(encoding="utf-8")
CONTENT = ROOT / "content"
IRAN_QUOTE = ("the Islamic republic of Iran has not and will not provide any weapon to be used "
              "in the war in Ukraine.")
TAJIK_QUOTE = "The republic of Tajikistan does not export military equipment to third countries"
KIRBY_QUOTE = ("We can confirm that Russian military personnel that are based in Crimea have been "
               "piloting Iranian UAVs, using them to conduct strikes across Ukraine, including "
               "strikes against Kyiv")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("shipped") / "site"
    result = build(Options(content=CONTENT, templates=TEMPLATES, out=out))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result, out


def text_of(out, url_path: str) -> str:
    html = (out / url_path / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").main.get_text(" ", strip=True)


def test_builds_without_errors_or_warnings(shipped, tmp_path):
    result, out = shipped
    # The shipped site.yaml invents no domain: only the publishing hint is given.
    assert [d.code for d in result.diagnostics] == ["no-domain"]
    assert broken_links(out) == []
    published = build(Options(content=CONTENT, templates=TEMPLATES, out=tmp_path / "site",
                              base_url="https://example.org/factcheck/"))
    assert published.diagnostics == []
    assert broken_links(tmp_path / "site", "/factcheck/") == []


def test_the_case_is_complete(shipped):
    result, _ = shipped
    index = result.index
    assert len(index.claims()) >= 7
    assert len(index.all("denials")) == 2
    assert {"methodology", "corrections"} <= set(index.entries["pages"])
    names = {a.name for a in index.all("actors")}
    for name in ("John Kirby", "Hossein Amir-Abdollahian", "Rob Malley", "CNN"):
        assert any(name in n for n in names), name


def test_no_verdict_claims_more_than_the_article_supports(shipped):
    result, _ = shipped
    for claim in result.index.claims():
        assert claim.rating not in ("true", "false", "mostly-true"), claim.slug
        assert claim.evidence != "documented", claim.slug
        assert len(claim.title) <= 75


def test_denials_are_verbatim_and_shown_on_the_claims_they_answer(shipped):
    result, out = shipped
    quotes = {d.slug: d.quote for d in result.index.all("denials")}
    assert IRAN_QUOTE in quotes.values() and TAJIK_QUOTE in quotes.values()
    for denial in result.index.all("denials"):
        assert denial.quote in ARTICLE
        for claim_slug in denial.answers:
            assert denial.quote in text_of(out, f"claims/{claim_slug}")
    tajik = next(c for c in result.index.claims() if "tajik" in c.slug)
    page = text_of(out, tajik.url_path)
    assert TAJIK_QUOTE in page and "Ababil-2" in page and "Dushanbe" in page


def test_kirby_quote_and_malley_remark_are_where_they_matter(shipped):
    result, out = shipped
    kirby = [c for c in result.index.claims() if c.claimant == "john-kirby"]
    assert any(KIRBY_QUOTE in text_of(out, c.url_path) for c in kirby)
    assert any("waste our time" in text_of(out, c.url_path) and "nuclear" in
               text_of(out, c.url_path) for c in result.index.claims())
    anonymous = next(c for c in result.index.claims() if "1,000" in c.title
                     or "1000" in c.slug)
    page = text_of(out, anonymous.url_path)
    assert "1,000" in page and "CNN" in page and "anonym" in page.lower()


def test_every_quotation_traces_to_the_article():
    article = ARTICLE.replace("’", "'")
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8").replace("’", "'")
        for quoted in re.findall(r"“([^”]+)”", text):
            assert quoted.rstrip(".,") in article, f"{path.name}: “{quoted}”"


def test_nothing_invented_no_urls_no_dates_beyond_our_own_review():
    for path in sorted(CONTENT.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "http" not in text, path.name
        for year in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text):
            assert year == "2026", f"{path.name}: year {year} is not in the article"
        assert not re.search(r"^date:", text, re.M), f"{path.name}: the article gives no date"


def test_figures_on_the_site_come_from_the_article():
    figures = set(re.findall(r"\b\d[\d,]*\b", ARTICLE))
    for path in sorted((CONTENT / "claims").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---")[1]
        for line in front.splitlines():
            if line.startswith(("title:", "statement:")):
                for number in re.findall(r"\b\d[\d,]*\b", line):
                    assert number in figures, f"{path.name}: {number}"


def test_verbatim_statements_are_in_the_article_and_shown_as_quotations(shipped):
    result, out = shipped
    verbatim = [c for c in result.index.claims() if c.verbatim]
    assert len(verbatim) >= 3
    for claim in verbatim:
        assert claim.statement.replace("“", "").replace("”", "") in \
            ARTICLE.replace("“", "").replace("”", ""), claim.slug
    for claim in result.index.claims():
        page = BeautifulSoup((out / claim.url_path / "index.html").read_text(), "html.parser")
        quoted = page.select_one("figure.statement blockquote")
        assert (quoted is not None) == claim.verbatim, claim.slug
        if not claim.verbatim:
            assert "not a direct quote" in page.main.get_text(), claim.slug


def test_the_persian_edition_translates_the_denials_and_the_claims_they_answer(shipped):
    result, out = shipped
    index = result.index
    home = BeautifulSoup((out / "fa" / "index.html").read_text(), "html.parser")
    assert home.html["lang"] == "fa" and home.html["dir"] == "rtl"
    assert home.title.string.startswith("بررسی ادعاهای تسلیحاتی")
    ratings = text_of(out, "fa/ratings/")
    assert "بی‌پشتوانه" in ratings and "گمراه‌کننده" in ratings and "Unsubstantiated" not in ratings
    answered = {slug for d in index.all("denials") for slug in d.answers}
    assert len(answered) == 9
    for kind, slug in [("denials", d.slug) for d in index.all("denials")] + \
            [("claims", slug) for slug in sorted(answered)]:
        assert "fa" in index.translations[(kind, slug)], slug
        page = BeautifulSoup((out / "fa" / kind / slug / "index.html").read_text(),
                             "html.parser")
        assert page.find(class_="edition-note") is None, slug
        alternates = {a["hreflang"] for a in page.find_all("link", rel="alternate")
                      if a.get("hreflang")}
        assert alternates == {"en", "fa"} or not index.config.is_absolute, slug
        entry = index.get(kind, slug)
        quoted = page.select_one("main blockquote.quote")
        if getattr(entry, "verbatim", True):  # denials' quotes and verbatim statements
            # The verbatim words stay the English ones the article reports …
            assert quoted is not None and quoted["lang"] == "en", slug
            assert quoted.get_text(" ", strip=True) == \
                (getattr(entry, "quote", "") or entry.statement), slug
            # … and the Persian beside them is labelled as our translation.
            translation = page.select_one("main .translation")
            assert translation.select_one(".translation-label").get_text(strip=True) == \
                "ترجمهٔ ما:", slug
            assert translation.select_one(".translation-text")["lang"] == "fa", slug
    # Every Persian file quotes only the article (test_every_quotation_traces_to_the_article
    # covers “…”); its own renderings are in «…», which the bodies say are ours.
    for path in sorted(CONTENT.rglob("*.fa.md")):
        text = path.read_text(encoding="utf-8")
        if "«" in text.split("---", 2)[2]:
            assert "ترجمهٔ ما از متن انگلیسی مقاله" in text, path.name
