"""Interface language: a language code and the theme's folders → translations and formats.

The theme's message catalogs (``locale/<lang>/LC_MESSAGES/messages.mo``, compiled from the
``.po`` files beside them) translate what the templates show; Babel formats dates, numbers
and language names by the locale's rules. Everything here takes the language as a
parameter, never from a global, so a multilingual build makes one ``Interface`` (and one
Jinja environment) per language. Loading reads files; formatting is pure and memoised per
``Interface`` so that a page costs dictionary look-ups, not Babel calls.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.numbers import format_decimal
from babel.support import Translations

from generator.countries import country_name
from generator.models import PartialDate

DOMAIN = "messages"
LOCALE_DIR = "locale"
"""Catalogs live in the theme: ``templates/locale/<lang>/LC_MESSAGES/messages.po``."""
SHIPPED = ("en", "fa", "ru", "uk", "ar")
"""Languages whose complete catalogs the built-in theme ships."""
RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku-arab", "prs", "ps", "sd",
                 "syr", "ug", "ur", "yi"})
SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}
ENGLISH_DEFAULT = "en_GB"
"""Plain ``en`` keeps the day-month-year order the site always showed ("3 May 2024")."""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here: the template translates it
    in the page's language (``pybabel extract -k N_``)."""
    return message


@dataclass(frozen=True, slots=True)
class Message:
    """Interface text planned before its language is known: a msgid marked with ``N_`` and
    its parameters (plain values or other messages), translated by the template's ``t``
    filter, so one plan can serve every language."""

    text: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, text: str, **params: Any) -> Message:
        return cls(text, tuple(sorted(params.items())))


@dataclass(frozen=True, slots=True)
class Country:
    """A country in a planned ``Message``'s parameters: shown by its name in the page's
    language, as every template shows it (``Interface.country_name``)."""

    code: str


def text_dir(language: str) -> str:
    """``rtl`` for right-to-left scripts (Persian, Arabic, Hebrew …), else ``ltr``."""
    lang = language.lower()
    return "rtl" if lang in RTL or lang.split("-")[0] in RTL else "ltr"


def primary(language: str) -> str:
    """``fa`` for ``fa-IR``: the part that decides whether two texts share a language."""
    return language.lower().replace("_", "-").split("-")[0]


def babel_locale(language: str) -> Locale:
    """The Babel locale for a BCP 47 code; English when Babel does not know it."""
    if language.lower() == "en":
        return Locale.parse(ENGLISH_DEFAULT)
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(primary(language))
        except (UnknownLocaleError, ValueError):
            return Locale.parse(ENGLISH_DEFAULT)


def catalog_files(layers: Iterable[Path]) -> list[Path]:
    """Every compiled catalog in the theme layers: their bytes decide what pages show."""
    return sorted(p for layer in layers for p in (layer / LOCALE_DIR).glob(f"*/*/{DOMAIN}.mo"))


def load_translations(layers: Iterable[Path], language: str) -> gettext.NullTranslations:
    """The catalog for ``language`` (``fa-IR`` falls back to ``fa``), the built-in theme's
    first and the site's own catalog merged over it; English source strings when none."""
    names = [language.replace("-", "_"), primary(language)]
    found: gettext.NullTranslations = gettext.NullTranslations()
    for layer in reversed(list(layers)):  # built-in first, the site's layer wins
        folder = layer / LOCALE_DIR
        if not folder.is_dir():
            continue
        loaded = Translations.load(str(folder), names, DOMAIN)
        if not isinstance(loaded, Translations):  # babel gives NullTranslations when absent
            continue
        if isinstance(found, Translations):
            found.merge(loaded)
        else:
            found = loaded
    return found


