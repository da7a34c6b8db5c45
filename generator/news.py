"""What changed in the preview's problems since the last rebuild: new ones and fixed ones.

The terminal of ``factcheck serve`` stays readable over an afternoon of saves: the first
build lists every problem, each rebuild after it only what appeared and what went away
(the browser shows the whole list while the site is broken). A problem is the same one when
its file, code and message are; its line may move as the writer adds lines above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, plural, sort_key


def identity(d: Diagnostic) -> tuple[str, str, str, str]:
    return (d.path, d.severity.value, d.code, d.message)


@dataclass(frozen=True, slots=True)
class News:
    new: tuple[Diagnostic, ...]
    fixed: tuple[Diagnostic, ...]
    first: bool
    """The first build: every problem is new."""

    def lines(self) -> list[str]:
        shown = [d.format() for d in self.new]
        return shown + [f"fixed: {d.format()}" for d in self.fixed]

    def summary(self) -> str:
        """``1 new problem, 2 fixed``; empty when nothing changed or on the first build."""
        if self.first or not (self.new or self.fixed):
            return ""
        parts = [plural(len(self.new), "new problem")] if self.new else []
        return ", ".join([*parts, *([f"{len(self.fixed)} fixed"] if self.fixed else [])])


@dataclass
class Tracker:
    """Remembers the last rebuild's problems to tell the next one's news."""

    last: dict[tuple[str, str, str, str], Diagnostic] | None = field(default=None)

    def update(self, diagnostics: Iterable[Diagnostic]) -> News:
        current = {identity(d): d for d in sorted(diagnostics, key=sort_key)}
        before = self.last or {}
        news = News(tuple(d for key, d in current.items() if key not in before),
                    tuple(d for key, d in before.items() if key not in current),
                    self.last is None)
        self.last = current
        return news
