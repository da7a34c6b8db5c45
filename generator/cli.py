"""Command line: ``factcheck build|check|serve|new|publish``: parsing, printing, exit codes.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime
import signal
import sys
import time
from pathlib import Path

from generator import __version__
from generator.build import Cache, Options, Result, build, failed, load, render
from generator.diagnostics import sort_key
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

    n = commands.add_parser("new", help="create a new entry file, as a draft")
    n.add_argument("kind", choices=["claim", "denial", "source", "actor", "page"])
    n.add_argument("title")
    n.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    n.add_argument("--slug", help="the file name without .md (default: made from the title)")
    n.add_argument("--claimant", metavar="ACTOR", help="claim: who made it")
    n.add_argument("--actor", metavar="ACTOR", help="denial: who issued it")
    n.add_argument("--source", dest="sources", action="append", default=[], metavar="SOURCE",
                   help="claim, denial: where it appeared (repeatable)")
    n.add_argument("--answers", action="append", default=[], metavar="CLAIM",
                   help="denial: a claim it answers (repeatable)")
    n.add_argument("--publisher", metavar="ACTOR", help="source: who published it")
    n.add_argument("--url", help="source: its http(s) address")

    p = commands.add_parser("publish", help="check draft entries as published, then publish "
                            "them: remove 'draft', date the first update and the review")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                   help="the publication date (default: today)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def _new(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from generator.new import Known, create, misplaced

    known = Known(args.slug, args.claimant, args.actor, tuple(args.sources),
                  tuple(args.answers), args.publisher, args.url)
    wrong = misplaced(args.kind, known)
    if wrong:
        parser.error("; ".join(wrong))
    path, problems = create(args.content, args.kind, args.title, known)
    for d in problems:
        print(d.format(), file=sys.stderr)
    if path is None:
        return 1
    print(path)
    return 0


def _report(result: Result, quiet: bool, strict: bool = False) -> None:
    for d in sorted(result.diagnostics, key=sort_key):
        print(d.format(), file=sys.stderr)
    errors = sum(d.is_error for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    if errors or warnings:
        note = " (--strict: warnings count as errors)" if strict and warnings else ""
        print(f"{errors} error(s), {warnings} warning(s){note}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(parser, args)
    if args.command == "publish":
        from generator.publish import publish_files

        return publish_files(args.paths, args.content, args.date or datetime.date.today(),
                             args.strict)

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
        print("interrupted: the previous site is unchanged", file=sys.stderr)
        return 128 + (exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    progress.close()
    seconds = time.perf_counter() - started
    _report(result, args.quiet, args.strict)
    if failed(result, args.strict):
        if args.command == "build":
            print("build failed: the previous site is unchanged", file=sys.stderr)
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
