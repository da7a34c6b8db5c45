"""A Persian-language site (``language: fa``): right to left, Persian interface and dates,
valid for the W3C checker, LinkChecker and axe-core, mirrored in Chromium; mixed-direction
text in the right visual order; Russian, Ukrainian and Arabic interface smoke builds.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.dates import format_skeleton
from bs4 import BeautifulSoup

from generator.build import Options, build
from tests import rtl_fixture
from tests.conftest import MINIMAL, SITE_YAML, TEMPLATES, Project
from tests.test_validators import AXE, CHROMIUM, CHROMIUM_ARGS, VNU, run_linkchecker, serve

BASE_URL = "https://example.org/"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.fixture(scope="module")
def persian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Persian fixture built at a domain root; the folder to serve."""
    root = tmp_path_factory.mktemp("persian")
    content = rtl_fixture.write(root / "content")
    out = root / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out, base_url=BASE_URL))
    assert result.ok, [d.format() for d in result.diagnostics]
    return out


def page(out: Path, url_path: str) -> BeautifulSoup:
    return soup((out / url_path / "index.html").read_text(encoding="utf-8"))


def test_every_page_is_persian_and_right_to_left(persian):
    pages = sorted(persian.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        html = soup(file.read_text(encoding="utf-8")).html
        assert html is not None and (html["lang"], html["dir"]) == ("fa", "rtl"), file


def test_interface_strings_and_dates_are_persian(persian):
    claim = page(persian, "claims/uav-pilots")
    nav = [a.get_text() for a in claim.select("nav[aria-label] a")]
    assert nav[:6] == ["ادعاها", "تکذیب‌ها", "منابع", "کنشگران", "پرونده‌ها", "رتبه‌بندی‌ها"]
    assert claim.select_one("nav")["aria-label"] == "سایت"
    assert [dt.get_text() for dt in claim.select(".facts dt")] == [
        "ادعاکننده", "زمان", "شواهد", "کشورها", "تاریخ بررسی"]
    assert claim.select_one(".facts dd:nth-of-type(4)").get_text() == "ایران، روسیه"
    # Dates at their precision, in Persian month names (Gregorian calendar).
    when = claim.select_one(".facts time")
    assert (when["datetime"], when.get_text()) == ("2022-10-20", "20 اکتبر 2022")
    assert page(persian, "claims/weapons").select_one(".facts time").get_text() == "اکتبر 2022"
    assert page(persian, "claims/old-claim").select_one(".facts time").get_text() == "2021"
    source = page(persian, "sources/kirby-remarks")
    assert source.select_one(".kicker").get_text() == "منبع · بیانیهٔ رسمی"
    languages = [dd.get_text() for dt, dd in zip(source.select(".facts dt"),
                                                  source.select(".facts dd"), strict=True)
                 if dt.get_text() == "زبان"]
    assert languages == ["انگلیسی"]  # "English", named in Persian, not the code "en"
    ratings = page(persian, "ratings")
    assert ratings.h1 is not None and ratings.h1.get_text() == "رتبه‌بندی‌های ما"
    assert [m.get_text() for m in ratings.select(".scale .meta")] == ["(1 ادعا)"] * 3
    title = ratings.title
    assert title is not None and title.get_text() == "رتبه‌بندی‌های ما · راستی‌آزمایی آزمایشی"
    missing = soup((persian / "404.html").read_text(encoding="utf-8"))
    assert missing.h1 is not None and missing.h1.get_text() == "صفحه پیدا نشد"
    footer = claim.select_one("footer").get_text(" ", strip=True)
    assert "با سردبیران تماس بگیرید" in footer and "داده‌های باز:" in footer
    assert not any(english in claim.get_text() for english in (
        "Claimed by", "Our rating", "Sources", "What was claimed", "Open data"))


def test_fields_in_another_language_carry_their_lang_and_dir(persian):
    claim = page(persian, "claims/uav-pilots")
    original = claim.select_one("blockquote.quote")
    assert (original["lang"], original["dir"]) == ("en", "ltr")
    assert original.get_text(strip=True) == rtl_fixture.ENGLISH_STATEMENT
    kirby = claim.select_one(".facts a[href='/actors/john-kirby/']")
    assert (kirby["lang"], kirby["dir"]) == ("en", "ltr")
    english_source = claim.select_one(".entry-list a[href='/sources/kirby-remarks/']")
    assert (english_source["lang"], english_source["dir"]) == ("en", "ltr")
    persian_source = claim.select_one("a[href='/sources/fm-statement/']")
    assert not persian_source.has_attr("lang")  # the page's own language: nothing to mark
    h1 = page(persian, "sources/kirby-remarks").h1
    assert h1 is not None and (h1["lang"], h1["dir"]) == ("en", "ltr")


def test_a_translation_is_shown_beside_the_original_and_labelled_as_ours(persian):
    claim = page(persian, "claims/uav-pilots")
    figure = claim.select_one("figure.statement")
    translation = figure.find_next_sibling("div", class_="translation")
    assert translation is not None
    assert translation.select_one(".translation-label").get_text() == "ترجمهٔ ما:"
    text = translation.select_one(".translation-text")
    assert text.get_text() == rtl_fixture.PERSIAN_TRANSLATION
    assert (text["lang"], text["dir"]) == ("fa", "rtl")
    assert translation.select_one(".translation-note").get_text() == \
        "یادداشت مترجم: واژهٔ UAV را «پهپاد» ترجمه کرده‌ایم."
    # Never presented as the speaker's words: outside the quotation, after its caption.
    assert figure.select_one("blockquote").get_text(strip=True) == rtl_fixture.ENGLISH_STATEMENT


def test_persian_site_passes_the_html_checker(persian):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip(f"vnu needs java and {VNU} (bash .ci/install-publishing.sh)")
    files = [str(p) for p in sorted(persian.rglob("*")) if p.suffix in (".html", ".css")]
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--also-check-css", *files], capture_output=True, text=True,
                         timeout=300)
    report = json.loads(run.stderr or run.stdout)
    assert [f"{m['url']}:{m.get('lastLine')}: {m['message']}"
            for m in report["messages"]] == []


