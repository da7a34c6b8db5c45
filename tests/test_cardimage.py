"""Share images (cardimage.py, sharecards.py): size, determinism, scripts, the Raqm rule."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from generator import cardimage, sharecards
from generator.cardimage import HEIGHT, MARGIN, WIDTH, Card, RaqmMissing
from generator.config import parse_config
from generator.models import Claim

PERSIAN = "ادعای تسلیح روسیه توسط ایران با پهپادهای شاهد در جنگ اوکراین"
CYRILLIC = "Иран поставил России беспилотники, которые сбивают над Украиной"
LATIN = "Iran supplied Russia with drones used against Ukraine"


def image(data: bytes) -> Image.Image:
    found = Image.open(io.BytesIO(data))
    found.load()
    return found


def ink(data: bytes, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """Bounding box of what is not background inside ``box`` (None: nothing drawn)."""
    found = image(data).convert("RGB").crop(box)
    background = Image.new("RGB", found.size, cardimage.BACKGROUND)
    return ImageChops.difference(found, background).getbbox()


TITLE_AREA = (0, 130, WIDTH, 420)


@pytest.mark.parametrize("title", [LATIN, CYRILLIC, PERSIAN])
def test_a_card_is_a_1200x630_png_without_metadata_and_stable(title):
    card = Card("Arms Claims Check", "Unsubstantiated", "#d55e00", title)
    data = cardimage.draw(card)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    found = image(data)
    assert found.size == (WIDTH, HEIGHT) == (1200, 630)
    assert found.format == "PNG" and not found.info.get("dpi") and not found.text
    assert b"tIME" not in data and b"tEXt" not in data and b"iTXt" not in data
    assert cardimage.draw(card) == data  # byte-identical when drawn again
    assert ink(data, TITLE_AREA) is not None


def test_a_persian_title_is_drawn_right_aligned_and_shaped():
    data = cardimage.draw(Card("راستی‌آزمایی", "بی‌پشتوانه", "#0072b2", PERSIAN))
    box = ink(data, TITLE_AREA)
    assert box is not None
    assert box[2] >= WIDTH - MARGIN - 4  # starts at the right margin
    assert box[0] > MARGIN  # a short first line does not reach the left one
    # Shaped: Raqm joins the letters, so the line differs from the basic layout's
    # unjoined, left-to-right drawing of the same characters.
    raqm = ImageFont.truetype(str(cardimage.font_path(cardimage.FONT_BOLD)), 60,
                              layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(str(cardimage.font_path(cardimage.FONT_BOLD)), 60,
                               layout_engine=ImageFont.Layout.BASIC)
    word = "ایران"

    def drawn(font: ImageFont.FreeTypeFont) -> bytes:
        canvas = Image.new("L", (400, 100))
        ImageDraw.Draw(canvas).text((10, 10), word, font=font, fill=255)
        return canvas.tobytes()

    assert drawn(raqm) != drawn(basic)
    assert raqm.getlength(word) < basic.getlength(word)  # joined forms are narrower


def test_a_latin_title_is_drawn_from_the_left():
    box = ink(cardimage.draw(Card("Site", "False", "#d55e00", LATIN)), TITLE_AREA)
    assert box is not None and box[0] <= MARGIN + 8


def test_long_titles_wrap_into_four_lines_with_an_ellipsis():
    font = cardimage._font(cardimage.FONT_BOLD, 60)
    lines = cardimage.wrap(" ".join([LATIN] * 8), font, WIDTH - 2 * MARGIN, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    assert cardimage.wrap("short", font, 1000, 4) == ["short"]
    one = cardimage.wrap("x" * 200, font, 300, 1)
    assert len(one) == 1 and one[0].endswith("…") and font.getlength(one[0]) <= 300


def test_the_verdict_band_is_in_the_ratings_colour_with_readable_ink():
    data = cardimage.draw(Card("Site", "True", "#009e73"))
    assert image(data).convert("RGB").getpixel((5, 300)) == (0, 158, 115)
    assert cardimage._ink_on("#ffff00") == "#000000"
    assert cardimage._ink_on("#0b0b0b") == "#ffffff"


def no_raqm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pillow as it is on a machine without FriBiDi: no Raqm layout."""
    real = features.check
    monkeypatch.setattr(features, "check",
                        lambda name: False if name in ("raqm", "fribidi") else real(name))


def test_without_raqm_nothing_is_drawn(monkeypatch):
    no_raqm(monkeypatch)
    assert not cardimage.raqm_available()
    with pytest.raises(RaqmMissing, match="right-to-left"):
        cardimage.draw(Card("Site", "False", "#d55e00", PERSIAN))


