"""Build: runs config → read → validate → resolve → render → write, timing each stage.

Owns the in-memory cache that makes preview rebuilds cheap: parsed entries and body HTML
are keyed by the file's content hash, so only edited files are parsed and converted again;
the index and the plan are always recomputed (cheap and never stale).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import lint
from generator.config import parse_config
from generator.diagnostics import Diagnostic, error, has_errors, sort_key
from generator.markdown import Body, BodyConverter
from generator.models import Entry, Organisation, SiteConfig
from generator.plan import plan_site
from generator.read import digest, discover, display_path, parse_entry, read_site_yaml
from generator.render import make_environment, render_pages
from generator.resolve import SiteIndex, resolve
from generator.validate import validate_entry
from generator.write import UnsafeOutput, check_output_folder, publish, sync


@dataclass(frozen=True, slots=True)
class Options:
    content: Path = Path("content")
    templates: Path = Path("templates")
    out: Path = Path("site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    """Warnings count as errors."""


@dataclass
class Cache:
    """Per-file work keyed by content: what a rebuild after one save can reuse."""

    entries: dict[tuple[str, str, str], tuple[Entry | None, list[Diagnostic]]] = field(
        default_factory=dict)
    bodies: dict[tuple[str, str, str, bool], Body] = field(default_factory=dict)
    converters: dict[tuple[str, bool], BodyConverter] = field(default_factory=dict)

    def converter(self, base_path: str, raw_html: bool) -> BodyConverter:
        key = (base_path, raw_html)
        if key not in self.converters:
            self.converters[key] = BodyConverter(base_path, raw_html)
        return self.converters[key]


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    files: dict[str, bytes] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    index: SiteIndex | None = None
    written: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def diagnostics_blocking(self, strict: bool) -> bool:
        return failed(self, strict)


class Stopwatch:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def load_config(options: Options) -> tuple[SiteConfig | None, list[Diagnostic]]:
    raw, diagnostics = read_site_yaml(options.content)
    if raw is None and not diagnostics:
        diagnostics = [error(str(options.content / "site.yaml"), 1, "invalid-site-yaml",
                             "site.yaml is empty", "see docs/content.md for the fields")]
    if diagnostics:
        return None, diagnostics
    return parse_config(raw, display_path(options.content / "site.yaml"), options.base_url)


def load(options: Options, cache: Cache | None = None, timings: dict[str, float] | None = None
         ) -> Result:
    """Everything up to the site index; no output is touched."""
    cache = cache if cache is not None else Cache()
    timings = timings if timings is not None else {}
    clock = Stopwatch(timings)
    if not options.content.is_dir():
        return Result([error(str(options.content), 0, "missing-content",
                             "content folder not found", "pass --content DIR")], timings=timings)
    config, diagnostics = load_config(options)
    clock.lap("config")

    files, problems = discover(options.content)
    diagnostics += problems
    clock.lap("read")
    entries: list[Entry] = []
    invalid: list[tuple[str, str]] = []
    spent = {"read": 0.0, "validate": 0.0}
    for file in files:
        started = time.perf_counter()
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            diagnostics.append(error(file.display, 0, "unreadable",
                                     f"cannot read: {exc.strerror}"))
            continue
        key = (file.display, file.rel, digest(data))
        cached = cache.entries.get(key)
        if cached is None:
            raw, problems = parse_entry(file.kind, file.slug, file.display, file.rel, data)
            middle = time.perf_counter()
            spent["read"] += middle - started
            entry = None
            if raw is not None:
                entry, more = validate_entry(raw)
                problems = problems + more
            cached = cache.entries[key] = (entry, problems)
            spent["validate"] += time.perf_counter() - middle
        else:
            spent["read"] += time.perf_counter() - started
        entry, problems = cached
        diagnostics += problems
        if entry is not None:
            entries.append(entry)
        else:
            invalid.append((file.kind, file.slug))
    for stage, seconds in spent.items():
        timings[stage] = timings.get(stage, 0.0) + seconds
    clock.last = time.perf_counter()

    config_broken = config is None
    if config is None:  # still resolve references, so one run reports every mistake
        config = SiteConfig("", "", Organisation(""), ())
    converter = cache.converter(config.base_path, config.allow_raw_html)
    bodies: dict[tuple[str, str], Body] = {}
    for entry in entries:
        key4 = (entry.digest, entry.rel, config.base_path, config.allow_raw_html)
        body = cache.bodies.get(key4)
        if body is None:
            body = converter.convert(entry.body, entry.rel, entry.body_line)
            cache.bodies[key4] = body
        bodies[(entry.kind, entry.slug)] = body
    clock.lap("markdown")

    index, problems = resolve(entries, bodies, config, options.drafts, invalid)
    if config_broken:  # without the ratings scale every rating would look unknown
        diagnostics += [d for d in problems if d.code != "unknown-rating"]
        return Result(sorted(set(diagnostics), key=sort_key), timings=timings)
    diagnostics += problems
    diagnostics += lint.lint(index)
    clock.lap("resolve")
    return Result(sorted(set(diagnostics), key=sort_key), timings=timings, index=index)


def static_files(templates: Path) -> dict[str, bytes]:
    static = templates / "static"
    if not static.is_dir():
        return {}
    return {f"static/{p.relative_to(static).as_posix()}": p.read_bytes()
            for p in sorted(static.rglob("*")) if p.is_file()}


def render(options: Options, result: Result,
           on_page: Callable[[], None] | None = None) -> Result:
    """Plan and render every page of a loaded site into ``result.files``."""
    assert result.index is not None
    clock = Stopwatch(result.timings)
    index = result.index
    try:
        env = make_environment(options.templates, index.config)
        pages = plan_site(index)
        files, problems = render_pages(env, pages, index, options.templates, on_page)
        files.update(static_files(options.templates))
    except OSError as exc:
        problems, files = [error(str(options.templates), 0, "templates",
                                 f"cannot read templates: {exc}")], {}
    result.diagnostics = sorted(result.diagnostics + problems, key=sort_key)
    result.files = files
    clock.lap("render")
    return result


def failed(result: Result, strict: bool) -> bool:
    return not result.ok or (strict and bool(result.diagnostics))


def build(options: Options, cache: Cache | None = None, incremental: bool = False,
          on_page: Callable[[], None] | None = None) -> Result:
    """A full build; writes only when there is no error, and then atomically."""
    result = load(options, cache)
    if failed(result, options.strict) or result.index is None:
        return result
    render(options, result, on_page)
    if failed(result, options.strict):
        return result
    clock = Stopwatch(result.timings)
    try:
        check_output_folder(options.out, [options.content, options.templates])
        if incremental:
            report = sync(options.out, result.files)
            result.written, result.unchanged = len(report.written), report.unchanged
        else:
            publish(options.out, result.files)
            result.written = len(result.files)
    except (UnsafeOutput, OSError) as exc:
        result.diagnostics.append(error(str(options.out), 0, "output", str(exc)))
    clock.lap("write")
    return result
