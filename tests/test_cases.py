"""The case map: timeline order and precision, graph and matrix equal to the index's
relations, deterministic SVG, the JSON export's documented shape, and the page in Chromium."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from generator import casemap
from generator.build import Cache, Options, load
from generator.models import Actor, Claim, Denial, PartialDate, Source
from tests.conftest import TEMPLATES

DATED = {
    "cases/the-case.md": """\
        ---
        title: The drone case
        summary: Who said what about drones.
        claims: [uav-pilots, second-claim, undated-claim]
        ---
        The story, drawn from the sources.
        """,
    "claims/undated-claim.md": """\
        ---
        title: A claim known only by a note
        statement: Something undated.
        claimant: iran-fm
        date_note: last week
        sources: [year-source]
        rating: "false"
        rating_explanation: Contradicted.
        evidence: none
        reviewed: 2026-11-21
        ---
        """,
    "sources/year-source.md": """\
        ---
        title: A report known to the year
        kind: article
        publisher: nsc
        date: 2022
        ---
        """,
    "sources/day-source.md": """\
        ---
        title: A report known to the day
        kind: article
        date: 2022-01-01
        ---
        """,
    "claims/second-claim.md": """\
        ---
        title: Iran sends weapons
        statement: Iran sends weapons to Russia.
        claimant: john-kirby
        date: 2022-01
        sources: [kirby-remarks, day-source]
        rating: "false"
        rating_explanation: Contradicted.
        evidence: partial
        related: [uav-pilots]
        reviewed: 2026-11-21
        ---
        """,
}


def test_order_key_puts_the_coarser_first_on_a_tie():
    dates = [PartialDate(2022, 1, 1), PartialDate(2022, 1), PartialDate(2022),
             PartialDate(2021, 12, 31), PartialDate(2022, 1, 2)]
    ordered = sorted(dates, key=casemap.order_key)
    assert [d.iso() for d in ordered] == ["2021-12-31", "2022", "2022-01", "2022-01-01",
                                          "2022-01-02"]


def test_case_page_timeline_is_ordered_and_never_more_precise_than_its_entries(site_factory):
    project = site_factory(DATED)
    result = project.build()
    assert result.ok, [d.format() for d in result.diagnostics if d.is_error]
    page = BeautifulSoup(project.page("cases/the-case"), "html.parser")
    items = page.select("ol.timeline li")
    stamps = [li.time["datetime"] for li in items]
    assert stamps == ["2022", "2022-01", "2022-01-01", "2022-10", "2022-10-20"]
    index = result.index
    for li in items:
        href = li.select("a")[-1]["href"]
        kind, slug = href.strip("/").split("/")
        assert li.time["datetime"] == index.get(kind, slug).date.iso()  # its own precision
    undated = page.select("ul.timeline-undated li")
    texts = [li.get_text(" ", strip=True) for li in undated]
    assert any("A claim known only by a note" in t and "last week" in t for t in texts)
    assert all(li.find("time") is None for li in undated)  # never given a date
    # Keys by the index: every dated entry of the case is there, in non-decreasing order.
    keys = [casemap.order_key(index.get(*li.select("a")[-1]["href"].strip("/").split("/"))
                              .date) for li in items]
    assert keys == sorted(keys)


def _relations_from_fields(index, claims):
    """The relations a case graph must show, read straight from the entries' fields."""
    expected = set()
    members = {(e.kind, e.slug) for e in casemap.members(index, claims)}
    for kind, slug in members:
        entry = index.get(kind, slug)
        pairs = []
        if isinstance(entry, Claim):
            pairs = [("claimed", ("actors", entry.claimant), (kind, slug))]
            pairs += [("cites", (kind, slug), ("sources", s)) for s in entry.sources]
        elif isinstance(entry, Denial):
            pairs = [("issued", ("actors", entry.actor), (kind, slug))]
            pairs += [("answers", (kind, slug), ("claims", c)) for c in entry.answers]
            pairs += [("cites", (kind, slug), ("sources", s)) for s in entry.sources]
        elif isinstance(entry, Source) and entry.publisher:
            pairs = [("published", ("actors", entry.publisher), (kind, slug))]
        expected |= {(a, b, r) for r, a, b in pairs if a in members and b in members}
    return expected


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(1, 10_000), picks=st.lists(st.integers(0, 39), min_size=1, max_size=8))
def test_graph_and_matrix_equal_the_index_relations(tmp_path_factory, seed, picks):
    folder = tmp_path_factory.mktemp("corpus")
    generate(folder, 40, seed)
    result = load(Options(content=folder / "content", templates=TEMPLATES), Cache())
    index = result.index
    claims = [index.claims()[i] for i in sorted(set(picks))]
    graph = casemap.graph(index, claims)
    assert {(e.source, e.target, e.relation) for e in graph.edges} == \
        _relations_from_fields(index, claims)
    # Every claim's claimant and every denial answering it is a node.
    nodes = {(e.kind, e.slug) for e in graph.nodes}
    for claim in claims:
        assert ("actors", claim.claimant) in nodes
        assert all(("denials", d.slug) in nodes for d in index.denials_of(claim))
    # The matrix: a cell for exactly the actor-claim pairs the fields name.
    table = casemap.cells(index, claims)
    for claim in claims:
        assert "asserts" in table[(claim.claimant, claim.slug)]
        for denial in index.denials_of(claim):
            assert "denies" in table[(denial.actor, claim.slug)]
    asserted = {(a, c) for (a, c), what in table.items() if "asserts" in what}
    assert asserted == {(c.claimant, c.slug) for c in claims}


