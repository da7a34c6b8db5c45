"""Theme layers: the site's ``templates/`` over the built-in theme, one file at a time.

Input: the site's template folder (which may not exist). Output: a Jinja loader that looks in
the site's folder first and the built-in theme second (``theme/<name>`` always names the
built-in file, so an override can extend the template it replaces), the merged template
sources (for dependency digests), the merged static files (the site's file wins, path by
path), and diagnostics about overrides: a static file a template asks for that exists
nowhere, and an override's block that its parent no longer has (Jinja drops it silently).
A site folder that is the built-in theme itself adds no layer.
"""

from __future__ import annotations

import importlib.resources
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from generator.diagnostics import Diagnostic, error, warning
from generator.read import display_path

PREFIX = "theme/"
"""``{% extends "theme/home.html" %}``: the built-in ``home.html``, whatever overrides it."""
STATIC = "static"


def builtin_folder() -> Path:
    """The theme shipped with the tool: inside the installed package (the wheel maps the
    repository's ``templates/`` there), or the checkout's ``templates/`` when running from
    source or an editable install."""
    packaged = importlib.resources.files("generator").joinpath("_theme")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(str(importlib.resources.files("generator"))).parent / "templates"


@dataclass(frozen=True, slots=True)
class Theme:
    """The template folders to look in, first match wins; the last is the built-in theme."""

    layers: tuple[Path, ...]

    @classmethod
    def of(cls, templates: Path, builtin: Path | None = None) -> Theme:
        base = builtin or builtin_folder()
        try:
            same = templates.resolve() == base.resolve()
        except OSError:
            same = False
        return cls((base,) if same or not templates.is_dir() else (templates, base))

    @property
    def builtin(self) -> Path:
        return self.layers[-1]

    @property
    def site(self) -> Path | None:
        return self.layers[0] if len(self.layers) > 1 else None

    def loader(self) -> jinja2.BaseLoader:
        return jinja2.ChoiceLoader([
            jinja2.PrefixLoader({PREFIX.rstrip("/"): jinja2.FileSystemLoader(str(self.builtin))}),
            *(jinja2.FileSystemLoader(str(layer)) for layer in self.layers)])

    def files(self) -> dict[str, Path]:
        """Template name → the file it loads (static files excluded), built-ins also under
        ``theme/``."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            found.update(_templates_in(layer))
        found.update({PREFIX + name: path for name, path in _templates_in(self.builtin).items()})
        return dict(sorted(found.items()))

    def sources(self) -> dict[str, str]:
        return {name: path.read_bytes().decode("utf-8", "replace")
                for name, path in self.files().items()}

    def find(self, name: str) -> Path:
        """The file a template name loads, or where the site would put it."""
        return self.files().get(name) or (self.layers[0] / name)

    def owns(self, filename: str) -> bool:
        """Whether a file (from a traceback) is one of the theme's templates."""
        path = Path(filename).resolve()
        return any(path.is_relative_to(layer.resolve()) for layer in self.layers)

    def static_files(self) -> dict[str, Path]:
        """``static/…`` output path → the file published there; the site's file wins."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            folder = layer / STATIC
            if folder.is_dir():
                found.update({f"{STATIC}/{p.relative_to(folder).as_posix()}": p
                              for p in folder.rglob("*") if p.is_file()})
        return dict(sorted(found.items()))

    def export(self, target: Path) -> None:
        """Copy the built-in theme, for those who want to fork it whole."""
        shutil.copytree(self.builtin, target, dirs_exist_ok=False,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def check(self) -> list[Diagnostic]:
        """Static files asked for but missing (errors); override blocks no parent has
        (warnings)."""
        env = jinja2.Environment(loader=self.loader(), extensions=["jinja2.ext.i18n"])
        statics = set(self.static_files())
        found: list[Diagnostic] = []
        trees: dict[str, nodes.Template | None] = {}

        def tree(name: str) -> nodes.Template | None:
            if name not in trees:
                try:
                    source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
                    trees[name] = env.parse(source)
                except jinja2.TemplateError:  # reported by the render stage
                    trees[name] = None
            return trees[name]

        files = self.files()
        for name in files:
            parsed = tree(name)
            if parsed is None:
                continue
            for call in parsed.find_all(nodes.Call):
                if isinstance(call.node, nodes.Name) and call.node.name == "url" and call.args \
                        and isinstance(call.args[0], nodes.Const) \
                        and str(call.args[0].value).lstrip("/").startswith(STATIC + "/"):
                    wanted = str(call.args[0].value).lstrip("/")
                    if wanted not in statics:
                        found.append(error(
                            display_path(files[name]), call.lineno, "missing-static",
                            f"'{wanted}' is in neither the site's templates/static/ nor "
                            "the built-in theme", "add the file or remove the reference"))
        site = self.site
        for name, path in files.items():
            if site is None or not path.is_relative_to(site):
                continue
            parsed = tree(name)
            parent = _extends(parsed) if parsed is not None else None
            if parsed is None or parent is None:
                continue
            offered = _blocks_of_chain(parent, tree)
            if offered is None:
                continue
            for block in parsed.body:  # a child's top-level blocks replace its parent's
                if isinstance(block, nodes.Block) and block.name not in offered:
                    found.append(warning(
                        display_path(path), block.lineno, "unknown-block",
                        f"block '{block.name}' is not in '{parent}' or the templates it "
                        "extends: Jinja ignores it", "see docs/templates.md for the blocks"))
        return found


def _templates_in(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != STATIC
            and p.suffix in (".html", ".xml", ".txt")}


def _extends(tree: nodes.Template) -> str | None:
    for node in tree.find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const):
            return str(node.template.value)
    return None


def _blocks_of_chain(name: str, tree: Callable[[str], nodes.Template | None]
                     ) -> set[str] | None:
    """Every block the named template and its ancestors define; None when unknowable."""
    blocks: set[str] = set()
    seen: set[str] = set()
    current: str | None = name
    while current is not None and current not in seen:
        seen.add(current)
        parsed = tree(current)
        if parsed is None:
            return None
        blocks |= {b.name for b in parsed.find_all(nodes.Block)}
        current = _extends(parsed)
    return blocks


__all__ = ["PREFIX", "Theme", "builtin_folder"]
