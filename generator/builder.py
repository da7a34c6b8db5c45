"""The preview's builder: a process with one thread that runs every preview build.

Saved paths in → (diagnostics, files written, URL prefix, workers used) out, over a pipe.
Forking a process that has threads can deadlock: a lock another thread holds (in the
allocator, stdio, logging) stays held forever in the child. ``serve`` runs a server thread
pool and a watcher thread, and a large rebuild (a renamed actor) forks workers
(``parallel.run``). So ``serve`` forks this builder before it starts any thread; the builder
never starts one, keeps the preview's cache in memory, and may fork its workers safely.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path

from generator import parallel
from generator.build import Options
from generator.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Reply:
    """What one build in the builder did."""

    diagnostics: list[Diagnostic]
    written: int
    prefix: tuple[str, ...]
    """The folders the site sits under in the preview root (from the base URL)."""
    workers: int
    """Worker processes the build forked (0: it ran in the builder alone)."""
    failure: str = ""
    """A bug in the build (``Type: message``); its traceback went to the terminal."""


class Builder:
    """The server's handle on the builder process."""

    def __init__(self, pid: int, connection: Connection):
        self.pid = pid
        self.connection = connection

    @classmethod
    def start(cls, options: Options, root: Path) -> Builder:
        """Fork the builder; call before any thread is started in this process."""
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # the builder: serve builds until the server closes the pipe
            code = 1
            try:
                ours.close()
                _serve_builds(options, root, theirs)
                code = 0
            finally:
                os._exit(code)  # never return into the server's code (its finally blocks)
        theirs.close()
        return cls(pid, ours)

    def run(self, saved: list[str] | None) -> Reply:
        """One build; ``saved`` as ``Preview._run`` takes it. Raises when the builder is gone."""
        try:
            self.connection.send(saved)
            reply = self.connection.recv()
        except (EOFError, OSError) as exc:
            raise RuntimeError("the preview's builder process stopped") from exc
        assert isinstance(reply, Reply)
        if reply.failure:
            raise RuntimeError(reply.failure)
        return reply

    def stop(self, timeout: float = 5.0) -> None:
        """Close the pipe (the builder exits after its current build), then reap it."""
        self.connection.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
                time.sleep(0.05)
                continue
            return
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)


def _serve_builds(options: Options, root: Path, connection: Connection) -> None:
    """The builder's loop: one ``Preview._run`` per request, its cache kept between them."""
    from generator.preview import Preview

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    preview = Preview(options, root)
    while True:
        try:
            saved = connection.recv()
        except (EOFError, OSError):
            return
        before = parallel.forked
        try:
            diagnostics, written = preview._run(saved)
            reply = Reply(diagnostics, written, preview.prefix, parallel.forked - before)
        except Exception as exc:  # the server shows it as an internal error
            preview.cache.live = None  # the next build must not trust what this one left
            traceback.print_exc()
            reply = Reply([], 0, preview.prefix, 0, f"{type(exc).__name__}: {exc}")
        connection.send(reply)
        if preview.search_stale and not connection.poll(0):  # the page has reloaded
            preview.refresh_search()
