"""Every string the templates show is in every shipped catalog, and each compiled catalog is
current: the rule of docs/templates.md, enforced.

The extraction runs in process with Babel's API and the repository's ``babel.cfg`` (the
same mapping as ``pybabel extract``); a template string added without translating it into
every shipped language fails here, naming the language and the string.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from generator.i18n import DOMAIN, LOCALE_DIR, SHIPPED
from tests.conftest import ROOT, TEMPLATES

Key = tuple[str, str | None]
"""(msgid, msgctxt); for a plural message its singular msgid."""


def extracted() -> dict[Key, tuple[str, int]]:
    """Every translatable string of the theme and the planning modules → where it is."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[Key, tuple[str, int]] = {}
    for filename, line, message, _, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((msgid, context), (filename, line))
    return found


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return TEMPLATES / LOCALE_DIR / language / "LC_MESSAGES" / (DOMAIN + suffix)


def read_catalog(language: str) -> Catalog:
    with open(catalog_path(language), "rb") as po:
        return read_po(po, locale=language)


def problems(catalog: Catalog, wanted: dict[Key, tuple[str, int]]) -> list[str]:
    """What keeps a catalog from being complete and clean, one line per problem."""
    found: list[str] = []
    have: set[Key] = set()
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        key = (msgid, message.context)
        have.add(key)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.pluralizable and len(forms) != catalog.num_plurals:
            found.append(f"wrong number of plural forms: {msgid!r}")
        if not all(forms):
            found.append(f"untranslated: {msgid!r}")
        if message.fuzzy:
            found.append(f"fuzzy: {msgid!r}")
        if key not in wanted:
            found.append(f"obsolete (no template shows it): {msgid!r}")
        for error in message.check(catalog):
            found.append(f"{msgid!r}: {error}")
    found += [f"obsolete (#~): {key!r}" for key in catalog.obsolete]
    found += [f"missing: {key[0]!r} ({where[0]}:{where[1]})"
              for key, where in sorted(wanted.items(), key=lambda kv: kv[1])
              if key not in have]
    return found


@pytest.fixture(scope="module")
def wanted() -> dict[Key, tuple[str, int]]:
    return extracted()


def test_extraction_finds_the_strings_of_templates_and_planning(wanted):
    keys = {k[0] for k in wanted}
    assert {"Date not known", "Page %(number)s of %(count)s", "%(shown)s claim",  # templates
            "Our ratings", "Rated: %(rating)s", "media report"} <= keys  # plan.py, render.py
    assert (", ", "list separator") in wanted
    assert len(wanted) > 100


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalog_translates_every_string(language, wanted):
    catalog = read_catalog(language)
    assert catalog.num_plurals == get_plural(language).num_plurals  # the CLDR rule's forms
    assert problems(catalog, wanted) == []


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalog_is_current(language):
    """The committed .mo (what the wheel ships and the build loads) is its .po compiled:
    after editing a .po, run ``pybabel compile -d templates/locale``."""
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(language))
    assert catalog_path(language, ".mo").read_bytes() == compiled.getvalue()


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_catalog_header_says_it_awaits_review(language):
    head = catalog_path(language).read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "AWAITS REVIEW BY A NATIVE SPEAKER" in head


def test_template_file_lists_what_extraction_finds(wanted):
    with open(TEMPLATES / LOCALE_DIR / "messages.pot", "rb") as pot:
        template = read_po(pot)
    keys = {(m.id[0] if m.pluralizable else m.id, m.context) for m in template if m.id}
    assert keys == set(wanted)


def test_the_check_reports_a_missing_fuzzy_and_obsolete_string(wanted):
    """The completeness check can fail: a string dropped, one fuzzy, one left over."""
    catalog = read_catalog("fa")
    catalog.delete("Date not known")
    catalog["Page not found"].flags.add("fuzzy")
    catalog.add("A string no template shows", "رشته‌ای که هیچ قالبی نشان نمی‌دهد")
    catalog["Rated: %(rating)s"].string = "رتبه: %(rate)s"  # a placeholder mistyped
    found = problems(catalog, wanted)
    assert "fuzzy: 'Page not found'" in found
    assert "obsolete (no template shows it): 'A string no template shows'" in found
    assert any(p.startswith("missing: 'Date not known' (templates/_macros.html:") for p in found)
    assert any(p.startswith("'Rated: %(rating)s': ") for p in found)
    assert len(found) == 4
