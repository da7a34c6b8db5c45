"""``factcheck publish``: the pure line edit, the pipeline check, and the command."""

from __future__ import annotations

import datetime
import json

import pytest
from bs4 import BeautifulSoup

from generator.publish import publish_text

DAY = datetime.date(2026, 11, 28)
FIRST = "updates:\n  - date: 2026-11-28\n    note: First published.\n"

DRAFT = """\
---
title: Iran sends drones  # neutral
statement: Iran sends drones.
claimant: john-kirby
rating: "false"
evidence: none
draft: true  # publish removes this
---
Body.
"""


def test_a_claim_gets_its_publication_dates_where_draft_was():
    done, problems = publish_text(DRAFT, "claims", DAY)
    assert not problems
    assert done.text == DRAFT.replace("draft: true  # publish removes this\n",
                                      FIRST + "reviewed: 2026-11-28\n")
    again, _ = publish_text(done.text, "claims", DAY)
    assert again.text == done.text and again.changes == ()


def test_crlf_and_bom_are_kept():
    text = "\ufeff" + DRAFT.replace("\n", "\r\n")
    done, problems = publish_text(text, "claims", DAY)
    assert not problems and done.text.startswith("\ufeff---\r\n")
    assert "\n" not in done.text.replace("\r\n", "")
    assert "  - date: 2026-11-28\r\n    note: First published.\r\n" in done.text


@pytest.mark.parametrize(("before", "after", "added"), [
    ("updates:  # what changed\nreviewed:  # when\n",
     "updates:  # what changed\n  - date: 2026-11-28\n    note: First published.\n"
     "reviewed: 2026-11-28  # when\n", ""),
    ('updates: []\nreviewed: ""\n', FIRST + "reviewed: 2026-11-28\n", ""),
    ("updates:\n  - date: 2026-10-01\n    note: Published then.\nreviewed: 2026-11-01\n",
     "updates:\n  - date: 2026-10-01\n    note: Published then.\nreviewed: 2026-11-01\n", ""),
    ("updates: [{date: 2026-10-01, note: Published then.}]\n",
     "updates: [{date: 2026-10-01, note: Published then.}]\n", "reviewed: 2026-11-28\n"),
    ("reviewed: 2026-11-01  # the writer's\n", "reviewed: 2026-11-01  # the writer's\n", FIRST),
])
def test_updates_and_reviewed_are_filled_only_when_empty(before, after, added):
    """Filled in place when present and empty; added where 'draft' was when absent."""
    text = DRAFT.replace("evidence: none\n", "evidence: none\n" + before)
    done, problems = publish_text(text, "claims", DAY)
    assert not problems
    assert done.text == DRAFT.replace("evidence: none\n", "evidence: none\n" + after) \
        .replace("draft: true  # publish removes this\n", added)


def test_other_kinds_lose_only_the_draft_line():
    text = "---\nname: John\nkind: person\ndraft: true\n---\n"
    done, _ = publish_text(text, "actors", DAY)
    assert done.text == "---\nname: John\nkind: person\n---\n"


def test_flow_front_matter_is_reported_not_mangled():
    text = "---\n{title: X, kind: other, draft: true}\n---\n"
    done, problems = publish_text(text, "sources", DAY)
    assert done.text == text and [d.code for d in problems] == ["cannot-publish"]


# The command ---------------------------------------------------------------------------------

COMPLETE = """\
---
title: Iran sends drones
statement: Iran sends drones.
claimant: john-kirby
sources:  # where it appeared
  - kirby-remarks
rating: "false"
rating_explanation: Contradicted.
evidence: none
updates:  # factcheck publish adds the first one
reviewed:  # set by publish
draft: true  # factcheck publish removes this line
---
Body.
"""


