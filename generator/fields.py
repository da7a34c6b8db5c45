"""Typed field parsers shared by config and validate: raw YAML value → Python value.

A parser raises ``Invalid`` with a message and a hint; the caller turns it into a
diagnostic at the field's line. Keeping them pure makes them easy to test one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.diagnostics import Diagnostic, did_you_mean, error
from generator.models import PartialDate

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
SLUG_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


class Invalid(Exception):
    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


Parser = Callable[[Any], Any]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return "text"


def text(value: Any) -> str:
    """Non-empty text; numbers are accepted as text because YAML makes ``2022`` a number."""
    if isinstance(value, bool):  # the reader adds how it was written: no, off, False …
        raise Invalid("yaml-boolean", f"YAML reads this value as {str(value).lower()}, "
                      "a true/false value, not as text", 'quote it: "…"')
    if not isinstance(value, str | int | float):
        raise Invalid("wrong-type", f"expected text, found {_type_name(value)}",
                      "write the value as plain text; quote it if it contains ': '")
    result = str(value).strip()
    if not result:
        raise Invalid("empty-value", "this field is empty", "fill it in or remove the line")
    return result


def unsafe_path(value: str) -> bool:
    """A name that, joined to an output path, could leave the output folder."""
    return "/" in value or "\\" in value or value.startswith(".") or ":" in value[:3]


def slug(value: Any) -> str:
    result = text(value)
    if unsafe_path(result):
        raise Invalid("unsafe-path", f"'{result}' would point outside the site folder",
                      "a slug is one name, without '/', '\\' or a leading '.'")
    if not SLUG_RE.match(result) or result != result.lower():
        raise Invalid("invalid-slug", f"'{result}' is not a valid slug",
                      "use lower-case letters, digits and single hyphens")
    return result


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("wrong-type", f"expected true or false, found {_type_name(value)}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("wrong-type", f"expected a whole number, found {_type_name(value)}")
    return value


def positive_integer(value: Any) -> int:
    result = integer(value)
    if result < 1:
        raise Invalid("invalid-value", f"expected a number above 0, found {result}")
    return result


def partial_date(value: Any) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the precision written is the precision kept."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Invalid("wrong-type", f"expected a date, found {_type_name(value)}",
                      "write YYYY-MM-DD, YYYY-MM or YYYY")
    match = DATE_RE.match(str(value).strip())
    if not match:
        raise Invalid("invalid-date", f"'{value}' is not a date in a known format",
                      "write YYYY-MM-DD, YYYY-MM or YYYY; put relative dates in date_note")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        import datetime

        datetime.date(year or 1, month or 1, day or 1)
        if year == 0:
            raise ValueError
    except ValueError:
        raise Invalid("impossible-date", f"'{value}' is not a real date",
                      "check the day and the month") from None
    return PartialDate(year or 0, month, day)


def full_date(value: Any) -> PartialDate:
    result = partial_date(value)
    if result.precision != "day":
        raise Invalid("invalid-date", f"'{value}' needs a day", "write YYYY-MM-DD")
    return result


def http_url(value: Any) -> str:
    result = text(value)
    try:
        parts = urlsplit(result)
    except ValueError:
        raise Invalid("unsafe-url", f"'{result}' is not a valid URL",
                      "check the host part of the address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise Invalid("unsafe-url", f"'{result}' is not an http(s) URL",
                      "only http:// and https:// links are published")
    if any(c.isspace() or c in "<>\"'`" for c in result):
        raise Invalid("unsafe-url", f"'{result}' contains characters not allowed in a URL")
    return result


def language(value: Any) -> str:
    result = text(value)
    if not LANG_RE.match(result):
        raise Invalid("invalid-language", f"'{result}' is not a language code",
                      "use a BCP 47 code such as en, fa, ru or tg")
    return result


def one_of(*choices: str) -> Parser:
    def parse(value: Any) -> str:
        result = text(value)
        if result not in choices:
            raise Invalid("invalid-choice", f"'{result}' is not one of {', '.join(choices)}",
                          did_you_mean(result, choices))
        return result

    return parse


def boolean_hint(name: str, spelled: str | None, value: Any) -> str:
    """``key: false`` meant as text: the fix is the same word in quotes."""
    return f'quote it: {name}: "{spelled or str(value).lower()}"'


@dataclass(frozen=True, slots=True)
class Field:
    parse: Parser
    required: bool = False
    many: bool = False
    """A list of values; each item is parsed with ``parse`` and has its own line."""
    min_items: int = 0


@dataclass
class Reader:
    """Reads the fields of one mapping against a schema, collecting every problem."""

    path: str
    mapping: Mapping[Any, Any]
    schema: Mapping[str, Field]
    diagnostics: list[Diagnostic]
    lines: dict[str, int]

    def line(self, key: str) -> int:
        return getattr(self.mapping, "lines", {}).get(key, getattr(self.mapping, "line", 1))

    def read(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in self.mapping:
            if key not in self.schema:
                shown = str(key)
                hint = did_you_mean(shown, self.schema) or \
                    f"known fields: {', '.join(sorted(self.schema))}"
                self.diagnostics.append(error(self.path, self.line(key), "unknown-field",
                                              f"unknown field '{shown}'", hint))
        for name, spec in self.schema.items():
            if name not in self.mapping or self.mapping[name] is None:
                if spec.required and name in self.mapping:  # the line is there, empty
                    self.diagnostics.append(error(
                        self.path, self.line(name), "missing-field",
                        f"required field '{name}' is empty",
                        f"write its value after '{name}:' on this line"))
                elif spec.required:
                    self.diagnostics.append(error(
                        self.path, getattr(self.mapping, "line", 1), "missing-field",
                        f"required field '{name}' is missing", f"add a line '{name}: …'"))
                continue
            self.lines[name] = self.line(name)
            value = self.mapping[name]
            try:
                values[name] = self._many(name, value, spec) if spec.many else spec.parse(value)
            except Invalid as exc:
                hint = exc.hint
                if exc.code == "yaml-boolean":
                    hint = boolean_hint(name, getattr(self.mapping, "spelled", {}).get(name),
                                        value)
                elif exc.code == "empty-value" and spec.required:  # removing it is no fix
                    hint = f"write its value after '{name}:'; the field is required"
                self.diagnostics.append(error(self.path, self.line(name), exc.code,
                                              f"{name}: {exc.message}", hint))
        return values

    def _many(self, name: str, value: Any, spec: Field) -> tuple[Any, ...]:
        if isinstance(value, str) and "," in value:
            raise Invalid("not-a-list", f"'{value}' is one text, not a list",
                          f"write a list: {name}: [{value.strip()}] (for one name holding "
                          f"a comma, quote it inside the brackets: {name}: [\"{value.strip()}\"])")
        if isinstance(value, str | int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            raise Invalid("wrong-type", f"expected a list, found {_type_name(value)}",
                          f"write '{name}: [a, b]' or one '- item' per line")
        if len(value) < spec.min_items:
            raise Invalid("missing-field", f"needs at least {spec.min_items} item(s)")
        item_lines = getattr(value, "lines", [])
        result = []
        for index, item in enumerate(value):
            line = item_lines[index] if index < len(item_lines) else self.line(name)
            self.lines[f"{name}[{index}]"] = line
            try:
                parsed = spec.parse(item)
                if isinstance(parsed, str) and parsed in result:
                    raise Invalid("duplicate-item", f"'{parsed}' is listed twice",
                                  "remove the second one")
                result.append(parsed)
            except Invalid as exc:
                hint = exc.hint
                if exc.code == "yaml-boolean":
                    spelled = getattr(value, "spelled", {}).get(index) or str(item).lower()
                    hint = f'quote it: "{spelled}"'
                self.diagnostics.append(error(self.path, line, exc.code,
                                              f"{name}: {exc.message}", hint))
        return tuple(result)


def read_fields(path: str, mapping: Mapping[Any, Any], schema: Mapping[str, Field],
                diagnostics: list[Diagnostic]) -> tuple[dict[str, Any], dict[str, int]]:
    lines: dict[str, int] = {}
    return Reader(path, mapping, schema, diagnostics, lines).read(), lines


def mapping_of(schema: Mapping[str, Field], path: str, diagnostics: list[Diagnostic]) -> Parser:
    """A parser for a nested mapping (an update, a rating): its fields report their own lines."""

    def parse(value: Any) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            raise Invalid("wrong-type", f"expected a mapping, found {_type_name(value)}",
                          f"write fields: {', '.join(schema)}")
        before = len(diagnostics)
        values, _ = read_fields(path, value, schema, diagnostics)
        return values if len(diagnostics) == before else None

    return parse
