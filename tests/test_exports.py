"""Data exports: claims.json, claimreview.json (DataFeed) and the CSV files."""

from __future__ import annotations

import csv
import io
import json

BASE = "https://example.org/factcheck/"
DATA = ("claims.json", "claimreview.json", "claims.csv", "denials.csv", "sources.csv")


def read_csv(project, name: str) -> list[dict[str, str]]:
    text = (project.out / "data" / name).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_claims_json_has_everything_a_researcher_needs(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    data = json.loads((project.out / "data" / "claims.json").read_text("utf-8"))
    assert data["site"] == {"title": "Test Checks", "description": "A fixture site.",
                            "url": BASE, "language": "en",
                            "organisation": {"name": "Test Desk", "url": "https://example.org/"}}
    assert [r["key"] for r in data["rating_scale"]] == ["false", "unsubstantiated", "true"]
    assert [c["id"] for c in data["claims"]] == ["second-claim", "uav-pilots"]
    claim = data["claims"][1]
    assert claim["page_url"] == BASE + "claims/uav-pilots/"
    assert claim["page_path"] == "/factcheck/claims/uav-pilots/"
    assert claim["claimant"]["id"] == "john-kirby" and claim["claimant"]["kind"] == "person"
    assert claim["claimant"]["role"] == "communications coordinator"
    assert claim["date"] == "2022-10-20" and claim["date_note"] is None
    assert claim["rating"] == {"key": "unsubstantiated", "label": "Unsubstantiated", "value": 3,
                               "explanation": "No evidence was presented."}
    assert claim["tags"] == ["drones", "crimea"] and claim["related"] == ["second-claim"]
    assert claim["sources"][0]["url"] == "https://example.org/remarks"
    assert claim["sources"][0]["archive_url"] == "https://archive.example.org/remarks"
    assert claim["sources"][0]["publisher"]["id"] == "nsc"
    assert claim["sources"][0]["date"] == "2022-10"
    denial = claim["denials"][0]
    assert denial["id"] == "iran-denial" and denial["actor"]["name"] == "Iran's foreign ministry"
    assert denial["quote"] == "Iran has not and will not provide any weapon."
    assert denial["date"] is None and denial["date_note"] == "mid-October"
    assert denial["answers"] == ["second-claim", "uav-pilots"]
    assert (claim["published"], claim["modified"], claim["reviewed"]) == \
        ("2026-11-20", "2026-11-27", "2026-11-27")
    assert claim["updates"][1] == {"date": "2026-11-27", "note": "Added the denial."}


def test_claimreview_datafeed(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    feed = json.loads((project.out / "data" / "claimreview.json").read_text("utf-8"))
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    assert feed["url"] == BASE + "data/claimreview.json"
    assert feed["dateModified"] == "2026-11-27"
    items = feed["dataFeedElement"]
    assert [i["item"][0]["url"] for i in items] == [BASE + "claims/second-claim/",
                                                    BASE + "claims/uav-pilots/"]
    assert items[1]["@type"] == "DataFeedItem"
    assert items[1]["dateCreated"] == "2026-11-20" and items[1]["dateModified"] == "2026-11-27"
    assert items[1]["item"][0]["@type"] == "ClaimReview"


def test_csv_files_have_one_row_per_entry(site_factory):
    project = site_factory()
    assert project.build(base_url=BASE).ok
    claims = read_csv(project, "claims.csv")
    assert [c["id"] for c in claims] == ["second-claim", "uav-pilots"]
    assert claims[1]["tags"] == "drones;crimea"
    assert claims[1]["sources"] == "kirby-remarks" and claims[1]["denials"] == "iran-denial"
    assert claims[1]["rating_value"] == "3" and claims[1]["date_note"] == ""
    denials = read_csv(project, "denials.csv")
    assert denials == [{
        "id": "iran-denial", "page_url": BASE + "denials/iran-denial/",
        "page_path": "/factcheck/denials/iran-denial/", "title": "Iran denies",
        "actor_id": "iran-fm", "actor_name": "Iran's foreign ministry", "date": "",
        "date_note": "mid-October", "quote": "Iran has not and will not provide any weapon.",
        "quote_language": "", "answers": "second-claim;uav-pilots",
        "sources": "denial-statement", "language": "en"}]
    sources = {s["id"]: s for s in read_csv(project, "sources.csv")}
    assert sources["kirby-remarks"]["cited_by_claims"] == "second-claim;uav-pilots"
    assert sources["denial-statement"]["cited_by_denials"] == "iran-denial"
    assert sources["denial-statement"]["url"] == ""
    raw = (project.out / "data" / "claims.csv").read_bytes()
    assert raw.count(b"\r\n") == 3  # RFC 4180 line ends


def test_quotes_commas_and_newlines_survive_the_csv(site_factory):
    project = site_factory({"denials/iran-denial.md": """\
        ---
        title: "Iran denies, again"
        actor: iran-fm
        quote: "He said \\"no\\",\\nthen left; ایران"
        quote_language: fa
        answers: [uav-pilots]
        sources: [denial-statement]
        ---
        """})
    assert project.build().ok
    row = read_csv(project, "denials.csv")[0]
    assert row["title"] == "Iran denies, again"
    assert row["quote"] == 'He said "no",\nthen left; ایران'
    assert row["page_url"] == "" and row["page_path"] == "/denials/iran-denial/"


def test_exports_are_deterministic_and_leave_out_drafts(site_factory):
    project = site_factory({"sources/draft-source.md": """\
        ---
        title: Not yet
        kind: other
        draft: true
        ---
        """})
    assert project.build(base_url=BASE).ok
    first = {n: (project.out / "data" / n).read_bytes() for n in DATA}
    assert project.build(base_url=BASE).ok
    assert {n: (project.out / "data" / n).read_bytes() for n in DATA} == first
    assert project.build(base_url=BASE, drafts=True).ok
    assert b"draft-source" not in (project.out / "data" / "sources.csv").read_bytes()


def test_without_a_domain_urls_are_null_but_paths_remain(site_factory):
    project = site_factory()
    assert project.build().ok
    data = json.loads((project.out / "data" / "claims.json").read_text("utf-8"))
    assert data["site"]["url"] is None
    assert data["claims"][0]["page_url"] is None
    assert data["claims"][0]["page_path"] == "/claims/second-claim/"
    feed = json.loads((project.out / "data" / "claimreview.json").read_text("utf-8"))
    assert "url" not in feed and "url" not in feed["dataFeedElement"][0]["item"][0]


def test_csv_cells_cannot_become_spreadsheet_formulas():
    from generator.exports import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [_cell(v) for v in ("+1", "-1", "@x", "plain", None, 3)] == [
        "'+1", "'-1", "'@x", "plain", "", 3]


def test_streamed_exports_are_the_bytes_of_one_dump(site_factory, monkeypatch):
    """Files are made piece by piece (one chunk per record here): the result must be the
    bytes of serialising the whole at once."""
    from generator import exports

    monkeypatch.setattr(exports, "ROWS_PER_CHUNK", 1)
    project = site_factory()
    assert project.build(base_url=BASE, jobs=1).ok
    for name in ("claims.json", "claimreview.json"):
        raw = (project.out / "data" / name).read_bytes()
        whole = json.dumps(json.loads(raw), ensure_ascii=False) + "\n"
        assert raw == whole.encode("utf-8")
    for name in ("claims.csv", "denials.csv", "sources.csv"):
        raw = (project.out / "data" / name).read_bytes().decode("utf-8")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert len(rows) >= 2
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        assert raw == out.getvalue()


def test_exports_already_in_the_site_are_not_rewritten(site_factory):
    """A cold build (no cache) into a site that holds the same exports keeps those files,
    mtimes included; a changed or missing one is written again."""
    project = site_factory()
    assert project.build(base_url=BASE).ok
    stamps = {n: (project.out / "data" / n).stat().st_mtime_ns for n in DATA}
    (project.out / "data" / "denials.csv").write_bytes(b"tampered\r\n")
    (project.out / "data" / "sources.csv").unlink()
    result = project.build(base_url=BASE, use_cache=False)
    assert result.ok
    after = {n: (project.out / "data" / n).stat().st_mtime_ns for n in DATA}
    kept = ("claims.json", "claimreview.json", "claims.csv")
    assert all(after[n] == stamps[n] for n in kept)
    assert (project.out / "data" / "denials.csv").read_bytes().startswith(b"id,")
    assert (project.out / "data" / "sources.csv").is_file()
    assert not list(project.root.glob(".*stage*")) and not list(project.out.glob(".*stage*"))
