"""Front matter mapping → YAML text, byte for byte as PyYAML writes it, without PyYAML's
per-node cost (pure).

``yaml.dump`` builds a node per value in Python even with libyaml's emitter: at 100,000
records that was a third of an import. The entries an import writes are simple (text,
booleans, lists of text, mappings one level down), so most are written here directly. Any
value outside that simple subset (a line break, a control character, a very long string,
an empty list, a number) sends the whole document to ``yaml.dump``, so the result is
always what ``yaml.dump`` would write (``tests/test_import_frontmatter.py`` compares them).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter when installed (faster for the documents written by the fallback)."""
_RESOLVER = Resolver()
_SIMPLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
"""Printable to YAML, with no line break (U+2028 and U+2029 are ones), tab or byte-order
mark: one line, quoted or not. Outside the Basic Multilingual Plane (emoji), libyaml
escapes: left to it."""
_INDICATOR_FIRST = frozenset("#,[]{}&*!|>'\"%@`")
_IMPLICIT_FIRST = frozenset(k for k in Resolver.yaml_implicit_resolvers if k) \
    if None not in Resolver.yaml_implicit_resolvers else frozenset(map(chr, range(0x10000)))
"""First characters with which YAML may read a plain string as something else (all, if a
resolver matches any first character)."""
_LONGEST = 10_000
"""Far below the emitter's width (1,000,000): no string is folded."""


_KEYS: set[str] = set()
"""Keys already found plain: an import writes the same few thousands of times."""


class _Fallback(Exception):
    """A value this writer does not promise to write as PyYAML would."""


def dump(front: dict[str, Any]) -> str:
    """The YAML of ``front`` as ``yaml.dump(…, allow_unicode, sort_keys=False, width=10**6,
    default_flow_style=False)`` with libyaml writes it."""
    try:
        return "".join(_mapping(front, ""))
    except _Fallback:
        return yaml.dump(front, Dumper=DUMPER, allow_unicode=True, sort_keys=False,
                         width=1_000_000, default_flow_style=False)


def _mapping(mapping: dict[str, Any], indent: str) -> list[str]:
    if not mapping:
        raise _Fallback
    lines: list[str] = []
    for key, value in mapping.items():
        if key not in _KEYS:
            if not isinstance(key, str) or _plain(key) is None:
                raise _Fallback
            _KEYS.add(key)
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:\n")
            lines += _mapping(value, indent + "  ")
        elif isinstance(value, list):
            lines.append(f"{indent}{key}:\n")
            lines += _sequence(value, indent)
        else:
            lines.append(f"{indent}{key}: {_scalar(value)}\n")
    return lines


def _sequence(items: list[Any], indent: str) -> list[str]:
    """A sequence in a mapping: PyYAML does not indent its dashes."""
    if not items:
        raise _Fallback
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict):
            inner = _mapping(item, indent + "  ")
            lines.append(f"{indent}- {inner[0][len(indent) + 2:]}")
            lines += inner[1:]
        elif isinstance(item, list):
            raise _Fallback
        else:
            lines.append(f"{indent}- {_scalar(item)}\n")
    return lines


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if not isinstance(value, str) or not value or len(value) > _LONGEST \
            or not _SIMPLE.fullmatch(value):
        raise _Fallback
    plain = _plain(value, checked=True)
    if plain is not None:
        return plain
    return "'" + value.replace("'", "''") + "'"


def _plain(text: str, checked: bool = False) -> str | None:
    """``text`` unquoted, when YAML reads it back as this very string (``checked``: it is
    known to be simple)."""
    if not text or text[0] == " " or text[-1] == " " or text[0] in _INDICATOR_FIRST \
            or text.startswith(("---", "...")) or ": " in text or " #" in text \
            or text[-1] == ":" or not (checked or _SIMPLE.fullmatch(text)):
        return None
    if text[0] in "?:-" and (len(text) == 1 or text[1] == " "):
        return None
    if text[0] in _IMPLICIT_FIRST and \
            _RESOLVER.resolve(ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str":
        return None
    return text
