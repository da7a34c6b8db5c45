"""Markdown stage: bodies → safe HTML, entry links rewritten to page URLs with their lines."""

from __future__ import annotations

import pickle

import pytest

from generator.markdown import Body, BodyConverter, Link, entry_url, render_body


def test_relative_entry_links_become_page_urls_under_the_base_path():
    body = render_body("See [K](../actors/john-kirby.md#role) and [c](other.md).\n",
                       "claims/a.md", 10, "/factcheck/")
    # A heading's plain slug leads to the heading's id (body headings are prefixed s-).
    assert '<a href="/factcheck/actors/john-kirby/#s-role">K</a>' in body.html
    assert '<a href="/factcheck/claims/other/">c</a>' in body.html
    assert body.links == (Link("actors/john-kirby.md", 10, "../actors/john-kirby.md#role", "role"),
                          Link("claims/other.md", 10, "other.md"))


def test_link_lines_are_file_lines():
    body = render_body("Intro.\n\nMore.\n\n[x](../sources/s.md)\n", "claims/a.md", 7)
    assert body.links == (Link("sources/s.md", 11, "../sources/s.md"),)


def test_links_to_pages_and_unknown_targets():
    assert entry_url("pages/methodology.md", "/") == "/methodology/"
    assert entry_url("notes/x.md", "/") is None
    body = render_body("[x](../../outside.md)", "claims/a.md", 1)
    assert body.links == (Link("../outside.md", 1, "../../outside.md"),)


def test_external_links_are_kept_and_unsafe_schemes_dropped():
    html = render_body("[a](https://example.org/) [b](javascript:alert(1)) "
                       "[c](data:text/html,x)", "claims/a.md", 1).html
    assert 'href="https://example.org/"' in html
    assert "javascript" not in html and "data:" not in html


def test_raw_html_is_sanitised():
    html = render_body('<script>alert(1)</script><img src="x" onerror="alert(1)">'
                       '<a href="javascript:alert(1)">x</a>\n', "claims/a.md", 1).html
    assert "<script" not in html and "onerror" not in html and "javascript" not in html


def test_raw_html_opt_out_keeps_trusted_markup():
    html = render_body('<div class="note">ok</div>\n', "claims/a.md", 1,
                       allow_raw_html=True).html
    assert '<div class="note">ok</div>' in html


def test_headings_demoted_below_the_page_title_and_tables_work():
    html = render_body("# Context\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "claims/a.md", 1).html
    assert "<h1" not in html and '<h2 id="s-context">Context</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_quotes_are_not_rewritten():
    """No smartypants: verbatim quotes must stay byte for byte."""
    text = 'He said "waste our time" and it\'s so.'
    assert text.replace('"', "&quot;") in render_body(text, "claims/a.md", 1).html \
        or text in render_body(text, "claims/a.md", 1).html


def test_unparseable_urls_are_removed_not_raised():
    body = render_body("[x](http://[::1) and ok", "claims/a.md", 3)
    assert "href" not in body.html and [link.target for link in body.removed] == ["http://[::1"]


def test_relative_links_to_non_entries_are_reported():
    body = render_body("[pdf](report.pdf) ![c](../static/c.png) [r](/claims/) [a](#top)",
                       "claims/a.md", 1)
    assert [link.target for link in body.links] == ["claims/report.pdf", "static/c.png",
                                                    "/claims/"]


def test_body_heading_ids_cannot_clash_with_page_sections():
    html = render_body("## Sources\n\n## Denials\n", "claims/a.md", 1).html
    assert 'id="s-sources"' in html and 'id="s-denials"' in html


@pytest.mark.parametrize("body, expected", [
    ("a  \nb", "<br>"), ("a\t\nb", "<br>"), ("a  \r\nb", "<br>"), ("a \x02 \nb", "<br>"),
    ("*a* and _b_", "<em>a</em>"), ("`c`", "<code>c</code>"), ("&copy;", "©"),
    ("<https://x.org/>", 'href="https://x.org/"'), ("\\*a\\*", "*a*"),
    ("[x][r]\n\n[r]: https://x.org/", 'href="https://x.org/"'),
])
def test_inline_patterns_apply_when_the_body_uses_them(body: str, expected: str):
    """Bodies skip the inline patterns they cannot use (for speed): each pattern must still
    apply when its syntax is there, whitespace normalisation included."""
    assert expected in render_body(body, "claims/x.md", 1).html


def test_a_plain_body_skips_the_inline_patterns_it_cannot_use():
    converter = BodyConverter("/")
    registry = converter._inline_patterns("Plain words, [a link](x.md).")
    names = [item.name for item in registry._priority]
    assert "link" in names
    assert not {"em_strong", "html", "entity", "backtick", "linebreak"} & set(names)


def test_bodies_are_held_packed_and_unpack_to_the_same_html():
    text = "## Заявление\n\nایران «هیچ» 🚀 " + "word " * 400 + "[a](../actors/a.md)"
    body = render_body(text, "claims/x.md", 1)
    assert "ایران «هیچ» 🚀" in body.html and "Заявление" in body.html
    assert len(body.packed) < len(body.html.encode()) / 3
    assert pickle.loads(pickle.dumps(body)) == body
    assert Body.of(body.html, body.links).html == body.html


def test_a_first_body_with_a_footnote_keeps_it():
    """Regression: building the pattern set for the first body walked a list that the
    walk itself re-sorted, so the footnote pattern was skipped (and cached so)."""
    html = BodyConverter("/").convert("Text[^1].\n\n[^1]: Note.", "actors/x.md", 1).html
    assert 'id="fnref:1"' in html


@pytest.mark.parametrize("body", [
    "text\n  <p>hi</p>", "<div>a</div>b  <div>c</div>", "\\1. <!-- c --> <p>",
    "Text[^1].\n\n[^1]: Note.", "a\t\nb *c* `d` &amp; <https://x.org/>",
])
def test_gated_patterns_give_the_html_of_the_full_set(body: str):
    """Raw HTML can create a line break that is not in the text (the preprocessor puts
    block tags on their own line): these bodies once differed."""
    gated, full = BodyConverter("/"), BodyConverter("/")
    full._inline_patterns = lambda text: full._patterns  # type: ignore[method-assign]
    assert gated.convert(body, "claims/e.md", 1) == full.convert(body, "claims/e.md", 1)


def test_a_body_prints_as_its_html_in_a_template():
    from jinja2 import Environment

    body = render_body("*Hi* <script>x</script>", "claims/x.md", 1)
    shown = Environment(autoescape=True).from_string("{{ b }}").render(b=body)
    assert shown == body.html and "<em>Hi</em>" in shown and "<script" not in shown
