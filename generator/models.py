"""The content model: frozen values produced by validation, consumed by resolve and render.

Relations are slugs, never object references: the site index (resolve) owns the graph.
``lines`` maps a field name (``sources``, or ``sources[1]`` for an item) to its file line so
later stages can still point at the exact spot.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from generator.diagnostics import Diagnostic

MONTHS = tuple(calendar.month_name)


def page_path(kind: str, slug: str) -> str:
    """Where an entry's page is below the site root: pages at the top, the rest by kind."""
    return f"{slug}/" if kind == "pages" else f"{kind}/{slug}/"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day, and shown with exactly that precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def display(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month or 0]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class Rating:
    key: str
    label: str
    description: str
    value: int
    """ClaimReview ``ratingValue``; the scale's min and max give worst and best."""
    colour: str = ""
    """``#rrggbb`` for the case graph; by default a colour-blind-safe one by position."""


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Update:
    date: PartialDate
    note: str


@dataclass(frozen=True, slots=True)
class Review:
    """Another publisher's verdict on a claim (imported): shown as theirs, with attribution
    and a link, never as ours, and never given ClaimReview markup on our pages."""

    publisher: str
    """Actor slug of the publisher of the review."""
    textual_rating: str = ""
    """The verdict in the publisher's own words, as published (any language)."""
    rating: str = ""
    """Key of our scale it maps to (``rating_map`` in site.yaml), or empty when unmapped."""
    date: PartialDate | None = None
    """When the review was published; None when not given."""
    url: str = ""
    title: str = ""
    language: str = ""
    licence: str = ""
    """The review's licence when it states one (ClaimReview ``sdLicense``)."""


@dataclass(frozen=True, slots=True)
class Imported:
    """Where an imported claim came from, written into the entry itself so that a re-import
    can find it (by review URL or record id) and tell an upstream change from a writer's
    edit (``digest``)."""

    format: str
    file: str
    review_url: str = ""
    record_id: str = ""
    """The record's own id when it has no review URL (our ``claims.csv`` export)."""
    rating_text: str = ""
    """For a review of our own: the rating as the imported file wrote it."""
    licence: str = ""
    digest: str = ""
    """``sha256:`` of the entry text as the import wrote it, the digest line left out."""

    @property
    def key(self) -> str:
        return self.review_url or f"id:{self.record_id}"


class Lines(Mapping[str, int]):
    """Where each field of an entry was written (field name, or ``name[i]`` for a list's
    item → line), for diagnostics. Entries of a kind mostly have the same fields, so the
    names and their order are held once per layout and each entry keeps its numbers only:
    as a dict, 818 bytes an entry on average at 10,000 claims (35 MB held by every build)."""

    __slots__ = ("_at", "_numbers")
    _layouts: ClassVar[dict[tuple[str, ...], dict[str, int]]] = {}

    def __init__(self, lines: Mapping[str, int]):
        names = tuple(lines)
        at = self._layouts.get(names)
        if at is None:
            at = self._layouts.setdefault(names, {name: i for i, name in enumerate(names)})
        self._at = at
        self._numbers = tuple(lines.values())

    @classmethod
    def of(cls, lines: Mapping[str, int]) -> Lines:
        return lines if isinstance(lines, Lines) else cls(lines)

    def __getitem__(self, name: str) -> int:
        return self._numbers[self._at[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._numbers)

    def __repr__(self) -> str:
        return f"Lines({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return Lines, (dict(self),)


@dataclass(frozen=True, slots=True)
class Entry:
    """What every entry kind has."""

    kind: str
    """Folder name: ``claims``, ``denials``, ``sources``, ``actors`` or ``pages``."""
    slug: str
    path: str
    """Display path for diagnostics."""
    rel: str
    """Path relative to ``content/``; bodies link to entries by it."""
    body: str
    """Markdown source of the body."""
    body_line: int
    digest: str
    """Hash of the source file: cache key for the body's HTML."""
    draft: bool
    lines: Mapping[str, int] = field(compare=False, repr=False)
    fields_digest: str = field(default="", compare=False, repr=False)
    """Hash of the front matter the fields were read from (with the file's name, which
    gives kind and slug): a page showing the entry depends on this, not on its body, which
    reaches a page only as its own ``body`` or through ``index.body`` (see tracking.py).
    Empty for an entry made in code: the file's ``digest`` stands for it then."""
    unfinished: tuple[str, ...] = ()
    """Fields a draft leaves undecided (empty or absent): it cannot be published yet."""
    language: str = ""
    """Language of the entry's text when it is not the site's default: a translation
    (``slug.fa.md``), or an entry shown in another language's edition (see translated.py)."""
    translated_from: str = ""
    """In a translation: the digest of the original's translatable text it was made from,
    so ``check`` can tell when the original changed after it (see translated.py)."""

    @property
    def url_path(self) -> str:
        """Path of the page below the site root, always ending in ``/``."""
        return page_path(self.kind, self.slug)

    @property
    def label(self) -> str:
        return getattr(self, "title", None) or getattr(self, "name", self.slug)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", Lines.of(self.lines))

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.lines.get(name.split("[")[0], 1))


