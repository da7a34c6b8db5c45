"""Search plan: planned pages → the shards Pagefind indexes, and the manifest the browser reads.

Pagefind has no incremental mode and its memory grows with the pages it indexes, so the
index is split into shards of bounded size, each its own Pagefind bundle, merged in the
browser (``mergeIndex``). A page's shard follows from a stable key (a denial goes with the
claim it answers, so an edit of one claim touches one shard), and a shard's folder is named
by the digest of its pages' bytes: an unchanged shard keeps its folder and is not indexed
again. Pure functions; ``searchwrite.py`` runs Pagefind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.plan import PlannedPage
from generator.tracking import hash_text

FOLDER = "pagefind"
"""Where the search bundles go, below the site root."""
MANIFEST = f"{FOLDER}/shards.json"
"""The list of bundles the search page merges (and whether the preview's index is stale)."""
SHARD_PAGES = 2000
"""Pages a shard is planned to hold at most. Pagefind needs about 215 KB a page while it
indexes, so this bounds its memory (about 440 MB; hashing spreads pages only about evenly,
so a shard may exceed it by a few per cent). Fewer, larger shards make queries cheaper: a
query loads at least one 20,000-position index chunk (about 20 KB) from every shard."""
PAGE_KB = 215
"""Pagefind's memory per indexed page (measured: 10 pages 15 MB, 300 pages 73 MB, 828 pages
178 MB, 1,110 pages 246 MB)."""
MIRROR = "search-pages"
"""In the cache folder: each shard's pages, linked, kept between builds (``searchwrite``)."""
FORMAT = "1"
"""Bump when what the shards are made of changes without their pages changing."""
SITE = "site"
"""The shard of the site's own pages (about, ratings …): always planned (the ratings page
always exists), so it is the primary bundle, the one that carries Pagefind's scripts."""

INDEXED = {"claim.html", "denial.html", "page.html", "ratings.html"}
"""Templates whose pages a reader searches for; lists, actors and sources are not indexed
(actors are reached through the claimant filter)."""


@dataclass(frozen=True, slots=True)
class Shard:
    """Pages indexed together into one Pagefind bundle."""

    name: str
    """``site`` or ``c<number>``: stable while the number of shards stays the same."""
    paths: tuple[str, ...]
    """Output files below the site root, sorted."""

    def folder(self, digest: str) -> str:
        """The bundle's folder: a new digest is a new folder, so a browser never mixes a
        shard's old and new files."""
        return f"{FOLDER}/{self.name}-{digest[:12]}/"


def searchable(page: PlannedPage) -> bool:
    """Whether a planned page goes into the search index (published pages only)."""
    return page.template in INDEXED and bool(page.context["page"]["indexed"])


def group_key(page: PlannedPage) -> str:
    """The key that places a page in its shard: a claim's slug; a denial's first answered
    claim (it shows that claim's title, so both change together)."""
    if page.template == "claim.html":
        return page.context["claim"].slug
    if page.template == "denial.html":
        denial = page.context["denial"]
        return min(denial.answers) if denial.answers else f"denial/{denial.slug}"
    return page.path


def shard_count(pages: int, size: int) -> int:
    """A power of two, so that a growing site re-shards only when it doubles."""
    count = 1
    while pages > count * size:
        count *= 2
    return count


def bucket(key: str, count: int) -> int:
    """A stable number in ``range(count)`` for ``key`` (not Python's salted ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big") % count


def plan_shards(pages: Iterable[PlannedPage], size: int | None = None) -> list[Shard]:
    """The shards of the searchable pages: the site's own pages first, then the entries'
    (at most about ``size`` pages each, ``SHARD_PAGES`` by default)."""
    site: list[str] = []
    entries: list[tuple[str, str]] = []
    for page in pages:
        if not searchable(page):
            continue
        if page.template in ("page.html", "ratings.html"):
            site.append(page.path)
        else:
            entries.append((group_key(page), page.path))
    count = shard_count(len(entries), size or SHARD_PAGES)
    groups: dict[int, list[str]] = {}
    for key, path in entries:
        groups.setdefault(bucket(key, count), []).append(path)
    return [Shard(SITE, tuple(sorted(site)))] + [
        Shard(f"c{number}", tuple(sorted(groups[number]))) for number in sorted(groups)]


def shard_digest(shard: Shard, outputs: Mapping[str, str], version: str) -> str:
    """What a shard's bundle is made of: its pages' bytes (by digest) and Pagefind's version."""
    return hash_text(FORMAT, version, shard.name,
                     *(f"{path}\x1e{outputs[path]}" for path in shard.paths))


def manifest(folders: list[str], version: str, stale: bool = False) -> bytes:
    """``pagefind/shards.json``: the bundles (the first is the primary) relative to the
    site root, and whether they lag behind the pages (the preview, while it re-indexes)."""
    names = [folder.removeprefix(f"{FOLDER}/") for folder in folders]
    return (json.dumps({"pagefind": version, "bundles": names, "stale": stale},
                       indent=1) + "\n").encode()


__all__ = ["FOLDER", "MANIFEST", "MIRROR", "PAGE_KB", "SHARD_PAGES", "Shard", "bucket", "group_key",
           "manifest", "plan_shards", "searchable", "shard_count", "shard_digest"]
