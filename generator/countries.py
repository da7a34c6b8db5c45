"""Countries: ISO 3166-1 alpha-2 codes ↔ names, from Babel's locale data.

Content names countries by code (``IR``) so that a page can show the name in its own
language and a country has one URL (``/countries/ir/``) whatever language the writer
used. A name written where a code belongs is recognised here, so the message can say
which code to write. Pure; Babel's data is read once per process.
"""

from __future__ import annotations

import difflib
from functools import cache

from babel import Locale

NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
"""Two-letter codes Babel names that are not countries (unions, pseudo-regions)."""
NAME_LOCALES = ("en", "en_GB", "fa", "ru", "uk", "ar", "fr", "de", "es")
"""Languages whose country names are recognised in place of a code (for the hint)."""
ALIASES = {"usa": "US", "united states of america": "US", "uk": "GB", "britain": "GB",
           "great britain": "GB", "england": "GB"}
"""Common names Babel's data does not list."""


@cache
def codes() -> frozenset[str]:
    """Every code a country field accepts (``XK``, Kosovo, included: widely used)."""
    return frozenset(code for code in Locale.parse("en").territories
                     if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES)


def normal(code: str) -> str | None:
    """The code as stored (upper case), or None when ``code`` is not a country code."""
    upper = code.strip().upper()
    return upper if len(upper) == 2 and upper in codes() else None


@cache
def _names() -> dict[str, str]:
    found: dict[str, str] = dict(ALIASES)
    for language in NAME_LOCALES:
        for code, name in Locale.parse(language).territories.items():
            if code in codes():
                found.setdefault(name.casefold(), code)
    return found


def code_for(name: str) -> str | None:
    """The code of a country written by name (any of ``NAME_LOCALES``), exactly or with a
    small typo; None when nothing is close."""
    names = _names()
    key = " ".join(name.split()).casefold()
    if key in names:
        return names[key]
    near = difflib.get_close_matches(key, [n for n in names if len(n) > 3], n=1, cutoff=0.8)
    return names[near[0]] if near else None


def country_name(code: str, locale: Locale) -> str:
    """The country's name in ``locale`` (Iran, ایران, Иран); the code when unknown. The one
    lookup every template uses (lists, facets, search filters)."""
    return locale.territories.get(code, code)


def url_path(code: str) -> str:
    """Where a country's page is below the site root (lower case, like every other URL)."""
    return f"countries/{code.lower()}/"


__all__ = ["code_for", "codes", "country_name", "normal", "url_path"]
