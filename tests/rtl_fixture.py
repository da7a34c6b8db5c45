"""A Persian-language fixture site (``language: fa``), for the right-to-left tests.

Persian titles and interface, a Latin name inside a Persian sentence (a paraphrased
statement), an English verbatim statement with our Persian translation beside it, a
Persian quote, an English source title, and dates at each precision (day, month, year).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

SITE_YAML = """\
title: راستی‌آزمایی آزمایشی
description: سایتی آزمایشی برای راستی‌آزمایی به فارسی.
language: fa
contact: https://example.org/contact
organisation:
  name: میز آزمایشی
  url: https://example.org/
ratings:
  - {key: "false", label: نادرست, description: شواهد خلاف آن را نشان می‌دهد., value: 1}
  - {key: unsubstantiated, label: بی‌پشتوانه, value: 3,
     description: شاهدی قابل بررسی ارائه نشده است.}
  - {key: "true", label: درست, description: شواهد آن را تأیید می‌کند., value: 5}
build_date: 2026-11-28
"""

LATIN_NAME_SENTENCE = "به گفتهٔ John Kirby، ایران برای جنگ اوکراین به روسیه سلاح می‌فرستد."
PERSIAN_QUOTE = "ایران هیچ سلاحی برای استفاده در جنگ اوکراین به روسیه نداده است."
ENGLISH_STATEMENT = "We can confirm that Russian military personnel have been piloting Iranian UAVs"
PERSIAN_TRANSLATION = "می‌توانیم تأیید کنیم که نیروهای نظامی روسیه پهپادهای ایرانی را هدایت کرده‌اند"

FILES: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "actors/john-kirby.md": """\
        ---
        name: John Kirby
        name_language: en
        kind: person
        role: هماهنگ‌کنندهٔ ارتباطات راهبردی
        ---
        سخنگوی آمریکایی.
        """,
    "actors/iran-fm.md": """\
        ---
        name: وزارت امور خارجهٔ ایران
        kind: ministry
        ---
        """,
    "sources/kirby-remarks.md": """\
        ---
        title: Kirby's remarks at the White House
        kind: official-statement
        publisher: john-kirby
        date: 2022-10
        url: https://example.org/remarks
        archive_url: https://archive.example.org/remarks
        language: en
        ---
        """,
    "sources/fm-statement.md": """\
        ---
        title: بیانیهٔ وزارت امور خارجه
        kind: official-statement
        publisher: iran-fm
        date: 2022-10-21
        language: fa
        ---
        """,
    "claims/uav-pilots.md": f"""\
        ---
        title: نیروهای روسی در کریمه پهپادهای ایرانی را هدایت می‌کنند
        statement: "{ENGLISH_STATEMENT}"
        statement_language: en
        verbatim: true
        translation: "{PERSIAN_TRANSLATION}"
        translation_note: واژهٔ UAV را «پهپاد» ترجمه کرده‌ایم.
        claimant: john-kirby
        date: 2022-10-20
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: هیچ شاهدی ارائه نشد.
        evidence: none
        tags: [drones]
        countries: [IR, RU]
        updates:
          - {{date: 2026-11-20, note: نخستین انتشار.}}
        reviewed: 2026-11-27
        ---
        [کربی](../actors/john-kirby.md) چنین گفت.
        """,
    "claims/weapons.md": f"""\
        ---
        title: ایران به روسیه سلاح می‌فرستد
        statement: "{LATIN_NAME_SENTENCE}"
        claimant: john-kirby
        date: 2022-10
        sources: [kirby-remarks]
        rating: "false"
        rating_explanation: شواهد موجود خلاف آن است.
        evidence: partial
        tags: [drones]
        reviewed: 2026-11-21
        ---
        """,
    "claims/old-claim.md": """\
        ---
        title: ادعایی قدیمی
        statement: ادعایی که فقط سالش معلوم است.
        claimant: iran-fm
        date: 2021
        sources: [fm-statement]
        rating: "true"
        rating_explanation: تأیید شد.
        evidence: documented
        reviewed: 2026-11-21
        ---
        """,
    "denials/iran-denial.md": f"""\
        ---
        title: ایران تکذیب می‌کند
        actor: iran-fm
        date: 2022-10-21
        quote: "{PERSIAN_QUOTE}"
        answers: [uav-pilots, weapons]
        sources: [fm-statement]
        ---
        """,
    "pages/methodology.md": """\
        ---
        title: روش‌شناسی
        menu: 1
        ---
        روش کار ما.
        """,
}


def write(content: Path, files: dict[str, str] | None = None) -> Path:
    """Write the fixture site into ``content`` and return it."""
    for rel, text in (files or FILES).items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content
