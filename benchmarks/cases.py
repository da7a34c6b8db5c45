"""What the case map costs: cold build and one-claim rebuild of a corpus whose claims are
grouped into cases of 200, against the same corpus without its cases, in one run.

    python3 benchmarks/cases.py --entries 10000 --runs 3 --work /tmp/factcheck-bench
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import claim_slug  # noqa: E402
from benchmarks.run import corpus, ours, timed  # noqa: E402

OURS_WARM = [sys.executable, "-m", "generator", "--version"]


def measure(folder: Path, runs: int) -> dict[str, list[float]]:
    """Cold build, then one claim edited (a claim of the first case), ``runs`` times."""
    found: dict[str, list[float]] = {"cold": [], "one claim edited": []}
    claim = folder / "content" / "claims" / f"{claim_slug(1)}.md"
    for number in range(runs):
        shutil.rmtree(folder / "site", ignore_errors=True)
        shutil.rmtree(folder / ".factcheck-cache", ignore_errors=True)
        for scenario in found:
            if scenario != "cold":
                with open(claim, "a", encoding="utf-8") as handle:
                    handle.write(f"\nAn added sentence, edit number {number}.\n")
            run = timed(ours(folder), ROOT, [folder / "content", folder / ".factcheck-cache"],
                        OURS_WARM, [folder / "site"])
            found[scenario].append(run.seconds)
            print(f"  {folder.name} run {number + 1}: {scenario:<18} {run.seconds:8.2f} s",
                  file=sys.stderr, flush=True)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    args = parser.parse_args(argv)
    with_cases = corpus(args.work, args.entries, args.seed, False)
    without = args.work / f"{with_cases.name}-nocases"
    if not (without / "content").is_dir():
        shutil.copytree(with_cases / "content", without / "content")
        shutil.rmtree(without / "content" / "cases")
    cases = sum(1 for _ in (with_cases / "content" / "cases").glob("*.md"))
    print(f"== N = {args.entries} claims in {cases} cases, {args.runs} run(s), medians")
    a, b = measure(with_cases, args.runs), measure(without, args.runs)
    for scenario in a:
        yes, no = statistics.median(a[scenario]), statistics.median(b[scenario])
        share = (yes - no) / yes if yes else 0.0
        print(f"{scenario:<18} with cases {yes:7.2f} s, without {no:7.2f} s: "
              f"the case map's share {share:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
