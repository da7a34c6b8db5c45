"""Config stage: the parsed ``content/site.yaml`` mapping → a frozen ``SiteConfig``.

Every problem is reported in one pass; command-line overrides (``--base-url``) are applied
here so that no later stage needs to know where a setting came from.
"""

from __future__ import annotations

import re
from typing import Any

from generator import fields as f
from generator.diagnostics import Diagnostic, error
from generator.models import Organisation, Rating, RatingRule, SiteConfig, SiteTranslation


def _base_url(value: Any) -> str:
    result = f.text(value)
    if result.startswith(("http://", "https://")):
        f.http_url(result)
    elif not result.startswith("/"):
        raise f.Invalid("invalid-base-url", f"'{result}' is neither an http(s) URL nor a path",
                        "write https://example.org/factcheck/ or /factcheck/")
    if "?" in result or "#" in result or any(c.isspace() for c in result):
        raise f.Invalid("invalid-base-url", f"'{result}' may not contain a query or a fragment")
    return result if result.endswith("/") else result + "/"


def _colour(value: Any) -> str:
    result = f.text(value)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", result):
        raise f.Invalid("invalid-colour", f"'{result}' is not a colour",
                        'write it as "#rrggbb", quoted: colour: "#d55e00"')
    return result.lower()


def _contact(value: Any) -> str:
    result = f.text(value)
    if result.startswith("mailto:") and "@" in result and not any(
            c.isspace() or c in "<>\"'`" for c in result):
        return result
    return f.http_url(result)


