"""Template overrides over the built-in theme, static files, the project root and its cache,
``factcheck init`` and ``factcheck theme``: end-to-end builds of small projects in tmp_path."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import Options, build, failed
from generator.cli import main
from generator.theme import Theme, builtin_folder
from tests.conftest import MINIMAL, PYTHON, ROOT, TEMPLATES, Project

DOCS = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")

LOGO_BASE = """\
{% extends "theme/base.html" %}
{% block brand %}
<a class="brand" href="{{ url('') }}">
  <img src="{{ url('static/logo.svg') }}" alt="" width="32" height="32"> {{ site.title }}
</a>
{% endblock %}
"""
LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
            '<circle cx="16" cy="16" r="14"/></svg>\n')
CLAIM_LINE = """\
{% extends "theme/claim.html" %}
{% block main %}
{{ super() }}
<p class="newsroom-note">Spotted a mistake? Write to us.</p>
{% endblock %}
"""


def fcli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator`` with the code under test, in ``cwd``."""
    return subprocess.run([PYTHON, "-m", "generator", *args], cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def project(site_factory, overrides: dict[str, str]) -> Project:
    """The MINIMAL site with a templates/ folder holding only ``overrides``."""
    made = site_factory()
    made.templates = made.root / "templates"
    made.templates.mkdir()
    for rel, text in overrides.items():
        path = made.templates / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return made


def test_the_repository_is_a_site_project_with_one_layer():
    """templates/ is both the theme's source and the shipped site's folder: no override."""
    assert builtin_folder().resolve() == TEMPLATES.resolve()
    assert Theme.of(TEMPLATES).layers == (builtin_folder(),)
    assert Theme.of(Path("no-such-folder")).layers == (builtin_folder(),)


def test_an_override_of_one_block_changes_only_the_home_page(site_factory, tmp_path):
    plain = site_factory()
    assert build(plain.options(out=tmp_path / "plain")).ok
    home = ('{% extends "theme/home.html" %}\n'
            '{% block main %}<p class="welcome">Welcome.</p>{{ super() }}{% endblock %}\n')
    site = project(site_factory, {"home.html": home})
    result = site.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    before, after = tree(tmp_path / "plain"), tree(site.out)
    assert before.keys() == after.keys()
    assert [p for p in before if before[p] != after[p]] == ["index.html"]
    soup = BeautifulSoup(after["index.html"], "html.parser")
    assert soup.select_one("main p.welcome").get_text() == "Welcome."
    assert soup.select_one("main #latest")  # the built-in block's content kept


def test_an_override_of_style_css_alone_keeps_the_other_static_files(site_factory):
    site = project(site_factory, {"static/style.css": "body { color: #111; }\n",
                                  "static/extra/print.css": "@media print {}\n"})
    assert site.build().ok
    assert (site.out / "static/style.css").read_text() == "body { color: #111; }\n"
    assert (site.out / "static/favicon.svg").read_bytes() == \
        (TEMPLATES / "static/favicon.svg").read_bytes()
    assert (site.out / "static/extra/print.css").is_file()  # the site's own extra file


def test_the_documented_examples_build(site_factory):
    """docs/templates.md's two worked examples, as written there."""
    for text in (LOGO_BASE, CLAIM_LINE):
        assert text in DOCS
    site = project(site_factory, {"base.html": LOGO_BASE, "static/logo.svg": LOGO_SVG,
                                  "claim.html": CLAIM_LINE})
    result = site.build()
    assert result.ok, [d.format() for d in result.diagnostics]
    for page in ("", "claims/uav-pilots/", "actors/john-kirby/"):
        brand = BeautifulSoup(site.page(page), "html.parser").select_one("header .brand")
        assert brand.img["src"] == "/static/logo.svg" and brand.get_text(strip=True)
    claim = BeautifulSoup(site.page("claims/uav-pilots/"), "html.parser")
    assert claim.select_one("main p.newsroom-note").get_text() == \
        "Spotted a mistake? Write to us."
    assert claim.select_one("main h1")  # the built-in page is still there
    assert not BeautifulSoup(site.page("actors/john-kirby/"), "html.parser").select(
        ".newsroom-note")
    assert (site.out / "static/logo.svg").is_file()


def test_a_static_file_missing_everywhere_is_an_error_naming_template_and_line(site_factory):
    site = project(site_factory, {"base.html": LOGO_BASE})  # no static/logo.svg
    (site.out / "keep.txt").parent.mkdir(parents=True)
    (site.out / "keep.txt").write_text("previous site")
    result = site.build()
    assert [(d.path, d.line, d.code) for d in result.diagnostics if d.is_error] == [
        ("templates/base.html", 4, "missing-static")]
    assert tree(site.out) == {"keep.txt": b"previous site"}


def test_an_override_block_the_parent_lacks_is_a_warning(site_factory):
    site = project(site_factory, {
        "page.html": '{% extends "theme/page.html" %}\n\n{% block sidebar %}x{% endblock %}\n'})
    result = site.build()
    assert result.ok
    found = [(d.path, d.line, d.code) for d in result.diagnostics if d.code == "unknown-block"]
    assert found == [("templates/page.html", 3, "unknown-block")]
    strict = site.build(strict=True, base_url="https://example.org/")
    assert [d.code for d in strict.diagnostics] == ["unknown-block"]
    assert failed(strict, strict=True)


def test_an_override_changes_only_the_pages_that_use_it(site_factory):
    """Freshness follows the templates a page uses, from whichever layer."""
    site = project(site_factory, {})
    assert site.build().ok
    before = {p: os.stat(site.out / p).st_mtime_ns for p in tree(site.out)}
    (site.templates / "page.html").write_text(
        '{% extends "theme/page.html" %}{% block main %}<p>Ours.</p>{% endblock %}\n')
    again = site.build()
    after = {p: os.stat(site.out / p).st_mtime_ns for p in tree(site.out)}
    changed = {p for p in after if before.get(p) != after[p]}
    pages = {p for p in changed if not p.startswith("pagefind/")}
    assert again.ok and pages == {"methodology/index.html", "corrections/index.html"}
    # Search: the shard of the site's own pages is indexed again, the claims' shard is kept.
    assert {p.split("-")[0] for p in changed - pages} == {"pagefind/site", "pagefind/shards.json"}
    assert again.written == len(changed)


def test_build_from_another_folder_equals_build_inside_and_reuses_the_cache(tmp_path):
    site = tmp_path / "mysite"
    for rel, text in MINIMAL.items():
        path = site / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(re.sub(r"(?m)^        ", "", text), encoding="utf-8")
    inside = fcli(site, "build")
    assert inside.returncode == 0, inside.stderr
    first = tree(site / "site")
    assert (site / ".factcheck-cache").is_dir()
    (site / "site").rename(tmp_path / "inside")
    outside = fcli(tmp_path, "build", "-s", "mysite", "--timings")
    assert outside.returncode == 0, outside.stderr
    assert "built mysite/site:" in outside.stderr
    assert tree(site / "site") == first
    assert not (tmp_path / "site").exists() and not (tmp_path / ".factcheck-cache").exists()
    # reused: the content was not parsed again (no time went to Markdown)
    assert "markdown=" not in outside.stderr or "markdown=0.000" in outside.stderr
    again = fcli(tmp_path / "mysite" / "content" / "claims", "build")  # found upwards
    assert again.returncode == 0 and "0 files written" in again.stderr


def test_messages_from_another_folder_point_at_the_files(tmp_path):
    assert main(["init", str(tmp_path / "news")]) == 0
    claim = tmp_path / "news/content/pages/methodology.md"
    claim.write_text(claim.read_text().replace("title: Methodology", "titel: Methodology"))
    done = fcli(tmp_path, "check", "-s", "news")
    assert done.returncode == 1
    assert "news/content/pages/methodology.md:2: error[" in done.stderr


def test_init_then_check_strict_build_and_theme(tmp_path):
    target = tmp_path / "news"
    made = fcli(tmp_path, "init", "news", "--title", 'Checks "&" Co: the desk',
                "--ci", "github-pages")
    assert made.returncode == 0, made.stderr
    files = tree(target)
    assert {".gitignore", "content/site.yaml", "content/pages/methodology.md",
            "content/pages/corrections.md", ".github/workflows/factcheck.yml"} <= set(files)
    for kind in ("claims", "denials", "sources", "actors"):
        entries = [p for p in files if p.startswith(f"content/{kind}/")]
        assert entries and all(b"draft: true" in files[p] and b"xample" in files[p]
                               for p in entries)
    assert b"/site/" in files[".gitignore"] and b"/.factcheck-cache/" in files[".gitignore"]
    assert b"replace this text" in files["content/pages/methodology.md"]
    for page in ("methodology", "corrections"):  # published, and clearly a template to fill
        assert b"draft" not in files[f"content/pages/{page}.md"]
    published = b"".join(v for k, v in files.items() if k.startswith(("content/pages",
                                                                       "content/site")))
    assert not re.search(rb"\b20\d\d-\d\d", published)  # nothing there can go stale
    check = fcli(target, "check", "--strict", "--base-url", "https://example.org/")
    assert check.returncode == 0, check.stderr
    assert check.stderr == ""
    built = fcli(target, "build")
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((target / "site/index.html").read_bytes(), "html.parser")
    assert home.select_one("header .brand").get_text() == 'Checks "&" Co: the desk'
    assert not (target / "site/claims/example-claim").exists()  # examples are drafts
    drafts = fcli(target, "build", "--drafts", "--out", "preview")
    assert drafts.returncode == 0, drafts.stderr
    claim = (target / "preview/claims/example-claim/index.html").read_text()
    assert "Example Spokesperson" in claim and "Example Ministry" in claim
    listed = fcli(target, "theme")
    assert "built-in claim.html" in listed.stdout and "built-in static/style.css" in \
        listed.stdout
    exported = fcli(target, "theme", "--export", "mytheme")
    assert exported.returncode == 0, exported.stderr
    assert tree(target / "mytheme") == tree(builtin_folder())


def test_init_empty_writes_no_example(tmp_path):
    assert main(["init", str(tmp_path), "--empty"]) == 0
    entries = [p for p in tree(tmp_path) if p.endswith(".md") and "/pages/" not in p]
    assert entries == []
    assert fcli(tmp_path, "check", "--strict", "--base-url", "https://example.org/") \
        .returncode == 0


@pytest.mark.parametrize("force", [False, True])
def test_init_into_a_non_empty_folder_changes_nothing(tmp_path, force):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("mine\n")
    (tmp_path / "notes.txt").write_text("mine\n")
    before = tree(tmp_path)
    done = fcli(tmp_path, "init", *(["--force"] if force else []))
    assert done.returncode != 0
    assert "nothing was written" in done.stderr or "not empty" in done.stderr
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["content", "notes.txt",
                                                            "site.yaml"]


def test_init_force_adds_beside_unrelated_files(tmp_path):
    (tmp_path / "README.md").write_text("our newsroom\n")
    assert fcli(tmp_path, "init").returncode != 0
    assert fcli(tmp_path, "init", "--force").returncode == 0
    assert (tmp_path / "README.md").read_text() == "our newsroom\n"
    assert (tmp_path / "content/site.yaml").is_file()


def test_serve_watches_the_overrides_and_the_built_in_theme(site_factory):
    from generator.preview import Preview

    site = project(site_factory, {"home.html": '{% extends "theme/home.html" %}\n'})
    preview = Preview(Options(content=site.content, templates=site.templates,
                              out=site.out), site.root / "preview")
    shot = preview.take_snapshot()
    assert str(site.templates / "home.html") in shot
    assert str(builtin_folder() / "claim.html") in shot


def test_the_preview_rebuilds_when_an_override_is_saved(site_factory):
    from generator.preview import Preview

    site = project(site_factory, {})
    (site.root / "preview").mkdir()
    preview = Preview(Options(content=site.content, templates=site.templates, out=site.out),
                      site.root / "preview")
    assert preview.rebuild().ok
    assert "Ours." not in (preview.out / "methodology/index.html").read_text()
    (site.templates / "page.html").write_text(
        '{% extends "theme/page.html" %}{% block main %}<p>Ours.</p>{% endblock %}\n')
    outcome = preview.rebuild()
    assert outcome.ran and outcome.ok
    assert "<p>Ours.</p>" in (preview.out / "methodology/index.html").read_text()


def test_init_then_serve_previews_every_page_and_the_example_drafts(tmp_path):
    """The third promise of `init`: `factcheck serve` previews the new project at once."""
    from tests.serving import Server, raw_get

    made = fcli(tmp_path, "init", "news")
    assert made.returncode == 0, made.stderr
    with Server(tmp_path / "news", templates=tmp_path / "news" / "templates") as server:
        for url in ("/", "/claims/", "/claims/example-claim/", "/methodology/",
                    "/corrections/", "/ratings/", "/cases/"):
            status, _, body = raw_get(server.port, url)
            assert status == 200 and b"Build failed" not in body, (url, body[:200])
        status, _, body = raw_get(server.port, "/claims/example-claim/")
        assert b"Draft" in body
