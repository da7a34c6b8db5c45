"""Validate stage: raw front matter → typed models, every problem at its line."""

from __future__ import annotations

import pytest

from generator import fields
from generator.models import Claim, PartialDate
from generator.read import parse_entry
from generator.validate import validate_entry

CLAIM = """---
title: Iran sends drones
statement: Iran sends drones to Russia.
claimant: someone
date: 2022-10
sources: [a-source]
rating: unsubstantiated
rating_explanation: No evidence.
evidence: none
reviewed: 2026-11-28
{extra}---
Body.
"""


def validate(text: str, kind: str = "claims", slug: str = "c"):
    raw, problems = parse_entry(kind, slug, f"content/{kind}/{slug}.md", f"{kind}/{slug}.md",
                                text.encode())
    assert raw is not None, problems
    return validate_entry(raw)


def found(problems) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in problems]


def test_valid_claim_becomes_a_model():
    claim, problems = validate(CLAIM.format(extra=""))
    assert problems == []
    assert isinstance(claim, Claim)
    assert claim.date == PartialDate(2022, 10)
    assert claim.sources == ("a-source",)
    assert claim.url_path == "claims/c/"
    assert claim.line_of("rating") == 7
    assert claim.line_of("sources[0]") == 6


@pytest.mark.parametrize(("extra", "expected"), [
    ("tittle: x\n", [(11, "unknown-field")]),
    ("tags: drones\n", []),
    ("tags: {a: 1}\n", [(11, "wrong-type")]),
    ("draft: maybe\n", [(11, "wrong-type")]),
    ("related: [Bad Slug]\n", [(11, "invalid-slug")]),
    ("updates:\n  - {date: 2022-02-30, note: x}\n", [(12, "impossible-date")]),
    ("updates:\n  - {date: 2022-02-03}\n", [(12, "missing-field")]),
    ("updates: [1]\n", [(11, "wrong-type")]),
])
def test_field_problems(extra, expected):
    _, problems = validate(CLAIM.format(extra=extra))
    assert found(problems) == expected


def test_unknown_field_suggests_the_known_one():
    _, problems = validate(CLAIM.format(extra="ratting_explanation: x\n"))
    assert problems[0].hint == "did you mean 'rating_explanation'?"


def test_every_missing_field_is_reported_at_once():
    _, problems = validate("---\ntitle: Only a title\n---\n")
    missing = sorted(d.message for d in problems if d.code == "missing-field")
    assert len(missing) == 5  # sources and rating_explanation are lint warnings
    assert all(d.line == 2 for d in problems)


def test_empty_and_wrong_enum_values():
    text = CLAIM.format(extra="").replace("evidence: none", "evidence: proven")
    _, problems = validate(text.replace("title: Iran sends drones", "title: ''"))
    assert found(problems) == [(2, "empty-value"), (9, "invalid-choice")]


def test_file_name_must_be_a_slug():
    _, problems = validate(CLAIM.format(extra=""), slug="Bad_Name")
    assert found(problems) == [(0, "invalid-slug")]


def test_unicode_slug_is_valid():
    entry, problems = validate("---\nname: Тоҷикистон\nkind: government\n---\n",
                               kind="actors", slug="тоҷикистон")
    assert problems == [] and entry.slug == "тоҷикистон"


@pytest.mark.parametrize(("value", "expected"), [
    ("2022", PartialDate(2022)), ("2022-10", PartialDate(2022, 10)),
    ("2022-10-17", PartialDate(2022, 10, 17)), (2022, PartialDate(2022)),
])
def test_partial_dates_keep_their_precision(value, expected):
    parsed = fields.partial_date(value)
    assert parsed == expected
    assert parsed.iso() == str(value)


@pytest.mark.parametrize(("value", "code"), [
    ("2022-02-30", "impossible-date"), ("2022-13", "impossible-date"),
    ("17/10/2022", "invalid-date"), ("last week", "invalid-date"), (True, "wrong-type"),
])
def test_bad_dates(value, code):
    with pytest.raises(fields.Invalid) as caught:
        fields.partial_date(value)
    assert caught.value.code == code


def test_date_display_matches_precision():
    assert PartialDate(2022, 10, 7).display() == "7 October 2022"
    assert PartialDate(2022, 10).display() == "October 2022"
    assert PartialDate(2022).display() == "2022"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/",
                                 "//example.org/x", "https://exa mple.org/", "http:///nohost"])
def test_only_http_urls(url):
    with pytest.raises(fields.Invalid):
        fields.http_url(url)


def test_http_urls_pass():
    assert fields.http_url("https://example.org/a?b=c#d") == "https://example.org/a?b=c#d"


def test_source_url_scheme_is_checked_in_context():
    text = "---\ntitle: S\nkind: article\nurl: javascript:alert(1)\n---\n"
    _, problems = validate(text, kind="sources", slug="s")
    assert found(problems) == [(4, "unsafe-url")]


def test_unparseable_url_is_a_diagnostic():
    with pytest.raises(fields.Invalid) as caught:
        fields.http_url("https://[::1/")
    assert caught.value.code == "unsafe-url"


def test_duplicate_list_items_are_reported_at_their_line():
    _, problems = validate(CLAIM.format(extra="tags:\n  - drones\n  - crimea\n  - drones\n"))
    assert found(problems) == [(14, "duplicate-item")]


def test_review_interval_must_be_positive():
    with pytest.raises(fields.Invalid):
        fields.positive_integer(-5)
    assert fields.positive_integer(30) == 30


def test_statement_language_marks_a_verbatim_persian_quote(site_factory):
    project = site_factory({"claims/second-claim.md": """\
        ---
        title: Iran sends weapons
        statement: ایران سلاح می‌فرستد
        verbatim: true
        statement_language: fa
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: Contradicted.
        evidence: partial
        reviewed: 2026-11-21
        ---
        """})
    assert project.build().ok
    from bs4 import BeautifulSoup

    page = BeautifulSoup(project.page("claims/second-claim"), "html.parser")
    quote = page.select_one("figure.statement blockquote")
    assert (quote["lang"], quote["dir"]) == ("fa", "rtl")
