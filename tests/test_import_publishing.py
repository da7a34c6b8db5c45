"""Acceptance: an imported site is publishable. Fixture files in every format (Google Fact
Check Tools JSON, ClaimReview in an HTML page and in a DataFeed, a scraper's CSV and our
own claims.csv), with Arabic, Persian and Russian records, missing fields, multi-review
claims and messy ratings, are imported; the project passes ``factcheck check``; its build
passes the W3C HTML checker (vnu), LinkChecker and the structured-data checks, with
ClaimReview attributed as decided: one per claim page with a review of our own, none on a
third-party claim's page, and third-party reviews in ``data/claimreview.json`` only with a
licence, as their own publisher's (original author, URL and sdLicense).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import Options, build
from tests.importing_helpers import DATA, SITE_YAML, do_import, project
from tests.test_validators import (
    CLAIMREVIEW_KEYS,
    VNU,
    run_linkchecker,
    serve,
    visible,
)

ROOT = Path(__file__).resolve().parent.parent
FILES = ("google.json", "claimreview.html", "feed.json", "scraped.csv", "own.csv")
BASE = "https://example.org/"
MORE_RULES = """\
  - {match: "Correct", rating: mostly-accurate, publisher: Full Fact}
  - {match: "نادرست", rating: inaccurate}
  - {match: "ФЕЙК", rating: inaccurate}
"""
"""The fixtures' remaining ratings mapped, so that every claim is published and checked."""
OWN_CLAIM = "iran-drones-shipped"
LICENSED = {  # review URL → (publisher, licence), as the fixture files give them
    "https://factcheck.example/reviews/kirby-crimea":
        ("Example Checks", "https://creativecommons.org/licenses/by/4.0/"),
    "https://factnameh.com/fact-checks/2022-11-03-drone-deal":
        ("Factnameh", "https://creativecommons.org/licenses/by-sa/4.0/"),
}


@dataclass(frozen=True)
class Site:
    root: Path
    out: Path
    report: object


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    tmp = tmp_path_factory.mktemp("imported")
    root = project(tmp, SITE_YAML + MORE_RULES)
    report, problems = do_import(root, *(DATA / name for name in FILES))
    # the fixture's bad records are named and skipped; everything else came in, published
    assert (report.records, report.counts["claims"]["created"], report.drafts) == (12, 11, 0)
    assert {d.code for d in problems if d.is_error} == {
        "missing-claim-text", "impossible-date", "invalid-date", "unsafe-url"}
    out = tmp / "serve"
    result = build(Options(content=root / "content", out=out, base_url=BASE,
                           cache_dir=tmp / "cache", jobs=1))
    assert result.ok, [d.format() for d in result.diagnostics]
    return Site(root, out, report)


def test_the_imported_project_passes_check(site):
    done = subprocess.run([sys.executable, "-m", "generator", "check", "-q"], cwd=site.root,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "error[" not in done.stderr
    # and every script came through: Arabic, Persian, Russian claims have pages
    titles = {visible(p.read_text("utf-8"), "h1")
              for p in (site.out / "claims").glob("*/index.html")}
    assert {"إيران لا ترسل أي أسلحة إلى روسيا", "Таджикистан производит иранские "
            "беспилотники для России", "ایران پهپادهای شاهد را به روسیه فروخته است"} <= titles


def test_vnu_finds_no_error_on_the_imported_site(site):
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip(f"vnu needs java and {VNU} (bash .ci/install-publishing.sh)")
    files = [str(p) for p in sorted(site.out.rglob("*")) if p.suffix in (".html", ".css",
                                                                         ".svg")]
    assert len(files) > 40
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--also-check-css", "--also-check-svg", *files],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    assert [f"{m['url']}:{m.get('lastLine')}: {m['message']}"
            for m in report["messages"]] == []
    assert run.returncode == 0


def test_linkchecker_finds_no_broken_link_on_the_imported_site(site, tmp_path):
    pytest.importorskip("linkcheck", reason="LinkChecker is in the test extra")
    with serve(site.out) as origin:
        rows = run_linkchecker([origin + "/"], tmp_path)
    problems = [f"{r['parentname']}:{r['line']}: {r['urlname']}: {r['result']} "
                f"{r['warningstring']}" for r in rows
                if r["valid"] != "True" or r["warningstring"]]
    assert problems == []
    checked = {r["url"] for r in rows}
    # the crawl went through the publishers' pages to the claims they reviewed
    assert origin + "/actors/misbar/" in checked and origin + "/actors/factnameh/" in checked
    assert len([u for u in checked if "/claims/" in u]) >= 11


def _claimreviews(html: str, url: str) -> list[dict]:
    extruct = pytest.importorskip("extruct", reason="extruct is in the test extra")
    found = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    return [d for d in found["json-ld"] if d.get("@type") == "ClaimReview"]


def test_claimreview_only_on_pages_of_our_own_reviews(site):
    pages = sorted((site.out / "claims").glob("*/index.html"))
    own, third_party = [], []
    for page in pages:
        html = page.read_text("utf-8")
        url = BASE + page.parent.relative_to(site.out).as_posix() + "/"
        reviews = _claimreviews(html, url)
        if "review-card" in html:  # another publisher's verdict: theirs, no markup of ours
            assert reviews == [] and "application/ld+json" not in html, url
            third_party.append(url)
        else:
            assert len(reviews) == 1, url
            review = reviews[0]
            assert review.keys() >= CLAIMREVIEW_KEYS, (url, CLAIMREVIEW_KEYS - review.keys())
            assert review["url"] == url and review["author"]["name"] == "Our Desk"
            assert review["reviewRating"]["alternateName"] == visible(html, ".verdict-label")
            own.append(url)
    assert own == [f"{BASE}claims/{OWN_CLAIM}/"]
    assert len(third_party) == 10


def test_the_data_feed_holds_licensed_third_party_reviews_as_their_publishers(site):
    feed = json.loads((site.out / "data" / "claimreview.json").read_text("utf-8"))
    items = [item for element in feed["dataFeedElement"] for item in element["item"]]
    ours = [i for i in items if i["author"]["name"] == "Our Desk"]
    theirs = {i["url"]: (i["author"]["name"], i["sdLicense"]) for i in items
              if i not in ours}
    assert [i["url"] for i in ours] == [f"{BASE}claims/{OWN_CLAIM}/"]
    assert theirs == LICENSED
    for item in items:
        if item not in ours:  # their verdict in their words, never a value of our scale
            assert not item["url"].startswith(BASE)
            assert set(item["reviewRating"]) == {"@type", "alternateName", "name"}
    # the Persian review keeps its language; the unlicensed Russian one is left out
    persian = next(i for i in items if "factnameh" in i["url"])
    assert persian["inLanguage"] == "fa" and persian["reviewRating"]["name"] == "مضلل"
    assert not any("provereno" in i["url"] for i in items)
