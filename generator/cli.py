"""Command line: ``factcheck build|check|serve|new|publish|import|init|theme``. Parsing, printing,
exit codes; nothing else.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from generator import __version__
from generator import store as stored
from generator.build import Cache, Options, Result, build, failed, load, render
from generator.diagnostics import Diagnostic, plural, sort_key, tally
from generator.init import add_init_arguments, run_init, run_theme
from generator.progress import ProgressLine
from generator.project import Layout, locate, shown_from, shown_path


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

    def source(p: argparse.ArgumentParser) -> None:
        p.add_argument("--source", "-s", type=Path, metavar="DIR",
                       help="the site project (default: the nearest folder upwards holding "
                            "content/site.yaml); every other folder is found inside it")

    def common(p: argparse.ArgumentParser) -> None:
        source(p)
        p.add_argument("--content", type=Path, metavar="DIR",
                       help="content folder (default: content in the project)")
        p.add_argument("--templates", type=Path, metavar="DIR",
                       help="template overrides, laid over the built-in theme "
                            "(default: templates in the project)")
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
    b.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder (default: site in the project)")
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
    n.add_argument("kind", choices=["claim", "denial", "source", "actor", "page", "case"])
    n.add_argument("title")
    source(n)
    n.add_argument("--content", type=Path, metavar="DIR")
    n.add_argument("--slug", help="the file name without .md (default: made from the title)")
    n.add_argument("--claimant", metavar="ACTOR", help="claim: who made it")
    n.add_argument("--actor", metavar="ACTOR", help="denial: who issued it")
    n.add_argument("--cite", dest="sources", action="append", default=[], metavar="SOURCE",
                   help="claim, denial: where it appeared (repeatable)")
    n.add_argument("--answers", action="append", default=[], metavar="CLAIM",
                   help="denial: a claim it answers (repeatable)")
    n.add_argument("--publisher", metavar="ACTOR", help="source: who published it")
    n.add_argument("--url", help="source: its http(s) address")
    n.add_argument("--lang", metavar="CODE", help="with --translation-of: the language of "
                   "the translation (one of the site's languages)")
    n.add_argument("--translation-of", type=Path, metavar="PATH",
                   help="start a translation of this entry file (TITLE: the translated title)")

    p = commands.add_parser("publish", help="check draft entries as published, then publish "
                            "them: remove 'draft', date the first update and the review")
    source(p)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--content", type=Path, metavar="DIR")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                   help="the publication date (default: today)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    i = commands.add_parser("init", help="start a new site project in a folder")
    add_init_arguments(i)

    m = commands.add_parser("import", help="import fact-checks (Google Fact Check Tools "
                            "results, ClaimReview JSON-LD, CSV) as entries")
    source(m)
    m.add_argument("files", nargs="+", type=Path, metavar="FILE")
    m.add_argument("--content", type=Path, metavar="DIR")
    m.add_argument("--format", choices=["google", "claimreview", "csv"],
                   help="the files' format (default: detected from each file)")
    m.add_argument("--dry-run", action="store_true", help="report what would change, "
                   "write nothing")
    m.add_argument("--as-draft", action="store_true", help="import every claim as a draft")
    m.add_argument("--publisher", metavar="NAME",
                   help="publisher of reviews whose records name none")
    m.add_argument("--encoding", metavar="CODEC",
                   help="the CSV or HTML file's encoding when it is not UTF-8 (cp1252 …)")
    m.add_argument("--quiet", "-q", action="store_true", help="no progress line")

    t = commands.add_parser("theme", help="list the templates in use, or export the "
                            "built-in theme")
    source(t)
    t.add_argument("--templates", type=Path, metavar="DIR")
    t.add_argument("--export", type=Path, metavar="DIR",
                   help="copy the built-in theme into DIR (a new folder), to fork it whole")
    return parser


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def _new(parser: argparse.ArgumentParser, args: argparse.Namespace, layout: Layout,
         cwd: Path) -> int:
    from generator.new import Known, create, misplaced

    if args.translation_of is not None or args.lang is not None:
        return _new_translation(parser, args, layout, cwd)
    known = Known(args.slug, args.claimant, args.actor, tuple(args.sources),
                  tuple(args.answers), args.publisher, args.url)
    wrong = misplaced(args.kind, known)
    if wrong:
        parser.error("; ".join(wrong))
    path, problems = create(layout.relative(layout.content), args.kind, args.title, known)
    return _created(path, problems, layout, cwd)


def _new_translation(parser: argparse.ArgumentParser, args: argparse.Namespace,
                     layout: Layout, cwd: Path) -> int:
    from generator.new_translation import create_translation

    if args.translation_of is None or args.lang is None:
        parser.error("a translation needs both --lang CODE and --translation-of PATH")
    path, problems = create_translation(layout.relative(layout.content), args.kind, args.title,
                                        args.lang, layout.relative(Path(cwd, args.translation_of)))
    return _created(path, problems, layout, cwd)


def _created(path: Path | None, problems: list[Diagnostic], layout: Layout, cwd: Path) -> int:
    """What ``new`` prints: the problems, then the new file's path (exit 0) or exit 1."""
    for d in problems:
        print(shown_from(d, layout.root, cwd).format(), file=sys.stderr)
    if path is None:
        return 1
    print(shown_path(layout.root / path, cwd))
    return 0