def untranslated(layers: Iterable[Path], language: str) -> tuple[Path | None, list[str]]:
    """The built-in theme's strings (its ``messages.pot``) that ``language``'s catalogs
    leave untranslated, and the catalog to add them to; pages show those in English."""
    layers = list(layers)
    template = layers[-1] / LOCALE_DIR / "messages.pot"
    if primary(language) == "en" or not template.is_file():
        return None, []
    from babel.messages.pofile import read_po

    with template.open("rb") as handle:
        wanted = [(m.context, m.id) for m in read_po(handle) if m.id]
    catalog = getattr(load_translations(layers, language), "_catalog", {})
    missing = []
    for context, msgid in wanted:
        singular = msgid if isinstance(msgid, str) else msgid[0]
        key = f"{context}\x04{singular}" if context else singular
        if (key if isinstance(msgid, str) else (key, 0)) not in catalog:
            missing.append(singular)
    name = language.replace("-", "_")
    for folder in (name, primary(language)):
        po = layers[0] / LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file() or folder == primary(language):
            return po, missing
    return None, missing


@dataclass(slots=True)
class Interface:
    """One language's translations and formats, with per-value memos (a site shows the
    same few hundred dates, counts and language codes on thousands of pages)."""

    language: str
    translations: gettext.NullTranslations
    locale: Locale = field(init=False)
    _dates: dict[PartialDate, str] = field(default_factory=dict, init=False)
    _numbers: dict[int, str] = field(default_factory=dict, init=False)
    _names: dict[str, str] = field(default_factory=dict, init=False)
    _countries: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.locale = babel_locale(self.language)

    @classmethod
    def load(cls, layers: Iterable[Path], language: str) -> Interface:
        return cls(language, load_translations(layers, language))

    @property
    def direction(self) -> str:
        return text_dir(self.language)

    def date(self, value: PartialDate) -> str:
        """A partial date at its precision: "2024", "May 2024", "3 May 2024", by locale."""
        shown = self._dates.get(value)
        if shown is None:
            import datetime

            day = datetime.date(value.year, value.month or 1, value.day or 1)
            shown = format_skeleton(SKELETONS[value.precision], day, locale=self.locale)
            self._dates[value] = shown
        return shown

    def warm(self) -> None:
        """Babel reads a locale's number and date data on first use (30 ms): read it now."""
        import datetime

        format_decimal(0, locale=self.locale)
        format_skeleton(SKELETONS["day"], datetime.date(2000, 1, 1), locale=self.locale)

    def number(self, value: int) -> str:
        shown = self._numbers.get(value)
        if shown is None:
            shown = self._numbers[value] = format_decimal(value, locale=self.locale)
        return shown

    def language_name(self, code: str) -> str:
        """``fa`` as "Persian" on an English page, «فارسی» on a Persian one; the code itself
        when Babel does not know it."""
        shown = self._names.get(code)
        if shown is None:
            try:
                name = Locale.parse(code.replace("-", "_")).get_display_name(self.locale)
            except (UnknownLocaleError, ValueError):
                name = None
            shown = self._names[code] = name or code
        return shown

    def country_name(self, code: str) -> str:
        """``IR`` as "Iran" on an English page, «ایران» on a Persian one (Babel's names)."""
        shown = self._countries.get(code)
        if shown is None:
            shown = self._countries[code] = country_name(code, self.locale)
        return shown

    def translate(self, value: Any) -> str:
        """A planned ``Message`` in this language (its parameters too); text as it is."""
        if isinstance(value, Country):
            return self.country_name(value.code)
        if not isinstance(value, Message):
            return value if isinstance(value, str) else str(value)
        params = {name: self.number(v) if isinstance(v, int) and not isinstance(v, bool)
                  else self.translate(v) for name, v in value.params}
        text = self.translations.gettext(value.text)
        return text % params if params else text

    def foreign(self, language: str) -> bool:
        """Whether text in ``language`` differs from this interface's, so needs marking."""
        return bool(language) and primary(language) != primary(self.language)


__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "SHIPPED",
    "Country",
    "Interface",
    "Message",
    "babel_locale",
    "catalog_files",
    "load_translations",
    "primary",
    "text_dir",
    "untranslated",
]
