"""Preview rebuild logic, without a server: bursts, edits, deletions, renames, templates,
config, broken-then-fixed, and incremental output equal to a full build byte for byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from generator.build import build
from generator.preview import Preview, error_page, url_prefix
from generator.watch import RACY_NS, Debouncer, Scanner, Watcher, changed_paths, snapshot
from tests.conftest import TEMPLATES, Project

CLAIM = """\
---
title: {title}
statement: Something was said.
claimant: john-kirby
sources: [kirby-remarks]
rating: {rating}
rating_explanation: Explained.
evidence: none
reviewed: 2026-11-21
{extra}---
{body}
"""
OLD_MTIME = 1_000_000_000


def claim(title: str = "A lonely claim", body: str = "Body text.", rating: str = "\"true\"",
          extra: str = "") -> str:
    return CLAIM.format(title=title, body=body, rating=rating, extra=extra)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def make_preview(project: Project, own_templates: bool = False, **overrides: object) -> Preview:
    if own_templates:
        project.templates = project.root / "templates"
        shutil.copytree(TEMPLATES, project.templates)
    root = project.root / "preview"
    root.mkdir()
    preview = Preview(project.options(**{"drafts": True, **overrides}), root)
    first = preview.rebuild()
    assert first.ran and first.ok, [d.format() for d in first.diagnostics]
    return preview


def page(preview: Preview, url_path: str) -> str:
    return (preview.out / url_path / "index.html").read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- watching and batching ------------------------------------------------------------------

def test_a_burst_of_saves_gives_one_batch_and_one_rebuild(site_factory):
    project = site_factory()
    preview = make_preview(project)
    debouncer = Debouncer(preview.take_snapshot())
    project.write("claims/new-one.md", claim("First new claim"))
    assert debouncer.poll(preview.take_snapshot()) is None  # still moving: wait
    project.write("claims/new-two.md", claim("Second new claim"))
    edit(project.content / "claims/uav-pilots.md", "said so", "said it twice")
    assert debouncer.poll(preview.take_snapshot()) is None  # still moving: wait
    current = preview.take_snapshot()
    batch = debouncer.poll(current)
    assert batch is not None
    assert [Path(p).relative_to(project.root).as_posix() for p in batch] == [
        "content/claims/new-one.md", "content/claims/new-two.md", "content/claims/uav-pilots.md"]
    assert debouncer.poll(preview.take_snapshot()) is None  # settled: nothing more to do

    outcome = preview.rebuild(current)
    assert outcome.ran and outcome.ok
    assert preview.builds == 2
    assert "First new claim" in page(preview, "claims/new-one")
    assert "Second new claim" in page(preview, "claims/new-two")
    assert "said it twice" in page(preview, "claims/uav-pilots")


def test_watcher_thread_calls_back_once_per_settled_burst_and_survives_errors():
    a, b, c = {"x": (1, 1, 1, "")}, {"x": (2, 1, 1, "")}, {"x": (3, 1, 1, ""), "y": (1, 1, 2, "")}
    script = iter([b, RuntimeError("a bug"), c, c])
    calls: list[list[str]] = []
    done = threading.Event()

    def take() -> dict:
        step = next(script, c)
        if isinstance(step, Exception):
            raise step
        return step

    def on_change(changes: list[str], current: object) -> None:
        calls.append(changes)
        done.set()

    watcher = Watcher(take, on_change, a, interval=0.001)
    watcher.start()
    assert done.wait(30)
    watcher.stop()
    watcher.join(30)
    assert calls == [["x", "y"]]


def test_rebuild_is_skipped_when_inputs_did_not_change(site_factory):
    project = site_factory()
    preview = make_preview(project)
    assert not preview.rebuild().ran
    # The same batch reported twice (livereload globs, two watchers) costs nothing either.
    project.write("claims/new-one.md", claim())
    assert preview.rebuild().ran
    assert not preview.rebuild().ran
    assert preview.builds == 2


def test_editor_swap_and_backup_files_are_not_inputs(site_factory):
    project = site_factory()
    before = snapshot(project.content, project.templates)
    (project.content / "claims" / ".uav-pilots.md.swp").write_bytes(b"\x00swap")
    (project.content / "claims" / "uav-pilots.md~").write_text("backup")
    (project.content / ".git").mkdir()
    (project.content / ".git" / "index").write_text("x")
    assert snapshot(project.content, project.templates) == before
    project.write("claims/uav-pilots.md", claim())
    assert changed_paths(before, snapshot(project.content, project.templates)) == [
        str(project.content / "claims/uav-pilots.md")]


def test_same_size_saves_within_one_timestamp_tick_are_seen(site_factory):
    project = site_factory()
    path = project.content / "claims/uav-pilots.md"
    now = path.stat().st_mtime_ns
    clock = [now]
    scanner = Scanner(project.content, project.templates, clock=lambda: clock[0])
    first = scanner()
    edit(path, "said so", "said no")  # same size; put back the very same mtime
    os.utime(path, ns=(now, now))
    second = scanner()
    assert first != second
    clock[0] = now + 10 * RACY_NS  # the file ages: its stamp must not change by itself
    assert scanner() == second


def test_a_same_tick_edit_is_rebuilt(site_factory):
    project = site_factory()
    preview = make_preview(project)
    path = project.content / "claims/uav-pilots.md"
    stamp = path.stat().st_mtime_ns
    edit(path, "said so", "said no")
    os.utime(path, ns=(stamp, stamp))
    assert preview.rebuild().ran
    assert "said no" in page(preview, "claims/uav-pilots")


def test_output_folder_is_never_watched(site_factory):
    project = site_factory()
    preview = make_preview(project)
    assert not any(p.startswith(str(preview.root)) for p in preview.take_snapshot())
    (preview.out / "index.html").write_text("tampered")
    assert not preview.rebuild().ran


# --- adding, renaming, deleting -------------------------------------------------------------

def test_added_renamed_and_deleted_entries(site_factory):
    project = site_factory()
    preview = make_preview(project)
    project.write("claims/lonely.md", claim("A lonely claim"))
    assert preview.rebuild().ok
    assert "A lonely claim" in page(preview, "claims/lonely")
    assert "A lonely claim" in page(preview, "claims")

    (project.content / "claims/lonely.md").rename(project.content / "claims/renamed.md")
    assert preview.rebuild().ok
    assert not (preview.out / "claims/lonely").exists()
    assert "A lonely claim" in page(preview, "claims/renamed")

    (project.content / "claims/renamed.md").unlink()
    assert preview.rebuild().ok
    assert not (preview.out / "claims/renamed").exists()
    assert "A lonely claim" not in page(preview, "claims")


def test_deleting_a_linked_claim_reports_the_pages_that_link_to_it(site_factory):
    project = site_factory()
    preview = make_preview(project)
    (project.content / "claims/uav-pilots.md").unlink()
    outcome = preview.rebuild()
    assert not outcome.ok
    assert preview.error is not None
    shown = preview.error.decode()
    broken = [d for d in outcome.diagnostics if d.is_error]
    assert {d.path for d in broken} >= {"content/denials/iran-denial.md",
                                        "content/claims/second-claim.md"}
    for d in broken:
        assert f"{d.path}:{d.line}: error[{d.code}]" in shown
    # The last good build stays on disk, behind the error page, until the content is fixed.
    assert (preview.out / "claims/uav-pilots/index.html").is_file()

    edit(project.content / "denials/iran-denial.md", "answers: [uav-pilots, second-claim]",
         "answers: [second-claim]")
    edit(project.content / "claims/second-claim.md", "related: [uav-pilots]\n", "")
    assert preview.rebuild().ok
    assert preview.error is None
    assert not (preview.out / "claims/uav-pilots").exists()
    assert "Iran sends weapons" in page(preview, "claims/second-claim")


# --- broken saves ---------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "code"), [
    ("rating: unsubstantiated", "rating: [unclosed", "yaml-syntax"),
    ("rating: unsubstantiated", "rating: dubious", "unknown-rating"),
    ("claimant: john-kirby", "claimant: kirby", "unknown-reference"),
])
def test_broken_save_shows_every_diagnostic_then_fix_restores(site_factory, old, new, code):
    project = site_factory()
    preview = make_preview(project)
    good = page(preview, "claims/uav-pilots")
    path = project.content / "claims/uav-pilots.md"
    edit(path, old, new)
    project.write("sources/kirby-remarks.md", "no front matter\n")  # a second broken file
    outcome = preview.rebuild()
    assert not outcome.ok
    assert preview.error is not None
    shown = preview.error.decode()
    codes = {d.code for d in outcome.diagnostics}
    assert "missing-front-matter" in codes
    assert code in codes, codes
    for d in outcome.diagnostics:
        where = f"{d.path}:{d.line}" if d.line else d.path
        assert f"{where}: {d.severity.value}[{d.code}]: " in shown
    assert "content/claims/uav-pilots.md:" in shown
    assert "content/sources/kirby-remarks.md:1:" in shown
    assert page(preview, "claims/uav-pilots") == good  # untouched while broken

    edit(path, new, old)
    project.write("sources/kirby-remarks.md", "---\ntitle: Kirby's remarks\n"
                  "kind: official-statement\npublisher: nsc\ndate: 2022-10\n---\nRemarks.\n")
    assert preview.rebuild().ok
    assert preview.error is None


def test_error_page_escapes_messages():
    from generator.diagnostics import error

    shown = error_page([error("content/claims/x.md", 3, "bad", "<script>alert(1)</script>")])
    assert b"<script>alert" not in shown
    assert b"content/claims/x.md:3: error[bad]: &lt;script&gt;" in shown


# --- templates and configuration -----------------------------------------------------------

def test_template_change_rerenders_and_syntax_error_is_shown(site_factory):
    project = site_factory()
    preview = make_preview(project, own_templates=True)
    base = project.templates / "base.html"
    edit(base, '<main id="main"', '<p class="marker">Edited template</p>\n<main id="main"')
    assert preview.rebuild().ok
    pages = sorted(preview.out.rglob("*.html"))
    assert pages and all("Edited template" in p.read_text() for p in pages)

    edit(project.templates / "claim.html", "<h1>{{ claim.title }}</h1>",
         "<h1>{{ claim.title }</h1>")
    outcome = preview.rebuild()
    assert not outcome.ok
    assert any(d.path == "templates/claim.html" and d.line == 7 for d in outcome.diagnostics), \
        [d.format() for d in outcome.diagnostics]
    assert preview.error is not None and b"templates/claim.html:7:" in preview.error

    edit(project.templates / "claim.html", "{{ claim.title }</h1>", "{{ claim.title }}</h1>")
    assert preview.rebuild().ok and preview.error is None


def test_static_file_change_is_copied(site_factory):
    project = site_factory()
    preview = make_preview(project, own_templates=True)
    (project.templates / "static" / "style.css").write_text("body { color: red }\n")
    assert preview.rebuild().ok
    assert (preview.out / "static/style.css").read_text() == "body { color: red }\n"


def test_site_yaml_change_rerenders_every_page(site_factory):
    project = site_factory()
    preview = make_preview(project)
    edit(project.content / "site.yaml", "title: Test Checks", "title: Renamed Desk")
    assert preview.rebuild().ok
    pages = sorted(preview.out.rglob("*.html"))
    assert pages and all("Renamed Desk" in p.read_text() for p in pages)


def test_subpath_base_url_is_previewed_under_its_prefix(site_factory):
    project = site_factory()
    preview = make_preview(project)
    assert preview.prefix == ()
    edit(project.content / "site.yaml", "build_date:", "base_url: https://example.org/factcheck/\n"
         "build_date:")
    assert preview.rebuild().ok
    assert preview.prefix == ("factcheck",)
    assert sorted(p.name for p in preview.root.iterdir()) == ["factcheck"]
    assert 'href="/factcheck/claims/"' in page(preview, "claims/uav-pilots")


def test_command_line_base_url_wins(site_factory):
    project = site_factory()
    preview = make_preview(project, base_url="/desk/checks/")
    assert preview.out == preview.root / "desk" / "checks"
    assert (preview.out / "index.html").is_file()


@pytest.mark.parametrize(("base", "prefix"), [
    ("/", ()), ("/factcheck/", ("factcheck",)), ("/a/b/", ("a", "b")), ("/%2e%2e/", None),
    ("/../", None),
])
def test_url_prefix_never_leaves_the_preview_folder(base, prefix):
    assert url_prefix(base) == prefix


# --- drafts ---------------------------------------------------------------------------------

def test_drafts_are_shown_and_marked_in_the_preview_only(site_factory):
    project = site_factory({"claims/draft-claim.md": claim("Draft claim", extra="draft: true\n")})
    preview = make_preview(project)
    assert 'class="draft-banner"' in page(preview, "claims/draft-claim")
    assert 'class="draft-banner"' not in page(preview, "claims/uav-pilots")
    assert project.build().ok
    assert not (project.out / "claims/draft-claim").exists()


# --- incremental equals full ---------------------------------------------------------------

def test_incremental_output_equals_a_full_build_after_a_sequence_of_changes(site_factory):
    project = site_factory()
    preview = make_preview(project, own_templates=True)
    claims = project.content / "claims"
    steps = [
        lambda: edit(claims / "uav-pilots.md", "said so", "said so, twice"),
        lambda: project.write("claims/lonely.md", claim("Lonely")),
        lambda: project.write("claims/draft-claim.md", claim("Drafty", extra="draft: true\n")),
        lambda: edit(claims / "second-claim.md", "rating: \"false\"", "rating: nonsense"),
        lambda: edit(claims / "second-claim.md", "rating: nonsense", "rating: \"true\""),
        lambda: (claims / "lonely.md").rename(claims / "moved.md"),
        lambda: edit(project.content / "actors/john-kirby.md", "name: John Kirby",
                     "name: Admiral John Kirby"),
        lambda: edit(project.templates / "base.html", "<footer", "<!-- edited -->\n<footer"),
        lambda: edit(project.content / "site.yaml", "title: Test Checks", "title: Other"),
        lambda: (claims / "moved.md").unlink(),
        lambda: (project.content / "pages/corrections.md").unlink(),
    ]
    for step in steps:
        step()
        preview.rebuild()
    assert preview.error is None
    full = build(project.options(out=project.root / "full", drafts=True))
    assert full.ok
    assert tree(preview.out) == tree(project.root / "full")


def test_unchanged_pages_keep_their_bytes_and_mtime(site_factory):
    project = site_factory()
    preview = make_preview(project)
    files = [p for p in preview.out.rglob("*") if p.is_file()]
    for path in files:
        os.utime(path, ns=(OLD_MTIME * 10**9, OLD_MTIME * 10**9))
    before = tree(preview.out)
    edit(project.content / "pages/methodology.md", "How we work.", "How we work, revised.")
    outcome = preview.rebuild()
    assert outcome.ok and outcome.written >= 1
    after = tree(preview.out)
    rewritten = {rel for rel in after if after[rel] != before.get(rel)}
    assert "methodology/index.html" in rewritten
    for path in files:
        rel = path.relative_to(preview.out).as_posix()
        kept = path.stat().st_mtime_ns == OLD_MTIME * 10**9
        assert kept == (rel not in rewritten), rel
    assert len(rewritten) < len(files)
