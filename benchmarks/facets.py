"""What the facet pages (countries, years) cost: planning them, rendering them, and how many
pages they add, on a generated corpus.

    python3 benchmarks/facets.py --entries 10000 --runs 5 --work /tmp/factcheck-bench

Prints medians. The facet pages are lists like the tag pages: a build renders them with the
rest, and an incremental build re-renders only those whose claims changed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import corpus  # noqa: E402
from generator.build import Cache, Options, load  # noqa: E402
from generator.plan import plan_facets, plan_site  # noqa: E402
from generator.render import make_environment, render_pages  # noqa: E402


def median_seconds(work: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    args = parser.parse_args(argv)
    folder = corpus(args.work, args.entries, 1, with_peers=False)
    options = Options(content=folder / "content", templates=ROOT / "templates",
                      out=folder / "site-facets")
    loaded = load(options, Cache())
    assert loaded.ok and loaded.index is not None
    index = loaded.index
    facets = plan_facets(index)
    every = plan_site(index)
    env = make_environment(ROOT / "templates", index.config)
    plan_all = median_seconds(lambda: plan_site(index), args.runs)
    plan_facet = median_seconds(lambda: plan_facets(index), args.runs)
    render_facet = median_seconds(
        lambda: render_pages(env, facets, index, ROOT / "templates"), max(1, args.runs // 2))
    claims = len(index.claims())
    print(f"load average {os.getloadavg()[0]:.2f}; {claims} claims, {len(every)} planned "
          f"files, {len(facets)} of them facet pages "
          f"({len(index.countries())} countries, {len(index.years())} years)")
    print(f"plan_site   median {plan_all * 1000:8.1f} ms")
    print(f"plan_facets median {plan_facet * 1000:8.1f} ms "
          f"({plan_facet / plan_all:.0%} of planning)")
    print(f"render facet pages median {render_facet:6.2f} s "
          f"({render_facet / len(facets) * 1000:.1f} ms a page, one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
