"""``factcheck serve``: build once, serve with livereload, rebuild on save, reload the browser.

Wiring only: ``preview.Preview`` rebuilds, ``watch.Watcher`` batches saves, and this module
serves the preview folder over HTTP with livereload's websocket and script. Files are served
by our own small handler rather than tornado's ``StaticFileHandler`` (which follows symlinks
out of its root and answers 403 rather than 404 to traversal): a request path is decoded
once, refused if any segment is hidden, ``.`` or ``..``, or contains a backslash, and every
component on the way to the file must be a real folder or file inside the root, never a link.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from generator.builder import Builder
from generator.diagnostics import plural, tally
from generator.news import Tracker
from generator.preview import Outcome, Preview
from generator.state import Options
from generator.watch import Watcher, describe

LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);})();</script>"
)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    location: str = ""


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def locate(root: Path, url_path: str) -> Path | str | None:
    """The regular file inside ``root`` that ``url_path`` names, or ``None``.

    A folder answers with its ``index.html``; a folder asked without its trailing slash
    answers with the URL to redirect to (a ``str``). Anything that could leave ``root`` —
    ``..``, encoded or not, encoded slashes, backslashes, NUL, hidden names, symlinks — is
    simply not found.
    """
    lowered = url_path.lower()
    if not url_path.startswith("/") or "\\" in url_path or "%2f" in lowered \
            or "%5c" in lowered or "%00" in lowered:
        return None
    decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    segments = decoded.split("/")[1:]
    trailing = not segments or segments[-1] == ""
    names = [s for s in segments if s]
    if any(s.startswith(".") or "\\" in s or "\x00" in s for s in names):
        return None
    path = root
    for name in names:
        path = path / name
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            return None
    if path.is_dir():
        if not trailing:  # rebuilt from the checked names: never "//host/" (open redirect)
            return "/" + "".join(quote(n) + "/" for n in names)
        path = path / "index.html"
        if path.is_symlink() or not path.is_file():
            return None
    try:
        inside = path.resolve(strict=True).is_relative_to(root.resolve(strict=True))
    except OSError:
        return None
    return path if inside else None


def _read(path: Path) -> bytes | None:
    """The whole file through one descriptor opened without following a link.

    Pages are replaced with ``os.replace``, so an open descriptor always sees one complete
    version: never a half-written page.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(
        ("xml", "json", "javascript")) else kind


def respond(preview: Preview, url_path: str) -> Response:
    """What the preview answers to ``GET url_path``: page, redirect, error page or 404."""
    root = preview.root
    try:
        found = locate(root, url_path)
    except (UnicodeDecodeError, ValueError, OSError):
        found = None
    if found is None and preview.prefix and url_path == "/":
        return Response(302, location="/" + "/".join(preview.prefix) + "/")
    if isinstance(found, str):  # 302, not 301: a browser must not remember a preview's layout
        return Response(302, location=found)
    html = found is None or found.suffix == ".html"
    if preview.error is not None and html:
        return Response(500, preview.error, "text/html; charset=utf-8")
    data = _read(found) if found is not None else None
    if found is not None and data is not None:
        return Response(200, data, _content_type(found))
    page = preview.out / "404.html"
    missing = _read(page) if page.is_file() and not page.is_symlink() else None
    if missing is None:
        return Response(404, b"404: not found\n")
    return Response(404, missing, "text/html; charset=utf-8")