@dataclass(frozen=True, slots=True)
class Claim(Entry):
    title: str = ""
    """The claim as checked: neutral, at most 75 characters (ClaimReview ``claimReviewed``)."""
    statement: str = ""
    """The full statement as made."""
    verbatim: bool = False
    """The statement is the claimant's exact words (shown as a quotation), not a paraphrase."""
    statement_language: str = ""
    """BCP 47 language of the statement when it is not the site's (``fa`` is shown RTL)."""
    translation: str = ""
    """Our translation of a verbatim statement into the site's language, shown beside it
    and labelled as ours: never presented as the claimant's words."""
    translation_note: str = ""
    """The translator's note on ``translation`` (a word left as it is, an ambiguity)."""
    claimant: str = ""
    """Actor slug."""
    date: PartialDate | None = None
    date_note: str = ""
    sources: tuple[str, ...] = ()
    rating: str = ""
    """Key of a rating in the site's scale."""
    rating_explanation: str = ""
    evidence: str = ""
    """``none``, ``partial`` or ``documented``; empty only in a draft not yet assessed."""
    tags: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    reviewed: PartialDate | None = None
    reviews: tuple[Review, ...] = ()
    """Other publishers' reviews of this claim (imported), in the order given."""
    imported: Imported | None = None
    author: tuple[str, ...] = ()
    """Who wrote the fact-check: names, or slugs of actors (the newsroom's people)."""
    reviewed_by: tuple[str, ...] = ()
    """Who reviewed it before publication (the editor), written like ``author``."""

    @property
    def third_party(self) -> bool:
        """Reviewed only by others: no rating, evidence or review date of ours is needed,
        and the page carries no ClaimReview of ours."""
        return bool(self.reviews) and not self.rating

    @property
    def rating_keys(self) -> tuple[str, ...]:
        """The keys of our scale the claim is filed under: ours, or each review's mapped one."""
        if self.rating:
            return (self.rating,)
        return tuple(dict.fromkeys(r.rating for r in self.reviews if r.rating))

    @property
    def review_publishers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.publisher for r in self.reviews))

    @property
    def published(self) -> PartialDate | None:
        return self.updates[0].date if self.updates else self.reviewed

    @property
    def modified(self) -> PartialDate | None:
        dates = [u.date for u in self.updates]
        if self.reviewed:
            dates.append(self.reviewed)
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Denial(Entry):
    title: str = ""
    actor: str = ""
    date: PartialDate | None = None
    date_note: str = ""
    quote: str = ""
    """Verbatim."""
    quote_language: str = ""
    translation: str = ""
    """Our translation of the quote into the site's language, labelled as ours."""
    translation_note: str = ""
    """The translator's note on ``translation``."""
    answers: tuple[str, ...] = ()
    """Claim slugs."""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source(Entry):
    title: str = ""
    publisher: str = ""
    source_kind: str = "other"
    date: PartialDate | None = None
    date_note: str = ""
    url: str = ""
    archive_url: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class Actor(Entry):
    name: str = ""
    actor_kind: str = "unknown"
    role: str = ""
    country: str = ""
    affiliation: str = ""
    name_language: str = ""


