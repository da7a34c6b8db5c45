"""Incremental and cached builds produce exactly what a cold, single-process build produces.

The reference is ``load`` + ``render`` (in memory, one process, no cache); every other way of
building (warm persistent cache, in-memory preview cache with or without the list of saved
files, several worker processes) must give the same tree, byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from generator import parallel
from generator.build import Cache, Options, build, load, render
from generator.searchrefresh import refresh_search
from tests.conftest import PYTHON, ROOT


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in sorted(root.rglob("*")) if p.is_file()}


def reference(options: Options) -> dict[str, bytes]:
    result = load(options, Cache())
    assert result.ok, [d.format() for d in result.diagnostics]
    return dict(render(options, result).files)


def touch_later(path: Path) -> None:
    """Make sure an edit is seen even on filesystems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def edit(project, rel: str, old: str, new: str) -> Path:
    path = project.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    touch_later(path)
    return path


NEW_CLAIM = """\
    ---
    title: Tajikistan sends drones
    statement: Tajikistan sends drones.
    claimant: iran-fm
    sources: [denial-statement]
    rating: "false"
    rating_explanation: Contradicted.
    evidence: none
    tags: [drones]
    reviewed: 2026-11-22
    ---
    Mentions [the NSC](../actors/nsc.md).
    """


def steps(project):
    """A writer's session: each step edits files and returns the paths it saved."""
    yield "claim body", [edit(project, "claims/uav-pilots.md", "said so.", "said so, twice.")]
    yield "actor name", [edit(project, "actors/john-kirby.md", "name: John Kirby",
                              "name: John F. Kirby")]
    yield "actor reordered", [edit(project, "actors/john-kirby.md", "name: John F. Kirby",
                                   "name: Admiral John Kirby")]
    yield "actor role", [edit(project, "actors/john-kirby.md", "communications coordinator",
                              "spokesman")]  # in the claim page's ClaimReview (jobTitle)
    yield "source fields", [edit(project, "sources/kirby-remarks.md",
                                 "url: https://example.org/remarks",
                                 "url: https://example.org/remarks-2")]  # and there too
    yield "claim title", [edit(project, "claims/second-claim.md", "title: Iran sends weapons",
                               "title: Iran ships weapons")]
    added = project.write("claims/tajik-drones.md", NEW_CLAIM)
    yield "new claim", [added]
    yield "body link added", [edit(project, "claims/second-claim.md",
                                   "reviewed: 2026-11-21\n---\n",
                                   "reviewed: 2026-11-21\n---\nSee [it](../actors/iran-fm.md).\n")]
    denial = project.content / "denials" / "iran-denial.md"
    denial.unlink()
    yield "denial deleted", [denial]
    renamed = project.content / "claims" / "tajik-drones-2.md"
    added.rename(renamed)
    yield "claim renamed", [added, renamed]
    yield "site.yaml", [edit(project, "site.yaml", "title: Test Checks", "title: Checks")]
    templates = project.templates
    claim = templates / "claim.html"
    claim.write_text(claim.read_text(encoding="utf-8").replace(
        "What was claimed", "What was said"), encoding="utf-8")
    touch_later(claim)
    yield "template", [claim]
    yield "nothing", []


@pytest.fixture
def editable(site_factory, tmp_path):
    project = site_factory()
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    project.templates = templates
    return project


@pytest.mark.parametrize("with_paths", [True, False], ids=["saved-paths", "scan"])
def test_incremental_equals_full_build_after_each_step(editable, tmp_path, with_paths):
    project = editable
    options = project.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    for name, saved in steps(project):
        result = build(options, cache, incremental=True,
                       changed=saved if with_paths else None)
        assert result.ok, (name, [d.format() for d in result.diagnostics])
        if result.written and result.path == "quick":  # search: as the preview refreshes it
            manifest = json.loads((project.out / "pagefind" / "shards.json").read_bytes())
            assert manifest["stale"] is True, name
            assert refresh_search(options, cache) is not None, name
        assert tree(project.out) == reference(options), name
        if name == "nothing":
            assert result.written == 0 and result.deleted == 0
        elif with_paths and name in ("claim body", "actor name", "actor role", "source fields",
                                     "claim title"):
            assert result.path == "quick", name
        elif with_paths and name != "actor reordered":
            assert result.path == "full", name


