"""Search benchmark: what the Pagefind index costs the build and the reader, at N claims.

For each N: a cold build (wall time, and the ``search`` stage of ``--timings`` beside it),
the rebuild with nothing changed, the rebuild after one claim's body is edited (its search
stage: the one shard re-indexed), the index's size and shards, the peak memory of one
Pagefind process on the largest shard (what bounds indexing memory at any N, since shards
are bounded), and in Chromium the bytes a reader's first query and a further query download
(uncompressed, on a cold browser cache). Medians over ``--runs``; the load average is
printed beside the figures (the machine is shared). Not run in CI (a smoke test runs it).

    python3 benchmarks/search.py --entries 1000 10000 --runs 3 --work /tmp/factcheck-bench
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import OURS_WARM, corpus, edit_claim, ours, stages, timed  # noqa: E402
from generator.build import Cache, Options, load  # noqa: E402
from generator.plan import plan_site  # noqa: E402
from generator.search import plan_shards  # noqa: E402
from generator.searchwrite import index_shard  # noqa: E402
from tests.test_validators import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

QUERIES = ("delivery", "witness")
"""A first and a further query: words the corpus puts in every kind of body."""


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def build_figures(folder: Path, runs: int) -> dict[str, float]:
    """Cold build, its search stage, no-change rebuild, one-claim edit and its search stage."""
    site = folder / "site"
    inputs = [folder / "content", ROOT / "templates"]
    cold, cold_search, unchanged, edited, edited_search = [], [], [], [], []
    for number in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        run = timed(ours(folder, "--no-cache"), ROOT, inputs, OURS_WARM, [])
        cold.append(run.seconds)
        cold_search.append(stages(run.output).get("search", 0.0))
        unchanged.append(timed(ours(folder), ROOT, inputs, OURS_WARM, [site]).seconds)
        edit_claim(folder, 1000 + number)
        run = timed(ours(folder), ROOT, inputs, OURS_WARM, [site])
        edited.append(run.seconds)
        edited_search.append(stages(run.output).get("search", 0.0))
    return {"cold": median(cold), "cold_search": median(cold_search),
            "unchanged": median(unchanged), "edit": median(edited),
            "edit_search": median(edited_search)}


def index_size(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def largest_shard(folder: Path) -> tuple[int, int, float, int]:
    """(shards, pages of the largest, seconds and peak KiB of one Pagefind run over it)."""
    options = Options(content=folder / "content", templates=ROOT / "templates",
                      out=folder / "site")
    loaded = load(options, Cache())
    assert loaded.index is not None
    shards = plan_shards(plan_site(loaded.index))
    biggest = max(shards[1:], key=lambda s: len(s.paths))
    with tempfile.TemporaryDirectory(dir=folder) as temp:
        stage, work = Path(temp) / "stage", Path(temp) / "work"
        stage.mkdir()
        work.mkdir()
        started = time.perf_counter()
        peak = index_shard(biggest, "pagefind/bench/", False, options.out, stage, set(), work,
                           work / biggest.name)  # linked afresh, as a cold build does
        seconds = time.perf_counter() - started
    return len(shards), len(biggest.paths), seconds, peak


def query_bytes(site: Path) -> tuple[int, int, int, int]:
    """Bytes (and requests) of the first query and of a further one, in Chromium."""
    from playwright.sync_api import sync_playwright

    responses: list = []
    with serve(site) as origin, sync_playwright() as playwright:  # the corpus's base is /
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("response", lambda response: responses.append(response))
        page.goto(origin + "/search/", wait_until="load")
        page.wait_for_selector("form[data-ready]", state="attached", timeout=120_000)
        figures = []
        for word in QUERIES:
            page.fill("#search-q", word)
            page.press("#search-q", "Enter")
            page.wait_for_function(
                "w => document.getElementById('search-status').textContent.includes(':')"
                " && new URLSearchParams(location.search).get('q') === w", arg=word,
                timeout=120_000)
            page.wait_for_load_state("networkidle")
            searched = [r for r in responses if "/pagefind/" in r.url
                        or r.url.endswith("static/search.js")]
            figures.append((sum(len(r.body()) for r in searched), len(searched)))
            responses.clear()
        browser.close()
    (first, first_requests), (further, further_requests) = figures
    return first, first_requests, further, further_requests


def report(entries: int, work: Path, runs: int, browser: bool) -> None:
    folder = corpus(work, entries, seed=1, with_peers=False)
    print(f"== {entries} claims ({load_average()})", flush=True)
    figures = build_figures(folder, runs)
    share = figures["cold_search"] / figures["cold"] if figures["cold"] else 0.0
    print(f"cold build            {figures['cold']:7.2f} s   of which indexing "
          f"{figures['cold_search']:6.2f} s ({share:.0%})")
    print(f"no-change rebuild     {figures['unchanged']:7.2f} s")
    print(f"one claim edited      {figures['edit']:7.2f} s   of which re-indexing "
          f"{figures['edit_search']:6.2f} s")
    size, files = index_size(folder / "site")
    shards, pages, seconds, peak = largest_shard(folder)
    print(f"index                 {size / 1e6:7.1f} MB in {files} files, {shards} bundles "
          f"(largest shard {pages} pages)")
    print(f"one Pagefind run      {seconds:7.2f} s on the largest shard, peak "
          f"{peak / 1024:.0f} MB")
    if browser and CHROMIUM.is_file():
        first, first_n, further, further_n = query_bytes(folder / "site")
        print(f"first query           {first / 1024:7.0f} KB in {first_n} requests "
              f"(target <= 600 KB)")
        print(f"further query         {further / 1024:7.0f} KB in {further_n} requests "
              f"(target <= 150 KB)")
    print(f"({load_average()})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    for entries in args.entries:
        report(entries, args.work, args.runs, not args.no_browser)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
