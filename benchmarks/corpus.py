"""Benchmark corpus: a seeded, valid content tree of N claims, plus Hugo and Pelican copies.

Proportions follow the shipped Iran–Russia case (9 claims : 2 denials : 9 sources :
19 actors); body lengths follow its averages per kind, with claims at ~500 words. Bodies mix
paragraphs, lists, quotes, tables and relative ``.md`` links to other entries. Claimants are
drawn from a skewed (Zipf-like) distribution, as in real databases: a few actors make
thousands of claims, which is what tests that no page grows with N.

    python3 benchmarks/corpus.py --entries 1000 --seed 1 --out /tmp/corpus-1k [--peers]
        [--shape archive]

``--shape archive`` is an aggregator's archive instead (see ``SHAPES``): the 100,000-claim
scale is measured with it.
"""

from __future__ import annotations

import argparse
import bisect
import random
import shutil
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

WORDS = """
analysis army border brigade cargo channel city command commander conflict contract convoy
corridor defence delivery deputy diplomat document drone embassy envoy equipment evidence
factory fleet flight front government ground harbour imagery industry intelligence interview
journalist launch leader logistics manifest meeting military minister missile mission network
officer operation parliament partner payload pilot platform port programme question radar
railway region report resolution route sanction satellite shipment source spokesman statement
supply system territory testimony transfer treaty unit vessel warehouse weapon witness
according allegedly analysts appeared assessed briefing claimed confirmed described disputed
documented earlier estimated examined footage identified indicated later matched noted observed
official photographs previously published recorded released reported reviewed showed signed
suggested traced verified visible weeks months during after before between against without
""".split()  # noqa: SIM905
NAMES = """
Amir Anna Boris Chen Darius Elena Farid Galina Hassan Irina Jamal Karim Lena Maksim Nadia Oleg
Parisa Reza Sara Timur Viktor Yana Zahra Pavel Omid Ludmila Samir Olga Dmitri Nasrin
""".split()  # noqa: SIM905
SURNAMES = """
Ahmadi Belov Karimi Dovzhenko Farahani Gromov Hosseini Ivanova Jafari Kovalenko Larijani
Morozova Nazari Orlov Petrenko Rahimi Sokolov Tehrani Usmanov Volkova Zamani Yusupov Bondar
Rostami Melnyk Sadeghi Kuznetsov Moradi Shevchenko Tabatabai
""".split()  # noqa: SIM905
COUNTRIES = ["IR", "RU", "UA", "TJ", "BY", "US", "TR", "GE", "AM", "KZ", "SY", "CN"]
RATINGS = ["false", "misleading", "unsubstantiated", "mostly-true", "true"]
EVIDENCE = ["none", "partial", "documented"]
SOURCE_KINDS = ["official-statement", "media-report", "interview", "anonymous-official",
                "social-post", "article", "document", "other"]
ACTOR_KINDS = ["person", "government", "ministry", "organisation", "outlet", "group"]
TAGS = [f"{a}-{b}" for a in ("drone", "missile", "cargo", "border", "naval", "air", "rail",
                             "cyber", "fuel", "ammo")
        for b in ("transfers", "sightings", "contracts", "training", "sanctions", "routes")]

SITE_YAML = """\
title: Benchmark Checks
base_url: https://example.org/
language: en
description: "A generated corpus for measuring the generator at scale."
organisation:
  name: Benchmark desk
  url: https://example.org/
review_after_days: 3650
build_date: 2026-11-28
ratings:
  - {key: "false", label: "False", description: "Contradicted by evidence.", value: 1}
  - {key: misleading, label: Misleading, description: "Gives a wrong impression.", value: 2}
  - {key: unsubstantiated, label: Unsubstantiated, description: "No checkable evidence.", value: 3}
  - {key: mostly-true, label: Mostly true, description: "Supported, a detail missing.", value: 4}
  - {key: "true", label: "True", description: "Supported by evidence.", value: 5}
"""


