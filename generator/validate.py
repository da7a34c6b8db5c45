"""Validate stage: raw entries → typed model objects, with every problem as a diagnostic.

Checks what one file can tell on its own (required fields, types, enums, dates, URL
schemes, unknown fields); what needs the whole site (references) is resolve's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from generator import countries
from generator import fields as f
from generator.diagnostics import Diagnostic, error
from generator.models import (
    Actor,
    Case,
    Claim,
    Denial,
    Entry,
    Imported,
    Page,
    Review,
    Source,
    Update,
)
from generator.read import RawEntry
from generator.translated import split_slug, validate_translation

EVIDENCE = ("none", "partial", "documented")
SOURCE_KINDS = ("official-statement", "media-report", "interview", "anonymous-official",
                "social-post", "article", "document", "other")
ACTOR_KINDS = ("person", "government", "ministry", "organisation", "outlet", "group", "unknown")

COMMON = {"draft": f.Field(f.boolean)}
DATED = {"date": f.Field(f.partial_date), "date_note": f.Field(f.text)}

SCHEMAS: dict[str, dict[str, f.Field]] = {
    "claims": {
        "title": f.Field(f.text, True), "statement": f.Field(f.text, True),
        "verbatim": f.Field(f.boolean), "statement_language": f.Field(f.language),
        "translation": f.Field(f.text), "translation_note": f.Field(f.text),
        "claimant": f.Field(f.slug, True), **DATED,
        # A claim with no source or no explanation builds with a warning (lint.py).
        "sources": f.Field(f.slug, many=True),
        # A key of the site's scale, checked against it by resolve (so that a label
        # written for the key can be recognised there).
        "rating": f.Field(f.text, True), "rating_explanation": f.Field(f.text),
        "evidence": f.Field(f.one_of(*EVIDENCE), True),
        "tags": f.Field(f.slug, many=True), "countries": f.Field(f.text, many=True),
        "related": f.Field(f.slug, many=True),
        "updates": f.Field(lambda v: v, many=True),  # replaced per entry, see _updates_field
        "reviewed": f.Field(f.full_date, True),
        "reviews": f.Field(lambda v: v, many=True),  # replaced per entry, see _schema
        "imported": f.Field(lambda v: v), **COMMON,
        "author": f.Field(f.text, many=True), "reviewed_by": f.Field(f.text, many=True),
    },
    "denials": {
        "title": f.Field(f.text, True), "actor": f.Field(f.slug, True), **DATED,
        "quote": f.Field(f.text, True), "quote_language": f.Field(f.language),
        "translation": f.Field(f.text), "translation_note": f.Field(f.text),
        "answers": f.Field(f.slug, True, many=True, min_items=1),
        "sources": f.Field(f.slug, True, many=True, min_items=1), **COMMON,
    },
    "sources": {
        "title": f.Field(f.text, True), "publisher": f.Field(f.slug),
        "kind": f.Field(f.one_of(*SOURCE_KINDS), True), **DATED,
        "url": f.Field(f.http_url), "archive_url": f.Field(f.http_url),
        "language": f.Field(f.language), **COMMON,
    },
    "actors": {
        "name": f.Field(f.text, True), "kind": f.Field(f.one_of(*ACTOR_KINDS), True),
        "role": f.Field(f.text), "country": f.Field(f.text), "affiliation": f.Field(f.slug),
        "name_language": f.Field(f.language), **COMMON,
    },
    "pages": {"title": f.Field(f.text, True), "menu": f.Field(f.integer), **COMMON},
    "cases": {"title": f.Field(f.text, True), "summary": f.Field(f.text),
              "claims": f.Field(f.slug, True, many=True, min_items=1), **COMMON},
}

DEFERRABLE: dict[str, tuple[str, ...]] = {
    "claims": ("statement", "claimant", "rating", "evidence", "reviewed"),
    "denials": ("actor", "quote", "answers", "sources"),
    "sources": ("kind",),
    "actors": ("kind",),
    "pages": (),
    "cases": ("claims",),
}
"""Required fields a *draft* may leave empty or out: what a writer has not decided yet.