def age(root: Path) -> None:
    """Date every file a minute back, as files are when a writer has not just saved them."""
    old = time.time_ns() - 60_000_000_000
    for path in [root, *root.rglob("*")] if root.is_dir() else [root]:
        os.utime(path, ns=(old, old))


def test_nothing_changed_means_nothing_done(editable):
    project = editable
    age(project.content)
    options = project.options(use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    again = build(options, cache, incremental=True)
    assert again.path == "unchanged" and again.written == 0
    assert again.unchanged == len(tree(project.out))


def no_discovering(*_args, **_kwargs):
    raise AssertionError("the content folder was discovered")


def test_the_command_line_sees_nothing_to_do_before_discovering_anything(editable,
                                                                        monkeypatch):
    """After every step of a writer's session, a command-line build gives the reference
    tree; the build after it has nothing to do and knows it from the snapshot alone."""
    from generator import build as build_module

    project = editable
    options = project.options(drafts=True)  # the cache beside the content, as the CLI does
    age(project.content)
    assert build(options).ok
    for name, saved in steps(project):
        for path in saved:  # stats old enough to trust, as a writer's files are
            if path.exists():
                age(path)
        result = build(options)
        assert result.ok, (name, [d.format() for d in result.diagnostics])
        assert tree(project.out) == reference(options), name
        assert (result.path == "unchanged") == (name == "nothing"), (name, result.path)
        with monkeypatch.context() as patched:
            patched.setattr(build_module, "discover", no_discovering)
            again = build(options)
        assert again.path == "unchanged" and again.written == 0, name


def test_what_the_snapshot_cannot_see_takes_the_slower_way(editable):
    """A stray file, an output file changed, a file saved too recently to trust its stat."""
    project = editable
    options = project.options()
    age(project.content)
    assert build(options).ok
    stray = project.write("claims/notes.txt", "to do")
    result = build(options)
    assert not result.ok and any(d.code == "unexpected-file" for d in result.diagnostics)
    stray.unlink()
    assert build(options).path == "unchanged"
    page = project.out / "claims" / "uav-pilots" / "index.html"
    page.write_text("defaced", encoding="utf-8")
    result = build(options)
    assert result.written >= 1 and b"defaced" not in page.read_bytes()
    assert tree(project.out) == reference(options)

    edit(project, "claims/uav-pilots.md", "said so.", "said so, twice.")  # not aged: racy
    assert build(options).path != "unchanged"
    from generator import store
    from generator.cache import Cache as Stored
    saved = Stored()
    assert store.load_manifest(saved, options.cache_folder)
    assert saved.snapshot == ""  # a stat within two seconds of the read is not trusted


def test_the_outputs_are_checked_in_a_child_beside_the_walk(editable, monkeypatch):
    """A command-line build with a store checks its outputs in a forked child
    (``parallel.in_child``) while it walks the content and loads the store; the answer is
    the one this process would find: an intact site is unchanged, a defaced page rebuilt."""
    import threading

    from generator import build as build_module
    from generator import parallel

    if threading.active_count() > 1:
        pytest.skip("another test left a thread running: no fork")
    project = editable
    options = project.options(jobs=2)  # one process (--jobs 1) forks no child
    age(project.content)
    assert build(options).ok
    forked: list[bool] = []

    def spy(check):
        waiting = parallel.in_child(check)
        forked.append(waiting is not check)
        return waiting

    monkeypatch.setattr(build_module, "in_child", spy)
    assert build(options).path == "unchanged"
    page = project.out / "claims" / "uav-pilots" / "index.html"
    page.write_text("defaced", encoding="utf-8")
    result = build(options)
    assert result.path != "unchanged" and b"defaced" not in page.read_bytes()
    assert forked == [True, True]
    assert tree(project.out) == reference(options)
    one_process = project.options(jobs=1)
    forked.clear()
    assert build(one_process).ok and forked == []  # in_child not even asked


def test_a_file_the_walk_missed_is_not_left_out_of_the_next_snapshot(editable, monkeypatch,
                                                                     tmp_path):
    """The quick path keeps the walk's snapshot only when the walk saw exactly the files
    ``discover`` found: a page moved away during the walk and back before ``discover`` must
    not let a later deletion of it look like nothing changed."""
    import os

    from generator import build as build_module

    project = editable
    options = project.options()
    age(project.content)
    assert build(options).ok and build(options).path == "unchanged"
    edit(project, "claims/uav-pilots.md", "said so.", "said so, quickly.")
    age(project.content / "claims" / "uav-pilots.md")
    page = project.content / "pages" / "corrections.md"
    aside = tmp_path / "corrections.md"
    os.rename(page, aside)  # away while the snapshot walks...
    real = build_module.discover

    def discover(content):
        if aside.exists():
            os.rename(aside, page)  # ...back, same inode, mtime and size, before discover
        return real(content)

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "discover", discover)
        assert build(options).path == "quick"
    assert tree(project.out) == reference(options)
    page.unlink()
    assert build(options).path != "unchanged"
    assert tree(project.out) == reference(options)