@dataclass(frozen=True, slots=True)
class Page(Entry):
    title: str = ""
    menu: int | None = None


@dataclass(frozen=True, slots=True)
class Case(Entry):
    """A story: claims grouped with a narrative, shown as a timeline, a relation graph and
    a who-said-what matrix. A claim may belong to several cases."""

    title: str = ""
    summary: str = ""
    """One line: what the story is, for lists and the page description."""
    claims: tuple[str, ...] = ()
    """Claim slugs; their denials, sources and actors join the case through them."""


@dataclass(frozen=True, slots=True)
class DraftNote:
    """What keeps a draft from being published, shown on its page in the preview."""

    kind: str
    slug: str
    path: str
    title: str
    unfinished: tuple[str, ...]
    """Fields still undecided (see ``validate.DEFERRABLE``)."""
    problems: tuple[Diagnostic, ...]

    @property
    def url_path(self) -> str:
        return page_path(self.kind, self.slug)


@dataclass(frozen=True, slots=True)
class RatingRule:
    """One ``rating_map`` item: an imported textual rating, exactly (case and spaces aside),
    optionally for one publisher only, → a key of the site's scale."""

    match: str
    rating: str
    publisher: str = ""


@dataclass(frozen=True, slots=True)
class SiteTranslation:
    """``translations.<lang>`` in site.yaml: the site's own words in another language."""

    title: str = ""
    description: str = ""
    ratings: tuple[Rating, ...] = ()
    """The scale with translated labels and definitions (same keys, values, colours)."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """``content/site.yaml`` after validation, with command-line overrides applied."""

    title: str
    description: str
    organisation: Organisation
    ratings: tuple[Rating, ...]
    base_url: str = "/"
    """Absolute (``https://example.org/factcheck/``) or a path (``/``); always ends in ``/``."""
    language: str = "en"
    languages: tuple[str, ...] = ()
    """Every language the site publishes in, the default (``language``) first; more than
    one makes a multilingual site, the others under ``/<lang>/`` (see editions.py)."""
    static_base: str = ""
    """In another language's edition: the site root's path, where the static files are."""
    translations: Mapping[str, SiteTranslation] = field(default_factory=dict, hash=False)
    """Per other language: the title, description and rating scale in that language."""
    contact: str = ""
    """Where readers send corrections: an http(s) URL or a mailto: address."""
    review_after_days: int = 365
    allow_raw_html: bool = False
    build_date: PartialDate | None = None
    rating_map: tuple[RatingRule, ...] = ()
    """How imported textual ratings map to keys of ``ratings`` (see docs/import.md)."""
    bylines: bool = False
    """Every published claim of ours names its author (IFCN transparency): lint warns."""
    claim_cards: bool = False
    """One share image per claim (title, verdict, site name) instead of one per rating."""
    path: str = "content/site.yaml"
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: ``/`` or ``/factcheck/``."""
        from urllib.parse import urlsplit

        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def editions(self) -> tuple[str, ...]:
        """The published languages, the default first."""
        return (self.language, *(code for code in self.languages if code != self.language))

    @property
    def is_absolute(self) -> bool:
        return self.base_url.startswith(("http://", "https://"))

    def rating(self, key: str) -> Rating | None:
        return next((r for r in self.ratings if r.key == key), None)

    @property
    def best_rating(self) -> int:
        return max(r.value for r in self.ratings)

    @property
    def worst_rating(self) -> int:
        return min(r.value for r in self.ratings)
