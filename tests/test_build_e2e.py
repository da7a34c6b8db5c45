"""End to end: build fixture sites in tmp_path and read the HTML they produce."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import PYTHON, ROOT


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def hrefs(html: str) -> set[str]:
    return {a["href"] for a in soup(html).find_all("a", href=True)}


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_minimal_site_builds(site_factory):
    project = site_factory()
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (project.out / "index.html").is_file()
    assert (project.out / "claims" / "uav-pilots" / "index.html").is_file()
