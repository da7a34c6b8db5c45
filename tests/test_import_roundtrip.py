"""Round trip: the shipped site's data/claimreview.json and data/claims.csv, imported into an
empty project with the shipped scale, give back the same claims, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Cache, Options, build, load
from generator.read import parse_entry
from generator.validate import validate_entry
from tests.importing_helpers import do_import, project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shipped")
    result = build(Options(content=ROOT / "content", out=tmp / "site",
                           base_url="https://example.org/", cache_dir=tmp / "cache", jobs=1))
    assert result.ok
    index = load(Options(content=ROOT / "content", cache_dir=tmp / "cache2"), Cache()).index
    return tmp / "site" / "data", index


def _entries(content: Path, kind: str) -> dict[str, object]:
    """Every entry of ``kind`` as validated, drafts included: an imported review of ours
    without ``evidence`` (ClaimReview does not carry it) is an unfinished draft."""
    found = {}
    for path in sorted((content / kind).glob("*.md")):
        raw, problems = parse_entry(kind, path.stem, str(path), f"{kind}/{path.name}",
                                    path.read_bytes())
        entry, more = validate_entry(raw)
        assert entry is not None, [d.format() for d in problems + more]
        found[entry.slug] = entry
    return found


class Imported:
    """The imported project, read as the index would (claims, actors, sources by slug)."""

    def __init__(self, content: Path):
        self.claims = _entries(content, "claims")
        self.actors = _entries(content, "actors")
        self.sources = _entries(content, "sources")

    def source_urls(self, claim) -> list[str]:
        return [self.sources[s].url for s in claim.sources if self.sources[s].url]


def _imported(tmp_path, export):
    root = project(tmp_path, (ROOT / "content" / "site.yaml").read_text("utf-8"))
    _, problems = do_import(root, export)
    assert [d.format() for d in problems if d.is_error] == []
    return Imported(root / "content")


@pytest.mark.parametrize("export", ["claimreview.json", "claims.csv"])
def test_round_trip(shipped, tmp_path, export):
    data, original = shipped
    imported = _imported(tmp_path, data / export)
    before = {c.title: c for c in original.claims()}
    after = {c.title: c for c in imported.claims.values()}
    assert sorted(before) == sorted(after)
    for title, old in before.items():
        new = after[title]
        assert new.rating == old.rating, title
        assert imported.actors[new.claimant].name == \
            original.entries["actors"][old.claimant].name, title
        assert new.date == old.date, title
        assert new.imported is not None and new.imported.file == export
        if export == "claims.csv":
            assert new.statement == old.statement and new.reviewed == old.reviewed
            assert new.evidence == old.evidence and new.tags == old.tags
            assert new.slug == old.slug
        else:
            assert new.modified == old.modified and new.published == old.published, title
            urls = [s.url for s in original.refs(old, "sources") if s.url]
            assert imported.source_urls(new) == urls, title
