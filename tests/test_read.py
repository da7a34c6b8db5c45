"""Read stage: files → raw entries with line numbers, or diagnostics; never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.read import discover, load_yaml, parse_entry, split_front_matter


def parse(text: str | bytes, kind: str = "claims", slug: str = "x"):
    data = text.encode() if isinstance(text, str) else text
    return parse_entry(kind, slug, f"content/{kind}/{slug}.md", f"{kind}/{slug}.md", data)


def codes(diagnostics) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in diagnostics]


def test_front_matter_lines_are_file_lines():
    entry, problems = parse("---\ntitle: A\nsources:\n  - a\n  - b\n---\nBody\n")
    assert problems == []
    assert entry.front.lines == {"title": 2, "sources": 3}
    assert entry.front["sources"].lines == [4, 5]
    assert entry.body_line == 7
    assert entry.body == "Body\n"


def test_dates_stay_text_so_precision_is_kept():
    entry, _ = parse("---\ndate: 2022-10-17\nmonth: 2022-10\n---\n")
    assert entry.front["date"] == "2022-10-17"
    assert entry.front["month"] == "2022-10"


def test_bom_and_crlf_are_accepted():
    entry, problems = parse("\ufeff---\r\ntitle: A\r\n---\r\nLine one\r\nLine two\r\n")
    assert problems == []
    assert entry.front["title"] == "A"
    assert entry.body == "Line one\nLine two\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("", [(1, "empty-file")]),
    ("   \n\n", [(1, "empty-file")]),
    ("title: A\n", [(1, "missing-front-matter")]),
    ("---\ntitle: A\n", [(1, "unclosed-front-matter")]),
    ("---\n- a\n- b\n---\n", [(2, "front-matter-not-mapping")]),
    ("---\ntitle: A\nbad: [unclosed\nother: 1\n---\n", [(3, "yaml-syntax")]),  # where it opens
    ("---\ntitle: A\ntitle: B\n---\n", [(3, "duplicate-key")]),
])
def test_broken_files_give_a_line_and_a_code(text, expected):
    _, problems = parse(text)
    assert codes(problems) == expected


def test_yaml_error_line_points_into_the_file_not_the_front_matter():
    text = "---\na: 1\nb: 2\nc: d: e\n---\n"
    _, problems = parse(text)
    assert codes(problems) == [(4, "yaml-syntax")]
    assert problems[0].format().startswith("content/claims/x.md:4: error[yaml-syntax]:")


def test_not_utf8_and_binary():
    _, problems = parse(b"---\ntitle: caf\xe9\n---\n")
    assert codes(problems) == [(2, "not-utf8")]
    _, problems = parse(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert codes(problems) == [(0, "binary-file")]


def test_empty_front_matter_is_an_empty_mapping():
    entry, problems = parse("---\n---\nbody\n")
    assert problems == [] and dict(entry.front) == {}


def test_split_front_matter_accepts_yaml_document_end_marker():
    front, body, line, problems = split_front_matter("---\na: 1\n...\nbody", "p")
    assert (front, body, line, problems) == ("a: 1", "body", 4, [])


def test_load_yaml_rejects_complex_keys_without_raising():
    value, problems = load_yaml("? [a, b]\n: 1\n", "p", 2)
    assert value is None and codes(problems)[0][1] == "yaml-syntax"


def test_discover_classifies_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    for rel in ["site.yaml", "claims/a.md", "actors/b.md", "claims/notes.txt", "misc/c.md",
                "claims/.hidden.md", "claims/backup.md~"]:
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("---\n---\n")
    files, problems = discover(content)
    assert [(f.kind, f.slug, f.rel) for f in files] == [("actors", "b", "actors/b.md"),
                                                       ("claims", "a", "claims/a.md")]
    assert sorted((d.path, d.code) for d in problems) == [
        ("content/claims/notes.txt", "unexpected-file"), ("content/misc/c.md", "unexpected-file")]


def test_symlink_pointing_outside_content_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: x\n---\n")
    (tmp_path / "content" / "claims").mkdir(parents=True)
    (tmp_path / "content" / "claims" / "leak.md").symlink_to(secret)
    files, problems = discover(tmp_path / "content")
    assert files == []
    assert [(d.path, d.code) for d in problems] == [("content/claims/leak.md", "symlink-outside")]


def test_a_fifo_in_content_is_reported_without_blocking(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "claims").mkdir(parents=True)
    os.mkfifo(tmp_path / "content" / "claims" / "pipe.md")
    files, problems = discover(tmp_path / "content")
    assert files == [] and [(d.path, d.code) for d in problems] == [
        ("content/claims/pipe.md", "unexpected-file")]


def test_discover_walks_folders_in_name_order_as_os_walk_does(tmp_path, monkeypatch):
    """A folder's own files first, then its subfolders by name; a linked folder is reported
    where ``os.walk`` lists it, before the files beside it."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    for rel in ["aa.txt", "claims/a.md", "claims/z/x.md", "actors/b.md", "zz/y.md",
                "claims/b.md"]:
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("---\n---\n")
    (content / "claims" / "linked").symlink_to(content / "zz")
    files, problems = discover(content)
    assert [(f.rel, f.location, f.display) for f in files] == [
        ("actors/b.md", str(content / "actors" / "b.md"), "content/actors/b.md"),
        ("claims/a.md", str(content / "claims" / "a.md"), "content/claims/a.md"),
        ("claims/b.md", str(content / "claims" / "b.md"), "content/claims/b.md")]
    assert files[0].path == content / "actors" / "b.md"
    assert [(d.path, d.code) for d in problems] == [
        ("content/aa.txt", "unexpected-file"), ("content/claims/linked", "symlink-inside"),
        ("content/claims/z/x.md", "unexpected-file"), ("content/zz/y.md", "unexpected-file")]