A published entry needs them all; ``factcheck publish`` fills ``reviewed`` itself."""
AUTOMATIC = frozenset({"reviewed"})
THIRD_PARTY_OPTIONAL = ("claimant", "rating", "evidence", "reviewed")
"""Fields a claim reviewed only by other publishers (``reviews``, no ``rating``) leaves out:
they describe a review of ours. A missing claimant stays missing ("not given")."""
REVIEW = {"publisher": f.Field(f.slug, True), "textual_rating": f.Field(f.text),
          "rating": f.Field(f.text), "date": f.Field(f.partial_date),
          "url": f.Field(f.http_url), "title": f.Field(f.text),
          "language": f.Field(f.language), "licence": f.Field(f.text)}
IMPORTED = {"format": f.Field(f.text, True), "file": f.Field(f.text, True),
            "review_url": f.Field(f.http_url), "record_id": f.Field(f.text),
            "rating_text": f.Field(f.text), "licence": f.Field(f.text),
            "digest": f.Field(f.text)}
"""Deferrable fields that publishing fills in, so their absence leaves a draft complete."""

MODELS: dict[str, type[Entry]] = {"claims": Claim, "denials": Denial, "sources": Source,
                                  "actors": Actor, "pages": Page, "cases": Case}
RENAMED = {"sources": {"kind": "source_kind"}, "actors": {"kind": "actor_kind"}}


def _schema(raw: RawEntry, diagnostics: list[Diagnostic]) -> dict[str, f.Field]:
    schema = SCHEMAS[raw.kind]
    if raw.kind != "claims":
        return schema
    update = f.mapping_of({"date": f.Field(f.full_date, True), "note": f.Field(f.text, True)},
                          raw.path, diagnostics)
    schema = {**schema, "updates": f.Field(update, many=True),
              "reviews": f.Field(f.mapping_of(REVIEW, raw.path, diagnostics), many=True),
              "imported": f.Field(f.mapping_of(IMPORTED, raw.path, diagnostics))}
    if _third_party(raw):
        schema = {name: replace(spec, required=False) if name in THIRD_PARTY_OPTIONAL
                  else spec for name, spec in schema.items()}
    return schema


def _third_party(raw: RawEntry) -> bool:
    """Reviews by others and no rating of ours (see ``Claim.third_party``)."""
    return raw.kind == "claims" and not _blank(raw.front.get("reviews")) \
        and _blank(raw.front.get("rating"))


def _blank(value: object) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _undecided(raw: RawEntry, schema: dict[str, f.Field]
               ) -> tuple[dict[str, f.Field], tuple[str, ...], tuple[str, ...]]:
    """For a draft: the schema with its deferrable fields optional, the fields left blank
    (read as absent, whatever the field), and the deferrable ones not decided yet."""
    if raw.front.get("draft") is not True:
        return schema, (), ()
    deferrable = DEFERRABLE[raw.kind]
    if _third_party(raw):
        deferrable = tuple(n for n in deferrable if n not in THIRD_PARTY_OPTIONAL)
    blank = tuple(n for n in raw.front if isinstance(n, str) and _blank(raw.front[n]))
    undecided = tuple(n for n in deferrable if n not in raw.front or n in blank)
    relaxed = {name: replace(spec, required=False, min_items=0) if name in deferrable else spec
               for name, spec in schema.items()}
    return relaxed, blank, undecided


def _translation_problems(raw: RawEntry, values: dict[str, object], lines: dict[str, int]
                          ) -> list[Diagnostic]:
    """A translation is shown beside the words it translates: a claim's ``translation``
    needs a verbatim statement, and a translator's note needs a translation."""
    found = []
    original = "quote" if raw.kind == "denials" else "statement"
    if raw.kind == "claims" and values.get("translation") and not values.get("verbatim"):
        found.append(error(raw.path, lines.get("translation", 1), "translation-without-original",
                           "'translation' translates a verbatim statement, but this claim's "
                           "statement is not marked 'verbatim: true'",
                           "add 'verbatim: true' if the statement is the claimant's exact "
                           "words, or remove 'translation'"))
    elif values.get("translation") and not values.get(original) and not raw.front.get("draft"):
        found.append(error(raw.path, lines.get("translation", 1), "translation-without-original",
                           f"'translation' is given but there is no '{original}' to translate",
                           f"add the original '{original}' or remove 'translation'"))
    if values.get("translation_note") and not values.get("translation"):
        found.append(error(raw.path, lines.get("translation_note", 1),
                           "note-without-translation",
                           "'translation_note' is a note on a translation, but there is no "
                           "'translation'", "add 'translation' or remove the note"))
    return found


