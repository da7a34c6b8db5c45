"""Paired benchmark: cold build and preview latency of this tree against an earlier commit,
in one run under the same load.

Issue 13 (languages) asks a one-language site to cost at most 1.10 of the commit before the
work began; issue 14 (search) asks the preview to reload the page at the latency it had
before the search index existed (the index is refreshed after the reload):

    python3 benchmarks/paired.py --base 085d33a --ours fb7f41a --entries 1000 --runs 7 \
        --edits 15
    python3 benchmarks/paired.py --base 2a28688 --corpus ours --preview-only \
        --entries 10000 --runs 3 --edits 15

``2a28688`` is the parent of the first search commit (4f888cb); it accepts today's corpus
(its country codes are free text to it), while today's tree refuses the older corpus's
country names: hence ``--corpus ours``.

The baseline is checked out with ``git worktree add`` into a temporary folder; both trees
build the same corpus (made by ``--corpus``'s own ``benchmarks/corpus.py``). Runs alternate
(base, ours, base, ours …) so that a change of load hits both; each figure is a median, and
the ratio ours/base is printed.

``--ours`` measures a commit instead of this tree: the tip of the work against its fork
point (``--base 085d33a --ours 6cfeb62``, the interface translation's branch) isolates the
work from what was merged beside it later.

Cold build (unless ``--preview-only``): ``python3 -m generator build`` in a fresh process,
output folder and cache removed first (interpreter start and imports included, as a user
pays them); wall time, and the user CPU time of the build's processes (workers included),
which the disk and other jobs on a shared machine disturb far less. Preview: in a
process per run, one warm preview build, then ``--edits`` one-claim body edits, each timed
from the save to the rebuilt page (``build(..., incremental=True, changed=[path])``). An
edit takes about 35 ms at 1,000 claims, but one in ten or so also pays a full garbage
collection of the preview's heap (about 60 ms, in either tree, at no edit in particular): with
5 edits a run's median moved with where those fell (single ratios 0.84-1.37); 15 edits a run
keep them out of the median.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREVIEW = r"""
import statistics, sys, time
from pathlib import Path
from generator.build import Cache, Options, build
content, out, edits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
options = Options(content=content, templates=Path(sys.argv[4]), out=out,
                  drafts=True, preview=True, use_cache=False)
cache = Cache()
assert build(options, cache, incremental=True).ok
claim = sorted((content / "claims").glob("*.md"))[1]
times, cpu = [], []
for number in range(edits):
    marker = f"Paired edit {number} {time.time_ns()}."
    with open(claim, "a", encoding="utf-8") as handle:
        handle.write(f"\n{marker}\n")
    started, used = time.perf_counter(), time.process_time()
    result = build(options, cache, incremental=True, changed=[claim])
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - used)
    page = out / "claims" / claim.stem / "index.html"
    assert result.ok and marker.encode() in page.read_bytes(), result.diagnostics[:3]
print(statistics.median(times), statistics.median(cpu), times[0])
"""


def run(tree: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, text=True,
                          capture_output=True, check=True)


def children_cpu() -> float:
    """User CPU seconds of the finished children: system time is mostly the kernel writing
    files back, which swings with what the machine wrote just before (2.8-6 s for the same
    1,000-claim build), and is reported by the wall time anyway."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime


def cold_build(tree: Path, project: Path) -> tuple[float, float]:
    """Wall and user CPU seconds (the build's processes, workers included)."""
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".factcheck-cache", ignore_errors=True)
    os.sync()  # the last run's files written back before this one starts
    started, used = time.perf_counter(), children_cpu()
    run(tree, ["-m", "generator", "build", "--content", str(project / "content"),
               "--templates", str(tree / "templates"), "--out", str(project / "site")], project)
    return time.perf_counter() - started, children_cpu() - used


def preview(tree: Path, project: Path, edits: int) -> tuple[float, float, float]:
    """Median wall and CPU seconds of an edit (CPU: the preview's own process), and the wall
    seconds of the first edit (templates not used by the first build are compiled then)."""
    shutil.rmtree(project / "preview-site", ignore_errors=True)
    found = run(tree, ["-c", PREVIEW, str(project / "content"), str(project / "preview-site"),
                       str(edits), str(tree / "templates")], project)
    wall, cpu, first = found.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu), float(first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--base", required=True, help="the earlier commit")
    parser.add_argument("--ours", default=None, help="a commit (default: this tree)")
    parser.add_argument("--corpus", choices=("base", "ours"), default="base",
                        help="whose benchmarks/corpus.py makes the corpus")
    parser.add_argument("--preview-only", action="store_true", help="no cold builds")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="paired-"))
    base_tree = work / "base"
    ours_tree = work / "ours" if args.ours else ROOT
    checked_out = [(base_tree, args.base)] + ([(ours_tree, args.ours)] if args.ours else [])
    for folder, commit in checked_out:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder),
                        commit], check=True, capture_output=True)
    print(f"base {args.base}, ours {args.ours or 'this tree'}", flush=True)
    try:
        trees = {"base": base_tree, "ours": ours_tree}
        projects = {}
        for name in trees:  # one corpus, copied: each tree keeps its own cache and output
            projects[name] = work / f"project-{name}"
        maker = trees[args.corpus]
        run(maker, [str(maker / "benchmarks" / "corpus.py"), "--entries",
                        str(args.entries), "--seed", "1", "--out", str(projects["base"])], work)
        shutil.copytree(projects["base"], projects["ours"])
        measures = ("preview edit", "preview edit CPU", "first preview edit")
        if not args.preview_only:
            measures = ("cold build", "cold build user CPU", *measures)
        figures: dict[str, dict[str, list[float]]] = {
            measure: {name: [] for name in trees} for measure in measures}
        print(f"load average before: {os.getloadavg()}", flush=True)
        for number in range(args.runs):
            for name, tree in trees.items():
                if not args.preview_only:
                    wall, cpu = cold_build(tree, projects[name])
                    figures["cold build"][name].append(wall)
                    figures["cold build user CPU"][name].append(cpu)
                wall, cpu, first = preview(tree, projects[name], args.edits)
                figures["preview edit"][name].append(wall)
                figures["preview edit CPU"][name].append(cpu)
                figures["first preview edit"][name].append(first)
            print(f"run {number + 1}: " + "; ".join(
                f"{measure} base {runs['base'][-1]:.4f} s, ours {runs['ours'][-1]:.4f} s"
                for measure, runs in figures.items()) + f"; load {os.getloadavg()[0]:.2f}",
                flush=True)
        for label, runs in figures.items():
            base, ours = (statistics.median(runs[n]) for n in ("base", "ours"))
            print(f"{label}: median base {base:.4f} s, ours {ours:.4f} s, "
                  f"ratio {ours / base:.3f} ({args.entries} claims, {args.runs} paired runs)")
        print(f"load average after: {os.getloadavg()}")
    finally:
        for folder, _ in checked_out:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(folder)], check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
