"""The real tools publishers are judged by, run on real builds.

The shipped ``content/`` and a fixture site with every entry kind and relation are each
built at a domain root (``https://example.org/``) and under a subpath
(``https://example.org/factcheck/``), served by a real HTTP server on 127.0.0.1 at the
same path, and checked with: the W3C Nu HTML Checker (vnu), LinkChecker with anchors,
extruct (ClaimReview), feedparser (Atom), a sitemaps.org structure check, and headless
Chromium with axe-core. A test is skipped only when its tool is missing on this machine;
``.ci/install-publishing.sh`` installs them all in CI.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import Options, build
from generator.feeds import FEED_LIMIT
from tests import publishing_fixture
from tests.conftest import ROOT, TEMPLATES

TOOLS = Path(os.environ.get("FACTCHECK_TOOLS", "/opt/factcheck-tools"))
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BASES = {"root": "https://example.org/", "subpath": "https://example.org/factcheck/"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
CLAIMREVIEW_KEYS = {"@context", "@type", "url", "claimReviewed", "inLanguage", "reviewRating",
                    "author", "datePublished", "dateModified", "itemReviewed"}
RATING_KEYS = {"@type", "alternateName", "ratingValue", "bestRating", "worstRating", "name",
               "ratingExplanation"}


@dataclass(frozen=True)
class Built:
    site: str
    """``shipped`` or ``fixture``."""
    layout: str
    """``root`` or ``subpath``."""
    content: Path
    out: Path
    """The built site; for ``subpath``, ``serve_root / "factcheck"``."""
    serve_root: Path

    @property
    def base_url(self) -> str:
        return BASES[self.layout]

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def html_files(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def claim_pages(self) -> list[Path]:
        return sorted((self.out / "claims").glob("*/index.html"))

    def file_for(self, url: str) -> Path:
        """The file a public URL of this build maps to (``…/`` → ``…/index.html``)."""
        assert url.startswith(self.base_url), url
        rel = url[len(self.base_url):].split("#")[0]
        return self.out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)

    def url_of(self, file: Path) -> str:
        rel = file.relative_to(self.out).as_posix()
        return self.base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Built]:
    """Four builds: {shipped, fixture} × {root, subpath}."""
    root = tmp_path_factory.mktemp("publishing")
    contents = {"shipped": ROOT / "content",
                "fixture": publishing_fixture.write(root / "fixture-content")}
    result = {}
    for site, content in contents.items():
        for layout, base_url in BASES.items():
            serve_root = root / f"{site}-{layout}"
            out = serve_root / "factcheck" if layout == "subpath" else serve_root
            built = build(Options(content=content, templates=TEMPLATES, out=out,
                                  base_url=base_url))
            assert built.ok, [d.format() for d in built.diagnostics]
            result[(site, layout)] = Built(site, layout, content, out, serve_root)
    return result


BUILD_IDS = [("shipped", "root"), ("shipped", "subpath"), ("fixture", "root"),
             ("fixture", "subpath")]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # Tells LinkChecker it may crawl this host without its default rate limit.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) serving ``root``; yields its origin."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- W3C Nu HTML Checker ----------------------------------------------------------------

def test_vnu_reports_no_error_on_any_page(builds, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip(f"vnu needs java and {VNU} (bash .ci/install-publishing.sh)")
    # The shipped content as configured (base_url "/", no domain) too: its head differs.
    plain = tmp_path / "plain"
    assert build(Options(content=ROOT / "content", templates=TEMPLATES, out=plain)).ok
    files = [str(p) for b in builds.values() for p in sorted(b.out.rglob("*"))
             if p.suffix in (".html", ".css", ".svg")]
    files += [str(p) for p in sorted(plain.rglob("*.html"))]
    assert len(files) > 300
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--also-check-css", "--also-check-svg", *files],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in report["messages"]]
    assert errors == []
    assert run.returncode == 0


# --- LinkChecker ------------------------------------------------------------------------

LINKCHECKER = """\
import sys
import linkcheck.command.linkchecker as command
# As root, LinkChecker switches to the user 'nobody', who cannot read a Python installed
# under /root: it then loads no plugin at all, silently (so no anchor check). Stay as we are.
command.drop_privileges = lambda: None
sys.argv[0] = "linkchecker"
sys.exit(command.linkchecker())
"""


def run_linkchecker(start: list[str], workdir: Path, *options: str) -> list[dict[str, str]]:
    """LinkChecker's CSV rows: one per URL, with the page it was first found on."""
    config = workdir / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\nthreads=4\n"
                      "[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", LINKCHECKER, "--config", str(config), "--output", "csv",
         "--verbose", "--no-status", "--ignore-url", r"^https?://(?!127\.0\.0\.1[:/])",
         *options, *start],
        capture_output=True, text=True, timeout=300, cwd=workdir)
    lines = [line for line in run.stdout.splitlines() if not line.startswith("# ")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    assert rows, run.stderr[-2000:]
    return rows


def share_mail(row: dict[str, str]) -> bool:
    """A share-by-e-mail link (``mailto:?subject=…``, no address; RFC 6068) that LinkChecker
    misreads: it decodes %26 before splitting the query, so a title holding "&" looks broken
    to it. tests/test_sharing.py parses these links instead; links with an address are
    still checked here."""
    return row["urlname"].startswith("mailto:?subject=") and row["valid"] == "True"


@pytest.mark.parametrize("key", BUILD_IDS, ids=["-".join(k) for k in BUILD_IDS])
def test_linkchecker_finds_no_broken_link_or_anchor(builds, key, tmp_path):
    pytest.importorskip("linkcheck", reason="LinkChecker is in the test extra")
    built = builds[key]
    with serve(built.serve_root) as origin:
        home = origin + built.base_path
        rows = run_linkchecker([home], tmp_path)
        # 404.html (one per language) is linked from nowhere, by design: check its own links
        # separately.
        missing = [home + p.relative_to(built.out).as_posix()
                   for p in sorted(built.out.rglob("404.html"))]
        rows_404 = run_linkchecker(missing, tmp_path, "--recursion-level", "1")
    problems = [f"{r['parentname']}:{r['line']}: {r['urlname']}: {r['result']} "
                f"{r['warningstring']}" for r in rows + rows_404
                if (r["valid"] != "True" or r["warningstring"]) and not share_mail(r)]
    assert problems == []
    # Every page is reachable by links from the home page: walk the tree of first finds.
    links: dict[str, set[str]] = {}
    for r in rows:
        links.setdefault(r["parentname"].split("#")[0], set()).add(r["url"].split("#")[0])
    reached, todo = {home}, [home]
    while todo:
        for target in links.get(todo.pop(), ()):
            if target.startswith(origin) and target not in reached:
                reached.add(target)
                todo.append(target)
    files = {u + "index.html" if u.endswith("/") else u for u in reached}
    pages = {origin + built.base_path + f.relative_to(built.out).as_posix()
             for f in built.html_files()}
    assert sorted(p for p in pages - files if not p.endswith("/404.html")) == []
    anchors = [r for r in rows if "#" in r["urlname"] and r["url"].startswith(origin)]
    assert anchors, "no in-page anchor was checked"


def test_linkchecker_reports_a_missing_anchor(tmp_path):
    """The check above can fail: a broken anchor and a dead link are both reported."""
    pytest.importorskip("linkcheck", reason="LinkChecker is in the test extra")
    site = tmp_path / "factcheck"
    site.mkdir()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title><h1 id="top">t</h1>'
        '<a href="#top">ok</a> <a href="#nowhere">bad</a> <a href="gone/">dead</a>',
        encoding="utf-8")
    with serve(tmp_path) as origin:
        rows = run_linkchecker([origin + "/factcheck/"], tmp_path)
    bad = {r["urlname"]: (r["valid"], r["warningstring"]) for r in rows}
    assert bad["#top"] == ("True", "")
    assert "not found" in bad["#nowhere"][1]
    assert bad["gone/"][0] == "False"