def test_persian_site_has_no_broken_link_or_anchor(persian, tmp_path):
    pytest.importorskip("linkcheck", reason="LinkChecker is in the test extra")
    with serve(persian) as origin:
        rows = run_linkchecker([origin + "/"], tmp_path)
    assert len(rows) > 20
    assert [f"{r['parentname']}: {r['urlname']}: {r['result']} {r['warningstring']}"
            for r in rows if r["valid"] != "True" or r["warningstring"]] == []


def _chromium(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def _needs_browser() -> object:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    if not CHROMIUM.is_file():
        pytest.skip(f"needs {CHROMIUM}")
    return sync_api


@pytest.mark.browser
def test_axe_finds_no_serious_violation_on_the_persian_site(persian):
    sync_api = _needs_browser()
    if not AXE.is_file():
        pytest.skip(f"needs {AXE} (bash .ci/install-publishing.sh)")
    paths = ["", "claims/uav-pilots/", "claims/weapons/", "denials/iran-denial/",
             "sources/kirby-remarks/", "actors/john-kirby/", "ratings/", "claims/"]
    problems: list[str] = []
    with serve(persian) as origin, sync_api.sync_playwright() as playwright:  # type: ignore[attr-defined]
        browser = _chromium(playwright)
        tab = browser.new_page()
        tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for path in paths:
            tab.goto(f"{origin}/{path}", wait_until="load")
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [f"/{path}: axe {v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
        browser.close()
    assert problems == []


BOXES = """() => {
  const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                         return {left: r.left, right: r.right}; };
  const style = (sel) => getComputedStyle(document.querySelector(sel));
  const wrap = document.querySelector('.site-header .wrap');
  const pad = parseFloat(getComputedStyle(wrap).paddingInlineStart);
  const w = wrap.getBoundingClientRect();
  return {html: style('html').direction, main: style('main').direction,
          brand: box('.brand'), content: {left: w.left + pad, right: w.right - pad},
          verdictRight: style('.verdict').borderRightWidth,
          verdictLeft: style('.verdict').borderLeftWidth,
          quoteStyle: style('blockquote.quote p').fontStyle,
          quotes: style('blockquote.quote').quotes,
          width: document.documentElement.clientWidth,
          scroll: document.documentElement.scrollWidth};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_chromium_lays_the_persian_site_out_mirrored(persian, width, tmp_path):
    sync_api = _needs_browser()
    with serve(persian) as origin, sync_api.sync_playwright() as playwright:  # type: ignore[attr-defined]
        browser = _chromium(playwright)
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(f"{origin}/claims/uav-pilots/", wait_until="load")
        found = tab.evaluate(BOXES)
        tab.screenshot(path=str(tmp_path / f"persian-claim-{width}.png"), full_page=True)
        tab.goto(f"{origin}/denials/iran-denial/", wait_until="load")
        denial = tab.evaluate(BOXES.replace("style('.verdict').borderRightWidth", "''")
                              .replace("style('.verdict').borderLeftWidth", "''"))
        tab.screenshot(path=str(tmp_path / f"persian-denial-{width}.png"), full_page=True)
        browser.close()
    assert (found["html"], found["main"]) == ("rtl", "rtl")
    brand, content = found["brand"], found["content"]
    # The brand starts at the inline start, which is the right edge of the header's content.
    assert abs(brand["right"] - content["right"]) < 1.5, found
    assert brand["left"] - content["left"] > 20, found
    # The verdict's rule is on its inline-start side: the right.
    assert (found["verdictRight"], found["verdictLeft"]) == ("6px", "0px")
    assert found["scroll"] <= found["width"]  # nothing pushed off the page sideways
    # A Persian quote: no fake italics, Persian quotation marks.
    assert denial["quoteStyle"] == "normal"
    assert denial["quotes"].startswith('"«" "»"')
    assert found["quoteStyle"] == "italic"  # the English verbatim statement keeps italics


CHAR_BOX = """([sel, needle, k]) => {
  const el = document.querySelector(sel);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(needle);
    if (i < 0) continue;
    const range = document.createRange();
    range.setStart(n, i + k); range.setEnd(n, i + k + 1);
    const r = range.getBoundingClientRect();
    return [r.left, r.right];
  }
  return null;
}"""


@pytest.mark.browser
def test_mixed_direction_text_renders_in_the_right_order(persian, site_factory):
    sync_api = _needs_browser()
    english: Project = site_factory(files={"denials/persian-denial.md": f"""\
        ---
        title: Iran denies, in Persian
        actor: iran-fm
        quote: "{rtl_fixture.PERSIAN_QUOTE}"
        quote_language: fa
        answers: [uav-pilots]
        sources: [denial-statement]
        ---
        """})
    english_root = persian.parent / "english-root"
    assert english.build(out=english_root / "english", base_url="/english/").ok
    with serve(persian) as origin, serve(english_root) as english_origin, \
            sync_api.sync_playwright() as playwright:  # type: ignore[attr-defined]
        browser = _chromium(playwright)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})

        def x(sel: str, needle: str, k: int = 0) -> tuple[float, float]:
            box = tab.evaluate(CHAR_BOX, [sel, needle, k])
            assert box is not None, (sel, needle)
            return box[0], box[1]

        # A Latin name inside a Persian sentence: the sentence runs right to left, the name
        # inside it left to right, and the words after the name go on to its left.
        tab.goto(f"{origin}/claims/weapons/", wait_until="load")
        sel = "p.statement"
        first_word, john_j = x(sel, "به گفتهٔ"), x(sel, "John")
        kirby_y, after = x(sel, "Kirby", 4), x(sel, "ایران")
        assert first_word[0] > john_j[1]  # "به" (first) is right of the name
        assert john_j[0] < kirby_y[0]  # "John Kirby" reads left to right
        assert after[1] < john_j[0]  # "ایران" (after the name) is left of it
        # The same name as a link in a Persian "claimed by" line on the home page.
        tab.goto(f"{origin}/", wait_until="load")
        card = ".card:has(a[href='/claims/weapons/']) .card-meta span"
        assert x(card, "ادعای")[0] > x(card, "Kirby", 4)[1]
        # A Persian quote inside an English page: right to left, its full stop at the left.
        tab.goto(f"{english_origin}/english/denials/persian-denial/", wait_until="load")
        quote = "blockquote.quote p"
        first, last = x(quote, "ایران"), x(quote, "است.")
        stop = x(quote, "است.", 3)
        assert first[0] > last[1]
        assert stop[1] <= last[0] + 0.5
        assert tab.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
        assert tab.evaluate("getComputedStyle(document.querySelector('blockquote')).fontStyle"
                            " + getComputedStyle(document.querySelector('.quote p')).fontStyle"
                            ) == "normalnormal"  # a Persian quote: no fake italics
        tab.screenshot(path=str(english_root / "english-persian-quote.png"))
        browser.close()


# --- Russian, Ukrainian and Arabic interfaces --------------------------------------------


def _counted_site(language: str, counts: dict[str, int]) -> dict[str, str]:
    """MINIMAL in ``language`` with as many claims per rating as ``counts`` says."""
    files = {**MINIMAL, "site.yaml": SITE_YAML + f"language: {language}\n"}
    for key, count in counts.items():
        for number in range(count):
            files[f"claims/{key}-{number}.md"] = f"""\
                ---
                title: Claim {key} {number}
                statement: Statement.
                claimant: john-kirby
                sources: [kirby-remarks]
                rating: "{key}"
                rating_explanation: Explained.
                evidence: none
                reviewed: 2026-11-21
                ---
                """
    files.pop("claims/uav-pilots.md")
    files.pop("claims/second-claim.md")
    files["denials/iran-denial.md"] = MINIMAL["denials/iran-denial.md"].replace(
        "[uav-pilots, second-claim]", "[false-0]")
    return files


@pytest.mark.parametrize(("language", "expected", "words"), [
    ("ru", ["1 утверждение", "2 утверждения", "5 утверждений", "21 утверждение"],
     {"h1": "Наши оценки", "nav": "Утверждения", "date": "октябрь 2022\u202fг."}),
    ("uk", ["1 твердження", "2 твердження", "5 тверджень", "21 твердження"],
     {"h1": "Наші оцінки", "nav": "Твердження", "date": "жовтень 2022\u202fр."}),
    ("ar", ["1 ادعاء", "2 ادعاءان", "5 ادعاءات", "21 ادعاءً"],
     {"h1": "تقييماتنا", "nav": "الادعاءات", "date": "أكتوبر 2022"}),
])
def test_cyrillic_and_arabic_interfaces_with_plural_forms(site_factory, language, expected,
                                                          words):
    yaml = SITE_YAML.replace("ratings:\n", "ratings:\n  - {key: two, label: Two, "
                             "description: Two., value: 2}\n  - {key: four, label: Four, "
                             "description: Four., value: 4}\n")
    files = _counted_site(language, {"false": 1, "two": 2, "four": 22, "unsubstantiated": 5,
                                     "true": 21})  # 51 claims: the claims list has two pages
    files["site.yaml"] = yaml + f"language: {language}\n"
    project: Project = site_factory(files=files, base={})
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    ratings = soup(project.page("ratings"))
    assert ratings.html is not None and ratings.html["lang"] == language
    assert ratings.html.get("dir", "ltr") == ("rtl" if language == "ar" else "ltr")
    assert ratings.h1 is not None and ratings.h1.get_text() == words["h1"]
    shown = [m.get_text() for m in ratings.select(".scale .meta")]
    by_key = dict(zip(["false", "two", "unsubstantiated", "four", "true"], shown, strict=True))
    assert [by_key[k] for k in ("false", "two", "unsubstantiated", "true")] == \
        [f"({text})" for text in expected]
    assert ratings.select("nav[aria-label] a")[0].get_text() == words["nav"]
    source = soup(project.page("sources/kirby-remarks"))
    assert source.select_one(".facts time").get_text() == words["date"]
    assert words["date"] == format_skeleton("yMMMM", datetime.date(2022, 10, 1), locale=language)
    claims = soup(project.page("claims"))
    pager = claims.select_one("nav.pager span")
    assert pager is not None and pager.get_text() != "Page 1 of 2" and "1" in pager.get_text()


# --- translations of quotes: bad input ---------------------------------------------------

def test_a_translation_needs_its_original_and_a_note_needs_a_translation(site_factory):
    project: Project = site_factory(files={
        "claims/second-claim.md": """\
            ---
            title: Iran sends weapons
            statement: Iran sends weapons to Russia.
            translation: ایران به روسیه سلاح می‌فرستد.
            claimant: john-kirby
            sources: [kirby-remarks]
            rating: "false"
            rating_explanation: Contradicted.
            evidence: partial
            reviewed: 2026-11-21
            ---
            """,
        "denials/iran-denial.md": """\
            ---
            title: Iran denies
            actor: iran-fm
            quote: "Iran has not and will not provide any weapon."
            translation_note: a note on nothing
            answers: [uav-pilots]
            sources: [denial-statement]
            ---
            """})
    found = {(d.path, d.line, d.code) for d in project.check().diagnostics if d.is_error}
    assert found == {("content/claims/second-claim.md", 4, "translation-without-original"),
                     ("content/denials/iran-denial.md", 5, "note-without-translation")}
    result = project.cli("check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/claims/second-claim.md:4: error[translation-without-original]" in \
        result.stdout + result.stderr


def test_a_denial_translation_is_shown_beside_its_quote_on_an_english_site(site_factory):
    project: Project = site_factory(files={"denials/persian-denial.md": f"""\
        ---
        title: Iran denies, in Persian
        actor: iran-fm
        quote: "{rtl_fixture.PERSIAN_QUOTE}"
        quote_language: fa
        translation: Iran has given Russia no weapon for use in the war in Ukraine.
        answers: [uav-pilots]
        sources: [denial-statement]
        ---
        """})
    assert project.build().ok
    denial = soup(project.page("denials/persian-denial"))
    quote = denial.select_one("blockquote.quote")
    assert (quote["lang"], quote["dir"]) == ("fa", "rtl")
    translation = quote.find_next_sibling("div", class_="translation")
    assert translation.select_one(".translation-label").get_text() == "Our translation:"
    text = translation.select_one(".translation-text")
    assert (text["lang"], text["dir"]) == ("en", "ltr")
    assert translation.select_one(".translation-note") is None
    claim = soup(project.page("claims/uav-pilots"))  # the denial card shows it too
    assert claim.select_one(".denial-card .translation-text") is not None
