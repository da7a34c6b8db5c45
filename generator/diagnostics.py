"""Diagnostics: what every stage returns instead of raising on a user mistake.

One format everywhere: ``path:line: severity[code]: message (hint)``, so editors and CI
can jump to the spot and tests can compare codes, paths and lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    """Path as the user knows it (relative to the project when possible)."""
    line: int
    """1-based line in the file; 0 when the problem concerns the whole file."""
    code: str
    """Stable kebab-case identifier that tests and docs refer to."""
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    """A concrete fix, e.g. "did you mean 'john-kirby'?"."""
    draft: bool = False
    """About a draft in a build that leaves drafts out (or the preview): reported apart,
    never fails the build."""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str, line: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, code, message, Severity.ERROR, hint)


def warning(path: str, line: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, code, message, Severity.WARNING, hint)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known word closest to ``word`` (or equal but for case), or None."""
    options = list(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or an empty string when nothing is close."""
    close = closest(word, choices)
    return f"did you mean '{close}'?" if close else ""


def sort_key(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.path, d.line, d.code, d.message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Errors that block publishing: a draft's never do."""
    return any(d.is_error and not d.draft for d in diagnostics)


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 warnings``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def tally(diagnostics: Iterable[Diagnostic]) -> str:
    """``1 error, 2 warnings``: the count line under a list of diagnostics."""
    found = list(diagnostics)
    errors = sum(d.is_error for d in found)
    return f"{plural(errors, 'error')}, {plural(len(found) - errors, 'warning')}"