@dataclass(frozen=True, slots=True)
class Shape:
    """Entries per claim and body lengths (words) of one kind of corpus."""

    denials: float
    sources: float
    actors: float
    words: dict[str, int]


SHAPES = {
    # The shipped case scaled up: 4.3 entries per claim, one actor and source per claim.
    "case": Shape(2 / 9, 1.0, 19 / 9, {"claims": 500, "denials": 180, "sources": 95,
                                       "actors": 45}),
    # An aggregator's archive (imported ClaimReview feeds): 2.5 entries per claim; actors
    # and sources are shared across many claims (outlets, officials, a few prolific
    # claimants), bodies are shorter (an imported review is a summary and a link).
    "archive": Shape(0.1, 1.1, 0.3, {"claims": 180, "denials": 80, "sources": 40,
                                     "actors": 30}),
}


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many entries of each kind a corpus of ``claims`` claims holds."""

    claims: int
    denials: int
    sources: int
    actors: int

    @classmethod
    def for_claims(cls, claims: int, shape: Shape = SHAPES["case"]) -> Sizes:
        return cls(claims, max(1, round(claims * shape.denials)),
                   max(1, round(claims * shape.sources)), max(3, round(claims * shape.actors)))

    @property
    def total(self) -> int:
        return self.claims + self.denials + self.sources + self.actors


def claim_slug(i: int) -> str:
    return f"claim-{i:05d}"


def denial_slug(i: int) -> str:
    return f"denial-{i:05d}"


def source_slug(i: int) -> str:
    return f"source-{i:05d}"


def actor_slug(i: int) -> str:
    return f"actor-{i:05d}"


class Writer:
    """Random text and picks from one seeded generator, so a seed fixes the corpus."""

    def __init__(self, seed: int, sizes: Sizes):
        self.rng = random.Random(seed)
        self.sizes = sizes
        weights = [1.0 / (rank + 1) for rank in range(sizes.actors)]  # Zipf: a few prolific
        self.actor_cdf = list(accumulate(weights))

    def actor(self) -> int:
        point = self.rng.random() * self.actor_cdf[-1]
        return min(bisect.bisect_left(self.actor_cdf, point), self.sizes.actors - 1)

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, n: int = 14) -> str:
        text = self.words(self.rng.randint(n - 6, n + 6))
        return text[0].upper() + text[1:] + "."

    def date(self, year: int = 2022) -> str:
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def name(self, i: int) -> str:
        return f"{NAMES[i % len(NAMES)]} {SURNAMES[(i // len(NAMES)) % len(SURNAMES)]} {i}"

    def link(self, here: str) -> str:
        """An inline link from a file in ``here`` to another entry, as a relative .md path."""
        kind = self.rng.choice(("actors", "sources", "claims", "claims", "denials"))
        slug, label = {
            "actors": lambda: (actor_slug(self.actor()), "the actor"),
            "sources": lambda: (source_slug(self.rng.randrange(self.sizes.sources)), "a source"),
            "claims": lambda: (claim_slug(self.rng.randrange(self.sizes.claims)), "a claim"),
            "denials": lambda: (denial_slug(self.rng.randrange(self.sizes.denials)), "a denial"),
        }[kind]()
        target = f"{slug}.md" if kind == here else f"../{kind}/{slug}.md"
        return f"[{label} {self.words(2)}]({target})"

    def paragraph(self, here: str, words: int, links: int = 1) -> str:
        parts = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(self.sentence())
        for _ in range(links):
            spot = self.rng.randrange(len(parts))
            parts[spot] = parts[spot][:-1] + ", as " + self.link(here) + " shows."
        return " ".join(parts)

    def body(self, here: str, words: int) -> str:
        """A body of about ``words`` words; long ones get a list, a quote and a table."""
        if words < 120:
            return self.paragraph(here, words) + "\n"
        blocks = ["## Context", self.paragraph(here, 90, 2), self.paragraph(here, 70)]
        blocks.append("\n".join(f"- {self.sentence(8)}" for _ in range(4)))
        blocks.append("> " + self.sentence(20) + "\n> " + self.sentence(12))
        if words >= 300:
            blocks += ["## What the evidence shows", self.paragraph(here, 90, 2),
                       "| Date | Item | Status |\n|---|---|---|\n" + "\n".join(
                           f"| {self.date()} | {self.words(3)} | {self.words(1)} |"
                           for _ in range(4)),
                       self.paragraph(here, 80)]
        while sum(len(b.split()) for b in blocks) < words:
            blocks.append(self.paragraph(here, 70, 1))
        return "\n\n".join(blocks) + "\n"


CASE_SIZE = 200
"""Claims per case: the case map's cost is measured with stories of this size."""


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def generate(out: Path, entries: int, seed: int = 1, shape: str = "case") -> Sizes:
    """Write ``out/content`` (our format) for ``entries`` claims; returns the counts."""
    words = SHAPES[shape].words
    sizes = Sizes.for_claims(entries, SHAPES[shape])
    w = Writer(seed, sizes)
    content = out / "content"
    shutil.rmtree(content, ignore_errors=True)
    for kind in ("claims", "denials", "sources", "actors", "pages", "cases"):
        (content / kind).mkdir(parents=True)
    (content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for slug, menu in (("methodology", 1), ("corrections", 2)):
        (content / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\nmenu: {menu}\n---\n{w.paragraph('pages', 80, 0)}\n",
            encoding="utf-8")
    organisations = min(20, sizes.actors)
    for i in range(sizes.actors):
        affiliation = f"affiliation: {actor_slug(w.rng.randrange(organisations))}\n" \
            if i >= organisations and w.rng.random() < 0.5 else ""
        text = (f"---\nname: {w.name(i)}\nkind: {w.rng.choice(ACTOR_KINDS)}\n"
                f"role: {w.words(3)}\ncountry: {w.rng.choice(COUNTRIES)}\n{affiliation}---\n"
                + w.body("actors", words["actors"]))
        (content / "actors" / f"{actor_slug(i)}.md").write_text(text, encoding="utf-8")
    for i in range(sizes.sources):
        text = (f"---\ntitle: {w.words(5).capitalize()}\npublisher: {actor_slug(w.actor())}\n"
                f"kind: {w.rng.choice(SOURCE_KINDS)}\ndate: {w.date()}\n"
                f"url: https://example.org/doc/{i}\n"
                f"archive_url: https://archive.example.org/doc/{i}\n---\n"
                + w.body("sources", words["sources"]))
        (content / "sources" / f"{source_slug(i)}.md").write_text(text, encoding="utf-8")
    for i in range(sizes.claims):
        sources = sorted({source_slug(w.rng.randrange(sizes.sources))
                          for _ in range(w.rng.randint(1, 3))})
        tags = sorted(set(w.rng.sample(TAGS, w.rng.randint(1, 3))))
        related = sorted({claim_slug(w.rng.randrange(sizes.claims))
                          for _ in range(w.rng.randint(0, 3))} - {claim_slug(i)})
        published = w.date(2025)
        text = (f"---\ntitle: {w.words(6).capitalize()} {i}\n"
                f"statement: \"{w.sentence(20)}\"\nclaimant: {actor_slug(w.actor())}\n"
                f"date: {w.date()}\nsources: {_yaml_list(sources)}\n"
                f"rating: \"{w.rng.choice(RATINGS)}\"\n"
                f"rating_explanation: \"{w.sentence(12)}\"\n"
                f"evidence: {w.rng.choice(EVIDENCE)}\ntags: {_yaml_list(tags)}\n"
                f"countries: {_yaml_list(w.rng.sample(COUNTRIES, 2))}\n"
                + (f"related: {_yaml_list(related)}\n" if related else "")
                + f"updates:\n  - {{date: {published}, note: First published.}}\n"
                f"reviewed: 2026-{w.rng.randint(1, 11):02d}-{w.rng.randint(1, 28):02d}\n---\n"
                + w.body("claims", words["claims"]))
        (content / "claims" / f"{claim_slug(i)}.md").write_text(text, encoding="utf-8")
    for i in range(sizes.denials):
        answers = sorted({claim_slug(w.rng.randrange(sizes.claims))
                          for _ in range(w.rng.randint(1, 2))})
        text = (f"---\ntitle: {w.words(5).capitalize()} denied\n"
                f"actor: {actor_slug(w.actor())}\ndate: {w.date()}\n"
                f"quote: \"{w.sentence(18)}\"\nanswers: {_yaml_list(answers)}\n"
                f"sources: [{source_slug(w.rng.randrange(sizes.sources))}]\n---\n"
                + w.body("denials", words["denials"]))
        (content / "denials" / f"{denial_slug(i)}.md").write_text(text, encoding="utf-8")
    for i, start in enumerate(range(0, sizes.claims, CASE_SIZE)):  # stories of ~200 claims
        members = [claim_slug(n) for n in range(start, min(sizes.claims, start + CASE_SIZE))]
        text = (f"---\ntitle: Case {i} on {w.words(4)}\nclaims: {_yaml_list(members)}\n---\n"
                + w.body("cases", 150))
        (content / "cases" / f"case-{i:04d}.md").write_text(text, encoding="utf-8")
    return sizes


def _split(path: Path) -> tuple[dict[str, str], str]:
    """A generated file → (its top-level scalar fields, body); enough for the peers' copies."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        if ": " in line and not line.startswith(" "):
            key, value = line.split(": ", 1)
            fields[key] = value.strip('"')
    return fields, body


HUGO_CONFIG = """\
baseURL = "http://example.org/"
title = "Benchmark Checks"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
paginate = 50
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
                            "<body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>"
                            "{{ with .Params.tags }}<p>{{ delimit . \", \" }}</p>{{ end }}"
                            "{{ .Content }}{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>"
                          "{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                          "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
}
PELICAN_CONFIG = """\
SITENAME = "Benchmark Checks"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 50
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
"""


