"""``factcheck new``: scaffolds valid as written, the writer's options, and slugs."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.fields import SLUG_RE, unsafe_path
from generator.new import MAX_SLUG, Known, create, make_slug, quote, scaffold

KINDS = ("claim", "denial", "source", "actor", "page")
FOLDERS = {"claim": "claims", "denial": "denials", "source": "sources", "actor": "actors",
           "page": "pages"}


def _scaffold_each_kind(project):
    paths = []
    for kind in KINDS:
        done = project.cli("new", kind, f"A new {kind} to write")
        assert done.returncode == 0, done.stderr
        paths.append(project.root / done.stdout.strip())
    return paths


def test_fresh_drafts_pass_read_validate_resolve_and_lint(site_factory):
    project = site_factory()
    _scaffold_each_kind(project)
    result = project.check(drafts=True)
    assert not [d.format() for d in result.diagnostics if d.is_error]
    # Each is in the index, or (undecided fields) held out of it with a note for its page.
    listed = {e.slug for kind in FOLDERS.values() for e in result.index.all(kind) if e.draft}
    held = {slug for _, slug in result.index.notes}
    assert listed | held == {f"a-new-{k}-to-write" for k in KINDS}
    assert held == {f"a-new-{k}-to-write" for k in ("claim", "denial", "source", "actor")}


def test_fresh_drafts_of_each_kind_pass_check_drafts(site_factory):
    project = site_factory()
    _scaffold_each_kind(project)
    done = project.cli("check", "--drafts")
    assert done.returncode == 0, done.stderr
    done = project.cli("build", "--drafts")
    assert done.returncode == 0, done.stderr
    page = (project.out / "claims" / "a-new-claim-to-write" / "index.html").read_text()
    assert "Before this draft can be published" in page and "claimant" in page
    listed = (project.out / "claims" / "index.html").read_text()
    assert "a-new-claim-to-write" not in listed  # unfinished: on its own page only


def test_fresh_drafts_in_the_served_preview(site_factory):
    """Every page but the drafts' answers 200 as usual; each draft's page lists what it
    still needs."""
    from tests.serving import Server, raw_get

    project = site_factory()
    _scaffold_each_kind(project)
    with Server(project.root, templates=project.templates) as server:
        for url in ("/", "/claims/", "/claims/uav-pilots/", "/claims/second-claim/",
                    "/denials/iran-denial/", "/sources/kirby-remarks/", "/actors/john-kirby/",
                    "/methodology/", "/ratings/", "/tags/drones/"):
            status, _, body = raw_get(server.port, url)
            assert status == 200 and b"Build failed" not in body, url
        for kind, folder in FOLDERS.items():
            url = f"/{folder}/a-new-{kind}-to-write/" if kind != "page" \
                else f"/a-new-{kind}-to-write/"
            status, _, body = raw_get(server.port, url)
            assert status == 200, url
            if kind in ("claim", "denial", "source", "actor"):  # each leaves a field undecided
                assert b"Before this draft can be published" in body, url


def test_fresh_drafts_do_not_block_a_build(site_factory):
    project = site_factory()
    _scaffold_each_kind(project)
    done = project.cli("build")
    assert done.returncode == 0, done.stderr
    assert (project.out / "claims" / "uav-pilots" / "index.html").is_file()
    assert not (project.out / "claims" / "a-new-claim-to-write").exists()


def test_nothing_is_decided_for_the_writer(site_factory):
    project = site_factory()
    path, _ = create(project.content, "claim", "Iran sends drones")
    front = yaml.safe_load(path.read_text().split("---\n")[1])
    assert front["draft"] is True
    for name in ("statement", "claimant", "sources", "rating", "evidence", "updates",
                 "reviewed"):
        assert front[name] is None, name
    text = path.read_text()
    # The site's own scale, quoted where YAML would read a boolean, in a comment.
    assert '"false" (False), unsubstantiated (Unsubstantiated), "true" (True)' in text
    assert re.search(r"^#.*none, partial, documented$", text, re.M)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    source, _ = create(project.content, "source", "A report")
    assert yaml.safe_load(source.read_text().split("---\n")[1])["kind"] is None


def test_options_fill_what_the_writer_knows(site_factory):
    project = site_factory()
    done = project.cli("new", "claim", "Iran sends drones", "--slug", "iran-drones",
                       "--claimant", "john-kirby", "--cite", "kirby-remarks",
                       "--cite", "content/sources/denial-statement.md")
    assert done.returncode == 0, done.stderr
    front = yaml.safe_load((project.content / "claims/iran-drones.md").read_text()
                           .split("---\n")[1])
    assert front["claimant"] == "john-kirby"
    assert front["sources"] == ["kirby-remarks", "denial-statement"]
    done = project.cli("new", "denial", "Iran denies drones", "--actor", "iran-fm",
                       "--answers", "iran-drones", "--cite", "denial-statement")
    assert done.returncode == 0, done.stderr
    done = project.cli("new", "source", "CNN report", "--publisher", "nsc",
                       "--url", "https://example.org/cnn")
    assert done.returncode == 0, done.stderr
    result = project.check(drafts=True)
    assert not [d.format() for d in result.diagnostics if d.is_error]
    denial = yaml.safe_load((project.content / "denials/iran-denies-drones.md").read_text()
                            .split("---\n")[1])
    assert denial["answers"] == ["iran-drones"] and denial["actor"] == "iran-fm"
    assert result.index.notes[("denials", "iran-denies-drones")].unfinished == ("quote",)
    source = yaml.safe_load((project.content / "sources/cnn-report.md").read_text()
                            .split("---\n")[1])
    assert source["url"] == "https://example.org/cnn"


def test_wrong_options_are_reported_together_and_nothing_is_written(site_factory):
    project = site_factory()
    before = sorted(project.content.rglob("*"))
    done = project.cli("new", "claim", "Iran sends drones", "--claimant", "kirby",
                       "--cite", "nsc", "--slug", "Iran_Drones")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert "--claimant: error[unknown-reference]: no actor 'kirby' (did you mean " \
           "'john-kirby'?)" in lines
    assert any(line.startswith("--cite: error[wrong-kind]: 'nsc' is an actor")
               for line in lines)
    assert any(line.startswith("--slug: error[invalid-slug]") for line in lines)
    assert "Traceback" not in done.stderr
    assert sorted(project.content.rglob("*")) == before
    bad_url = project.cli("new", "source", "A report", "--url", "javascript:alert(1)")
    assert bad_url.returncode == 1 and "--url: error[unsafe-url]" in bad_url.stderr
    taken = project.cli("new", "claim", "Anything", "--slug", "uav-pilots")
    assert taken.returncode == 1 and "already exists" in taken.stderr


def test_an_option_of_another_kind_is_a_usage_error(site_factory):
    done = site_factory().cli("new", "actor", "Someone", "--claimant", "john-kirby",
                              "--url", "https://example.org/")
    assert done.returncode == 2
    assert "--claimant is for claims, not actors" in done.stderr
    assert "--url is for sources, not actors" in done.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_title_reads_back_from_the_scaffold(title):
    for kind in KINDS:
        text = scaffold(kind, title, Known())
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["name" if kind == "actor" else "title"] == title
    assert yaml.safe_load(quote(title)) == title


# Slugs ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "slug"), [
    ("Children's drones", "childrens-drones"),
    ("Kyiv’s and Hawaiʻi’s claims", "kyivs-and-hawaiis-claims"),
    ("ایران نمی‌خواهد", "ایران-نمیخواهد"),  # ZWNJ inside a word
    ("مُحَمَّد يقول", "محمد-يقول"),  # vowel marks are not slug letters
    ("İstanbul ایران", "istanbul-ایران"),
    ("Iranian drones were used against Ukrainian power plants during the winter of 2022",
     "iranian-drones-were-used-against-ukrainian-power-plants"),
    ("a" * 70, "a" * MAX_SLUG),  # one word longer than the limit: the only cut word
])
def test_slug_examples(title, slug):
    assert make_slug(title) == slug


PIECES = st.sampled_from([
    "Iran", "drones", "children's", "Kyiv’s", "ʼokina", "of", "the", "2022", "Таджикистан",
    "поставляет", "ایران", "نمی\u200cدهد", "می\u200dخواهد", "إيران", "تنفي", "مُحَمَّد",
    "🙂", "—", "/", "..", "İ", "ß", "Ǆ", "x" * 30, "\u200c", "'", "’",
])
TITLES = st.lists(PIECES, min_size=1, max_size=25).map(" ".join) | st.text(max_size=120)


@settings(max_examples=300, deadline=None)
@given(TITLES)
@example("µ۔")  # a Latin-1 letter beside Arabic script: transliterated, so the slug is stable
def test_slugs_are_valid_whole_words_and_stable(title):
    slug = make_slug(title)
    if slug:
        assert SLUG_RE.match(slug) and slug == slug.lower() and not unsafe_path(slug)
        assert len(slug) <= MAX_SLUG
    else:  # empty only when the title has no letter or digit of these scripts
        assert not any(c.isalnum() and (c.isascii() or "\u0400" <= c <= "\u04ff"
                                        or "\u0620" <= c <= "\u06ff") for c in title)
    full = make_slug(title, limit=10_000)
    assert full.startswith(slug)
    # Cut between words, unless the first word alone is longer than the limit.
    assert slug == full or full[len(slug)] == "-" or "-" not in full[:MAX_SLUG + 1]
    assert make_slug(title) == slug
    if slug == full:  # a whole slug is its own slug (a cut one may have lost its native letters)
        assert make_slug(slug) == slug
