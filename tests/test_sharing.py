"""Sharing, end to end: share links on claim and denial pages, and an ``og:image`` on every
claim page that exists in the built site (issue 14, point 5)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops

from generator import cardimage
from generator.build import build
from generator.searchrefresh import refresh_search
from generator.state import Options
from tests import rtl_fixture

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "templates"
BASE = "https://example.org/factcheck/"


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def claim_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in (out / "claims").glob("*/index.html"))


def shipped_copy(root: Path, *extra: str) -> Path:
    """The shipped content, with lines added to its site.yaml."""
    content = root / "content"
    shutil.copytree(CONTENT, content)
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in extra)
    return content


def check_images(out: Path, expected: str | None = None) -> set[str]:
    """Every claim page names an absolute og:image (and twitter:image) that is a 1200x630
    PNG in the site; returns the images named."""
    named = set()
    pages = claim_pages(out)
    assert len(pages) >= 9
    for rel in pages:
        page = soup(out, rel)
        image = meta(page, "og:image")
        assert image and image.startswith(BASE), rel
        assert meta(page, "twitter:image") == image
        assert meta(page, "twitter:card") == "summary_large_image"
        assert meta(page, "og:image:alt")
        target = out / image[len(BASE):]
        assert target.is_file(), image
        with Image.open(target) as found:
            assert found.format == "PNG"
            assert found.size == (1200, 630)
            assert (str(found.width), str(found.height)) == (meta(page, "og:image:width"),
                                                             meta(page, "og:image:height"))
        if expected == "claim":
            assert image == f"{BASE}{rel[:-len('index.html')]}card.png"
        named.add(image)
    return named


def test_every_shipped_claim_names_a_verdict_card_that_exists(tmp_path):
    out = tmp_path / "site"
    result = build(Options(content=CONTENT, templates=TEMPLATES, out=out, base_url=BASE))
    assert result.ok, [d.format() for d in result.diagnostics]
    named = check_images(out)
    assert named == {f"{BASE}cards/{p.stem}.png" for p in (out / "cards").iterdir()}
    assert not any(p.name.endswith(".png") for p in out.glob("claims/*/*"))  # switch off
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert ".png" not in sitemap


def test_claim_cards_switch_gives_each_claim_its_own_card(tmp_path):
    content = shipped_copy(tmp_path, "claim_cards: true")
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out, base_url=BASE))
    assert result.ok, [d.format() for d in result.diagnostics]
    named = check_images(out, expected="claim")
    assert len(named) == len(claim_pages(out))
    assert not (out / "cards").exists()


def test_no_domain_no_image_and_only_the_copy_link(tmp_path):
    out = tmp_path / "site"
    assert build(Options(content=CONTENT, templates=TEMPLATES, out=out)).ok
    page = soup(out, "claims/tajikistan-drones-to-russia/index.html")
    assert meta(page, "og:image") is None and meta(page, "twitter:image") is None
    assert meta(page, "twitter:card") == "summary"
    assert not (out / "cards").exists()
    links = page.select("section.share a")
    assert [a["href"] for a in links] == ["/claims/tajikistan-drones-to-russia/"]


def test_share_links_are_plain_urls_without_scripts_or_trackers(tmp_path):
    out = tmp_path / "site"
    assert build(Options(content=CONTENT, templates=TEMPLATES, out=out, base_url=BASE)).ok
    for rel in ["claims/tajikistan-drones-to-russia/index.html",
                "denials/tajikistan-foreign-ministry-denial/index.html"]:
        page = soup(out, rel)
        url = BASE + rel[:-len("index.html")]
        title = page.find("h1").get_text()
        section = page.select_one("section.share")
        assert section is not None, rel
        heading = section.find(id=section["aria-labelledby"])
        assert heading is not None and heading.get_text() == "Share"
        links = section.select("a")
        copy = links[0]
        assert "share-copy" in copy["class"] and copy["href"] == urlsplit(url).path
        assert copy.get_text() == "Link to this page"
        assert copy["data-label"] == "Copy link" and copy["data-copied"] == "Link copied"
        hosts = {}
        for a in links[1:]:
            parts = urlsplit(a["href"])
            query = parse_qs(parts.query)
            hosts[parts.scheme + ":" + parts.netloc] = query
            assert parts.scheme in ("https", "mailto"), a["href"]
            assert not any(k.startswith("utm") for k in query), a["href"]
            assert any(url in v or url in v.split(" ") or v.endswith(url)
                       for values in query.values() for v in values), a["href"]
            assert a.get_text().strip()
        assert list(hosts) == ["mailto:", "https:x.com", "https:www.facebook.com",
                               "https:wa.me", "https:t.me"]
        assert hosts["mailto:"]["subject"] == [title]
        assert hosts["https:t.me"]["text"] == [title]
        scripts = [s["src"] for s in page.find_all("script", src=True)]
        assert scripts == ["/factcheck/static/share.js"]  # ours only, no third party
    assert (out / "static" / "share.js").is_file()


def test_share_links_carry_a_title_with_reserved_characters_intact(site_factory):
    """RFC 6068 and query encoding: "&", quotes and "#" in a title survive the round trip."""
    project = site_factory()
    path = project.content / "claims" / "uav-pilots.md"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    title = 'Drones & "missiles" #1?'
    path.write_text(text.replace(old, "title: '" + title + "'"), encoding="utf-8")
    assert project.build(base_url=BASE).ok
    section = soup(project.out, "claims/uav-pilots/index.html").select_one("section.share")
    queries = [parse_qs(urlsplit(a["href"]).query) for a in section.select("a")[1:]]
    assert queries[0] == {"subject": [title], "body": [f"{BASE}claims/uav-pilots/"]}
    assert queries[3] == {"text": [f"{title} {BASE}claims/uav-pilots/"]}


def test_share_labels_are_translated(tmp_path):
    content = rtl_fixture.write(tmp_path / "content")
    out = tmp_path / "site"
    assert build(Options(content=content, templates=TEMPLATES, out=out, base_url=BASE)).ok
    page = soup(out, "claims/weapons/index.html")
    section = page.select_one("section.share")
    assert section.find("h2").get_text() == "هم‌رسانی"
    assert "هم‌رسانی در Telegram" in [a.get_text() for a in section.select("a")]
    alt = meta(page, "og:image:alt")
    assert alt and "نادرست" in alt and "Rated" not in alt  # "Rated: %(rating)s" in Persian


def persian_card(tmp_path: Path, name: str) -> tuple[bytes, Path]:
    root = tmp_path / name
    content = rtl_fixture.write(root / "content")
    with (content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("claim_cards: true\n")
    out = root / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out, base_url=BASE,
                           use_cache=False))
    assert result.ok, [d.format() for d in result.diagnostics]
    check_persian = soup(out, "claims/weapons/index.html")
    image = meta(check_persian, "og:image")
    assert image == f"{BASE}claims/weapons/card.png"
    return (out / "claims/weapons/card.png").read_bytes(), out


def test_a_persian_title_card_is_drawn_and_byte_stable_across_builds(tmp_path):
    first, out = persian_card(tmp_path, "one")
    second, _ = persian_card(tmp_path, "two")
    assert first == second
    title = soup(out, "claims/weapons/index.html").find("h1").get_text()
    assert any("\u0600" <= c <= "\u06ff" for c in title)  # the fixture's title is Persian
    with Image.open(io.BytesIO(first)) as found:
        area = found.convert("RGB").crop((0, 130, 1200, 420))
    background = Image.new("RGB", area.size, cardimage.BACKGROUND)
    difference = ImageChops.difference(area, background).convert("L")
    drawn = sum(difference.histogram()[16:])
    assert drawn > 5000, drawn  # the title's letters, not a blank card
    box = difference.getbbox()
    assert box is not None and box[2] >= 1200 - cardimage.MARGIN - 4  # right-aligned
    assert (out / "claims/weapons/card.png").read_bytes() == first


def no_raqm(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import features

    real = features.check
    monkeypatch.setattr(features, "check",
                        lambda name: False if name in ("raqm", "fribidi") else real(name))


def test_without_raqm_a_card_build_fails_clearly_and_keeps_the_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert build(Options(content=CONTENT, templates=TEMPLATES, out=out, base_url=BASE)).ok
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    no_raqm(monkeypatch)
    result = build(Options(content=CONTENT, templates=TEMPLATES, out=out, base_url=BASE,
                           use_cache=False))
    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.code == "cards-need-raqm"]
    assert problem.path.endswith("site.yaml")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # A build without a domain makes no card, so it needs no Raqm.
    assert build(Options(content=CONTENT, templates=TEMPLATES, out=tmp_path / "plain")).ok


def test_without_raqm_the_command_line_prints_the_message_and_exits_1(tmp_path):
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "from PIL import features\n"
        "_real = features.check\n"
        "features.check = lambda name: False if name in ('raqm', 'fribidi') else _real(name)\n",
        encoding="utf-8")
    content = shipped_copy(tmp_path / "p")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--content", str(content),
         "--templates", str(TEMPLATES), "--out", str(tmp_path / "site"),
         "--base-url", BASE],
        cwd=tmp_path / "p", capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": f"{shim}{os.pathsep}{ROOT}"})
    assert done.returncode == 1, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert "site.yaml:" in output and "error[cards-need-raqm]" in output
    assert "apt-get install libfribidi0" in output
    assert not (tmp_path / "site").exists()


def test_a_claim_edit_redraws_only_its_card_and_the_cache_keeps_the_rest(tmp_path,
                                                                          monkeypatch):
    content = shipped_copy(tmp_path, "claim_cards: true")
    out = tmp_path / "site"
    options = Options(content=content, templates=TEMPLATES, out=out, base_url=BASE)
    assert build(options).ok
    cards = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.glob("claims/*/card.png")}
    drawn: list[cardimage.Card] = []
    real = cardimage.draw
    monkeypatch.setattr(cardimage, "draw", lambda card: drawn.append(card) or real(card))
    edited = content / "claims" / "tajikistan-drones-to-russia.md"
    text = edited.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    edited.write_text(text.replace(old_title, "title: Tajikistan sends drones to Russia"),
                      encoding="utf-8")
    assert build(options).ok
    assert [c.title for c in drawn] == ["Tajikistan sends drones to Russia"]
    changed = {p for p, (data, mtime) in cards.items()
               if p.read_bytes() != data or p.stat().st_mtime_ns != mtime}
    assert changed == {out / "claims/tajikistan-drones-to-russia/card.png"}
    # A cold build into an empty folder takes every card from the cache: none drawn.
    drawn.clear()
    shutil.rmtree(out)
    assert build(options).ok
    assert drawn == []
    check_images(out, expected="claim")


@pytest.mark.parametrize("with_paths", [True, False], ids=["saved-paths", "scan"])
def test_incremental_and_quick_builds_with_claim_cards_equal_a_full_build(site_factory,
                                                                           tmp_path,
                                                                           with_paths):
    """The preview's quick path and the incremental build redraw what a full build draws."""
    from generator.build import Cache, load, render
    from tests.test_incremental import steps, tree

    project = site_factory()
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    project.templates = templates
    with (project.content / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(f"base_url: {BASE}\nclaim_cards: true\n")
    options = project.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    paths = []
    for name, saved in steps(project):
        result = build(options, cache, incremental=True,
                       changed=saved if with_paths else None)
        assert result.ok, (name, [d.format() for d in result.diagnostics])
        paths.append(result.path)
        if cache.live is not None and cache.live.search_stale:
            assert refresh_search(options, cache) is not None  # as the preview does, later
        loaded = load(options, Cache())
        expected = dict(render(options, loaded).files)
        assert tree(project.out) == expected, name
        assert any(p.endswith("card.png") for p in expected)
    if with_paths:
        assert "quick" in paths  # the claim-title edit took the quick path