# --- extruct: ClaimReview ---------------------------------------------------------------

def visible(html: str, css_class: str) -> str:
    from bs4 import BeautifulSoup

    node = BeautifulSoup(html, "html.parser").select_one(css_class)
    return node.get_text(" ", strip=True) if node else ""


@pytest.mark.parametrize("key", BUILD_IDS, ids=["-".join(k) for k in BUILD_IDS])
def test_extruct_finds_one_complete_claimreview_per_claim_page(builds, key):
    extruct = pytest.importorskip("extruct", reason="extruct is in the test extra")
    built = builds[key]
    pages = built.claim_pages()
    assert pages
    # the shipped organisation has no URL of its own: the site's home page stands for it
    organisation_url = "https://example.org/" if built.site == "fixture" else built.base_url
    for page in pages:
        html = page.read_text(encoding="utf-8")
        url = built.url_of(page)
        found = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
        reviews = [d for d in found["json-ld"] if d.get("@type") == "ClaimReview"]
        assert len(reviews) == 1, url
        review = reviews[0]
        assert review.keys() >= CLAIMREVIEW_KEYS, (url, CLAIMREVIEW_KEYS - review.keys())
        assert review["url"] == url
        assert review["claimReviewed"] == visible(html, "h1")
        assert 0 < len(review["claimReviewed"]) <= 75
        rating = review["reviewRating"]
        assert rating.keys() >= RATING_KEYS, (url, RATING_KEYS - rating.keys())
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == rating["name"] == visible(html, ".verdict-label")
        assert rating["ratingExplanation"] == visible(html, ".verdict-why")
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["author"]["@type"] == "Organization" and review["author"]["name"]
        assert review["author"].get("url") == organisation_url
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
        assert review["dateModified"] >= review["datePublished"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["@type"] in ("Person", "Organization") and item["author"]["name"]
        assert item["appearance"] and item["firstAppearance"] == item["appearance"][0]
        for work in item["appearance"]:
            assert work["@type"] == "CreativeWork" and work["name"]
    if built.site == "fixture":
        html = (built.out / "claims" / "script-breaker" / "index.html").read_text("utf-8")
        review = extruct.extract(html, syntaxes=["json-ld"])["json-ld"][0]
        assert review["claimReviewed"] == 'A claim with </script><!-- & "quotes" in it'
        assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "علی رضایی",
                                                    "jobTitle": "spokesman"}
        assert review["itemReviewed"]["datePublished"] == "2022-11"
        assert review["itemReviewed"]["firstAppearance"] == {
            "@type": "CreativeWork", "name": 'A web report <with> "markup" & ampersands',
            "url": "https://example.com/report?a=1&b=2", "datePublished": "2022-10-21"}