def test_svg_nodes_link_to_pages_and_builds_are_byte_identical(site_factory, tmp_path):
    project = site_factory(DATED)
    assert project.build().ok
    first = project.page("cases/the-case")
    svg = BeautifulSoup(first, "html.parser").select_one("svg.case-graph")
    links = [a["href"] for a in svg.find_all("a")]
    assert links and len(links) == len(set(links))
    for href in links:
        assert (project.out / href.strip("/") / "index.html").is_file(), href
    # Every drawn claim names its rating in words: colour never carries it alone.
    for node in svg.select("a.node-claims"):
        assert node.select_one("text.rating").get_text() in {"False", "Unsubstantiated", "True"}
    project.build(out=tmp_path / "again", use_cache=False)
    again = (tmp_path / "again" / "cases/the-case/index.html").read_text(encoding="utf-8")
    assert again == first


def test_graph_is_bounded_and_says_so(site_factory):
    project = site_factory(DATED)
    result = project.build()
    claims = result.index.refs(result.index.get("cases", "the-case"), "claims")
    small = casemap.graph(result.index, claims, limit=4)
    assert len(small.shown) == 4 and small.hidden == len(small.nodes) - 4
    assert all(e.source in small.shown and e.target in small.shown for e in small.shown_edges())


def test_case_json_export_has_the_documented_shape(site_factory):
    project = site_factory(DATED)
    assert project.build(base_url="https://example.org/").ok
    data = json.loads((project.out / "data/cases/the-case.json").read_text(encoding="utf-8"))
    assert data["format"] == "factcheck-case-graph/1" and data["id"] == "the-case"
    assert data["page_url"] == "https://example.org/cases/the-case/"
    ids = {n["id"] for n in data["nodes"]}
    for node in data["nodes"]:
        assert set(node) >= {"id", "type", "label", "page_url", "page_path"}
        assert node["type"] in {"claim", "denial", "source", "actor"}
        assert re.fullmatch(r"(claims|denials|sources|actors)/[^/]+", node["id"])
        if node["type"] == "claim":
            assert node["rating"] in {"false", "unsubstantiated", "true"}
        if node["type"] != "actor":
            assert node["date"] is None or re.fullmatch(r"\d{4}(-\d\d){0,2}", node["date"])
    for edge in data["edges"]:
        assert set(edge) == {"source", "target", "relation"}
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["relation"] in {"claimed", "issued", "answers", "cites", "published"}


def test_a_case_naming_a_missing_claim_is_reported(site_factory):
    project = site_factory({"cases/bad.md": "---\ntitle: Bad\nclaims: [nope, uav-pilots]\n---\n"})
    problems = [d for d in project.check().diagnostics if d.is_error]
    assert [(d.code, d.line) for d in problems] == [("unknown-reference", 3)]


@pytest.mark.browser
def test_clicking_a_claim_node_opens_the_claim_and_the_page_fits_a_phone(site_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.test_validators import CHROMIUM, serve
    from tests.test_xss import CHROMIUM_ARGS

    if not CHROMIUM.is_file():
        pytest.skip(f"needs {CHROMIUM}")
    project = site_factory(DATED)
    assert project.build(base_url="/factcheck/").ok
    root = project.root / "served"
    (root / "factcheck").parent.mkdir(parents=True, exist_ok=True)
    (root / "factcheck").symlink_to(project.out, target_is_directory=True)
    with serve(root) as origin, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(origin + "/factcheck/cases/the-case/")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0  # the graph and the matrix scroll in their own regions
        page.locator("svg.case-graph a.node-claims").first.click()
        page.wait_for_url("**/factcheck/claims/**")
        assert page.locator("h1").first.is_visible()
        browser.close()


def test_actor_pages_have_a_bounded_timeline(site_factory):
    project = site_factory(DATED)
    result = project.build()
    actor = result.index.get("actors", "john-kirby")
    assert isinstance(actor, Actor)
    page = BeautifulSoup(project.page("actors/john-kirby"), "html.parser")
    assert page.select("#timeline") and page.select("ol.timeline time")
    many = casemap.timeline(result.index.claims(), limit=1)
    assert many.total == len(result.index.claims()) and len(many.dated + many.undated) == 1


def test_the_graph_is_mirrored_right_to_left(site_factory):
    from generator.graphsvg import NODE_W, WIDTH, layout

    project = site_factory(DATED)
    result = project.build()
    index = result.index
    graph = casemap.graph(index, index.refs(index.get("cases", "the-case"), "claims"))
    ltr, _ = layout(graph)
    rtl, _ = layout(graph, rtl=True)
    for a, b in zip(ltr, rtl, strict=True):
        assert a.entry is b.entry and a.y == b.y
        assert abs((a.x + NODE_W / 2) - (WIDTH - (b.x + NODE_W / 2))) < 0.01
    claims = [p.x for p in rtl if p.entry.kind == "claims"]
    actors = [p.x for p in rtl if p.entry.kind == "actors"]
    assert min(actors) > max(claims)  # actors read first: on the right


def test_a_case_graph_is_made_where_it_is_written(site_factory):
    """The plan holds a function, not the JSON: a graph lists every claim of its case, and
    the main process would hold every case's at once. A rebuild after a claim's title
    changed writes the graph anew."""
    from generator import plan

    project = site_factory(DATED)
    result = project.build()
    graph = next(p for p in plan.plan_site(result.index) if p.path == "data/cases/the-case.json")
    assert callable(graph.data)
    assert b"".join(graph.data()) == (project.out / graph.path).read_bytes()
    path = project.content / "claims/uav-pilots.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1),
                    encoding="utf-8")
    assert project.build().ok
    assert "Renamed " in (project.out / graph.path).read_text(encoding="utf-8")
