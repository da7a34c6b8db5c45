"""Progress display for long builds: one self-overwriting line per stage on a terminal.

Quiet when stderr is not a terminal (CI logs, pipes) or with ``--quiet``; the closing line
(pages written, unchanged, time) is printed by the command line either way unless quiet.
"""

from __future__ import annotations

import time
from typing import TextIO

WIDTH = 24
LABELS = {"parse": "reading and converting entries", "render": "rendering pages"}


class ProgressLine:
    """``progress(stage, done, total)`` → ``rendering pages [#####     ] 2100/4512``."""

    def __init__(self, stream: TextIO, enabled: bool, interval: float = 0.1):
        self.stream = stream
        self.enabled = enabled
        self.interval = interval
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self.last < self.interval:
            return
        self.last = now
        filled = WIDTH * done // total
        bar = "#" * filled + " " * (WIDTH - filled)
        self.stream.write(f"\r{LABELS.get(stage, stage)} [{bar}] {done}/{total}\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the line, so the closing summary and diagnostics start clean."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
