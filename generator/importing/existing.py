"""What ``content/`` already holds that an import must reuse or respect (I/O).

Actors by normalised name, sources by normalised URL, imported claims by their key (review
URL or record id) with the digest recorded in them, and every slug taken. Read from the
front matter's lines, without parsing whole entries, so that a re-import of 100,000
records does not parse 100,000 files with YAML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

_FIELD = re.compile(r"^(name|url|review_url|record_id|digest|  review_url|  record_id|"
                    r"  digest):[ \t]*(.*?)[ \t]*$", re.M)


def name_key(name: str) -> str:
    """Names compared case, spaces, accents' composition and width aside (Unicode-aware)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def url_key(url: str) -> str:
    """URLs compared without scheme, ``www.``, default port, fragment or trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("", host + port, path, parts.query, "")).lstrip("/")


@dataclass(frozen=True, slots=True)
class ImportedClaim:
    slug: str
    path: Path
    digest: str


@dataclass(slots=True)
class Existing:
    actors: dict[str, str] = field(default_factory=dict)
    """name_key → slug"""
    sources: dict[str, str] = field(default_factory=dict)
    """url_key → slug"""
    claims: dict[str, ImportedClaim] = field(default_factory=dict)
    """key (review URL, or ``id:`` + record id) → the claim an import made"""
    slugs: dict[str, set[str]] = field(default_factory=dict)
    """kind → case-folded slugs taken"""


def _front(path: Path) -> str:
    try:
        text = path.read_text("utf-8-sig", errors="replace")
    except OSError:
        return ""
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    return text[3:end] if end > 0 else ""


def _value(raw: str) -> str:
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw.strip("'\"")
    return "" if value is None else str(value)


def scan(content: Path) -> Existing:
    found = Existing()
    for kind in ("claims", "denials", "sources", "actors", "pages"):
        folder = content / kind
        files = sorted(folder.glob("*.md")) if folder.is_dir() else []
        found.slugs[kind] = {unicodedata.normalize("NFC", f.stem).casefold() for f in files}
        if kind not in ("claims", "sources", "actors"):
            continue
        for path in files:
            front = _front(path)
            values = {key.strip(): _value(raw) for key, raw in _FIELD.findall(front)}
            slug = unicodedata.normalize("NFC", path.stem)
            if kind == "actors" and values.get("name"):
                found.actors.setdefault(name_key(values["name"]), slug)
            elif kind == "sources" and values.get("url"):
                found.sources.setdefault(url_key(values["url"]), slug)
            elif kind == "claims" and "imported:" in front:
                key = values.get("review_url") or (
                    f"id:{values['record_id']}" if values.get("record_id") else "")
                if key:
                    found.claims[key] = ImportedClaim(slug, path, values.get("digest", ""))
    return found
