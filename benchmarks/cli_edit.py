"""Command-line rebuild after one claim's body edit: wall time, the search refresh inside it,
and the peak memory of the build's own process, apart from Pagefind's.

``/usr/bin/time`` and ``RUSAGE_CHILDREN`` report the largest process of the tree, which after
an edit is Pagefind's (about 320 MB at any N: it indexes one bounded shard), or a child forked
to run it, whose resident size counts the parent's pages until it runs Pagefind. Each run here
is a fresh interpreter that runs the ``factcheck`` command's entry point and prints its own
``RUSAGE_SELF`` peak; it is timed from here, from start to exit, as a user waits for it.
Pagefind's peak comes from ``--timings``.

    python3 benchmarks/cli_edit.py --entries 10000 --runs 3
    python3 benchmarks/cli_edit.py --entries 100000 --shape archive --runs 3

The corpus and its first build are made when missing (``benchmarks/run.py``'s folders under
``--work``); each run then appends a sentence to one claim and rebuilds, and the figures of
two rebuilds with nothing changed follow. ``--content`` and ``--out`` measure a corpus built
before instead (``--entries`` then only labels the figures).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import SHAPES, claim_slug  # noqa: E402
from benchmarks.run import corpus, stages  # noqa: E402

IN_PROCESS = r"""
import resource, sys
from generator import cli
sys.argv = ["factcheck", "build", "--content", sys.argv[1], "--out", sys.argv[2], "--timings"]
code = cli.entry()  # what the ``factcheck`` command runs
print(f"own_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
      file=sys.stderr)
raise SystemExit(code)
"""


def build(content: Path, out: Path) -> dict[str, float]:
    """One command-line build in a fresh interpreter: its wall seconds as the user waits for
    them (interpreter start, imports and exit included), its own peak MB, the search stage's
    seconds and Pagefind's peak MB (0 when nothing was indexed)."""
    started = time.perf_counter()
    found = subprocess.run([sys.executable, "-c", IN_PROCESS, str(content), str(out)],
                           cwd=ROOT, text=True, capture_output=True, check=True)
    figures = {"wall": time.perf_counter() - started,
               "search": stages(found.stderr).get("search", 0.0), "pagefind_mb": 0.0}
    for line in found.stderr.splitlines():
        if line.startswith("search:") and "largest Pagefind process" in line:
            figures["pagefind_mb"] = float(line.split("process")[1].split()[0])
        elif line.startswith("own_mb "):
            figures["own_mb"] = float(line.split()[1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="case")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--content", type=Path, help="a corpus made before (with --out)")
    parser.add_argument("--out", type=Path, help="its site, built from --content before")
    args = parser.parse_args(argv)
    if args.content and args.out:
        content, out = args.content, args.out
    else:
        folder = corpus(args.work, args.entries, args.seed, False, args.shape)
        content, out = folder / "content", folder / "site"
    build(content, out)  # the first build, or a rebuild bringing the store up to date
    claim = content / "claims" / f"{claim_slug(6)}.md"
    edits = []
    for number in range(args.runs):
        with open(claim, "a", encoding="utf-8") as handle:
            handle.write(f"\nOne more sentence for the benchmark {time.time_ns()}.\n")
        time.sleep(2.1)  # older than the racy-stat window, as a writer's saved file is
        os.sync()
        edits.append(build(content, out))
        shown = edits[-1]
        print(f"one edit, run {number + 1}: {shown['wall']:.2f} s, search refresh "
              f"{shown['search']:.2f} s, build's own process {shown['own_mb']:.0f} MB, "
              f"Pagefind {shown['pagefind_mb']:.0f} MB", flush=True)
    unchanged = []
    for _ in range(2):
        os.sync()
        unchanged.append(build(content, out))
    wall = statistics.median(e["wall"] for e in edits)
    search = statistics.median(e["search"] for e in edits)
    without = statistics.median(e["wall"] - e["search"] for e in edits)
    print(f"{args.entries} claims ({args.shape}): one edit median {wall:.2f} s, of which the "
          f"search refresh {search:.2f} s, without it {without:.2f} s; build's own peak "
          f"{max(e['own_mb'] for e in edits):.0f} MB, Pagefind's "
          f"{max(e['pagefind_mb'] for e in edits):.0f} MB; nothing changed "
          f"{statistics.median(u['wall'] for u in unchanged):.2f} s, "
          f"{max(u['own_mb'] for u in unchanged):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
