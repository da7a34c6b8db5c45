"""What share images cost: cold builds with one card per claim (``claim_cards: true``)
against the same corpus with one card per rating, in paired runs; then the same site
rebuilt into an empty folder with the card cache kept, and a one-claim title edit.

    python3 benchmarks/cards.py --entries 1000 --runs 3 --work /tmp/factcheck-bench
    python3 benchmarks/cards.py --entries 10000 --runs 1 --cold-only

Prints medians (wall seconds, and the share of the cold build the per-claim cards take),
the cards' total size and the load average (the machine is shared: compare ratios).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import claim_slug  # noqa: E402
from benchmarks.run import corpus, ours, timed  # noqa: E402

OURS_WARM = [sys.executable, "-m", "generator", "--version"]
BASE = "https://example.org/factcheck/"


def variant(source: Path, folder: Path, claim_cards: bool) -> Path:
    """A copy of the corpus's content with the switch set."""
    if not (folder / "content").is_dir():
        shutil.copytree(source / "content", folder / "content")
        if claim_cards:
            with open(folder / "content" / "site.yaml", "a", encoding="utf-8") as handle:
                handle.write("claim_cards: true\n")
    return folder


def build(folder: Path) -> float:
    run = timed(ours(folder, "--base-url", BASE), ROOT,
                [folder / "content", folder / ".factcheck-cache"], OURS_WARM, [folder / "site"])
    return run.seconds


def cold(folder: Path) -> float:
    shutil.rmtree(folder / "site", ignore_errors=True)
    shutil.rmtree(folder / ".factcheck-cache", ignore_errors=True)
    return build(folder)


def measure_cards(folder: Path, number: int, cold_only: bool = False) -> dict[str, float]:
    """Cold; into an empty folder with the card cache kept; one claim's title edited."""
    found = {"cold": cold(folder)}
    if cold_only:
        return found
    shutil.rmtree(folder / "site")
    found["empty site, card cache kept"] = build(folder)
    claim = folder / "content" / "claims" / f"{claim_slug(1)}.md"
    text = claim.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    claim.write_text(text.replace(title, f"{title} (edit {number})", 1), encoding="utf-8")
    found["one claim's title edited"] = build(folder)
    return found


def size_mb(folder: Path, pattern: str) -> tuple[int, float]:
    files = list((folder / "site").glob(pattern))
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--cold-only", action="store_true",
                        help="only the paired cold builds (saves two builds at large N)")
    args = parser.parse_args(argv)
    source = corpus(args.work, args.entries, args.seed, False)
    per_rating = variant(source, args.work / f"{source.name}-rating-cards", False)
    per_claim = variant(source, args.work / f"{source.name}-claim-cards", True)
    load = os.getloadavg()
    print(f"== N = {args.entries} claims, {args.runs} run(s), medians; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start")
    pairs = []
    for number in range(args.runs):
        rating = cold(per_rating)
        claim = measure_cards(per_claim, number, args.cold_only)
        pairs.append((rating, claim))
        print(f"  run {number + 1}: per-rating cold {rating:7.2f} s, per-claim "
              + ", ".join(f"{k} {v:.2f} s" for k, v in claim.items()), file=sys.stderr,
              flush=True)
    rating_cold = statistics.median(r for r, _ in pairs)
    claim_cold = statistics.median(c["cold"] for _, c in pairs)
    share = statistics.median((c["cold"] - r) / c["cold"] for r, c in pairs)
    print(f"cold build, one card per rating  {rating_cold:8.2f} s")
    print(f"cold build, one card per claim   {claim_cold:8.2f} s: the per-claim cards' share "
          f"of the cold build {share:6.1%} (median of paired runs), "
          f"{(claim_cold - rating_cold) / args.entries * 1000:.1f} ms a card")
    for scenario in ("empty site, card cache kept", "one claim's title edited"):
        if not args.cold_only:
            print(f"{scenario:<32} {statistics.median(c[scenario] for _, c in pairs):8.2f} s")
    count, total = size_mb(per_claim, "claims/*/card.png")
    print(f"per-claim cards: {count} files, {total:.1f} MB ({total / max(count, 1) * 1000:.0f} KB "
          f"each); load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