# --- feedparser and the sitemap ---------------------------------------------------------

@pytest.mark.parametrize("key", BUILD_IDS, ids=["-".join(k) for k in BUILD_IDS])
def test_feeds_parse_and_link_to_existing_pages(builds, key):
    feedparser = pytest.importorskip("feedparser", reason="feedparser is in the test extra")
    built = builds[key]
    feeds = [built.out / "feed.xml", *sorted((built.out / "tags").glob("*/feed.xml"))]
    assert len(feeds) > 1
    claims = {built.url_of(p) for p in built.claim_pages()}
    for feed_file in feeds:
        parsed = feedparser.parse(feed_file.read_bytes())
        assert parsed.bozo == 0, (feed_file, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.link == built.base_url
        assert parsed.entries
        for entry in parsed.entries:
            assert entry.link in claims
            assert built.file_for(entry.link).is_file()
            assert entry.id == entry.link
            assert entry.updated_parsed and entry.title and entry.summary
    site_feed = feedparser.parse((built.out / "feed.xml").read_bytes())
    assert len(site_feed.entries) == min(len(claims), FEED_LIMIT)
    # Autodiscovery on every page points to its language's feed, which exists (the shipped
    # case has a Persian edition under fa/, with its own feed).
    editions = [d.name + "/" for d in built.out.iterdir() if (d / "feed.xml").is_file()]
    for page in built.html_files():
        rel = page.relative_to(built.out).as_posix()
        prefix = next((e for e in editions if rel.startswith(e)), "")
        assert (built.out / prefix / "feed.xml").is_file()
        assert f'href="{built.base_path}{prefix}feed.xml"' in page.read_text(encoding="utf-8"), \
            page


@pytest.mark.parametrize("key", BUILD_IDS, ids=["-".join(k) for k in BUILD_IDS])
def test_sitemap_is_wellformed_and_lists_every_public_page(builds, key):
    built = builds[key]
    data = (built.out / "sitemap.xml").read_bytes()
    assert len(data) < 50 * 1024 * 1024
    root = ET.fromstring(data)
    assert root.tag == f"{SITEMAP_NS}urlset"
    locs = []
    for url in root:
        assert url.tag == f"{SITEMAP_NS}url"
        children = {child.tag: child.text for child in url}
        assert set(children) <= {f"{SITEMAP_NS}{n}" for n in
                                 ("loc", "lastmod", "changefreq", "priority")} | {XHTML_LINK}
        for link in url.findall(XHTML_LINK):  # a multilingual site's alternates
            assert link.get("rel") == "alternate" and link.get("hreflang")
            assert built.file_for(link.get("href")).is_file()
        loc = children[f"{SITEMAP_NS}loc"]
        assert loc and len(loc) < 2048 and loc.startswith(built.base_url)
        lastmod = children.get(f"{SITEMAP_NS}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", lastmod)
        assert built.file_for(loc).is_file(), loc
        locs.append(loc)
    assert 0 < len(locs) <= 50_000 and len(locs) == len(set(locs))
    public = {built.url_of(p) for p in built.html_files() if p.name != "404.html"
              and '<meta name="robots" content="noindex">' not in p.read_text(encoding="utf-8")}
    assert set(locs) == public
    robots = (built.out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {built.base_url}sitemap.xml" in robots.splitlines()


# --- headless Chromium and axe-core -----------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("site", ["shipped", "fixture"])
def test_chromium_loads_pages_cleanly_and_axe_finds_no_serious_violation(builds, site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    if not CHROMIUM.is_file() or not AXE.is_file():
        pytest.skip(f"needs {CHROMIUM} and {AXE} (bash .ci/install-publishing.sh)")
    built = builds[(site, "subpath")]
    paths = [built.out / "index.html", *built.claim_pages()]
    if site == "shipped":  # the case map: inline SVG, a wide table, a timeline
        paths += [built.out / p for p in ("cases/index.html", "cases/iran-arms-russia/index.html",
                                          "actors/john-kirby/index.html")]
        # The Persian edition: home, a translated claim and denial (an English quote beside
        # our Persian translation), an untranslated page shown in English with its note.
        paths += [built.out / "fa" / p for p in (
            "index.html", "claims/russian-personnel-crimea-pilot-iranian-uavs/index.html",
            "denials/iran-foreign-ministry-denial/index.html", "ratings/index.html",
            "actors/john-kirby/index.html")]
    if site == "fixture":  # beyond the claims: one of every other template
        paths += [built.out / p for p in ("claims/page/2/index.html", "denials/index.html",
                                          "denials/persian-denial/index.html",
                                          "sources/web-report/index.html",
                                          "actors/ali-spokesman/index.html", "ratings/index.html",
                                          "tags/index.html", "methodology/index.html")]
    problems: list[str] = []
    with serve(built.serve_root) as origin, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)
        for path in paths:
            url = origin + built.base_path + path.relative_to(built.out).as_posix()
            page.goto(url, wait_until="load")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            problems += [f"{url}: axe {v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
                         for v in result["violations"] if v["impact"] in ("serious", "critical")]
        browser.close()
    assert problems == []
