"""Editions: the site index → one index and one plan per published language.

The default language keeps the site root, so a one-language site's URLs never change; each
other language is the same site under ``/<lang>/``, planned by ``plan_site`` on an index
whose entries carry that language's words (``translated.merged``) and whose configuration
has its title, scale and base URL. Every entry has a page in every edition: an untranslated
one is shown in the default language with a note saying so, is not offered to search
engines (``noindex``, no ``hreflang``) and points at the original as canonical.

Then each page learns its alternates (the same page in the other editions where it is
translated, for ``hreflang`` links and the sitemap) and the language switcher's targets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from babel import Locale, UnknownLocaleError

from generator import feeds
from generator.jsonld import absolute_url
from generator.models import Entry, SiteConfig
from generator.plan import PlannedPage, own_entry, plan_site
from generator.resolve import SiteIndex, _sorted
from generator.translated import merged


def edition_config(config: SiteConfig, language: str) -> SiteConfig:
    """The configuration an edition is rendered with: its words, and its URL tree."""
    words = config.translations.get(language)
    changed: dict[str, object] = {"language": language,
                                  "base_url": f"{config.base_url}{language}/",
                                  "static_base": config.base_path}
    if words is not None:
        changed.update({name: value for name, value in (
            ("title", words.title), ("description", words.description),
            ("ratings", words.ratings)) if value})
    return dataclasses.replace(config, **changed)  # type: ignore[arg-type]


def edition(index: SiteIndex, language: str) -> SiteIndex:
    """``index`` as ``language``'s edition shows it: translations merged, the rest marked
    as in the default language; lists sorted by the labels this edition shows."""
    default = index.config.language
    entries: dict[str, dict[str, Entry]] = {}
    bodies = dict(index.bodies)
    for kind, found in index.entries.items():
        shown = []
        for slug, entry in found.items():
            translation = index.translations.get((kind, slug), {}).get(language)
            shown.append(merged(entry, translation, default))
            if translation is not None and (kind, translation.slug) in index.bodies:
                bodies[(kind, slug)] = index.bodies[(kind, translation.slug)]
        entries[kind] = _sorted(kind, shown)
    return dataclasses.replace(index, config=edition_config(index.config, language),
                               entries=entries, bodies=bodies)


def plan_languages(index: SiteIndex) -> tuple[list[PlannedPage], dict[str, SiteIndex]]:
    """Every edition's pages (a one-language site: exactly ``plan_site``'s) and the index
    each other language's pages are rendered with."""
    languages = index.config.editions
    if len(languages) == 1:
        return plan_site(index), {}
    indexes = {language: edition(index, language) for language in languages[1:]}
    planned = {languages[0]: plan_site(index)}
    for language, shown in indexes.items():
        planned[language] = plan_site(shown)
    return link_editions(index, planned), indexes


def _translated(index: SiteIndex, page: PlannedPage, language: str) -> bool:
    """Whether ``page`` exists in ``language`` in its own words: every page of the default
    language, an entry's page only where the entry is translated, a draft's never."""
    if page.context.get("draft"):
        return False
    if language == index.config.language:
        return True
    entry = own_entry(page)
    if entry is not None:
        return language in index.translations.get((entry.kind, entry.slug), {})
    return True


def autonym(code: str) -> str:
    """A language's name in itself (فارسی, English): what its readers look for."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return locale.get_display_name(locale) or code


def link_editions(index: SiteIndex, planned: Mapping[str, list[PlannedPage]]
                  ) -> list[PlannedPage]:
    """All editions' pages under their prefixes, each knowing its alternates and the
    switcher's targets; one sitemap (with ``xhtml:link`` alternates) and robots.txt at
    the root, listing every edition."""
    config = index.config
    default = config.language
    prefix = {language: "" if language == default else f"{language}/" for language in planned}
    names = {code: autonym(code) for code in planned}

    def href(path: str) -> str:
        """Absolute when the site has a domain (as search engines want ``hreflang``)."""
        return absolute_url(config, path) or config.base_path + path

    found: list[PlannedPage] = []
    alternates: dict[str, list[tuple[str, str]]] = {}
    listed = []
    for language, pages in planned.items():
        for page in pages:
            if page.path in ("sitemap.xml", "robots.txt") or page.path.startswith("sitemap-"):
                continue  # one of each, at the root, below
            path = prefix[language] + page.path
            if not page.template:
                found.append(dataclasses.replace(page, path=path, language=language))
                continue
            own = _translated(index, page, language)
            others = [(code, prefix[code] + page.url_path) for code in planned
                      if _translated(index, page, code)] if own else []
            switcher = [(code, config.base_path + prefix[code] + page.url_path, names[code],
                         code == language) for code in planned]
            context = {**page.context, "edition": {
                "alternates": [(code, href(path)) for code, path in others],
                "languages": switcher, "fallback": "" if own else default}}
            context["page"] = {**context["page"],
                               "indexed": context["page"]["indexed"] and own}
            found.append(dataclasses.replace(page, path=path, context=context,
                                             language=language))
            if context["page"]["indexed"]:
                listed.append((prefix[language] + page.url_path, page.lastmod))
                alternates[prefix[language] + page.url_path] = others
    files = feeds.sitemap(config, listed, alternates)
    files["robots.txt"] = feeds.robots_txt(config)
    found += [PlannedPage(path, "", {}, data=data) for path, data in files.items()]
    return found


__all__ = ["edition", "edition_config", "link_editions", "plan_languages"]
