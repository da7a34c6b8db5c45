"""A real ``factcheck serve`` in a subprocess, for the server and browser tests.

The server is started with ``--port 0`` (it picks a free port and prints it), its stderr is
collected by a thread, and tests wait for lines with a bounded wait, never a sleep.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
from pathlib import Path

from tests.conftest import PYTHON, ROOT, TEMPLATES

WAIT = 30.0
"""Upper bound of every wait: a failure, never a pass, depends on it."""


class Server:
    def __init__(self, cwd: Path, *args: str, templates: Path = TEMPLATES):
        self.tmp = cwd / "tmp"
        self.tmp.mkdir(exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(self.tmp),
               "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [PYTHON, "-m", "generator", "serve", "--port", "0", "--content", "content",
             "--templates", str(templates), *args],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()
        found = self.wait_for(r"Serving on http://(\S+?):(\d+)(/\S*)")
        self.host, self.port, self.base = found.group(1), int(found.group(2)), found.group(3)

    def _collect(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    @property
    def output(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def count(self, pattern: str) -> int:
        with self.changed:
            return sum(bool(re.search(pattern, line)) for line in self.lines)

    def wait_for(self, pattern: str, occurrence: int = 1) -> re.Match[str]:
        """The ``occurrence``-th stderr line matching ``pattern``; fails after ``WAIT``."""
        def found() -> list[re.Match[str]]:
            matches = (re.search(pattern, line) for line in self.lines)
            return [m for m in matches if m]

        with self.changed:
            self.changed.wait_for(
                lambda: len(found()) >= occurrence or self.process.poll() is not None, WAIT)
            matches = found()
            assert len(matches) >= occurrence, (
                f"no {pattern!r} (#{occurrence}) from the server:\n" + "\n".join(self.lines))
            return matches[occurrence - 1]

    def preview_root(self) -> Path:
        (root,) = self.tmp.glob("factcheck-preview-*")
        return root

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(WAIT)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.stop()


def raw_get(port: int, target: str, host: str = "127.0.0.1", header_host: str | None = None
            ) -> tuple[int, dict[str, str], bytes]:
    """``GET target`` sent byte for byte: no client normalises ``..`` or re-encodes it."""
    with socket.create_connection((host, port), timeout=WAIT) as sock:
        request = (f"GET {target} HTTP/1.1\r\nHost: {header_host or f'127.0.0.1:{port}'}\r\n"
                   "Connection: close\r\n\r\n")
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body
