"""Textual ratings → keys of the site's scale, through ``rating_map`` only: never guessed.

A rating matches a rule when both read the same case and spaces aside (``rule_key``); a
rule naming a publisher is tried before the rules for everyone. Our own reviews (our
exports) also match the scale's own keys and labels, which are ours.
"""

from __future__ import annotations

from generator.config import rule_key
from generator.models import SiteConfig


class RatingMap:
    def __init__(self, config: SiteConfig):
        self.rules = {(rule_key(r.publisher), rule_key(r.match)): r.rating
                      for r in reversed(config.rating_map)}  # the first rule wins
        self.scale = {rule_key(r.key): r.key for r in config.ratings}
        self.scale.update({rule_key(r.label): r.key for r in config.ratings})
        self.organisation = config.organisation.name

    def theirs(self, publisher: str, textual: str) -> str:
        """The key for another publisher's rating, or "" when no rule maps it."""
        if not textual:
            return ""
        text = rule_key(textual)
        return self.rules.get((rule_key(publisher), text)) or self.rules.get(("", text), "")

    def ours(self, textual: str) -> str:
        """The key for one of our own ratings: a key or label of our scale, or a rule."""
        return self.scale.get(rule_key(textual)) or self.theirs(self.organisation, textual)
