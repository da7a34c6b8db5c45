"""Drafts never block publishing: a build leaves them out and reports them apart, ``check
--drafts`` judges them as ``build --drafts`` would, the preview shows each draft's problems
on its own page while every other page renders, and a published entry naming a draft fails."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from generator.preview import Preview
from tests.conftest import Project
from tests.serving import Server, raw_get

UNFINISHED = """\
---
title: "Tajikistan supplies drones to Russia"
statement: ""
claimant:
sources: []
rating:
rating_explanation: ""
evidence:
draft: true
---
"""
BROKEN_REFERENCE = """\
---
title: A claim naming nobody
statement: Someone said it.
claimant: nobody-at-all
sources: [kirby-remarks]
rating: "false"
rating_explanation: Contradicted.
evidence: partial
draft: true
---
"""
BAD_DATE = """\
---
title: A draft with a bad date
date: 2022-13-45
draft: true
---
"""
BROKEN_YAML = """\
---
title: "unclosed
draft: true
---
"""
COMPLETE = """\
---
title: A complete draft claim
statement: Something complete.
claimant: john-kirby
sources: [kirby-remarks]
rating: "true"
rating_explanation: Confirmed.
evidence: documented
draft: true
---
Ready to go.
"""
DRAFTS = {"claims/unfinished.md": UNFINISHED, "claims/nobody.md": BROKEN_REFERENCE,
          "denials/bad-date.md": BAD_DATE, "sources/broken-yaml.md": BROKEN_YAML,
          "claims/complete-draft.md": COMPLETE}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_scaffold_like_draft_is_valid_as_written(site_factory):
    project = site_factory({"claims/unfinished.md": UNFINISHED})
    result = project.check(drafts=True)
    assert result.ok and not [d for d in result.diagnostics if d.path.endswith("unfinished.md")]
    assert "unfinished" not in result.index.entries["claims"]  # held out: its own page only
    note = result.index.notes[("claims", "unfinished")]
    assert note.unfinished == ("statement", "claimant", "rating", "evidence")
    from generator.read import parse_entry
    from generator.validate import validate_entry

    raw, _ = parse_entry("claims", "unfinished", "x.md", "claims/x.md", UNFINISHED.encode())
    entry, problems = validate_entry(raw)
    assert not problems and entry.evidence == "" and entry.rating == ""  # nothing chosen


def test_the_same_fields_are_required_once_published(site_factory):
    project = site_factory({"claims/unfinished.md": UNFINISHED.replace("draft: true", "")})
    codes = {(d.code, d.line) for d in project.check().diagnostics
             if d.path.endswith("unfinished.md") and d.is_error}
    assert ("missing-field", 4) in codes and ("missing-field", 6) in codes  # claimant, rating
    assert ("missing-field", 2) in codes  # reviewed: required, never blank in the file


def test_broken_drafts_never_block_the_build_and_are_left_out(site_factory):
    project = site_factory(DRAFTS)
    for strict in (False, True):
        result = project.build(strict=strict, base_url="https://example.org/")
        assert result.ok, [d.format() for d in result.diagnostics if not d.draft]
    for url in ("claims/unfinished", "claims/nobody", "claims/complete-draft",
                "denials/bad-date", "sources/broken-yaml"):
        assert not (project.out / url).exists()
    assert (project.out / "claims/uav-pilots/index.html").is_file()
    drafted = {(Path(d.path).name, d.code) for d in result.diagnostics if d.draft}
    assert ("nobody.md", "unknown-reference") in drafted  # resolved as --drafts would
    assert ("bad-date.md", "impossible-date") in drafted
    assert ("broken-yaml.md", "yaml-syntax") in drafted
    assert not [d for d in result.diagnostics if not d.draft and "draft" in d.path]


def test_cli_prints_one_line_per_draft_and_exits_0_even_when_strict(site_factory):
    project = site_factory(DRAFTS)
    done = project.cli("build", "--strict", "--base-url", "https://example.org/")
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "draft, not published" in line]
    assert sorted(lines) == sorted([
        "content/denials/bad-date.md: draft, not published: 1 problem (factcheck check --drafts)",
        "content/claims/nobody.md: draft, not published: 1 problem (factcheck check --drafts)",
        "content/sources/broken-yaml.md: draft, not published: 1 problem "
        "(factcheck check --drafts)",
    ])
    assert "error[" not in done.stderr  # the details are for check --drafts
    check = project.cli("check", "--drafts")
    assert check.returncode == 1
    assert re.search(r"content/claims/nobody\.md:4: error\[unknown-reference\]", check.stderr)
    assert project.cli("check").returncode == 0


def test_a_published_entry_naming_a_draft_is_an_error_naming_both_files(site_factory):
    project = site_factory({"actors/john-kirby.md": """\
        ---
        name: John Kirby
        kind: person
        affiliation: nsc
        draft: true
        ---
        """})
    result = project.check()
    problems = [d for d in result.diagnostics if d.code == "draft-reference"]
    assert problems and not result.ok
    assert all(not d.draft and "content/actors/john-kirby.md" in d.message for d in problems)
    assert "uav-pilots.md" in {Path(d.path).name for d in problems}  # its claimant
    assert "factcheck publish content/actors/john-kirby.md" in problems[0].hint


def make_preview(project: Project) -> Preview:
    root = project.root / "preview"
    root.mkdir()
    preview = Preview(project.options(drafts=True, preview=True), root)
    outcome = preview.rebuild()
    assert outcome.ran and outcome.ok, [d.format() for d in outcome.diagnostics]
    return preview


def test_preview_shows_each_drafts_problems_on_its_own_page(site_factory):
    project = site_factory(DRAFTS)
    preview = make_preview(project)
    out = preview.out
    unfinished = soup(out / "claims/unfinished/index.html")
    assert unfinished.h1.get_text() == "Tajikistan supplies drones to Russia"
    note = unfinished.select_one(".draft-note").get_text(" ", strip=True)
    assert "statement" in note and "claimant" in note and "rating" in note
    nobody = soup(out / "claims/nobody/index.html").select_one(".draft-note").get_text()
    assert "unknown-reference" in nobody and "nobody-at-all" in nobody
    assert "impossible-date" in soup(out / "denials/bad-date/index.html").get_text()
    assert "yaml-syntax" in soup(out / "sources/broken-yaml/index.html").get_text()
    # Unfinished or broken drafts appear only on their own page; complete ones are listed.
    listed = soup(out / "claims/index.html")
    hrefs = {a["href"] for a in listed.select("main a")}
    assert "/claims/complete-draft/" in hrefs
    assert not hrefs & {"/claims/unfinished/", "/claims/nobody/"}
    complete = soup(out / "claims/complete-draft/index.html")
    assert complete.select_one(".draft-banner") and not complete.select_one(".draft-note")
    assert "Not yet: a draft" in complete.get_text()  # no review date chosen for it
    assert "Ready to go." in complete.get_text()


def test_a_draft_that_becomes_complete_joins_the_lists(site_factory):
    project = site_factory({"claims/unfinished.md": UNFINISHED})
    preview = make_preview(project)
    assert "/claims/unfinished/" not in (preview.out / "claims/index.html").read_text()
    project.write("claims/unfinished.md", COMPLETE.replace("A complete draft claim", "Now done"))
    assert preview.rebuild().ok
    assert "/claims/unfinished/" in (preview.out / "claims/index.html").read_text()
    assert not soup(preview.out / "claims/unfinished/index.html").select_one(".draft-note")


def test_served_preview_answers_200_everywhere_with_fresh_scaffolds(tmp_path):
    project = Project(tmp_path, tmp_path / "content", tmp_path / "templates", tmp_path / "site")
    from tests.conftest import MINIMAL

    for rel, text in {**MINIMAL, **DRAFTS}.items():
        project.write(rel, text)
    with Server(tmp_path) as server:
        server.wait_for(r"Serving on")
        for url in ("/", "/claims/", "/claims/uav-pilots/", "/actors/john-kirby/",
                    "/denials/iran-denial/", "/ratings/", "/tags/drones/"):
            status, _, body = raw_get(server.port, url)
            assert status == 200, (url, body[:300])
            assert b"Build failed" not in body
        status, _, body = raw_get(server.port, "/claims/unfinished/")
        assert status == 200 and b"Before this draft can be published" in body


def test_editing_a_complete_draft_in_the_preview_takes_the_quick_path(site_factory, tmp_path):
    """The writer edits drafts most: a complete draft with no problem is patched like a
    published entry; one with a problem (or unfinished) takes the full path, which shows it
    on its page. Either way the output equals a full build."""
    import hashlib

    from generator.build import build
    from generator.cache import Cache

    project = site_factory({"claims/complete-draft.md": COMPLETE,
                            "claims/unfinished.md": UNFINISHED})
    options = project.options(drafts=True, preview=True, out=tmp_path / "preview")
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    path = project.content / "claims" / "complete-draft.md"
    path.write_text(COMPLETE.replace("Ready to go.", "Ready to go, edited."), encoding="utf-8")
    quick = build(options, cache, incremental=True, changed=[path])
    assert quick.ok and quick.path == "quick"
    assert "Ready to go, edited." in (tmp_path / "preview/claims/complete-draft/index.html") \
        .read_text(encoding="utf-8")
    unfinished = project.content / "claims" / "unfinished.md"
    unfinished.write_text(UNFINISHED + "More words.\n", encoding="utf-8")
    assert build(options, cache, incremental=True, changed=[unfinished]).path != "quick"

    def tree(root):
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    full = project.options(drafts=True, preview=True, out=tmp_path / "full", use_cache=False)
    assert build(full, Cache(), incremental=True).ok
    assert tree(tmp_path / "preview") == tree(tmp_path / "full")
