"""Shared fixtures: small sites built in ``tmp_path`` from inline files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import Options, Result, build, load

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PYTHON = sys.executable

SITE_YAML = """\
title: Test Checks
description: A fixture site.
organisation:
  name: Test Desk
  url: https://example.org/
ratings:
  - {key: "false", label: "False", description: Contradicted by evidence., value: 1}
  - {key: unsubstantiated, label: Unsubstantiated, description: No checkable evidence., value: 3}
  - {key: "true", label: "True", description: Confirmed by evidence., value: 5}
build_date: 2026-11-28
"""

MINIMAL: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "actors/john-kirby.md": """\
        ---
        name: John Kirby
        kind: person
        role: communications coordinator
        affiliation: nsc
        ---
        Spokesman.
        """,
    "actors/nsc.md": """\
        ---
        name: National Security Council
        kind: organisation
        ---
        """,
    "actors/iran-fm.md": """\
        ---
        name: Iran's foreign ministry
        kind: ministry
        ---
        """,
    "sources/kirby-remarks.md": """\
        ---
        title: Kirby's remarks
        kind: official-statement
        publisher: nsc
        date: 2022-10
        url: https://example.org/remarks
        archive_url: https://archive.example.org/remarks
        ---
        Remarks.
        """,
    "sources/denial-statement.md": """\
        ---
        title: Foreign ministry statement
        kind: official-statement
        publisher: iran-fm
        date_note: mid-October
        ---
        """,
    "claims/uav-pilots.md": """\
        ---
        title: Russian personnel in Crimea pilot Iranian UAVs
        statement: "We can confirm that Russian military personnel have been piloting Iranian UAVs"
        verbatim: true
        claimant: john-kirby
        date: 2022-10-20
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: No evidence was presented.
        evidence: none
        tags: [drones, crimea]
        countries: [IR, RU]
        updates:
          - {date: 2026-11-20, note: First published.}
          - {date: 2026-11-27, note: Added the denial.}
        reviewed: 2026-11-27
        ---
        [Kirby](../actors/john-kirby.md) said so. See [the other claim](second-claim.md).
        """,
    "claims/second-claim.md": """\
        ---
        title: Iran sends weapons
        statement: Iran sends weapons to Russia.
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: Contradicted.
        evidence: partial
        related: [uav-pilots]
        reviewed: 2026-11-21
        ---
        """,
    "denials/iran-denial.md": """\
        ---
        title: Iran denies
        actor: iran-fm
        date_note: mid-October
        quote: "Iran has not and will not provide any weapon."
        answers: [uav-pilots, second-claim]
        sources: [denial-statement]
        ---
        """,
    "pages/methodology.md": """\
        ---
        title: Methodology
        menu: 1
        ---
        How we work.
        """,
    "pages/corrections.md": """\
        ---
        title: Corrections
        menu: 2
        ---
        How we correct.
        """,
}


@dataclass
class Project:
    root: Path
    content: Path
    templates: Path
    out: Path

    def options(self, **overrides: object) -> Options:
        values: dict[str, object] = {"content": self.content, "templates": self.templates,
                                     "out": self.out}
        values.update(overrides)
        return Options(**values)  # type: ignore[arg-type]

    def build(self, **overrides: object) -> Result:
        return build(self.options(**overrides))

    def check(self, **overrides: object) -> Result:
        return load(self.options(**overrides))

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m generator`` in the project; build/check get the repo's templates."""
        extra = ["--templates", str(self.templates)] if args[:1] in (("build",), ("check",)) \
            else []
        return subprocess.run([PYTHON, "-m", "generator", *args, *extra], cwd=self.root,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},  # code under test
                              capture_output=True, text=True, timeout=120)

    def page(self, url_path: str) -> str:
        return (self.out / url_path / "index.html").read_text(encoding="utf-8")


SiteFactory = Callable[..., Project]


@pytest.fixture
def site_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SiteFactory:
    """``site_factory(files={...}, base=MINIMAL)``: a project in tmp_path; cwd set to it."""

    def make(files: dict[str, str | None] | None = None,
             base: dict[str, str] | None = None) -> Project:
        project = Project(tmp_path, tmp_path / "content", TEMPLATES, tmp_path / "site")
        merged: dict[str, str | None] = {**(MINIMAL if base is None else base), **(files or {})}
        for rel, text in merged.items():
            if text is not None:
                project.write(rel, text)
        monkeypatch.chdir(tmp_path)
        return project

    return make


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C as a terminal gives it, however the suite was started: a shell starts a
    background job (``pytest &`` in a script) with SIGINT ignored, which the tests of
    interrupted builds would inherit, in process and in every command they run."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI every tool is installed (.ci/run), so a skipped test there is a failure:
    a browser or validator test that silently skips would prove nothing."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every tool must be installed: {report.longrepr}"