def test_unchanged_pages_keep_bytes_and_mtime(editable):
    project = editable
    options = project.options(use_cache=False)
    cache = Cache()
    build(options, cache, incremental=True)
    before, stamps = tree(project.out), mtimes(project.out)
    saved = edit(project, "claims/second-claim.md", "reviewed: 2026-11-21\n---\n",
                 "reviewed: 2026-11-21\n---\nA new analysis paragraph.\n")
    result = build(options, cache, incremental=True, changed=[saved])
    after, stamps_after = tree(project.out), mtimes(project.out)
    changed = {p for p in after if after[p] != before.get(p)}
    # and the search manifest, which now says the index lags (the preview refreshes it)
    assert changed == {"claims/second-claim/index.html", "pagefind/shards.json"}
    assert result.written == 1
    assert all(stamps_after[p] == stamps[p] for p in after if p not in changed)


def test_actor_rename_rewrites_exactly_the_pages_that_show_the_actor(editable):
    project = editable
    options = project.options(use_cache=False)
    cache = Cache()
    build(options, cache, incremental=True)
    before = tree(project.out)
    saved = edit(project, "actors/iran-fm.md", "name: Iran's foreign ministry",
                 "name: Iranian foreign ministry")
    result = build(options, cache, incremental=True, changed=[saved])
    after = tree(project.out)
    changed = {p for p in after if after[p] != before[p]}
    showing = {p for p, data in before.items()  # pages (escaped) and data exports (raw)
               if b"Iran&#39;s foreign ministry" in data or b"Iran's foreign ministry" in data}
    assert changed == showing | {"pagefind/shards.json"}  # the manifest: search is stale
    assert "actors/iran-fm/index.html" in changed and "denials/iran-denial/index.html" in changed
    assert result.written == len(changed) - 1
    assert refresh_search(options, cache) is not None
    assert tree(project.out) == reference(options)


def test_template_change_rerenders_only_pages_using_it(editable):
    project = editable
    options = project.options(use_cache=False)
    cache = Cache()
    build(options, cache, incremental=True)
    stamps = mtimes(project.out)
    source = project.templates / "source.html"
    source.write_text(source.read_text(encoding="utf-8").replace("</article>", "</article>v2"),
                      encoding="utf-8")
    result = build(options, cache, incremental=True, changed=[source])
    assert result.written == 2  # the two source pages, nothing else
    changed = {p for p, t in mtimes(project.out).items() if t != stamps[p]}
    assert changed == {"sources/kirby-remarks/index.html", "sources/denial-statement/index.html"}
    assert tree(project.out) == reference(options)


def test_parallel_build_equals_single_process_build(editable, tmp_path, monkeypatch):
    project = editable
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    single = project.options(out=tmp_path / "one", jobs=1, use_cache=False)
    several = project.options(out=tmp_path / "two", jobs=2, use_cache=False)
    assert build(single).ok and build(several).ok
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == reference(single)


