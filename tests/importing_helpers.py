"""Shared by the import tests: a project to import into, and the import itself."""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.importing.run import Request, run

DATA = Path(__file__).resolve().parent / "data" / "import"

SITE_YAML = """\
title: Imported Checks
description: A site made from other publishers' reviews.
organisation:
  name: Our Desk
ratings:
  - {key: inaccurate, label: Inaccurate, description: Contradicted., value: 1}
  - {key: misleading, label: Misleading, description: Half a truth., value: 2}
  - {key: mostly-accurate, label: Mostly accurate, description: Close., value: 4}
build_date: 2026-11-28
rating_map:
  - {match: "Mostly true", rating: mostly-accurate}
  - {match: "Pants on Fire!", rating: inaccurate}
  - {match: "False", rating: inaccurate}
  - {match: "مضلل", rating: misleading}
  - {match: "Неправда", rating: inaccurate}
  - {match: "Falso", rating: inaccurate, publisher: Maldita}
"""


def project(tmp_path: Path, site_yaml: str = SITE_YAML) -> Path:
    root = tmp_path / "site-project"
    (root / "content" / "pages").mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(site_yaml, "utf-8")
    for slug in ("methodology", "corrections"):
        (root / "content" / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\n---\nText.\n", "utf-8")
    return root


def do_import(root: Path, *files: Path, **options):
    return run(Request(tuple(files), root, root / "content", **options))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