def test_discover_goes_as_deep_as_folders_go(tmp_path, monkeypatch):
    """No recursion: a stray file deeper than the interpreter's recursion limit (lowered
    here, so the tree stays small) is reported, not a RecursionError."""
    import os
    import sys

    monkeypatch.chdir(tmp_path)
    deep = os.path.join("content", "claims", *["d"] * 300)
    os.makedirs(deep)
    with open(os.path.join(deep, "x.md"), "w", encoding="utf-8") as handle:
        handle.write("---\n---\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        files, problems = discover(Path("content"))
    finally:
        sys.setrecursionlimit(limit)
    assert files == [] and [(d.code, d.path.count("/d")) for d in problems] == [
        ("unexpected-file", 300)]


def test_a_saved_file_is_the_entry_discover_finds(tmp_path, monkeypatch):
    """``entry_at`` (the preview's quick path) and ``discover`` make the same source file,
    also when the content folder is the working directory."""
    from generator.read import entry_at

    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "a.md").write_text("---\n---\n")
    monkeypatch.chdir(tmp_path)
    files, _ = discover(Path("."))
    assert files == [entry_at(Path("."), Path("claims/a.md"))]


def test_a_symlink_to_itself_is_reported_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "claims").mkdir(parents=True)
    (tmp_path / "content" / "claims" / "loop.md").symlink_to("loop.md")
    files, problems = discover(Path("content"))
    assert files == [] and [(d.path, d.code, d.message) for d in problems] == [
        ("content/claims/loop.md", "symlink-outside", "broken or looping symlink")]


@pytest.mark.parametrize("content", [".", "content", "deep/er/content"])
def test_a_file_is_named_as_the_snapshot_walk_names_it(tmp_path, monkeypatch, content):
    """``walked`` takes ``rel`` for a name that normalising left alone and rebuilds the name
    as on disk otherwise (a decomposed name): the quick path finds every file's stat by it.
    Also when the content folder is the working directory, where ``location`` is ``rel``."""
    import unicodedata

    from generator.fresh import snapshot, walked

    monkeypatch.chdir(tmp_path)
    decomposed = unicodedata.normalize("NFD", "café") + ".md"
    for name in ["plain.md", decomposed, "x-claims.md"]:
        (tmp_path / content / "claims").mkdir(parents=True, exist_ok=True)
        (tmp_path / content / "claims" / name).write_text("---\n---\n")
    files, _ = discover(Path(content))
    seen: dict[str, tuple[int, int, int]] = {}
    assert snapshot("", Path(content), seen)
    assert sorted(walked(f) for f in files) == sorted(seen)
    by_slug = {f.slug: f for f in files}
    assert walked(by_slug["plain"]) is by_slug["plain"].rel
    nfd = by_slug[unicodedata.normalize("NFC", "café")]
    assert nfd.rel == unicodedata.normalize("NFC", "claims/café.md")
    assert walked(nfd) == f"claims/{decomposed}" != nfd.rel
