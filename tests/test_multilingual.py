"""Multilingual sites: an English site with a Persian edition under /fa/ (bilingual_fixture).

Built end to end and read back with BeautifulSoup, feedparser and ElementTree: URL trees,
reciprocal hreflang alternates that resolve, the switcher, the untranslated entry's note,
feeds, sitemap and exports per language, and the bad inputs of translations.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.build import Cache, build
from generator.state import failed
from tests import bilingual_fixture
from tests.test_incremental import edit, reference, tree

BASE = "https://example.org/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def bilingual(site_factory):
    project = site_factory(base=bilingual_fixture.FILES)
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    return project


def soup(project, url_path: str) -> BeautifulSoup:
    return BeautifulSoup(project.page(url_path), "html.parser")


def local(project, href: str) -> Path:
    """The file an absolute URL (or a path) of the site is served from."""
    assert href.startswith((BASE, "/")), href
    path = urlsplit(href).path.lstrip("/")
    return project.out / (path + "index.html" if path.endswith("/") or not path else path)


def pages(project) -> list[str]:
    return sorted(p.relative_to(project.out).as_posix() for p in project.out.rglob("*.html"))


def test_default_language_keeps_the_root_and_others_live_under_their_code(bilingual):
    found = pages(bilingual)
    assert "index.html" in found and "fa/index.html" in found
    assert "claims/uav-pilots/index.html" in found and "fa/claims/uav-pilots/index.html" in found
    # Every page of the default tree has its counterpart in the Persian one.
    default = [p for p in found if not p.startswith("fa/")]
    assert sorted("fa/" + p for p in default) == [p for p in found if p.startswith("fa/")]
    html = soup(bilingual, "fa/")
    assert html.html["lang"] == "fa" and html.html["dir"] == "rtl"
    assert html.title.string == "راستی‌آزمایی آزمایشی"  # the title from site.yaml
    assert soup(bilingual, "").html["lang"] == "en"
    # Static files exist once, at the root, and the Persian pages use them there.
    assert not (bilingual.out / "fa" / "static").exists()
    assert html.find("link", rel="stylesheet")["href"] == "/static/style.css"


def test_hreflang_alternates_are_reciprocal_and_resolve(bilingual):
    alternates = {}
    for rel in pages(bilingual):
        if rel.endswith("404.html"):
            continue
        html = BeautifulSoup((bilingual.out / rel).read_text(encoding="utf-8"), "html.parser")
        links = {a["hreflang"]: a["href"] for a in html.find_all("link", rel="alternate")
                 if a.get("hreflang")}
        canonical = html.find("link", rel="canonical")
        alternates[rel] = (links, canonical["href"] if canonical else None)
    checked = 0
    for rel, (links, canonical) in alternates.items():
        if not links:
            continue
        assert canonical in links.values(), rel  # names itself
        for language, href in links.items():
            target = local(bilingual, href)
            assert target.is_file(), (rel, href)
            back = alternates[target.relative_to(bilingual.out).as_posix()][0]
            assert back == links, (rel, language)  # the same set, seen from the other side
            checked += 1
    assert checked > 40
    # Translated entries are alternates of each other; an untranslated one has none in fa.
    assert set(alternates["claims/uav-pilots/index.html"][0]) == {"en", "fa"}
    assert set(alternates["claims/weapons/index.html"][0]) == {"en"}
    assert alternates["fa/claims/weapons/index.html"][0] == {}


def test_switcher_on_an_entry_leads_to_its_translation(bilingual):
    english = soup(bilingual, "claims/uav-pilots/")
    switcher = english.find("nav", class_="languages")
    target = switcher.find("a", hreflang="fa")
    assert target.string == "فارسی" and target["lang"] == "fa"
    persian = BeautifulSoup(local(bilingual, target["href"]).read_text(encoding="utf-8"),
                            "html.parser")
    assert persian.h1.string == "نیروهای روسی در کریمه پهپادهای ایرانی را هدایت می‌کنند"
    back = persian.find("nav", class_="languages").find("a", hreflang="en")
    assert local(bilingual, back["href"]) == bilingual.out / "claims/uav-pilots/index.html"
    current = persian.find("nav", class_="languages").find("a", attrs={"aria-current": "page"})
    assert current["lang"] == "fa"


def test_verbatim_quote_stays_english_beside_our_persian_translation(bilingual):
    html = soup(bilingual, "fa/claims/uav-pilots/")
    quote = html.find("blockquote", class_="quote")
    assert quote.get_text(strip=True) == bilingual_fixture.VERBATIM
    assert quote["lang"] == "en" and quote["dir"] == "ltr"
    translation = html.find(class_="translation")
    assert bilingual_fixture.OUR_TRANSLATION in translation.get_text()
    assert translation.find(class_="translation-label").get_text(strip=True) == "ترجمهٔ ما:"
    # The rating label comes from site.yaml's Persian scale; the facts from the original.
    assert html.find(class_="verdict-label").string == "بی‌پشتوانه"
    assert html.find("time")["datetime"] == "2022-10-20"
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["inLanguage"] == "fa" and data["url"] == BASE + "fa/claims/uav-pilots/"
    english = json.loads(soup(bilingual, "claims/uav-pilots/")
                         .find("script", type="application/ld+json").string)
    assert english["inLanguage"] == "en"
    assert english["reviewRating"]["ratingValue"] == data["reviewRating"]["ratingValue"]


def test_cross_links_stay_within_the_language(bilingual):
    html = soup(bilingual, "fa/claims/uav-pilots/")
    body_link = html.find("section", class_="prose").find("a")
    assert body_link["href"] == "/fa/claims/weapons/"
    hrefs = [a["href"] for a in html.find("main").find_all("a")
             if not a["href"].startswith(("https:", "mailto:"))]  # share links leave the site
    assert hrefs and all(h.startswith("/fa/") for h in hrefs), hrefs
    assert soup(bilingual, "claims/uav-pilots/").find("section", class_="prose") \
        .find("a")["href"] == "/claims/weapons/"


def test_untranslated_entry_falls_back_to_the_original_with_a_note(bilingual):
    html = soup(bilingual, "fa/claims/weapons/")
    note = html.find(class_="edition-note")
    assert note is not None and "انگلیسی" in note.get_text()  # "English", in Persian
    original = html.find(class_="edition-original")
    assert original["lang"] == "en" and original["dir"] == "ltr"
    assert original.h1.string == "Iran sends weapons to Russia"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert html.find("link", rel="canonical") is None
    # A translated page has no note.
    assert soup(bilingual, "fa/claims/uav-pilots/").find(class_="edition-note") is None
    assert soup(bilingual, "claims/weapons/").find(class_="edition-note") is None


def test_feeds_per_language_validate_and_carry_their_language(bilingual):
    for prefix, language in (("", "en"), ("fa/", "fa")):
        data = (bilingual.out / prefix / "feed.xml").read_bytes()
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0 and parsed.version == "atom10", prefix
        assert parsed.feed.id == BASE + prefix + "feed.xml"
        root = ET.fromstring(data)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        ids = [e.id for e in parsed.entries]
        assert ids == [BASE + prefix + "claims/uav-pilots/", BASE + prefix + "claims/weapons/"]
    persian = ET.fromstring((bilingual.out / "fa" / "feed.xml").read_bytes())
    entries = persian.findall("{http://www.w3.org/2005/Atom}entry")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [e.get(lang) for e in entries] == [None, "en"]  # the untranslated one is English


def test_one_sitemap_lists_every_language_with_reciprocal_alternates(bilingual):
    assert not (bilingual.out / "fa" / "sitemap.xml").exists()
    assert not (bilingual.out / "fa" / "robots.txt").exists()
    root = ET.fromstring((bilingual.out / "sitemap.xml").read_bytes())
    urls = {}
    for url in root.findall(f"{SM}url"):
        links = {a.get("hreflang"): a.get("href") for a in url.findall(f"{XHTML}link")}
        urls[url.findtext(f"{SM}loc")] = links
    assert BASE + "fa/claims/uav-pilots/" in urls and BASE + "claims/uav-pilots/" in urls
    assert BASE + "fa/claims/weapons/" not in urls  # shown in English there: not offered
    for loc, links in urls.items():
        assert loc in links.values() or not links, loc
        for href in links.values():
            assert href in urls and urls[href] == links, (loc, href)
            assert local(bilingual, href).is_file(), href
    assert (bilingual.out / "robots.txt").read_text().endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_exports_per_language_carry_each_entry_language(bilingual):
    english = json.loads((bilingual.out / "data" / "claims.json").read_text())
    persian = json.loads((bilingual.out / "fa" / "data" / "claims.json").read_text())
    assert english["site"]["language"] == "en" and persian["site"]["language"] == "fa"
    assert {c["id"]: c["language"] for c in english["claims"]} == \
        {"uav-pilots": "en", "weapons": "en"}
    assert {c["id"]: c["language"] for c in persian["claims"]} == \
        {"uav-pilots": "fa", "weapons": "en"}
    rows = list(csv.DictReader(io.StringIO(
        (bilingual.out / "fa" / "data" / "claims.csv").read_text(encoding="utf-8"))))
    assert {r["id"]: r["language"] for r in rows} == {"uav-pilots": "fa", "weapons": "en"}
    denials = list(csv.DictReader(io.StringIO(
        (bilingual.out / "fa" / "data" / "denials.csv").read_text(encoding="utf-8"))))
    assert denials[0]["language"] == "fa" and denials[0]["title"] == "ایران تکذیب می‌کند"
    assert persian["rating_scale"][0]["label"] == "نادرست"


def test_one_language_site_has_no_editions(site_factory):
    project = site_factory()
    assert project.build().ok
    html = project.page("claims/uav-pilots/")
    assert "hreflang" not in html and 'class="languages"' not in html
    assert not any(p.name == "fa" for p in project.out.iterdir())


@pytest.mark.parametrize("with_paths", [True, False], ids=["saved-paths", "scan"])
def test_rebuild_after_editing_a_translation_equals_a_full_build(bilingual, with_paths):
    options = bilingual.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    saves = [
        ("translation title", lambda: [edit(bilingual, "claims/uav-pilots.fa.md",
                                            "title: نیروهای", "title: سربازان")]),
        ("original fact", lambda: [edit(bilingual, "claims/uav-pilots.md",
                                        "date: 2022-10-20", "date: 2022-10-19")]),
        ("original body", lambda: [edit(bilingual, "claims/weapons.md",
                                        "reviewed: 2026-11-21\n---\n",
                                        "reviewed: 2026-11-21\n---\nA new paragraph.\n")]),
        ("new translation", lambda: [bilingual.write("claims/weapons.fa.md",
                                                     "---\ntitle: ایران سلاح می‌فرستد\n---\n")]),
        ("translation removed", lambda: [_removed(bilingual, "denials/iran-denial.fa.md")]),
        ("site.yaml scale", lambda: [edit(bilingual, "site.yaml", "label: نادرست",
                                          "label: نادرست است")]),
    ]
    for name, save in saves:
        saved = save()
        result = build(options, cache, incremental=True, changed=saved if with_paths else None)
        assert result.ok, (name, [d.format() for d in result.diagnostics])
        assert tree(bilingual.out) == reference(options), name
    assert "ایران سلاح می‌فرستد" in bilingual.page("fa/claims/weapons/")
    assert "edition-note" not in bilingual.page("fa/claims/weapons/")
    assert "edition-note" in bilingual.page("fa/denials/iran-denial/")


def _removed(project, rel: str) -> Path:
    path = project.content / rel
    path.unlink()
    return path


def codes(result) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in result.diagnostics]


def test_translation_in_an_unknown_language(site_factory):
    project = site_factory(base=bilingual_fixture.FILES,
                           files={"claims/weapons.ru.md": "---\ntitle: Иран\n---\n"})
    result = project.check()
    found = [d for d in result.diagnostics if d.code == "unknown-language"]
    assert [(d.path, d.line) for d in found] == [("content/claims/weapons.ru.md", 1)]
    assert "languages" in found[0].hint and "claims/weapons.md" in found[0].hint
    assert not result.ok


def test_site_language_unknown_or_without_a_catalog(site_factory):
    files = {"site.yaml": bilingual_fixture.SITE_YAML.replace("[en, fa]", "[en, fa, qq]")}
    result = site_factory(base=bilingual_fixture.FILES, files=files).check()
    found = [d for d in result.diagnostics if d.code == "unknown-language"]
    assert len(found) == 1 and found[0].path == "content/site.yaml" and found[0].line == 5
    assert "'qq'" in found[0].message and not result.ok
    # Tajik is a language, but no catalog ships for it: English strings, and a warning
    # that makes 'check --strict' fail.
    files = {"site.yaml": bilingual_fixture.SITE_YAML.replace("[en, fa]", "[en, fa, tg]")}
    project = site_factory(base=bilingual_fixture.FILES, files=files)
    result = project.check()
    found = [d for d in result.diagnostics if d.code == "untranslated-string"]
    assert len(found) == 1 and "'tg'" in found[0].message and not found[0].is_error
    assert result.ok and not failed(result, strict=False) and failed(result, strict=True)
    strict = project.cli("check", "--strict")
    assert strict.returncode == 1 and "untranslated-string" in strict.stdout + strict.stderr
    assert project.build().ok and "Claims" in project.page("tg/")


def test_translation_without_its_original(site_factory):
    project = site_factory(base=bilingual_fixture.FILES,
                           files={"claims/no-such-claim.fa.md": "---\ntitle: هیچ\n---\n"})
    result = project.check()
    assert ("content/claims/no-such-claim.fa.md", 1, "orphan-translation") in codes(result)
    assert not result.ok


def test_two_files_for_one_translation(site_factory):
    project = site_factory(base=bilingual_fixture.FILES,
                           files={"claims/UAV-pilots.fa.md": "---\ntitle: دو\n---\n"})
    result = project.check()
    found = [d for d in result.diagnostics if d.code in ("duplicate-slug",
                                                          "duplicate-translation")]
    assert len(found) == 1 and "uav-pilots.fa.md" in found[0].message.lower()
    assert not result.ok


def test_a_translation_may_not_change_a_fact(site_factory):
    text = "---\ntitle: ایران\nrating: \"true\"\n---\n"
    result = site_factory(base=bilingual_fixture.FILES,
                          files={"claims/weapons.fa.md": text}).check()
    assert ("content/claims/weapons.fa.md", 3, "not-translatable") in codes(result)
    verbatim = "---\ntitle: ایران\nstatement: ما می‌توانیم\n---\n"
    result = site_factory(base=bilingual_fixture.FILES,
                          files={"claims/uav-pilots.fa.md": verbatim}).check()
    found = [d for d in result.diagnostics if d.code == "not-translatable"]
    assert found and found[0].line == 3 and "translation" in found[0].hint


def test_check_warns_when_the_original_changed_after_its_translation(site_factory):
    project = site_factory(base=bilingual_fixture.FILES)
    first = project.check()
    assert not [d for d in first.diagnostics if d.code == "translation-outdated"]
    path = project.content / "claims" / "uav-pilots.fa.md"
    path.write_text(path.read_text().replace("---\ntitle:",
                                             "---\ntranslated_from: \"sha256:0\"\ntitle:"))
    found = [d for d in project.check().diagnostics if d.code == "translation-outdated"]
    assert len(found) == 1 and found[0].line == 2 and not found[0].is_error
    digest = re.search(r'translated_from: "(sha256:[0-9a-f]+)"', found[0].hint)[1]
    path.write_text(path.read_text().replace("sha256:0", digest))
    assert not [d for d in project.check().diagnostics if d.code == "translation-outdated"]
    # A change to a fact (not translated) leaves the translation current …
    edit(project, "claims/uav-pilots.md", "date: 2022-10-20", "date: 2022-10-19")
    assert not [d for d in project.check().diagnostics if d.code == "translation-outdated"]
    # … a change to the words it translates does not.
    edit(project, "claims/uav-pilots.md", "No evidence was presented.", "None was shown.")
    assert [d.code for d in project.check().diagnostics].count("translation-outdated") == 1


def test_strict_check_warns_about_a_catalog_missing_a_string(tmp_path):
    from generator.i18n import untranslated
    from tests.conftest import ROOT

    layer = tmp_path / "theme"
    (layer / "locale" / "fa" / "LC_MESSAGES").mkdir(parents=True)
    pot = (ROOT / "templates" / "locale" / "messages.pot").read_text(encoding="utf-8")
    (layer / "locale" / "messages.pot").write_text(pot, encoding="utf-8")
    po = (ROOT / "templates" / "locale" / "fa" / "LC_MESSAGES" / "messages.po") \
        .read_text(encoding="utf-8")
    po = po.replace('msgid "Languages"\nmsgstr "زبان‌ها"', 'msgid "Languages"\nmsgstr ""')
    (layer / "locale" / "fa" / "LC_MESSAGES" / "messages.po").write_text(po, encoding="utf-8")
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (layer / "locale" / "fa" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="fa")
    with (layer / "locale" / "fa" / "LC_MESSAGES" / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    where, missing = untranslated([layer], "fa")
    assert missing == ["Languages"] and where is not None and where.name == "messages.po"
    assert untranslated([ROOT / "templates"], "fa")[1] == []
    assert untranslated([layer], "en") == (None, [])


def test_new_starts_a_translation_that_checks_clean(bilingual):
    made = bilingual.cli("new", "claim", "ایران سلاح می‌فرستد", "--lang", "fa",
                         "--translation-of", "content/claims/weapons.md")
    assert made.returncode == 0, made.stderr
    path = bilingual.content / "claims" / "weapons.fa.md"
    assert made.stdout.strip() == "content/claims/weapons.fa.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "ایران سلاح می‌فرستد"' in text
    assert '# rating_explanation: ""  # translate: "The evidence says otherwise."' in text
    result = bilingual.check()
    assert result.ok and not [d for d in result.diagnostics
                              if d.code == "translation-outdated"]
    assert build(bilingual.options()).ok
    assert bilingual.page("fa/claims/weapons/").count("ایران سلاح می‌فرستد") >= 2
    # A verbatim statement is offered for 'translation', never for 'statement'.
    again = bilingual.cli("new", "claim", "عنوان", "--lang", "fa", "--translation-of",
                          "content/claims/uav-pilots.md")
    assert again.returncode == 1 and "duplicate-translation" in again.stderr
    wrong = bilingual.cli("new", "claim", "x", "--lang", "ru", "--translation-of",
                          "content/claims/weapons.md")
    assert wrong.returncode == 1 and "unknown-language" in wrong.stderr \
        and "languages: [en, fa, ru]" in wrong.stderr
    (bilingual.content / "denials" / "iran-denial.fa.md").unlink()
    denial = bilingual.cli("new", "denial", "ایران تکذیب می‌کند", "--lang", "fa",
                           "--translation-of", "content/denials/iran-denial.md")
    assert denial.returncode == 0, denial.stderr
    text = (bilingual.content / "denials" / "iran-denial.fa.md").read_text(encoding="utf-8")
    assert '# translation: ""  # ours, of the verbatim words: "We have not supplied' in text
    assert "\nquote" not in text


def test_every_date_on_a_persian_page_is_written_in_persian(bilingual):
    """Cards, timelines and bylines alike: a date is the locale's (its month names, with
    the digits Babel gives), never the English form beside Persian text."""
    times = 0
    for rel in pages(bilingual):
        if not rel.startswith("fa/"):
            continue
        for time in BeautifulSoup((bilingual.out / rel).read_text(encoding="utf-8"),
                                  "html.parser").select("time"):
            times += 1
            assert not re.search(r"[A-Za-z]", time.get_text()), (rel, str(time))
    assert times > 0


def test_every_edition_searches_the_one_index_at_the_site_root(bilingual):
    """/fa/search/ loads the site root's pagefind/ (one index, a language each inside it)
    and gives Pagefind the site root, where the indexed URLs start."""
    manifests = set()
    for page in ("search/", "fa/search/"):
        form = soup(bilingual, page).select_one("form#search")
        assert (form["data-root"], form["data-bundles"]) == ("/", "/pagefind/"), page
        manifests.add(local(bilingual, form["data-bundles"] + "shards.json"))
    (manifest,) = manifests
    assert manifest.is_file() and not (bilingual.out / "fa" / "pagefind").exists()
