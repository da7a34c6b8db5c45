"""Every mistake in the issue's list, one small site each, built by the real command line.

Each folder under ``tests/sites/invalid/<case>/`` holds a ``content/`` folder with one kind
of mistake and ``expected.txt``: the errors it must produce, one ``path:line: code`` per
line (line 0 = the whole file), plus optional ``hint: text`` lines that must appear in the
output. A ``templates/`` folder, when present, is laid over a copy of the repository's
templates; an empty ``<name>.remove`` file deletes ``<name>`` from that copy.

For every case ``build`` and ``check`` exit 1 without a traceback, report exactly the
expected errors, leave the previous ``site/`` byte for byte and no temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import PYTHON, ROOT, TEMPLATES

CASES_DIR = Path(__file__).parent / "sites" / "invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
DIAGNOSTIC = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: error\[(?P<code>[a-z0-9-]+)\]: ")


def prepare(source: Path, target: Path) -> Path:
    """Copy a case into ``target`` with its templates and a previous site to protect."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    templates = target / "templates"
    overlay = target / "templates.case"
    if templates.exists():
        templates.rename(overlay)
    shutil.copytree(TEMPLATES, templates)
    if overlay.exists():
        for file in sorted(overlay.rglob("*")):
            rel = file.relative_to(overlay)
            if file.name.endswith(".remove"):
                (templates / rel).with_name(file.name.removesuffix(".remove")).unlink()
            elif file.is_file():
                shutil.copy(file, templates / rel)
        shutil.rmtree(overlay)
    previous = target / "site"
    (previous / "claims" / "old").mkdir(parents=True)
    (previous / "index.html").write_text("<p>the last good site</p>\n", encoding="utf-8")
    (previous / "claims" / "old" / "index.html").write_bytes(b"\xef\xbb\xbfsentinel\r\n")
    return target


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([PYTHON, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def reported(stderr: str) -> list[str]:
    found = []
    for line in stderr.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            found.append(f"{match['path']}:{match['line'] or 0}: {match['code']}")
    return sorted(found)


def expectations(case: str) -> tuple[list[str], list[str]]:
    lines = [line.strip() for line in (CASES_DIR / case / "expected.txt")
             .read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    hints = [line.removeprefix("hint:").strip() for line in lines if line.startswith("hint:")]
    return sorted(line for line in lines if not line.startswith("hint:")), hints


def assert_fails_cleanly(project: Path, expected: list[str], hints: list[str]) -> None:
    before = tree(project / "site")
    for command in ("build", "check"):
        result = run(project, command)
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert reported(result.stderr) == expected, result.stderr
        for hint in hints:
            assert hint in result.stderr, (hint, result.stderr)
    assert tree(project / "site") == before, "the previous site was touched"
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))
    assert leftovers == [], leftovers


def test_every_case_has_expectations():
    folders = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())
    assert folders == CASES
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(case: str, tmp_path: Path):
    expected, hints = expectations(case)
    assert expected, "a case must expect at least one error"
    project = prepare(CASES_DIR / case, tmp_path / case)
    assert_fails_cleanly(project, expected, hints)


def test_slugs_differing_only_in_unicode_form_are_duplicates(tmp_path: Path):
    """``josé`` typed on macOS (decomposed) and on Linux (composed) is one URL."""
    project = prepare(CASES_DIR / "unknown-field", tmp_path / "nfd")
    (project / "content" / "claims" / "uav-pilots.md").write_text(
        (CASES_DIR / "duplicate-slug" / "content" / "claims" / "uav-pilots.md")
        .read_text(encoding="utf-8"), encoding="utf-8")
    actor = "---\nname: José\nkind: person\n---\n"
    composed = unicodedata.normalize("NFC", "josé")
    decomposed = unicodedata.normalize("NFD", "josé")
    (project / "content" / "actors" / f"{composed}.md").write_text(actor, encoding="utf-8")
    (project / "content" / "actors" / f"{decomposed}.md").write_text(actor, encoding="utf-8")
    if len({p.name for p in (project / "content" / "actors").iterdir()}) < 3:
        pytest.skip("this file system merges Unicode forms itself")
    result = run(project, "check")
    assert result.returncode == 1, result.stderr
    assert [line.split(": ")[-1] for line in reported(result.stderr)] == ["duplicate-slug"]


def test_file_name_with_backslashes_is_unsafe(tmp_path: Path):
    """On Windows ``..\\..\\x.md`` names a path; here it is refused as a slug."""
    project = prepare(CASES_DIR / "unknown-rating", tmp_path / "backslash")
    (project / "content" / "claims" / "uav-pilots.md").write_text(
        (CASES_DIR / "duplicate-slug" / "content" / "claims" / "uav-pilots.md")
        .read_text(encoding="utf-8"), encoding="utf-8")
    (project / "content" / "pages" / "x\\..\\..\\escape.md").write_text(
        "---\ntitle: Escape\n---\n", encoding="utf-8")
    expected = [r"content/pages/x\..\..\escape.md:0: unsafe-path"]
    assert_fails_cleanly(project, expected, ["could write outside the site"])


def test_errors_inside_imported_macros_name_the_macro_file(tmp_path: Path):
    """A mistake in ``_macros.html`` points at that file and line, not at the page using it."""
    project = prepare(CASES_DIR / "unknown-rating", tmp_path / "macros")
    (project / "content" / "claims" / "uav-pilots.md").write_text(
        (CASES_DIR / "duplicate-slug" / "content" / "claims" / "uav-pilots.md")
        .read_text(encoding="utf-8"), encoding="utf-8")
    macros = project / "templates" / "_macros.html"
    original = macros.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(original) if "{% macro link(" in line)
    broken = [*original[: start + 1], "{{ entry.no_such_field.name }}\n", *original[start + 1:]]
    macros.write_text("".join(broken), encoding="utf-8")
    assert_fails_cleanly(project, [f"templates/_macros.html:{start + 2}: template-error"], [])

    macros.write_text("".join(original) + "{% endif %}\n", encoding="utf-8")
    line = len(original) + 1
    assert_fails_cleanly(project, [f"templates/_macros.html:{line}: template-syntax"], [])
