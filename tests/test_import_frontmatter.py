"""The import's front matter writer: the very bytes ``yaml.dump`` writes, faster.

``frontmatter.dump`` is compared with ``yaml.dump`` on strings chosen to hit every quoting
rule, on random mappings of the shapes an import writes (Hypothesis), and on every file a
real import of the fixture files writes (each file must equal ``yaml.dump`` of its own
front matter, digest line included).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importing import frontmatter, texts
from tests.importing_helpers import DATA, do_import, project

TRICKY = [
    "plain words", "Claim 5: officials said", "ends with colon:", "a #hash", "a#b", "#start",
    "- dash", "-dash", "--- doc", "... dots", "?q", "? q", ":x", ": x", "key: value",
    "it's", "'quoted'", '"double"', "yes", "no", "on", "off", "true", "False", "null", "~",
    "", " lead", "trail ", "2022-10-20", "2022", "1.5", "1e3", "0x1f", "0o7", "+1", ".inf",
    ".NaN", "=", "<<", "1:20", "12:30:00", "a, b", "[x]", "{y}", "x]", "&a", "*a", "!tag",
    "|pipe", ">fold", "%pct", "@at", "`tick", "https://example.org/a?b=1#c",
    "sha256:0123abcd", "Неправда", "مضلل", "ادعای نادرست", "\u200fRLM", "zw\u200cnj",
    "emoji 🙂", "nbsp\xa0here", "line\nbreak", "tab\there", "bom\ufeff", "nel\x85",
    "ls\u2028sep", "bell\x07", "x" * 20_000, "a  b", "'", "''", "a'b", "\\back",
]


def reference(front: dict[str, Any]) -> str:
    return yaml.dump(front, Dumper=frontmatter.DUMPER, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


@pytest.mark.parametrize("value", TRICKY)
def test_every_quoting_rule_matches_yaml_dump(value):
    front = {"title": value, "sources": [value, "b"], "imported": {"file": value},
             "reviews": [{"publisher": value, "url": "https://x.example/"}]}
    assert frontmatter.dump(front) == reference(front)


def test_the_fast_path_is_taken_for_ordinary_entries(monkeypatch):
    """Else the speed-up would silently be gone while every comparison still passed."""
    monkeypatch.setattr(frontmatter.yaml, "dump", None)
    front = {"title": "Claim 5: officials said", "date": "2022-10-20", "draft": True,
             "reviews": [{"publisher": "misbar", "textual_rating": "مضلل"}]}
    assert frontmatter.dump(front).startswith("title: 'Claim 5: officials said'\n")


scalars = st.one_of(st.text(max_size=40), st.booleans(),
                    st.sampled_from(["2022-10-20", "yes", "a: b", "- x", "Неправда"]))
keys = st.sampled_from(["title", "url", "name", "rating", "date", "publisher"])
inner = st.dictionaries(keys, scalars, max_size=4)
values = st.one_of(scalars, st.lists(st.one_of(scalars), max_size=3),
                   st.lists(inner, max_size=3), inner)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_random_entries_match_yaml_dump(front):
    assert frontmatter.dump(front) == reference(front)


def test_every_imported_file_is_yaml_dump_of_its_front_matter(tmp_path):
    root = project(tmp_path)
    do_import(root, *(DATA / name for name in ("google.json", "claimreview.html",
                                                 "scraped.csv")))
    files = sorted((root / "content").glob("*/*.md"))
    imported = [f for f in files if "imported:" in f.read_text("utf-8")]
    assert len(files) > 20 and len(imported) > 5
    for path in files:
        if path.parent.name == "pages":
            continue
        text = path.read_text("utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert text == f"---\n{reference(front)}---\n", path
        if path in imported:
            assert front["imported"]["digest"] == texts.digest(text)