def parse_config(raw: Any, path: str, base_url: str | None = None
                 ) -> tuple[SiteConfig | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    if not isinstance(raw, dict):
        return None, [error(path, 1, "invalid-site-yaml", "site.yaml must be a mapping of settings",
                            "see docs/content.md for the fields")]
    organisation = f.mapping_of({"name": f.Field(f.text, True), "url": f.Field(f.http_url)},
                                path, diagnostics)
    rating = f.mapping_of({"key": f.Field(f.slug, True), "label": f.Field(f.text, True),
                           "description": f.Field(f.text, True),
                           "value": f.Field(f.integer, True),
                           "colour": f.Field(_colour)}, path, diagnostics)
    rule = f.mapping_of({"match": f.Field(f.text, True), "rating": f.Field(f.slug, True),
                         "publisher": f.Field(f.text)}, path, diagnostics)
    schema = {
        "rating_map": f.Field(rule, many=True),
        "title": f.Field(f.text, True),
        "description": f.Field(f.text, True),
        "base_url": f.Field(_base_url),
        "language": f.Field(f.language),
        "languages": f.Field(f.language, many=True, min_items=1),
        "translations": f.Field(lambda v: v),  # checked by _translations, knowing the scale
        "organisation": f.Field(organisation, True),
        "ratings": f.Field(rating, True, many=True, min_items=1),
        "contact": f.Field(_contact),
        "review_after_days": f.Field(f.positive_integer),
        "allow_raw_html": f.Field(f.boolean),
        "build_date": f.Field(f.full_date),
        "bylines": f.Field(f.boolean),
        "claim_cards": f.Field(f.boolean),
    }
    values, lines = f.read_fields(path, raw, schema, diagnostics)
    if base_url is not None:
        try:
            values["base_url"] = _base_url(base_url)
        except f.Invalid as exc:
            diagnostics.append(error("--base-url", 0, exc.code, exc.message, exc.hint))
    ratings = tuple(Rating(**r) for r in values.get("ratings", ()) if r)
    seen: set[str] = set()
    for index, rating_value in enumerate(ratings):
        if rating_value.key in seen:
            diagnostics.append(error(path, lines.get(f"ratings[{index}]", 1), "duplicate-rating",
                                     f"rating '{rating_value.key}' is defined twice"))
        seen.add(rating_value.key)
    rules = tuple(RatingRule(**r) for r in values.get("rating_map", ()) if r)
    values["languages"], problems = _languages(values, path, lines)
    diagnostics += problems
    values["translations"], problems = _translations(values.get("translations"), ratings,
                                                     values["languages"], path, lines)
    diagnostics += problems
    diagnostics += _check_rules(rules, ratings, path, lines)
    if diagnostics or not values.get("organisation"):
        return None, diagnostics
    values["organisation"] = Organisation(**values["organisation"])
    values["ratings"] = ratings
    values["rating_map"] = rules
    return SiteConfig(path=path, lines=lines, **values), diagnostics


def rule_key(text: str) -> str:
    """How an imported rating is compared: case and spaces aside, Unicode-normalised."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _check_rules(rules: tuple[RatingRule, ...], ratings: tuple[Rating, ...], path: str,
                 lines: dict[str, int]) -> list[Diagnostic]:
    """Each rule names a key of the scale, and no rating is mapped twice for one publisher."""
    found: list[Diagnostic] = []
    keys = [r.key for r in ratings]
    seen: dict[tuple[str, str], str] = {}
    for index, rule in enumerate(rules):
        line = lines.get(f"rating_map[{index}]", lines.get("rating_map", 1))
        if rule.rating not in keys:
            from generator.diagnostics import did_you_mean

            found.append(error(path, line, "unknown-rating",
                               f"rating_map: '{rule.rating}' is not a key of the ratings",
                               did_you_mean(rule.rating, keys) or
                               f"use one of: {', '.join(keys)}"))
        key = (rule_key(rule.publisher), rule_key(rule.match))
        if key in seen and seen[key] != rule.rating:
            found.append(error(path, line, "duplicate-rating-map",
                               f"rating_map: '{rule.match}' is mapped twice",
                               "keep one rule per rating (and publisher)"))
        seen.setdefault(key, rule.rating)
    return found


def _languages(values: dict[str, Any], path: str, lines: dict[str, int]
               ) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """``languages`` lists every published language and includes the default one."""
    default = values.get("language", "en")
    listed = tuple(values.get("languages") or (default,))
    found = []
    if default not in listed:
        found.append(error(path, lines.get("languages", 1), "unknown-language",
                           f"languages does not include the site's language '{default}'",
                           f"list it first: languages: [{', '.join((default, *listed))}]"))
    if len(set(listed)) != len(listed):
        found.append(error(path, lines.get("languages", 1), "duplicate-language",
                           "a language is listed twice in languages", "list each code once"))
    found += [error(path, lines.get(f"languages[{number}]", lines.get("languages", 1)),
                    "unknown-language", f"'{code}' is not a language Babel knows",
                    "use a BCP 47 code such as en, fa, ru, uk, ar or tg (a language "
                    "without a catalog shows the English interface: docs/templates.md)")
              for number, code in enumerate(listed) if not _known(code)]
    return (default, *(code for code in listed if code != default)), found


def _known(code: str) -> bool:
    """Whether Babel has locale data (dates, plural forms, names) for the language."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.split("-")[0].lower())
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _translations(value: Any, ratings: tuple[Rating, ...], languages: tuple[str, ...],
                  path: str, lines: dict[str, int]
                  ) -> tuple[dict[str, SiteTranslation], list[Diagnostic]]:
    """``translations: {fa: {title, description, ratings: {key: {label, description}}}}``."""
    line = lines.get("translations", 1)
    if value is None:
        return {}, []
    hint = ("write translations: {fa: {title: ..., description: ..., ratings: "
            "{misleading: {label: ..., description: ...}}}}")
    if not isinstance(value, dict):
        return {}, [error(path, line, "invalid-translations", "translations must be a mapping "
                          "of language codes", hint)]
    found: dict[str, SiteTranslation] = {}
    problems: list[Diagnostic] = []
    for code, text in value.items():
        if code not in languages[1:]:
            problems.append(error(path, line, "unknown-language",
                                  f"translations: '{code}' is not one of the site's other "
                                  f"languages ({', '.join(languages[1:]) or 'none'})",
                                  f"add it to languages: [{', '.join((*languages, str(code)))}]"))
            continue
        if not isinstance(text, dict) or not set(text) <= {"title", "description", "ratings"}:
            problems.append(error(path, line, "invalid-translations",
                                  f"translations.{code} may hold title, description and "
                                  "ratings", hint))
            continue
        scale = []
        given = text.get("ratings") or {}
        for key in given if isinstance(given, dict) else ["?"]:
            if not isinstance(given, dict) or not any(r.key == key for r in ratings):
                problems.append(error(path, line, "unknown-rating",
                                      f"translations.{code}.ratings: '{key}' is not a key of "
                                      "the ratings", f"use one of: "
                                      f"{', '.join(r.key for r in ratings)}"))
        for rating in ratings:
            words = given.get(rating.key) if isinstance(given, dict) else None
            words = words if isinstance(words, dict) else {}
            scale.append(Rating(rating.key, str(words.get("label") or rating.label),
                                str(words.get("description") or rating.description),
                                rating.value, rating.colour))
        found[code] = SiteTranslation(str(text.get("title") or ""),
                                      str(text.get("description") or ""), tuple(scale))
    return found, problems