def test_the_cache_key_holds_the_card_and_the_renderer(monkeypatch):
    card = Card("Site", "False", "#d55e00", LATIN)
    key = cardimage.card_key(card)
    assert key == cardimage.card_key(Card("Site", "False", "#d55e00", LATIN))
    assert key != cardimage.card_key(Card("Site", "False", "#d55e00", LATIN + "!"))
    assert key != cardimage.card_key(Card("Site", "True", "#d55e00", LATIN))
    assert cardimage.RENDERER in cardimage.renderer_key()
    assert features.version("raqm") in cardimage.renderer_key()
    monkeypatch.setattr(cardimage, "RENDERER", "cards-next")
    cardimage.renderer_key.cache_clear()
    try:
        assert cardimage.card_key(card) != key  # a new renderer never reuses old images
    finally:
        monkeypatch.undo()
        cardimage.renderer_key.cache_clear()


def test_cached_draws_once_and_reads_back(tmp_path, monkeypatch):
    card = Card("Site", "False", "#d55e00", CYRILLIC)
    drawn = []
    real = cardimage.draw
    monkeypatch.setattr(cardimage, "draw", lambda c: drawn.append(c) or real(c))
    first = cardimage.cached(card, tmp_path / "cards")
    second = cardimage.cached(card, tmp_path / "cards")
    assert first == second == real(card) and drawn == [card]
    assert [p.name for p in (tmp_path / "cards").iterdir()] == [
        f"{cardimage.card_key(card)}.png"]
    assert cardimage.cached(card, None) == first


def config(**extra: object):
    raw = {"title": "Site", "description": "d", "organisation": {"name": "Desk"},
           "ratings": [{"key": "false", "label": "False", "description": "d", "value": 1},
                       {"key": "true", "label": "True", "description": "d", "value": 2}],
           **extra}
    found, problems = parse_config(raw, "content/site.yaml")
    assert found is not None, problems
    return found


def claim(slug: str, rating: str = "false", title: str = "A claim") -> Claim:
    return Claim(kind="claims", slug=slug, path=f"content/claims/{slug}.md", rel="", body="",
                 body_line=1, digest="", draft=False, lines={}, title=title, claimant="x",
                 statement="s", rating=rating)


def test_no_image_without_a_domain():
    assert sharecards.share_image(config(), claim("a")) is None
    assert sharecards.card_contexts(config(), [claim("a")]) == []
    assert sharecards.check(config()) == []


def test_one_card_per_rating_or_with_the_switch_one_per_claim():
    site = config(base_url="https://example.org/fc/")
    claims = [claim("a"), claim("b"), claim("c", "true")]
    assert sharecards.share_image(site, claims[0])["path"] == "cards/false.png"
    assert [p for p, _ in sharecards.card_contexts(site, claims)] == [
        "cards/false.png", "cards/true.png"]
    per_claim = config(base_url="https://example.org/fc/", claim_cards=True)
    assert per_claim.claim_cards
    assert sharecards.share_image(per_claim, claims[0])["path"] == "claims/a/card.png"
    planned = dict(sharecards.card_contexts(per_claim, claims))
    assert sorted(planned) == ["claims/a/card.png", "claims/b/card.png", "claims/c/card.png"]
    card = sharecards.card_of(planned["claims/c/card.png"], per_claim)
    assert card is not None and (card.title, card.verdict, card.site) == ("A claim", "True",
                                                                          "Site")


def test_a_build_that_makes_cards_needs_raqm(monkeypatch):
    site = config(base_url="https://example.org/fc/")
    no_raqm(monkeypatch)
    [problem] = sharecards.check(site)
    assert problem.code == "cards-need-raqm" and problem.path == "content/site.yaml"
    assert "apt-get install libfribidi0" in problem.hint
    assert sharecards.check(config()) == []  # no domain: no card, nothing to draw


def test_a_third_party_claim_shows_its_mapped_rating_or_the_unrated_card():
    from generator.models import Review

    site = config(base_url="https://example.org/fc/")
    mapped = dataclasses.replace(claim("m", rating=""), reviews=(
        Review("other-desk", "Pants on fire", "false"),))
    unmapped = dataclasses.replace(claim("u", rating=""), reviews=(
        Review("other-desk", "Wrong"),))
    assert sharecards.share_image(site, mapped)["path"] == "cards/false.png"
    image = sharecards.share_image(site, unmapped)
    assert image["path"] == "cards/unrated.png"
    planned = dict(sharecards.card_contexts(site, [mapped, unmapped]))
    assert sorted(planned) == ["cards/false.png", "cards/unrated.png"]
    card = sharecards.card_of(planned["cards/unrated.png"], site)
    assert card is not None and (card.verdict, card.colour) == ("Desk", sharecards.NEUTRAL)
    per_claim = config(base_url="https://example.org/fc/", claim_cards=True)
    card = sharecards.card_of({"card": "claim", "claim": unmapped}, per_claim)
    # Another publisher's words are never drawn as our verdict: an empty, neutral band.
    assert card is not None and (card.verdict, card.colour) == ("", sharecards.NEUTRAL)
    assert image["alt"] == "Site"
    assert cardimage.draw(card).startswith(b"\x89PNG")
