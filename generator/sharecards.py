"""Share cards in the plan: which image a claim page names in ``og:image``, and what a
planned card page draws (site config + planned context → ``cardimage.Card``).

Pure: the drawing is ``cardimage.py``. Cards are made only where they can be used, in a
build with a domain (``og:image`` must be an absolute URL): one per rating of the scale,
one for claims filed under none, and, with ``claim_cards: true`` in ``site.yaml``, one per
claim. A card page plans its claim, so a one-claim edit redraws only that claim's card.
"""

from __future__ import annotations

from typing import Any

from generator.cardimage import HEIGHT, WIDTH, Card, raqm_available
from generator.diagnostics import Diagnostic, error
from generator.graphsvg import rating_colours
from generator.i18n import N_, Message
from generator.models import Claim, SiteConfig

CARDS = "cards/"
UNRATED = "unrated"
"""The card of claims filed under no rating of ours (a third-party review not mapped)."""
NEUTRAL = "#595959"


def makes_cards(config: SiteConfig) -> bool:
    return config.is_absolute


def rating_card(key: str) -> str:
    return f"{CARDS}{key}.png"


def claim_card(claim: Claim) -> str:
    return f"{claim.url_path}card.png"


def _verdict(config: SiteConfig, claim: Claim) -> tuple[str, str]:
    """The label and colour a claim's card shows: our rating's; none for a claim we file
    under no rating (another publisher's verdict is never shown as ours)."""
    colours = rating_colours(config.ratings)
    for key in claim.rating_keys:
        rating = config.rating(key)
        if rating is not None:
            return rating.label, colours[key]
    return "", NEUTRAL


def _filed_under(config: SiteConfig, claim: Claim) -> str:
    """The rating whose card a claim shows: its first of our scale, else ``UNRATED``."""
    return next((k for k in claim.rating_keys if config.rating(k)), UNRATED)


def share_image(config: SiteConfig, claim: Claim) -> dict[str, Any] | None:
    """What a claim page's ``og:image`` tags say: the card's path, size and alt text."""
    if not makes_cards(config):
        return None
    label, _ = _verdict(config, claim)
    path = claim_card(claim) if config.claim_cards else rating_card(_filed_under(config, claim))
    alt = Message.of(N_("Rated: %(rating)s"), rating=label) if label else config.title
    return {"path": path, "width": WIDTH, "height": HEIGHT, "alt": alt}


def card_contexts(config: SiteConfig, claims: list[Claim]
                  ) -> list[tuple[str, dict[str, Any]]]:
    """(output path, planned context) of every card the site needs."""
    if not makes_cards(config):
        return []
    found: dict[str, dict[str, Any]] = {}
    for claim in claims:
        if config.claim_cards:
            found[claim_card(claim)] = {"card": "claim", "claim": claim}
        else:
            key = _filed_under(config, claim)
            found.setdefault(rating_card(key), {"card": "rating", "rating": key})
    return sorted(found.items())


def card_of(context: dict[str, Any], config: SiteConfig) -> Card | None:
    """The card a planned page draws, or None when the page is not a card."""
    kind = context.get("card")
    if kind == "claim":
        claim = context["claim"]
        label, colour = _verdict(config, claim)
        return Card(config.title, label, colour, claim.title)
    if kind == "rating":
        rating = config.rating(context["rating"])
        if rating is None:
            return Card(config.title, config.organisation.name, NEUTRAL)
        return Card(config.title, rating.label, rating_colours(config.ratings)[rating.key])
    return None


def check(config: SiteConfig | None) -> list[Diagnostic]:
    """A build that makes cards needs Raqm: without it, right-to-left titles and labels
    would be drawn with unjoined letters in reverse order."""
    if config is None or not makes_cards(config) or raqm_available():
        return []
    line = config.lines.get("claim_cards" if config.claim_cards else "base_url", 0)
    return [error(config.path, line, "cards-need-raqm",
                  "share images cannot be drawn: Pillow's Raqm text layout is not available, "
                  "so Persian and Arabic text would come out unjoined and reversed",
                  "install FriBiDi: apt-get install libfribidi0 (Pillow's wheels bundle "
                  "Raqm; see docs/sharing.md)")]


__all__ = ["card_contexts", "card_of", "check", "claim_card", "makes_cards", "rating_card",
           "share_image"]
