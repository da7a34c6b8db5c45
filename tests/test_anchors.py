"""Anchors of entry links (``x.md#part``): rewritten to the ids pages have, and checked."""

from __future__ import annotations

import re

import pytest

from generator.anchors import PAGE_IDS, anchor_id, check_anchor, ids_in
from generator.markdown import render_body
from tests.conftest import TEMPLATES

TEMPLATE_OF = {"claims": "claim.html", "denials": "denial.html", "sources": "source.html",
               "actors": "actor.html", "pages": "page.html", "cases": "case.html"}


@pytest.mark.parametrize("kind", sorted(PAGE_IDS))
def test_page_ids_are_the_templates_ids(kind: str):
    """The list the check trusts is the list the templates write (base.html gives main)."""
    found = {"main"} if 'id="main"' in (TEMPLATES / "base.html").read_text("utf-8") else set()
    found |= set(re.findall(r'\sid="([a-z-]+)"',
                            (TEMPLATES / TEMPLATE_OF[kind]).read_text("utf-8")))
    assert PAGE_IDS[kind] == found


def test_heading_slugs_lead_to_prefixed_heading_ids():
    body = render_body("## Why it matters\n\nText[^1].\n\n[^1]: Note.\n", "claims/x.md", 5)
    assert "s-why-it-matters" in body.ids
    assert any(i.startswith("fn") for i in body.ids)
    assert anchor_id("claims", "why-it-matters") == "s-why-it-matters"
    assert anchor_id("claims", "s-why-it-matters") == "s-why-it-matters"
    assert anchor_id("claims", "denials") == "denials"
    html = render_body("[a](x.md#why-it-matters) [b](x.md#denials)", "claims/y.md", 1).html
    assert 'href="/claims/x/#s-why-it-matters"' in html
    assert 'href="/claims/x/#denials"' in html


def test_a_missing_anchor_names_the_closest_heading():
    ids = ids_in('<h2 id="s-why-it-matters">W</h2><h2 id="s-sources-1">S</h2>')
    assert check_anchor("a.md", 3, "x.md#why-it-maters", "claims", "why-it-maters", ids) \
        .hint == "did you mean 'x.md#why-it-matters'?"
    assert check_anchor("a.md", 3, "x.md#s-why-it-matters", "claims", "s-why-it-matters",
                        ids) is None
    assert check_anchor("a.md", 3, "x.md#updates", "claims", "updates", ()) is None
    problem = check_anchor("a.md", 3, "x.md#nothing", "sources", "nothing", ())
    assert problem is not None and problem.code == "broken-anchor" and problem.line == 3
