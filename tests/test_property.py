"""Property tests: whatever a contributor writes, the loader answers with diagnostics, never
with a traceback.

Hypothesis generates front-matter mappings (random types, nesting, Unicode, huge strings),
raw front-matter text, arbitrary bytes and Markdown bodies. Run with
``--hypothesis-show-statistics`` to see how many examples each test ran.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import Options, load
from generator.diagnostics import Diagnostic
from generator.fields import Invalid, slug
from generator.markdown import BodyConverter, render_body
from generator.models import Entry
from generator.read import KINDS, parse_entry
from generator.validate import SCHEMAS, validate_entry
from generator.write import safe_target
from tests.conftest import MINIMAL

# Profiles are applied per test (not loaded globally), so other modules keep their own
# settings. HYPOTHESIS_PROFILE=thorough runs ten times more for a long hunt before a release.
settings.register_profile(
    "factcheck", max_examples=400, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", settings.get_profile("factcheck"), max_examples=4000)
PROFILE = settings.get_profile(
    "thorough" if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else "factcheck")
SITE_EXAMPLES = PROFILE.max_examples * 3 // 8
"""Whole-site loads write files: fewer of them (150 by default, 1,500 when thorough)."""

FIELD_NAMES = sorted({name for schema in SCHEMAS.values() for name in schema})
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
HUGE = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8).filter(
    lambda s: all(not 0xD800 <= ord(c) <= 0xDFFF for c in s)), st.integers(2_000, 20_000))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT, HUGE,
    st.sampled_from(["2022-02-30", "2022-10", "0000-01-01", "9999-12-31", "john-kirby",
                     "javascript:alert(1)", "https://example.org/", "../../etc", "fa", "",
                     "unsubstantiated", "none", "person", "official-statement", "Ünïcødé",
                     "تست", "Таджикистан", "<script>alert(1)</script>", "null", "~"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, st.sampled_from(
        ["date", "note", "key", "label", "value"])), inner, max_size=4)), max_leaves=12)
FRONT = st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), TEXT, st.integers()),
                        VALUES, max_size=12)
MD_TOKENS = st.sampled_from([
    "*", "**", "_", "[", "]", "(", ")", "](", "![", "<", ">", "#", "## ", "`", "```", "\n",
    "\n\n", "|", "---", "- ", "1. ", "> ", "<script>", "</div>", "<div markdown=1>", "&amp;",
    "&#", "{: #id .c }", "[^1]", "[^1]: note", "*[HTML]: x", "[r]: ../claims/x.md", "    ",
    "../actors/a.md", "x.md", "javascript:", "<!--", "-->", "\t", "\r", "\\", "Term\n: def",
    "<https://x>", "<a href='", "%", "\x00", "\u202e", "ب", "ж", "  \n", "\t\n", "  \r\n",
    " \x02 \n", "\x03", "*a*", "_a_", "`c`", "&copy;", "<b>x</b>", "<a@b.c>", "![i](x.png)",
    "\\*", "[x][r]", "[r]", "\n  <p>", "  <div>", "<!-- c --> ", "[^1]: note\n"])
BODY = st.lists(st.one_of(MD_TOKENS, TEXT), max_size=60).map("".join)


def assert_diagnostics(found: list[Diagnostic]) -> None:
    for d in found:
        assert isinstance(d, Diagnostic)
        assert d.format()


def dump(front: dict[Any, Any]) -> str | None:
    try:
        return yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        return None


@settings(PROFILE)
@given(kind=st.sampled_from(KINDS), front=FRONT, body=BODY)
def test_generated_front_matter_is_accepted_or_explained(kind: str, front: dict[Any, Any],
                                                         body: str):
    text = dump(front)
    data = f"---\n{text or ''}---\n{body}".encode("utf-8", "surrogatepass")
    raw, found = parse_entry(kind, "entry", f"content/{kind}/entry.md", f"{kind}/entry.md",
                             data)
    assert_diagnostics(found)
    if raw is None:
        assert any(d.is_error for d in found)
        return
    entry, more = validate_entry(raw)
    assert_diagnostics(more)
    assert isinstance(entry, Entry) or any(d.is_error for d in more)


@settings(PROFILE)
@given(kind=st.sampled_from(KINDS), front=st.text(max_size=300), body=BODY)
def test_raw_front_matter_text_is_accepted_or_explained(kind: str, front: str, body: str):
    data = f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass")
    raw, found = parse_entry(kind, "entry", "e.md", f"{kind}/entry.md", data)
    assert_diagnostics(found)
    if raw is not None:
        entry, more = validate_entry(raw)
        assert_diagnostics(more)
        assert isinstance(entry, Entry) or any(d.is_error for d in more)


@settings(PROFILE)
@given(data=st.binary(max_size=2_000))
def test_arbitrary_bytes_are_accepted_or_explained(data: bytes):
    raw, found = parse_entry("claims", "entry", "e.md", "claims/entry.md", data)
    assert_diagnostics(found)
    assert raw is not None or any(d.is_error for d in found)


@settings(PROFILE)
@given(body=BODY, raw_html=st.booleans())
def test_markdown_bodies_always_convert(body: str, raw_html: bool):
    result = render_body(body, "claims/entry.md", 7, allow_raw_html=raw_html)
    assert isinstance(result.html, str)
    for link in (*result.links, *result.removed):
        assert link.line >= 7
    if not raw_html:
        assert "<script" not in result.html.lower()


GATED, UNGATED = BodyConverter("/"), BodyConverter("/")
UNGATED._inline_patterns = lambda text: UNGATED._patterns  # type: ignore[method-assign]


@settings(PROFILE)
@given(body=BODY, fresh=st.booleans())
def test_skipping_inline_patterns_a_body_cannot_use_never_changes_its_html(body: str,
                                                                          fresh: bool):
    """Against the full pattern set, with a converter that has built pattern sets before
    and with a fresh one (a worker's first body)."""
    gated = BodyConverter("/") if fresh else GATED
    assert gated.convert(body, "claims/e.md", 3) == UNGATED.convert(body, "claims/e.md", 3)


@settings(PROFILE)
@given(value=VALUES)
def test_a_value_accepted_as_slug_stays_inside_the_site(value: Any):
    try:
        accepted = slug(value)
    except Invalid:
        return
    root = Path("/srv/site")
    for rel in (f"tags/{accepted}/index.html", f"{accepted}/index.html"):
        target = safe_target(root, rel)
        assert os.path.normpath(target).startswith(str(root) + os.sep)


@settings(PROFILE, max_examples=SITE_EXAMPLES)
@given(front=FRONT, body=BODY, kind=st.sampled_from(KINDS))
def test_loading_a_small_site_with_a_generated_entry_never_raises(front: dict[Any, Any],
                                                                  body: str, kind: str):
    text = dump(front)
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        for rel, source in MINIMAL.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            (content / rel).write_text(textwrap.dedent(source), encoding="utf-8")
        target = content / kind / "generated.md"
        target.parent.mkdir(exist_ok=True)  # a kind the base site has no entry of (cases)
        target.write_bytes(f"---\n{text or ''}---\n{body}".encode("utf-8", "surrogatepass"))
        result = load(Options(content=content, templates=Path("templates"),
                              out=Path(folder) / "site"))
    assert_diagnostics(result.diagnostics)
    assert result.index is not None or not result.ok


VALID_CLAIM = {
    "title": "Iran sends drones", "statement": "Iran sends drones to Russia.",
    "claimant": "john-kirby", "date": "2022-10-20", "sources": ["kirby-remarks"],
    "rating": "unsubstantiated", "rating_explanation": "No evidence.", "evidence": "none",
    "tags": ["drones"], "countries": ["IR"], "related": ["second-claim"],
    "updates": [{"date": "2026-11-20", "note": "First published."}], "reviewed": "2026-11-27",
}
MUTATIONS = st.dictionaries(st.sampled_from(sorted(SCHEMAS["claims"])), VALUES, max_size=3)


@settings(PROFILE, max_examples=SITE_EXAMPLES)
@given(mutation=MUTATIONS, body=BODY)
def test_a_valid_claim_with_a_few_fields_changed_is_accepted_or_explained(
        mutation: dict[str, Any], body: str):
    """Near-valid entries reach resolve and render: the paths random mappings rarely hit."""
    text = dump({**VALID_CLAIM, **mutation})
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        for rel, source in MINIMAL.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            (content / rel).write_text(textwrap.dedent(source), encoding="utf-8")
        (content / "claims" / "generated.md").write_text(
            f"---\n{text or ''}---\n{body}", encoding="utf-8", errors="surrogatepass")
        result = load(Options(content=content, templates=Path("templates"),
                              out=Path(folder) / "site"))
    assert_diagnostics(result.diagnostics)
    if not mutation and "\x00" not in body:  # NUL makes it a binary file
        # a random body may link to a file that is not an entry: that is its only error
        errors = [d for d in result.diagnostics if d.is_error]
        assert all(d.code == "broken-link" for d in errors), [d.format() for d in errors]


def test_hostile_yaml_shapes_are_explained():
    """An alias bomb, deep nesting, a recursive alias and odd keys: diagnostics, quickly."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    cases = [
        bomb + "title: *i\n",
        "title: " + "[" * 5_000 + "]" * 5_000 + "\n",
        "title: &x [*x]\n",
        "? [a, b]\n: complex key\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
        "title: !!binary aGVsbG8=\n",
        "{title: x, title: y}\n",
        "title: x\n\ttab: y\n",
    ]
    for front in cases:
        raw, found = parse_entry("claims", "x", "x.md", "claims/x.md",
                                 f"---\n{front}---\nbody\n".encode())
        assert_diagnostics(found)
        if raw is not None:
            entry, more = validate_entry(raw)
            assert_diagnostics(more)
            assert entry is None and any(d.is_error for d in more), front[:40]
        else:
            assert any(d.is_error for d in found), front[:40]
