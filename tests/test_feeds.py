"""Atom feeds, sitemap.xml and robots.txt, and the head tags that point to them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
from bs4 import BeautifulSoup

from generator.feeds import SITEMAP_LIMIT, atom_feed, robots_txt, sitemap
from generator.models import Organisation, PartialDate, Rating, SiteConfig

BASE = "https://example.org/factcheck/"
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def config(base_url: str = BASE) -> SiteConfig:
    return SiteConfig("T", "D", Organisation("O"), (Rating("a", "A", "d", 1),),
                      base_url=base_url)


def test_site_feed_lists_every_claim_with_stable_ids(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    data = (project.out / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert parsed.feed.title == "Test Checks"
    assert parsed.feed.id == BASE + "feed.xml"
    # Latest change first.
    assert [e.id for e in parsed.entries] == [BASE + "claims/uav-pilots/",
                                              BASE + "claims/second-claim/"]
    first = parsed.entries[0]
    assert first.link == BASE + "claims/uav-pilots/"
    assert first.published.startswith("2026-11-20") and first.updated.startswith("2026-11-27")
    assert first.summary == "Unsubstantiated: No evidence was presented."
    assert "Added the denial." in first.content[0].value
    assert [t.term for t in first.tags] == ["drones", "crimea"]
    assert parsed.feed.updated.startswith("2026-11-27")

    # An update changes 'updated' but never the id; the bytes are otherwise deterministic.
    project.write("claims/second-claim.md", (project.content / "claims" / "second-claim.md")
                  .read_text().replace("reviewed: 2026-11-21", "reviewed: 2026-11-28"))
    assert project.build(base_url=BASE).ok
    again = feedparser.parse((project.out / "feed.xml").read_bytes())
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries][::-1]
    assert again.entries[0].id == BASE + "claims/second-claim/"
    assert again.entries[0].updated.startswith("2026-11-28")
    assert again.feed.updated.startswith("2026-11-28")


def test_tag_feeds_and_autodiscovery_links(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    tag_feed = feedparser.parse((project.out / "tags" / "drones" / "feed.xml").read_bytes())
    assert tag_feed.bozo == 0
    assert [e.link for e in tag_feed.entries] == [BASE + "claims/uav-pilots/"]
    assert tag_feed.feed.id == BASE + "tags/drones/feed.xml"

    def alternates(url_path: str) -> list[str]:
        soup = BeautifulSoup(project.page(url_path), "html.parser")
        return [link["href"] for link in soup.find_all("link", rel="alternate")
                if link.get("type") == "application/atom+xml"]

    assert alternates("") == ["/factcheck/feed.xml"]
    assert alternates("tags/drones") == ["/factcheck/feed.xml", "/factcheck/tags/drones/feed.xml"]


def test_head_has_canonical_description_open_graph_and_twitter(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    soup = BeautifulSoup(project.page("claims/uav-pilots"), "html.parser")
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta")
            if m.get("content")}
    assert soup.find("link", rel="canonical")["href"] == BASE + "claims/uav-pilots/"
    assert meta["description"] == "Unsubstantiated: No evidence was presented."
    assert meta["og:url"] == BASE + "claims/uav-pilots/"
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Russian personnel in Crimea pilot Iranian UAVs"
    assert meta["og:description"] == meta["description"]
    # X reads og:title and og:description when its own are absent: not repeated on every page
    assert "twitter:title" not in meta and "twitter:description" not in meta
    assert meta["og:site_name"] == "Test Checks"
    # A claim page shows its verdict card large (tests/test_sharing.py); other pages do not.
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"] == meta["twitter:image"] == BASE + "cards/unsubstantiated.png"
    home = BeautifulSoup(project.page(""), "html.parser")
    assert home.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert home.find("meta", property="og:image") is None
    missing = BeautifulSoup((project.out / "404.html").read_text(), "html.parser")
    assert missing.find("link", rel="canonical") is None
    assert missing.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_without_a_domain_absolute_only_outputs_are_left_out(site_factory):
    project = site_factory()
    assert project.build().ok
    for name in ("feed.xml", "sitemap.xml", "tags/drones/feed.xml"):
        assert not (project.out / name).exists(), name
    soup = BeautifulSoup(project.page("claims/uav-pilots"), "html.parser")
    assert soup.find("link", rel="canonical") is None
    assert soup.find("meta", property="og:url") is None
    assert soup.find("link", rel="alternate") is None
    assert soup.find("meta", property="og:title") is not None
    assert (project.out / "robots.txt").read_text() == "User-agent: *\nDisallow:\n"


def test_sitemap_lists_public_pages_with_lastmod_for_claims(site_factory):
    project = site_factory({"claims/draft-claim.md": """\
        ---
        title: A draft
        statement: s
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: e
        evidence: none
        reviewed: 2026-11-21
        draft: true
        ---
        """})
    assert project.build(base_url=BASE, drafts=True).ok
    root = ET.fromstring((project.out / "sitemap.xml").read_bytes())
    rows = {u.find(f"{SM}loc").text: getattr(u.find(f"{SM}lastmod"), "text", None)
            for u in root}
    assert rows[BASE] is None
    assert rows[BASE + "claims/uav-pilots/"] == "2026-11-27"
    assert rows[BASE + "claims/second-claim/"] == "2026-11-21"
    assert BASE + "claims/draft-claim/" not in rows  # drafts are previews, never indexed
    assert BASE + "404.html" not in rows
    assert BASE + "methodology/" in rows and BASE + "tags/drones/" in rows
    assert list(rows) == sorted(rows)
    robots = (project.out / "robots.txt").read_text()
    assert robots.endswith(f"\nSitemap: {BASE}sitemap.xml\n")
    feed = feedparser.parse((project.out / "feed.xml").read_bytes())
    assert BASE + "claims/draft-claim/" not in {e.link for e in feed.entries}


def test_large_sitemap_is_split_with_an_index():
    rows = [(f"claims/c{i}/", None) for i in range(SITEMAP_LIMIT + 1)]
    files = sitemap(config(), rows)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    listing = ET.fromstring(files["sitemap.xml"])
    assert listing.tag == f"{SM}sitemapindex"
    assert [s.find(f"{SM}loc").text for s in listing] == [BASE + "sitemap-1.xml",
                                                          BASE + "sitemap-2.xml"]
    assert len(ET.fromstring(files["sitemap-2.xml"])) == 1
    assert sitemap(config("/"), rows) == {}


def test_xml_escapes_markup_and_drops_forbidden_control_characters(site_factory):
    project = site_factory()
    index = project.check(base_url=BASE).index
    claims = index.claims()
    from dataclasses import replace

    hostile = replace(claims[0], title="a < b & \"c\" ]]> \x01 d", tags=("x",))
    data = atom_feed(index, [hostile], "feed.xml", "T & <T>")
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert parsed.feed.title == "T & <T>"
    assert parsed.entries[0].title == 'a < b & "c" ]]>  d'
    assert atom_feed(project.check().index, claims, "feed.xml", "T") is None


def test_feeds_keep_the_latest_changes_only():
    from generator.feeds import FEED_LIMIT, latest
    from generator.models import Claim, Update

    def make(slug: str, day: int) -> Claim:
        return Claim(kind="claims", slug=slug, path="", rel="", body="", body_line=1, digest="",
                     draft=False, lines={}, reviewed=PartialDate(2026, 1, day),
                     updates=(Update(PartialDate(2025, 1, 1), "First published."),))

    claims = [make(f"c{i:03d}", 1 + i % 28) for i in range(120)]
    kept = latest(claims)
    assert len(kept) == FEED_LIMIT
    assert [c.reviewed for c in kept] == sorted((c.reviewed for c in kept), reverse=True)
    assert kept[0].reviewed == PartialDate(2026, 1, 28)
    assert latest(list(reversed(claims))) == kept


def test_robots_txt_names_the_sitemap_only_with_a_domain():
    assert robots_txt(config()) == f"User-agent: *\nDisallow:\n\nSitemap: {BASE}sitemap.xml\n" \
        .encode()
    assert robots_txt(config("/")) == b"User-agent: *\nDisallow:\n"


def test_partial_dates_become_rfc3339_timestamps():
    from generator.feeds import _timestamp

    assert _timestamp(PartialDate(2022, 10, 5)) == "2022-10-05T00:00:00Z"
    assert _timestamp(PartialDate(2022, 10)) == "2022-10-01T00:00:00Z"
    assert _timestamp(None) == "1970-01-01T00:00:00Z"
