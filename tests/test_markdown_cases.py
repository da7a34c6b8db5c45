"""Markdown cases as data (markdown-it-py's way): ``tests/fixtures/markdown.txt`` holds many
cases, each the Markdown as written in an entry file, the exact HTML our converter makes of
it under the base path ``/factcheck/``, and the links it records or drops with their lines.

After an intended change, rewrite the expectations with ``python3 -m pytest
tests/test_markdown_cases.py --update-goldens`` and review the diff like any other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.markdown import render_body

FIXTURE = Path(__file__).parent / "fixtures" / "markdown.txt"
BASE_PATH = "/factcheck/"


@dataclass
class Case:
    name: str
    rel: str
    line: int
    markdown: str
    html: str
    links: list[str]


def parse(text: str) -> tuple[list[str], list[Case]]:
    """The file's header comment and its cases (``@@@ name`` then ``@@ section`` blocks)."""
    header, _, rest = text.partition("\n@@@ ")
    cases = []
    for block in rest.split("\n@@@ "):
        name, _, body = block.partition("\n")
        sections: dict[str, list[str]] = {}
        current = ""
        for line in body.split("\n"):
            if line.startswith("@@ "):
                current = line[3:]
                sections[current] = []
            else:
                sections[current].append(line)
        (where,) = [k for k in sections if k.startswith("in ")]
        rel, _, first = where[3:].rpartition(":")
        links = [line for line in sections["links"] if line]
        cases.append(Case(name, rel, int(first), "\n".join(sections["markdown"]) + "\n",
                          "\n".join(sections["html"]), links))
    return header.split("\n"), cases


def actual(case: Case) -> tuple[str, list[str]]:
    body = render_body(case.markdown, case.rel, case.line, BASE_PATH)
    links = [f"{link.target}:{link.line}" for link in body.links]
    links += [f"removed {link.target}:{link.line}" for link in body.removed]
    return body.html.rstrip("\n"), links


def dump(header: list[str], cases: list[Case]) -> str:
    out = ["\n".join(header).rstrip("\n"), ""]
    for case in cases:
        html, links = actual(case)
        out += [f"@@@ {case.name}", f"@@ in {case.rel}:{case.line}", "@@ markdown",
                case.markdown.rstrip("\n"), "@@ html", html, "@@ links", *links, ""]
    return "\n".join(out)


HEADER, CASES = parse(FIXTURE.read_text(encoding="utf-8"))


def test_fixture_file_is_current(update_goldens):
    """Parsing and dumping round-trips, so ``--update-goldens`` rewrites only outputs."""
    if update_goldens:
        FIXTURE.write_text(dump(HEADER, CASES), encoding="utf-8")
    assert len(CASES) >= 15 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_markdown_case(case):
    html, links = actual(case)
    assert html == case.html
    assert links == case.links