def test_an_incomplete_draft_is_refused_and_unchanged(site_factory):
    project = site_factory()
    done = project.cli("new", "claim", "Iran sends drones")
    path = project.root / done.stdout.strip()
    before = path.read_bytes()
    done = project.cli("publish", str(path))
    assert done.returncode == 1 and "nothing published" in done.stderr
    lines = path.read_text().splitlines()
    for field in ("statement", "claimant", "rating", "evidence"):
        line = next(n for n, text in enumerate(lines, 1) if text.startswith(f"{field}:"))
        # The empty line is named, not called missing (it is there), and the hint says fill it.
        assert (f":{line}: error[missing-field]: required field '{field}' is empty "
                f"(write its value after '{field}:' on this line)") in done.stderr
    assert "4 errors, 0 warnings: nothing published" in done.stderr
    assert path.read_bytes() == before


def test_publish_then_build_shows_the_entry_dated_by_publication(site_factory):
    project = site_factory({"claims/iran-drones.md": COMPLETE})
    done = project.cli("publish", "content/claims/iran-drones.md", "--date", "2026-11-25")
    assert done.returncode == 0, done.stderr
    assert "published content/claims/iran-drones.md" in done.stdout
    text = (project.content / "claims/iran-drones.md").read_text()
    assert "draft" not in text and "# where it appeared" in text
    assert "  - date: 2026-11-25\n    note: First published.\n" in text
    assert "reviewed: 2026-11-25  # set by publish" in text
    built = project.cli("build", "--base-url", "https://example.org/")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup(project.page("claims/iran-drones"), "html.parser")
    review = json.loads(page.find("script", type="application/ld+json").string)
    assert review["datePublished"] == "2026-11-25"
    again = project.cli("publish", "content/claims/iran-drones.md")
    assert again.returncode == 0 and "already published, nothing changed" in again.stdout
    assert (project.content / "claims/iran-drones.md").read_text() == text


def test_the_whole_site_is_checked_and_nothing_is_written_on_any_error(site_factory):
    """A claimant naming no actor, and a source still a draft (named with its file)."""
    source = "---\ntitle: New report\nkind: article\ndraft: true\n---\n"
    bad = COMPLETE.replace("claimant: john-kirby", "claimant: kirby") \
        .replace("  - kirby-remarks", "  - new-report")
    project = site_factory({"claims/bad.md": bad, "claims/good.md": COMPLETE,
                            "sources/new-report.md": source})
    paths = ["content/claims/good.md", "content/claims/bad.md"]
    before = [(project.root / p).read_bytes() for p in paths]
    done = project.cli("publish", *paths)
    assert done.returncode == 1
    assert "content/claims/bad.md:4: error[unknown-reference]" in done.stderr
    assert "did you mean 'john-kirby'?" in done.stderr
    assert "content/claims/bad.md:6: error[draft-reference]" in done.stderr
    assert "content/sources/new-report.md" in done.stderr
    assert done.stderr.count("content/sources/new-report.md") == 2  # message, pasteable hint
    assert [(project.root / p).read_bytes() for p in paths] == before
    fixed = project.cli("publish", "content/claims/bad.md", "content/sources/new-report.md",
                        "content/claims/good.md")
    assert "unknown-reference" in fixed.stderr and "draft-reference" not in fixed.stderr


def test_a_path_outside_the_content_is_an_error(site_factory, tmp_path):
    project = site_factory()
    stray = tmp_path / "stray.md"
    stray.write_text(COMPLETE)
    done = project.cli("publish", str(stray))
    assert done.returncode == 1 and "not-an-entry" in done.stderr
    assert stray.read_text() == COMPLETE


def test_bad_date_is_a_usage_error(site_factory):
    done = site_factory().cli("publish", "content/claims/uav-pilots.md", "--date", "28.11.2026")
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr


def test_load_texts_stand_in_for_the_file_and_are_not_cached(site_factory):
    from generator.build import Cache, load
    from generator.read import discover

    project = site_factory()
    cache = Cache()
    found = discover(project.content)
    path = next(f.path for f in found[0] if f.slug == "second-claim")
    text = path.read_bytes().replace(b"claimant: john-kirby", b"claimant: nobody")
    changed = load(project.options(), cache, discovered=found, texts={path: text})
    assert "unknown-reference" in {d.code for d in changed.diagnostics}
    again = load(project.options(), cache, discovered=found)
    assert again.ok and "unknown-reference" not in {d.code for d in again.diagnostics}
