"""End to end: build fixture sites in tmp_path and read the HTML they produce."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bs4 import BeautifulSoup


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def hrefs(html: str) -> set[str]:
    return {a["href"] for a in soup(html).find_all("a", href=True)}


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_minimal_site_builds(site_factory):
    project = site_factory()
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (project.out / "index.html").is_file()
    assert (project.out / "claims" / "uav-pilots" / "index.html").is_file()


def test_claim_page_shows_verdict_denials_sources_and_body_in_order(site_factory):
    project = site_factory()
    assert project.build().ok
    page = soup(project.page("claims/uav-pilots"))
    assert len(page.find_all("h1")) == 1
    assert page.h1.get_text() == "Russian personnel in Crimea pilot Iranian UAVs"
    text = page.main.get_text(" ", strip=True)
    order = [text.index(s) for s in ("Unsubstantiated", "Iran has not and will not",
                                     "Kirby's remarks", "said so")]
    assert order == sorted(order)
    links = hrefs(project.page("claims/uav-pilots"))
    assert {"/denials/iran-denial/", "/sources/kirby-remarks/", "/actors/john-kirby/",
            "/sources/denial-statement/", "/ratings/unsubstantiated/", "/tags/drones/",
            "/claims/second-claim/"} <= links


def test_cross_links_both_ways(site_factory):
    project = site_factory()
    assert project.build().ok
    denial = hrefs(project.page("denials/iran-denial"))
    assert {"/claims/uav-pilots/", "/claims/second-claim/", "/actors/iran-fm/",
            "/sources/denial-statement/"} <= denial
    source = hrefs(project.page("sources/kirby-remarks"))
    assert {"/claims/uav-pilots/", "/claims/second-claim/", "/actors/nsc/"} <= source
    assert "https://example.org/remarks" in source
    assert "/denials/iran-denial/" in hrefs(project.page("sources/denial-statement"))
    actor = hrefs(project.page("actors/john-kirby"))
    assert {"/claims/uav-pilots/", "/claims/second-claim/", "/actors/nsc/"} <= actor
    fm = hrefs(project.page("actors/iran-fm"))
    assert {"/denials/iran-denial/", "/sources/denial-statement/"} <= fm
    nsc = hrefs(project.page("actors/nsc"))
    assert {"/actors/john-kirby/", "/sources/kirby-remarks/"} <= nsc
    assert "/claims/uav-pilots/" in hrefs(project.page("ratings/unsubstantiated"))
    assert "/claims/uav-pilots/" in hrefs(project.page("tags/crimea"))
    assert "/claims/uav-pilots/" in hrefs(project.page(""))


def test_every_page_kind_is_built(site_factory):
    project = site_factory()
    result = project.build()
    expected = {"index.html", "404.html", "static/style.css", "claims/index.html",
                "denials/index.html", "sources/index.html", "actors/index.html",
                "ratings/index.html", "ratings/false/index.html", "tags/index.html",
                "tags/drones/index.html", "methodology/index.html", "corrections/index.html",
                "claims/uav-pilots/index.html", "denials/iran-denial/index.html",
                "sources/kirby-remarks/index.html", "actors/john-kirby/index.html"}
    assert expected <= set(result.files)
    assert expected <= {p.relative_to(project.out).as_posix() for p in project.out.rglob("*")}


def test_no_broken_internal_link_at_root_and_under_a_subpath(site_factory):
    from tests.sitecheck import broken_links

    project = site_factory()
    assert project.build().ok
    assert broken_links(project.out, "/") == []
    assert project.build(base_url="https://example.org/factcheck/").ok
    assert broken_links(project.out, "/factcheck/") == []
    assert "/factcheck/claims/uav-pilots/" in hrefs(project.page(""))
    assert not any(h.startswith("/claims") for h in hrefs(project.page("claims/uav-pilots")))


def test_404_page_links_work_from_any_depth(site_factory):
    project = site_factory()
    assert project.build(base_url="/factcheck/").ok
    page = (project.out / "404.html").read_text()
    assert hrefs(page) >= {"/factcheck/", "/factcheck/claims/"}
    assert soup(page).find("link", rel="stylesheet")["href"] == "/factcheck/static/style.css"


def test_drafts_only_with_the_flag(site_factory):
    project = site_factory({"claims/draft-claim.md": """\
        ---
        title: A draft claim
        statement: x
        claimant: john-kirby
        sources: [kirby-remarks]
        rating: unsubstantiated
        rating_explanation: x
        evidence: none
        reviewed: 2026-11-21
        draft: true
        ---
        """})
    assert project.build().ok
    assert not (project.out / "claims" / "draft-claim").exists()
    assert "draft-claim" not in project.page("claims")
    assert project.build(drafts=True).ok
    assert "Draft" in project.page("claims/draft-claim")
    assert "/claims/draft-claim/" in hrefs(project.page("actors/john-kirby"))


def test_failed_build_leaves_previous_site_intact_and_no_temp_folder(site_factory):
    project = site_factory()
    assert project.build().ok
    before = tree_digest(project.out)
    project.write("claims/second-claim.md", "---\ntitle: [broken\n---\n")
    result = project.build()
    assert not result.ok
    assert tree_digest(project.out) == before
    assert sorted(p.name for p in project.root.iterdir()  # the build cache may stay
                  if p.name != ".factcheck-cache") == ["content", "site"]


def test_template_error_leaves_site_intact(site_factory, tmp_path):
    import shutil

    project = site_factory()
    assert project.build().ok
    before = tree_digest(project.out)
    templates = tmp_path / "templates"
    shutil.copytree(project.templates, templates)
    (templates / "claim.html").write_text("{% extends 'base.html' %}{% block main %}"
                                          "\n{{ claim.nonexistent_field }}{% endblock %}")
    result = project.build(templates=templates)
    assert [(d.path, d.line, d.code) for d in result.diagnostics if d.is_error] == [
        ("templates/claim.html", 2, "template-error")]
    assert tree_digest(project.out) == before


def test_two_builds_are_byte_identical(site_factory, tmp_path):
    project = site_factory()
    assert project.build().ok
    first = tree_digest(project.out)
    assert project.build(out=tmp_path / "again").ok
    assert tree_digest(tmp_path / "again") == first


def test_build_is_independent_of_file_order_and_cwd(site_factory, tmp_path, monkeypatch):
    project = site_factory()
    assert project.build().ok
    first = tree_digest(project.out)
    monkeypatch.chdir("/")
    assert project.build(out=tmp_path / "elsewhere").ok
    assert tree_digest(tmp_path / "elsewhere") == first


def test_output_folder_may_not_contain_the_inputs(site_factory):
    project = site_factory()
    result = project.build(out=project.root)
    assert [d.code for d in result.diagnostics if d.is_error] == ["output"]
    assert (project.content / "site.yaml").exists()


def test_cli_build_and_check(site_factory):
    project = site_factory()
    done = project.cli("build")
    assert done.returncode == 0, done.stderr
    assert (project.out / "index.html").is_file()
    done = project.cli("check")
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_cli_reports_every_error_at_once_with_path_and_line(site_factory):
    project = site_factory()
    project.write("claims/second-claim.md", """\
        ---
        title: Iran sends weapons
        statement: Iran sends weapons to Russia.
        claimant: john-kirbi
        sources: [kirby-remarks]
        rating: fals
        rating_explanation: Contradicted.
        evidence: partial
        reviewed: 2026-02-30
        ---
        """)
    project.write("actors/nsc.md", "---\nname: NSC\nkind: organisation\nrole: [a]\n---\n")
    for command in ("build", "check"):
        done = project.cli(command)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        lines = [line for line in done.stderr.splitlines() if ": error[" in line]
        assert [line.split(" ")[0] + line.split(" ")[1].split("]")[0] + "]" for line in lines] == [
            "content/actors/nsc.md:4:error[wrong-type]",
            # The claim's field error does not hide its references' errors: one run.
            "content/claims/second-claim.md:4:error[unknown-reference]",
            "content/claims/second-claim.md:6:error[unknown-rating]",
            "content/claims/second-claim.md:9:error[impossible-date]",
        ]
    project.write("claims/second-claim.md", (project.content / "claims/second-claim.md")
                  .read_text().replace("2026-02-30", "2026-02-28"))
    project.write("actors/nsc.md", "---\nname: NSC\nkind: organisation\n---\n")
    done = project.cli("check")
    assert done.returncode == 1
    assert "content/claims/second-claim.md:4: error[unknown-reference]: claimant: no actor " \
        "'john-kirbi' (did you mean 'john-kirby'?)" in done.stderr
    assert "content/claims/second-claim.md:6: error[unknown-rating]" in done.stderr


def test_contact_link_in_every_footer(site_factory):
    project = site_factory({"site.yaml": (site_factory().content / "site.yaml").read_text()
                            + "contact: https://example.org/contact\n"})
    assert project.build().ok
    for page in ("", "claims/uav-pilots", "corrections"):
        assert "https://example.org/contact" in hrefs(project.page(page))
