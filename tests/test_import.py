"""factcheck import: the three formats into entries that build, idempotency and conflicts."""

from __future__ import annotations

import json
import re

from generator.build import Options, build
from generator.importing.run import print_report
from tests.importing_helpers import DATA, do_import, project, snapshot


def _built(root, tmp_path, drafts=False):
    result = build(Options(content=root / "content", out=tmp_path / "out",
                           base_url="https://example.org/", drafts=drafts,
                           cache_dir=tmp_path / "cache", jobs=1))
    errors = [d.format() for d in result.diagnostics if d.is_error]
    assert errors == []
    return tmp_path / "out"


def test_google_results_become_entries_in_every_script(tmp_path):
    root = project(tmp_path)
    report, _problems = do_import(root, DATA / "google.json")
    claims = root / "content" / "claims"
    names = sorted(p.stem for p in claims.glob("*.md"))
    assert names == ["iran-is-supplying-russia-with-hundreds-of-attack-drones",
                     "script-alert-x-script-drones-gnikam-are-made-in-b-dushanbe-b",
                     "tadzhikistan-proizvodit-iranskie-bespilotniki-dlia-rossii",
                     "إيران-لا-ترسل-أي-أسلحة-إلى-روسيا",
                     "ایران-هیچ-پهپادی-به-روسیه-نفروخته-است"]
    assert report.counts["claims"]["created"] == 5
    # one entry holds both reviews of the claim; the unmapped one makes it a draft
    text = (claims / "iran-is-supplying-russia-with-hundreds-of-attack-drones.md").read_text()
    assert text.count("- publisher:") == 2 and "draft: true" in text
    assert "textual_rating: Mostly TRUE" in text and "rating: mostly-accurate" in text
    # a missing claimant and date stay missing, nothing invented
    persian = (claims / "ایران-هیچ-پهپادی-به-روسیه-نفروخته-است.md").read_text()
    assert "claimant:" not in persian and "\ndate:" not in persian
    # publishers are deduplicated by normalised name: "politifact" is PolitiFact
    actors = sorted(p.stem for p in (root / "content" / "actors").glob("*.md"))
    assert actors.count("politifact") == 1 and "politifact-2" not in actors
    assert sorted(report.unmapped) == [("Factnameh", "نادرست"), ("Full Fact", "Correct")]


def test_imported_site_builds_with_attributed_reviews_and_no_claimreview_on_pages(tmp_path):
    root = project(tmp_path)
    do_import(root, DATA / "google.json", DATA / "claimreview.html", DATA / "scraped.csv")
    out = _built(root, tmp_path, drafts=False)
    page = (out / "claims" / "script-alert-x-script-drones-gnikam-are-made-in-b-dushanbe-b"
            / "index.html").read_text()
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    assert "\u202e" not in page
    assert "Review by <a href=\"/actors/politifact/\">PolitiFact</a>" in page
    assert "Pants on Fire!" in page and 'href="/ratings/inaccurate/"' in page
    assert "application/ld+json" not in page
    russian = out / "claims" / "tadzhikistan-proizvodit-iranskie-bespilotniki-dlia-rossii"
    assert "Неправда" in (russian / "index.html").read_text()
    # filed under the mapped key
    assert "Pants on Fire" in (out / "ratings" / "inaccurate" / "index.html").read_text() \
        or "Drones" in (out / "ratings" / "inaccurate" / "index.html").read_text()
    # the ClaimReview feed holds a third-party review only with a licence, as its own
    # publisher's (original author, URL and sdLicense); the others are left out
    feed = json.loads((out / "data" / "claimreview.json").read_text())
    items = [i for e in feed["dataFeedElement"] for i in e["item"]]
    assert [(i["author"], i["url"], i["sdLicense"]) for i in items] == [(
        {"@type": "Organization", "name": "Example Checks"},
        "https://factcheck.example/reviews/kirby-crimea",
        "https://creativecommons.org/licenses/by/4.0/")]
    # a long third-party claim keeps its text, without the length warning
    long = (root / "content" / "claims" /
            "tajikistan-produces-iranian-drones-for-russia-a-journalist.md").read_text()
    assert "longer than seventy-five characters" in long


