"""Command line: ``factcheck build|check|serve|new``. Parsing, printing, exit codes; nothing else.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build import Cache, Options, Result, build, failed, load, render
from generator.diagnostics import sort_key, tally
from generator.progress import ProgressLine


class Interrupted(BaseException):
    """SIGTERM or SIGHUP (terminal closed), raised like Ctrl-C so every ``finally`` cleans up
    the temporary output; ``args[0]`` is the signal number."""


def _terminate(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck", description="Build a static fact-check site from Markdown entries.")
    parser.add_argument("--version", action="version", version=f"factcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                       help="content folder (default: content)")
        p.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR",
                       help="templates folder (default: templates)")
        p.add_argument("--base-url", metavar="URL",
                       help="where the site is published, e.g. https://example.org/factcheck/")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--quiet", "-q", action="store_true", help="print only problems")
        p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="worker processes for parsing and rendering (default: one per core)")
        p.add_argument("--no-cache", action="store_true",
                       help="ignore the cache in .factcheck-cache/ beside the content folder "
                            "and build cold (a fresh cache is saved)")

    b = commands.add_parser("build", help="build the site into the output folder")
    common(b)
    b.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                   help="output folder (default: site)")
    b.add_argument("--drafts", action="store_true", help="include draft entries")
    b.add_argument("--timings", action="store_true",
                   help="print the seconds spent in each stage (for benchmarks and profiling)")

    c = commands.add_parser("check", help="validate everything, write nothing")
    common(c)
    c.add_argument("--drafts", action="store_true",
                   help="check as 'build --drafts' would (default: as 'build' would)")

    s = commands.add_parser("serve", help="preview with automatic rebuild and reload")
    common(s)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default: 127.0.0.1; any other is announced)")
    s.add_argument("--port", type=_port, default=8000, help="port, 0 for any free one "
                   "(default: 8000)")
    s.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                   help="show draft entries, marked as drafts (default: shown; --no-drafts "
                   "previews what 'factcheck build' publishes)")

    n = commands.add_parser("new", help="create a new entry file")
    n.add_argument("kind", choices=["claim", "denial", "source", "actor", "page"])
    n.add_argument("title")
    n.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    return parser


def _report(result: Result, quiet: bool, strict: bool = False) -> None:
    for d in sorted(result.diagnostics, key=sort_key):
        print(d.format(), file=sys.stderr)
    warnings = sum(not d.is_error for d in result.diagnostics)
    if result.diagnostics:
        note = " (--strict: warnings count as errors)" if strict and warnings else ""
        print(f"{tally(result.diagnostics)}{note}", file=sys.stderr)


def kept(out: Path) -> str:
    """What a failed build left: the first-ever one has no previous site to keep."""
    return "the previous site is unchanged" if out.is_dir() else f"nothing was written to {out}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "new":
        from generator.new import NewError, create

        try:
            path = create(args.content, args.kind, args.title)
        except NewError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(path)
        return 0

    if args.jobs < 0:
        print("error: --jobs must be 0 (one per core) or more", file=sys.stderr)
        return 2
    options = Options(content=args.content, templates=args.templates,
                      out=getattr(args, "out", Path("site")), base_url=args.base_url,
                      drafts=getattr(args, "drafts", True), strict=args.strict,
                      jobs=args.jobs, use_cache=not args.no_cache)
    if args.command == "serve":
        from generator.serve import serve

        return serve(options, args.host, args.port, args.quiet)

    caught = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {signum: signal.signal(signum, _terminate) for signum in caught}
    progress = ProgressLine(sys.stderr, sys.stderr.isatty() and not args.quiet)
    started = time.perf_counter()
    try:
        result = check(options, progress) if args.command == "check" \
            else build(options, progress=progress)
    except (KeyboardInterrupt, Interrupted) as exc:
        progress.close()
        if args.command == "build":
            from generator.write import discard

            discard(options.out)  # publish cleans up itself; this also covers a late signal
        print(f"interrupted: {kept(options.out)}", file=sys.stderr)
        return 128 + (exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    progress.close()
    seconds = time.perf_counter() - started
    _report(result, args.quiet, args.strict)
    if failed(result, args.strict):
        if args.command == "build":
            print(f"build failed: {kept(options.out)}", file=sys.stderr)
        return 1
    if getattr(args, "timings", False):
        print("timings: " + " ".join(f"{stage}={spent:.3f}"
                                     for stage, spent in result.timings.items()),
              file=sys.stderr)
    if args.command == "build" and not args.quiet:
        deleted = f", {result.deleted} deleted" if result.deleted else ""
        print(f"built {options.out}: {result.written} files written, {result.unchanged} "
              f"unchanged{deleted} in {seconds:.2f}s", file=sys.stderr)
    return 0


def check(options: Options, progress: ProgressLine | None = None) -> Result:
    """Everything ``build`` verifies, templates included, without writing anything but the
    refreshed cache (parsing is the slow part, and the next build reuses it)."""
    cache = Cache()
    if options.use_cache and cache.load_manifest(options.cache_folder):
        cache.load_work(options.cache_folder)
    result = load(options, cache, progress=progress)
    cache.save(options.cache_folder)
    if result.ok and result.index is not None:
        render(options, result)
        result.files = {}
    return result
