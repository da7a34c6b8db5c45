"""Right-to-left and mixed scripts: Persian quotes inside English pages, Russian and Tajik
Cyrillic, Unicode file names, BOM and CRLF files, and readable slugs from ``factcheck new``.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from generator.fields import SLUG_RE, unsafe_path
from generator.new import make_slug
from generator.read import parse_entry
from generator.render import text_dir
from generator.validate import validate_entry
from tests.conftest import PYTHON, ROOT, Project
from tests.test_xss import CHROMIUM_ARGS, served  # noqa: F401  (fixture)

PERSIAN_QUOTE = "ایران هیچ سلاحی برای استفاده در جنگ اوکراین به روسیه نداده و نخواهد داد."
TAJIK_QUOTE = "Тоҷикистон ба Русия ҳеҷ гуна ҳавопаймоҳои бесарнишин намефиристад."
RUSSIAN_TITLE = "Таджикистан поставляет дроны России"
PERSIAN_NAME = "وزارت امور خارجه ایران"

UNICODE_FILES = {
    "actors/وزارت-امور-خارجه.md": f"""\
        ---
        name: {PERSIAN_NAME}
        name_language: fa
        kind: ministry
        ---
        """,
    "actors/мид-таджикистана.md": """\
        ---
        name: Министерство иностранных дел Таджикистана
        name_language: ru
        kind: ministry
        ---
        """,
    "claims/таджикистан-дроны.md": f"""\
        ---
        title: {RUSSIAN_TITLE}
        statement: Таджикистан поставляет России беспилотники иранской разработки.
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: Нет доказательств.
        evidence: none
        countries: [TJ, RU, IR]
        reviewed: 2026-11-27
        ---
        См. [опровержение](../denials/тоҷикистон-рад-мекунад.md).
        """,
    "denials/тоҷикистон-рад-мекунад.md": f"""\
        ---
        title: Тоҷикистон рад мекунад
        actor: мид-таджикистана
        quote: {TAJIK_QUOTE}
        quote_language: tg
        answers: [таджикистан-дроны]
        sources: [kirby-remarks]
        ---
        """,
    "denials/انکار-ایران.md": f"""\
        ---
        title: Iran's foreign ministry denies
        actor: وزارت-امور-خارجه
        quote: {PERSIAN_QUOTE}
        quote_language: fa
        answers: [uav-pilots]
        sources: [denial-statement]
        ---
        Issued by [{PERSIAN_NAME}](../actors/وزارت-امور-خارجه.md).
        """,
}


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(("language", "direction"), [
    ("fa", "rtl"), ("fa-IR", "rtl"), ("ar", "rtl"), ("he", "rtl"), ("ur", "rtl"),
    ("ru", "ltr"), ("tg", "ltr"), ("tg-Cyrl", "ltr"), ("en", "ltr")])
def test_text_direction_by_language(language: str, direction: str):
    assert text_dir(language) == direction


def test_unicode_file_names_and_titles_build(site_factory):
    project: Project = site_factory(files=UNICODE_FILES)
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    persian = soup(project.page("denials/انکار-ایران"))
    block = persian.select_one("blockquote.quote")
    assert block is not None
    assert (block["lang"], block["dir"]) == ("fa", "rtl")
    assert block.get_text(strip=True) == PERSIAN_QUOTE
    html = persian.html
    assert html is not None and html["lang"] == "en" and html.get("dir", "ltr") == "ltr"
    author = persian.find("a", string=PERSIAN_NAME)
    assert author is not None and (author["lang"], author["dir"]) == ("fa", "rtl")
    assert author["href"] == "/actors/وزارت-امور-خارجه/"

    tajik = soup(project.page("denials/тоҷикистон-рад-мекунад")).select_one("blockquote.quote")
    assert tajik is not None
    assert (tajik["lang"], tajik["dir"]) == ("tg", "ltr")
    assert tajik.get_text(strip=True) == TAJIK_QUOTE

    claim = soup(project.page("claims/таджикистан-дроны"))
    assert claim.h1 is not None and claim.h1.get_text() == RUSSIAN_TITLE
    assert claim.find("a", href="/denials/тоҷикистон-рад-мекунад/") is not None
    actor = soup(project.page("actors/وزارت-امور-خارجه"))
    assert actor.h1 is not None and actor.h1["dir"] == "rtl"


def test_bom_and_crlf_files_build_with_the_right_lines(site_factory):
    project: Project = site_factory()
    claim = project.content / "claims" / "uav-pilots.md"
    text = claim.read_text(encoding="utf-8")
    claim.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    site = project.content / "site.yaml"
    site.write_bytes(b"\xef\xbb\xbf" + site.read_bytes().replace(b"\n", b"\r\n"))
    old_mac = project.content / "pages" / "corrections.md"
    old_mac.write_bytes(old_mac.read_bytes().replace(b"\n", b"\r"))
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    page = soup(project.page("claims/uav-pilots"))
    assert page.h1 is not None and page.h1.get_text() == \
        "Russian personnel in Crimea pilot Iranian UAVs"
    assert "\r" not in project.page("claims/uav-pilots")

    claim.write_bytes(b"\xef\xbb\xbf" + text.replace("evidence: none", "evidense: none")
                      .replace("\n", "\r\n").encode("utf-8"))
    found = [(d.line, d.code) for d in project.check().diagnostics if d.is_error]
    assert (10, "unknown-field") in found and (1, "unknown-field") not in found


def test_decomposed_file_names_publish_composed_urls(site_factory):
    """macOS writes file names decomposed (NFD); URLs and links use the composed form."""
    project: Project = site_factory(files={
        "claims/uav-pilots.md": """\
            ---
            title: Russian personnel in Crimea pilot Iranian UAVs
            statement: We can confirm it.
            claimant: josé
            sources: [kirby-remarks]
            rating: unsubstantiated
            rating_explanation: No evidence was presented.
            evidence: none
            reviewed: 2026-11-27
            ---
            """})
    name = unicodedata.normalize("NFD", "josé") + ".md"
    (project.content / "actors" / name).write_text("---\nname: José\nkind: person\n---\n",
                                                   encoding="utf-8")
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    composed = unicodedata.normalize("NFC", "josé")
    assert (project.out / "actors" / composed / "index.html").is_file()
    assert soup(project.page("claims/uav-pilots")).find("a", href=f"/actors/{composed}/")


@pytest.mark.parametrize(("title", "expected"), [
    ("Таджикистан поставляет дроны России", "tadzhikistan-postavliaet-drony-rossii"),
    ("Тоҷикистон ба Русия ҳавопаймо намефиристад", "tochikiston-ba-rusiia-khavopaimo-namefiristad"),
    ("ایران به روسیه پهپاد نمی‌دهد", "ایران-به-روسیه-پهپاد-نمیدهد"),
    ("إيران تنفي", "إيران-تنفي"),
    ("Iran: «no drones» — 2022/10", "iran-no-drones-2022-10"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_new_makes_readable_safe_slugs(title: str, expected: str):
    slug = make_slug(title)
    assert slug == expected
    assert SLUG_RE.match(slug) and slug == slug.lower() and not unsafe_path(slug)


def test_new_command_writes_a_valid_file_name(tmp_path: Path):
    titles = {"claim": "Таджикистан поставляет дроны", "denial": "ایران انکار می‌کند",
              "actor": "Вазорати корҳои хориҷӣ"}
    for kind, title in titles.items():
        result = subprocess.run([PYTHON, "-m", "generator", "new", kind, title], cwd=tmp_path,
                                env={**os.environ, "PYTHONPATH": str(ROOT)},
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        path = Path(tmp_path, result.stdout.strip())
        assert path.is_file() and path.read_text(encoding="utf-8").count(title) == 1
        folder = path.parent.name
        raw, problems = parse_entry(folder, path.stem, str(path), f"{folder}/{path.name}",
                                    path.read_bytes())
        assert raw is not None, problems
        _, problems = validate_entry(raw)
        assert not [d for d in problems if d.code in ("invalid-slug", "unsafe-path")]
    bad = subprocess.run([PYTHON, "-m", "generator", "new", "claim", "🙂"], cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "slug" in bad.stderr


@pytest.mark.browser
def test_rtl_quote_direction_and_unicode_links_in_chromium(site_factory, served):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed")
    base_url, root = served
    project: Project = site_factory(files=UNICODE_FILES)
    assert project.build(out=root).ok
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base_url}/denials/")
        # Follow the site's own Unicode link, as a reader would.
        page.click("text=Iran's foreign ministry denies")
        page.wait_for_load_state("load")
        assert "/denials/" + quote("انکار-ایران") in page.url
        quote_direction = page.eval_on_selector(
            "blockquote.quote", "el => getComputedStyle(el).direction")
        body_direction = page.evaluate("getComputedStyle(document.body).direction")
        assert (quote_direction, body_direction) == ("rtl", "ltr")
        assert page.inner_text("blockquote.quote").strip() == PERSIAN_QUOTE
        name_direction = page.eval_on_selector(
            f"a[lang=fa]:text('{PERSIAN_NAME}')", "el => getComputedStyle(el).direction")
        assert name_direction == "rtl"

        page.goto(f"{base_url}/claims/")
        page.click(f"text={RUSSIAN_TITLE}")
        page.wait_for_load_state("load")
        assert page.inner_text("h1") == RUSSIAN_TITLE
        page.click("text=опровержение")
        page.wait_for_load_state("load")
        tajik = page.eval_on_selector("blockquote.quote",
                                      "el => [el.lang, getComputedStyle(el).direction]")
        assert tajik == ["tg", "ltr"]
        assert re.sub(r"\s+", " ", page.inner_text("blockquote.quote")).strip() == TAJIK_QUOTE
        browser.close()
