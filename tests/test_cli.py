"""Command line: exit codes, help, version, and ``factcheck new``."""

from __future__ import annotations

import re

import pytest

from generator import __version__
from generator.build import load
from generator.new import create, make_slug


def test_help_and_version(site_factory):
    project = site_factory()
    done = project.cli("--help")
    assert done.returncode == 0 and "build" in done.stdout and "serve" in done.stdout
    done = project.cli("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"factcheck {__version__}"
    assert project.cli("build", "--help").returncode == 0


@pytest.mark.parametrize("args", [(), ("frobnicate",), ("build", "--bogus"),
                                  ("new", "opinion", "x"), ("serve", "--port", "abc")])
def test_usage_errors_exit_2(site_factory, args):
    done = site_factory().cli(*args)
    assert done.returncode == 2 and "usage:" in done.stderr


def test_missing_content_folder_is_a_content_error(site_factory, tmp_path):
    done = site_factory().cli("build", "--content", str(tmp_path / "nowhere"))
    assert done.returncode == 1 and "missing-content" in done.stderr


@pytest.mark.parametrize("kind", ["claim", "denial", "source", "actor", "page"])
def test_new_writes_every_field_and_refuses_to_overwrite(site_factory, kind):
    project = site_factory()
    done = project.cli("new", kind, "Kirby's New Remarks: UAVs")
    folder = {"claim": "claims", "denial": "denials", "source": "sources", "actor": "actors",
              "page": "pages"}[kind]
    path = project.content / folder / "kirbys-new-remarks-uavs.md"
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(str(path.relative_to(project.root)))
    assert path.read_text().startswith("---\n")
    again = project.cli("new", kind, "Kirby's New Remarks: UAVs")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_claim_documents_every_field(site_factory):
    from generator.validate import SCHEMAS

    project = site_factory()
    path, problems = create(project.content, "claim", "A claim")
    assert path is not None and not problems
    text = path.read_text()
    for name in SCHEMAS["claims"]:
        assert f"{name}:" in text, name


def test_new_claim_is_valid_as_written(site_factory):
    """The old scaffold failed on its own placeholders (statement: "", actor-slug …)."""
    project = site_factory()
    create(project.content, "claim", "Tajikistan supplies drones")
    result = load(project.options(drafts=True))
    assert not [d.format() for d in result.diagnostics if d.is_error]


@pytest.mark.parametrize(("title", "slug"), [
    ("Iran sends drones", "iran-sends-drones"),
    ("Таджикистан не экспортирует оружие", "tadzhikistan-ne-eksportiruet-oruzhie"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_slugs_are_readable_and_safe(title, slug):
    assert make_slug(title) == slug


def test_new_rejects_a_title_without_letters(site_factory):
    done = site_factory().cli("new", "claim", "???")
    assert done.returncode == 1 and "cannot make a slug" in done.stderr


def test_check_predicts_build_for_drafts(site_factory):
    """A published claim whose source is a draft: check fails exactly as build does."""
    project = site_factory({"sources/kirby-remarks.md": """\
        ---
        title: Kirby's remarks
        kind: official-statement
        draft: true
        ---
        """})
    assert project.cli("check").returncode == 1
    assert "draft-reference" in project.cli("build").stderr
    assert project.cli("check", "--drafts").returncode == 0


def test_strict_summary_says_warnings_count(site_factory):
    done = site_factory().cli("check", "--strict")
    assert done.returncode == 1
    assert re.search(r"^0 errors, 1 warnings? \(--strict: warnings count as errors\)$",
                     done.stderr, re.M), done.stderr


def test_the_command_leaves_nothing_for_the_last_collection(monkeypatch):
    """``factcheck`` (``cli.entry``) sets every object aside once ``main`` returns: the
    interpreter's last collection would walk them all only to free memory at exit."""
    import gc

    from generator import cli

    monkeypatch.setattr(cli, "main", lambda: 3)
    assert gc.get_freeze_count() == 0
    try:
        assert cli.entry() == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