COUNTRY_FIELDS = {"claims": "countries", "actors": "country"}


def _country_problems(raw: RawEntry, values: dict[str, object], lines: dict[str, int]
                      ) -> list[Diagnostic]:
    """Countries are ISO 3166-1 alpha-2 codes (stored upper case): a name gets the code to
    write in its place, in a hint holding the whole corrected field."""
    name = COUNTRY_FIELDS.get(raw.kind)
    if name is None or name not in values:
        return []
    many = name == "countries"
    written = values[name] if many else (values[name],)
    assert isinstance(written, tuple)
    found = []
    fixed = [countries.normal(w) or countries.code_for(w) or w for w in written]
    shown = f"{name}: [{', '.join(fixed)}]" if many else f"{name}: {fixed[0]}"
    for number, value in enumerate(written):
        if countries.normal(value):
            continue
        line = lines.get(f"{name}[{number}]", lines.get(name, 1)) if many else lines[name]
        code = countries.code_for(value)
        if code:
            found.append(error(raw.path, line, "country-name",
                               f"{name}: '{value}' is a country name; countries are written "
                               "as ISO 3166-1 codes", f"write {shown}"))
        else:
            found.append(error(raw.path, line, "unknown-country",
                               f"{name}: '{value}' is not an ISO 3166-1 country code",
                               "write the country's two-letter code, e.g. "
                               + ("countries: [IR]" if many else "country: IR")))
    values[name] = tuple(dict.fromkeys(countries.normal(w) or w for w in written)) if many \
        else countries.normal(written[0]) or written[0]
    return found


def validate_entry(raw: RawEntry) -> tuple[Entry | None, list[Diagnostic]]:
    """One raw entry → its model; pure, so the result can be cached by the file's digest.

    A draft may leave any field blank (``statement: ""``, read as absent) and its
    deferrable fields out, listed in the entry's ``unfinished``: a scaffold is valid as
    written, and only publishing requires what the writer has not decided yet.
    """
    diagnostics: list[Diagnostic] = []
    if split_slug(raw.slug) is not None and not f.unsafe_path(raw.slug):
        return validate_translation(raw, MODELS, SCHEMAS[raw.kind])
    if f.unsafe_path(raw.slug):
        diagnostics.append(error(
            raw.path, 0, "unsafe-path", f"file name '{raw.slug}.md' could write outside the site",
            "rename it with lower-case letters, digits and single hyphens"))
    elif not f.SLUG_RE.match(raw.slug) or raw.slug != raw.slug.lower():
        diagnostics.append(error(
            raw.path, 0, "invalid-slug", f"file name '{raw.slug}.md' is not a valid slug",
            "rename it with lower-case letters, digits and single hyphens"))
    schema, blank, undecided = _undecided(raw, _schema(raw, diagnostics))
    front = raw.front
    if blank:  # blank deferrable fields are read as absent, not as empty values
        front = front.without(blank)
    values, lines = f.read_fields(raw.path, front, schema, diagnostics)
    lines.update({n: front.lines[n] for n in blank if n in front.lines})
    if raw.kind == "claims":
        values["updates"] = tuple(Update(**u) for u in values.get("updates", ()) if u)
        values["reviews"] = tuple(Review(**r) for r in values.get("reviews", ()) if r)
        for number in range(len(values["reviews"])):
            if f"reviews[{number}]" in lines:
                lines[f"review_publishers[{number}]"] = lines[f"reviews[{number}]"]
        if values.get("imported"):
            values["imported"] = Imported(**values["imported"])
        else:
            values.pop("imported", None)
    for old, new in RENAMED.get(raw.kind, {}).items():
        if old in values:
            values[new] = values.pop(old)
    diagnostics += _translation_problems(raw, values, lines)
    diagnostics += _country_problems(raw, values, lines)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    model: Callable[..., Entry] = MODELS[raw.kind]
    values.setdefault("draft", False)
    entry = model(kind=raw.kind, slug=raw.slug, path=raw.path, rel=raw.rel, body=raw.body,
                  body_line=raw.body_line, digest=raw.digest, fields_digest=raw.front_digest,
                  lines=lines,
                  unfinished=tuple(n for n in undecided if n not in AUTOMATIC), **values)
    return entry, diagnostics
