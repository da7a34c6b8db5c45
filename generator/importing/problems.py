"""Messages about one record: ``file:line: error[code]: record 3: message (hint)``.

JSON records are named by their index (1-based), CSV rows by their line, so a writer can
find the record in the file whatever its format.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic, error, warning


@dataclass(frozen=True, slots=True)
class Place:
    """A record's place in its file."""

    file: str
    number: int
    """1-based index of a JSON record, or the line of a CSV row."""
    by_line: bool = False

    @property
    def where(self) -> str:
        return f"line {self.number}" if self.by_line else f"record {self.number}"

    def error(self, code: str, message: str, hint: str = "") -> Diagnostic:
        line, prefix = (self.number, "") if self.by_line else (0, f"record {self.number}: ")
        return error(self.file, line, code, prefix + message, hint)

    def warning(self, code: str, message: str, hint: str = "") -> Diagnostic:
        line, prefix = (self.number, "") if self.by_line else (0, f"record {self.number}: ")
        return warning(self.file, line, code, prefix + message, hint)


def controls_removed(place: Place, removed: list[str]) -> list[Diagnostic]:
    """One warning per record for the invisible characters taken out of its text."""
    if not removed:
        return []
    shown = ", ".join(sorted(set(removed))[:5])
    return [place.warning("control-characters",
                          f"invisible control characters removed ({shown})",
                          "bidi overrides and other invisible characters can make text read "
                          "differently from what it says; check the original")]
