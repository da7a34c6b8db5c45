"""``factcheck new``: the title and what the writer already knows → a draft entry file.

The file is valid as written (``check --drafts`` passes): every field is present, the
optional ones commented out, and what the writer has not decided yet (a verdict, the
claimant, the sources, the evidence) is left empty, to be filled before ``factcheck
publish``. Nothing is chosen for the writer: no rating, no kind, no date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from slugify import slugify

from generator import fields as f
from generator.config import parse_config
from generator.diagnostics import Diagnostic, did_you_mean, error
from generator.models import Rating
from generator.read import discover, display_path, read_site_yaml
from generator.resolve import SINGULAR
from generator.validate import ACTOR_KINDS, EVIDENCE, SOURCE_KINDS

KINDS = {"claim": "claims", "denial": "denials", "source": "sources", "actor": "actors",
         "page": "pages", "case": "cases"}

MAX_SLUG = 60
"""Characters; longer titles are cut at the last whole word that fits."""

# Arabic, Persian and Hebrew: transliteration drops the short vowels (ایران → "yrn"), so
# their slugs keep the native letters, which are valid slugs and readable to their readers.
NATIVE_SCRIPTS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Apostrophes join a word (children's, Kyiv’s, Hawaiʻi) and joiners shape one (Persian
# نمی‌دهد): dropped, never read as a space between two words.
DROPPED = dict.fromkeys(map(ord, "'\u2018\u2019\u02bb\u02bc\uff07\u200c\u200d"))
# A slug cut after "of" or "the" reads as unfinished: such words are not kept at the cut.
DANGLING = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or",
                      "the", "to", "with"})


def make_slug(title: str, limit: int = MAX_SLUG) -> str:
    """Readable and safe: ``Таджикистан`` → ``tadzhikistan``; ``ایران`` stays ``ایران``;
    ``children's`` → ``childrens``; only lower-case letters, digits and single hyphens
    (``fields.SLUG_RE``), at most ``limit`` characters, cut between words."""
    text = title.translate(DROPPED)
    native = bool(NATIVE_SCRIPTS.search(text))
    if native:  # vowel signs are optional in these scripts and no slug letter (إ stays whole)
        text = "".join(c for c in unicodedata.normalize("NFC", text.lower())
                       if unicodedata.category(c) != "Mn")  # İ lowers to i and a dot mark
    words = [_letters(w) for w in slugify(text, lowercase=True, allow_unicode=native).split("-")]
    if native:  # other scripts' letters are transliterated, as in a Latin title ("µ" → "m")
        words = [_letters("".join(c if c.isascii() or NATIVE_SCRIPTS.match(c)
                                  else slugify(c, lowercase=True) for c in w)) for w in words]
    return _shorten([w for w in words if w], limit)


def _letters(word: str) -> str:
    """Only what ``SLUG_RE`` accepts, lower-cased."""
    if word.isascii():  # the common case, without normalising (ASCII is NFC already)
        return word.lower() if word.isalnum() else "".join(c for c in word.lower()
                                                            if c.isalnum())
    return "".join(c for c in unicodedata.normalize("NFC", word.lower()) if c.isalnum())


def _shorten(words: list[str], limit: int) -> str:
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > limit:
            break
        kept.append(word)
    else:
        return "-".join(kept)
    if not kept:  # a single word longer than the limit: the one case a word is cut
        return words[0][:limit]
    while len(kept) > 1 and kept[-1] in DANGLING:
        kept.pop()
    return "-".join(kept)


@dataclass(frozen=True, slots=True)
class Known:
    """What the writer already knows, from the command line; everything else stays empty."""

    slug: str | None = None
    claimant: str | None = None
    actor: str | None = None
    sources: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    publisher: str | None = None
    url: str | None = None


OPTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Known field: (option, kind of the entries it names or "" for a URL, kinds that take it)
    "claimant": ("--claimant", "actors", ("claim",)),
    "actor": ("--actor", "actors", ("denial",)),
    "sources": ("--cite", "sources", ("claim", "denial")),
    "answers": ("--answers", "claims", ("denial",)),
    "publisher": ("--publisher", "actors", ("source",)),
    "url": ("--url", "", ("source",)),
}


def misplaced(kind: str, known: Known) -> list[str]:
    """Options given for a kind that has no such field: usage errors."""
    return [f"{option} is for {' and '.join(k + 's' for k in kinds)}, not {kind}s"
            for name, (option, _, kinds) in OPTIONS.items()
            if getattr(known, name) and kind not in kinds]


def _values(known: Known, name: str) -> tuple[str, ...]:
    value = getattr(known, name)
    return value if isinstance(value, tuple) else (value,) if value else ()


def check(kind: str, title: str, known: Known, existing: dict[str, set[str]]
          ) -> tuple[str, Known, list[Diagnostic]]:
    """The slug and the writer's answers, checked against the entries that exist (by kind).

    A reference may be given as a slug or as the entry's file (``content/actors/x.md``).
    """
    problems: list[Diagnostic] = []
    if not title.strip():
        problems.append(error("TITLE", 0, "empty-value", "the title is empty",
                              "give the entry a title, in quotes"))
    slug = make_slug(title)
    if known.slug is not None:
        try:
            slug = f.slug(unicodedata.normalize("NFC", known.slug))
        except f.Invalid as exc:
            problems.append(error("--slug", 0, exc.code, exc.message, exc.hint))
    elif title.strip() and not slug:
        problems.append(error("TITLE", 0, "invalid-slug", f"cannot make a slug from '{title}'",
                              "use a title with letters or digits, or choose one with --slug"))
    answers: dict[str, str | tuple[str, ...] | None] = {"slug": slug}
    for name, (option, target, _) in OPTIONS.items():
        values = tuple(Path(v).stem if target and v.endswith(".md") else v.strip()
                       for v in _values(known, name))
        for value in values:
            problems += _check_value(option, value, target, existing)
        if len(set(values)) < len(values):
            problems.append(error(option, 0, "duplicate-item", "a value is given twice",
                                  "give each one once"))
        answers[name] = values if isinstance(getattr(known, name), tuple) else \
            (values[0] if values else None)
    return slug, replace(known, **answers), problems


def _check_value(option: str, value: str, target: str, existing: dict[str, set[str]]
                 ) -> list[Diagnostic]:
    try:
        f.http_url(value) if not target else f.slug(value)
    except f.Invalid as exc:
        return [error(option, 0, exc.code, exc.message, exc.hint)]
    if not target or value in existing.get(target, set()):
        return []
    wanted = SINGULAR[target]
    other = next((k for k, slugs in existing.items() if value in slugs), None)
    if other is not None:
        return [error(option, 0, "wrong-kind", f"'{value}' is {_a(SINGULAR[other])}, not "
                      f"{_a(wanted)}", f"name one of content/{target}/")]
    hint = did_you_mean(value, existing.get(target, ())) or \
        f"create it first: factcheck new {wanted} \"…\""
    return [error(option, 0, "unknown-reference", f"no {wanted} '{value}'", hint)]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


# The file ------------------------------------------------------------------------------------

_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"
                          "\ufffe\uffff\u2028\u2029\x85]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as ``text``, whatever it holds."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t").replace("\r", "\\r")
    return '"' + _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


def _key(key: str) -> str:
    """A rating key as YAML must write it: ``"false"`` quoted, or it reads as a boolean."""
    return key if yaml.safe_load(key) == key else quote(key)


def _field(name: str, value: str | tuple[str, ...] | None, comment: str) -> str:
    """``name: value  # comment``, a block list, or empty when the writer has not said."""
    if isinstance(value, str):
        return f"{name}: {value}  # {comment}\n"
    return f"{name}:  # {comment}\n" + "".join(f"  - {v}\n" for v in value or ())


