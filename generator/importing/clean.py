"""One record's values, cleaned: hostile or broken text → safe text, or a precise problem.

Pure. Markup stays text (the site escapes it); invisible control characters, bidi
overrides among them, are removed and reported, since they can make a claim read
differently from what it says. Dates keep the precision given; URLs must be http(s).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from generator.fields import LANG_RE, Invalid, http_url
from generator.models import PartialDate

# Zero-width non-joiner and joiner shape Persian and Indic words: kept. LRM and RLM are
# ordinary marks in right-to-left text: kept. Overrides, embeddings and isolates are not.
KEEP = frozenset("\t\n\u200c\u200d\u200e\u200f")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d")


def text(value: Any, removed: list[str]) -> str:
    """A value as text with invisible controls removed (each noted in ``removed``)."""
    if value is None:
        return ""
    if isinstance(value, dict):  # {"@value": …} or {"name": …}
        value = value.get("@value") or value.get("name") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    result = str(value)
    if result.isprintable():  # no character of those categories: skip the loop
        return unicodedata.normalize("NFC", result).strip()
    kept = []
    for char in result:
        if char not in KEEP and unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs"):
            removed.append(f"U+{ord(char):04X}")
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def line(value: Any, removed: list[str]) -> str:
    """Text on one line (titles, names)."""
    return " ".join(text(value, removed).split())


def date(value: Any) -> PartialDate | None:
    """RFC 3339 and ISO 8601 at the precision given (``2022``, ``2022-10``, a day, a time),
    or a written date (``October 20, 2022``); None when absent. Raises ``Invalid``."""
    raw = str(value).strip() if value is not None else ""
    if not raw:
        return None
    found = _ISO.match(raw)
    if found:
        year, month, day = (int(g) if g else None for g in found.groups())
    else:
        for form in _FORMATS:
            try:
                parsed = datetime.datetime.strptime(raw, form)
                break
            except ValueError:
                continue
        else:
            raise Invalid("invalid-date", f"date '{raw[:40]}' is not in a known format",
                          "write dates as YYYY-MM-DD (RFC 3339 times are fine)")
        year, month, day = parsed.year, parsed.month, parsed.day
    try:
        datetime.date(year or 0, month or 1, day or 1)
    except ValueError:
        raise Invalid("impossible-date", f"date '{raw[:40]}' is not a real date",
                      "check the day and the month") from None
    return PartialDate(year or 0, month, day)


def url(value: Any, removed: list[str]) -> str:
    """An http(s) URL or empty; raises ``Invalid`` for any other scheme."""
    result = text(value, removed)
    if not result:
        return ""
    try:
        return http_url(result)
    except Invalid as exc:
        shown = result if len(result) <= 60 else result[:57] + "..."
        raise Invalid("unsafe-url", f"'{shown}' is not an http(s) URL",
                      "only http:// and https:// links are imported") from exc


def language(value: Any) -> str:
    """A BCP 47 code, or empty when the value is none."""
    result = text(value, [])
    return result if LANG_RE.match(result) else ""
