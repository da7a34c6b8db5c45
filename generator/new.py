"""``factcheck new``: a ready-to-fill entry file with every field present.

Optional fields are written commented out, so a writer sees the whole model without
opening the docs. The slug comes from the title, transliterated when it is not Latin.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

from slugify import slugify

KINDS = {"claim": "claims", "denial": "denials", "source": "sources", "actor": "actors",
         "page": "pages"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Arabic, Persian and Hebrew: transliteration drops the short vowels (ایران → "yrn"), so
# their slugs keep the native letters, which are valid slugs and readable to their readers.
NATIVE_SCRIPTS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def make_slug(title: str) -> str:
    """Readable and safe: ``Таджикистан`` → ``tadzhikistan``; ``ایران`` stays ``ایران``;
    only letters, digits and single hyphens, never ``/``, ``.`` or ``..``."""
    native = bool(NATIVE_SCRIPTS.search(title))
    result = slugify(title, max_length=60, word_boundary=True, lowercase=True,
                     allow_unicode=native)
    return unicodedata.normalize("NFC", result)


def scaffold(kind: str, title: str, today: datetime.date) -> str:
    t = _quote(title)
    day = today.isoformat()
    if kind == "claim":
        return f"""---
title: {t}  # the claim as checked: neutral, at most 75 characters, no verdict
statement: ""  # the full statement as made; verbatim when quoted
verbatim: false  # true when the statement is the claimant's exact words
# statement_language: en  # BCP 47, when the statement is not in the site's language
claimant: actor-slug  # who made it (content/actors/<slug>.md)
# date: YYYY-MM-DD  # when it was made: YYYY, YYYY-MM or YYYY-MM-DD, only the precision known
# date_note: ""  # the source's own words when no exact date is known ("last week")
sources:
  - source-slug
rating: unsubstantiated  # a key of the ratings scale in content/site.yaml
rating_explanation: ""  # one line: why this rating
evidence: none  # none, partial or documented
# tags: []
# countries: []
# related: []  # other claim slugs
updates:
  - date: {day}
    note: First published.
reviewed: {day}
draft: true
---
What the evidence is, what is missing, and how we reached the rating.
"""
    if kind == "denial":
        return f"""---
title: {t}
actor: actor-slug  # who issued the denial
# date: YYYY-MM-DD
# date_note: ""
quote: ""  # verbatim
# quote_language: en  # BCP 47: fa, ru, tg …
answers:
  - claim-slug
sources:
  - source-slug
draft: true
---
"""
    if kind == "source":
        return f"""---
title: {t}
kind: media-report  # official-statement, media-report, interview, anonymous-official,
#   social-post, article, document or other
# publisher: actor-slug
# date: YYYY-MM-DD
# date_note: ""
# url: https://…  # http(s) only; never invent one
# archive_url: https://…
# language: en
draft: true
---
"""
    if kind == "actor":
        return f"""---
name: {t}
kind: person  # person, government, ministry, organisation, outlet, group, unknown
# role: ""
# country: ""
# affiliation: actor-slug
# name_language: en
draft: true
---
"""
    return f"""---
title: {t}
# menu: 3  # position in the site navigation
draft: true
---
"""


class NewError(Exception):
    pass


def create(content: Path, kind: str, title: str, today: datetime.date | None = None) -> Path:
    if kind not in KINDS:
        raise NewError(f"unknown kind '{kind}': use one of {', '.join(KINDS)}")
    if not title.strip():
        raise NewError("the title is empty")
    slug = make_slug(title)
    if not slug:
        raise NewError(f"cannot make a slug from '{title}': use a title with letters or digits")
    target = content / KINDS[kind] / f"{slug}.md"
    if target.exists():
        raise NewError(f"{target} already exists: choose another title or edit that file")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = scaffold(kind, title.strip(), today or datetime.date.today())
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return target