def _choices(label: str, choices: Sequence[str]) -> str:
    """A comment listing the values, wrapped: ``#   a, b, c``."""
    lines, line = [], f"#   {label}:"
    for index, choice in enumerate(choices):
        word = f" {choice}" + ("," if index < len(choices) - 1 else "")
        if len(line) + len(word) > 90:
            lines.append(line)
            line = "#  "
        line += word
    return "\n".join([*lines, line]) + "\n"


def scaffold(kind: str, title: str, known: Known, ratings: Sequence[Rating] = ()) -> str:
    """The file's text: every field, nothing decided for the writer, ``draft: true``."""
    t = quote(title)
    if kind == "claim":
        scale = _choices("one of", [f"{_key(r.key)} ({r.label})" for r in ratings]) \
            if ratings else "#   a key of the ratings scale in content/site.yaml\n"
        return (
            "---\n"
            f"title: {t}  # the claim as checked: neutral, at most 75 characters, no verdict\n"
            "statement:  # the full statement as made, verbatim when quoted (in \"…\" if it "
            "has ': ')\n"
            "# verbatim: true  # when the statement is the claimant's exact words\n"
            "# statement_language: fa  # BCP 47, when not in the site's language\n"
            "# translation: …  # our translation of a verbatim statement, shown beside it\n"
            "# translation_note: …  # the translator's note on it\n"
            + _field("claimant", known.claimant, "who made it: an actor slug")
            + "# date: YYYY-MM-DD  # when it was made: YYYY, YYYY-MM or YYYY-MM-DD, only the "
            "precision known\n"
            "# date_note: last week  # the source's own words, when no exact date is known\n"
            + _field("sources", known.sources, "where it appeared, first appearance first: "
                     "'- source-slug' lines")
            + "rating:  # the verdict, once decided\n" + scale
            + "rating_explanation:  # one line: why this rating\n"
            "evidence:  # what the claimant presented\n" + _choices("one of", EVIDENCE)
            + "# tags: [drones]\n"
            "# countries: [IR, RU]  # ISO 3166-1 codes\n"
            "# related: [other-claim-slug]\n"
            "# author: [Your Name]  # who wrote this fact-check: names or actor slugs\n"
            "# reviewed_by: [Editor Name]  # who reviewed it before publication\n"
            "updates:  # what changed and when; factcheck publish adds the first one\n"
            "reviewed:  # YYYY-MM-DD of the last review; factcheck publish sets it if empty\n"
            "# reviews: other publishers' reviews, written by factcheck import\n"
            "# imported: where an imported claim came from, written by factcheck import\n"
            "draft: true  # factcheck publish removes this line\n"
            "---\n"
            "What the evidence is, what is missing, and how we reached the rating.\n")
    if kind == "denial":
        return (
            "---\n"
            f"title: {t}\n"
            + _field("actor", known.actor, "who issued the denial: an actor slug")
            + "# date: YYYY-MM-DD  # YYYY, YYYY-MM or YYYY-MM-DD\n"
            "# date_note: last week\n"
            "quote:  # the rebuttal, verbatim (in \"…\" if it has ': ')\n"
            "# quote_language: fa  # BCP 47, when not in the site's language\n"
            "# translation: …  # our translation of the quote, shown beside it\n"
            "# translation_note: …  # the translator's note on it\n"
            + _field("answers", known.answers, "the claims it answers: '- claim-slug' lines")
            + _field("sources", known.sources, "where it was reported: '- source-slug' lines")
            + "draft: true  # factcheck publish removes this line\n"
            "---\n")
    if kind == "source":
        publisher = known.publisher or "actor-slug"
        url = known.url or "https://…"
        return (
            "---\n"
            f"title: {t}\n"
            "kind:  # what the document is\n" + _choices("one of", SOURCE_KINDS)
            + f"{'' if known.publisher else '# '}publisher: {publisher}  # who published it\n"
            "# date: YYYY-MM-DD  # YYYY, YYYY-MM or YYYY-MM-DD\n"
            "# date_note: mid-October\n"
            f"{'' if known.url else '# '}url: {url}  # http(s) only; never invent one\n"
            "# archive_url: https://web.archive.org/…\n"
            "# language: fa  # BCP 47 language of the document\n"
            "draft: true  # factcheck publish removes this line\n"
            "---\n")
    if kind == "actor":
        return (
            "---\n"
            f"name: {t}\n"
            "kind:  # what the actor is\n" + _choices("one of", ACTOR_KINDS)
            + "# role: communications coordinator\n"
            "# country: IR  # ISO 3166-1 code\n"
            "# affiliation: actor-slug  # the body it belongs to\n"
            "# name_language: fa  # BCP 47, when the name is not in the site's language\n"
            "draft: true  # factcheck publish removes this line\n"
            "---\n")
    if kind == "case":
        return (
            "---\n"
            f"title: {t}\n"
            "# summary: one line on what the story is\n"
            "claims:  # the claims it groups, one '- claim-slug' line each\n"
            "draft: true  # factcheck publish removes this line\n"
            "---\n"
            "The story in a few paragraphs: who alleged what, when, who denied it, and what\n"
            "the evidence shows. Link entries as relative links to their files.\n")
    return (
        "---\n"
        f"title: {t}\n"
        "# menu: 3  # position in the site navigation\n"
        "draft: true  # factcheck publish removes this line\n"
        "---\n")


def _ratings(content: Path) -> tuple[Rating, ...]:
    """The site's scale, for the rating comment; none when site.yaml is broken."""
    raw, problems = read_site_yaml(content)
    if raw is None or problems:
        return ()
    config, _ = parse_config(raw, display_path(content / "site.yaml"))
    return config.ratings if config else ()


def create(content: Path, kind: str, title: str, known: Known = Known()
           ) -> tuple[Path | None, list[Diagnostic]]:
    """Write the new entry; nothing is written when there is any problem."""
    files, _ = discover(content) if content.is_dir() else ([], [])
    existing: dict[str, set[str]] = {k: set() for k in KINDS.values()}
    for file in files:
        existing[file.kind].add(file.slug)
    slug, known, problems = check(kind, title, known, existing)
    target = content / KINDS[kind] / f"{slug}.md"
    taken = {s.casefold() for s in existing[KINDS[kind]]}
    if slug and not problems and (slug.casefold() in taken or target.exists()):
        problems.append(error(display_path(target), 0, "duplicate-slug",
                              f"{display_path(target)} already exists",
                              "choose another slug with --slug, or edit that file"))
    if problems:
        return None, problems
    text = scaffold(kind, title.strip(), known, _ratings(content) if kind == "claim" else ())
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target, []
