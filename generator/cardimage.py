"""Share images: a ``Card`` (the words on it and its colour) → PNG bytes, 1200×630.

Drawn with Pillow through its Raqm layout, which shapes Arabic and Persian letters and
orders right-to-left text (FriBiDi); Pillow's basic layout would draw them unjoined and
reversed, so without Raqm nothing is drawn (``RaqmMissing``). The bytes depend only on the
card, the font and the renderer (``renderer_key``): no timestamp or metadata is written, so
two builds give the same file, and ``cached`` can keep cards by content between builds.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from generator.theme import builtin_folder

WIDTH, HEIGHT = 1200, 630
"""The size Facebook, X and LinkedIn show large (1.91:1)."""
RENDERER = "cards-1"
"""Bump when the drawing changes: it is part of every card's cache key."""
FONT_BOLD = "fonts/Rubik-Bold.ttf"
FONT_REGULAR = "fonts/Rubik-Regular.ttf"
BACKGROUND = "#f7f7f5"
INK = "#1a1a1a"
MUTED = "#555555"
MARGIN = 72
TITLE_LINES = 4


class RaqmMissing(RuntimeError):
    """Pillow has no Raqm layout here: right-to-left text would be drawn wrong."""


@dataclass(frozen=True, slots=True)
class Card:
    """What one share image shows."""

    site: str
    """The site's name, at the top."""
    verdict: str
    """The rating's label, on a band of the rating's colour (none: an empty band)."""
    colour: str
    """The rating's colour, ``#rrggbb``."""
    title: str = ""
    """The claim's title (a per-claim card); empty on a rating's card."""


def raqm_available() -> bool:
    """Whether Pillow can shape and order text (libraqm, with FriBiDi, loaded)."""
    return bool(features.check("raqm"))


def require_raqm() -> None:
    if not raqm_available():
        raise RaqmMissing(
            "Pillow cannot lay out right-to-left text here (its Raqm layout needs FriBiDi)")


def font_path(name: str) -> Path:
    return builtin_folder() / name


@cache
def renderer_key() -> str:
    """Everything besides the card that decides its bytes: a new font, Pillow or layout
    library gives new keys, so no stale image is taken from the cache."""
    fonts = hashlib.blake2b(digest_size=16)
    for name in (FONT_BOLD, FONT_REGULAR):
        fonts.update(font_path(name).read_bytes())
    versions = (RENDERER, Image.__version__, features.version("raqm") or "",
                features.version("fribidi") or "", features.version_module("freetype2") or "")
    return "/".join(versions) + "/" + fonts.hexdigest()


def card_key(card: Card) -> str:
    """The cache key of a card: its content and the renderer."""
    parts = (renderer_key(), card.site, card.verdict, card.colour, card.title)
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size,
                              layout_engine=ImageFont.Layout.RAQM)


def is_rtl(text: str) -> bool:
    """Whether the first strong character is right-to-left (the paragraph's direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Words in reading order, broken into at most ``lines`` lines that fit ``width``; the
    last ends in an ellipsis when the text is longer."""
    found: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if not current or font.getlength(trial) <= width:
            current = trial
            continue
        found.append(current)
        current = word
        if len(found) == lines:  # words remain that do not fit
            found[-1] = _ellipsis(found[-1], font, width)
            return found
    if current:
        found.append(current)
    return [line if font.getlength(line) <= width else _ellipsis(line, font, width)
            for line in found]


def _ellipsis(line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    while line and font.getlength(line + "…") > width:
        cut = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
        line = cut
    return line + "…"


def _ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def _line(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont,
          fill: str) -> None:
    """One line at height ``y``, from the side its own script starts on."""
    if is_rtl(text):
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=fill, anchor="ra")
    else:
        draw.text((MARGIN, y), text, font=font, fill=fill, anchor="la")


def draw(card: Card) -> bytes:
    """The card as PNG bytes (raises ``RaqmMissing`` rather than draw text wrongly)."""
    require_raqm()
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((0, 0, WIDTH, 20), fill=card.colour)
    _line(canvas, 56, card.site, _font(FONT_REGULAR, 40), MUTED)
    band_top = HEIGHT - 190
    if card.title:
        title = _font(FONT_BOLD, 60)
        for number, line in enumerate(wrap(card.title, title, WIDTH - 2 * MARGIN,
                                           TITLE_LINES)):
            _line(canvas, 140 + number * 74, line, title, INK)
        verdict_font = _font(FONT_BOLD, 64)
    else:
        band_top = 190
        verdict_font = _font(FONT_BOLD, 96)
    band_height = HEIGHT - band_top - 56 if card.title else 250
    canvas.rectangle((0, band_top, WIDTH, band_top + band_height), fill=card.colour)
    for verdict in wrap(card.verdict, verdict_font, WIDTH - 2 * MARGIN, 1):
        box = canvas.textbbox((0, 0), verdict, font=verdict_font, anchor="lt")
        y = band_top + (band_height - (box[3] - box[1])) // 2
        _line(canvas, y, verdict, verdict_font, _ink_on(card.colour))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)  # no pnginfo: no time, no text chunks
    return out.getvalue()


def cached(card: Card, folder: Path | None) -> bytes:
    """The card's bytes from ``folder`` (kept by content and renderer), or drawn and kept
    there; a cache that cannot be read or written is only a slower build."""
    if folder is None:
        return draw(card)
    path = folder / f"{card_key(card)}.png"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = draw(card)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".card-")
    except OSError:
        return data
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, path)  # parallel workers may draw the same card: last one wins
    except OSError:
        Path(temp).unlink(missing_ok=True)
    return data


__all__ = ["HEIGHT", "WIDTH", "Card", "RaqmMissing", "cached", "card_key", "draw",
           "raqm_available", "renderer_key", "require_raqm"]
