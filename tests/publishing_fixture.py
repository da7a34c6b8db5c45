"""A fixture site with every entry kind and relation, for the publishing tests.

MINIMAL (conftest) plus: a person with a right-to-left name, a dated web source with a URL
and an archive copy, a claim whose text tries to break out of ``<script>``, a Persian denial,
a page outside the menu reached from a body link, and enough claims to paginate lists.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import MINIMAL

BULK = 51
"""Claims added so that the claim list, a rating list and a tag list get a second page."""

EXTRA: dict[str, str] = {
    "actors/ali-spokesman.md": """\
        ---
        name: علی رضایی
        name_language: fa
        kind: person
        role: spokesman
        country: IR
        affiliation: iran-fm
        ---
        """,
    "sources/web-report.md": """\
        ---
        title: A web report <with> "markup" & ampersands
        kind: media-report
        publisher: nsc
        date: 2022-10-21
        url: https://example.com/report?a=1&b=2
        archive_url: https://archive.example.org/report
        language: en
        ---
        """,
    "claims/script-breaker.md": """\
        ---
        title: "A claim with </script><!-- & \\"quotes\\" in it"
        statement: "Text with </script> and a line\\u2028separator and <b>tags</b>."
        claimant: ali-spokesman
        date: 2022-11
        sources: [web-report, kirby-remarks]
        rating: "true"
        rating_explanation: "Confirmed & <checked>\\u2029twice."
        evidence: documented
        tags: [drones]
        updates:
          - {date: 2026-11-22, note: "First published </script>."}
        reviewed: 2026-11-22
        ---
        Read the [report](../sources/web-report.md).
        """,
    "denials/persian-denial.md": """\
        ---
        title: A denial quoted in Persian
        actor: ali-spokesman
        date: 2022-11-02
        quote: "ایران هیچ سلاحی به روسیه نداده است."
        quote_language: fa
        answers: [script-breaker]
        sources: [web-report]
        ---
        """,
    "pages/about-data.md": """\
        ---
        title: About our data
        ---
        The [claims](../claims/uav-pilots.md) and their ratings.
        """,
    "pages/methodology.md": """\
        ---
        title: Methodology
        menu: 1
        ---
        How we work; see also [about our data](about-data.md).
        """,
}


def bulk_claim(number: int) -> str:
    return f"""\
        ---
        title: Bulk claim number {number}
        statement: Statement number {number}.
        claimant: nsc
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: Contradicted by the cited remarks.
        evidence: partial
        tags: [bulk]
        updates:
          - {{date: 2026-10-{1 + number % 28:02d}, note: First published.}}
        reviewed: 2026-11-{1 + number % 27:02d}
        ---
        """


def files() -> dict[str, str]:
    result = {**MINIMAL, **EXTRA}
    for number in range(1, BULK + 1):
        result[f"claims/bulk-{number:02d}.md"] = bulk_claim(number)
    return result


def write(content: Path) -> Path:
    """Write the fixture site into ``content`` and return it."""
    for rel, text in files().items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content
