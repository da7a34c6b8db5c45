"""Read stage: the ``content/`` folder → raw entries (front matter with line numbers, body).

Never aborts on the first bad file and never swallows one: every problem becomes a
diagnostic with the line inside the file, and the other files are still read.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, error
from generator.yamlhints import explain

KINDS = ("claims", "denials", "sources", "actors", "pages", "cases")
SITE_FILE = "site.yaml"

try:  # The C loader is ten times faster; the pure-Python one gives the same values.
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader


BOOL_TAG = "tag:yaml.org,2002:bool"


class LineDict(dict):
    """A mapping that remembers the file line of each key, for diagnostics."""

    line: int = 0
    lines: dict[Any, int]
    spelled: dict[Any, str] = {}  # noqa: RUF012 - replaced per instance by the loader
    """How each true/false value was written (``no``, ``off``, ``False``…), for hints."""

    def without(self, keys: Iterable[Any]) -> LineDict:
        """A copy lacking ``keys``; every line, theirs included, is kept."""
        dropped = set(keys)
        result = LineDict((k, v) for k, v in self.items() if k not in dropped)
        result.line, result.lines = self.line, dict(self.lines)
        return result


class LineList(list):
    """A sequence that remembers the file line of each item."""

    line: int = 0
    lines: list[int]
    spelled: dict[int, str] = {}  # noqa: RUF012 - replaced per instance by the loader
    """How each true/false item was written, by index."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML with line numbers, dates kept as text and duplicate keys reported."""

    line_offset = 0
    duplicates: list[tuple[str, int]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + self.line_offset
        result.lines = {}
        result.spelled = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    "found an unhashable or complex key", key_node.start_mark)
            line = key_node.start_mark.line + self.line_offset
            if key in result:
                self.duplicates.append((str(key), line))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
            if value_node.tag == BOOL_TAG:
                result.spelled[key] = value_node.value
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + self.line_offset
        result.lines = [child.start_mark.line + self.line_offset for child in node.value]
        result.spelled = {index: child.value for index, child in enumerate(node.value)
                          if child.tag == BOOL_TAG}
        return result


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml(text: str, path: str, first_line: int) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML whose first line is line ``first_line`` of the file ``path``."""
    loader = _Loader(text)
    loader.line_offset = first_line
    loader.duplicates = []
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        found = explain(exc, text.split("\n"))
        return None, [error(path, found.line + first_line, "yaml-syntax", found.message,
                            found.hint)]
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return None, [error(path, first_line, "yaml-syntax", f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    diagnostics = [
        error(path, line, "duplicate-key", f"key '{key}' is given twice",
              "remove one of them: YAML keeps only the last")
        for key, line in loader.duplicates
    ]
    return value, diagnostics


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One content file after reading, before validation."""

    kind: str
    """Folder it was found in: ``claims``, ``denials``, ``sources``, ``actors`` or ``pages``."""
    slug: str
    """File name without ``.md``, NFC-normalised."""
    path: str
    """Display path used in diagnostics."""
    rel: str
    """Path relative to the content folder, with ``/``: how bodies link to it."""
    front: LineDict
    """Front matter with the file line of each key."""
    body: str
    """Markdown body, newlines normalised."""
    body_line: int
    """File line on which the body starts."""
    digest: str
    """Hash of the file's bytes: the key of every per-file cache."""
    front_digest: str = ""
    """Hash of the front matter alone: what the entry's fields are made of (``Entry``)."""


def hasher() -> hashlib._Hash:
    """The hash behind every digest of file contents (``digest``, streamed files)."""
    return hashlib.blake2b(digest_size=16)


def digest(data: bytes) -> str:
    found = hasher()
    found.update(data)
    return found.hexdigest()


