"""Drafts never block publishing: their problems are told apart from the site's.

Input: the validated entries (drafts included), the files that failed to read or validate,
and the diagnostics of the resolved site. Output: the same diagnostics with a draft's own
marked ``draft`` (reported, never failing), the problems drafts would have if built with
``--drafts``, and, for the preview, which drafts are too unfinished to be listed anywhere
but on their own page.

A build without ``--drafts`` still resolves the drafts, exactly as ``check --drafts`` does,
so a writer learns what is wrong before publishing; only when there are drafts does that
cost a second resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from generator import lint
from generator.body import Body
from generator.diagnostics import Diagnostic
from generator.models import DraftNote, Entry, SiteConfig
from generator.read import SourceFile
from generator.references import References
from generator.resolve import SiteIndex, resolve

Key = tuple[str, str]
DRAFT_LINE = re.compile(rb"^draft[ \t]*:[ \t]*(?:true|True|TRUE|yes|Yes|YES)[ \t]*(?:#.*)?$",
                        re.MULTILINE)


def says_draft(data: bytes) -> bool:
    """Whether a file that could not be parsed declares ``draft: true`` on a line of its
    own: a half-written draft with broken YAML must not block the desk either."""
    head = data[:65536].split(b"\n---", 1)[0]
    return bool(DRAFT_LINE.search(head))


def draft_paths(entries: Iterable[Entry], failed: Iterable[SourceFile]) -> set[str]:
    """Display paths of every draft: valid ones, and broken files that say they are."""
    paths = {e.path for e in entries if e.draft}
    for file in failed:
        try:
            if says_draft(file.path.read_bytes()):
                paths.add(file.display)
        except OSError:
            continue
    return paths


def mark(diagnostics: Iterable[Diagnostic], paths: set[str]) -> list[Diagnostic]:
    return [replace(d, draft=True) if d.path in paths and not d.draft else d
            for d in diagnostics]


def as_drafts_build(entries: Sequence[Entry], bodies: Mapping[Key, Body], config: SiteConfig,
                    invalid: Iterable[Key], partial: Sequence[References], paths: set[str]
                    ) -> list[Diagnostic]:
    """What ``check --drafts`` says about the drafts (references, links, lint), marked."""
    index, problems = resolve(entries, bodies, config, True, invalid, partial)
    return mark((d for d in problems + lint.lint(index) if d.path in paths), paths)


def unready(entries: Iterable[Entry], diagnostics: Iterable[Diagnostic]) -> set[Key]:
    """Drafts that cannot be shown among the others: undecided fields or any error."""
    broken = {d.path for d in diagnostics if d.draft and d.is_error}
    return {(e.kind, e.slug) for e in entries
            if e.draft and (e.unfinished or e.path in broken)}


def notes(entries: Iterable[Entry], failed: Iterable[SourceFile],
          diagnostics: Sequence[Diagnostic], paths: set[str]) -> dict[Key, DraftNote]:
    """Each draft's problems, for its page in the preview (a failed file gets one too)."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.draft:
            by_path.setdefault(d.path, []).append(d)
    found: dict[Key, DraftNote] = {}
    for e in entries:
        if e.draft and (e.unfinished or e.path in by_path):
            found[(e.kind, e.slug)] = DraftNote(e.kind, e.slug, e.path, e.label, e.unfinished,
                                                tuple(by_path.get(e.path, ())))
    for file in failed:
        if file.display in paths:
            found[(file.kind, file.slug)] = DraftNote(
                file.kind, file.slug, file.display, file.slug, (),
                tuple(by_path.get(file.display, ())))
    return found


def hold_unready(entries: Sequence[Entry], bodies: Mapping[Key, Body], config: SiteConfig,
                 failed: Sequence[SourceFile], index: SiteIndex,
                 read_problems: Sequence[Diagnostic], diagnostics: Sequence[Diagnostic],
                 partial: Sequence[References], paths: set[str], marked: set[str]
                 ) -> tuple[SiteIndex, list[Diagnostic]]:
    """With drafts shown, one with undecided fields (or, in the preview, errors: their paths
    are ``marked``, so they never fail) is shown only on its own page: it is resolved out of
    the site (references to it are not reported again), which may leave another draft that
    names it unready in turn. Each round takes out at least one more draft, so this ends."""
    diagnostics = mark(diagnostics, marked)
    held: set[Key] = set()
    kept: list[Diagnostic] = []  # a draft's problems from the round that took it out
    invalid = [(f.kind, f.slug) for f in failed]
    while more := unready(entries, diagnostics) - held:
        held |= more
        out = {e.path for e in entries if (e.kind, e.slug) in held}
        kept += [d for d in diagnostics if d.path in out]
        ready = [e for e in entries if (e.kind, e.slug) not in held]
        index, problems = resolve(ready, bodies, config, True, [*invalid, *sorted(held)],
                                  partial)
        diagnostics = mark([*read_problems, *problems, *lint.lint(index)], marked) + kept
    found = notes(entries, failed, diagnostics, paths)
    return replace(index, notes=dict(sorted(found.items()))), list(diagnostics)