def test_reviews_of_one_claim_from_several_files_are_one_entry(tmp_path):
    root = project(tmp_path)
    report, _ = do_import(root, DATA / "google.json", DATA / "claimreview.html")
    text = (root / "content" / "claims" /
            "iran-is-supplying-russia-with-hundreds-of-attack-drones.md").read_text()
    assert text.count("- publisher:") == 3 and report.joined == 1


def test_second_import_changes_no_byte(tmp_path):
    root = project(tmp_path)
    files = (DATA / "google.json", DATA / "claimreview.html", DATA / "scraped.csv")
    do_import(root, *files)
    before = snapshot(root)
    report, _ = do_import(root, *files)
    assert snapshot(root) == before
    assert report.counts["claims"]["unchanged"] == 8
    assert sum(report.counts[k]["created"] for k in report.counts) == 0


def test_upstream_change_updates_and_a_writers_edit_is_a_conflict(tmp_path):
    root = project(tmp_path)
    source = json.loads((DATA / "google.json").read_text())
    path = tmp_path / "export.json"
    path.write_text(json.dumps(source, ensure_ascii=False))
    do_import(root, path)
    claims = root / "content" / "claims"
    edited = claims / "tadzhikistan-proizvodit-iranskie-bespilotniki-dlia-rossii.md"
    edited.write_text(edited.read_text().replace("title: ", "title: Edited "))
    kept = edited.read_bytes()
    source["claims"][1]["claimReview"][0]["textualRating"] = "Неправда"  # upstream changed
    source["claims"][3]["claimReview"][0]["title"] = "A new title"
    path.write_text(json.dumps(source, ensure_ascii=False))
    before = snapshot(claims)
    report, _ = do_import(root, path)
    assert report.counts["claims"]["updated"] == 1
    assert report.counts["claims"]["conflicts"] == 1
    assert report.conflicts == [str(edited.relative_to(tmp_path.parent))] or \
        report.conflicts[0].endswith(edited.name)
    assert edited.read_bytes() == kept
    after = snapshot(claims)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["إيران-لا-ترسل-أي-أسلحة-إلى-روسيا.md"]


def test_unmapped_ratings_are_reported_ready_to_paste(tmp_path, capsys):
    root = project(tmp_path)
    report, problems = do_import(root, DATA / "google.json")
    assert print_report(report, problems, False) == 0
    out = capsys.readouterr().out
    assert '- {match: "Correct", rating: ..., publisher: "Full Fact"}  # 1×' in out
    assert 'match: "نادرست"' in out
    assert re.search(r"claims: 5 created", out)


def test_dry_run_writes_nothing(tmp_path):
    root = project(tmp_path)
    before = snapshot(root)
    report, _ = do_import(root, DATA / "google.json", dry_run=True)
    assert report.counts["claims"]["created"] == 5
    assert snapshot(root) == before


def test_as_draft_and_publisher(tmp_path):
    root = project(tmp_path)
    csv = tmp_path / "ours.csv"
    csv.write_text("claimReview_claimReviewed,claimReview_url,rating_alternateName\r\n"
                   "A claim,https://desk.example/a,False\r\n", "utf-8")
    do_import(root, csv, as_draft=True, publisher="Maldita")
    text = (root / "content" / "claims" / "a-claim.md").read_text()
    assert "draft: true" in text and "publisher: maldita" in text
    assert "rating: inaccurate" in text  # Maldita's own rule


def test_a_long_import_shows_its_progress(tmp_path):
    """The progress line (a terminal's, here written to a buffer) names each phase, counts
    what is done and is erased before the closing report."""
    import io

    from generator.importing.run import Request, run
    from generator.progress import ProgressLine

    root = project(tmp_path)
    stream = io.StringIO()
    report, _ = run(Request((DATA / "google.json",), root, root / "content"),
                    ProgressLine(stream, enabled=True, interval=0))
    shown = stream.getvalue()
    assert report.counts["claims"]["created"] > 0
    assert "reading" in shown and "google.json" in shown and "staging entries" in shown
    staged = sum(report.counts[kind]["created"] for kind in report.counts)
    assert f"] {staged}/{staged}" in shown  # the count reaches the total
    assert shown.endswith("\r\x1b[K")  # erased: the report starts on a clean line
