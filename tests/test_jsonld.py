"""ClaimReview mapping and its escaping inside <script>."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from generator.jsonld import absolute_url, claim_review, script_json
from generator.models import Claim

BASE = "https://example.org/factcheck/"


def review_of(project, slug: str, **options):
    result = project.check(**options)
    assert result.ok, [d.format() for d in result.diagnostics]
    claim = result.index.get("claims", slug)
    assert isinstance(claim, Claim)
    return claim_review(result.index, claim)


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!--", "a & b",
                                  "line\u2028break\u2029para", "]]>", "\"quoted\" \\ back"])
def test_script_json_cannot_end_the_script_element_and_round_trips(text):
    out = script_json({"claimReviewed": text, "nested": [text]})
    assert not re.search(r"[<>&\u2028\u2029]", out)
    assert json.loads(out) == {"claimReviewed": text, "nested": [text]}


def test_mapping_follows_the_model(site_factory):
    review = review_of(site_factory(), "uav-pilots", base_url=BASE)
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": BASE + "claims/uav-pilots/",
        "claimReviewed": "Russian personnel in Crimea pilot Iranian UAVs",
        "inLanguage": "en",
        "datePublished": "2026-11-20",
        "dateModified": "2026-11-27",
        "author": {"@type": "Organization", "name": "Test Desk", "url": "https://example.org/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1,
                         "alternateName": "Unsubstantiated", "name": "Unsubstantiated",
                         "ratingExplanation": "No evidence was presented."},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "John Kirby",
                       "jobTitle": "communications coordinator"},
            "datePublished": "2022-10-20",
            "appearance": [{"@type": "CreativeWork", "name": "Kirby's remarks",
                            "url": "https://example.org/remarks", "datePublished": "2022-10"}],
            "firstAppearance": {"@type": "CreativeWork", "name": "Kirby's remarks",
                                "url": "https://example.org/remarks",
                                "datePublished": "2022-10"},
        },
    }


def test_absent_values_are_left_out_not_invented(site_factory):
    project = site_factory({
        "site.yaml": """\
            title: T
            description: D.
            organisation: {name: Desk}
            ratings:
              - {key: "false", label: "False", description: No., value: 0}
              - {key: "true", label: "True", description: Yes., value: 2}
            """,
        "sources/undated.md": "---\ntitle: Undated note\nkind: other\n---\n",
        "claims/uav-pilots.md": None, "denials/iran-denial.md": None,
        "claims/second-claim.md": """\
            ---
            title: Iran sends weapons
            statement: Iran sends weapons to Russia.
            claimant: nsc
            sources: [undated]
            rating: "false"
            evidence: none
            reviewed: 2026-11-21
            ---
            """,
    })
    review = review_of(project, "second-claim")
    assert "url" not in review  # no domain: an absolute URL cannot be known
    assert review["author"] == {"@type": "Organization", "name": "Desk"}
    assert review["datePublished"] == review["dateModified"] == "2026-11-21"
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 0, "bestRating": 2,
                                      "worstRating": 0, "alternateName": "False",
                                      "name": "False"}
    assert review["itemReviewed"] == {
        "@type": "Claim", "author": {"@type": "Organization", "name": "National Security Council"},
        "appearance": [{"@type": "CreativeWork", "name": "Undated note"}],
        "firstAppearance": {"@type": "CreativeWork", "name": "Undated note"}}


def test_every_non_person_claimant_is_an_organization(site_factory):
    project = site_factory()
    review = review_of(project, "second-claim")
    assert review["itemReviewed"]["author"]["@type"] == "Person"
    project.write("actors/john-kirby.md", "---\nname: Kirby office\nkind: group\nrole: x\n---\n")
    review = review_of(project, "second-claim")
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Kirby office"}


def test_absolute_url():
    from generator.models import Organisation, Rating, SiteConfig

    config = SiteConfig("T", "D", Organisation("O"), (Rating("a", "A", "d", 1),), base_url=BASE)
    assert absolute_url(config, "claims/x/") == BASE + "claims/x/"
    assert absolute_url(config, "") == BASE
    relative = SiteConfig("T", "D", Organisation("O"), (Rating("a", "A", "d", 1),))
    assert absolute_url(relative, "claims/x/") is None


def test_claim_page_carries_exactly_one_script_that_survives_hostile_text(site_factory):
    hostile = "Kirby says </script><script>alert(1)</script> & more"
    project = site_factory({"claims/uav-pilots.md": f"""\
        ---
        title: "{hostile}"
        statement: "x"
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: "Line\\u2028separator <b>"
        evidence: none
        reviewed: 2026-11-27
        ---
        """})
    assert project.build(base_url=BASE).ok
    html = project.page("claims/uav-pilots")
    soup = BeautifulSoup(html, "html.parser")
    # One inline script, the ClaimReview; the only other is the theme's share.js (empty).
    loaded = [s for s in soup.find_all("script") if s.get("src") is not None]
    assert [(s["src"], s.string) for s in loaded] == [("/factcheck/static/share.js", None)]
    scripts = [s for s in soup.find_all("script") if s.get("src") is None]
    assert len(scripts) == 1 and scripts[0]["type"] == "application/ld+json"
    data = json.loads(scripts[0].string)
    assert data["claimReviewed"] == hostile
    assert data["reviewRating"]["ratingExplanation"] == "Line\u2028separator <b>"
    assert "</script><script>" not in html.split('type="application/ld+json">', 1)[1].split(
        "</script>", 1)[0]


def test_only_claim_pages_carry_claimreview(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    for url_path in ("", "claims/", "denials/iran-denial/", "sources/kirby-remarks/",
                     "actors/john-kirby/", "methodology/"):
        assert "application/ld+json" not in project.page(url_path), url_path