def _import(args: argparse.Namespace, layout: Layout, cwd: Path) -> int:
    from generator.importing.run import Request, print_report, run

    request = Request(tuple(Path(cwd, f) for f in args.files), layout.root,
                      layout.relative(layout.content), args.format, args.dry_run,
                      args.as_draft, args.publisher or "", args.encoding)
    caught = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {signum: signal.signal(signum, _terminate) for signum in caught}
    progress = ProgressLine(sys.stderr, sys.stderr.isatty() and not args.quiet)
    try:
        report, problems = run(request, progress)
    except (KeyboardInterrupt, Interrupted) as exc:
        progress.close()
        print("interrupted: content/ is unchanged", file=sys.stderr)
        return 128 + (exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    progress.close()
    return print_report(report, [shown_from(d, layout.root, cwd) for d in problems],
                        args.dry_run)


def _report_drafts(drafts: list[Diagnostic]) -> None:
    """One line per draft with problems: they never block, but the writer should know."""
    counts = Counter(d.path for d in drafts)
    for path, count in sorted(counts.items()):
        print(f"{path}: draft, not published: {plural(count, 'problem')} "
              "(factcheck check --drafts)",
              file=sys.stderr)


def _report(result: Result, quiet: bool, strict: bool = False, root: Path | None = None,
            cwd: Path | None = None) -> None:
    shown = [shown_from(d, root, cwd) for d in result.diagnostics]
    _report_drafts([d for d in shown if d.draft])
    shown = [d for d in shown if not d.draft]
    for d in sorted(shown, key=sort_key):
        print(d.format(), file=sys.stderr)
    warnings = sum(not d.is_error for d in shown)
    if shown:
        note = " (--strict: warnings count as errors)" if strict and warnings else ""
        print(f"{tally(shown)}{note}", file=sys.stderr)


def kept(out: Path) -> str:
    """What a failed build left: the first-ever one has no previous site to keep."""
    return "the previous site is unchanged" if out.is_dir() else f"nothing was written to {out}"


def entry() -> int:
    """The ``factcheck`` command: ``main``, then nothing left for the interpreter's last
    collection to walk. A build keeps millions of objects until the process ends (the file
    states, the index and the output states: 2.9 million at 100,000 claims); walking them
    at exit, only to free memory the system takes back anyway, costs 0.75 s at 100k."""
    code = main()
    gc.freeze()
    return code


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "init":
        return run_init(args)
    cwd = Path.cwd()
    layout = locate(cwd, args.source, getattr(args, "content", None),
                    getattr(args, "templates", None), getattr(args, "out", None))
    if args.source is not None and not layout.root.is_dir():
        print(f"error: {args.source} is not a folder", file=sys.stderr)
        return 2
    os.chdir(layout.root)  # as git does: every path is the project's, wherever typed
    try:
        return _run(parser, args, layout, cwd)
    finally:
        os.chdir(cwd)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace, layout: Layout,
         cwd: Path) -> int:
    if args.command == "theme":
        return run_theme(args, layout, cwd)
    if args.command == "new":
        return _new(parser, args, layout, cwd)
    if args.command == "import":
        return _import(args, layout, cwd)
    if args.command == "publish":
        from generator.publish import publish_files

        return publish_files([Path(cwd, path) for path in args.paths],
                             layout.relative(layout.content),
                             args.date or datetime.date.today(), args.strict)

    if args.jobs < 0:
        print("error: --jobs must be 0 (one per core) or more", file=sys.stderr)
        return 2
    options = Options(content=layout.relative(layout.content),
                      templates=layout.relative(layout.templates),
                      out=layout.relative(layout.out), base_url=args.base_url,
                      drafts=getattr(args, "drafts", True), strict=args.strict,
                      preview=args.command == "serve",
                      jobs=args.jobs, use_cache=not args.no_cache, cache_dir=layout.cache)
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
    _report(result, args.quiet, args.strict, layout.root, cwd)
    if failed(result, args.strict):
        if args.command == "build":
            print(f"build failed: {kept(options.out)}", file=sys.stderr)
        return 1
    if getattr(args, "timings", False):
        print("timings: " + " ".join(f"{stage}={spent:.3f}"
                                     for stage, spent in result.timings.items()),
              file=sys.stderr)
        if result.search_shards:
            shards = result.search_shards
            print(f"search: {shards} shard{'s' if shards != 1 else ''} indexed, largest "
                  f"Pagefind process {result.search_peak_kb / 1024:.0f} MB", file=sys.stderr)
    if args.command == "build" and not args.quiet:
        deleted = f", {result.deleted} deleted" if result.deleted else ""
        print(f"built {shown_path(layout.out, cwd)}: {result.written} files written, "
              f"{result.unchanged} unchanged{deleted} in {seconds:.2f}s", file=sys.stderr)
    return 0


def check(options: Options, progress: ProgressLine | None = None) -> Result:
    """Everything ``build`` verifies, templates included, without writing anything but the
    refreshed cache (parsing is the slow part, and the next build reuses it)."""
    cache = Cache()
    if options.use_cache and stored.load_manifest(cache, options.cache_folder):
        stored.load_work(cache, options.cache_folder)
    result = load(options, cache, progress=progress)
    stored.save(cache, options.cache_folder)
    if result.ok and result.index is not None:
        render(options, result)
        result.files = {}
    return result