def read_with_stat(location: str) -> tuple[os.stat_result, bytes]:
    """A content file's bytes and the stat of the file they came from (what the cache
    records for it); raises ``OSError``."""
    with open(location, "rb") as handle:
        return os.fstat(handle.fileno()), handle.read()


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, so messages are clickable."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) \
            else str(path)
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path)


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes → text with BOM removed and newlines normalised, or a diagnostic."""
    if b"\x00" in data:
        return None, [error(path, 0, "binary-file", "binary file in the content folder",
                            "move it out of content/: only Markdown entries and site.yaml belong")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(path, line, "not-utf8", "file is not valid UTF-8",
                            "save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str, path: str) -> tuple[str, str, int, list[Diagnostic]]:
    """Text → (front matter, body, body start line), or diagnostics."""
    if not text.strip():
        return "", "", 0, [error(path, 1, "empty-file", "the file is empty",
                                 "start with '---', the front matter, '---', then the body")]
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "", "", 0, [error(path, 1, "missing-front-matter",
                                 "the file does not start with '---' front matter",
                                 "add a '---' line, the YAML fields, and a closing '---' line")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, body, index + 2, []
    return "", "", 0, [error(path, 1, "unclosed-front-matter",
                             "the front matter opened here is never closed",
                             "add a line with '---' after the last field")]


def parse_entry(kind: str, slug: str, path: str, rel: str, data: bytes
                ) -> tuple[RawEntry | None, list[Diagnostic]]:
    """One file's bytes → a raw entry (pure: no I/O, so it can be cached and run in workers)."""
    text, diagnostics = decode(data, path)
    if text is None:
        return None, diagnostics
    front_text, body, body_line, diagnostics = split_front_matter(text, path)
    if diagnostics:
        return None, diagnostics
    front, diagnostics = load_yaml(front_text, path, 2)
    if front is None and not diagnostics:
        front = LineDict()
        front.line, front.lines = 2, {}
    if diagnostics and front is None:
        return None, diagnostics
    if not isinstance(front, LineDict):
        problem = error(path, 2, "front-matter-not-mapping",
                        "front matter must be 'field: value' lines")
        return None, [*diagnostics, problem]
    return RawEntry(kind, slug, path, rel, front, body, body_line, digest(data),
                    digest(front_text.encode())), diagnostics


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file found on disk, not yet parsed."""

    kind: str
    slug: str
    location: str
    """Where the file is, as a string: a ``Path`` each costs ``discover`` a second at 100k
    claims, and the quick path opens only the edited files."""
    display: str
    rel: str

    @property
    def path(self) -> Path:
        return Path(self.location)


def ignored(name: str, folder: bool = False) -> bool:
    """Names the build never reads nor reports: hidden files and folders, and editor
    backup and swap files (``x.md~``). The watcher ignores exactly these too."""
    return name.startswith(".") or (not folder and name.endswith("~"))


def source_file(content_dir: Path, rel: PurePath, shown_dir: str) -> SourceFile | None:
    """The entry the file at ``rel`` (inside ``content_dir``) is, or None when it is no
    entry. The one rule for which files are content, used by the preview's quick path
    (``discover`` applies its two halves): a ``.md`` file directly in a kind's folder; its
    slug and ``rel`` NFC-normalised (macOS writes names decomposed), its display path as
    written."""
    kind = kind_folder(rel.parts[:-1])
    if kind is None:
        return None
    name = rel.parts[-1]
    if ignored(name):
        return None
    shown = name if shown_dir == "." else os.path.join(shown_dir, name)
    return _named(kind, name, os.fspath(content_dir / kind / name), shown)


def kind_folder(folder: tuple[str, ...]) -> str | None:
    """The kind whose entries a folder (its parts inside ``content/``) holds, if any: half
    of ``source_file``'s rule, decided once per folder by ``discover``."""
    return folder[0] if len(folder) == 1 and folder[0] in KINDS else None


def _named(kind: str, name: str, location: str, shown: str) -> SourceFile | None:
    """The other half: a file named ``name`` (not ignored) in ``kind``'s folder."""
    if not name.endswith(".md"):
        return None
    if name.isascii():  # already NFC: most names, spared two calls each at 100k claims
        return SourceFile(kind, name[:-3], location, shown, f"{kind}/{name}")
    return SourceFile(kind, unicodedata.normalize("NFC", name[:-3]), location, shown,
                      unicodedata.normalize("NFC", f"{kind}/{name}"))


def entry_at(content_dir: Path, path: Path) -> SourceFile | None:
    """The entry a saved file is (see ``source_file``); None when it is none."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(content_dir))
    except ValueError:
        return None
    return source_file(content_dir, rel, display_path(content_dir / rel.parent))


Discovered = tuple[list[SourceFile], list[Diagnostic]]
"""What ``discover`` returns: the content files and the problems found walking the folder."""


def discover(content_dir: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Walk ``content/`` and classify files; nothing is parsed here. Folders in name order,
    each listed once, as ``os.walk`` would visit them."""
    found: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    root = content_dir.resolve()
    pending: list[tuple[Path, tuple[str, ...]]] = [(content_dir, ())]
    while pending:  # a stack, not recursion: a folder as deep as the system allows is fine
        here, rel_parts = pending.pop()
        folders = _discover_in(content_dir, here, rel_parts, root, found, diagnostics)
        pending.extend((here / name, (*rel_parts, name)) for name in reversed(folders))
    unique, duplicates = _without_duplicates(found)
    return unique, diagnostics + duplicates


def _is_dir(item: os.DirEntry[str]) -> bool:
    """A folder, or a link to one, as ``os.walk`` sorts them."""
    try:
        return item.is_dir()
    except OSError:
        return False


