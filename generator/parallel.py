"""The CPU-bound work, per item, in one process or spread over forked workers.

Two kinds of work: content files → entries and body HTML (``parse``), and planned pages →
staged output files with their dependency records (``render``). Each item is handled by the
same pure function either way, and results are keyed by path, so a parallel build writes
exactly the bytes a single-process one does. Workers are forked after the site index is
built, so they share it instead of receiving a copy; only small records travel back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.body import Body
from generator.cache import FileState, PageRecord
from generator.diagnostics import Diagnostic, error
from generator.markdown import BodyConverter
from generator.models import Entry
from generator.plan import PlannedPage
from generator.read import SourceFile, digest, parse_entry
from generator.references import References, read_references
from generator.render import render_page, template_diagnostic
from generator.resolve import RELATIONS, SiteIndex
from generator.tracking import Templates, TrackingIndex, fingerprint, hash_text, replay
from generator.validate import validate_entry
from generator.write import file_digest, stage_file, stage_stream, stat_matches

MIN_PARALLEL = int(os.environ.get("FACTCHECK_MIN_PARALLEL", "400"))
"""Below this many items, forking costs more than it saves (tests lower it to 1)."""

_job: Any = None  # the work of the current pool, inherited by the forked workers


def run(job: Any, work: Callable[[list[int]], list[Any]], count: int, jobs: int,
        progress: Callable[[int], None] | None = None, min_parallel: int | None = None,
        on_fork: Callable[[], None] | None = None) -> Iterator[Any]:
    """Apply ``work`` to chunks of ``range(count)``; yields every result, in any order."""
    global _job
    _job = job
    min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
    try:
        if jobs <= 1 or count < min_parallel or multiprocessing.parent_process() is not None:
            for start in range(0, count, 64):
                chunk = list(range(start, min(count, start + 64)))
                yield from work(chunk)
                if progress:
                    progress(len(chunk))
            return
        size = max(16, min(256, count // (jobs * 8) or 1))
        chunks = [list(range(s, min(count, s + size))) for s in range(0, count, size)]
        gc.freeze()  # workers share the parent's objects: keep the collector off their pages
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
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
        gc.unfreeze()
        _job = None


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

@dataclass(frozen=True, slots=True)
class ParseJob:
    files: Sequence[SourceFile]
    base_path: str | None
    """None when site.yaml is broken: entries are still checked, bodies are not converted."""
    raw_html: bool
    texts: Mapping[Path, bytes] = dataclasses.field(default_factory=dict)
    """Bytes to parse instead of the file's, by ``SourceFile.path`` (see ``build.load``)."""


@dataclass(frozen=True, slots=True)
class Parsed:
    index: int
    state: FileState | None
    entry: Entry | None
    diagnostics: list[Diagnostic]
    body: Body | None
    spent: tuple[float, float, float] = (0.0, 0.0, 0.0)
    refs: References | None = None
    """For an entry that failed validation: the references resolve can still check."""
    """Seconds this file took to read, validate (YAML included) and convert."""


_converters: dict[tuple[str, bool], BodyConverter] = {}


def parse_one(file: SourceFile, base_path: str | None, raw_html: bool, index: int = 0,
              data: bytes | None = None) -> Parsed:
    """``data``, when given, stands for the file's bytes: it has no ``state``, so no cache
    keeps it as the file's."""
    started = time.perf_counter()
    state = None
    if data is None:
        try:
            stat = os.stat(file.path)
            data = file.path.read_bytes()
        except OSError as exc:
            return Parsed(index, None, None, [error(file.display, 0, "unreadable",
                                                    f"cannot read: {exc.strerror}")], None)
        state = FileState(stat.st_mtime_ns, stat.st_size, stat.st_ino, digest(data),
                          time.time_ns())
    read = time.perf_counter()
    raw, problems = parse_entry(file.kind, file.slug, file.display, file.rel, data)
    entry, refs = None, None
    if raw is not None:
        entry, more = validate_entry(raw)
        problems = problems + more
        if entry is None:
            refs = read_references(raw, [n for k, n, _ in RELATIONS if k == raw.kind])
    validated = time.perf_counter()
    body = None
    if entry is not None and base_path is not None:
        converter = _converters.get((base_path, raw_html))
        if converter is None:
            converter = _converters[(base_path, raw_html)] = BodyConverter(base_path, raw_html)
        body = converter.convert(entry.body, entry.rel, entry.body_line)
        # The build keeps the HTML only: the Markdown source would double the memory held.
        entry = dataclasses.replace(entry, body="")
    spent = (read - started, validated - read, time.perf_counter() - validated)
    return Parsed(index, state, entry, problems, body, spent, refs)


def _parse_chunk(indices: list[int]) -> list[Parsed]:
    job: ParseJob = _job
    return [parse_one(job.files[i], job.base_path, job.raw_html, i,
                      job.texts.get(job.files[i].path)) for i in indices]


def parse(job: ParseJob, jobs: int, progress: Callable[[int], None] | None = None,
          min_parallel: int | None = None) -> Iterator[Parsed]:
    return run(job, _parse_chunk, len(job.files), jobs, progress, min_parallel)


