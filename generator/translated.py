"""Translation files: ``claims/x.fa.md`` beside ``claims/x.md`` → a partial entry, and its
merge into the original for that language's edition.

A translation holds only the translatable words (title, our translation of a verbatim
quote, the explanation, the body); every fact (rating, dates, sources, actors, the verbatim
quote itself) is the original's, so two editions can never disagree on one. Input: a raw
entry whose slug ends in ``.<lang>``; output: an entry of the same kind with ``language``
set, checked against the original by ``attach`` once the index is built.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping

from generator import fields as f
from generator.diagnostics import Diagnostic, error, warning
from generator.models import Entry
from generator.read import RawEntry, hasher

SUFFIX_RE = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[a-z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)$")
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "claims": ("title", "statement", "translation", "translation_note", "rating_explanation",
               "date_note"),
    "denials": ("title", "translation", "translation_note", "date_note"),
    "sources": ("date_note",),
    "actors": ("name", "role"),
    "pages": ("title",),
    "cases": ("title", "summary"),
}
"""Fields a translation may give; a claim's ``statement`` only when it is not verbatim (a
verbatim one stays the claimant's words; its translation goes in ``translation``)."""
REQUIRED = {"claims": "title", "denials": "title", "actors": "name", "pages": "title",
            "cases": "title"}

Key = tuple[str, str]


def split_slug(slug: str) -> tuple[str, str] | None:
    """``("x", "fa")`` for a translation's file slug ``x.fa``; None for an original."""
    found = SUFFIX_RE.match(slug)
    return (found["slug"], found["lang"]) if found else None


def validate_translation(raw: RawEntry, models: Mapping[str, type[Entry]],
                         known: Iterable[str]) -> tuple[Entry | None, list[Diagnostic]]:
    """A translation file → a partial entry (slug ``x.fa``, ``language`` set)."""
    split = split_slug(raw.slug)
    assert split is not None
    base, language = split
    diagnostics: list[Diagnostic] = []
    allowed = TRANSLATABLE[raw.kind]
    for name in raw.front:
        if name in known and name not in allowed:
            diagnostics.append(error(
                raw.path, raw.front.lines.get(name, 1), "not-translatable",
                f"'{name}' is not translated: the translation takes it from "
                f"{raw.kind}/{base}.md", f"remove '{name}' from this file"))
    front = raw.front.without([n for n in raw.front if n in known and n not in allowed])
    schema = {name: f.Field(f.text, name == REQUIRED.get(raw.kind)) for name in allowed}
    schema["translated_from"] = f.Field(f.text)
    values, lines = f.read_fields(raw.path, front, schema, diagnostics)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    entry = models[raw.kind](kind=raw.kind, slug=raw.slug, path=raw.path, rel=raw.rel,
                             body=raw.body, body_line=raw.body_line, digest=raw.digest,
                             fields_digest=raw.front_digest, draft=False, lines=lines,
                             language=language, **values)
    return entry, diagnostics


def is_translation(entry: Entry) -> bool:
    return bool(entry.language) and split_slug(entry.slug) is not None


def source_digest(entry: Entry, body_html: str) -> str:
    """The digest of an original's translatable text (and body): what a translation records
    in ``translated_from`` and ``check`` compares, so a change to a rating or a date (which
    the translation takes as it is) does not flag it as outdated."""
    h = hasher()
    for name in TRANSLATABLE[entry.kind]:
        h.update(f"{name}\x1f{getattr(entry, name, '')}\x1e".encode())
    h.update(body_html.encode())
    return "sha256:" + h.hexdigest()[:16]


Translations = Mapping[Key, Mapping[str, Entry]]


def attach(originals: Mapping[str, Mapping[str, Entry]], translations: Iterable[Entry],
           languages: tuple[str, ...], source_digest_of: Callable[[Entry], str]
           ) -> tuple[dict[Key, dict[str, Entry]], list[Diagnostic]]:
    """Translations by original and language, with the problems only the site can tell:
    an unknown language, no original, two files for one translation, a verbatim statement
    overwritten, and (a warning) an original changed since it was translated."""
    found: dict[Key, dict[str, Entry]] = {}
    problems: list[Diagnostic] = []
    for entry in sorted(translations, key=lambda e: (e.kind, e.slug, e.path)):
        split = split_slug(entry.slug)
        assert split is not None
        base, language = split
        if language not in languages[1:]:
            problems.append(error(entry.path, 1, "unknown-language",
                                  f"'{language}' is not one of the site's other languages "
                                  f"({', '.join(languages[1:]) or 'none'})",
                                  f"add '{language}' to languages in content/site.yaml, or "
                                  f"rename the file to {entry.kind}/{base}.md"))
            continue
        original = originals.get(entry.kind, {}).get(base)
        if original is None:
            problems.append(error(entry.path, 1, "orphan-translation",
                                  f"there is no original {entry.kind}/{base}.md to translate",
                                  f"rename it after an existing entry, or start one with: "
                                  f"factcheck new {entry.kind[:-1]} \"...\""))
            continue
        same = found.setdefault((entry.kind, base), {})
        if language in same:
            problems.append(error(entry.path, 1, "duplicate-translation",
                                  f"{same[language].path} already translates "
                                  f"{entry.kind}/{base}.md into '{language}'",
                                  f"keep one of the two files; remove {entry.path}"))
            continue
        if entry.kind == "claims" and getattr(entry, "statement", "") and \
                getattr(original, "verbatim", False):
            problems.append(error(entry.path, entry.line_of("statement"), "not-translatable",
                                  "the statement is verbatim: it stays in the claimant's "
                                  "words in every language",
                                  "put our translation in 'translation' instead of "
                                  "'statement'"))
            continue
        same[language] = entry
        recorded = entry.translated_from
        current = source_digest_of(original) if recorded else ""
        if recorded and current and recorded != current:
            problems.append(warning(entry.path, entry.line_of("translated_from"),
                                    "translation-outdated",
                                    f"{original.path} changed after this translation was "
                                    "made", f"update the translation, then set "
                                    f"translated_from: \"{current}\""))
    return found, problems


def merged(original: Entry, translation: Entry | None, default: str) -> Entry:
    """The original as its edition shows it: the translation's words over the original's
    facts; without a translation, the original marked as in the default language."""
    marks: dict[str, str] = {}
    for name in ("statement_language", "quote_language"):
        if hasattr(original, name):
            marks[name] = getattr(original, name) or default
    if translation is None:
        return dataclasses.replace(original, language=default, **marks,
                                   fields_digest=_joined(original.fields_digest, "", default))
    words = {name: getattr(translation, name) for name in TRANSLATABLE[original.kind]
             if getattr(translation, name, "")}
    if "statement" in words:  # a paraphrase, rewritten in this language
        marks["statement_language"] = translation.language
    return dataclasses.replace(original, **words, **marks, language=translation.language,
                               digest=_joined(original.digest, translation.digest),
                               fields_digest=_joined(original.fields_digest,
                                                     translation.fields_digest, default))


def _joined(*digests: str) -> str:
    """One digest for a merged entry made from several: its files, or the front matter its
    fields come from with the default language."""
    h = hasher()
    h.update("\x1f".join(digests).encode())
    return h.hexdigest()


__all__ = ["TRANSLATABLE", "attach", "is_translation", "merged", "source_digest",
           "split_slug", "validate_translation"]
