"""Every mistake in the issue's list, one small site each, built by the real command line.

``tests/sites/invalid/_base/`` is a valid site; each folder ``<case>/`` holds only its fault:
files laid over the base (an empty ``<name>.remove`` deletes ``<name>``; a ``templates/``
folder is laid over a copy of the repository's templates the same way) and
``expected.txt``: the errors it must produce, one ``path:line: code`` per line (line 0 = the
whole file), plus optional ``hint: text`` lines that must appear in the output, and
``warning: path:line: code`` lines for the warnings it must produce. An optional
``fix.txt`` holds the fix the hints suggest, as ``path:line: "old" -> "new"`` (Python string
literals): the new text must appear in the diagnostic at that line, and once it replaces the
old text there, ``check`` reports no error in that file.

For every case ``build`` and ``check`` exit 1 without a traceback, report exactly the
expected errors, leave the previous ``site/`` byte for byte and no temporary folder.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PYTHON, ROOT, TEMPLATES

CASES_DIR = Path(__file__).parent / "sites" / "invalid"
BASE = CASES_DIR / "_base"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())
CASE_FILES = {"expected.txt", "fix.txt"}
"""Files of a case that describe it rather than lie over the base site."""
DIAGNOSTIC = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning)"
                        r"\[(?P<code>[a-z0-9-]+)\]: ")
BASE_WARNINGS = ["content/site.yaml:0: no-domain"]


def overlay(source: Path, target: Path) -> None:
    """Lay ``source`` over ``target``: files replace, ``<name>.remove`` deletes ``<name>``."""
    for file in sorted(source.rglob("*")):
        rel = file.relative_to(source)
        if rel.parts[0] in CASE_FILES or (file.is_dir() and not file.is_symlink()):
            continue
        place = target / rel
        place.parent.mkdir(parents=True, exist_ok=True)
        if file.name.endswith(".remove"):
            place.with_name(file.name.removesuffix(".remove")).unlink()
        elif file.is_symlink():
            place.unlink(missing_ok=True)
            place.symlink_to(os.readlink(file))
        else:
            shutil.copy(file, place)


def prepare(source: Path, target: Path) -> Path:
    """The base site with the case laid over it, the templates (with the case's own laid
    over them) and a previous site to protect."""
    shutil.copytree(BASE, target, symlinks=True)
    shutil.copytree(TEMPLATES, target / "templates")
    overlay(source, target)
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


def reported(stderr: str, severity: str = "error") -> list[str]:
    found = []
    for line in stderr.splitlines():
        match = DIAGNOSTIC.match(line)
        if match and match["severity"] == severity:
            found.append(f"{match['path']}:{match['line'] or 0}: {match['code']}")
    return sorted(found)


@dataclass(frozen=True)
class Expected:
    errors: list[str]
    warnings: list[str]
    hints: list[str]


def expectations(case: str) -> Expected:
    lines = [line.strip() for line in (CASES_DIR / case / "expected.txt")
             .read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]

    def tagged(tag: str) -> list[str]:
        return sorted(line.removeprefix(tag).strip() for line in lines if line.startswith(tag))

    errors = sorted(line for line in lines if not line.startswith(("hint:", "warning:")))
    return Expected(errors, tagged("warning:"), tagged("hint:"))


def assert_fails_cleanly(project: Path, expected: list[str], hints: list[str],
                         warnings: list[str] | None = None) -> None:
    before = tree(project / "site")
    for command in ("build", "check"):
        result = run(project, command)
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert reported(result.stderr) == expected, result.stderr
        if warnings:
            assert reported(result.stderr, "warning") == warnings, result.stderr
        for hint in hints:
            assert hint in result.stderr, (hint, result.stderr)
    assert tree(project / "site") == before, "the previous site was touched"
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))
    assert leftovers == [], leftovers


def test_every_case_has_expectations():
    folders = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and p != BASE)
    assert folders == CASES
    assert len(CASES) >= 25


def test_the_base_site_is_valid(tmp_path: Path):
    """Otherwise a case's errors could come from the base rather than from its fault."""
    result = run(prepare(BASE, tmp_path / "base"), "check")
    assert result.returncode == 0, result.stderr
    assert reported(result.stderr, "warning") == BASE_WARNINGS, result.stderr


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(case: str, tmp_path: Path):
    expected = expectations(case)
    project = prepare(CASES_DIR / case, tmp_path / case)
    if not expected.errors:  # a case of warnings only: the site builds, and says why not
        assert expected.warnings, "a case must expect at least one error or warning"
        result = run(project, "check")
        assert result.returncode == 0, result.stderr
        assert reported(result.stderr, "warning") == expected.warnings, result.stderr
        for hint in expected.hints:
            assert hint in result.stderr, (hint, result.stderr)
        return
    assert_fails_cleanly(project, expected.errors, expected.hints, expected.warnings)


