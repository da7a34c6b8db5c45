"""How the CPU-bound work is spread: per item, in one process or over forked workers.

Two kinds of work: content files → entries and body HTML (``entryfile.parse_one``), and
planned pages → staged output files with their dependency records (``pagefile.render_one``).
Each item is handled by the same pure function either way, and results are keyed by path, so
a parallel build writes exactly the bytes a single-process one does. Workers are forked after
the site index is built, so they share it instead of receiving a copy; only small records
travel back.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

from generator.entryfile import Parsed, ParseJob, parse_one
from generator.pagefile import Rendered, RenderJob, render_one
from generator.render import warm

MIN_PARALLEL = int(os.environ.get("FACTCHECK_MIN_PARALLEL", "400"))
"""Below this many items, forking costs more than it saves (tests lower it to 1)."""

_job: Any = None  # the work of the current pool, inherited by the forked workers
forked = 0
"""Worker processes forked by this process so far: the preview reports how many a build
used (``preview.Outcome.workers``)."""


def may_fork() -> bool:
    """Whether this process may fork workers: never from a worker, and never while another
    thread runs (a lock that thread holds, in the allocator, stdio or logging, would stay held
    forever in the child, which then hangs). The preview's server has threads: its builds
    run in a builder process forked before any of them (``builder.py``)."""
    return multiprocessing.parent_process() is None and threading.active_count() == 1


def run(job: Any, work: Callable[[list[int]], list[Any]], count: int, jobs: int,
        progress: Callable[[int], None] | None = None, min_parallel: int | None = None,
        on_fork: Callable[[], None] | None = None,
        before_fork: Callable[[], None] | None = None) -> Iterator[Any]:
    """Apply ``work`` to chunks of ``range(count)``; yields every result, in any order.
    Runs in this process when there is little work or forking is unsafe (``may_fork``).
    ``before_fork``: work every worker would repeat, done once in this process instead."""
    global _job, forked
    _job = job
    # objects a command-line build froze (``build._Collector``) stay so until it returns
    frozen_before = gc.get_freeze_count() > 0
    min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
    try:
        if jobs <= 1 or count < min_parallel or not may_fork():
            for start in range(0, count, 64):
                chunk = list(range(start, min(count, start + 64)))
                yield from work(chunk)
                if progress:
                    progress(len(chunk))
            return
        size = max(16, min(256, count // (jobs * 8) or 1))
        chunks = [list(range(s, min(count, s + size))) for s in range(0, count, size)]
        if before_fork:
            before_fork()
        gc.freeze()  # workers share the parent's objects: keep the collector off their pages
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
        forked += jobs
        if on_fork:
            on_fork()
        try:
            for results in pool.imap_unordered(work, chunks):
                yield from results
                if progress:
                    progress(len(results))
            pool.close()  # a clean shutdown: workers finish and exit by themselves
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    finally:
        if not frozen_before:
            gc.unfreeze()
        _job = None


def in_child(check: Callable[[], bool]) -> Callable[[], bool]:
    """``check`` run in a forked child while this process goes on; the function returned
    waits for the answer. For a check that waits on the kernel over a large tree (the 387,000
    output stats of a 100k site): the child's stats run on another core while this process
    walks the content folder and loads the store. Where forking is unsafe (``may_fork``),
    ``check`` itself, run when called. A child that fails answers nothing: the check runs
    again here, so a bug shows its traceback."""
    if not hasattr(os, "fork") or not may_fork():
        return check
    try:
        pid = os.fork()
    except OSError:  # no memory or no process left for a child: check here, when asked
        return check
    if pid == 0:  # the child answers by its exit code and never returns into the caller
        code = 2
        try:
            _worker_signals()
            code = 0 if check() else 1
        finally:
            os._exit(code)
    answers: list[bool] = []

    def wait() -> bool:
        if not answers:
            try:
                code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): no answer
                code = 2
            answers.append(code == 0 if code in (0, 1) else check())
        return answers[0]

    return wait


def _worker_signals() -> None:
    """Workers die on SIGTERM and leave Ctrl-C to the parent: the command line's own SIGTERM
    handler (which raises, to clean up) must not run inside a worker, where it can leave a
    queue lock held and hang the pool."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # a fork inside signals_deferred inherits the mask
        signal.pthread_sigmask(signal.SIG_SETMASK, set())


# Content files -------------------------------------------------------------------------------

def _parse_chunk(indices: list[int]) -> list[Parsed]:
    job: ParseJob = _job
    return [parse_one(job.files[i], job.base_path, job.raw_html, i,
                      job.texts.get(job.files[i].path)) for i in indices]


def parse(job: ParseJob, jobs: int, progress: Callable[[int], None] | None = None,
          min_parallel: int | None = None) -> Iterator[Parsed]:
    return run(job, _parse_chunk, len(job.files), jobs, progress, min_parallel)


# Pages ---------------------------------------------------------------------------------------

def _render_chunk(indices: list[int]) -> list[Rendered]:
    job: RenderJob = _job
    return [render_one(job, job.pages[i]) for i in indices]


def render(job: RenderJob, jobs: int, progress: Callable[[int], None] | None = None,
           min_parallel: int | None = None, on_fork: Callable[[], None] | None = None,
           warm_first: bool = False) -> Iterator[Rendered]:
    """``warm_first``: this process renders the next pages itself (the preview), so it
    compiles and loads what they need before forking (``render.warm``)."""
    names = {p.template for p in job.pages if isinstance(p.template, str) and p.template}
    for name in sorted(names):  # compile each template once, before forking
        with contextlib.suppress(jinja2.TemplateError):
            job.env.get_template(name)
    return run(job, _render_chunk, len(job.pages), jobs, progress, min_parallel, on_fork,
               before_fork=(lambda: warm(job.env, names, job.templates.reaches))
               if warm_first else None)