def _discover_in(content_dir: Path, here: Path, rel_parts: tuple[str, ...], root: Path,
                 found: list[SourceFile], diagnostics: list[Diagnostic]) -> list[str]:
    """``discover`` in one folder; returns its subfolders to visit next, by name. A folder
    that cannot be listed is passed over, as ``os.walk`` does."""
    try:
        with os.scandir(here) as listing:  # names and file types, no stat each
            items = {item.name: item for item in listing}
    except OSError:
        return []
    dirs = {name for name, item in items.items() if _is_dir(item)}
    folders = sorted(name for name in dirs if not ignored(name, folder=True))
    shown_dir = display_path(here)  # once per folder: resolving each file is slow at 10k
    for name in list(folders):
        if items[name].is_symlink():
            diagnostics.append(_check_symlink(here / name, root))
            folders.remove(name)
    # prefixes joined once per folder: ``os.path.join`` per file costs a second at 100k
    folder = os.path.join(here, "")
    shown_prefix = "" if shown_dir == "." else os.path.join(shown_dir, "")
    kind = kind_folder(rel_parts)
    for name in sorted(name for name in items if name not in dirs):
        if ignored(name):
            continue
        item = items[name]
        shown = shown_prefix + name
        if item.is_symlink():
            problem = _check_symlink(here / name, root)
            if problem.code == "symlink-outside":
                diagnostics.append(problem)
                continue
        if not rel_parts and name == SITE_FILE:
            continue
        if not item.is_file():  # a FIFO would block the build forever: never open it
            diagnostics.append(error(shown, 0, "unexpected-file",
                                     "not a regular file (a pipe, socket or device)",
                                     "remove it from content/"))
            continue
        entry = None if kind is None else _named(kind, name, folder + name, shown)
        if entry is None:
            diagnostics.append(_unexpected(here / name, shown))
            continue
        found.append(entry)
    return folders


def _unexpected(file: Path, shown: str) -> Diagnostic:
    """A stray file: binary ones (images, archives) get their own, clearer message."""
    try:
        with open(file, "rb") as handle:
            binary = b"\x00" in handle.read(8192)
    except OSError:
        binary = False
    if binary:
        return error(shown, 0, "binary-file", "binary file in the content folder",
                     "move it out of content/: only Markdown entries and site.yaml belong")
    return error(shown, 0, "unexpected-file", "this file is not a content entry",
                 f"entries are .md files directly in {', '.join(k + '/' for k in KINDS)}")


def _without_duplicates(files: list[SourceFile]) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Two files whose slugs differ only in case or Unicode form would share one URL.

    Servers on case-insensitive file systems (and people typing addresses) cannot tell
    ``Kirby`` from ``kirby``, so one of them is reported and left out; the lower-case,
    valid-looking file is kept so the rest of the site still resolves.
    """
    if len({(file.kind, file.slug.casefold()) for file in files}) == len(files):
        return files, []  # the usual case, without grouping 250,000 files one by one
    groups: dict[tuple[str, str], list[SourceFile]] = {}
    for file in files:
        groups.setdefault((file.kind, file.slug.casefold()), []).append(file)
    unique: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    for group in groups.values():
        group.sort(key=lambda f: (f.slug != f.slug.lower(), f.path.name != f.slug + ".md",
                                  f.display))
        unique.append(group[0])
        diagnostics.extend(
            error(other.display, 0, "duplicate-slug",
                  f"slug '{other.slug}' is already used by {group[0].display}",
                  "slugs that differ only in case or Unicode form share one URL: "
                  "rename or remove one file")
            for other in group[1:])
    return unique, diagnostics


def _check_symlink(link: Path, root: Path) -> Diagnostic:
    shown = display_path(link)
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return error(shown, 0, "symlink-outside", "broken or looping symlink",
                     "replace the link by the file itself")
    if not target.is_relative_to(root):
        return error(shown, 0, "symlink-outside", f"symlink points outside content/: {target}",
                     "copy the file into content/ instead of linking to it")
    return error(shown, 0, "symlink-inside", "a linked folder inside content/ is not followed",
                 "move the folder itself here, or link the files one by one")


def read_site_yaml(content_dir: Path) -> tuple[Any, list[Diagnostic]]:
    path = content_dir / SITE_FILE
    shown = display_path(path)
    if not path.is_file():
        return None, [error(shown, 0, "missing-site-yaml", "content/site.yaml is missing",
                            "create it with title, description, organisation and ratings")]
    text, diagnostics = decode(path.read_bytes(), shown)
    if text is None:
        return None, diagnostics
    return load_yaml(text, shown, 1)
