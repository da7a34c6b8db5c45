"""Peak memory of one build, by process: the build's own, its workers', Pagefind's.

``run.py`` reports the largest process of a build, whichever it is; this says which one
it is and when the build's own process grows, which is what a change to the build's
memory is judged by. It runs ``python -m generator build`` (cold unless ``--warm``) and
reads ``/proc`` every ``--every`` seconds: each process's peak so far (``VmHWM``, which
misses nothing between samples, only what grows after the last one) and a timeline of the
build's own RSS. ``wait4`` gives the largest process of the whole tree, printed apart: on
Linux a process's ``ru_maxrss`` also covers the children it has reaped.

    python3 benchmarks/memory.py --content /tmp/b10/n10k/content --out /tmp/memory-out
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(x) for x in handle.read().split()]
    except OSError:
        pass
    return found


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in MB (empty when the process is gone)."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line[:5]] = int(line.split()[1]) // 1024
    except OSError:
        pass
    return found


def _role(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = handle.read().split(b"\0")
    except OSError:
        return "other"
    return "pagefind" if any(b"pagefind" in word for word in words[:2]) else "workers"


def measure(command: list[str], every: float) -> tuple[float, int, dict[str, int],
                                                        list[tuple[float, int]]]:
    """Seconds, the largest process's peak, every process's peak by role (``own``: the
    build's), own RSS timeline."""
    started = time.perf_counter()
    process = subprocess.Popen(command)
    peaks: dict[str, int] = {}
    timeline: list[tuple[float, int]] = []
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        own = _status(process.pid)
        if "VmRSS" in own:
            timeline.append((time.perf_counter() - started, own["VmRSS"]))
            peaks["own"] = max(peaks.get("own", 0), own["VmHWM"])
        todo = _children(process.pid)
        while todo:
            child = todo.pop()
            todo += _children(child)
            found = _status(child)
            if "VmHWM" in found:
                role = _role(child)
                peaks[role] = max(peaks.get(role, 0), found["VmHWM"])
        time.sleep(every)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"the build failed: {command}")
    return seconds, usage.ru_maxrss // 1024, peaks, timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--warm", action="store_true", help="keep the cache (default: cold)")
    parser.add_argument("--every", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    command = [sys.executable, "-m", "generator", "build", "--content", str(args.content),
               "--out", str(args.out), *([] if args.warm else ["--no-cache"])]
    for _ in range(args.runs):
        seconds, largest, peaks, timeline = measure(command, args.every)
        own = peaks.pop("own", 0)
        shown = ", ".join(f"{role} {mb} MB" for role, mb in sorted(peaks.items()))
        print(f"build {seconds:.1f} s   own peak {own} MB   {shown or 'no other process'}   "
              f"largest process {largest} MB")
        step = max(1, len(timeline) // 20)
        print("own RSS: " + " ".join(f"{t:.1f}s:{mb}" for t, mb in timeline[::step]),
              flush=True)


if __name__ == "__main__":
    main()
