"""Publisher lint: one case per warning, and --strict turning warnings into a failure."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import PYTHON, ROOT, SITE_YAML

BASE = "https://example.org/"


def claim(title: str = "Iran sends weapons", extra: str = "", sources: str = "[kirby-remarks]",
          explanation: str = "rating_explanation: Contradicted.",
          reviewed: str = "2026-11-21") -> str:
    lines = [f'title: "{title}"', "statement: Iran sends weapons to Russia.",
             "claimant: john-kirby", "rating: \"false\"", "evidence: partial",
             f"reviewed: {reviewed}"]
    if sources:
        lines.append(f"sources: {sources}")
    if explanation:
        lines.append(explanation)
    if extra:
        lines.append(extra)
    return "---\n" + "\n".join(lines) + "\n---\n"


def warnings(project, **options) -> list[tuple[str, int, str]]:
    result = project.check(**options)
    assert result.ok, [d.format() for d in result.diagnostics]
    return [(d.path, d.line, d.code) for d in result.diagnostics if not d.is_error]


def test_a_complete_site_with_a_domain_gets_no_warning(site_factory):
    assert warnings(site_factory(), base_url=BASE) == []


def test_no_domain_warns_once_at_base_url(site_factory):
    project = site_factory({"site.yaml": SITE_YAML + "base_url: /factcheck/\n"})
    assert warnings(project) == [("content/site.yaml", 11, "no-domain")]


@pytest.mark.parametrize(("text", "code", "line"), [
    (claim(sources=""), "no-source", 1),
    (claim(sources="[]"), "no-source", 8),
    (claim(explanation=""), "no-rating-explanation", 5),
    (claim(title="A" * 76), "claim-too-long", 2),
    (claim(title="It is false that Iran sends weapons"), "verdict-in-claim", 2),
    (claim(title="Unsubstantiated: Iran sends weapons"), "verdict-in-claim", 2),
    (claim(reviewed="2025-11-27"), "stale-review", 7),
])
def test_each_claim_warning(site_factory, text, code, line):
    project = site_factory({"claims/second-claim.md": text})
    assert warnings(project, base_url=BASE) == [("content/claims/second-claim.md", line, code)]


def test_review_threshold_comes_from_site_yaml(site_factory):
    project = site_factory({"claims/second-claim.md": claim(reviewed="2026-10-28")})
    assert warnings(project, base_url=BASE) == []
    project.write("site.yaml", (project.content / "site.yaml").read_text()
                  + "review_after_days: 30\n")
    assert warnings(project, base_url=BASE) == [
        ("content/claims/second-claim.md", 7, "stale-review")]


def test_source_url_without_archive(site_factory):
    project = site_factory({"sources/web.md": """\
        ---
        title: Web page
        kind: article
        url: https://example.com/page
        ---
        """})
    assert warnings(project, base_url=BASE) == [("content/sources/web.md", 4, "no-archive")]


@pytest.mark.parametrize("page", ["methodology", "corrections"])
def test_missing_policy_pages(site_factory, page):
    project = site_factory({f"pages/{page}.md": None})
    assert warnings(project, base_url=BASE) == [("content/site.yaml", 0, f"missing-{page}")]


def test_a_claim_without_sources_or_explanation_still_builds(site_factory):
    project = site_factory({"claims/second-claim.md": claim(sources="", explanation="")})
    result = project.build(base_url=BASE)
    assert result.ok
    page = project.page("claims/second-claim")
    assert "No source is recorded for this claim." in page
    assert 'class="verdict-why"' not in page


def cli(project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "generator", *args, "--content", str(project.content),
                           "--templates", str(project.templates)],
                          capture_output=True, text=True, cwd=project.root, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_strict_turns_warnings_into_exit_1(site_factory):
    project = site_factory({"claims/second-claim.md": claim(title="A" * 80)})
    plain = cli(project, "check", "--base-url", BASE)
    assert plain.returncode == 0
    assert "content/claims/second-claim.md:2: warning[claim-too-long]" in plain.stderr
    strict = cli(project, "check", "--strict", "--base-url", BASE)
    assert strict.returncode == 1
    assert "warning[claim-too-long]" in strict.stderr
    out = project.root / "strict-site"
    built = cli(project, "build", "--strict", "--base-url", BASE, "--out", str(out))
    assert built.returncode == 1 and not out.exists()
    clean = site_factory()
    assert cli(clean, "check", "--strict", "--base-url", BASE).returncode == 0


def test_review_date_in_the_future_is_flagged(site_factory):
    project = site_factory()
    path = project.content / "claims" / "second-claim.md"
    path.write_text(path.read_text().replace("reviewed: 2026-11-21", "reviewed: 2027-11-21"))
    found = [(d.path, d.line, d.code) for d in project.check().diagnostics]
    assert ("content/claims/second-claim.md", 10, "future-date") in found
