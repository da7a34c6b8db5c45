"""What the case map costs: cold build and one-claim rebuild of a corpus whose claims are
grouped into cases of 200, against the same corpus without its cases, in paired runs.

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


def measure(folder: Path, number: int) -> dict[str, float]:
    """One cold build, then one claim edited (a claim of the first case)."""
    found: dict[str, float] = {}
    claim = folder / "content" / "claims" / f"{claim_slug(1)}.md"
    shutil.rmtree(folder / "site", ignore_errors=True)
    shutil.rmtree(folder / ".factcheck-cache", ignore_errors=True)
    for scenario in ("cold", "one claim edited"):
        if scenario != "cold":
            with open(claim, "a", encoding="utf-8") as handle:
                handle.write(f"\nAn added sentence, edit number {number}.\n")
        run = timed(ours(folder), ROOT, [folder / "content", folder / ".factcheck-cache"],
                    OURS_WARM, [folder / "site"])
        found[scenario] = run.seconds
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
    pairs = [(measure(with_cases, n), measure(without, n)) for n in range(args.runs)]
    for scenario in ("cold", "one claim edited"):  # paired runs: the same machine load
        yes = statistics.median(a[scenario] for a, _ in pairs)
        no = statistics.median(b[scenario] for _, b in pairs)
        share = statistics.median((a[scenario] - b[scenario]) / a[scenario] for a, b in pairs)
        print(f"{scenario:<18} with cases {yes:7.2f} s, without {no:7.2f} s: the case map's "
              f"share {share:6.1%} (median of paired runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
