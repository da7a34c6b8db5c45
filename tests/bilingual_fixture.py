"""An English site with a Persian edition (``languages: [en, fa]``), for the multilingual
tests: one claim and one denial translated (``x.fa.md``), one claim left untranslated
(shown in English in the Persian edition, with a note), the scale in Persian from
``site.yaml``, and a Persian body linking to a translated claim (stays in /fa/).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.rtl_fixture import ENGLISH_STATEMENT, PERSIAN_TRANSLATION

SITE_YAML = """\
title: Test Check
description: A test site in two languages.
base_url: https://example.org/
language: en
languages: [en, fa]
translations:
  fa:
    title: راستی‌آزمایی آزمایشی
    description: سایتی آزمایشی به دو زبان.
    ratings:
      "false": {label: نادرست, description: شواهد خلاف آن را نشان می‌دهد.}
      unsubstantiated: {label: بی‌پشتوانه, description: شاهدی قابل بررسی ارائه نشده است.}
organisation:
  name: Test desk
ratings:
  - {key: "false", label: "False", description: Contradicted by the evidence., value: 1}
  - {key: unsubstantiated, label: Unsubstantiated, description: No checkable evidence., value: 3}
  - {key: "true", label: "True", description: Supported by the evidence., value: 5}
build_date: 2026-11-28
"""

VERBATIM = ENGLISH_STATEMENT
OUR_TRANSLATION = PERSIAN_TRANSLATION

FILES: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "actors/john-kirby.md": """\
        ---
        name: John Kirby
        kind: person
        ---
        """,
    "actors/john-kirby.fa.md": """\
        ---
        name: جان کربی
        ---
        """,
    "sources/kirby-remarks.md": """\
        ---
        title: Kirby's remarks
        kind: official-statement
        publisher: john-kirby
        date: 2022-10
        url: https://example.org/remarks
        ---
        """,
    "claims/uav-pilots.md": f"""\
        ---
        title: Russian personnel pilot Iranian drones in Crimea
        statement: "{VERBATIM}"
        verbatim: true
        claimant: john-kirby
        date: 2022-10-20
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: No evidence was presented.
        evidence: none
        tags: [drones]
        reviewed: 2026-11-27
        ---
        Kirby said so; see [the other claim](weapons.md).
        """,
    "claims/uav-pilots.fa.md": f"""\
        ---
        title: نیروهای روسی در کریمه پهپادهای ایرانی را هدایت می‌کنند
        translation: "{OUR_TRANSLATION}"
        translation_note: ترجمهٔ ما از نقل‌قول انگلیسی.
        rating_explanation: هیچ شاهدی ارائه نشد.
        ---
        کربی چنین گفت؛ [ادعای دیگر](weapons.md) را ببینید.
        """,
    "claims/weapons.md": """\
        ---
        title: Iran sends weapons to Russia
        statement: Iran is sending weapons to Russia.
        claimant: john-kirby
        date: 2022-10
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: The evidence says otherwise.
        evidence: partial
        tags: [drones]
        reviewed: 2026-11-21
        ---
        """,
    "denials/iran-denial.md": """\
        ---
        title: Iran denies
        actor: john-kirby
        date: 2022-10-21
        quote: We have not supplied weapons.
        answers: [uav-pilots, weapons]
        sources: [kirby-remarks]
        ---
        """,
    "denials/iran-denial.fa.md": """\
        ---
        title: ایران تکذیب می‌کند
        translation: ما سلاحی نداده‌ایم.
        ---
        """,
}


def write(content: Path, files: dict[str, str] | None = None) -> Path:
    """Write the fixture site into ``content`` and return it."""
    for rel, text in (files or FILES).items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content
