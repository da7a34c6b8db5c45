"""One planned page → its file in the staging folder and its dependency record.

A page whose inputs and index answers are as recorded, and whose file is still as written,
is not rendered; one whose bytes are already in the site is not staged (both decided by
``tracking.py``). Run per page by ``parallel.render``, in this process or in forked workers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator import cardimage
from generator.diagnostics import Diagnostic, error
from generator.plan import PlannedPage, expanded
from generator.read import digest
from generator.render import render_page, template_diagnostic
from generator.resolve import SiteIndex
from generator.sharecards import card_of
from generator.tracking import (
    PageRecord,
    Templates,
    TrackingIndex,
    Written,
    fingerprint,
    hash_text,
    output_current,
    page_current,
)
from generator.write import stage_file, stage_stream


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
    cards: Path | None = None
    """Where share images are kept by content between builds (``cardimage.cached``)."""
    editions: Mapping[str, tuple[jinja2.Environment, SiteIndex]] = field(default_factory=dict)
    """A multilingual site's other languages: the environment and index their pages are
    rendered with (``PlannedPage.language``; see editions.py)."""

    def for_page(self, page: PlannedPage) -> tuple[jinja2.Environment, SiteIndex]:
        return self.editions.get(page.language, (self.env, self.index))


@dataclass(frozen=True, slots=True)
class Rendered:
    path: str
    record: PageRecord | None
    problem: Diagnostic | None
    staged: bool
    spent: tuple[float, float] = (0.0, 0.0)
    """Seconds spent rendering and writing the staged file."""



def render_one(job: RenderJob, page: PlannedPage) -> Rendered:
    started = time.perf_counter()
    keys: set[tuple[str, str]] = set()
    data = getattr(page, "data", None)  # pages planned as ready bytes (feeds, sitemap)
    if callable(data):
        return _stream_one(job, page, data, started)
    env, index = job.for_page(page)
    page = expanded(page, index)  # an entry page's lists, made here and let go after
    inputs = hash_text(job.setting, job.templates.digest(page.template),
                       fingerprint(page.context, keys),
                       digest(data) if isinstance(data, bytes) else "")
    old = job.previous.get(page.path)
    target = job.out / page.path
    if page_current(old, inputs, index, target):
        assert old is not None
        return Rendered(page.path, old, None, False)
    tracker = TrackingIndex(index)
    try:
        data = _card_or_page(job, page, tracker, env, index)
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
        return PageRecord(inputs, tracker.calls, tracker.digest, tuple(sorted(keys)), output, size,
                          mtime_ns)

    kept = output_current(target, output, _written(old), data, job.compare)
    if kept is not None:  # the site holds these bytes already
        return Rendered(page.path, record(*kept), None, False,
                        (time.perf_counter() - started, 0.0))
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
        return PageRecord(inputs, (), hash_text(), (), output, size, mtime_ns)

    spent = (time.perf_counter() - started, 0.0)
    old = job.previous.get(page.path)
    kept = output_current(job.out / page.path, output, _written(old), compare=job.compare)
    if kept is None:
        return Rendered(page.path, record(stat.st_size, stat.st_mtime_ns), None, True, spent)
    (job.stage / page.path).unlink()  # the site holds these bytes already
    return Rendered(page.path, record(*kept), None, False, spent)


def _card_or_page(job: RenderJob, page: PlannedPage, tracker: TrackingIndex,
                  env: jinja2.Environment, index: SiteIndex) -> bytes:
    """A share image (from the card cache when it holds it), else the rendered page (with
    its edition's environment and index on a multilingual site)."""
    card = card_of(page.context, index.config)
    if card is not None:
        return cardimage.cached(card, job.cards)
    return render_page(env, page, tracker)  # type: ignore[arg-type]


def _written(record: PageRecord | None) -> Written | None:
    return None if record is None else (record.output, record.size, record.mtime_ns)


def _timed_stage(stage: Path, rel: str, data: bytes) -> tuple[os.stat_result, float]:
    started = time.perf_counter()
    stat = stage_file(stage, rel, data)
    return stat, time.perf_counter() - started
