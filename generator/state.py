"""Values every part of the build machinery shares: options in, result out, and the clock.

A leaf: it imports no part of the machinery (build, cache, incremental, output, preview),
so each of those can import it and none has to import the driver back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic, has_errors
from generator.resolve import SiteIndex

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as work advances, for a progress display."""

Target = tuple[str, ...]
"""What a build's output records belong to (see ``Options.target``)."""


def jobs_default() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    preview: bool = False
    """The live preview: a draft's problems are shown on its page and never fail the
    build (with ``drafts``)."""
    strict: bool = False
    """Warnings count as errors."""
    jobs: int = 0
    """Worker processes for parsing and rendering; 0 means one per core."""
    use_cache: bool = True
    """False (``--no-cache``): ignore the saved cache and build cold (the new one is saved)."""
    cache_dir: Path | None = None
    """Where the cache is saved; default ``.factcheck-cache/`` beside the content folder."""

    @property
    def cache_folder(self) -> Path:
        return self.cache_dir or self.content.absolute().parent / ".factcheck-cache"

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else jobs_default()

    @property
    def target(self) -> Target:
        """The build's identity: page records and the preview's memory are valid only for
        the options they were made with (folders, base URL, drafts, strictness, preview)."""
        return (str(self.content.absolute()), str(self.templates.absolute()),
                str(self.out.absolute()), repr(self.base_url), repr(self.drafts),
                repr(self.strict), repr(self.preview))


class OutputFiles(Mapping[str, bytes]):
    """The site's files by path; bytes are read from the output folder when asked for."""

    def __init__(self, root: Path, paths: Iterable[str]):
        self.root = root
        self.paths = sorted(paths)
        self._set = set(self.paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._set:
            raise KeyError(path)
        return (self.root / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    files: Mapping[str, bytes] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    index: SiteIndex | None = None
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    path: str = "full"
    """How the build went: ``full``, ``unchanged`` (nothing to do) or ``quick`` (see
    incremental.py); for tests and benchmarks."""
    search_shards: int = 0
    """Search shards indexed by this build (the others were current)."""
    search_peak_kb: int = 0
    """The largest resident memory of one Pagefind process of this build, in KiB: what
    bounds indexing memory at any size, since shards are bounded (``--timings`` prints it)."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def failed(result: Result, strict: bool) -> bool:
    """Errors fail a build, and with ``--strict`` warnings too; a draft's problems never."""
    return not result.ok or (strict and any(not d.draft for d in result.diagnostics))


class Stopwatch:
    """Adds the time since the last lap to a stage's figure in ``timings``."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now

    def restart(self) -> None:
        """Time spent since the last lap belongs to no stage."""
        self.last = time.perf_counter()

    def apportion(self, spent: dict[str, float]) -> None:
        """Split a phase's wall time between its stages in proportion to the seconds the
        workers report for each (they run side by side, so their sum exceeds the wall time)."""
        now = time.perf_counter()
        wall = now - self.last
        self.last = now
        total = sum(spent.values())
        first = next(iter(spent))
        for stage, seconds in spent.items():
            share = seconds / total if total else (1.0 if stage == first else 0.0)
            self.timings[stage] = self.timings.get(stage, 0.0) + wall * share
