"""CSV → records, columns mapped by name.

Two layouts: the ClaimReview-named columns research scrapers write
(``claimReview_claimReviewed``, ``claimReview_url`` …) and our own ``data/claims.csv`` export
(``id``, ``title``, ``rating`` …, our own reviews). Any other header is an error listing the
columns found and those needed. Rows are named by their line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from generator.diagnostics import Diagnostic, error
from generator.fields import Invalid
from generator.importing import clean
from generator.importing.problems import Place, controls_removed
from generator.importing.records import OwnReview, Record, RecordReview
from generator.validate import EVIDENCE

LAYOUTS: dict[str, tuple[str, ...]] = {
    "claimreview-csv": ("claimReview_claimReviewed", "claimReview_url"),
    "factcheck-csv": ("id", "title", "statement", "claimant_name", "rating", "reviewed"),
}
"""Layout → the columns it needs; the first layout whose columns are all present is used."""


def layout(header: list[str], file: str) -> tuple[str | None, list[Diagnostic]]:
    present = set(header)
    for name, needed in LAYOUTS.items():
        if all(column in present for column in needed):
            return name, []
    found = ", ".join(header[:20]) or "none"
    needs = " or ".join(f"({', '.join(columns)})" for columns in LAYOUTS.values())
    return None, [error(file, 1, "unknown-columns", f"unknown CSV layout: columns found: {found}",
                        f"it needs the columns {needs}")]


def rows(lines: Iterable[str], file: str
         ) -> Iterator[tuple[str | None, Place, dict[str, str] | None, Diagnostic | None]]:
    """(layout, place, row) for each row; a header that fits no layout ends the file."""
    reader = csv.reader(lines)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        yield None, Place(file, 1, True), None, error(file, 1, "empty-file",
                                                      "the CSV file is empty")
        return
    except csv.Error as exc:
        yield None, Place(file, 1, True), None, error(file, 1, "invalid-csv", f"CSV: {exc}")
        return
    name, problems = layout(header, file)
    if name is None:
        yield None, Place(file, 1, True), None, problems[0]
        return
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield name, Place(file, start, True), None, error(
                file, start, "invalid-csv", f"CSV row is malformed: {exc}",
                "check the quotes in this row: a quoted cell must end with a quote")
            return
        place = Place(file, start, True)
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield name, place, None, place.error(
                "invalid-csv", f"the row has {len(cells)} cells, the header {len(header)}",
                "check the commas and quotes in this row")
            continue
        yield name, place, dict(zip(header, cells, strict=False)), None


def _list(value: str, separators: str = ",;") -> list[str]:
    for separator in separators[1:]:
        value = value.replace(separator, separators[0])
    return [v.strip() for v in value.split(separators[0]) if v.strip()]


def to_record(name: str, row: dict[str, Any], place: Place
              ) -> tuple[Record | None, list[Diagnostic]]:
    removed: list[str] = []
    get = row.get
    try:
        if name == "factcheck-csv":
            record = _own(row, place, removed)
        else:
            text = clean.text(get("claimReview_claimReviewed"), removed)
            if not text:
                return None, [place.error("missing-claim-text", "the row has no claim text "
                                          "(claimReview_claimReviewed)",
                                          "every record needs the claim it reviews")]
            review = RecordReview(
                publisher=clean.line(get("claimReview_author_name"), removed),
                publisher_url=clean.url(get("claimReview_author_url"), removed),
                url=clean.url(get("claimReview_url"), removed),
                title=clean.line(get("extra_title"), removed),
                date=clean.date(get("claimReview_datePublished")),
                textual_rating=clean.line(get("rating_alternateName"), removed),
                language=clean.language(get("claimReview_inLanguage")),
                licence=clean.line(get("claimReview_sdLicense"), removed))
            record = Record(file=place.file, where=place.where, format=name, text=text,
                            claimant=clean.line(get("creativeWork_author_name"), removed),
                            date=clean.date(get("creativeWork_datePublished")),
                            reviews=[review], language=review.language,
                            tags=_list(clean.line(get("extra_tags"), removed)))
    except Invalid as exc:
        return None, [place.error(exc.code, exc.message, exc.hint)]
    if record is None:
        return None, [place.error("missing-claim-text", "the row has no claim text (title)",
                                  "every record needs the claim it reviews")]
    return record, controls_removed(place, removed)


def _own(row: dict[str, Any], place: Place, removed: list[str]) -> Record | None:
    """A row of our own ``claims.csv``: our review, its rating a key of the scale."""
    get = row.get
    text = clean.line(get("title"), removed)
    if not text:
        return None
    evidence = clean.line(get("evidence"), removed)
    if evidence and evidence not in EVIDENCE:  # the entry would fail every build after
        raise Invalid("invalid-choice", f"evidence {evidence!r} is not one of "
                      f"{', '.join(EVIDENCE)}",
                      f"write one of {', '.join(EVIDENCE)} in the evidence column, or leave "
                      "it empty")
    own = OwnReview(rating=clean.line(get("rating"), removed),
                    explanation=clean.line(get("rating_explanation"), removed),
                    evidence=evidence,
                    reviewed=clean.date(get("reviewed")), published=clean.date(get("published")),
                    statement=clean.text(get("statement"), removed),
                    countries=tuple(_list(clean.line(get("countries"), removed), ";")),
                    date_note=clean.line(get("date_note"), removed))
    page = clean.url(get("page_url"), removed)
    review = RecordReview(url=page, date=own.published)
    return Record(file=place.file, where=place.where, format="factcheck-csv", text=text,
                  claimant=clean.line(get("claimant_name"), removed),
                  claimant_kind=clean.line(get("claimant_kind"), removed),
                  date=clean.date(get("date")), reviews=[review],
                  tags=_list(clean.line(get("tags"), removed), ";"),
                  record_id=clean.line(get("id"), removed), own=own)
