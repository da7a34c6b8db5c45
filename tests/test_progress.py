"""Progress display and the closing line of ``factcheck build``."""

from __future__ import annotations

import io
import subprocess

from generator.progress import ProgressLine
from tests.conftest import PYTHON, ROOT


def test_progress_line_on_a_terminal_shows_counts_and_is_erased():
    stream = io.StringIO()
    progress = ProgressLine(stream, enabled=True, interval=0.0)
    progress("render", 50, 200)
    progress("render", 200, 200)
    text = stream.getvalue()
    assert "rendering pages [######" in text and "50/200" in text and "200/200" in text
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_progress_line_is_silent_when_disabled():
    stream = io.StringIO()
    progress = ProgressLine(stream, enabled=False)
    progress("parse", 1, 2)
    progress.close()
    assert stream.getvalue() == ""


def build(project, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "generator", "build", "--content", str(project.content),
         "--out", str(project.out), *extra], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False)


def test_closing_line_counts_written_and_unchanged_files(site_factory):
    project = site_factory()
    first = build(project)
    assert first.returncode == 0, first.stderr
    assert "\r" not in first.stderr  # not a terminal: no progress line
    closing = first.stderr.strip().splitlines()[-1]
    assert closing.startswith(f"built {project.out}: ") and " 0 unchanged in " in closing
    second = build(project)
    assert " 0 files written, " in second.stderr and " unchanged in " in second.stderr


def test_quiet_prints_nothing_on_success_and_jobs_is_checked(site_factory):
    project = site_factory()
    done = build(project, "--quiet", "--jobs", "1")
    assert done.returncode == 0 and "built " not in done.stderr, done.stderr
    wrong = build(project, "--jobs", "-1")
    assert wrong.returncode == 2 and "--jobs" in wrong.stderr
