"""``factcheck init`` and ``factcheck theme``: starting a site project, taking its theme.

``starter_files`` (pure) turns the options into the project's files, from the starter kept
in the package (``generator/starter/``); ``write_project`` writes them only when it can write
them all without overwriting anything, so a refusal changes nothing. The published part of
the starter (site.yaml, the methodology and corrections pages) carries no date, so
``factcheck check --strict`` right after ``init`` keeps passing whatever the day; the example
entries are drafts.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import sys
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from generator.project import Layout
from generator.theme import Theme

CI_RECIPES = {"github-pages": ".github/workflows/factcheck.yml"}
RENAMED = {"gitignore": ".gitignore", **{f"ci/{k}.yml": v for k, v in CI_RECIPES.items()}}
EXAMPLES = ("claims/", "denials/", "sources/", "actors/")


@dataclass(frozen=True, slots=True)
class Settings:
    title: str = "Fact Check"
    description: str = "Fact checks of public claims, each traced to its sources."
    language: str = "en"
    base_url: str = "/"
    organisation: str = "Your newsroom"
    empty: bool = False
    """No example entries (the methodology and corrections pages are still written)."""
    ci: str | None = None
    """A key of ``CI_RECIPES``: also write that CI workflow."""


def _walk(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for item in folder.iterdir():
        rel = prefix + item.name
        if item.is_dir():
            found.update(_walk(item, rel + "/"))
        elif item.is_file() and not item.name.endswith((".pyc", "~")):
            found[rel] = item.read_bytes()
    return found


def starter_files(settings: Settings) -> dict[str, bytes]:
    """Path in the new project → bytes: site.yaml filled in, the rest as shipped."""
    shipped = _walk(importlib.resources.files("generator").joinpath("starter"))
    files: dict[str, bytes] = {}
    for rel, data in sorted(shipped.items()):
        if rel.startswith("ci/") and RENAMED.get(rel) != CI_RECIPES.get(settings.ci or ""):
            continue
        if settings.empty and rel.startswith(tuple("content/" + e for e in EXAMPLES)):
            continue
        if rel == "content/site.yaml":  # JSON strings are YAML strings: any title is safe
            values = {k: json.dumps(getattr(settings, k), ensure_ascii=False) for k in
                      ("title", "description", "language", "base_url", "organisation")}
            data = Template(data.decode("utf-8")).substitute(values).encode("utf-8")
        files[RENAMED.get(rel, rel)] = data
    if settings.empty:  # the layout stays visible (hidden files are not content)
        files.update({f"content/{kind}.gitkeep": b"" for kind in EXAMPLES})
    return dict(sorted(files.items()))


class InitError(Exception):
    pass


def write_project(target: Path, files: dict[str, bytes], force: bool = False) -> None:
    """Write every file or none: a non-empty folder is refused unless ``force``, and an
    existing file is never overwritten."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InitError(f"{target} is not empty: choose a new folder, or pass --force to add "
                        "the starter files beside what is there (nothing is overwritten)")
    clashes = [rel for rel in files if (target / rel).exists() or (target / rel).is_symlink()]
    if clashes:
        raise InitError(f"{target / clashes[0]} already exists: nothing was written")
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:  # "x": never replace a file made meanwhile
            handle.write(data)


def add_init_arguments(p: argparse.ArgumentParser) -> None:
    defaults = Settings()
    p.add_argument("dir", nargs="?", type=Path, default=Path("."),
                   help="the new project's folder (default: the current folder)")
    p.add_argument("--title", default=defaults.title, help=f"site title ({defaults.title!r})")
    p.add_argument("--language", default=defaults.language,
                   help=f"BCP 47 language ({defaults.language})")
    p.add_argument("--base-url", default=defaults.base_url, metavar="URL",
                   help="where the site will be published, e.g. https://example.org/checks/")
    p.add_argument("--organisation", default=defaults.organisation, metavar="NAME",
                   help="who publishes the checks")
    p.add_argument("--empty", action="store_true",
                   help="no example entries (the policy pages are still written)")
    p.add_argument("--ci", choices=sorted(CI_RECIPES),
                   help="also write a CI workflow that builds with --strict and deploys")
    p.add_argument("--force", action="store_true",
                   help="accept a folder that is not empty (existing files are never replaced)")


def run_init(args: argparse.Namespace) -> int:
    settings = Settings(title=args.title, language=args.language, base_url=args.base_url,
                        organisation=args.organisation, empty=args.empty, ci=args.ci)
    target: Path = args.dir
    try:
        write_project(target, starter_files(settings), args.force)
    except (InitError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = "" if target.absolute() == Path.cwd() else f"cd {target} && "
    print(f"created a site project in {target}\n"
          f"next: {where}factcheck serve      # preview at http://127.0.0.1:8000/\n"
          f"      edit content/pages/methodology.md and corrections.md (marked [Template])\n"
          f"      factcheck new claim \"Title\"   # a draft; factcheck publish PATH when done",
          file=sys.stderr)
    return 0


def run_theme(args: argparse.Namespace, layout: Layout, cwd: Path) -> int:
    """List where each template and static file comes from, or export the built-in theme."""
    theme = Theme.of(layout.templates)
    if args.export is not None:
        try:
            theme.export(cwd / args.export)
        except (FileExistsError, OSError) as exc:
            print(f"error: cannot export the theme to {args.export}: {exc}", file=sys.stderr)
            return 1
        print(f"exported the built-in theme to {args.export}", file=sys.stderr)
        return 0
    site = theme.site
    shown = {**{n: p for n, p in theme.files().items() if not n.startswith("theme/")},
             **theme.static_files()}
    for name, path in shown.items():
        origin = "site" if site is not None and path.is_relative_to(site) else "built-in"
        print(f"{origin:8} {name}")
    return 0


__all__ = ["Settings", "add_init_arguments", "run_init", "run_theme", "starter_files",
           "write_project"]
