"""YAML syntax errors → messages in the writer's words, at the line of the fault.

PyYAML reports what its scanner met ("found character that cannot start any token"), often
on the line after the mistake. Writers meet a handful of traps (a tab, an unquoted ': ', a
list never closed, a quote inside quotes); each gets its own message and a fix that works
when pasted. Anything else keeps PyYAML's words with a general hint.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

GENERAL_HINT = "check indentation, colons and quotes on this line"
INDICATORS = tuple("*&!@`%|>")
"""Characters a plain YAML value cannot start with (an alias, anchor, tag, reserved …)."""


@dataclass(frozen=True, slots=True)
class Explained:
    line: int
    """0-based line in the YAML text."""
    message: str
    hint: str


def quoted(value: str) -> str:
    """``value`` as a quoted YAML scalar that reads back as exactly ``value``: in single
    quotes when it holds double ones (easier to read), else in double quotes."""
    if '"' in value and "'" not in value:
        return single_quoted(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(value: str) -> str:
    """``value`` as a single-quoted YAML scalar (where only ``'`` needs doubling)."""
    return "'" + value.replace("'", "''") + "'"


def _field(line: str) -> tuple[str, str] | None:
    """``  key: value`` → (``  key``, ``value``); None when the line is no ``key: value``."""
    key, colon, value = line.partition(": ")
    if not colon or not key.strip() or key.strip().startswith(("-", "#", "[", "{", '"', "'")):
        return None
    return key, value.strip()


def explain(exc: yaml.MarkedYAMLError, lines: list[str]) -> Explained:
    """The writer's mistake behind a PyYAML error, with the line it is on."""
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    text = lines[at] if 0 <= at < len(lines) else ""
    opened = exc.context_mark.line if exc.context_mark else at
    if "\t" in text[: len(text) - len(text.lstrip())] or (
            "cannot start any token" in problem and mark and text[mark.column:][:1] == "\t"):
        return Explained(at, "a tab is used for indentation: YAML indents with spaces only",
                         "replace the tab at the start of this line with spaces, "
                         "two per level as on the lines around it")
    if "flow sequence" in context or "flow mapping" in context:
        sign, end = ("[", "]") if "sequence" in context else ("{", "}")
        what = "list" if sign == "[" else "mapping"
        start = lines[opened].rstrip() if opened < len(lines) else ""
        hint = f"end it with '{end}': {start.strip()}{end}" if start.count(sign) == 1 \
            else f"close it with '{end}' on this line"
        if (parts := _field(start)) and parts[1].startswith(sign):
            hint += f", or quote it if the '{sign}' is text: {parts[0].strip()}: " \
                f"{quoted(parts[1])}"
        return Explained(opened, f"the {what} opened with '{sign}' on this line is never closed",
                         hint)
    if "quoted scalar" in context and opened < at:
        return Explained(opened, "the quote opened on this line is never closed",
                         "end the value with the same quote mark, on this line")
    if "mapping values are not allowed" in problem and (parts := _field(text)):
        key, value = parts
        return Explained(at, "': ' inside a value: YAML reads it as the start of a new field",
                         f"quote the value: {key.strip()}: {quoted(value)}")
    if (parts := _field(text)) and parts[1].startswith(INDICATORS):
        key, value = parts
        return Explained(at, f"a value cannot start with '{value[0]}' unless quoted",
                         f"quote the value: {key.strip()}: {quoted(value)}")
    if (parts := _field(text)) and parts[1][:1] in "\"'" and parts[1].count(parts[1][0]) > 2:
        key, value = parts
        inner = value[1:].rsplit(value[0], 1)[0]
        fixed = quoted(inner) if value[0] == "'" else single_quoted(inner)
        return Explained(at, f"a {value[0]} inside a value quoted with {value[0]} ends it",
                         f"quote it with the other mark: {key.strip()}: {fixed}")
    return Explained(at, f"invalid YAML: {problem}", GENERAL_HINT)
