"""Live-preview benchmark: from a saved edit to the rebuilt page on disk, as the preview runs it.

The preview keeps one ``Cache`` in memory and calls ``build(options, cache, incremental=True,
changed=[saved paths])`` after each burst of saves. This measures that call, in process,
with a warm cache: a one-claim body edit and a rename of one prolific actor (whose name is
on many pages), medians over ``--runs`` edits; also the same edits when the preview does
not pass the saved paths (the whole content folder is then scanned). The watcher's own
polling delay (livereload: about 0.8 s) comes on top and is not ours to measure.

    python3 benchmarks/live_preview.py --entries 1000 10000 --runs 9 --work /tmp/factcheck-bench
    python3 benchmarks/live_preview.py --entries 100000 --shape archive --edits claim \
        --quick-only --runs 9
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import SHAPES, actor_slug, claim_slug  # noqa: E402
from benchmarks.run import corpus  # noqa: E402
from generator.build import Cache, Options, build  # noqa: E402


def _claim_edit(content: Path, number: int) -> tuple[Path, Path, bytes]:
    path = content / "claims" / f"{claim_slug(2)}.md"
    marker = f"Preview edit number {number}."
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{marker}\n")
    return path, Path("claims") / claim_slug(2) / "index.html", marker.encode()


def _actor_edit(content: Path, number: int) -> tuple[Path, Path, bytes]:
    path = content / "actors" / f"{actor_slug(0)}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    name = ""
    for at, line in enumerate(lines):
        if line.startswith("name: "):
            name = f"{line[6:].split(' (')[0]} (preview {number})"
            lines[at] = f"name: {name}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, Path("actors") / actor_slug(0) / "index.html", name.encode()


def measure(options: Options, cache: Cache, edit, runs: int, with_paths: bool
            ) -> tuple[list[float], int, str]:
    """Seconds of each edit, pages written by the last rebuild, and which path it took."""
    times, written, path_taken = [], 0, ""
    for number in range(runs):
        saved, page, marker = edit(options.content, number + (1000 if with_paths else 0))
        started = time.perf_counter()
        result = build(options, cache, incremental=True, changed=[saved] if with_paths else None)
        spent = time.perf_counter() - started
        if not result.ok or marker not in (options.out / page).read_bytes():
            raise SystemExit(f"rebuild did not produce the edit: {result.diagnostics[:3]}")
        times.append(spent)
        written, path_taken = result.written, result.path
    return times, written, path_taken


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


EDITS = {"claim": ("one claim body edited", _claim_edit),
         "actor": ("one actor renamed", _actor_edit)}


def report(folder: Path, runs: int, kinds: list[str] | None = None, quick_only: bool = False
           ) -> None:
    """``quick_only``: only the edits with saved paths, and no full check after them (each
    a full rebuild: minutes at 100,000 claims)."""
    out = folder / "preview"
    shutil.rmtree(out, ignore_errors=True)
    options = Options(content=folder / "content", templates=ROOT / "templates", out=out,
                      drafts=True, preview=True, use_cache=False)
    cache = Cache()
    started = time.perf_counter()
    first = build(options, cache, incremental=True)
    count = len(first.files)
    print(f"\n== {folder.name}: first preview build {time.perf_counter() - started:.2f} s, "
          f"{count} files, peak RSS {peak_mb():.0f} MB")
    for label, edit in (EDITS[kind] for kind in kinds or EDITS):
        for with_paths in (True,) if quick_only else (True, False):
            count = runs if with_paths else min(runs, 3)  # the scan is seconds at 10k
            times, written, taken = measure(options, cache, edit, count, with_paths)
            how = "saved paths given" if with_paths else "content scanned"
            print(f"preview {label:<22} {statistics.median(times) * 1000:8.1f} ms median of "
                  f"{count}, slowest {max(times) * 1000:.1f} ms  ({how}; {written} files "
                  f"written; {taken} path)", flush=True)
            if with_paths and not quick_only:  # the quick rebuilds must leave nothing stale
                check = build(options, cache, incremental=True)
                print(f"        full check after those rebuilds: {check.written} stale "
                      f"files", flush=True)
                if check.written:
                    raise SystemExit("the quick path left stale files")


def through_builder(folder: Path, runs: int) -> None:
    """The rename as ``serve`` runs it: a builder process forked before any thread, asked by
    a server process that has threads; the builder forks its workers."""
    import threading

    from generator.builder import Builder
    from generator.preview import Preview

    root = folder / "preview-serve"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    options = Options(content=folder / "content", templates=ROOT / "templates", drafts=True,
                      preview=True, use_cache=False)
    builder = Builder.start(options, root)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # the server's threads, as in serve
    try:
        preview = Preview(options, root, builder=builder)
        first = preview.rebuild()
        server.start()
        times, workers, written = [], 0, 0
        for number in range(runs):
            _actor_edit(options.content, 2000 + number)
            outcome = preview.rebuild()
            if not outcome.ok:
                raise SystemExit(f"rebuild failed: {outcome.diagnostics[:3]}")
            times.append(outcome.seconds)
            workers, written = outcome.workers, outcome.written
        print(f"serve   one actor renamed (builder)    {statistics.median(times) * 1000:8.1f} ms "
              f"median of {runs}  ({written} files written; {workers} workers; first build "
              f"{first.seconds:.2f} s)", flush=True)
    finally:
        stop.set()
        if server.is_alive():
            server.join()
        builder.stop()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/factcheck-bench"))
    parser.add_argument("--shape", choices=sorted(SHAPES), default="case")
    parser.add_argument("--edits", nargs="+", choices=sorted(EDITS), default=None,
                        help="which edits to time (default: all)")
    parser.add_argument("--quick-only", action="store_true",
                        help="no content scan and no full check (for 100,000 claims)")
    parser.add_argument("--serve", action="store_true",
                        help="also time the rename through serve's builder process")
    args = parser.parse_args(argv)
    for entries in args.entries:
        folder = corpus(args.work, entries, args.seed, False, args.shape)
        report(folder, args.runs, args.edits, args.quick_only)
        if args.serve:
            through_builder(folder, min(args.runs, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
