"""Bad input to factcheck import: each problem names the file and the record, the record is
skipped and the rest is imported; journals of killed imports are completed or undone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from generator.importing import commit
from tests.importing_helpers import DATA, do_import, project, snapshot

ROOT = DATA.parent.parent.parent


@pytest.mark.parametrize("code, where, text", [
    ("missing-claim-text", "record 6", "the claim has no text"),
    ("impossible-date", "record 7", "date '2022-02-30' is not a real date"),
    ("invalid-date", "record 8", "date 'sometime in autumn' is not in a known format"),
    ("unsafe-url", "record 9", "'javascript:alert(1)' is not an http(s) URL"),
])
def test_bad_json_record_is_named_and_skipped(tmp_path, code, where, text):
    root = project(tmp_path)
    report, problems = do_import(root, DATA / "google.json")
    found = [d.format() for d in problems if d.code == code]
    assert len(found) == 1 and "google.json:" in found[0]
    assert f"error[{code}]: {where}: {text}" in found[0]
    assert report.counts["claims"]["created"] == 5 and report.skipped[code] == 1


@pytest.mark.parametrize("code, line, text", [
    ("missing-claim-text", 4, "the row has no claim text"),
    ("unsafe-url", 5, "'ftp://example.org/review' is not an http(s) URL"),
    ("invalid-date", 6, "date '31/02/2022' is not in a known format"),
])
def test_bad_csv_row_is_named_by_its_line(tmp_path, code, line, text):
    root = project(tmp_path)
    report, problems = do_import(root, DATA / "scraped.csv")
    found = [d.format() for d in problems if d.code == code]
    assert len(found) == 1 and f"scraped.csv:{line}: error[{code}]: {text}" in found[0]
    assert report.counts["claims"]["created"] == 2


def test_invisible_controls_are_removed_with_a_warning(tmp_path):
    root = project(tmp_path)
    _, problems = do_import(root, DATA / "google.json")
    found = [d.format() for d in problems if d.code == "control-characters"]
    assert len(found) == 1 and "warning[control-characters]: record 5:" in found[0]
    assert "U+202E" in found[0]


def test_malformed_json_keeps_the_records_before_it(tmp_path):
    root = project(tmp_path)
    report, problems = do_import(root, DATA / "malformed.json")
    found = [d.format() for d in problems if d.code == "invalid-json"]
    assert len(found) == 1 and "malformed.json: error[invalid-json]: malformed JSON after " \
        "record 1" in found[0]
    assert report.counts["claims"]["created"] == 1


def test_non_utf8_csv_is_detected_and_encoding_overrides(tmp_path):
    root = project(tmp_path)
    before = snapshot(root)
    report, problems = do_import(root, DATA / "latin1.csv")
    found = [d.format() for d in problems if d.code == "not-utf8"]
    assert len(found) == 1 and "latin1.csv:2: error[not-utf8]: the file is not UTF-8" in \
        found[0] and "--encoding cp1252" in found[0]
    assert any(d.code == "nothing-to-import" for d in problems)
    assert snapshot(root) == before
    report, problems = do_import(root, DATA / "latin1.csv", encoding="latin-1",
                                 publisher="")
    assert report.counts["claims"]["created"] == 1
    assert "Le café est interdit" in next((root / "content" / "claims").glob("*.md")
                                          ).read_text()


def test_unknown_csv_layout_lists_found_and_needed_columns(tmp_path):
    root = project(tmp_path)
    _, problems = do_import(root, DATA / "unknown.csv")
    found = next(d.format() for d in problems if d.code == "unknown-columns")
    assert "columns found: claim, verdict, link" in found
    assert "claimReview_claimReviewed, claimReview_url" in found


def test_rating_map_naming_an_unknown_key_is_a_config_error(tmp_path):
    from tests.importing_helpers import SITE_YAML

    root = project(tmp_path, SITE_YAML + '  - {match: "Faux", rating: fals}\n')
    _, problems = do_import(root, DATA / "google.json")
    found = [d.format() for d in problems if d.code == "unknown-rating"]
    assert found and "site.yaml:" in found[0] and "'fals' is not a key" in found[0]


def test_a_journal_is_completed_and_a_stage_without_one_is_discarded(tmp_path):
    root = project(tmp_path)
    content = root / "content"
    folder = root / commit.FOLDER
    stage = folder / "stage-999999999"
    (stage / "actors").mkdir(parents=True)
    (stage / "actors" / "a.md").write_text("---\nname: A\nkind: person\n---\n")
    (folder / "journal-999999999.json").write_text(json.dumps({"files": ["actors/a.md"]}))
    orphan = folder / "stage-999999998"
    (orphan / "actors").mkdir(parents=True)
    (orphan / "actors" / "b.md").write_text("x")
    done = commit.recover(root, content)
    assert (content / "actors" / "a.md").exists() and not (content / "actors" / "b.md").exists()
    assert len(done) == 2
    assert not folder.exists() or not any(folder.iterdir())


def _staging(root) -> bool:
    """Files of the import are being written into its stage (not yet into content/)."""
    return any((root / commit.FOLDER).glob("stage-*/claims/*.md"))


@pytest.mark.parametrize("phase", ["reading", "staging"])
def test_ctrl_c_during_a_large_import_leaves_content_unchanged(tmp_path, phase):
    root = project(tmp_path)
    claims = [{"text": f"Claim number {n} about drones", "claimReview": [
        {"publisher": {"name": f"Publisher {n % 50}"}, "url": f"https://example.org/r/{n}",
         "textualRating": "False", "reviewDate": "2022-10-21"}]}
        for n in range(60_000 if phase == "reading" else 20_000)]
    # fewer when staging: at load ~13, with 60,000 the import did not end within 120 s of
    # the signal (removing a large stage on a busy disk, most likely)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"claims": claims}))
    before = snapshot(root)
    process = subprocess.Popen([sys.executable, "-m", "generator", "import", "-s", str(root),
                                str(big)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if phase == "reading":
        time.sleep(2.5)
    else:  # the moment files are written: the stage has some, content/ must get none
        deadline = time.monotonic() + 120
        while not _staging(root) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _staging(root), "the import never reached its staging step"
    assert process.poll() is None, "the import ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 130, err.decode()
    assert b"interrupted: content/ is unchanged" in err
    assert snapshot(root) == before
    assert not any((root / commit.FOLDER).glob("stage-*"))  # its stage removed too


HEADER = "claimReview_claimReviewed,claimReview_url,claimReview_author_name,rating_alternateName\n"


def test_malformed_csv_rows_are_named_and_the_rows_before_them_imported(tmp_path):
    root = project(tmp_path)
    export = tmp_path / "rows.csv"
    export.write_text(HEADER
                      + "First claim,https://checks.example/1,Maldita,Falso\n"
                      + "Second claim,https://checks.example/2,Maldita,Falso,extra,cells\n"
                      + "Third claim,https://checks.example/3,Maldita,Falso\n"
                      + f'"{"x" * 200_000}",https://checks.example/4,Maldita,Falso\n'
                      + "Fifth claim,https://checks.example/5,Maldita,Falso\n", "utf-8")
    report, problems = do_import(root, export)
    found = sorted(d.format() for d in problems if d.code == "invalid-csv")
    assert len(found) == 2
    assert "rows.csv:3: error[invalid-csv]: the row has 6 cells, the header 4" in found[0]
    assert "rows.csv:5: error[invalid-csv]: CSV row is malformed: field larger than " \
        "field limit" in found[1]
    titles = sorted(p.read_text("utf-8").split("\n")[1]
                    for p in (root / "content" / "claims").glob("*.md"))
    assert titles == ["title: First claim", "title: Third claim"]
    assert report.counts["claims"]["created"] == 2


def test_a_record_by_our_own_organisation_is_imported_as_our_review(tmp_path):
    root = project(tmp_path)
    export = tmp_path / "ours.json"
    export.write_text(json.dumps({
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": "https://ourdesk.example/claims/kirby/", "claimReviewed": "Kirby said so",
        "datePublished": "2022-10-22", "author": {"@type": "Organization", "name": "our  desk"},
        "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "John Kirby"}}
    }), "utf-8")
    report, _ = do_import(root, export)
    text = (root / "content" / "claims" / "kirby-said-so.md").read_text("utf-8")
    # our scale's label maps to its key; no third-party reviews; a draft (no evidence)
    assert "\nrating: misleading\n" in text and "\nreviews:" not in text
    assert "\ndraft: true\n" in text and "  rating_text: Misleading\n" in text
    assert report.counts["claims"]["created"] == 1


def test_colliding_slugs_are_numbered_in_record_order_and_kept_on_reimport(tmp_path):
    root = project(tmp_path)
    export = tmp_path / "same.json"
    export.write_text(json.dumps({"claims": [
        {"text": title, "claimReview": [{"publisher": {"name": "Maldita"}, "textualRating":
                                         "Falso", "url": f"https://checks.example/{n}"}]}
        for n, title in enumerate(["Drones, again!", "Drones again", "DRONES  AGAIN?"])]}),
        "utf-8")
    do_import(root, export)
    claims = root / "content" / "claims"

    def slug_of(url):
        return next(p.stem for p in claims.glob("*.md") if url in p.read_text("utf-8"))

    # the three texts differ (three claims) but share one readable slug: numbered in order
    assert [slug_of(f"https://checks.example/{n}") for n in range(3)] == [
        "drones-again", "drones-again-2", "drones-again-3"]
    before = snapshot(root)
    do_import(root, export)
    assert snapshot(root) == before


def test_an_evidence_value_outside_the_scale_skips_its_row(tmp_path):
    """Our own claims.csv with free text in ``evidence``: the row is named and skipped (its
    entry would fail every build after), the other rows are imported."""
    root = project(tmp_path)
    rows = (DATA / "own.csv").read_text(encoding="utf-8").splitlines()
    header, first = rows[0], rows[1]
    bad = first.replace(",partial,", ",we checked the manifests,").replace(
        "iran-drones-shipped", "iran-drones-other").replace("Iran shipped drones to Russia",
                                                            "Iran sent more drones")
    assert bad != first
    path = tmp_path / "claims.csv"
    path.write_text("\n".join([header, first, bad]) + "\n", encoding="utf-8")
    report, problems = do_import(root, path)
    found = [d.format() for d in problems if d.code == "invalid-choice"]
    assert len(found) == 1 and "claims.csv:3: error[invalid-choice]: evidence " \
        "'we checked the manifests' is not one of none, partial, documented" in found[0]
    assert report.counts["claims"]["created"] == 1