FIX = re.compile(r'^(?P<path>[^:]+):(?P<line>\d+): (?P<old>".*?") -> (?P<new>".*?")'
                 r'(?P<own>  # .*)?$')
"""``path:line: "old" -> "new"``; a trailing ``  # why`` marks a fix that is the writer's
own choice (a date only they know), not one the hint suggests."""


def fixes(case: str) -> list[tuple[str, int, str, str, bool]]:
    found = []
    for text in (CASES_DIR / case / "fix.txt").read_text(encoding="utf-8").splitlines():
        if text.strip() and not text.startswith("#"):
            match = FIX.match(text)
            assert match, f"fix.txt: cannot read {text!r}"
            found.append((match["path"], int(match["line"]), ast.literal_eval(match["old"]),
                          ast.literal_eval(match["new"]), not match["own"]))
    return found


FIXED = sorted(case for case in CASES if (CASES_DIR / case / "fix.txt").is_file())


@pytest.mark.parametrize("case", FIXED)
def test_the_suggested_fix_works(case: str, tmp_path: Path):
    """The hint's suggestion, pasted at the line the message names, removes the problem."""
    project = prepare(CASES_DIR / case, tmp_path / case)
    before = run(project, "check").stderr
    for path, line, old, new, suggested in fixes(case):
        said = [text for text in before.splitlines() if text.startswith(f"{path}:{line}: ")]
        assert said, (path, line, before)
        if suggested and new.strip():
            assert any(new.strip() in text for text in said), (new, said)
        file = project / path
        lines = file.read_text(encoding="utf-8").split("\n")
        assert old in lines[line - 1], (old, lines[line - 1])
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
        file.write_text("\n".join(lines), encoding="utf-8")
    after = run(project, "check").stderr
    for path in {path for path, *_ in fixes(case)}:
        assert not [text for text in after.splitlines()
                    if text.startswith(f"{path}:") and ": error[" in text], after
        assert not [text for text in after.splitlines()
                    if text.startswith(f"{path}:") and ": warning[" in text
                    and text.split("[")[1].split("]")[0] in
                    {w.split(": ")[-1] for w in expectations(case).warnings}], after


def test_slugs_differing_only_in_unicode_form_are_duplicates(tmp_path: Path):
    """``josé`` typed on macOS (decomposed) and on Linux (composed) is one URL."""
    project = prepare(CASES_DIR / "unknown-field", tmp_path / "nfd")
    shutil.copy(BASE / "content" / "claims" / "uav-pilots.md",
                project / "content" / "claims" / "uav-pilots.md")
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
    shutil.copy(BASE / "content" / "claims" / "uav-pilots.md",
                project / "content" / "claims" / "uav-pilots.md")
    (project / "content" / "pages" / "x\\..\\..\\escape.md").write_text(
        "---\ntitle: Escape\n---\n", encoding="utf-8")
    expected = [r"content/pages/x\..\..\escape.md:0: unsafe-path"]
    assert_fails_cleanly(project, expected, ["could write outside the site"])


def test_errors_inside_imported_macros_name_the_macro_file(tmp_path: Path):
    """A mistake in ``_macros.html`` points at that file and line, not at the page using it."""
    project = prepare(CASES_DIR / "unknown-rating", tmp_path / "macros")
    shutil.copy(BASE / "content" / "claims" / "uav-pilots.md",
                project / "content" / "claims" / "uav-pilots.md")
    macros = project / "templates" / "_macros.html"
    original = macros.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(original) if "{% macro link(" in line)
    broken = [*original[: start + 1], "{{ entry.no_such_field.name }}\n", *original[start + 1:]]
    macros.write_text("".join(broken), encoding="utf-8")
    assert_fails_cleanly(project, [f"templates/_macros.html:{start + 2}: template-error"], [])

    macros.write_text("".join(original) + "{% endif %}\n", encoding="utf-8")
    line = len(original) + 1
    assert_fails_cleanly(project, [f"templates/_macros.html:{line}: template-syntax"], [])
