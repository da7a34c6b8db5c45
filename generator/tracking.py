"""Dependency tracking: what a rendered page showed, so a rebuild can tell if it would change.

A page's bytes are a function of its template (and the templates it pulls in), the site
configuration, its planned context, and whatever the template asked the site index for.
``context_fingerprint`` hashes the context (an entry stands for its kind, slug and the
digest of the front matter its fields come from: its body reaches a page only as the page's
own ``body``, hashed with the context, or through ``index.body``, a tracked call, so a
body edit re-renders only the pages that print it); ``TrackingIndex`` records every index
call a template makes, with a fingerprint of the answer, so a later build can replay the
calls against the new index and compare.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from generator.i18n import catalog_files
from generator.models import Entry
from generator.read import digest
from generator.resolve import SiteIndex
from generator.theme import Theme
from generator.write import file_digest, stat_matches

Key = tuple[str, str]
Call = tuple[str, tuple[Any, ...]]
"""(index method, arguments with entries replaced by their keys)."""
UNTRACKABLE = "untrackable"


class _Ref(tuple):
    """An entry passed as an argument, kept as its key so the call can be replayed."""


def _walk(value: Any, out: list[str], keys: set[Key]) -> None:
    if isinstance(value, Entry):
        keys.add((value.kind, value.slug))
        out.append(f"E{value.kind}/{value.slug}@{value.fields_digest or value.digest}")
    elif isinstance(value, str | int | float | bool) or value is None:
        out.append(repr(value))
    elif isinstance(value, bytes):  # a body's packed HTML: its digest, not a 4× longer repr
        out.append("b" + digest(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _walk(item, out, keys)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            out.append(repr(key))
            _walk(item, out, keys)  # "body": the HTML of the page's own entry
        out.append("}")
    elif is_dataclass(value):
        out.append(type(value).__name__ + "(")
        for f in fields(value):
            _walk(getattr(value, f.name), out, keys)
        out.append(")")
    else:
        out.append(repr(value))


def fingerprint(value: Any, keys: set[Key] | None = None) -> str:
    """A digest of a context value; ``keys`` collects the entries it contains."""
    out: list[str] = []
    _walk(value, out, keys if keys is not None else set())
    return hash_text(*out)


class TrackingIndex:
    """A ``SiteIndex`` stand-in for templates that records each call and its answer."""

    def __init__(self, index: SiteIndex):
        self._index = index
        self.answers: dict[Call, str] = {}
        self.keys: set[Key] = set()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._index, name)
        if not callable(value):  # e.g. index.entries: too broad to track precisely
            self.answers[(UNTRACKABLE, (name,))] = ""
            return value

        def call(*args: Any) -> Any:
            result = value(*args)
            shown = tuple(_Ref((a.kind, a.slug)) if isinstance(a, Entry) else a for a in args)
            if (name, shown) not in self.answers:
                self.answers[(name, shown)] = fingerprint(result, self.keys)
            return result

        return call

    @property
    def calls(self) -> tuple[Call, ...]:
        return tuple(self.answers)

    @property
    def digest(self) -> str:
        """One digest of every answer, in call order: what ``replay`` compares."""
        return hash_text(*self.answers.values())


def replay(calls: Iterable[Call], expected: str, index: SiteIndex) -> bool:
    """Whether the recorded calls give the same answers on ``index``."""
    answers = []
    for name, args in calls:
        if name == UNTRACKABLE:
            return False
        real: list[Any] = []
        for arg in args:
            if isinstance(arg, _Ref):
                kind, slug = arg
                entry = index.entries.get(kind, {}).get(slug)
                if entry is None:
                    return False
                real.append(entry)
            else:
                real.append(arg)
        try:
            answers.append(fingerprint(getattr(index, name)(*real)))
        except (KeyError, AttributeError, TypeError, ValueError):
            return False
    return hash_text(*answers) == expected


def reads_body(calls: Iterable[Call], keys: set[Key]) -> bool:
    """Whether recorded calls read the body of one of ``keys`` (``index.body``), or could
    have (an untracked attribute such as ``index.bodies``)."""
    return any(name == UNTRACKABLE or (name == "body" and args[:1] and args[0] in keys)
               for name, args in calls)


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One output file: what it was built from and what was written."""

    inputs: str
    """Digest of template, configuration and planned context."""
    calls: tuple[Call, ...]
    """Index calls its template made, replayed to check they still answer the same."""
    answers: str
    """Digest of those calls' answers."""
    keys: tuple[Key, ...]
    """Entries the page shows, sorted: which pages a one-entry edit can touch. A tuple: a
    build holds a record for every page, and a frozenset of 13 keys takes five times the
    memory (27 MB over 46,180 pages at 10,000 claims)."""
    output: str
    """Digest of the bytes written."""
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Templates:
    """Digest of each template together with everything it extends, includes or imports."""

    digests: dict[str, str]
    reaches: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each template with every template it extends, includes or imports (absent when one
    of them is named by a variable)."""

    @classmethod
    def scan(cls, folder: Path) -> Templates:
        """The templates a build with ``--templates folder`` loads: the site's overrides
        over the built-in theme (``theme.Theme``), so a page depends on the files it uses;
        every page also depends on the compiled message catalogs (its interface text)."""
        theme = Theme.of(folder)
        sources = theme.sources()
        catalogs = hash_text(*(f"{p}\x1e{p.read_bytes().hex()}"
                               for p in catalog_files(theme.layers)))
        env = jinja2.Environment(extensions=["jinja2.ext.i18n"])  # templates use {% trans %}
        refs: dict[str, set[str] | None] = {}
        for name, text in sources.items():
            try:
                found = meta.find_referenced_templates(env.parse(text))
                names = set(found)
                refs[name] = None if None in names else {n for n in names if n}
            except jinja2.TemplateSyntaxError:
                refs[name] = None
        everything = hash_text(catalogs, *(f"{n}\x1e{t}" for n, t in sources.items()))

        def closure(name: str) -> frozenset[str] | None:
            seen: set[str] = set()
            todo = [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                more = refs.get(current, set())
                if more is None:
                    return None
                todo += more
            return frozenset(seen)

        reaches = {name: closure(name) for name in sources}
        digests = {name: everything if seen is None else hash_text(
            catalogs, *(f"{n}\x1e{sources.get(n, '<missing>')}" for n in sorted(seen)))
            for name, seen in reaches.items()}
        return cls(digests | {"*": everything},
                   {name: seen for name, seen in reaches.items() if seen is not None})

    def digest(self, name: str) -> str:
        return self.digests.get(name, self.digests["*"] + ":missing")


# Is an output still current? ---------------------------------------------------------------

Written = tuple[str, int, int]
"""An output file as the last build wrote it: (digest of its bytes, size, mtime_ns)."""


def still_written(target: str | Path, size: int, mtime_ns: int) -> bool:
    """Whether ``target`` is as the last build wrote it: its stat as recorded (not read)."""
    return stat_matches(target, size, mtime_ns)


def page_current(record: PageRecord | None, inputs: str, index: SiteIndex, target: Path
                 ) -> bool:
    """Whether a page need not be rendered: same inputs, the same answers from ``index``
    to every call its template made, and its file still as written."""
    return record is not None and record.inputs == inputs \
        and replay(record.calls, record.answers, index) \
        and still_written(target, record.size, record.mtime_ns)


def output_current(target: Path, output: str, written: Written | None,
                   data: bytes | None = None, compare: bool = False) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of ``target`` when it already holds the bytes whose digest is
    ``output``, so they need not be written; None when they must be.

    Known without reading when the last build ``written`` these bytes and the file's stat is
    as recorded. With ``compare`` (no record to trust: a cold build into a site, a touched
    file), the file itself is compared: with ``data`` when given, else by digest.
    """
    if written is not None and written[0] == output \
            and still_written(target, written[1], written[2]):
        return written[1], written[2]
    if not compare:
        return None
    try:
        stat = os.stat(target)
        if data is not None:
            same = stat.st_size == len(data) and target.read_bytes() == data
        else:
            same = file_digest(target) == output
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns) if same else None


def hash_text(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


__all__ = ["PageRecord", "Templates", "TrackingIndex", "fingerprint", "hash_text",
           "output_current", "page_current", "reads_body", "replay", "still_written"]
