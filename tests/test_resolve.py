"""Resolve stage: the site index, backlinks both ways, and whole-site errors."""

from __future__ import annotations

from generator.build import load


def codes(result) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in result.diagnostics if d.is_error]


def test_backlinks(site_factory):
    project = site_factory()
    result = project.check()
    assert result.ok, [d.format() for d in result.diagnostics]
    index = result.index
    claim = index.get("claims", "uav-pilots")
    second = index.get("claims", "second-claim")
    kirby = index.get("actors", "john-kirby")
    assert [d.slug for d in index.denials_of(claim)] == ["iran-denial"]
    assert [e.slug for e in index.citing(index.get("sources", "kirby-remarks"))] == [
        "second-claim", "uav-pilots"]
    assert [c.slug for c in index.claims_by(kirby)] == ["second-claim", "uav-pilots"]
    assert [a.slug for a in index.members(index.get("actors", "nsc"))] == ["john-kirby"]
    assert [s.slug for s in index.sources_by(index.get("actors", "nsc"))] == ["kirby-remarks"]
    assert [e.slug for e in index.mentioned_by(kirby)] == ["uav-pilots"]
    # related is declared on one side only and shown on both
    assert [c.slug for c in index.related_claims(claim)] == ["second-claim"]
    assert [c.slug for c in index.related_claims(second)] == ["uav-pilots"]
    assert list(index.tags()) == ["crimea", "drones"]


def test_claims_are_ordered_newest_first(site_factory):
    index = site_factory().check().index
    # second-claim has no updates log: its review date (2026-11-21) counts as publication
    assert [c.slug for c in index.claims()] == ["second-claim", "uav-pilots"]


def test_dangling_and_wrong_kind_references(site_factory):
    project = site_factory({
        "denials/iran-denial.md": """\
            ---
            title: Iran denies
            actor: iran-fm
            quote: "No."
            answers: [uav-pilot, kirby-remarks]
            sources: [denial-statement]
            ---
            """,
    })
    result = project.check()
    assert codes(result) == [("content/denials/iran-denial.md", 5, "unknown-reference"),
                             ("content/denials/iran-denial.md", 5, "wrong-kind")]
    unknown = result.diagnostics[0]
    assert unknown.hint == "did you mean 'uav-pilots'?"
    assert "'kirby-remarks' is a source, not a claim" in result.diagnostics[1].message


def test_unknown_rating_with_hint(site_factory):
    project = site_factory({"claims/second-claim.md": """\
        ---
        title: Iran sends weapons
        statement: x
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: unsubstantiatd
        rating_explanation: x
        evidence: none
        reviewed: 2026-11-21
        ---
        """})
    result = project.check()
    assert codes(result) == [("content/claims/second-claim.md", 6, "unknown-rating")]
    assert result.diagnostics[0].hint == (
        "did you mean 'unsubstantiated'? use one of the keys: false (False), "
        "unsubstantiated (Unsubstantiated), true (True)")


def test_broken_body_link(site_factory):
    project = site_factory({"actors/nsc.md": """\
        ---
        name: National Security Council
        kind: organisation
        ---
        Its spokesman is [Kirby](john-kirbi.md).
        """})
    result = project.check()
    assert codes(result) == [("content/actors/nsc.md", 5, "broken-link")]
    # Relative to the linking file (actors/), so that pasting it works.
    assert result.diagnostics[0].hint == "did you mean 'john-kirby.md'?"


def test_duplicate_slug_and_url_collision(site_factory):
    nfc, nfd = "caf\u00e9", "cafe\u0301"  # the same name as two different byte strings
    project = site_factory({
        f"actors/{nfc}.md": "---\nname: One\nkind: person\n---\n",
        f"actors/{nfd}.md": "---\nname: Two\nkind: person\n---\n",
        "pages/claims.md": "---\ntitle: Claims page\n---\n",
    })
    found = [d.code for d in project.check().diagnostics if d.is_error]
    assert sorted(found) == ["duplicate-slug", "url-collision"]


def test_drafts_are_excluded_and_references_to_them_reported(site_factory):
    project = site_factory({"denials/iran-denial.md": """\
        ---
        title: Iran denies
        actor: iran-fm
        quote: "No."
        answers: [uav-pilots]
        sources: [denial-statement]
        draft: true
        ---
        """, "sources/denial-statement.md": """\
        ---
        title: Statement
        kind: official-statement
        draft: true
        ---
        """})
    result = project.check()
    assert result.ok
    assert "iran-denial" not in result.index.entries["denials"]
    with_drafts = load(project.options(drafts=True))
    assert "iran-denial" in with_drafts.index.entries["denials"]

    project.write("claims/uses-draft.md", """\
        ---
        title: Uses a draft
        statement: x
        claimant: john-kirby
        sources: [denial-statement]
        rating: "false"
        rating_explanation: x
        evidence: none
        reviewed: 2026-11-21
        ---
        """)
    assert codes(project.check()) == [("content/claims/uses-draft.md", 5, "draft-reference")]


def test_relative_link_to_a_file_that_is_not_published(site_factory):
    project = site_factory({"actors/nsc.md": """\
        ---
        name: National Security Council
        kind: organisation
        ---
        See [the report](report.pdf) and [all claims](/claims/).
        """})
    result = project.check()
    assert codes(result) == [("content/actors/nsc.md", 5, "broken-link")] * 2
    assert "is not an entry file" in result.diagnostics[0].message
