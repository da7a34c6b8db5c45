"""``factcheck publish``: draft entry files → published ones, checked by the real pipeline first.

The edit is made on the file's lines, since PyYAML cannot write comments back: the ``draft``
line goes, a claim's ``updates`` gets its first item (the publication) when it has none, and
its ``reviewed`` is set when the writer left it empty. So the dates a reader and ClaimReview
see are the day of publication, never the day the draft was created. Comments, the BOM and
the line endings are kept. The clock is read by the caller only (``today``).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import store as stored
from generator.build import Cache, Options, load
from generator.diagnostics import Diagnostic, error, sort_key, tally
from generator.models import Entry
from generator.read import Discovered, SourceFile, decode, discover, display_path, parse_entry
from generator.resolve import RELATIONS, SiteIndex

FIRST_NOTE = "First published."
_BREAK = re.compile(r"\r\n|\r|\n")


def _blank(value: object) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _lines(text: str) -> list[str]:
    """Lines with their own endings, split as ``read`` counts them."""
    parts, start = [], 0
    for found in _BREAK.finditer(text):
        parts.append(text[start:found.end()])
        start = found.end()
    if start < len(text):
        parts.append(text[start:])
    return parts


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _empty_value(line: str, key: str) -> str | None:
    """The comment of ``key:`` with an empty value (``key:``, ``key: []``, ``key: ""``, each
    with or without ``# comment``), or None when the line holds anything else."""
    found = re.fullmatch(rf"{key}[ \t]*:[ \t]*(?:\[[ \t]*\]|\"\"|'')?[ \t]*(#.*)?",
                         line.rstrip("\r\n"))
    if found is None:
        return None
    return found.group(1) or ""


@dataclass(frozen=True, slots=True)
class Published:
    text: str
    """The new text; the old one when there was nothing to do."""
    changes: tuple[str, ...]
    """What was done, for the report; empty when the entry was already published."""


def publish_text(text: str, kind: str, today: datetime.date, path: str = ""
                 ) -> tuple[Published, list[Diagnostic]]:
    """A draft entry's text → its published text (pure). ``kind`` is the folder (``claims``).

    Only the lines that change are touched; a line that cannot be edited safely (the front
    matter in flow style, ``draft`` sharing a line) is reported instead.
    """
    raw, problems = parse_entry(kind, "entry", path, "", text.encode("utf-8"))
    if raw is None or any(d.is_error for d in problems):
        return Published(text, ()), problems
    front = raw.front
    if front.get("draft") is not True:
        return Published(text, ()), []
    lines = _lines(text)
    newline = _ending(lines[0]) or "\n"
    day = today.isoformat()

    def at(key: str) -> int:
        return front.lines[key] - 1

    draft = at("draft")
    if not re.match(r"draft[ \t]*:[ \t]*[^\s#]+[ \t]*(#.*)?$", lines[draft].rstrip("\r\n")):
        return Published(text, ()), [_unsafe(path, draft + 1, "draft")]
    edits: dict[int, list[str]] = {draft: []}  # file line index → the lines replacing it
    changes = ["removed 'draft: true'"]
    added: list[str] = []  # fields that were absent, written where 'draft' was
    if kind == "claims":
        updates = [f"  - date: {day}{newline}", f"    note: {FIRST_NOTE}{newline}"]
        if "updates" not in front:
            added += [f"updates:{newline}", *updates]
        elif _blank(front["updates"]):
            comment = _empty_value(lines[at("updates")], "updates")
            if comment is None:
                return Published(text, ()), [_unsafe(path, at("updates") + 1, "updates")]
            head = f"updates:{'  ' + comment if comment else ''}{newline}"
            edits[at("updates")] = [head, *updates]
        if "updates" not in front or _blank(front["updates"]):
            changes.append(f"updates: first published {day}")
        if "reviewed" not in front:
            added.append(f"reviewed: {day}{newline}")
        elif _blank(front["reviewed"]):
            comment = _empty_value(lines[at("reviewed")], "reviewed")
            if comment is None:
                return Published(text, ()), [_unsafe(path, at("reviewed") + 1, "reviewed")]
            edits[at("reviewed")] = [f"reviewed: {day}{'  ' + comment if comment else ''}"
                                     f"{_ending(lines[at('reviewed')]) or newline}"]
        if "reviewed" not in front or _blank(front["reviewed"]):
            changes.append(f"reviewed: {day}")
    edits[draft] = added
    result = [new for number, line in enumerate(lines)
              for new in edits.get(number, [line])]
    return Published("".join(result), tuple(changes)), []


def _unsafe(path: str, line: int, key: str) -> Diagnostic:
    return error(path, line, "cannot-publish", f"'{key}' is not on a line of its own",
                 f"write '{key}:' as one block-style line (no '{{…}}' front matter), then "
                 "publish again")


# The command ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Target:
    """One file named on the command line, with its new bytes."""

    file: SourceFile
    old: bytes
    new: bytes
    changes: tuple[str, ...]


def plan(paths: Sequence[Path], content: Path, files: Sequence[SourceFile],
         today: datetime.date) -> tuple[list[Target], list[Diagnostic]]:
    """Each named file's published bytes; a path that is not an entry of ``content`` is an
    error."""
    by_path = {f.path.resolve(): f for f in files}
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    for path in paths:
        file = by_path.get(path.resolve())
        if file is None:
            problems.append(error(str(path), 0, "not-an-entry",
                                  f"not an entry file of {display_path(content)}/",
                                  "name a file in content/<kind>/, or pass --content DIR"))
            continue
        try:
            old = file.path.read_bytes()
        except OSError as exc:
            problems.append(error(file.display, 0, "unreadable", f"cannot read: {exc.strerror}"))
            continue
        text, more = decode(old, file.display)
        if text is None:
            problems += more
            continue
        bom = "\ufeff" if old.startswith(b"\xef\xbb\xbf") else ""
        # decode() normalised the endings: edit the file's own text instead
        done, more = publish_text(old.decode("utf-8")[len(bom):], file.kind, today,
                                  file.display)
        problems += more
        targets.append(Target(file, old, (bom + done.text).encode("utf-8"), done.changes))
    return targets, problems


def _draft_file(entry: Entry, line: int, content: Path) -> str | None:
    """The file of the entry that ``entry``'s reference on ``line`` names."""
    for kind, name, target in RELATIONS:
        value = getattr(entry, name) if kind == entry.kind else ()
        for number, slug in enumerate(value if isinstance(value, tuple) else (value,)):
            if slug and entry.line_of(f"{name}[{number}]") == line:
                return display_path(content / target / f"{slug}.md")
    return None


def _name_drafts(problems: list[Diagnostic], index: SiteIndex | None,
                 targets: Sequence[Target], content: Path) -> list[Diagnostic]:
    """A ``draft-reference`` in a file being published also names the draft's file."""
    keys = {t.file.display: (t.file.kind, t.file.slug) for t in targets}
    result = []
    for d in problems:
        kind, slug = keys.get(d.path, ("", ""))
        entry = index.entries[kind].get(slug) if index and kind else None
        draft = _draft_file(entry, d.line, content) \
            if entry is not None and d.code == "draft-reference" else None
        if draft is not None:
            d = dataclasses.replace(d, hint="publish it first, or both at once: "
                                    f"factcheck publish {draft} {d.path}")
        result.append(d)
    return result


def check(targets: Sequence[Target], content: Path, discovered: Discovered,
          strict: bool) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The whole site as it will be, through read → validate → resolve → lint: (problems that
    block publishing, warnings about the files published)."""
    options = Options(content=content, drafts=False, strict=strict)
    cache = Cache()
    if stored.load_manifest(cache, options.cache_folder):  # read only: texts not on disk
        stored.load_work(cache, options.cache_folder)
    texts = {t.file.path: t.new for t in targets if t.new != t.old}
    after = load(options, cache, discovered=discovered, texts=texts)
    ours = {t.file.display for t in targets}
    mine = [d for d in after.diagnostics if d.path in ours]
    elsewhere = [d for d in after.diagnostics if d.path not in ours and d.is_error]
    if elsewhere:  # only what publishing would break counts, not what was broken before
        before = set(load(options, cache, discovered=discovered).diagnostics)
        elsewhere = [d for d in elsewhere if d not in before]
    blocking = [d for d in mine if d.is_error or strict] + elsewhere
    warnings = [d for d in mine if not d.is_error and not strict]
    return _name_drafts(blocking, after.index, targets, content), warnings


def _stage(path: Path, data: bytes) -> Path:
    """A temporary file beside ``path`` holding ``data``, with ``path``'s permissions."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_all(files: dict[Path, bytes]) -> None:
    """Every file staged first, then renamed over its old version: a failure while staging
    changes nothing, and each rename is atomic."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data)
        for path, temporary in staged.items():
            os.replace(temporary, path)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)


def publish_files(paths: Sequence[Path], content: Path, today: datetime.date,
                  strict: bool = False) -> int:
    """Check every named file as published, then write them all, or none; the exit code."""
    if not content.is_dir():
        print(error(str(content), 0, "missing-content", "content folder not found",
                    "run from the project folder or pass --content DIR").format(),
              file=sys.stderr)
        return 1
    discovered = discover(content)
    targets, problems = plan(paths, content, discovered[0], today)
    warnings: list[Diagnostic] = []
    if not problems:
        problems, warnings = check(targets, content, discovered, strict)
    for d in sorted(set(problems + warnings), key=sort_key):
        print(d.format(), file=sys.stderr)
    if problems:
        print(f"{tally(problems + warnings)}: nothing published", file=sys.stderr)
        return 1
    try:
        write_all({t.file.path: t.new for t in targets if t.new != t.old})
    except OSError as exc:
        print(error(str(exc.filename or content), 0, "output",
                    f"cannot write: {exc.strerror}; nothing was published").format(),
              file=sys.stderr)
        return 1
    for target in targets:
        print(f"published {target.file.display}: {'; '.join(target.changes)}"
              if target.changes else f"{target.file.display}: already published, nothing "
              "changed")
    return 0