# Pages ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RenderJob:
    env: jinja2.Environment
    index: SiteIndex
    pages: Sequence[PlannedPage]
    templates: Templates
    templates_dir: Path
    setting: str
    """Digest of the configuration and options every page depends on."""
    stage: Path
    out: Path
    previous: dict[str, PageRecord]
    """Records of the pages now in ``out``; empty for a cold build."""
    compare: bool = True
    """Compare with the file in ``out`` when there is no record (a cold build into a site)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    path: str
    record: PageRecord | None
    problem: Diagnostic | None
    staged: bool
    spent: tuple[float, float] = (0.0, 0.0)
    """Seconds spent rendering and writing the staged file."""



def unchanged_file(path: Path, data: bytes) -> os.stat_result | None:
    """The stat of ``path`` when it already holds exactly ``data``."""
    try:
        stat = os.stat(path)
        if stat.st_size == len(data) and path.read_bytes() == data:
            return stat
    except OSError:
        pass
    return None


def render_one(job: RenderJob, page: PlannedPage) -> Rendered:
    started = time.perf_counter()
    keys: set[tuple[str, str]] = set()
    data = getattr(page, "data", None)  # pages planned as ready bytes (feeds, sitemap)
    if callable(data):
        return _stream_one(job, page, data, started)
    inputs = hash_text(job.setting, job.templates.digest(page.template),
                       fingerprint(page.context, keys),
                       digest(data) if isinstance(data, bytes) else "")
    old = job.previous.get(page.path)
    if old is not None and old.inputs == inputs and replay(old.calls, old.answers, job.index) \
            and stat_matches(job.out / page.path, old.size, old.mtime_ns):
        return Rendered(page.path, old, None, False)
    tracker = TrackingIndex(job.index)
    try:
        data = render_page(job.env, page, tracker)  # type: ignore[arg-type]
    except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
        return Rendered(page.path, None, template_diagnostic(exc, job.templates_dir,
                                                             page.template), False)
    except RecursionError:
        return Rendered(page.path, None, error(str(job.templates_dir / page.template), 0,
                                               "template-error", "template recursion too deep"),
                        False)
    output = digest(data)
    keys |= tracker.keys

    def record(size: int, mtime_ns: int) -> PageRecord:
        return PageRecord(inputs, tracker.calls, tracker.digest, frozenset(keys), output, size,
                          mtime_ns)

    if old is not None and old.output == output \
            and stat_matches(job.out / page.path, old.size, old.mtime_ns):
        return Rendered(page.path, record(old.size, old.mtime_ns), None, False,
                        (time.perf_counter() - started, 0.0))
    if job.compare:  # the file may hold these bytes already (touched, or no record)
        existing = unchanged_file(job.out / page.path, data)
        if existing is not None:
            return Rendered(page.path, record(existing.st_size, existing.st_mtime_ns), None,
                            False, (time.perf_counter() - started, 0.0))
    stat, writing = _timed_stage(job.stage, page.path, data)
    return Rendered(page.path, record(stat.st_size, stat.st_mtime_ns), None, True,
                    (time.perf_counter() - started - writing, writing))


def _stream_one(job: RenderJob, page: PlannedPage, make: Callable[[], Iterable[bytes]],
                started: float) -> Rendered:
    """A file made piece by piece (a data export): always made, since only its bytes tell
    whether it changed, and written straight into the stage; kept there only when new."""
    stat, output = stage_stream(job.stage, page.path, make())
    inputs = hash_text(job.setting, job.templates.digest(page.template),
                       fingerprint(page.context), output)

    def record(size: int, mtime_ns: int) -> PageRecord:
        return PageRecord(inputs, (), hash_text(), frozenset(), output, size, mtime_ns)

    spent = (time.perf_counter() - started, 0.0)
    old = job.previous.get(page.path)
    target = job.out / page.path
    if old is not None and old.output == output \
            and stat_matches(target, old.size, old.mtime_ns):
        kept = (old.size, old.mtime_ns)
    elif job.compare and file_digest(target) == output:
        existing = os.stat(target)
        kept = (existing.st_size, existing.st_mtime_ns)
    else:
        return Rendered(page.path, record(stat.st_size, stat.st_mtime_ns), None, True, spent)
    (job.stage / page.path).unlink()  # the site holds these bytes already
    return Rendered(page.path, record(*kept), None, False, spent)


def _render_chunk(indices: list[int]) -> list[Rendered]:
    job: RenderJob = _job
    return [render_one(job, job.pages[i]) for i in indices]


def _timed_stage(stage: Path, rel: str, data: bytes) -> tuple[os.stat_result, float]:
    started = time.perf_counter()
    stat = stage_file(stage, rel, data)
    return stat, time.perf_counter() - started


def render(job: RenderJob, jobs: int, progress: Callable[[int], None] | None = None,
           min_parallel: int | None = None, on_fork: Callable[[], None] | None = None
           ) -> Iterator[Rendered]:
    names = {p.template for p in job.pages if isinstance(p.template, str) and p.template}
    for name in sorted(names):  # compile each template once, before forking
        with contextlib.suppress(jinja2.TemplateError):
            job.env.get_template(name)
    return run(job, _render_chunk, len(job.pages), jobs, progress, min_parallel, on_fork)