def test_failed_rebuild_leaves_the_site_alone_and_recovers(editable):
    project = editable
    options = project.options(use_cache=False)
    cache = Cache()
    build(options, cache, incremental=True)
    before = tree(project.out)
    saved = edit(project, "claims/uav-pilots.md", "rating: unsubstantiated", "rating: bogus")
    assert not build(options, cache, incremental=True, changed=[saved]).ok
    assert tree(project.out) == before
    edit(project, "claims/uav-pilots.md", "rating: bogus", "rating: unsubstantiated")
    assert build(options, cache, incremental=True, changed=[saved]).ok
    assert tree(project.out) == before


def run_cli(project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "generator", "build", "--content", str(project.content),
         "--templates", str(project.templates), "--out", str(project.out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_persistent_cache_survives_a_new_process(editable):
    project = editable
    first = run_cli(project)
    assert first.returncode == 0, first.stderr
    assert (project.root / ".factcheck-cache" / "cache.sqlite").is_file()
    stamps = mtimes(project.out)
    second = run_cli(project)
    assert second.returncode == 0, second.stderr
    assert " 0 files written" in second.stderr
    assert mtimes(project.out) == stamps
    edit(project, "claims/uav-pilots.md", "said so.", "said so again.")
    third = run_cli(project)
    assert third.returncode == 0, third.stderr
    changed = {p for p, t in mtimes(project.out).items() if t != stamps.get(p)}
    pages = {p for p in changed if not p.startswith("pagefind/")}
    assert pages == {"claims/uav-pilots/index.html"}  # and the claims' search shard
    assert f" {len(changed)} files written" in third.stderr, third.stderr
    assert tree(project.out) == reference(project.options())


def test_no_cache_builds_cold(editable):
    """Same size, same mtime: the stat cache cannot see this edit; --no-cache reads it."""
    project = editable
    path = project.content / "claims" / "uav-pilots.md"
    old = time.time_ns() - 60_000_000_000  # long before the build: the stat is trusted
    os.utime(path, ns=(old, old))
    assert run_cli(project).returncode == 0
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("said so.", "said no."),
                    encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_ino == stat.st_ino
    run_cli(project)
    assert b"said no." not in (project.out / "claims/uav-pilots/index.html").read_bytes()
    cold = run_cli(project, "--no-cache")
    assert cold.returncode == 0, cold.stderr
    assert b"said no." in (project.out / "claims/uav-pilots/index.html").read_bytes()
    assert tree(project.out) == reference(project.options())


def test_unreadable_cache_means_a_cold_build_not_a_traceback(editable):
    project = editable
    assert run_cli(project).returncode == 0
    (project.root / ".factcheck-cache" / "cache.sqlite").write_bytes(b"SQLite garbage" * 99)
    result = run_cli(project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert tree(project.out) == reference(project.options())


@pytest.mark.parametrize("table", ["index", "index-cut", "pages", "bodies"])
def test_a_damaged_row_means_a_full_build_not_a_wrong_one(editable, table):
    """The one-edit command-line build reads rows by key: one it cannot read sends it down
    the full path (or a cold one), whose output equals a build from scratch."""
    import sqlite3

    project = editable
    assert build(project.options()).ok
    db = sqlite3.connect(project.root / ".factcheck-cache" / "cache.sqlite")
    if table == "index":
        db.execute("UPDATE parts SET value=? WHERE name='index'", (b"\x80\x04garbage",))
    elif table == "index-cut":  # a pickle that ends too early
        db.execute("UPDATE parts SET value=substr(value, 1, length(value) / 2) "
                   "WHERE name='index'")
    else:
        db.execute(f"UPDATE {table} SET {'record' if table == 'pages' else 'value'}=?",
                   (b"\x80\x04garbage",))
    db.commit()
    db.close()
    edit(project, "claims/uav-pilots.md", "said so.", "said so, damaged.")
    result = run_cli(project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert tree(project.out) == reference(project.options())


def test_a_command_line_edit_takes_the_quick_path_and_equals_a_full_build(editable):
    project = editable
    options = project.options()
    assert build(options).ok
    for number in range(2):  # the second reads the first one's patches
        edit(project, "claims/uav-pilots.md", "said so." if number == 0 else "again 0.",
             f"again {number}.")
        result = build(options)
        assert result.ok and result.path == "quick"
        assert result.written > 1  # the page, and its search shard indexed again
        assert tree(project.out) == reference(options)
    edit(project, "actors/iran-fm.md", "name: Iran's foreign ministry", "name: Renamed")
    result = build(options)  # an entry's fields: the whole plan, so the full path
    assert result.ok and result.path == "full" and tree(project.out) == reference(options)
    again = build(options)  # the files edited just now are re-read (racy stat), not rebuilt
    assert again.ok and again.written == 0 and again.path in ("unchanged", "quick")


def test_a_check_between_builds_never_hides_an_edit(editable):
    project = editable
    assert run_cli(project).returncode == 0
    edit(project, "claims/uav-pilots.md", "said so.", "said so, checked.")
    checked = subprocess.run([PYTHON, "-m", "generator", "check", "--content",
                              str(project.content), "--templates", str(project.templates)],
                             cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert run_cli(project).returncode == 0
    assert tree(project.out) == reference(project.options())


def test_outputs_changed_behind_the_cache_are_rewritten(editable):
    project = editable
    options = project.options()
    assert build(options).ok
    page = project.out / "claims" / "uav-pilots" / "index.html"
    page.write_bytes(b"tampered")
    (project.out / "actors" / "nsc" / "index.html").unlink()
    time.sleep(0.01)
    assert build(options).ok
    assert tree(project.out) == reference(options)


def test_command_line_parallel_builds_finish_and_match(editable):
    """Worker pools shut down cleanly under the command line's SIGTERM handler."""
    project = editable
    env = {**os.environ, "FACTCHECK_MIN_PARALLEL": "1"}
    for _ in range(3):
        for extra in (["--no-cache"], []):
            done = subprocess.run(
                [PYTHON, "-m", "generator", "build", "--content", str(project.content),
                 "--templates", str(project.templates), "--out", str(project.out),
                 "--jobs", "2", *extra], cwd=ROOT, env=env, capture_output=True, text=True,
                timeout=120, check=False)
            assert done.returncode == 0, done.stderr
    assert tree(project.out) == reference(project.options())
    assert not list(project.root.glob(".site.*"))


def test_an_edit_within_the_same_timestamp_is_seen(editable):
    """A file read just after it was written may change again without its mtime changing
    (coarse timestamps): such a file is read again, not trusted by its stat."""
    project = editable
    options = project.options(use_cache=False)
    cache = Cache()
    path = project.content / "claims" / "uav-pilots.md"
    assert build(options, cache, incremental=True).ok
    # One timestamp for both edits, within the racy window of every read below however slow
    # the machine (a stamp taken from the fixture's files made the test fail under load:
    # the build read them more than two seconds later, and then rightly trusted their stat).
    stamp = time.time_ns() + 30_000_000_000
    path.write_text(path.read_text(encoding="utf-8").replace("said so.", "said no."),
                    encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert build(options, cache, incremental=True).ok
    assert b"said no." in (project.out / "claims/uav-pilots/index.html").read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace("said no.", "said so."),
                    encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert build(options, cache, incremental=True, changed=[path]).ok
    assert b"said so." in (project.out / "claims/uav-pilots/index.html").read_bytes()


def test_the_preview_passes_saved_paths_and_takes_the_quick_path(site_factory, monkeypatch):
    """Preview.rebuild tells build which files changed, so a body edit is a quick rebuild."""
    from generator import incremental
    from tests.test_preview import make_preview

    taken: list[str] = []
    original = incremental.quick_rebuild

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        taken.append("quick" if result is not None else "full")
        return result

    monkeypatch.setattr(incremental, "quick_rebuild", spy)
    project = site_factory()
    preview = make_preview(project)
    edit(project, "claims/uav-pilots.md", "said so.", "said so, in the preview.")
    outcome = preview.rebuild()
    assert outcome.ok and outcome.written == 1 and taken == ["quick"]
    assert "in the preview." in (preview.out / "claims/uav-pilots/index.html").read_text()
    assert preview.search_stale and preview.refresh_search() == 1  # the claims' shard
    assert tree(preview.out) == reference(dataclasses.replace(preview.options, out=preview.out))


def test_an_nfd_named_entry_edit_takes_the_quick_path(editable):
    """A file name written decomposed (as macOS writes it) is the same entry to discover
    and to the quick path (``read.source_file``): its edit is a quick rebuild."""
    import unicodedata

    project = editable
    original = project.content / "claims/uav-pilots.md"
    name = unicodedata.normalize("NFD", "uav-pilotes-café.md")
    assert name != unicodedata.normalize("NFC", name)
    nfd = project.content / "claims" / name
    nfd.write_text(original.read_text(encoding="utf-8").replace("said so.", "said thus."),
                   encoding="utf-8")
    options = project.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    path = edit(project, f"claims/{name}", "said thus.", "said thus, in NFD.")
    result = build(options, cache, incremental=True, changed=[path])
    assert result.ok and result.path == "quick" and result.written == 1
    assert refresh_search(options, cache) is not None
    assert tree(project.out) == reference(options)


def test_a_body_edit_renders_only_the_pages_that_print_the_body(site_factory, monkeypatch):
    """Pages that show a claim depend on its fields, not its body: after a body edit the
    claim's lists, its claimant's and its sources' pages are found current, not rendered;
    a title edit renders them all again; both end as a full build would."""
    from generator import pagefile

    project = site_factory()
    options = project.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    rendered: list[str] = []
    real = pagefile._card_or_page
    monkeypatch.setattr(pagefile, "_card_or_page",
                        lambda job, page, *rest: rendered.append(page.path)
                        or real(job, page, *rest))
    saved = edit(project, "claims/uav-pilots.md", "said so.", "said so, twice.")
    result = build(options, cache, incremental=True, changed=[saved])
    assert result.ok and result.path == "quick"
    assert rendered == ["claims/uav-pilots/index.html"]
    pages = {p: b for p, b in tree(project.out).items() if not p.startswith("pagefind/")}
    assert pages == {p: b for p, b in reference(options).items()
                     if not p.startswith("pagefind/")}  # the preview refreshes search later
    assert b"said so, twice." in pages["claims/uav-pilots/index.html"]
    rendered.clear()
    text = saved.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    saved.write_text(text.replace(title, title + " (again)"), encoding="utf-8")
    result = build(options, cache, incremental=True, changed=[saved])
    assert result.ok and len(rendered) > 3 and "claims/index.html" in rendered


def test_a_body_edit_checks_only_the_pages_that_can_print_the_body(editable, monkeypatch):
    """The pages that only list an edited claim are not even checked after a body edit (a
    case page or the search page costs tens of milliseconds to fingerprint); a page whose
    template asks ``index.body`` for the claim is, and is rendered with the new body, in the
    preview and from the command line alike."""
    from generator import incremental

    project = editable
    home = project.templates / "home.html"
    home.write_text(home.read_text(encoding="utf-8").replace(
        "{% block main %}",
        "{% block main %}{{ index.body(index.get('claims', 'uav-pilots')).html | safe }}"),
        encoding="utf-8")
    checked: list[list[str]] = []
    real = incremental.RenderJob
    monkeypatch.setattr(incremental, "RenderJob", lambda env, index, pages, *rest: (
        checked.append([page.path for page in pages]) or real(env, index, pages, *rest)))
    options = project.options(drafts=True, use_cache=False)
    cache = Cache()
    assert build(options, cache, incremental=True).ok
    assert len(cache.dependents()[("claims", "uav-pilots")]) > 5  # pages that list it
    saved = edit(project, "claims/uav-pilots.md", "said so.", "said so, twice.")
    result = build(options, cache, incremental=True, changed=[saved])
    assert result.ok and result.path == "quick"
    assert checked == [["claims/uav-pilots/index.html", "index.html"]]
    pages = {p: b for p, b in tree(project.out).items() if not p.startswith("pagefind/")}
    assert pages == {p: b for p, b in reference(options).items()
                     if not p.startswith("pagefind/")}
    assert b"said so, twice." in pages["index.html"]

    checked.clear()  # the command line, its state read from the store
    options = project.options(drafts=True)
    age(project.content)
    assert build(options).ok
    saved = edit(project, "claims/uav-pilots.md", "said so, twice.", "said so, thrice.")
    age(saved)
    result = build(options)
    assert result.ok and result.path == "quick"
    assert checked == [["claims/uav-pilots/index.html", "index.html"]]
    assert tree(project.out) == reference(options)
    assert b"said so, thrice." in tree(project.out)["index.html"]


def test_shows_body_reads_the_record():
    """Unit: a page shows a body through a recorded ``index.body`` call on it; an untracked
    attribute read counts as a possible one; a page that only lists the entry does not."""
    from generator.incremental import shows_body
    from generator.tracking import UNTRACKABLE, PageRecord, _Ref

    key = {("claims", "a")}

    def record(*calls):
        return PageRecord("", tuple(calls), "", tuple(key), "", 0, 0)

    assert not shows_body(record(("claims", ())), key)
    assert not shows_body(record(("get", ("claims", "a"))), key)
    assert shows_body(record(("body", (_Ref(("claims", "a")),))), key)
    assert not shows_body(record(("body", (_Ref(("claims", "b")),))), key)
    assert shows_body(record((UNTRACKABLE, ("bodies",))), key)
    assert shows_body(None, key)  # no record: rendered anyway


def test_a_command_line_edit_reads_only_the_entries_its_pages_show(editable, monkeypatch):
    """The stored index is loaded with its entries left in their rows: a one-claim edit
    reads the entries the re-rendered page shows (point 7 of issue 12), not every entry."""
    from generator import store

    project = editable
    for number in range(8):  # claims the edited claim's page does not show
        project.write(f"claims/other-{number}.md", NEW_CLAIM.replace(
            "Tajikistan sends drones", f"Claim {number}").replace(
            "claimant: iran-fm", "claimant: nsc"))
    options = project.options()
    assert build(options).ok
    read: list[tuple[str, str]] = []
    real = store._read_entry
    monkeypatch.setattr(store, "_read_entry",
                        lambda path, pending: read.append(pending.row) or real(path, pending))
    edit(project, "claims/uav-pilots.md", "said so.", "said so, once more.")
    result = build(options)
    done = list(read)
    assert result.ok and result.path == "quick"
    assert tree(project.out) == reference(options)
    entries = [e for found in result.index.entries.values() for e in found.values()]
    shown = store.Store.open(options.cache_folder).record("claims/uav-pilots/index.html").keys
    by_rel = {e.rel: (e.kind, e.slug) for e in entries}
    assert len(entries) > 15 and 0 < len(done) <= len(shown) < len(entries) - 5
    assert {by_rel[rel] for rel, _ in done} <= set(shown)  # each one the page shows


def test_lazy_entries_read_a_row_once_and_only_when_asked(tmp_path):
    """Membership, order and length need no read; an entry is read once, and its copy keeps
    it; a row gone from the store is a read error (the full path), never a missing slug
    that ``get`` would quietly turn into None."""
    from generator import store
    from generator.store import LazyEntries, _Pending

    reads: list[tuple[str, str]] = []

    def fake_read(path, pending):
        reads.append(pending.row)
        if pending.row[0] == "gone.md":
            raise LookupError("no row")
        return f"entry {pending.row[0]}"

    original = store._read_entry
    store._read_entry = fake_read
    try:
        lazy = LazyEntries(tmp_path / "cache.sqlite", {"b": _Pending(("b.md", "1")),
                                                       "a": _Pending(("a.md", "2")),
                                                       "x": _Pending(("gone.md", "3"))})
        assert list(lazy) == ["b", "a", "x"] and len(lazy) == 3 and "a" in lazy
        assert "c" not in lazy and lazy.get("c") is None and reads == []
        assert lazy["a"] == "entry a.md" and lazy["a"] == "entry a.md"
        assert reads == [("a.md", "2")]
        copied = __import__("copy").copy(lazy)
        copied["b"] = "patched"
        assert copied["a"] == "entry a.md" and reads == [("a.md", "2")]
        assert lazy["b"] == "entry b.md"  # the original is not patched
        with pytest.raises(LookupError) as raised:
            lazy.get("x")
        assert not isinstance(raised.value, KeyError)
    finally:
        store._read_entry = original


def test_a_command_line_edit_stats_each_content_file_once(editable, monkeypatch):
    """The walk that looks for "nothing to do" stats every content file; the quick path
    that follows takes those stats (250,000 files at 100,000 claims) instead of its own,
    and still finds the edit."""
    from generator import fresh

    project = editable
    options = project.options()
    age(project.content)
    assert build(options).ok
    statted: list[str] = []
    real = os.stat
    monkeypatch.setattr(fresh.os, "stat", lambda path, *a, **k: statted.append(
        os.fspath(path)) or real(path, *a, **k))
    saved = edit(project, "claims/uav-pilots.md", "said so.", "said so, at last.")
    age(saved)
    result = build(options)
    content = os.fspath(project.content)
    again = [p for p in statted if p.startswith(content) and p.endswith(".md")
             and p != os.fspath(saved)]  # the saved file is read, and statted, as an edit
    assert result.ok and result.path == "quick" and not again
    assert tree(project.out) == reference(options)


def test_known_digest_trusts_the_walks_stat_over_its_own(tmp_path):
    """``seen`` (a walk's stats a moment ago) decides, without a stat of its own: a stat
    that differs from the recorded state means "read it"; the same means its digest."""
    from generator.cache import FileState
    from generator.fresh import known_digest
    from generator.read import SourceFile

    path = tmp_path / "claims" / "a.md"
    path.parent.mkdir()
    path.write_text("x", encoding="utf-8")
    stat = path.stat()
    file = SourceFile("claims", "a", str(path), "claims/a.md", "claims/a.md")
    cache = Cache()
    cache.files["claims/a.md"] = FileState(stat.st_mtime_ns, stat.st_size, stat.st_ino,
                                           "d1", time.time_ns() + 10**12)
    assert known_digest(cache, file) == "d1"
    assert known_digest(cache, file, {"claims/a.md": (stat.st_mtime_ns + 1, stat.st_size,
                                                      stat.st_ino)}) is None
    path.unlink()  # the walk's stat stands for the file: no stat of its own
    assert known_digest(cache, file, {"claims/a.md": (stat.st_mtime_ns, stat.st_size,
                                                      stat.st_ino)}) == "d1"
    assert known_digest(cache, file) is None


def test_the_collector_is_paused_only_while_a_command_line_build_reads_its_state(
        editable, monkeypatch):
    """A command-line build reads its state (store, walk, quick rebuild) with the cycle
    collector off, and parses and renders with it on; it is on again when the build returns
    or fails; the preview, which passes its cache, never touches it."""
    import gc

    from generator import build as build_module
    from generator import store

    project = editable
    options = project.options()
    states: dict[str, list[bool]] = {"files": [], "load": [], "frozen": []}
    real_files, real_load = store.load_files, build_module.load
    monkeypatch.setattr(store, "load_files", lambda *a, **k: states["files"].append(
        gc.isenabled()) or real_files(*a, **k))

    def load(*args, **kwargs):
        states["load"].append(gc.isenabled())
        states["frozen"].append(gc.get_freeze_count() > 0)  # what was read, set aside
        return real_load(*args, **kwargs)

    monkeypatch.setattr(build_module, "load", load)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert build(options).ok and gc.isenabled()  # cold: the full path
    assert gc.get_freeze_count() == 0  # handed back when the build returns
    edit(project, "claims/uav-pilots.md", "said so.", "said so, quickly.")
    result = build(options)
    assert result.ok and result.path == "quick" and gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert states == {"files": [False], "load": [True], "frozen": [True]}  # no store at first

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(build_module, "load", broken)
    edit(project, "actors/iran-fm.md", "name: Iran's foreign ministry", "name: Renamed")
    with pytest.raises(RuntimeError):
        build(options)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    monkeypatch.setattr(build_module, "load", lambda *a, **k: states["load"].append(
        gc.isenabled()) or real_load(*a, **k))
    assert build(project.options(use_cache=False), Cache(), incremental=True).ok
    assert states["load"][-1] is True
