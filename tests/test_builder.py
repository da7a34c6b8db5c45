"""Forking only from a process with one thread: ``parallel.run``'s guard, and the preview's
builder process (forked by ``serve`` before any thread), which may fork workers."""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from generator import parallel
from generator.builder import Builder
from generator.preview import Preview
from tests.conftest import ROOT
from tests.test_incremental import edit, reference, tree


@pytest.fixture
def editable(site_factory, tmp_path):
    project = site_factory()
    project.templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", project.templates)
    return project


def _pids(indices: list[int]) -> list[int]:
    return [os.getpid() for _ in indices]


@contextmanager
def another_thread() -> Iterator[None]:
    """A second thread, as the server's and the watcher's are."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def single_threaded() -> None:
    if threading.active_count() > 1:
        pytest.skip("another test left a thread running")


def test_run_never_forks_while_another_thread_runs(single_threaded):
    with another_thread():
        before = parallel.forked
        pids = set(parallel.run(None, _pids, 200, jobs=2, min_parallel=1))
        assert pids == {os.getpid()} and parallel.forked == before  # one process, all done
    pids = set(parallel.run(None, _pids, 200, jobs=2, min_parallel=1))
    assert os.getpid() not in pids and parallel.forked == before + 2


def test_in_child_answers_from_a_forked_child_and_here_when_forking_is_unsafe(
        single_threaded, tmp_path):
    """The answer comes from another process (it writes its pid); with another thread
    running, ``check`` runs here, when asked; a child that fails leaves the check to run
    here again, so its error is raised where the caller sees it."""
    def check(answer: bool):
        def run() -> bool:
            (tmp_path / "pid").write_text(str(os.getpid()))
            return answer
        return run

    for answer in (True, False):
        waiting = parallel.in_child(check(answer))
        assert waiting() is answer and waiting() is answer  # asked twice, waited once
        assert int((tmp_path / "pid").read_text()) != os.getpid()
    with another_thread():
        assert parallel.in_child(check(True))() is True
        assert int((tmp_path / "pid").read_text()) == os.getpid()

    def broken() -> bool:
        raise RuntimeError("a bug")

    waiting = parallel.in_child(broken)
    with pytest.raises(RuntimeError, match="a bug"):
        waiting()


def test_run_leaves_what_a_command_line_build_froze_frozen():
    """``parallel.run`` freezes the parent's objects before forking and unfreezes them
    after, but what was frozen before it (``build._Collector``) stays so until the build
    hands it back."""
    import gc

    assert gc.get_freeze_count() == 0
    list(parallel.run(None, _pids, 20, jobs=1))
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        list(parallel.run(None, _pids, 20, jobs=1))
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_an_in_process_preview_with_threads_builds_in_one_process(editable, monkeypatch,
                                                                  single_threaded):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    root = editable.root / "preview"
    root.mkdir()
    preview = Preview(editable.options(drafts=True), root)
    with another_thread():
        outcome = preview.rebuild()
    assert outcome.ok and outcome.workers == 0


def test_a_large_preview_rebuild_forks_workers_in_the_builder(editable, monkeypatch,
                                                             single_threaded):
    """As ``serve`` runs it: builder forked first, then threads; every page rendered again
    (a template edit) uses workers in the builder, and the site equals a full build."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)  # inherited by the builder
    root = editable.root / "preview"
    root.mkdir()
    options = editable.options(drafts=True)
    builder = Builder.start(options, root)
    try:
        preview = Preview(options, root, builder=builder)
        with another_thread():
            first = preview.rebuild()
            assert first.ok and first.workers >= 2, first.diagnostics
            edit(editable, "actors/iran-fm.md", "name: Iran's foreign ministry",
                 "name: Iranian foreign ministry")
            renamed = preview.rebuild()
            assert renamed.ok and renamed.written > 1 and renamed.workers == 2
            page = editable.templates / "claim.html"
            page.write_text(page.read_text(encoding="utf-8").replace(
                "What was claimed", "What was said"), encoding="utf-8")
            everything = preview.rebuild()
            assert everything.ok and everything.workers == 2 and everything.written >= 2
        assert tree(preview.out) == reference(dataclasses.replace(options, out=preview.out))
    finally:
        builder.stop()
    assert not os.path.exists(f"/proc/{builder.pid}")


def test_a_builder_that_stopped_is_reported_not_hung(editable):
    root = editable.root / "preview"
    root.mkdir()
    options = editable.options(drafts=True)
    builder = Builder.start(options, root)
    preview = Preview(options, root, builder=builder)
    assert preview.rebuild().ok
    builder.stop()
    edit(editable, "actors/iran-fm.md", "name: Iran's foreign ministry", "name: Other")
    outcome = preview.rebuild()
    assert not outcome.ok and outcome.diagnostics[0].code == "internal-error"
