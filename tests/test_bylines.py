"""Bylines (issue 14, point 6): who wrote and who reviewed a fact-check, on the page under
the verdict and in its ClaimReview, and the IFCN-minded warning when site.yaml asks for them.
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup

from generator.jsonld import claim_review
from tests.conftest import MINIMAL, SITE_YAML
from tests.test_shipped import CONTENT

BASE = "https://example.org/factcheck/"
BYLINED = MINIMAL["claims/uav-pilots.md"].replace(
    "reviewed: 2026-11-27\n", "reviewed: 2026-11-27\n"
    "        author: [john-kirby, Jane Doe]\n        reviewed_by: Sam Editor\n")


def test_bylines_under_the_verdict_with_actor_slugs_linked(site_factory):
    result = site_factory({"claims/uav-pilots.md": BYLINED}).build(base_url=BASE)
    assert result.ok, [d.format() for d in result.diagnostics]
    soup = BeautifulSoup(result.files["claims/uav-pilots/index.html"], "html.parser")
    byline = soup.select_one(".verdict + .byline")  # right under the verdict
    assert byline is not None
    assert byline.select_one(".byline-author").get_text() == "By John Kirby, Jane Doe"
    assert [a["href"] for a in byline.select("a")] == ["/factcheck/actors/john-kirby/"]
    assert byline.select_one(".byline-reviewer").get_text() == "Reviewed by Sam Editor"
    other = BeautifulSoup(result.files["claims/second-claim/index.html"], "html.parser")
    assert other.select(".byline") == []  # none written, none shown


def test_claimreview_keeps_the_organisation_as_author_and_names_people(site_factory):
    project = site_factory({"claims/uav-pilots.md": BYLINED})
    result = project.check(base_url=BASE)
    review = claim_review(result.index, result.index.get("claims", "uav-pilots"))
    assert review["author"] == {"@type": "Organization", "name": "Test Desk",
                                "url": "https://example.org/"}
    assert review["contributor"] == [
        {"@type": "Person", "name": "John Kirby", "jobTitle": "communications coordinator",
         "url": BASE + "actors/john-kirby/"},
        {"@type": "Person", "name": "Jane Doe"}]
    assert review["editor"] == [{"@type": "Person", "name": "Sam Editor"}]
    plain = claim_review(result.index, result.index.get("claims", "second-claim"))
    assert "contributor" not in plain and "editor" not in plain
    page = project.build(base_url=BASE).files["claims/uav-pilots/index.html"].decode()
    embedded = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))
    assert embedded == review


def test_an_actors_rename_reaches_the_byline(site_factory):
    project = site_factory({"claims/uav-pilots.md": BYLINED})
    assert project.build().ok
    project.write("actors/john-kirby.md", MINIMAL["actors/john-kirby.md"].replace(
        "name: John Kirby", "name: John F. Kirby"))
    page = project.build().files["claims/uav-pilots/index.html"].decode()
    assert "By <a href=\"/actors/john-kirby/\">John F. Kirby</a>" in page


def test_bylines_setting_warns_on_a_claim_without_author(site_factory):
    project = site_factory({"site.yaml": SITE_YAML + "bylines: true\n",
                            "claims/uav-pilots.md": BYLINED})
    found = [(d.path, d.line, d.code) for d in project.check().diagnostics
             if d.code == "no-author"]
    assert found == [("content/claims/second-claim.md", 2, "no-author")]
    assert project.check().ok  # a warning: the site builds
    strict = project.cli("check", "--strict", "--base-url", BASE)
    assert strict.returncode == 1, strict.stderr
    assert "content/claims/second-claim.md:2: warning[no-author]" in strict.stderr
    quiet = site_factory({"site.yaml": SITE_YAML})
    assert not [d for d in quiet.check().diagnostics if d.code == "no-author"]


def test_bylines_setting_is_checked_like_any_setting(site_factory):
    project = site_factory({"site.yaml": SITE_YAML + "bylines: yes please\n"})
    found = [(d.code, d.line) for d in project.check().diagnostics if d.is_error]
    assert found == [("wrong-type", 11)]


def test_the_shipped_case_names_no_author():
    """The article names no writer or reviewer of ours: none may be invented."""
    for path in sorted((CONTENT / "claims").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^(author|reviewed_by):", text, re.M), path.name
