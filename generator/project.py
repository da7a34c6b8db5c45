"""The project root: where a site's content, template overrides, output and cache live.

Input: ``--source`` and the per-folder overrides as typed, and the working directory.
Output: a ``Layout`` of absolute paths. Like git finding its repository, the default root is
the nearest folder upwards holding ``content/site.yaml``; an explicit ``--content`` without
``--source`` makes its parent the root (the same layout, reached from elsewhere).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic

MARKER = Path("content") / "site.yaml"
CACHE = ".factcheck-cache"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``content/site.yaml``."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path
    content: Path
    templates: Path
    """The site's template overrides (may not exist: the built-in theme is then used alone)."""
    out: Path
    cache: Path

    def relative(self, path: Path) -> Path:
        """``path`` relative to the root when inside it: what the build sees after the
        command line moves into the root, so that messages and the cache do not depend on
        where the command was typed."""
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path


def locate(cwd: Path, source: Path | None = None, content: Path | None = None,
           templates: Path | None = None, out: Path | None = None) -> Layout:
    """Every folder of the project, absolute; overrides are relative to ``cwd``."""

    def absolute(path: Path) -> Path:
        return Path(cwd, path).absolute()

    if source is not None:
        root = absolute(source)
    elif content is not None:
        root = absolute(content).parent
    else:
        root = find_root(cwd) or cwd.absolute()
    return Layout(root=root,
                  content=absolute(content) if content is not None else root / "content",
                  templates=absolute(templates) if templates is not None else root / "templates",
                  out=absolute(out) if out is not None else root / "site",
                  cache=root / CACHE)


def shown_from(diagnostic: Diagnostic, root: Path | None, cwd: Path | None) -> Diagnostic:
    """A diagnostic whose path (relative to the project root, where the build ran) is
    rewritten for the folder the command was typed in, so it stays clickable there."""
    if root is None or cwd is None or root == cwd or os.path.isabs(diagnostic.path):
        return diagnostic
    where = root / diagnostic.path
    if not where.exists():  # not a file: "--base-url", "factcheck", …
        return diagnostic
    return dataclasses.replace(diagnostic, path=shown_path(where, cwd))


def shown_path(path: Path, cwd: Path) -> str:
    """Relative to ``cwd`` when inside it, absolute otherwise (as ``read.display_path``)."""
    path = Path(cwd, path).absolute()
    return os.path.relpath(path, cwd) if path.is_relative_to(cwd) else str(path)


__all__ = ["CACHE", "MARKER", "Layout", "find_root", "locate", "shown_from", "shown_path"]
