"""The words around diagnostics: counts, what a failed build left, the preview's news."""

from __future__ import annotations

import ast
import re

from generator.diagnostics import error, plural, tally, warning
from generator.news import Tracker
from generator.preview import Outcome
from generator.serve import _announce
from tests.conftest import ROOT


def test_counts_are_pluralised():
    assert plural(1, "error") == "1 error"
    assert plural(0, "error") == "0 errors"
    one, two = error("a.md", 1, "x", "m"), warning("a.md", 2, "y", "n")
    assert tally([one, two, two]) == "1 error, 2 warnings"
    assert tally([two]) == "0 errors, 1 warning"


def test_a_first_failed_build_does_not_promise_a_previous_site(site_factory):
    project = site_factory({"claims/broken.md": "---\ntitle: [\n---\n"})
    first = project.cli("build")
    assert first.returncode == 1
    assert "nothing was written to site" in first.stderr
    assert "previous site" not in first.stderr
    assert "1 error, " in first.stderr and "error(s)" not in first.stderr
    (project.content / "claims" / "broken.md").unlink()
    assert project.cli("build").returncode == 0
    project.write("claims/broken.md", "---\ntitle: [\n---\n")
    assert "build failed: the previous site is unchanged" in project.cli("build").stderr


def test_the_preview_tells_only_what_changed():
    tracker = Tracker()
    a, b, c = (error("a.md", 3, "x", "first"), warning("b.md", 4, "y", "second"),
               error("c.md", 5, "z", "third"))
    first = tracker.update([a, b])
    assert first.first and first.new == (a, b) and first.summary() == ""
    moved = error("a.md", 9, "x", "first")  # lines added above it: the same problem
    second = tracker.update([moved, b, c])
    assert second.new == (c,) and second.fixed == () and second.summary() == "1 new problem"
    third = tracker.update([c])
    assert third.new == () and [d.path for d in third.fixed] == ["a.md", "b.md"]
    assert third.lines() == ["fixed: a.md:9: error[x]: first", "fixed: b.md:4: warning[y]: second"]
    assert third.summary() == "2 fixed"


def test_the_terminal_does_not_repeat_warnings(capsys):
    tracker = Tracker()
    kept = warning("b.md", 4, "no-archive", "no archive")
    _announce(Outcome(True, True, (kept,), 3, 0.1), None, False, tracker)
    assert "b.md:4: warning[no-archive]" in capsys.readouterr().err
    _announce(Outcome(True, True, (kept,), 1, 0.1), ["content/claims/x.md"], False, tracker)
    out = capsys.readouterr().err
    assert "no-archive" not in out
    assert ": 1 file written" in out
    broken = error("c.md", 2, "yaml-syntax", "a tab")
    _announce(Outcome(True, False, (kept, broken), 0, 0.1), ["c.md"], False, tracker)
    out = capsys.readouterr().err
    assert out.splitlines()[0] == "c.md:2: error[yaml-syntax]: a tab"
    assert "build failed (" in out and "1 error, 1 warning; 1 new problem;" in out


def codes_in_generator() -> set[str]:
    """Every constant code given to ``error``, ``warning`` or ``Invalid`` in generator/."""
    found: set[str] = set()
    for file in (ROOT / "generator").glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            at = {"error": 2, "warning": 2, "Invalid": 0}.get(name)
            if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant):
                found.add(node.args[at].value)
    return found


def test_every_code_is_documented():
    documented = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`",
                                (ROOT / "docs" / "messages.md").read_text(encoding="utf-8")))
    codes = codes_in_generator() | {"duplicate-title", "duplicate-name"}  # f"duplicate-{name}"
    assert len(codes) > 40
    assert sorted(codes - documented) == []
