"""One content file → its entry, body HTML and diagnostics (read, validate, convert).

A pure function of the file's bytes, run per file by ``parallel.parse`` in this process or
in forked workers; the result is keyed by the file's number, so both give the same build.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.body import Body
from generator.cache import FileState
from generator.diagnostics import Diagnostic, error
from generator.markdown import BodyConverter
from generator.models import Entry
from generator.read import SourceFile, digest, parse_entry, read_with_stat
from generator.references import References, read_references
from generator.resolve import RELATIONS
from generator.validate import validate_entry


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
            stat, data = read_with_stat(file.location)
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
        if entry.language:  # a translation links within its language's edition
            base_path = f"{base_path}{entry.language}/"
        converter = _converters.get((base_path, raw_html))
        if converter is None:
            converter = _converters[(base_path, raw_html)] = BodyConverter(base_path, raw_html)
        body = converter.convert(entry.body, entry.rel, entry.body_line)
        # The build keeps the HTML only: the Markdown source would double the memory held.
        entry = dataclasses.replace(entry, body="")
    spent = (read - started, validated - read, time.perf_counter() - validated)
    return Parsed(index, state, entry, problems, body, spent, refs)
