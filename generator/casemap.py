"""The case map: one story's entries as a timeline, a relation graph and a who-said-what
matrix, all read from the site index (no second walk of the content).

Input: the index and a case (or an actor, for its timeline). Output: plain values
(``Timeline``, ``Graph``, ``Matrix``) that the templates show and ``graphsvg.py`` draws;
pure, so the same index gives the same map, byte for byte once drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.models import Actor, Case, Claim, Denial, Entry, PartialDate, Source
from generator.resolve import SiteIndex

MAX_NODES = 200
"""Most nodes a graph draws; the most connected come first, the rest are behind "see all"."""
MAX_MATRIX = 50
"""Most actors (rows) and claims (columns) a matrix shows."""
PRECISION = {"year": 0, "month": 1, "day": 2}


# Timeline ------------------------------------------------------------------------------------

def order_key(date: PartialDate) -> tuple[int, int, int, int]:
    """The earliest day a date can mean, the coarser first on a tie: "2022" comes before
    "2022-01" and "2022-01-01", which all begin on 1 January 2022."""
    return (date.year, date.month or 1, date.day or 1, PRECISION[date.precision])


@dataclass(frozen=True, slots=True)
class Timeline:
    dated: tuple[Entry, ...]
    """Entries with a date, in order (``order_key``, then kind, then slug)."""
    undated: tuple[Entry, ...]
    """Entries known only by a date note, or by nothing: listed apart, never dated."""
    total: int


def timeline(entries: Iterable[Entry], limit: int | None = None) -> Timeline:
    found = {(e.kind, e.slug): e for e in entries}
    dated = [e for e in found.values() if getattr(e, "date", None) is not None]
    undated = [e for e in found.values() if getattr(e, "date", None) is None]
    dated.sort(key=lambda e: (order_key(e.date), e.kind, e.slug))  # type: ignore[attr-defined]
    undated.sort(key=lambda e: (e.kind, e.label.casefold(), e.slug))
    total = len(dated) + len(undated)
    if limit is not None:
        dated = dated[:limit]
        undated = undated[:max(0, limit - len(dated))]
    return Timeline(tuple(dated), tuple(undated), total)


# Graph ---------------------------------------------------------------------------------------

COLUMNS = ("actors", "claims", "denials", "sources")


@dataclass(frozen=True, slots=True)
class Edge:
    source: tuple[str, str]
    """(kind, slug) of the entry the relation starts from."""
    target: tuple[str, str]
    relation: str
    """``claimed``, ``issued``, ``answers``, ``cites`` or ``published``."""


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[Entry, ...]
    """Every entry of the case, claims first (in the case's order), then denials, actors,
    sources; ``shown`` says which of them the drawing keeps."""
    edges: tuple[Edge, ...]
    shown: tuple[tuple[str, str], ...]
    """Keys of the nodes drawn, sorted (a tuple: page fingerprints must not depend on the
    process's hash seed)."""

    @property
    def hidden(self) -> int:
        return len(self.nodes) - len(self.shown)

    def shown_edges(self) -> list[Edge]:
        shown = set(self.shown)
        return [e for e in self.edges if e.source in shown and e.target in shown]


def members(index: SiteIndex, claims: Iterable[Claim]) -> list[Entry]:
    """The claims, the denials answering them, the actors who made or issued them, and the
    sources cited by either (with their publishers): everything a case reaches."""
    entries: dict[tuple[str, str], Entry] = {}

    def add(entry: Entry) -> None:
        entries.setdefault((entry.kind, entry.slug), entry)

    claims = list(claims)
    for claim in claims:
        add(claim)
    for claim in claims:
        for actor in index.refs(claim, "claimant"):
            add(actor)
        for denial in index.denials_of(claim):
            add(denial)
            for actor in index.refs(denial, "actor"):
                add(actor)
            for source in index.refs(denial, "sources"):
                add(source)
        for source in index.refs(claim, "sources"):
            add(source)
    for source in [e for e in entries.values() if isinstance(e, Source)]:
        for actor in index.refs(source, "publisher"):
            add(actor)
    return list(entries.values())


def relations(index: SiteIndex, entries: Iterable[Entry]) -> list[Edge]:
    """The relations among ``entries``, as the index records them, in a stable order."""
    keys = {(e.kind, e.slug) for e in entries}
    edges: set[Edge] = set()
    for entry in entries:
        here = (entry.kind, entry.slug)
        if isinstance(entry, Claim):
            named = [("claimed", a, here) for a in index.refs(entry, "claimant")]
            named += [("cites", here, s) for s in index.refs(entry, "sources")]
        elif isinstance(entry, Denial):
            named = [("issued", a, here) for a in index.refs(entry, "actor")]
            named += [("answers", here, c) for c in index.refs(entry, "answers")]
            named += [("cites", here, s) for s in index.refs(entry, "sources")]
        elif isinstance(entry, Source):
            named = [("published", a, here) for a in index.refs(entry, "publisher")]
        else:
            named = []
        for relation, start, end in named:
            source = start if isinstance(start, tuple) else (start.kind, start.slug)
            target = end if isinstance(end, tuple) else (end.kind, end.slug)
            if source in keys and target in keys:
                edges.add(Edge(source, target, relation))
    return sorted(edges, key=lambda e: (e.source, e.target, e.relation))


def graph(index: SiteIndex, claims: Iterable[Claim], limit: int = MAX_NODES) -> Graph:
    entries = members(index, claims)
    edges = relations(index, entries)
    degree: dict[tuple[str, str], int] = {}
    for edge in edges:
        for key in (edge.source, edge.target):
            degree[key] = degree.get(key, 0) + 1
    ranked = sorted(entries, key=lambda e: (-degree.get((e.kind, e.slug), 0), e.kind, e.slug))
    shown = tuple(sorted((e.kind, e.slug) for e in ranked[:limit]))
    return Graph(tuple(entries), tuple(edges), shown)


# Matrix --------------------------------------------------------------------------------------

CELLS = ("asserts", "denies", "source of", "mentioned")


@dataclass(frozen=True, slots=True)
class Matrix:
    actors: tuple[Actor, ...]
    claims: tuple[Claim, ...]
    cells: dict[tuple[str, str], tuple[str, ...]]
    """(actor slug, claim slug) → what the actor is to the claim, in ``CELLS`` order."""
    total_actors: int
    total_claims: int


def cells(index: SiteIndex, claims: Iterable[Claim]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Who said what: an actor asserts a claim it made, denies one a denial of its answers,
    is the source of one whose cited source it published, is mentioned by its analysis."""
    found: dict[tuple[str, str], set[str]] = {}

    def mark(actor: Entry, claim: Claim, what: str) -> None:
        found.setdefault((actor.slug, claim.slug), set()).add(what)

    for claim in claims:
        for actor in index.refs(claim, "claimant"):
            mark(actor, claim, "asserts")
        for denial in index.denials_of(claim):
            for actor in index.refs(denial, "actor"):
                mark(actor, claim, "denies")
        for source in index.refs(claim, "sources"):
            for actor in index.refs(source, "publisher"):
                mark(actor, claim, "source of")
        for link in index.body(claim).links:  # the analysis names an actor
            kind, _, name = link.target.partition("/")
            actor = index.entries["actors"].get(name.removesuffix(".md"))
            if kind == "actors" and actor is not None:
                mark(actor, claim, "mentioned")
    return {key: tuple(c for c in CELLS if c in what) for key, what in sorted(found.items())}


def matrix(index: SiteIndex, claims: Iterable[Claim], limit: int = MAX_MATRIX) -> Matrix:
    claims = list(claims)
    table = cells(index, claims)
    by_actor: dict[str, int] = {}
    by_claim: dict[str, int] = {}
    for actor, claim in table:
        by_actor[actor] = by_actor.get(actor, 0) + 1
        by_claim[claim] = by_claim.get(claim, 0) + 1
    actors = sorted(by_actor, key=lambda s: (-by_actor[s], s))[:limit]
    kept = set(sorted(by_claim, key=lambda s: (-by_claim[s], s))[:limit])
    return Matrix(tuple(index.entries["actors"][s] for s in sorted(
                      actors, key=lambda s: (index.entries["actors"][s].label.casefold(), s))),
                  tuple(c for c in claims if c.slug in kept), table, len(by_actor),
                  len(by_claim))


# A case as a whole ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CaseMap:
    case: Case
    claims: tuple[Claim, ...]
    timeline: Timeline
    graph: Graph
    matrix: Matrix


def case_map(index: SiteIndex, case: Case) -> CaseMap:
    claims = index.refs(case, "claims")
    dated = [e for e in members(index, claims) if not isinstance(e, Actor)]
    return CaseMap(case, tuple(claims), timeline(dated),  # type: ignore[arg-type]
                   graph(index, claims), matrix(index, claims))  # type: ignore[arg-type]