def make_app(preview: Preview, loopback: bool, quiet: bool = False):  # -> web.Application
    """Tornado application: livereload's socket and script, our pages, no access log."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptInjector
    from livereload.watcher import Watcher as LivereloadWatcher
    from tornado import web
    from tornado.ioloop import IOLoop

    LiveReloadHandler.watcher = LivereloadWatcher()  # only read for its log line
    served: dict[str, int] = {}
    """URL path → ``preview.epoch`` when it was last served: a tab whose page was served
    before the latest build, and whose socket connects only now (it was loading while the
    build finished, so it missed the reload), is told to reload at once."""

    class Socket(LiveReloadHandler):
        def on_message(self, message: str | bytes) -> None:
            known = self in LiveReloadHandler.waiters
            super().on_message(message)
            if known or self not in LiveReloadHandler.waiters:
                return
            if not quiet:
                print("browser connected", file=sys.stderr, flush=True)
            try:
                path = unquote(urlsplit(json.loads(message)["url"]).path)
            except (ValueError, KeyError, TypeError):
                return
            if served.get(path, preview.epoch) < preview.epoch:
                self.send_message({"command": "reload", "path": "*", "liveCSS": True,
                                   "liveImg": True})

    class Inject(LiveScriptInjector):
        script = LIVE_SCRIPT

    class Page(web.RequestHandler):
        def prepare(self) -> None:
            host = self.request.host_name
            if loopback and not is_loopback(host):
                # DNS rebinding: a web page must not read the preview through its own name.
                self.set_status(403)
                self.finish("403: this preview only answers to localhost\n")

        async def get(self) -> None:
            await self._answer(body=True)

        async def head(self) -> None:
            await self._answer(body=False)

        async def _answer(self, body: bool) -> None:
            if not preview.idle.is_set():  # a rebuild runs: answer with its result
                await IOLoop.current().run_in_executor(None, preview.idle.wait, 30)
            epoch = preview.epoch
            response = respond(preview, self.request.path)
            served[unquote(self.request.path)] = epoch
            self.set_status(response.status)
            self.set_header("Cache-Control", "no-store")
            self.set_header("X-Content-Type-Options", "nosniff")
            if response.location:
                self.set_header("Location", response.location)
            self.set_header("Content-Type", response.content_type)
            if body:
                self.finish(response.body)
                return
            size = len(response.body)
            if "html" in response.content_type and b"</head>" in response.body:
                size += len(LIVE_SCRIPT)
            self.set_header("Content-Length", size)
            self.finish()

    return web.Application(
        [(r"/livereload", Socket), (r"/livereload\.js", LiveReloadJSHandler),
         (r".*", Page)],  # no group: the raw path is ours to decode, once
        transforms=[Inject], log_function=lambda handler: None)


def _announce(outcome: Outcome, changes: list[str] | None, quiet: bool,
              tracker: Tracker | None = None) -> None:
    """The problems that are new or fixed since the last build (all of them the first
    time), then one line on the build."""
    news = (tracker or Tracker()).update(outcome.diagnostics)
    for line in news.lines():
        print(line, file=sys.stderr)
    why = f" ({describe(changes)})" if changes else ""
    told = f"; {news.summary()}" if news.summary() else ""
    if outcome.ok and not quiet:
        verb = "rebuilt" if changes else "built"
        print(f"{verb} in {outcome.seconds:.2f}s{why}: "
              f"{plural(outcome.written, 'file')} written{told}", file=sys.stderr, flush=True)
    elif not outcome.ok:
        print(f"build failed{why}: {tally(outcome.diagnostics)}{told}; the browser shows "
              "them until fixed", file=sys.stderr, flush=True)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM stops the server like Ctrl-C, so the preview folder is removed."""
    raise KeyboardInterrupt


def serve(options: Options, host: str, port: int, quiet: bool = False) -> int:
    """Serve until Ctrl-C or SIGTERM; the preview folder is removed on the way out."""
    from livereload.handlers import LiveReloadHandler
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.netutil import bind_sockets

    loopback = is_loopback(host)
    if not loopback:
        print(f"warning: serving on {host}: other machines on the network can read the "
              "preview, drafts included", file=sys.stderr)
    signal.signal(signal.SIGTERM, _stop)
    root = Path(tempfile.mkdtemp(prefix="factcheck-preview-"))
    watcher: Watcher | None = None
    builder = Builder.start(options, root)  # before any thread: it may fork workers
    try:
        preview = Preview(options, root, builder=builder)
        tracker = Tracker()
        _announce(preview.rebuild(), None, quiet, tracker)
        loop = IOLoop.current()

        def on_change(changes: list[str], current: object) -> None:
            outcome = preview.rebuild(current)  # type: ignore[arg-type]
            if outcome.ran:
                _announce(outcome, changes, quiet, tracker)
                loop.add_callback(LiveReloadHandler.reload_waiters, "*")

        try:
            sockets = bind_sockets(port, address=host)
        except OSError as exc:
            print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            return 2
        HTTPServer(make_app(preview, loopback, quiet)).add_sockets(sockets)
        watcher = Watcher(preview.take_snapshot, on_change, preview.fingerprint or {})
        watcher.start()
        bound = sockets[0].getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        base = "/".join(preview.prefix)
        print(f"Serving on http://{shown}:{bound}/{base + '/' if base else ''} "
              f"(watching {options.content} and {options.templates}; Ctrl-C to stop)",
              file=sys.stderr, flush=True)
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
            watcher.join(timeout=5)
        builder.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0
