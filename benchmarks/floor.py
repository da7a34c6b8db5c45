"""The floor under a cold build: what the libraries alone cost, in one process.

Converts every body of a generated corpus with our converter and with bare Python-Markdown
(no extension), and renders every template page with Jinja alone (no tracking, no
writing; unpacking each page's body and making claim pages' ClaimReview scripts included),
each the best of ``--runs``. These are CPU-seconds: a build on two cores can at
best halve them. See docs/performance.md ("Why the cold build stays behind Hugo").

    python3 benchmarks/floor.py --entries 1000 --work /tmp/factcheck-bench
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from benchmarks.run import corpus  # noqa: E402
from generator.build import Options, load  # noqa: E402
from generator.markdown import BodyConverter  # noqa: E402
from generator.plan import expanded, plan_site  # noqa: E402
from generator.read import KINDS, parse_entry  # noqa: E402
from generator.render import make_environment, render_page  # noqa: E402


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bodies(content: Path) -> list[tuple[str, str, int]]:
    found = []
    for kind in KINDS:
        for path in sorted((content / kind).glob("*.md")):
            rel = f"{kind}/{path.name}"
            raw, _ = parse_entry(kind, path.stem, rel, rel, path.read_bytes())
            if raw is not None:
                found.append((raw.body, rel, raw.body_line))
    return found


_TEXTS: list[str] = []
"""The bodies, set before the pool forks: workers receive ranges, not texts."""


def _convert_range(bounds: tuple[int, int]) -> int:
    converter = markdown.Markdown()
    for text in _TEXTS[bounds[0]:bounds[1]]:
        converter.reset()
        converter.convert(text)
    return bounds[1] - bounds[0]


def bare_on_all_cores(content: Path) -> float:
    """Wall seconds for bare Python-Markdown to convert every body of ``content`` on every
    core (workers forked before the clock starts): the denominator of the issue-12 ratio."""
    _TEXTS[:] = [text for text, _rel, _line in bodies(content)]
    cores = os.cpu_count() or 1
    step = 64
    ranges = [(i, min(i + step, len(_TEXTS))) for i in range(0, len(_TEXTS), step)]
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        pool.map(len, [[]] * cores)  # every worker started
        started = time.perf_counter()
        done = sum(pool.imap_unordered(_convert_range, ranges))
        seconds = time.perf_counter() - started
    assert done == len(_TEXTS)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare-on-all-cores", type=Path, metavar="CONTENT",
                        help="only print the wall seconds of bare Python-Markdown over every "
                             "body of CONTENT on every core (benchmarks/run.py pairs it with "
                             "each cold build)")
    parser.add_argument("--entries", type=int, default=1000, help="number of claims")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    args = parser.parse_args(argv)
    if args.bare_on_all_cores:
        print(f"bare {bare_on_all_cores(args.bare_on_all_cores):.3f}")
        return 0
    content = corpus(args.work, args.entries, args.seed, False) / "content"
    texts = bodies(content)
    ours = BodyConverter("/")
    bare = markdown.Markdown()

    def convert_ours() -> None:
        for text, rel, line in texts:
            ours.convert(text, rel, line)

    def convert_bare() -> None:
        for text, _rel, _line in texts:
            bare.reset()
            bare.convert(text)

    index = load(Options(content=content, jobs=1, use_cache=False)).index
    assert index is not None
    # whole, as before entry pages were planned small: the figure times Jinja, not planning
    pages = [expanded(page, index) for page in plan_site(index) if page.template]
    env = make_environment(ROOT / "templates", index.config)

    def render_all() -> None:
        for page in pages:
            render_page(env, page, index)

    mine, plain = best(args.runs, convert_ours), best(args.runs, convert_bare)
    jinja = best(args.runs, render_all)
    print(f"N = {args.entries} claims: {len(texts)} bodies, {len(pages)} template pages, "
          f"best of {args.runs}")
    print(f"markdown, our converter          {mine:7.2f} s")
    print(f"markdown, bare Python-Markdown   {plain:7.2f} s")
    print(f"jinja, every template page       {jinja:7.2f} s")
    print(f"floor (bare Markdown + Jinja)    {plain + jinja:7.2f} CPU-s, "
          f"{(plain + jinja) / 2:.2f} s on two cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
