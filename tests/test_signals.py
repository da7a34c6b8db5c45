"""Ctrl-C, SIGTERM or SIGHUP during a build: the previous site survives, no temp folder stays.

A real ``python -m generator build`` runs on a site of 2,000 entries. The test waits for
the temporary folder ``.site.tmp-<pid>`` (the write phase has begun), freezes the process
with SIGSTOP so the moment cannot slip away, queues the signal and lets it continue: the
signal is then handled mid-write, deterministically, whatever the machine's speed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from generator import write
from tests.conftest import MINIMAL, PYTHON, ROOT, TEMPLATES
from tests.test_invalid_sites import tree

ENTRIES = 2000
BODY = "A paragraph with *emphasis* and [a link](../actors/john-kirby.md).\n\n" * 4


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    content = root / "content"
    for rel, text in MINIMAL.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    for i in range(ENTRIES):
        (content / "claims" / f"claim-{i:04d}.md").write_text(
            f"---\ntitle: Claim number {i}\nstatement: Statement {i}.\nclaimant: john-kirby\n"
            "sources: [kirby-remarks]\nrating: unsubstantiated\nrating_explanation: None.\n"
            f"evidence: none\ntags: [tag-{i % 40}]\nreviewed: 2026-11-01\n---\n{BODY}",
            encoding="utf-8")
    return root


def previous_site(root: Path) -> dict[str, str]:
    site = root / "site"
    (site / "claims" / "old").mkdir(parents=True)
    (site / "index.html").write_text("<p>the last good site</p>\n", encoding="utf-8")
    (site / "claims" / "old" / "index.html").write_text("sentinel\n", encoding="utf-8")
    return tree(site)


def wait_stopped(pid: int) -> None:
    """SIGSTOP is asynchronous: wait until the kernel reports the process as stopped."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():  # pragma: no cover - not Linux
        time.sleep(0.05)
        return
    for _ in range(10_000):
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
        if state in ("T", "t", "Z", "X"):  # stopped, or already finished
            return
        time.sleep(0.0005)
    raise AssertionError(f"process {pid} did not stop")


def interrupt_mid_write(root: Path, signum: int) -> subprocess.CompletedProcess[str] | None:
    """Run a build and deliver ``signum`` while it writes; None if the moment was missed."""
    process = subprocess.Popen(
        [PYTHON, "-m", "generator", "build", "--content", str(root / "content"),
         "--templates", str(TEMPLATES), "--out", str(root / "site")],
        cwd=root, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    temp = root / f".site.tmp-{process.pid}"
    caught = False
    while process.poll() is None:
        if temp.exists():
            process.send_signal(signal.SIGSTOP)
            wait_stopped(process.pid)
            caught = temp.exists()  # still writing (or swapping) when frozen
            if caught:
                process.send_signal(signum)
            process.send_signal(signal.SIGCONT)
            break
        time.sleep(0.0002)
    out, err = process.communicate(timeout=120)
    if not caught:
        return None
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_signal_mid_write_keeps_previous_site(big_site: Path, signum: int):
    for leftover in big_site.glob(".site*"):
        pytest.fail(f"left over from an earlier test: {leftover}")
    attempts = 5
    for _ in range(attempts):
        shutil.rmtree(big_site / "site", ignore_errors=True)
        before = previous_site(big_site)
        result = interrupt_mid_write(big_site, signum)
        if result is not None:
            break
    else:
        pytest.fail(f"never caught the build while writing in {attempts} attempts")
    assert result.returncode == 128 + signum, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "interrupted: the previous site is unchanged" in result.stderr
    assert tree(big_site / "site") == before
    assert sorted(p.name for p in big_site.iterdir() if p.name.startswith(".site")) == []


def test_uninterrupted_build_replaces_the_site(big_site: Path):
    """The control: without a signal the same build does publish, so the test above can fail."""
    shutil.rmtree(big_site / "site", ignore_errors=True)
    before = previous_site(big_site)
    result = subprocess.run(
        [PYTHON, "-m", "generator", "build", "-q", "--content", str(big_site / "content"),
         "--templates", str(TEMPLATES), "--out", str(big_site / "site")],
        cwd=big_site, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    after = tree(big_site / "site")
    assert after != before and "claims/claim-1999/index.html" in after


def test_signal_during_the_swap_rolls_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A signal held back while the folders are swapped undoes the swap before it is raised."""
    out = tmp_path / "site"
    before = previous_site(tmp_path)
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # tmp → site: the new site is about to go live
            os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write.publish(out, {"index.html": b"new", "claims/x/index.html": b"new"})
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []
    assert len(calls) >= 4, calls  # swapped, then swapped back


def test_stale_temporary_folders_of_killed_builds_are_removed(tmp_path: Path):
    out = tmp_path / "site"
    dead = subprocess.run([PYTHON, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".site.tmp-{int(dead.stdout)}"
    (stale / "claims").mkdir(parents=True)
    alive = tmp_path / f".site.tmp-{os.getppid()}"  # a running process: not ours to remove
    alive.mkdir()
    write.publish(out, {"index.html": b"new"})
    assert not stale.exists() and alive.exists()
    assert (out / "index.html").read_bytes() == b"new"
