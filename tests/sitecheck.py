"""A fast in-process link check for built trees: every internal href/src exists, anchors too."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def broken_links(out: Path, base_path: str = "/") -> list[str]:
    @cache
    def ids(file: Path) -> frozenset[str]:
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        return frozenset(str(tag["id"]) for tag in page.find_all(id=True))

    problems = []
    for html in sorted(out.rglob("*.html")):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag in page.find_all(["a", "link", "img", "script"]):
            ref = tag.get("href") or tag.get("src")
            if not ref:
                continue
            parts = urlsplit(str(ref))
            if parts.scheme or parts.netloc:
                continue
            where = f"{html.relative_to(out)} → {ref}"
            if not parts.path:
                target = html
            elif not parts.path.startswith(base_path):
                problems.append(f"{where}: outside the base path {base_path}")
                continue
            else:
                rel = unquote(parts.path[len(base_path):])
                target = out / rel / "index.html" if rel.endswith("/") or not rel else out / rel
            if not target.is_file():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids(target):
                problems.append(f"{where}: no anchor #{parts.fragment}")
    return problems
