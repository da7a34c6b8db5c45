"""The case graph drawn as inline SVG: a layered layout of four columns (actors, claims,
denials, sources), laid out in Python, so the same graph gives the same bytes on every
machine and no process is started per page.

Input: a ``casemap.Graph``, how to name and link its entries, the rating scale. Output: SVG
markup, every node a link to its entry, claims coloured by rating and labelled with it (the
colour is never the only carrier), mirrored for right-to-left pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.casemap import COLUMNS, Graph
from generator.models import Claim, Entry, Rating

WIDTH = 960
NODE_W = 210
NODE_H = 36
ROW = 44
TOP = 34
MARGIN = 8
LABEL = 28
"""Characters of a label drawn in a node; the full label is the node's tooltip and is in
the text alternative beside the drawing."""
PALETTE = ("#d55e00", "#e69f00", "#f0e442", "#56b4e9", "#009e73")
"""Okabe–Ito colours, worst to best: told apart with every common colour-vision deficiency,
and light enough for dark text."""
FILLS = {"actors": "#eceff3", "denials": "#efe7f7", "sources": "#ffffff"}


def rating_colours(scale: tuple[Rating, ...]) -> dict[str, str]:
    """Each rating's colour: its own, or the palette's by its position in the scale."""
    ordered = sorted(scale, key=lambda r: r.value)
    last = max(1, len(ordered) - 1)
    return {r.key: r.colour or PALETTE[round(i * (len(PALETTE) - 1) / last)]
            for i, r in enumerate(ordered)}


@dataclass(frozen=True, slots=True)
class Placed:
    entry: Entry
    x: float
    y: float


def _barycentre(key: tuple[str, str], links: dict[tuple[str, str], list[tuple[str, str]]],
                rows: dict[tuple[str, str], int]) -> float:
    placed = [rows[k] for k in links.get(key, ()) if k in rows]
    return sum(placed) / len(placed) if placed else float(len(rows))


def layout(graph: Graph, rtl: bool = False) -> tuple[list[Placed], int]:
    """Claims in the case's order; every other column ordered by the mean row of the
    claims (or denials) it is linked to, ties by slug: few crossings, fully deterministic."""
    keep = set(graph.shown)
    shown = [e for e in graph.nodes if (e.kind, e.slug) in keep]
    links: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for edge in graph.shown_edges():
        links.setdefault(edge.source, []).append(edge.target)
        links.setdefault(edge.target, []).append(edge.source)
    columns: dict[str, list[Entry]] = {kind: [e for e in shown if e.kind == kind]
                                       for kind in COLUMNS}
    rows = {(e.kind, e.slug): i for i, e in enumerate(columns["claims"])}
    for kind in ("denials", "actors", "sources"):
        ordered = sorted(columns[kind], key=lambda e: (
            _barycentre((e.kind, e.slug), links, rows), e.slug))
        columns[kind] = ordered
        rows.update({(e.kind, e.slug): i for i, e in enumerate(ordered)})
    step = (WIDTH - 2 * MARGIN - NODE_W) / (len(COLUMNS) - 1)
    placed = []
    for number, kind in enumerate(COLUMNS):
        x = MARGIN + number * step
        if rtl:
            x = WIDTH - x - NODE_W
        placed += [Placed(e, x, TOP + i * ROW) for i, e in enumerate(columns[kind])]
    height = TOP + max((len(c) for c in columns.values()), default=0) * ROW + MARGIN
    return placed, int(height)


def _short(text: str) -> str:
    return text if len(text) <= LABEL else text[:LABEL - 1].rstrip() + "…"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def draw(graph: Graph, url: Callable[[str], str], scale: tuple[Rating, ...],
         headings: dict[str, str], rtl: bool = False, label: str = "Relation graph") -> Markup:
    """The SVG; ``url`` maps an entry's path below the site to its address, ``headings``
    names the four columns in the page's language."""
    placed, height = layout(graph, rtl)
    colours = rating_colours(scale)
    legend, height = _legend(scale, colours, height, rtl)
    at = {(p.entry.kind, p.entry.slug): p for p in placed}
    labels = {r.key: r.label for r in scale}
    parts = [f'<svg class="case-graph" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'role="group" aria-label="{escape(label)}">']
    step = (WIDTH - 2 * MARGIN - NODE_W) / (len(COLUMNS) - 1)
    for number, kind in enumerate(COLUMNS):
        x = MARGIN + number * step + NODE_W / 2
        x = WIDTH - x if rtl else x
        parts.append(f'<text class="col" x="{_n(x)}" y="18" text-anchor="middle">'
                     f'{escape(headings[kind])}</text>')
    for edge in graph.shown_edges():
        a, b = at[edge.source], at[edge.target]
        forward = (a.x < b.x)
        x1 = a.x + NODE_W if forward else a.x
        x2 = b.x if forward else b.x + NODE_W
        y1, y2 = a.y + NODE_H / 2, b.y + NODE_H / 2
        bend = (x2 - x1) / 2
        parts.append(f'<path class="edge edge-{edge.relation}" d="M{_n(x1)} {_n(y1)} '
                     f'C{_n(x1 + bend)} {_n(y1)} {_n(x2 - bend)} {_n(y2)} {_n(x2)} {_n(y2)}"/>')
    for p in placed:
        entry = p.entry
        fill = FILLS.get(entry.kind, "#ffffff")
        rating = labels.get(entry.rating) if isinstance(entry, Claim) else None
        if isinstance(entry, Claim):
            fill = colours.get(entry.rating, "#ffffff")
        tx = p.x + NODE_W - 6 if rtl else p.x + 6
        anchor = "end" if rtl else "start"
        text = f'<text x="{_n(tx)}" y="{_n(p.y + 22)}" text-anchor="{anchor}">'
        if rating:  # the verdict in words above the claim: never the colour alone
            text = (f'<text x="{_n(tx)}" y="{_n(p.y + 14)}" text-anchor="{anchor}" '
                    f'class="rating">{escape(rating)}</text>'
                    f'<text x="{_n(tx)}" y="{_n(p.y + 29)}" text-anchor="{anchor}">')
        full = f"{rating}: {entry.label}" if rating else entry.label
        parts.append(
            f'<a href="{escape(url(entry.url_path))}" class="node node-{entry.kind}">'
            f'<title>{escape(full)}</title>'
            f'<rect x="{_n(p.x)}" y="{_n(p.y)}" width="{NODE_W}" height="{NODE_H}" rx="4" '
            f'fill="{fill}"/>{text}{escape(_short(entry.label))}</text></a>')
    parts += legend
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _legend(scale: tuple[Rating, ...], colours: dict[str, str], top: int, rtl: bool
            ) -> tuple[list[str], int]:
    """One swatch and the rating's name per rating, in the scale's order, under the graph:
    the names say what the colours mean, so colour never carries the meaning alone."""
    parts, x, y = [], float(MARGIN), top + 8
    for rating in sorted(scale, key=lambda r: r.value):
        width = 22 + len(rating.label) * 7
        if x + width > WIDTH - MARGIN:
            x, y = float(MARGIN), y + 22
        sx = WIDTH - x - 14 if rtl else x
        tx = WIDTH - x - 20 if rtl else x + 20
        parts.append(f'<g class="legend-item"><rect x="{_n(sx)}" y="{y}" width="14" height="14" '
                     f'fill="{colours[rating.key]}"/><text x="{_n(tx)}" y="{y + 12}" '
                     f'text-anchor="{"end" if rtl else "start"}">{escape(rating.label)}</text>'
                     '</g>')
        x += width + 12
    return parts, y + 22
