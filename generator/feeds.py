"""Feeds for machines: the site index → Atom feeds, ``sitemap.xml`` and ``robots.txt`` as bytes.

Feed readers and crawlers need absolute URLs, so the Atom feeds and the sitemap exist only
when ``base_url`` has a domain (``factcheck check`` warns otherwise). Entry ids are the
claim pages' URLs: stable for as long as the page keeps its address. Pure: no I/O, no clock.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from generator.jsonld import absolute_url
from generator.models import Claim, PartialDate, SiteConfig
from generator.resolve import SiteIndex

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
SITEMAP_LIMIT = 50_000
"""URLs per sitemap file (sitemaps.org); a larger site gets a sitemap index."""
FEED_LIMIT = 50
"""Entries per feed: the most recently changed claims; the full archive is in data/."""
EPOCH = "1970-01-01T00:00:00Z"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text XML 1.0 can carry: control characters it forbids are dropped."""
    return _NOT_XML.sub("", value)


def _timestamp(value: PartialDate | None) -> str:
    """RFC 3339, as Atom requires; a month- or year-precise date starts its period."""
    if value is None:
        return EPOCH
    return f"{value.year:04d}-{value.month or 1:02d}-{value.day or 1:02d}T00:00:00Z"


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f" {name}={quoteattr(_text(value))}" for name, value in attrs.items())


def _el(tag: str, text: str | None = None, children: Sequence[str] = (), **attrs: str) -> str:
    """One XML element as text: ``text`` escaped, ``children`` already serialised."""
    name = tag.rstrip("_")
    if children:
        inner = "".join(f"\n  {line}" for child in children for line in child.split("\n"))
        return f"<{name}{_attrs(attrs)}>{inner}\n</{name}>"
    if text is None:
        return f"<{name}{_attrs(attrs)}/>"
    return f"<{name}{_attrs(attrs)}>{escape(_text(text))}</{name}>"


def _document(root: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + root + "\n").encode("utf-8")


def _content(index: SiteIndex, claim: Claim) -> str:
    """The entry's HTML: rating, explanation, claimant and the updates log."""
    rating = index.config.rating(claim.rating)
    claimant = index.entries["actors"].get(claim.claimant)
    parts = [f"<p><strong>{html.escape(rating.label if rating else claim.rating)}</strong>"
             + (f": {html.escape(claim.rating_explanation)}" if claim.rating_explanation
                else "") + "</p>"]
    if claimant is not None:
        parts.append(f"<p>Claimed by {html.escape(claimant.label)}.</p>")
    if claim.updates:
        items = "".join(f"<li>{u.date.iso()}: {html.escape(u.note)}</li>" for u in claim.updates)
        parts.append(f"<p>Updates:</p><ul>{items}</ul>")
    return "".join(parts)


def latest(claims: Iterable[Claim], limit: int = FEED_LIMIT) -> list[Claim]:
    """The ``limit`` claims changed last (newest update first), ties broken by slug."""
    ordered = sorted(claims, key=lambda c: c.slug)
    ordered.sort(key=lambda c: (str(c.modified or ""), str(c.published or "")), reverse=True)
    return ordered[:limit]


def atom_feed(index: SiteIndex, claims: Sequence[Claim], path: str, title: str) -> bytes | None:
    """An Atom feed of ``claims`` published at ``path``; None when the site has no domain."""
    config = index.config
    self_url = absolute_url(config, path)
    home = absolute_url(config, "")
    if self_url is None or home is None:
        return None
    claims = latest(claims)
    modified = [c.modified for c in claims if c.modified]
    author = [_el("name", config.organisation.name)]
    if config.organisation.url:
        author.append(_el("uri", config.organisation.url))
    head = [_el("id", self_url), _el("title", title), _el("subtitle", config.description),
            _el("link", rel="self", type="application/atom+xml", href=self_url),
            _el("link", rel="alternate", type="text/html", href=home),
            _el("updated", _timestamp(max(modified)) if modified else EPOCH),
            _el("author", children=author), _el("generator", "factcheck")]
    entries = []
    for claim in claims:
        url = absolute_url(config, claim.url_path) or ""
        rating = config.rating(claim.rating)
        label = rating.label if rating else claim.rating
        summary = f"{label}: {claim.rating_explanation}" if claim.rating_explanation else label
        fields = [_el("id", url), _el("title", claim.title),
                  _el("link", rel="alternate", type="text/html", href=url)]
        if claim.published:
            fields.append(_el("published", _timestamp(claim.published)))
        fields += [_el("updated", _timestamp(claim.modified)), _el("summary", summary),
                   _el("content", _content(index, claim), type="html")]
        fields += [_el("category", term=tag, scheme=absolute_url(config, "tags/") or "",
                       label=tag) for tag in claim.tags]
        shown_in = {"xml:lang": claim.language} \
            if claim.language and claim.language != config.language else {}
        entries.append(_el("entry", children=fields, **shown_in))  # an untranslated one
    return _document(_el("feed", children=head + entries, xmlns=ATOM,
                         **{"xml:lang": config.language}))


def sitemap(config: SiteConfig, pages: Iterable[tuple[str, PartialDate | None]],
            alternates: Mapping[str, Sequence[tuple[str, str]]] | None = None
            ) -> dict[str, bytes]:
    """``sitemap.xml`` for ``(url_path, lastmod)`` pairs, split past 50,000 URLs; on a
    multilingual site, each URL with its ``xhtml:link`` alternates (language, url_path).

    Returns ``{}`` when the site has no domain: sitemaps.org requires absolute URLs.
    """
    if not config.is_absolute:
        return {}
    rows = sorted(set(pages), key=lambda row: row[0])
    chunks = [rows[i:i + SITEMAP_LIMIT] for i in range(0, len(rows), SITEMAP_LIMIT)] or [[]]
    files: dict[str, bytes] = {}
    for number, chunk in enumerate(chunks, start=1):
        urls = []
        for url_path, lastmod in chunk:
            fields = [_el("loc", absolute_url(config, url_path))]
            if lastmod:
                fields.append(_el("lastmod", lastmod.iso()))
            fields += [_el("xhtml:link", rel="alternate", hreflang=language,
                           href=absolute_url(config, other) or "")
                       for language, other in (alternates or {}).get(url_path, ())]
            urls.append(_el("url", children=fields))
        name = "sitemap.xml" if len(chunks) == 1 else f"sitemap-{number}.xml"
        extra = {"xmlns:xhtml": XHTML} if alternates else {}
        files[name] = _document(_el("urlset", children=urls, xmlns=SITEMAP, **extra))
    if len(chunks) > 1:
        listing = [_el("sitemap", children=[_el("loc", absolute_url(config, name))])
                   for name in files]
        files["sitemap.xml"] = _document(_el("sitemapindex", children=listing, xmlns=SITEMAP))
    return files


def robots_txt(config: SiteConfig) -> bytes:
    """Allow everything; name the sitemap when there is one."""
    lines = ["User-agent: *", "Disallow:"]
    sitemap_url = absolute_url(config, "sitemap.xml")
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return ("\n".join(lines) + "\n").encode()