def peers(out: Path) -> None:
    """The same entries and bodies in Hugo's and Pelican's layouts (titles, dates, tags)."""
    content = out / "content"
    hugo, pelican = out / "hugo", out / "pelican"
    for folder in (hugo, pelican):
        shutil.rmtree(folder, ignore_errors=True)
    (hugo / "config.toml").parent.mkdir(parents=True)
    (hugo / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (hugo / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (hugo / "layouts" / rel).write_text(text, encoding="utf-8")
    (pelican / "content").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for kind in ("claims", "denials", "sources", "actors", "pages"):
        (hugo / "content" / kind).mkdir(parents=True)
        (pelican / "content" / kind).mkdir(parents=True)
        for path in sorted((content / kind).glob("*.md")):
            fields, body = _split(path)
            title = (fields.get("title") or fields.get("name") or path.stem).replace('"', "'")
            date = fields.get("date") or "2022-01-01"
            tags = fields.get("tags", "[]").strip("[]")
            (hugo / "content" / kind / path.name).write_text(
                f"---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\n{body}",
                encoding="utf-8")
            (pelican / "content" / kind / path.name).write_text(
                f"Title: {title}\nDate: {date}\nCategory: {kind}\nTags: {tags}\n"
                f"Slug: {kind}-{path.stem}\n\n{body}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000, help="number of claims")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write content/ into")
    parser.add_argument("--peers", action="store_true", help="also write hugo/ and pelican/")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="case",
                        help="case: the shipped case scaled up (default); archive: an "
                             "aggregator's (2.5 entries per claim, shared actors and sources)")
    args = parser.parse_args(argv)
    sizes = generate(args.out, args.entries, args.seed, args.shape)
    if args.peers:
        peers(args.out)
    print(f"{sizes.total} entries ({sizes.claims} claims, {sizes.denials} denials, "
          f"{sizes.sources} sources, {sizes.actors} actors) in {args.out / 'content'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
